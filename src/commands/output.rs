//! `--out FILE` of `report` and `export`: never over what the command reads or what the data
//! folder holds. Refused: an input of the command, a session file (by its content, or any
//! `.ron` in the data folder's `sessions/` or in a folder the report reads), a journal, a lock
//! or a temporary snapshot, and `overrides.ron`. Symlinks and `..` are resolved first, so
//! another spelling of the same file is caught.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Component, Path, PathBuf};

use color_eyre::eyre::{WrapErr, eyre};
use shadowmap::report::OVERRIDES_FILE;
use shadowmap::store::{DataDir, SESSIONS_FOLDER, is_store_file_name, journal};

/// What an output may not replace.
#[derive(Debug, Default)]
pub struct Protected {
    /// Files the command reads, resolved, and what they are to the user.
    files: Vec<(PathBuf, &'static str)>,
    /// Folders whose `.ron` files are read as sessions, resolved.
    folders: Vec<PathBuf>,
}

impl Protected {
    /// Starts with the data folder's `sessions/` (located, never created).
    pub fn new(data_dir: Option<&Path>) -> Protected {
        let mut protected = Protected::default();
        if let Ok(root) = DataDir::locate(data_dir.map(Path::to_path_buf)) {
            protected.folder(&root.join(SESSIONS_FOLDER));
        }
        protected
    }

    /// A file the command reads; `what` names it in the refusal ("the session being
    /// exported").
    pub fn file(&mut self, path: &Path, what: &'static str) {
        self.files.push((resolve(path), what));
    }

    /// A folder whose `.ron` files the command reads as sessions.
    pub fn folder(&mut self, path: &Path) {
        self.folders.push(resolve(path));
    }

    /// Why `out` may not be written, if it may not.
    pub fn check(&self, out: &Path) -> color_eyre::Result<()> {
        let resolved = resolve(out);
        let name = resolved
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let input = self.files.iter().find(|(f, _)| *f == resolved);
        let why = if let Some((_, what)) = input {
            Some(*what)
        } else if name == OVERRIDES_FILE {
            Some("an overrides file of the report")
        } else if is_store_file_name(&name) {
            Some("a session's journal (or its lock or temporary file)")
        } else if is_session_file(&resolved) {
            Some("a session file")
        } else if name.ends_with(".ron")
            && resolved
                .parent()
                .is_some_and(|dir| self.folders.iter().any(|f| f == dir))
        {
            Some("a file in a folder of session files, where it would be read as a session")
        } else {
            None
        };
        match why {
            Some(why) => {
                let shown = if resolved == out {
                    String::new()
                } else {
                    format!(" ({})", resolved.display())
                };
                Err(eyre!(
                    "{}{shown}: --out names {why}; not written\n  hint: choose another file for the output",
                    out.display()
                ))
            }
            None => Ok(()),
        }
    }
}

/// `path` with symlinks and `..` resolved, also when it does not exist yet (its folder is
/// resolved, and a dangling symlink followed to where it points).
fn resolve(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        if let Ok(real) = path.canonicalize() {
            return real;
        }
        match fs::read_link(&path) {
            Ok(target) => {
                path = parent_of(&path).join(target);
            }
            Err(_) => break,
        }
    }
    let name = path.file_name().map(Path::new);
    let parent = parent_of(&path);
    match (parent.canonicalize(), name) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => lexically_normal(&path),
    }
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `a/./b/../c` as `a/c`, for a path whose folder does not exist.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A regular file that begins like a session file or a journal.
fn is_session_file(path: &Path) -> bool {
    if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(4096);
    let read = fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    if head.starts_with(journal::MAGIC) {
        return true;
    }
    let text = String::from_utf8_lossy(&head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("Session(") || (text.starts_with('(') && text.contains("header"))
}

/// Standard output, or `out`: written to a temporary file beside it (0600, as it may hold
/// notes about patients), synced, then renamed over it, so a reader never sees half an
/// output and a file that was readable by others before is owner-only after. `out` is
/// checked against `protected` first.
pub fn write_output(
    out: Option<&Path>,
    protected: &Protected,
    text: impl AsRef<[u8]>,
) -> color_eyre::Result<()> {
    let text = text.as_ref();
    let Some(out) = out else {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(text)?;
        return Ok(stdout.flush()?);
    };
    protected.check(out)?;
    let parent = parent_of(out);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_and_missing_folders_resolve_lexically() {
        assert_eq!(
            lexically_normal(Path::new("/no/such/./a/../b.ron")),
            PathBuf::from("/no/such/b.ron")
        );
    }
}
