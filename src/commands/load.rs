//! "A session id or a file": the one way every command (compare, replay, export, agree,
//! browse) reads the session the user names, with the same notes on standard error.
//!
//! A path that exists is read as a file (a session file or a journal, anywhere); anything
//! else is an id in the data folder. Only regular files are read, up to
//! [`MAX_SESSION_FILE_BYTES`](shadowmap::model::session::MAX_SESSION_FILE_BYTES): a FIFO or a
//! device is refused, never waited on. Never changes the file.

use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use shadowmap::report::aggregate::Skipped;
use shadowmap::report::stream::AfterFinish;
use shadowmap::store::{DataDir, LoadedSession};

/// Loads SESSION (an id in the data folder, or a session file or journal anywhere) and tells
/// on standard error what the user should know: damage recovery dropped, and events after a
/// finish that every analysis ignores.
pub fn load_session(data_dir: Option<&Path>, session: &str) -> Result<LoadedSession> {
    let loaded = load_quietly(data_dir, session)?;
    for note in notes(&loaded) {
        eprintln!("{}", shadowmap::text::Escaped(&note));
    }
    Ok(loaded)
}

/// [`load_session`] without the notes (a screen shows them its own way).
pub fn load_quietly(data_dir: Option<&Path>, session: &str) -> Result<LoadedSession> {
    let path = Path::new(session);
    if path.is_dir() {
        return Err(eyre!(
            "{session} is a folder: give one session (an id, or a .ron or .journal file)\n  hint: `shadowmap report {session}` reads every session of a folder"
        ));
    }
    // `symlink_metadata`: a dangling link or a special file is still the user's file, to be
    // refused with its reason, not looked up as an id.
    let loaded = if path.symlink_metadata().is_ok() {
        DataDir::load_path(path)
    } else {
        DataDir::resolve(data_dir.map(PathBuf::from))
            .wrap_err("opening the data folder")?
            .load(session)
    };
    loaded.wrap_err_with(|| format!("loading session `{session}`"))
}

/// The lines to tell about a loaded session (`note:` or `warning:` first).
pub fn notes(loaded: &LoadedSession) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(report) = loaded.recovery.as_ref().filter(|r| !r.is_clean()) {
        notes.push(format!("note: {report}"));
    }
    if let Some(after) = AfterFinish::of(&loaded.path, &loaded.session) {
        notes.push(after.warning());
    }
    notes
}

/// Tells about a session read with events after its finish, as [`load_session`] does (`redact`:
/// its path masked, `--redact`). The report-like commands call it once per file.
pub fn warn_after_finish(after: &AfterFinish, redact: bool) {
    let mut after = after.clone();
    if redact {
        after.redact(&shadowmap::report::render::mask);
    }
    eprintln!("{}", shadowmap::text::Escaped(after.warning()));
}

/// Tells about a file a many-session command skipped, as `report` does (`redact`: its path and
/// the error masked, `--redact`: a file name or an error that quotes one may hold an
/// identifier).
pub fn warn_skipped(path: PathBuf, error: String, redact: bool) {
    let mut skipped = Skipped { path, error };
    if redact {
        skipped.redact(&shadowmap::report::render::mask);
    }
    print_skipped(&skipped);
}

/// The one form of the skipped-file warning (already masked when the command redacts).
pub fn print_skipped(skipped: &Skipped) {
    print_skipped_file(&skipped.path, &skipped.error);
}

/// [`print_skipped`] for commands that keep a path and an error apart (they do not redact).
pub fn print_skipped_file(path: &Path, error: &str) {
    eprintln!(
        "warning: skipped {}: {}",
        shadowmap::text::Escaped(path.display()),
        shadowmap::text::Escaped(error)
    );
}
