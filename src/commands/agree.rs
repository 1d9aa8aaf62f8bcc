//! `shadowmap agree A B`: agreement of two auditors who shadowed the same clinician.
//!
//! Different pathways are an error (the step ids would not be comparable); a different
//! clinician code, pathway version or the same auditor on both sides are warnings, printed on
//! standard error and kept in the JSON's `warnings`.

use std::path::PathBuf;

use color_eyre::eyre::WrapErr;

use shadowmap::agree::{self, Options};
use shadowmap::text::{Escaped, escape_json_controls};

use super::load::load_session;

use crate::{AgreeArgs, ListFormat};

pub fn run(data_dir: Option<PathBuf>, args: AgreeArgs) -> color_eyre::Result<()> {
    let a = load_session(data_dir.as_deref(), &args.a)
        .wrap_err_with(|| format!("loading A ({})", args.a))?
        .session;
    let b = load_session(data_dir.as_deref(), &args.b)
        .wrap_err_with(|| format!("loading B ({})", args.b))?
        .session;
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
