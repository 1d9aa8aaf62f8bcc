//! Every file operation of the store goes through [`Io`], so a test can put a simulated disk
//! underneath (`store::sim`) that loses unsynced writes at a chosen crash point.
//!
//! [`RealIo`] is the one used by the program: files are created 0600 and folders 0700, set
//! explicitly after creation so a permissive umask changes nothing.

use std::fmt;
use std::fs::{self, DirBuilder, File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Files the store creates: readable and writable by their owner only (docs/reference.md section 8).
pub const FILE_MODE: u32 = 0o600;
/// Folders the store creates: open to their owner only.
pub const DIR_MODE: u32 = 0o700;

/// The file operations the store needs, and nothing more.
pub trait Io: Send + Sync + fmt::Debug {
    /// Creates one folder, 0700 (its parent must exist). Not durable until its parent is
    /// synced with [`Io::sync_dir`].
    fn create_dir(&self, path: &Path) -> io::Result<()>;
    /// Whether a folder exists at this path.
    fn is_dir(&self, path: &Path) -> io::Result<bool>;
    /// Creates a new file for appending (an error if it exists), 0600.
    fn create_new(&self, path: &Path) -> io::Result<Box<dyn IoFile>>;
    /// Creates a file or empties an existing one, 0600 (temporary snapshot files).
    fn create_truncate(&self, path: &Path) -> io::Result<Box<dyn IoFile>>;
    /// The whole content of a regular file of at most
    /// [`MAX_SESSION_FILE_BYTES`](crate::model::session::MAX_SESSION_FILE_BYTES); anything
    /// else (a FIFO, a device, a larger file) is an error, never a wait.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Whether something exists at this path.
    fn exists(&self, path: &Path) -> io::Result<bool>;
    /// The names of the entries of a folder, in no particular order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>>;
    /// Renames `from` over `to` (atomic on one file system).
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn remove(&self, path: &Path) -> io::Result<()>;
    /// Makes the folder's entries (creates, renames, removes) durable.
    fn sync_dir(&self, path: &Path) -> io::Result<()>;
    /// Takes the exclusive lock of a lock file, creating it (0600). `Ok(None)` when another
    /// holder has it. Dropping the guard removes the lock file and releases the lock.
    fn try_lock(&self, path: &Path) -> io::Result<Option<Box<dyn LockGuard>>>;
}

/// Creates `path` and its missing parents (0700 each), syncing each new folder's parent so
/// the new entry survives a power cut (`create_dir_all` alone leaves them in the page cache).
pub fn create_dirs_durably(io: &dyn Io, path: &Path) -> io::Result<()> {
    if io.is_dir(path)? {
        return Ok(());
    }
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent {
        create_dirs_durably(io, parent)?;
    }
    match io.create_dir(path) {
        Ok(()) => {}
        // Made meanwhile by someone else: theirs to sync.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && io.is_dir(path)? => return Ok(()),
        Err(e) => return Err(e),
    }
    io.sync_dir(parent.unwrap_or(Path::new(".")))
}

/// A file open for appending.
pub trait IoFile: Send + fmt::Debug {
    /// Appends all of `data` (one write call where the platform allows it).
    fn write_all(&mut self, data: &[u8]) -> io::Result<()>;
    /// fdatasync: the data written so far is on the disk when this returns `Ok`.
    fn sync_data(&mut self) -> io::Result<()>;
}

/// Held while a writer owns a session; released on drop.
pub trait LockGuard: Send + fmt::Debug {}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealIo;

#[derive(Debug)]
struct RealFile(File);

impl IoFile for RealFile {
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        self.0.write_all(data)
    }

    fn sync_data(&mut self) -> io::Result<()> {
        self.0.sync_data()
    }
}

#[derive(Debug)]
struct RealLock {
    file: File,
    path: PathBuf,
}

impl LockGuard for RealLock {}

impl Drop for RealLock {
    fn drop(&mut self) {
        // Removed while still locked, so a waiting writer that opened the old file sees
        // that it is gone (the inode check in `try_lock`) and takes a fresh one.
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

fn owner_only(file: File) -> io::Result<File> {
    file.set_permissions(Permissions::from_mode(FILE_MODE))?;
    Ok(file)
}

impl Io for RealIo {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        DirBuilder::new().mode(DIR_MODE).create(path)?;
        fs::set_permissions(path, Permissions::from_mode(DIR_MODE))
    }

    fn is_dir(&self, path: &Path) -> io::Result<bool> {
        match fs::metadata(path) {
            Ok(meta) => Ok(meta.is_dir()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn create_new(&self, path: &Path) -> io::Result<Box<dyn IoFile>> {
        let file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .mode(FILE_MODE)
            .open(path)?;
        Ok(Box::new(RealFile(owner_only(file)?)))
    }

    fn create_truncate(&self, path: &Path) -> io::Result<Box<dyn IoFile>> {
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(FILE_MODE)
            .open(path)?;
        Ok(Box::new(RealFile(owner_only(file)?)))
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        crate::model::session::read_regular_file(
            path,
            crate::model::session::MAX_SESSION_FILE_BYTES,
        )
    }

    fn exists(&self, path: &Path) -> io::Result<bool> {
        path.try_exists()
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(path)? {
            if let Ok(name) = entry?.file_name().into_string() {
                names.push(name);
            }
        }
        Ok(names)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        File::open(path)?.sync_all()
    }

    fn try_lock(&self, path: &Path) -> io::Result<Option<Box<dyn LockGuard>>> {
        for _ in 0..16 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(FILE_MODE)
                .open(path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Ok(None),
                Err(fs::TryLockError::Error(e)) => return Err(e),
            }
            // The previous holder removes the file on release: make sure we locked the file
            // that is at the path now, not one it just removed.
            let held = file.metadata()?;
            match fs::metadata(path) {
                Ok(now) if now.ino() == held.ino() && now.dev() == held.dev() => {
                    let file = owner_only(file)?;
                    return Ok(Some(Box::new(RealLock {
                        file,
                        path: path.to_path_buf(),
                    })));
                }
                _ => continue,
            }
        }
        Err(io::Error::other("the lock file keeps being replaced"))
    }
}
