//! Several files of the data folder written as one: after a kill or a power cut at any
//! moment, the folder holds either none of them or all of them (once [`recover`] has run,
//! which opening the data folder does).
//!
//! How (a small redo log, the way databases commit):
//! 1. every file is written beside its target as `.<name>.staged` and synced, and the folders
//!    holding them are synced;
//! 2. the list of (staged, target) pairs is written to `batch.commit.tmp`, synced, and renamed
//!    to `batch.commit` in the data folder, which is synced: **the commit point**;
//! 3. each staged file is renamed over its target, the folders are synced;
//! 4. `batch.commit` is removed and the data folder synced.
//!
//! [`recover`] finishes a batch whose `batch.commit` exists (renaming the staged files still
//! there) and otherwise removes staged files left by a batch cut short before its commit point.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

use super::Io;

/// The commit record of a batch, in the data folder.
pub const COMMIT_FILE: &str = "batch.commit";
const COMMIT_TEMP: &str = "batch.commit.tmp";
const STAGED_SUFFIX: &str = ".staged";

/// One file of a batch: where it goes (a path inside the data folder) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFile {
    pub target: PathBuf,
    pub bytes: Vec<u8>,
}

/// What [`recover`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchRecovery {
    /// Files a committed batch had not yet put in place, now in place.
    pub finished: usize,
    /// Staged files of a batch cut short before its commit point, now removed.
    pub discarded: usize,
}

fn staged_path(target: &Path) -> io::Result<PathBuf> {
    let name = target.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file path", target.display()),
        )
    })?;
    Ok(target.with_file_name(format!(".{}{STAGED_SUFFIX}", name.to_string_lossy())))
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Writes `files` into the data folder at `root` as one: all or none, across a crash.
/// Targets that exist are replaced (the caller decides whether that is allowed). Finishes or
/// discards an earlier batch first.
pub fn commit(io: &dyn Io, root: &Path, files: &[BatchFile]) -> io::Result<()> {
    let folders: BTreeSet<PathBuf> = files.iter().map(|f| parent_of(&f.target)).collect();
    let look_in: Vec<&Path> = folders.iter().map(PathBuf::as_path).collect();
    recover(io, root, &look_in)?;
    if files.is_empty() {
        return Ok(());
    }
    let mut record = String::new();
    for file in files {
        let staged = staged_path(&file.target)?;
        let mut out = io.create_truncate(&staged)?;
        out.write_all(&file.bytes)?;
        out.sync_data()?;
        // One pair a line; the paths are the store's own (file-name-safe ids), never a tab
        // or a line break.
        let _ = writeln!(record, "{}\t{}", staged.display(), file.target.display());
    }
    for folder in &folders {
        io.sync_dir(folder)?;
    }
    let temp = root.join(COMMIT_TEMP);
    let mut out = io.create_truncate(&temp)?;
    out.write_all(record.as_bytes())?;
    out.sync_data()?;
    drop(out);
    io.rename(&temp, &root.join(COMMIT_FILE))?;
    io.sync_dir(root)?;
    // Committed: from here on a crash is finished by `recover`.
    recover(io, root, &look_in)?;
    Ok(())
}

/// Finishes a committed batch or discards one cut short. `also_look_in` lists folders
/// (besides `root`) where staged files of an uncommitted batch may lie.
pub fn recover(io: &dyn Io, root: &Path, also_look_in: &[&Path]) -> io::Result<BatchRecovery> {
    let mut outcome = BatchRecovery::default();
    let commit_path = root.join(COMMIT_FILE);
    if io.exists(&commit_path)? {
        let record = io.read(&commit_path)?;
        let record = String::from_utf8_lossy(&record);
        let mut folders: BTreeSet<PathBuf> = BTreeSet::new();
        for line in record.lines() {
            let Some((staged, target)) = line.split_once('\t') else {
                continue;
            };
            let (staged, target) = (Path::new(staged), Path::new(target));
            if io.exists(staged)? {
                io.rename(staged, target)?;
                outcome.finished += 1;
                folders.insert(parent_of(target));
            }
        }
        for folder in &folders {
            io.sync_dir(folder)?;
        }
        io.remove(&commit_path)?;
        io.sync_dir(root)?;
        return Ok(outcome);
    }
    let temp = root.join(COMMIT_TEMP);
    let mut removed_in_root = false;
    if io.exists(&temp)? {
        io.remove(&temp)?;
        removed_in_root = true;
    }
    let mut folders: Vec<&Path> = vec![root];
    folders.extend(also_look_in.iter().filter(|f| **f != root));
    for folder in folders {
        if !io.exists(folder)? {
            continue;
        }
        let mut removed = false;
        for name in io.read_dir(folder)? {
            if name.starts_with('.') && name.ends_with(STAGED_SUFFIX) {
                io.remove(&folder.join(&name))?;
                outcome.discarded += 1;
                removed = true;
            }
        }
        if removed || (removed_in_root && folder == root) {
            io.sync_dir(folder)?;
        }
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sim::SimIo;

    fn files(root: &Path) -> Vec<BatchFile> {
        vec![
            BatchFile {
                target: root.join("sessions/a.ron"),
                bytes: b"A".repeat(100),
            },
            BatchFile {
                target: root.join("sessions/b.ron"),
                bytes: b"B".repeat(50),
            },
            BatchFile {
                target: root.join("overrides.ron"),
                bytes: b"new overrides".to_vec(),
            },
        ]
    }

    #[test]
    fn a_batch_lands_whole() {
        let io = SimIo::new();
        let root = Path::new("/data");
        io.put_file(&root.join("overrides.ron"), b"old overrides");
        io.put_file(&root.join("sessions/x.ron"), b"X");
        commit(&io, root, &files(root)).unwrap();
        assert_eq!(
            io.contents(&root.join("sessions/a.ron")).unwrap(),
            b"A".repeat(100)
        );
        assert_eq!(
            io.contents(&root.join("overrides.ron")).unwrap(),
            b"new overrides"
        );
        let mut names = io.read_dir(&root.join("sessions")).unwrap();
        names.sort();
        assert_eq!(names, ["a.ron", "b.ron", "x.ron"]);
        assert!(!io.exists(&root.join(COMMIT_FILE)).unwrap());
    }

    /// A power cut at every operation of the batch, with several ways the unsynced changes
    /// may reach the disk: after recovery the folder is as before or complete, never between.
    #[test]
    fn a_power_cut_anywhere_leaves_none_or_all() {
        let root = Path::new("/data");
        let fresh = || {
            let io = SimIo::new();
            io.put_file(&root.join("overrides.ron"), b"old overrides");
            io.put_file(&root.join("sessions/x.ron"), b"X");
            io
        };
        let total = {
            let io = fresh();
            commit(&io, root, &files(root)).unwrap();
            io.ops()
        };
        let (mut before, mut after) = (0, 0);
        for crash in 0..=total {
            for seed in 0..8 {
                let io = fresh();
                io.crash_at(crash);
                let _ = commit(&io, root, &files(root));
                let disk = io.power_loss(seed * 1000 + crash);
                recover(&disk, root, &[&root.join("sessions")]).unwrap();
                let mut names = disk.read_dir(&root.join("sessions")).unwrap();
                names.sort();
                let overrides = disk.contents(&root.join("overrides.ron")).unwrap();
                if names == ["x.ron"] {
                    assert_eq!(overrides, b"old overrides", "crash at {crash}");
                    before += 1;
                } else {
                    assert_eq!(names, ["a.ron", "b.ron", "x.ron"], "crash at {crash}");
                    assert_eq!(overrides, b"new overrides", "crash at {crash}");
                    assert_eq!(
                        disk.contents(&root.join("sessions/a.ron")).unwrap(),
                        b"A".repeat(100)
                    );
                    assert_eq!(
                        disk.contents(&root.join("sessions/b.ron")).unwrap(),
                        b"B".repeat(50)
                    );
                    after += 1;
                }
                let root_names = disk.read_dir(root).unwrap();
                assert!(
                    !root_names.iter().any(|n| n.starts_with("batch.commit")),
                    "{root_names:?}"
                );
            }
        }
        // Both outcomes happen: the loop really crosses the commit point.
        assert!(before > 0 && after > 0, "before {before}, after {after}");
    }
}
