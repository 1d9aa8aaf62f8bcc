//! `shadowmap export SESSION --format json|ron|xes|csv [--csv events|steps] [--redact]
//! [--out FILE]`: a session's full content for other tools. `--redact` applies to every
//! format; a file written with `--out` is created readable by the owner only (0600),
//! atomically, and never over the session it was made from.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use serde::Serialize;
use shadowmap::model::{Event, Session, SessionHeader, resolve_pathway};
use shadowmap::report::export::{csv, redact_session, xes};
use shadowmap::store::DataDir;

use crate::{CsvTable, ExportArgs, ExportFormat};

pub fn run(data_dir: Option<PathBuf>, args: ExportArgs) -> Result<()> {
    if args.csv != CsvTable::Events && args.format != ExportFormat::Csv {
        return Err(eyre!(
            "--csv {} applies only to --format csv",
            match args.csv {
                CsvTable::Events => "events",
                CsvTable::Steps => "steps",
            }
        ));
    }
    let (session, source) = load(data_dir, &args.session)?;
    let session = if args.redact {
        redact_session(&session)
    } else {
        session
    };
    let bytes = render(&session, args.format, args.csv)?;
    match &args.out {
        Some(path) => write_private(path, &bytes, source.as_deref()),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .wrap_err("writing the export to standard output")
        }
    }
}

/// The session, and the file it came from when there is one. SESSION is an id in the data
/// folder, or a session file or journal anywhere; a damaged journal tail is told on stderr.
fn load(data_dir: Option<PathBuf>, session: &str) -> Result<(Session, Option<PathBuf>)> {
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
    let source = path.is_file().then(|| path.to_path_buf());
    Ok((loaded.session, source))
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

/// The export's bytes in the chosen format.
pub fn render(session: &Session, format: ExportFormat, table: CsvTable) -> Result<Vec<u8>> {
    Ok(match format {
        ExportFormat::Json => session_json(session).into_bytes(),
        ExportFormat::Ron => session.to_ron().into_bytes(),
        ExportFormat::Xes => xes::to_xes_string([session]).into_bytes(),
        ExportFormat::Csv => match table {
            CsvTable::Events => csv::write_events_csv(Vec::new(), session)?,
            CsvTable::Steps => {
                // The labels of planned steps come from the pathway when it is known.
                let pathway = resolve_pathway(&session.header.pathway_id)
                    .ok()
                    .map(|(p, _)| p);
                csv::write_steps_csv(Vec::new(), session, pathway.as_ref())?
            }
        },
    })
}

/// Writes `bytes` to `path` readable by the owner only: a temporary file beside it (0600),
/// synced, then renamed over it, so a reader never sees half an export.
fn write_private(path: &Path, bytes: &[u8], source: Option<&Path>) -> Result<()> {
    if let Some(source) = source
        && let (Ok(a), Ok(b)) = (fs::canonicalize(source), fs::canonicalize(path))
        && a == b
    {
        return Err(eyre!(
            "--out {} is the session file being exported; choose another file",
            path.display()
        ));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| eyre!("--out {} does not name a file", path.display()))?;
    let tmp = parent.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(error) = result {
        let _ = fs::remove_file(&tmp);
        return Err(eyre!(error)).wrap_err(format!(
            "cannot write the export to {} (check that its folder exists and is writable)",
            path.display()
        ));
    }
    Ok(())
}
