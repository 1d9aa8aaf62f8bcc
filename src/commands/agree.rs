//! `shadowmap agree A B`: agreement of two auditors who shadowed the same clinician.
//!
//! Different pathways are an error (the step ids would not be comparable); a different
//! clinician code, pathway version or the same auditor on both sides are warnings, printed on
//! standard error and kept in the JSON's `warnings`.

use std::path::{Path, PathBuf};

use color_eyre::eyre::WrapErr;

use shadowmap::agree::{self, Options};
use shadowmap::model::Session;
use shadowmap::store::DataDir;
use shadowmap::text::{Escaped, escape_json_controls};

use crate::{AgreeArgs, ListFormat};

pub fn run(data_dir: Option<PathBuf>, args: AgreeArgs) -> color_eyre::Result<()> {
    let a =
        load(data_dir.as_deref(), &args.a).wrap_err_with(|| format!("loading A ({})", args.a))?;
    let b =
        load(data_dir.as_deref(), &args.b).wrap_err_with(|| format!("loading B ({})", args.b))?;
    let options = Options {
        shift_b_secs: args.shift_b,
        tolerance_secs: args.tolerance,
    };
    let agreement = agree::agree(&a, &b, &options)?;
    for warning in &agreement.warnings {
        eprintln!("warning: {}", Escaped(warning));
    }
    match args.format {
        ListFormat::Text => print!("{}", Escaped(agree::render_text(&agreement))),
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&agreement)?;
            println!("{}", escape_json_controls(&json));
        }
    }
    Ok(())
}

/// A session file or journal anywhere, or a session id in the data folder. Says on standard
/// error when a session came from a journal with a damaged tail.
fn load(data_dir: Option<&Path>, id_or_path: &str) -> color_eyre::Result<Session> {
    let path = Path::new(id_or_path);
    let loaded = if path.is_file() {
        DataDir::load_path(path)?
    } else {
        DataDir::resolve(data_dir.map(Path::to_path_buf))
            .wrap_err("opening the data folder")?
            .load(id_or_path)?
    };
    if let Some(report) = loaded.recovery.as_ref().filter(|r| !r.is_clean()) {
        eprintln!("note: {}", Escaped(report));
    }
    Ok(loaded.session)
}
