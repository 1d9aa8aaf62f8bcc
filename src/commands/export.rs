//! `shadowmap export SESSION --format json|ron|xes|csv [--csv events|steps] [--redact]
//! [--out FILE]`: a session's full content for other tools. `--redact` applies to every
//! format; a file written with `--out` is created readable by the owner only (0600),
//! atomically, and never over the session it was made from.
//!
//! The small functions here (`session_json`, `session_ron`) are the pieces other export
//! formats build on; the session is read by [`super::load`], the file written by
//! [`super::output`].

use std::path::PathBuf;

use color_eyre::eyre::bail;
use serde::Serialize;
use shadowmap::model::{Event, Session, SessionHeader, resolve_pathway};
use shadowmap::report::export::{csv, redact_session, xes};
use shadowmap::store::snapshot_text;
use shadowmap::text::{escape_controls, escape_json_controls};

use super::output::{Protected, write_output};

use crate::{CsvTable, ExportArgs, ExportFormat};

pub fn run(data_dir: Option<PathBuf>, args: ExportArgs) -> color_eyre::Result<()> {
    if args.csv != CsvTable::Events && args.format != ExportFormat::Csv {
        bail!("--csv steps applies only to --format csv");
    }
    if matches!(args.format, ExportFormat::Parquet | ExportFormat::Ocel) {
        return super::tables::run(data_dir, args);
    }
    let [session] = args.sessions.as_slice() else {
        bail!(
            "--format {} takes one session ({} given)\n  hint: export them one at a time, or use --format parquet or ocel for many",
            format!("{:?}", args.format).to_lowercase(),
            args.sessions.len()
        );
    };
    let loaded = super::load::load_session(data_dir.as_deref(), session)?;
    let session = if args.redact {
        redact_session(&loaded.session)
    } else {
        loaded.session
    };
    let text = render(&session, args.format, args.csv)?;
    let mut protected = Protected::new(data_dir.as_deref());
    protected.file(&loaded.path, "the session being exported");
    write_output(args.out.as_deref(), &protected, &text)
}

/// The export's text in the chosen format.
pub fn render(
    session: &Session,
    format: ExportFormat,
    table: CsvTable,
) -> color_eyre::Result<String> {
    // Control characters from the session's text are escaped (JSON and RON escape them as
    // their own syntax does), so a hostile session cannot drive the terminal the export is
    // printed or `cat` in; in XES they would also make the XML invalid.
    Ok(match format {
        ExportFormat::Json => escape_json_controls(&session_json(session)).into_owned(),
        ExportFormat::Ron => session_ron(session)?,
        ExportFormat::Xes => escape_controls(&xes::to_xes_string([session])).into_owned(),
        ExportFormat::Parquet | ExportFormat::Ocel => {
            bail!("--format parquet and ocel write many sessions (commands::tables)")
        }
        ExportFormat::Csv => {
            let bytes = match table {
                CsvTable::Events => csv::write_events_csv(Vec::new(), session)?,
                CsvTable::Steps => {
                    // The labels of planned steps come from the pathway when it is known.
                    let pathway = resolve_pathway(&session.header.pathway_id)
                        .ok()
                        .map(|(p, _)| p);
                    csv::write_steps_csv(Vec::new(), session, pathway.as_ref())?
                }
            };
            let csv = String::from_utf8(bytes).expect("the CSV writer writes UTF-8");
            escape_controls(&csv).into_owned()
        }
    })
}

/// The JSON form: an object with the header fields and `events`, every event in order (each
/// in the session file's own form: `seq`, `at_ms`, `kind`).
pub fn session_json(session: &Session) -> String {
    #[derive(Serialize)]
    struct Export<'a> {
        #[serde(flatten)]
        header: &'a SessionHeader,
        events: &'a [Event],
    }
    let export = Export {
        header: &session.header,
        events: &session.events,
    };
    let mut text = serde_json::to_string_pretty(&export).expect("a session always serializes");
    text.push('\n');
    text
}

/// The RON form: exactly the session file, checked to read back as the same session.
pub fn session_ron(session: &Session) -> color_eyre::Result<String> {
    let path = PathBuf::from(format!("{}.ron", session.header.id));
    let mut text = snapshot_text(session, &path)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}
