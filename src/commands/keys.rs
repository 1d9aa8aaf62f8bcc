//! `shadowmap keys`: the capture and replay keys in force (from `--keys FILE`, the config
//! folder's `keys.ron`, or the defaults) and a keymap file to start from.

use std::path::Path;

use color_eyre::Result;
use shadowmap::tui::key_config;

use crate::KeysArgs;

/// Reads the keymap in force and puts it in force for the screens.
pub fn install(explicit: Option<&Path>) -> Result<()> {
    key_config::install(key_config::load(explicit)?);
    Ok(())
}

pub fn run(args: KeysArgs) -> Result<()> {
    let explicit = args.keys.as_deref();
    if args.default {
        print!("{}", key_config::default_file());
        return Ok(());
    }
    let map = key_config::load(explicit)?;
    print!("{}", map.describe());
    let place = key_config::default_path().map_or_else(
        || "(no config folder on this platform)".to_string(),
        |p| p.display().to_string(),
    );
    println!("\nThe keymap file is read from --keys FILE, else from {place}.");
    println!(
        "A file to start from (`shadowmap keys --default > FILE`), with every action at its default keys:\n"
    );
    print!("{}", key_config::default_file());
    Ok(())
}
