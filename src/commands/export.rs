//! `shadowmap export SESSION --format json|ron [--out FILE]`: a session's full content.
//!
//! The small functions here (`load`, `session_json`, `session_ron`, `write_output`) are the
//! pieces other export formats build on.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use color_eyre::eyre::{WrapErr, bail, eyre};
use serde::Serialize;
use shadowmap::model::{Event, Session, SessionHeader};
use shadowmap::store::{DataDir, LoadedSession};

use crate::{ExportArgs, ExportFormat};

pub fn run(data_dir: Option<PathBuf>, args: ExportArgs) -> color_eyre::Result<()> {
    if args.redact {
        bail!("`--redact` is not available yet");
    }
    let text = match args.format {
        ExportFormat::Json => {
            let loaded = load(data_dir, &args.session)?;
            session_json(&loaded.session)
        }
        ExportFormat::Ron => session_ron(&load(data_dir, &args.session)?.session),
        ExportFormat::Xes => bail!("`--format xes` is not available yet"),
        ExportFormat::Csv => bail!("`--format csv` is not available yet"),
    };
    write_output(args.out.as_deref(), &args.session, &text)
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

/// Standard output, or `out` (created 0600, as it may hold notes about patients). Refuses to
/// write over the session it reads.
pub fn write_output(out: Option<&Path>, source: &str, text: &str) -> color_eyre::Result<()> {
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
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
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(out)
        .wrap_err_with(|| format!("cannot create {}", out.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_data())
        .wrap_err_with(|| format!("cannot write {}", out.display()))
}
