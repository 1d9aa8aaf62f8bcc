//! A simulated disk for crash tests, in the manner of SQLite's crash tests.
//!
//! Writes land in a page cache ("current") and become durable only at `sync_data`; creates,
//! renames and removes become durable only at `sync_dir` of their folder. Every operation is
//! counted; at the crash point ([`SimIo::crash_at`]) it and every later one fails, and
//! [`SimIo::power_loss`] builds the disk a reboot would find: the durable state plus a random
//! subset of the unsynced writes (the last one possibly torn or zero-filled, skipped ones
//! leaving zero-filled holes) and a random prefix of the unsynced folder changes (often none:
//! unsynced creates and renames dropped). Faults (a full disk, a failing sync) can be injected.
//!
//! Folders themselves are always durable; locks vanish at a power loss.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use super::io::{Io, IoFile, LockGuard};

/// A small deterministic random generator (splitmix64). The library keeps its own rather than
/// use `fastrand`: the simulated disk is part of the normal build (the store's crash tests
/// drive it through the public API), and a dependency for a dozen lines is not worth it.
#[derive(Debug, Clone)]
pub struct SimRng(u64);

impl SimRng {
    pub fn new(seed: u64) -> SimRng {
        SimRng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// A generator whose internal state is `state` as it is (`new` mixes the seed first):
    /// the committed agreement sample pairs were drawn from it this way.
    pub fn with_state(state: u64) -> SimRng {
        SimRng(state)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: u64) -> bool {
        self.next_u64().is_multiple_of(one_in.max(1))
    }
}

#[derive(Debug, Clone, Default)]
struct Inode {
    durable: Vec<u8>,
    current: Vec<u8>,
    /// Unsynced writes: (offset, data), in the order they were made.
    pending: Vec<(usize, Vec<u8>)>,
}

#[derive(Debug, Clone)]
enum NsOp {
    /// A new folder: like a file's entry, it is lost unless its parent is synced.
    MkDir {
        path: PathBuf,
    },
    Link {
        path: PathBuf,
        ino: usize,
    },
    Unlink {
        path: PathBuf,
    },
    Rename {
        from: PathBuf,
        to: PathBuf,
    },
}

impl NsOp {
    fn touches(&self, dir: &Path) -> bool {
        match self {
            NsOp::MkDir { path } | NsOp::Link { path, .. } | NsOp::Unlink { path } => {
                path.parent() == Some(dir)
            }
            NsOp::Rename { from, to } => from.parent() == Some(dir) || to.parent() == Some(dir),
        }
    }

    fn apply(&self, ns: &mut BTreeMap<PathBuf, usize>, dirs: &mut BTreeSet<PathBuf>) {
        match self {
            NsOp::MkDir { path } => {
                dirs.insert(path.clone());
            }
            NsOp::Link { path, ino } => {
                ns.insert(path.clone(), *ino);
            }
            NsOp::Unlink { path } => {
                ns.remove(path);
            }
            NsOp::Rename { from, to } => {
                if let Some(ino) = ns.remove(from) {
                    ns.insert(to.clone(), ino);
                }
            }
        }
    }
}

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Every write and file create fails with this kind (e.g. `StorageFull`) until cleared;
    /// a failing write may leave a part of its data in the page cache.
    Writes(io::ErrorKind),
    /// The next `sync_data` fails with this kind, and the writes it should have made durable
    /// are lost from the disk while the page cache still shows them (as Linux does).
    NextSync(io::ErrorKind),
}

#[derive(Debug, Default)]
struct State {
    inodes: Vec<Inode>,
    current: BTreeMap<PathBuf, usize>,
    durable: BTreeMap<PathBuf, usize>,
    pending_ns: Vec<NsOp>,
    dirs: BTreeSet<PathBuf>,
    durable_dirs: BTreeSet<PathBuf>,
    locks: BTreeSet<PathBuf>,
    ops: u64,
    crash_at: Option<u64>,
    crashed: bool,
    faults: Vec<Fault>,
    rng: Option<SimRng>,
}

fn crashed_error() -> io::Error {
    io::Error::other("simulated power loss")
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{}: no such file", path.display()),
    )
}

impl State {
    /// Counts one operation; fails it (and every later one) at the crash point.
    fn begin(&mut self) -> io::Result<()> {
        if self.crashed {
            return Err(crashed_error());
        }
        let op = self.ops;
        self.ops += 1;
        if self.crash_at == Some(op) {
            self.crashed = true;
            return Err(crashed_error());
        }
        Ok(())
    }

    fn write_fault(&self) -> Option<io::ErrorKind> {
        self.faults.iter().find_map(|f| match f {
            Fault::Writes(kind) => Some(*kind),
            Fault::NextSync(_) => None,
        })
    }

    fn rng(&mut self) -> &mut SimRng {
        self.rng.get_or_insert_with(|| SimRng::new(7))
    }

    fn new_inode(&mut self) -> usize {
        self.inodes.push(Inode::default());
        self.inodes.len() - 1
    }

    fn link(&mut self, path: &Path, ino: usize) {
        self.current.insert(path.to_path_buf(), ino);
        self.pending_ns.push(NsOp::Link {
            path: path.to_path_buf(),
            ino,
        });
    }

    /// The root folder always exists.
    fn is_dir(&self, path: &Path) -> bool {
        path.parent().is_none() || self.dirs.contains(path)
    }

    fn check_parent(&self, path: &Path) -> io::Result<()> {
        match path.parent() {
            Some(parent) if self.is_dir(parent) => Ok(()),
            _ => Err(not_found(path)),
        }
    }
}

fn write_at(bytes: &mut Vec<u8>, offset: usize, data: &[u8]) {
    if bytes.len() < offset + data.len() {
        bytes.resize(offset + data.len(), 0);
    }
    bytes[offset..offset + data.len()].copy_from_slice(data);
}

/// The simulated disk. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct SimIo {
    state: Arc<Mutex<State>>,
}

impl SimIo {
    pub fn new() -> SimIo {
        SimIo::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The number of operations made so far.
    pub fn ops(&self) -> u64 {
        self.lock().ops
    }

    /// Operation number `op` (counted from 0 since this disk was made) and every later one
    /// fail as if the power went out.
    pub fn crash_at(&self, op: u64) {
        self.lock().crash_at = Some(op);
    }

    pub fn has_crashed(&self) -> bool {
        self.lock().crashed
    }

    /// Seeds the generator used for partial writes of failing operations.
    pub fn seed(&self, seed: u64) {
        self.lock().rng = Some(SimRng::new(seed));
    }

    pub fn inject(&self, fault: Fault) {
        self.lock().faults.push(fault);
    }

    /// Removes every injected fault (space was freed).
    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// What a reader sees now (the page cache), or `None` when the file does not exist.
    pub fn contents(&self, path: &Path) -> Option<Vec<u8>> {
        let st = self.lock();
        st.current
            .get(path)
            .map(|&ino| st.inodes[ino].current.clone())
    }

    /// Puts a durable file on the disk (its folder is created), outside the operation count.
    pub fn put_file(&self, path: &Path, bytes: &[u8]) {
        let mut st = self.lock();
        if let Some(parent) = path.parent() {
            for dir in parent.ancestors() {
                st.dirs.insert(dir.to_path_buf());
                st.durable_dirs.insert(dir.to_path_buf());
            }
        }
        let ino = st.new_inode();
        st.inodes[ino].durable = bytes.to_vec();
        st.inodes[ino].current = bytes.to_vec();
        st.current.insert(path.to_path_buf(), ino);
        st.durable.insert(path.to_path_buf(), ino);
    }

    /// The disk after a power cut at this moment, as a fresh `SimIo` (no locks, no faults,
    /// no crash point). `seed` chooses which unsynced changes made it.
    pub fn power_loss(&self, seed: u64) -> SimIo {
        let st = self.lock();
        let mut rng = SimRng::new(seed);
        let mut ns = st.durable.clone();
        // Folder changes reach the disk in order; most often none of the unsynced ones do.
        let keep = if rng.chance(2) {
            0
        } else {
            rng.below(st.pending_ns.len() + 1)
        };
        let mut dirs = st.durable_dirs.clone();
        for op in &st.pending_ns[..keep] {
            op.apply(&mut ns, &mut dirs);
        }
        // An entry whose folder did not reach the disk is gone with it (parents sort first).
        let listed: Vec<PathBuf> = dirs.iter().cloned().collect();
        for dir in listed {
            if dir
                .parent()
                .is_some_and(|p| p.parent().is_some() && !dirs.contains(p))
            {
                dirs.remove(&dir);
            }
        }
        ns.retain(|path, _| {
            path.parent()
                .is_some_and(|p| p.parent().is_none() || dirs.contains(p))
        });
        let mut inodes = Vec::with_capacity(st.inodes.len());
        for inode in &st.inodes {
            let mut bytes = inode.durable.clone();
            let n = inode.pending.len();
            for (i, (offset, data)) in inode.pending.iter().enumerate() {
                if !rng.chance(2) {
                    continue; // this write did not reach the disk (a hole if a later one did)
                }
                if i + 1 == n {
                    match rng.below(3) {
                        0 => write_at(&mut bytes, *offset, data),
                        1 => {
                            let torn = rng.below(data.len().max(1));
                            write_at(&mut bytes, *offset, &data[..torn.min(data.len())]);
                        }
                        _ => write_at(&mut bytes, *offset, &vec![0; data.len()]),
                    }
                } else {
                    write_at(&mut bytes, *offset, data);
                }
            }
            inodes.push(Inode {
                durable: bytes.clone(),
                current: bytes,
                pending: Vec::new(),
            });
        }
        SimIo {
            state: Arc::new(Mutex::new(State {
                inodes,
                current: ns.clone(),
                durable: ns,
                dirs: dirs.clone(),
                durable_dirs: dirs,
                ..State::default()
            })),
        }
    }

    fn open_file(&self, path: &Path, must_be_new: bool) -> io::Result<Box<dyn IoFile>> {
        let mut st = self.lock();
        st.begin()?;
        st.check_parent(path)?;
        if let Some(kind) = st.write_fault() {
            return Err(io::Error::new(kind, "simulated fault"));
        }
        if must_be_new && st.current.contains_key(path) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{}: file exists", path.display()),
            ));
        }
        let ino = st.new_inode();
        st.link(path, ino);
        Ok(Box::new(SimFile {
            state: Arc::clone(&self.state),
            ino,
        }))
    }
}

#[derive(Debug)]
struct SimFile {
    state: Arc<Mutex<State>>,
    ino: usize,
}

impl IoFile for SimFile {
    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        let mut st = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        st.begin()?;
        let offset = st.inodes[self.ino].current.len();
        if let Some(kind) = st.write_fault() {
            // A failing write may still have put part (never all) of its data in the cache.
            let part = st.rng().below(data.len());
            if part > 0 {
                let inode = &mut st.inodes[self.ino];
                inode.current.extend_from_slice(&data[..part]);
                inode.pending.push((offset, data[..part].to_vec()));
            }
            return Err(io::Error::new(kind, "simulated fault"));
        }
        let inode = &mut st.inodes[self.ino];
        inode.current.extend_from_slice(data);
        inode.pending.push((offset, data.to_vec()));
        Ok(())
    }

    fn sync_data(&mut self) -> io::Result<()> {
        let mut st = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        st.begin()?;
        if let Some(i) = st
            .faults
            .iter()
            .position(|f| matches!(f, Fault::NextSync(_)))
        {
            let Fault::NextSync(kind) = st.faults.remove(i) else {
                unreachable!()
            };
            // The kernel marks the failed pages clean: the data is gone from the disk but a
            // reader of the cache still sees it.
            st.inodes[self.ino].pending.clear();
            return Err(io::Error::new(kind, "simulated sync failure"));
        }
        let inode = &mut st.inodes[self.ino];
        for (offset, data) in std::mem::take(&mut inode.pending) {
            write_at(&mut inode.durable, offset, &data);
        }
        Ok(())
    }
}

#[derive(Debug)]
struct SimLock {
    state: Arc<Mutex<State>>,
    path: PathBuf,
}

impl LockGuard for SimLock {}

impl Drop for SimLock {
    fn drop(&mut self) {
        let mut st = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        st.locks.remove(&self.path);
        if !st.crashed && st.current.remove(&self.path).is_some() {
            st.pending_ns.push(NsOp::Unlink {
                path: self.path.clone(),
            });
        }
    }
}

impl fmt::Display for SimIo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.lock();
        for (path, ino) in &st.current {
            writeln!(
                f,
                "{} ({} bytes, {} durable)",
                path.display(),
                st.inodes[*ino].current.len(),
                st.inodes[*ino].durable.len()
            )?;
        }
        Ok(())
    }
}

impl Io for SimIo {
    fn create_dir(&self, path: &Path) -> io::Result<()> {
        let mut st = self.lock();
        st.begin()?;
        st.check_parent(path)?;
        if st.is_dir(path) || st.current.contains_key(path) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{}: exists", path.display()),
            ));
        }
        st.dirs.insert(path.to_path_buf());
        st.pending_ns.push(NsOp::MkDir {
            path: path.to_path_buf(),
        });
        Ok(())
    }

    fn is_dir(&self, path: &Path) -> io::Result<bool> {
        let mut st = self.lock();
        st.begin()?;
        Ok(st.is_dir(path))
    }

    fn create_new(&self, path: &Path) -> io::Result<Box<dyn IoFile>> {
        self.open_file(path, true)
    }

    fn create_truncate(&self, path: &Path) -> io::Result<Box<dyn IoFile>> {
        self.open_file(path, false)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let mut st = self.lock();
        st.begin()?;
        match st.current.get(path) {
            Some(&ino) => Ok(st.inodes[ino].current.clone()),
            None => Err(not_found(path)),
        }
    }

    fn exists(&self, path: &Path) -> io::Result<bool> {
        let mut st = self.lock();
        st.begin()?;
        Ok(st.current.contains_key(path) || st.is_dir(path))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<String>> {
        let mut st = self.lock();
        st.begin()?;
        if !st.is_dir(path) {
            return Err(not_found(path));
        }
        let names = st
            .current
            .keys()
            .chain(st.dirs.iter())
            .filter(|p| p.parent() == Some(path))
            .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
            .collect();
        Ok(names)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        let mut st = self.lock();
        st.begin()?;
        st.check_parent(to)?;
        let Some(ino) = st.current.remove(from) else {
            return Err(not_found(from));
        };
        st.current.insert(to.to_path_buf(), ino);
        st.pending_ns.push(NsOp::Rename {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
        });
        Ok(())
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        let mut st = self.lock();
        st.begin()?;
        if st.current.remove(path).is_none() {
            return Err(not_found(path));
        }
        st.pending_ns.push(NsOp::Unlink {
            path: path.to_path_buf(),
        });
        Ok(())
    }

    fn sync_dir(&self, path: &Path) -> io::Result<()> {
        let mut st = self.lock();
        st.begin()?;
        if !st.is_dir(path) {
            return Err(not_found(path));
        }
        let pending = std::mem::take(&mut st.pending_ns);
        let (now, later): (Vec<NsOp>, Vec<NsOp>) =
            pending.into_iter().partition(|op| op.touches(path));
        let State {
            durable,
            durable_dirs,
            ..
        } = &mut *st;
        for op in &now {
            op.apply(durable, durable_dirs);
        }
        st.pending_ns = later;
        Ok(())
    }

    fn try_lock(&self, path: &Path) -> io::Result<Option<Box<dyn LockGuard>>> {
        let mut st = self.lock();
        st.begin()?;
        st.check_parent(path)?;
        if st.locks.contains(path) {
            return Ok(None);
        }
        if !st.current.contains_key(path) {
            let ino = st.new_inode();
            st.link(path, ino);
        }
        st.locks.insert(path.to_path_buf());
        Ok(Some(Box::new(SimLock {
            state: Arc::clone(&self.state),
            path: path.to_path_buf(),
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsynced_data_and_creates_can_vanish_synced_ones_stay() {
        let sim = SimIo::new();
        let dir = Path::new("/d");
        crate::store::io::create_dirs_durably(&sim, dir).unwrap();
        let mut f = sim.create_new(&dir.join("a")).unwrap();
        f.write_all(b"hello").unwrap();
        f.sync_data().unwrap();
        sim.sync_dir(dir).unwrap();
        f.write_all(b" world").unwrap();
        let mut lost_tail = false;
        for seed in 0..64 {
            let after = sim.power_loss(seed);
            let bytes = after.contents(&dir.join("a")).unwrap();
            assert!(bytes.starts_with(b"hello"), "{bytes:?}");
            lost_tail |= bytes.len() < 11 || &bytes[5..] != b" world";
        }
        assert!(lost_tail, "some power loss must lose the unsynced write");

        let sim = SimIo::new();
        crate::store::io::create_dirs_durably(&sim, dir).unwrap();
        let mut f = sim.create_new(&dir.join("b")).unwrap();
        f.write_all(b"x").unwrap();
        f.sync_data().unwrap();
        let gone = (0..64).any(|seed| sim.power_loss(seed).contents(&dir.join("b")).is_none());
        assert!(gone, "an unsynced create must sometimes be dropped");
    }

    #[test]
    fn crash_point_fails_that_operation_and_every_later_one() {
        let sim = SimIo::new();
        sim.crash_at(1);
        assert!(sim.create_dir(Path::new("/d")).is_ok());
        assert!(sim.exists(Path::new("/d")).is_err());
        assert!(sim.exists(Path::new("/d")).is_err());
        assert!(sim.has_crashed());
    }
}
