//! What can go wrong in the store, said so the user knows which file and what to do.

use std::io;
use std::path::{Path, PathBuf};

use crate::model::{FileError, Seq};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot {action} {}: {error}{}", path.display(), io_hint(error))]
    Io {
        action: String,
        path: PathBuf,
        error: io::Error,
    },
    /// A malformed snapshot or session file, with its line and column.
    #[error(transparent)]
    File(#[from] FileError),
    #[error(
        "no data folder: this system has no home folder\n  hint: pass --data-dir DIR or set SHADOWMAP_DATA_DIR"
    )]
    NoDataDir,
    #[error(
        "`{what}` is neither a session in {} nor a file\n  hint: run `shadowmap sessions` to list the sessions, or give a path to a .ron or .journal file",
        dir.display()
    )]
    NotFound { what: String, dir: PathBuf },
    #[error(
        "`{id}` is not a valid session id\n  hint: use letters, digits, '.', '_' and '-' only (not starting with '.')"
    )]
    BadId { id: String },
    #[error(
        "session `{id}` already exists ({})\n  hint: choose another id, or reopen the unfinished session",
        path.display()
    )]
    Exists { id: String, path: PathBuf },
    #[error(
        "session `{id}` is being written by another shadowmap (lock {})\n  hint: finish or close the other capture first",
        lock.display()
    )]
    Locked { id: String, lock: PathBuf },
    #[error(
        "session `{id}` is finished ({}); it cannot be reopened for capture",
        snapshot.display()
    )]
    Finished { id: String, snapshot: PathBuf },
    #[error(
        "{}: the journal holds no complete session header (the session was never started)\n  hint: nothing can be recovered from it; you may delete it",
        path.display()
    )]
    NoHeader { path: PathBuf },
    /// The loud one: an event was not saved. The writer stops using this journal segment.
    #[error(
        "EVENT {seq} WAS NOT SAVED: {stage} of {} failed: {error}{}\n  hint: every event before it is on disk; keep the unsaved events and continue in a new journal segment",
        path.display(), io_hint(error)
    )]
    Append {
        seq: Seq,
        stage: &'static str,
        path: PathBuf,
        error: io::Error,
    },
    #[error(
        "the journal {} stopped after a failed write ({why}); nothing more is written to it\n  hint: continue in a new journal segment",
        path.display()
    )]
    Stopped { path: PathBuf, why: String },
    #[error("event numbered {got} cannot follow event {last} in the journal (expected {})", last + 1)]
    OutOfOrder { last: Seq, got: Seq },
    #[error("{0}")]
    Invalid(String),
}

fn io_hint(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
            "\n  hint: the disk is full; free some space"
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            "\n  hint: check the folder's permissions, or choose another with --data-dir"
        }
        io::ErrorKind::IsADirectory => {
            "\n  hint: that is a folder; give a session file (.ron) or a journal (.journal) inside it"
        }
        // What `read_regular_file` refuses: a FIFO, a device, a file over the cap.
        io::ErrorKind::InvalidInput => {
            "\n  hint: shadowmap reads regular files only; this one is skipped (move it out of the sessions folder)"
        }
        io::ErrorKind::FileTooLarge => {
            "\n  hint: this is not a session shadowmap wrote; move it out of the sessions folder"
        }
        _ => "",
    }
}

impl StoreError {
    pub(crate) fn io(action: &str, path: &Path, error: io::Error) -> StoreError {
        StoreError::Io {
            action: action.to_string(),
            path: path.to_path_buf(),
            error,
        }
    }

    /// The underlying I/O error kind, if this is an I/O failure.
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        match self {
            StoreError::Io { error, .. } | StoreError::Append { error, .. } => Some(error.kind()),
            _ => None,
        }
    }
}
