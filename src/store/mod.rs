//! The data folder, the session journal (append + fdatasync, torn-tail recovery) and atomic
//! RON snapshots (docs/reference.md section 9).
//!
//! Layout: `DATA/sessions/<id>.journal` (segment 0), `<id>.journal.<n>` (later segments, see
//! [`SessionWriter::start_new_segment`] and [`SessionWriter::reopen`]), `<id>.ron` (the
//! snapshot written when the session is finished) and `<id>.lock` while a writer holds it.
//! Files are 0600, folders 0700. All file I/O goes through [`Io`], so the crash tests can run
//! the store on a simulated disk ([`sim::SimIo`]).

pub mod batch;
mod error;
pub mod io;
pub mod journal;
pub mod sim;
mod writer;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::StoreError;
pub use io::{Io, IoFile, LockGuard, RealIo};
pub use journal::{DamageKind, SegmentScan, scan_segment};
pub use writer::{SessionWriter, snapshot_text};

pub use crate::model::session::is_valid_id;
use crate::model::{EventKind, FileError, Session, SessionHeader};

/// The name of the folder inside the data folder that holds the sessions.
pub const SESSIONS_FOLDER: &str = "sessions";
const JOURNAL_EXT: &str = ".journal";
const SNAPSHOT_EXT: &str = ".ron";
const LOCK_EXT: &str = ".lock";
const TEMP_EXT: &str = ".tmp";

/// The data folder: where sessions (and later, other files) live.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
    sessions: PathBuf,
    io: Arc<dyn Io>,
}

/// One session found in the data folder.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionEntry {
    pub id: String,
    /// The snapshot of a finished session, else the journal's first segment.
    pub path: PathBuf,
    pub header: SessionHeader,
    pub events: usize,
    /// It has a snapshot: capture finished it.
    pub finished: bool,
    /// It went through recovery: capture was reopened after a crash, or its journal has a
    /// damaged tail or more than one segment.
    pub recovered: bool,
    /// What recovery found, for a session read from its journal.
    pub recovery: Option<RecoveryReport>,
}

/// Everything in the data folder: the sessions, and the files that could not be read.
#[derive(Debug, Default)]
pub struct Listing {
    pub entries: Vec<SessionEntry>,
    pub problems: Vec<StoreError>,
}

/// What [`DataDir::tidy`] did.
#[derive(Debug, Default)]
pub struct Tidied {
    /// Sessions whose journal ended in `Finish` without a snapshot: the id and its events.
    pub completed: Vec<(String, usize)>,
    /// Leftover temporary snapshots removed.
    pub removed: Vec<PathBuf>,
    /// What could not be completed or removed (the files stay as they are).
    pub problems: Vec<StoreError>,
}

/// A session loaded from a snapshot, or recovered from its journal.
#[derive(Debug, Clone)]
pub struct LoadedSession {
    pub session: Session,
    pub path: PathBuf,
    /// `Some` when the session was read from its journal.
    pub recovery: Option<RecoveryReport>,
}

/// Damage recovery found in one journal segment and dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentDamage {
    pub path: PathBuf,
    /// Byte offset of the first dropped byte.
    pub offset: u64,
    /// Bytes dropped (from there to the end of the segment).
    pub bytes: u64,
    pub kind: DamageKind,
}

/// What recovery of a journal kept and dropped. A damaged tail is reported here, never a
/// reason to refuse the session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecoveryReport {
    pub segments: usize,
    /// Records kept in all segments, headers included.
    pub records_kept: usize,
    /// Events of the recovered session.
    pub events: usize,
    pub bytes_dropped: u64,
    pub damage: Vec<SegmentDamage>,
}

impl RecoveryReport {
    /// Nothing was dropped.
    pub fn is_clean(&self) -> bool {
        self.damage.is_empty()
    }

    /// A torn or zero-filled last record was dropped.
    pub fn found_torn_tail(&self) -> bool {
        self.damage
            .iter()
            .any(|d| matches!(d.kind, DamageKind::Torn { .. } | DamageKind::ZeroFilled))
    }
}

impl fmt::Display for RecoveryReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "recovered {} events from {} journal segment{}",
            self.events,
            self.segments,
            if self.segments == 1 { "" } else { "s" }
        )?;
        if self.damage.is_empty() {
            return write!(f, "; nothing damaged");
        }
        write!(f, "; dropped {} damaged bytes", self.bytes_dropped)?;
        for d in &self.damage {
            write!(f, "; {} at byte {}: {}", d.path.display(), d.offset, d.kind)?;
        }
        Ok(())
    }
}

/// Which session and segment a file name in the sessions folder belongs to.
pub(crate) enum SessionFile {
    Snapshot(String),
    Segment(String, u32),
}

pub(crate) fn classify(name: &str) -> Option<SessionFile> {
    if let Some(id) = name.strip_suffix(SNAPSHOT_EXT) {
        return is_valid_id(id).then(|| SessionFile::Snapshot(id.to_string()));
    }
    if let Some(id) = name.strip_suffix(JOURNAL_EXT) {
        return is_valid_id(id).then(|| SessionFile::Segment(id.to_string(), 0));
    }
    let (base, n) = name.rsplit_once('.')?;
    if n.is_empty() || n.len() > 9 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id = base.strip_suffix(JOURNAL_EXT)?;
    let n: u32 = n.parse().ok()?;
    (n > 0 && is_valid_id(id)).then(|| SessionFile::Segment(id.to_string(), n))
}

/// Whether a file name is one the store manages: a journal segment, a lock or a temporary
/// snapshot (a session file, `<id>.ron`, is told by its content or its folder).
pub fn is_store_file_name(name: &str) -> bool {
    matches!(classify(name), Some(SessionFile::Segment(..)))
        || name.ends_with(LOCK_EXT)
        || name.ends_with(TEMP_EXT) && name.contains(SNAPSHOT_EXT)
}

/// The path of segment `n` of the journal whose first segment is `first`.
fn segment_path(first: &Path, n: u32) -> PathBuf {
    if n == 0 {
        first.to_path_buf()
    } else {
        let mut name = first.as_os_str().to_os_string();
        name.push(format!(".{n}"));
        PathBuf::from(name)
    }
}

impl DataDir {
    /// `explicit` (from `--data-dir`), else `SHADOWMAP_DATA_DIR`, else the platform's data
    /// folder (`~/.local/share/shadowmap` on Linux); created 0700 if missing.
    pub fn resolve(explicit: Option<PathBuf>) -> Result<DataDir, StoreError> {
        DataDir::open(DataDir::locate(explicit)?)
    }

    /// Where [`DataDir::resolve`] would open the data folder, without creating it.
    pub fn locate(explicit: Option<PathBuf>) -> Result<PathBuf, StoreError> {
        Ok(match explicit {
            Some(dir) => dir,
            None => match std::env::var_os("SHADOWMAP_DATA_DIR").filter(|v| !v.is_empty()) {
                Some(dir) => PathBuf::from(dir),
                None => directories::ProjectDirs::from("", "", "shadowmap")
                    .map(|dirs| dirs.data_dir().to_path_buf())
                    .ok_or(StoreError::NoDataDir)?,
            },
        })
    }

    /// Opens (creating it 0700 if missing) the data folder at `root`.
    pub fn open(root: impl Into<PathBuf>) -> Result<DataDir, StoreError> {
        DataDir::open_with(root, Arc::new(RealIo))
    }

    /// Opens the data folder through another [`Io`] (the crash tests' simulated disk).
    pub fn open_with(root: impl Into<PathBuf>, io: Arc<dyn Io>) -> Result<DataDir, StoreError> {
        let root = root.into();
        let sessions = root.join(SESSIONS_FOLDER);
        io::create_dirs_durably(&*io, &sessions).map_err(|e| {
            // Making a folder says "File exists" when a file stands where a folder should be.
            if matches!(
                e.kind(),
                std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::NotADirectory
            ) {
                let blocking = [&root, &sessions]
                    .into_iter()
                    .find(|p| p.exists() && !p.is_dir())
                    .unwrap_or(&sessions);
                return StoreError::io(
                    "use the data folder",
                    blocking,
                    std::io::Error::new(
                        e.kind(),
                        "it is a file, not a folder; choose another folder with --data-dir \
                         or SHADOWMAP_DATA_DIR, or move the file away",
                    ),
                );
            }
            StoreError::io("create the data folder", &sessions, e)
        })?;
        // An import cut short by a crash is finished (or its staged files removed) before
        // anything reads the folder.
        batch::recover(io.as_ref(), &root, &[&sessions])
            .map_err(|e| StoreError::io("finish an interrupted import", &root, e))?;
        Ok(DataDir { root, sessions, io })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The folder holding the sessions' files.
    pub fn sessions_dir(&self) -> &Path {
        &self.sessions
    }

    pub fn io(&self) -> &Arc<dyn Io> {
        &self.io
    }

    pub fn journal_path(&self, id: &str) -> PathBuf {
        self.sessions.join(format!("{id}{JOURNAL_EXT}"))
    }

    pub fn snapshot_path(&self, id: &str) -> PathBuf {
        self.sessions.join(format!("{id}{SNAPSHOT_EXT}"))
    }

    pub fn lock_path(&self, id: &str) -> PathBuf {
        self.sessions.join(format!("{id}{LOCK_EXT}"))
    }

    fn temp_path(&self, id: &str) -> PathBuf {
        self.sessions.join(format!("{id}{SNAPSHOT_EXT}{TEMP_EXT}"))
    }

    fn names(&self) -> Result<Vec<String>, StoreError> {
        self.io
            .read_dir(&self.sessions)
            .map_err(|e| StoreError::io("read the sessions folder", &self.sessions, e))
    }

    /// The journal segments of a session, in order.
    pub fn segments(&self, id: &str) -> Result<Vec<(u32, PathBuf)>, StoreError> {
        let mut segments: Vec<(u32, PathBuf)> = self
            .names()?
            .into_iter()
            .filter_map(|name| match classify(&name)? {
                SessionFile::Segment(sid, n) if sid == id => {
                    Some((n, segment_path(&self.journal_path(id), n)))
                }
                _ => None,
            })
            .collect();
        segments.sort();
        Ok(segments)
    }

    /// Every session, newest first, and the files that could not be read.
    pub fn scan(&self) -> Result<Listing, StoreError> {
        #[derive(Default)]
        struct Files {
            snapshot: bool,
            segments: Vec<u32>,
        }
        let mut by_id: BTreeMap<String, Files> = BTreeMap::new();
        for name in self.names()? {
            match classify(&name) {
                Some(SessionFile::Snapshot(id)) => by_id.entry(id).or_default().snapshot = true,
                Some(SessionFile::Segment(id, n)) => by_id.entry(id).or_default().segments.push(n),
                None => {}
            }
        }
        let mut listing = Listing::default();
        for (id, mut files) in by_id {
            let loaded = if files.snapshot {
                self.load_snapshot(&self.snapshot_path(&id))
            } else {
                files.segments.sort();
                let first = self.journal_path(&id);
                let segments: Vec<(u32, PathBuf)> = files
                    .segments
                    .iter()
                    .map(|&n| (n, segment_path(&first, n)))
                    .collect();
                self.recover(&segments)
            };
            match loaded {
                Ok(loaded) => listing.entries.push(entry(id, loaded, files.snapshot)),
                Err(problem) => listing.problems.push(problem),
            }
        }
        listing.entries.sort_by(|a, b| {
            b.header
                .started_at
                .cmp(&a.header.started_at)
                .then_with(|| b.id.cmp(&a.id))
        });
        Ok(listing)
    }

    /// All sessions, newest first (files that cannot be read are left out: see [`scan`]).
    ///
    /// [`scan`]: DataDir::scan
    pub fn list(&self) -> Result<Vec<SessionEntry>, StoreError> {
        Ok(self.scan()?.entries)
    }

    /// Sessions with a journal and no snapshot: capture stopped before finishing them.
    pub fn unfinished(&self) -> Result<Vec<SessionEntry>, StoreError> {
        Ok(self.list()?.into_iter().filter(|e| !e.finished).collect())
    }

    /// Completes what a kill, a power cut or a full disk cut short, for every session no
    /// running shadowmap holds: a journal that ends in `Finish` but has no snapshot gets its
    /// snapshot (it is finished, not offered for continuing), and a leftover temporary
    /// snapshot (`<id>.ron.tmp`) is removed. Capture runs this at its start.
    pub fn tidy(&self) -> Result<Tidied, StoreError> {
        let mut tidied = Tidied::default();
        let names = self.names()?;
        for name in &names {
            let Some(id) = name
                .strip_suffix(TEMP_EXT)
                .and_then(|n| n.strip_suffix(SNAPSHOT_EXT))
                .filter(|id| is_valid_id(id))
            else {
                continue;
            };
            let Ok(_guard) = writer::lock(self, id) else {
                continue; // a writer is finishing it right now
            };
            let temp = self.temp_path(id);
            match self.io.remove(&temp) {
                Ok(()) => tidied.removed.push(temp),
                Err(e) => tidied
                    .problems
                    .push(StoreError::io("remove the leftover", &temp, e)),
            }
        }
        if !tidied.removed.is_empty() {
            self.io
                .sync_dir(&self.sessions)
                .map_err(|e| StoreError::io("sync the folder", &self.sessions, e))?;
        }
        // Sessions with a journal and no snapshot, from the names alone (no session is read
        // that does not need to be).
        let mut snapshots = std::collections::BTreeSet::new();
        let mut journals = std::collections::BTreeSet::new();
        for name in &names {
            match classify(name) {
                Some(SessionFile::Snapshot(id)) => {
                    snapshots.insert(id);
                }
                Some(SessionFile::Segment(id, _)) => {
                    journals.insert(id);
                }
                None => {}
            }
        }
        for id in journals.difference(&snapshots) {
            let ends_in_finish = |loaded: &LoadedSession| {
                loaded.session.header.id == *id
                    && loaded
                        .session
                        .events
                        .last()
                        .is_some_and(|e| matches!(e.kind, EventKind::Finish))
            };
            if !self
                .recover(&self.segments(id)?)
                .is_ok_and(|l| ends_in_finish(&l))
            {
                continue;
            }
            let Ok(_guard) = writer::lock(self, id) else {
                continue; // in use: its writer finishes it
            };
            // Read again under the lock: what is on disk now is what the snapshot holds.
            let done = self.recover(&self.segments(id)?).and_then(|loaded| {
                let snapshot = self.snapshot_path(id);
                if !ends_in_finish(&loaded) || self.exists(&snapshot)? {
                    return Ok(None);
                }
                let text = snapshot_text(&loaded.session, &snapshot)?;
                writer::write_atomically(
                    &*self.io,
                    &self.sessions,
                    &self.temp_path(id),
                    &snapshot,
                    text.as_bytes(),
                )?;
                Ok(Some(loaded.session.events.len()))
            });
            match done {
                Ok(Some(events)) => tidied.completed.push((id.clone(), events)),
                Ok(None) => {}
                Err(problem) => tidied.problems.push(problem),
            }
        }
        Ok(tidied)
    }

    /// An id in this folder, or a path to a session file (.ron) or a journal. Never changes
    /// the file.
    pub fn load(&self, id_or_path: &str) -> Result<LoadedSession, StoreError> {
        if is_valid_id(id_or_path) {
            let snapshot = self.snapshot_path(id_or_path);
            if self.exists(&snapshot)? {
                return self.load_snapshot(&snapshot);
            }
            let segments = self.segments(id_or_path)?;
            if !segments.is_empty() {
                return self.recover(&segments);
            }
        }
        let path = Path::new(id_or_path);
        if self.exists(path)? {
            return self.load_file(path);
        }
        Err(StoreError::NotFound {
            what: id_or_path.to_string(),
            dir: self.sessions.clone(),
        })
    }

    /// Loads a session file or journal that may be outside any data folder, without creating
    /// a data folder. Never changes the file.
    pub fn load_path(path: &Path) -> Result<LoadedSession, StoreError> {
        let detached = DataDir {
            root: PathBuf::new(),
            sessions: PathBuf::new(),
            io: Arc::new(RealIo),
        };
        if !detached.exists(path)? {
            return Err(StoreError::io(
                "read",
                path,
                std::io::Error::from(std::io::ErrorKind::NotFound),
            ));
        }
        detached.load_file(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, StoreError> {
        self.io
            .exists(path)
            .map_err(|e| StoreError::io("look for", path, e))
    }

    /// A file the user named: a snapshot, or a journal (with its later segments beside it).
    fn load_file(&self, path: &Path) -> Result<LoadedSession, StoreError> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.ends_with(SNAPSHOT_EXT) {
            return self.load_snapshot(path);
        }
        // An XES log by its name is told as such before a byte of it is read.
        if let Some(error) = crate::model::session::not_a_session(path, &[]) {
            return Err(error.into());
        }
        let bytes = self
            .io
            .read(path)
            .map_err(|e| StoreError::io("read", path, e))?;
        let journal_name = name.ends_with(JOURNAL_EXT)
            || matches!(classify(name), Some(SessionFile::Segment(_, n)) if n > 0);
        if !bytes.starts_with(journal::MAGIC) && !journal_name {
            return self.snapshot_from_bytes(path, &bytes);
        }
        // A later segment names its journal: start from the first one.
        let first = match classify(name) {
            Some(SessionFile::Segment(id, n)) if n > 0 => {
                path.with_file_name(format!("{id}{JOURNAL_EXT}"))
            }
            _ => path.to_path_buf(),
        };
        let first_name = first
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let parent = first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut segments = vec![(0, first.clone())];
        if let Ok(names) = self.io.read_dir(parent) {
            for sibling in names {
                if let Some(n) = sibling
                    .strip_prefix(first_name.as_str())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .filter(|n| {
                        !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit())
                    })
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|&n| n > 0)
                {
                    segments.push((n, segment_path(&first, n)));
                }
            }
        }
        segments.sort();
        if !self.exists(&first)? {
            segments.remove(0);
        }
        self.recover(&segments)
    }

    fn load_snapshot(&self, path: &Path) -> Result<LoadedSession, StoreError> {
        let bytes = self
            .io
            .read(path)
            .map_err(|e| StoreError::io("read", path, e))?;
        self.snapshot_from_bytes(path, &bytes)
    }

    fn snapshot_from_bytes(&self, path: &Path, bytes: &[u8]) -> Result<LoadedSession, StoreError> {
        let session = Session::from_ron_bytes(bytes, path)?;
        Ok(LoadedSession {
            session,
            path: path.to_path_buf(),
            recovery: None,
        })
    }

    /// Reads every segment and keeps the valid prefix of each: the session and what was
    /// dropped. Fails only when no segment holds a readable header.
    pub(crate) fn recover(&self, segments: &[(u32, PathBuf)]) -> Result<LoadedSession, StoreError> {
        let mut report = RecoveryReport {
            segments: segments.len(),
            ..RecoveryReport::default()
        };
        let mut session: Option<Session> = None;
        for (_, path) in segments {
            let bytes = self
                .io
                .read(path)
                .map_err(|e| StoreError::io("read the journal", path, e))?;
            let scan = scan_segment(&bytes);
            if let Some(damage) = &scan.damage {
                report.bytes_dropped += damage.bytes as u64;
                report.damage.push(SegmentDamage {
                    path: path.clone(),
                    offset: damage.offset as u64,
                    bytes: damage.bytes as u64,
                    kind: damage.kind.clone(),
                });
            }
            let Some(header) = scan.header else { continue };
            if let Some((_, message, hint)) = header.problem() {
                // A header no reader accepts: the whole session is refused, never guessed at.
                return Err(
                    FileError::new(path, None, format!("journal header: {message}"))
                        .with_hint(hint)
                        .into(),
                );
            }
            let session = session.get_or_insert_with(|| Session::new(header.clone()));
            if header.id != session.header.id {
                let dropped = scan.valid_len as u64;
                report.bytes_dropped += dropped;
                report.damage.push(SegmentDamage {
                    path: path.clone(),
                    offset: 0,
                    bytes: dropped,
                    kind: DamageKind::OtherSession(header.id),
                });
                continue;
            }
            report.records_kept += scan.records;
            let (last_seq, last_ms) = session.events.last().map_or((0, 0), |e| (e.seq, e.at_ms));
            if scan
                .events
                .first()
                .is_some_and(|e| e.seq == last_seq + 1 && e.at_ms >= last_ms)
            {
                // The usual case: this segment simply continues (its numbers and times are
                // checked to follow each other by the scan).
                session.events.extend(scan.events);
                continue;
            }
            for (index, event) in scan.events.iter().enumerate() {
                let (last, last_ms) = session.events.last().map_or((0, 0), |e| (e.seq, e.at_ms));
                if event.seq <= last {
                    continue; // written again into a new segment after a failed append
                }
                if event.at_ms < last_ms {
                    // Each segment is in time order by itself; across segments the times
                    // must go on too, or the snapshot would not read back. Keep what is
                    // consistent, report the rest of this segment as damage.
                    let dropped = scan.events.len() - index;
                    report.damage.push(SegmentDamage {
                        path: path.clone(),
                        offset: 0,
                        bytes: 0,
                        kind: DamageKind::BackInTime {
                            seq: event.seq,
                            at_ms: event.at_ms,
                            after_ms: last_ms,
                            dropped,
                        },
                    });
                    report.records_kept -= dropped;
                    break;
                }
                if event.seq > last + 1 {
                    report.damage.push(SegmentDamage {
                        path: path.clone(),
                        offset: 0,
                        bytes: 0,
                        kind: DamageKind::Gap {
                            after: last,
                            next: event.seq,
                        },
                    });
                }
                session.events.push(event.clone());
            }
        }
        let first = segments.first().map(|(_, p)| p.clone()).unwrap_or_default();
        let Some(session) = session else {
            if report
                .damage
                .first()
                .is_some_and(|d| d.kind == DamageKind::NotAJournal)
            {
                return Err(FileError::new(
                    &first,
                    None,
                    "not a shadowmap journal: it does not begin with SHMJRNL1",
                )
                .with_hint("give a session file (.ron) or a journal that shadowmap wrote")
                .into());
            }
            return Err(StoreError::NoHeader { path: first });
        };
        report.events = session.events.len();
        Ok(LoadedSession {
            session,
            path: first,
            recovery: Some(report),
        })
    }
}

fn entry(id: String, loaded: LoadedSession, finished: bool) -> SessionEntry {
    let reopened = loaded
        .session
        .events
        .iter()
        .any(|e| matches!(e.kind, EventKind::Reopened));
    let damaged = loaded
        .recovery
        .as_ref()
        .is_some_and(|r| !r.is_clean() || r.segments > 1);
    SessionEntry {
        id,
        path: loaded.path,
        events: loaded.session.events.len(),
        header: loaded.session.header,
        finished,
        recovered: reopened || damaged,
        recovery: loaded.recovery,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_file_name_safe() {
        assert!(is_valid_id("20261125-0918-north-RN-07"));
        assert!(is_valid_id("a.b_c"));
        for bad in ["", ".hidden", "a/b", "a b", "..", "é"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn file_names_map_to_sessions_and_segments() {
        let seg = |name: &str| match classify(name) {
            Some(SessionFile::Segment(id, n)) => Some((id, n)),
            _ => None,
        };
        assert_eq!(seg("a.journal"), Some(("a".into(), 0)));
        assert_eq!(seg("a.journal.3"), Some(("a".into(), 3)));
        assert_eq!(seg("a.1.journal"), Some(("a.1".into(), 0)));
        assert_eq!(
            seg("a.journal.1.journal.2"),
            Some(("a.journal.1".into(), 2))
        );
        assert_eq!(seg("a.lock"), None);
        assert_eq!(seg("a.ron.tmp"), None);
        assert!(matches!(classify("a.ron"), Some(SessionFile::Snapshot(id)) if id == "a"));
    }
}
