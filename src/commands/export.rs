//! `shadowmap export SESSION --format json|ron|xes|csv [--csv events|steps] [--redact]
//! [--out FILE]`: a session's full content for other tools. `--redact` applies to every
//! format; a file written with `--out` is created readable by the owner only (0600),
//! atomically, and never over the session it was made from.
//!
//! The small functions here (`load`, `session_json`, `session_ron`, `write_output`) are the
//! pieces other export formats build on.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use color_eyre::eyre::{WrapErr, bail, eyre};
use serde::Serialize;
use shadowmap::model::{Event, Session, SessionHeader, resolve_pathway};
use shadowmap::report::export::{csv, redact_session, xes};
use shadowmap::store::{DataDir, LoadedSession};

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
    let loaded = load(data_dir, session)?;
    let session = if args.redact {
        redact_session(&loaded.session)
    } else {
        loaded.session
    };
    let text = render(&session, args.format, args.csv)?;
    write_output(args.out.as_deref(), &loaded.path.to_string_lossy(), &text)
}

/// The export's text in the chosen format.
pub fn render(
    session: &Session,
    format: ExportFormat,
    table: CsvTable,
) -> color_eyre::Result<String> {
    Ok(match format {
        ExportFormat::Json => session_json(session),
        ExportFormat::Ron => session_ron(session),
        ExportFormat::Xes => xes::to_xes_string([session]),
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
            String::from_utf8(bytes).expect("the CSV writer writes UTF-8")
        }
    })
}

/// SESSION: an id in the data folder, or a session file or journal anywhere. Tells on
/// standard error when the session came from a journal with a damaged tail.
pub fn load(data_dir: Option<PathBuf>, session: &str) -> color_eyre::Result<LoadedSession> {
    let path = Path::new(session);
    let loaded = if path.is_file() {
        DataDir::load_path(path)
    } else {
        DataDir::resolve(data_dir)?.load(session)
    }
    .wrap_err_with(|| format!("loading session `{session}`"))?;
    if let Some(report) = loaded.recovery.as_ref().filter(|r| !r.is_clean()) {
        eprintln!("note: {report}");
    }
    Ok(loaded)
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

/// The RON form: exactly the session file.
pub fn session_ron(session: &Session) -> String {
    let mut text = session.to_ron();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Standard output, or `out`: written to a temporary file beside it (0600, as it may hold
/// notes about patients), synced, then renamed over it, so a reader never sees half an
/// export and a file that was readable by others before is owner-only after. Refuses to
/// write over the session it reads.
pub fn write_output(
    out: Option<&Path>,
    source: &str,
    text: impl AsRef<[u8]>,
) -> color_eyre::Result<()> {
    let text = text.as_ref();
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text)?;
        return Ok(stdout.flush()?);
    };
    let source = Path::new(source);
    if source.exists()
        && let (Ok(a), Ok(b)) = (source.canonicalize(), out.canonicalize())
        && a == b
    {
        return Err(eyre!(
            "{}: --out names the session being exported; choose another file",
            out.display()
        ));
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .ok_or_else(|| eyre!("{}: --out does not name a file", out.display()))?;
    let tmp = parent.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(text)?;
        file.sync_data()?;
        fs::rename(&tmp, out)
    })();
    if let Err(error) = written {
        let _ = fs::remove_file(&tmp);
        return Err(eyre!(error)).wrap_err(format!(
            "cannot write {} (check that its folder exists and is writable)",
            out.display()
        ));
    }
    Ok(())
}
