//! The one writer of a session: appends events durably, continues in a new segment after a
//! failure, and writes the snapshot atomically at the end.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::io::{Io, IoFile, LockGuard};
use super::journal::{encode_event, encode_header};
use super::{DataDir, RecoveryReport, StoreError, is_valid_id, segment_path};
use crate::model::{Event, Seq, Session, SessionHeader};

/// The one writer of a session (it holds the session's lock file until dropped or finished).
#[derive(Debug)]
pub struct SessionWriter {
    io: Arc<dyn Io>,
    dir: PathBuf,
    header: SessionHeader,
    first: PathBuf,
    segment: u32,
    path: PathBuf,
    /// `None` once a write or sync failed: the segment is never trusted again.
    file: Option<Box<dyn IoFile>>,
    failed: Option<String>,
    last_seq: Seq,
    buf: Vec<u8>,
    temp: PathBuf,
    snapshot: PathBuf,
    // Last, so it is released after the file is closed.
    _lock: Box<dyn LockGuard>,
}

pub(crate) fn lock(dir: &DataDir, id: &str) -> Result<Box<dyn LockGuard>, StoreError> {
    if !is_valid_id(id) {
        return Err(StoreError::BadId { id: id.to_string() });
    }
    let path = dir.lock_path(id);
    match dir.io.try_lock(&path) {
        Ok(Some(guard)) => Ok(guard),
        Ok(None) => Err(StoreError::Locked {
            id: id.to_string(),
            lock: path,
        }),
        Err(e) => Err(StoreError::io("lock", &path, e)),
    }
}

/// Creates a segment and makes it durable with the header and `events` in it.
fn write_segment(
    io: &dyn Io,
    dir: &Path,
    path: &Path,
    header: &SessionHeader,
    events: &[Event],
) -> Result<Box<dyn IoFile>, StoreError> {
    let mut file = io
        .create_new(path)
        .map_err(|e| StoreError::io("create the journal", path, e))?;
    let mut buf = Vec::with_capacity(256 + events.len() * 96);
    encode_header(&mut buf, header, true);
    for event in events {
        encode_event(&mut buf, event);
    }
    file.write_all(&buf)
        .map_err(|e| StoreError::io("write the journal", path, e))?;
    file.sync_data()
        .map_err(|e| StoreError::io("sync the journal", path, e))?;
    io.sync_dir(dir)
        .map_err(|e| StoreError::io("sync the folder", dir, e))?;
    Ok(file)
}

impl SessionWriter {
    /// Starts a new session: its journal holds the header, synced, when this returns.
    pub fn create(dir: &DataDir, header: &SessionHeader) -> Result<SessionWriter, StoreError> {
        let id = header.id.as_str();
        let guard = lock(dir, id)?;
        let first = dir.journal_path(id);
        let snapshot = dir.snapshot_path(id);
        for path in [&first, &snapshot] {
            if dir.exists(path)? {
                return Err(StoreError::Exists {
                    id: id.to_string(),
                    path: path.clone(),
                });
            }
        }
        let file = write_segment(&*dir.io, &dir.sessions, &first, header, &[])?;
        Ok(SessionWriter {
            io: Arc::clone(&dir.io),
            dir: dir.sessions.clone(),
            header: header.clone(),
            path: first.clone(),
            first,
            segment: 0,
            file: Some(file),
            failed: None,
            last_seq: 0,
            buf: Vec::with_capacity(512),
            temp: dir.temp_path(id),
            snapshot,
            _lock: guard,
        })
    }

    /// Continues an unfinished session after a crash: its events so far and what recovery
    /// found. Writing goes on in a new journal segment (the damaged tail, if any, stays where
    /// it is, untouched). The caller appends a `Reopened` event itself.
    pub fn reopen(
        dir: &DataDir,
        id: &str,
    ) -> Result<(SessionWriter, Session, RecoveryReport), StoreError> {
        let guard = lock(dir, id)?;
        let snapshot = dir.snapshot_path(id);
        if dir.exists(&snapshot)? {
            return Err(StoreError::Finished {
                id: id.to_string(),
                snapshot,
            });
        }
        let segments = dir.segments(id)?;
        if segments.is_empty() {
            return Err(StoreError::NotFound {
                what: id.to_string(),
                dir: dir.sessions.clone(),
            });
        }
        let loaded = dir.recover(&segments)?;
        let report = loaded.recovery.unwrap_or_default();
        let session = loaded.session;
        let first = dir.journal_path(id);
        let mut writer = SessionWriter {
            io: Arc::clone(&dir.io),
            dir: dir.sessions.clone(),
            header: session.header.clone(),
            path: first.clone(),
            first,
            segment: segments.last().map_or(0, |(n, _)| *n),
            file: None,
            failed: Some("reopened".into()),
            last_seq: session.events.last().map_or(0, |e| e.seq),
            buf: Vec::with_capacity(512),
            temp: dir.temp_path(id),
            snapshot,
            _lock: guard,
        };
        writer.start_new_segment(&[])?;
        Ok((writer, session, report))
    }

    pub fn id(&self) -> &str {
        &self.header.id
    }

    pub fn header(&self) -> &SessionHeader {
        &self.header
    }

    /// The number of the last event on disk (0 before the first).
    pub fn last_seq(&self) -> Seq {
        self.last_seq
    }

    /// The segment being written.
    pub fn segment_path(&self) -> &Path {
        &self.path
    }

    /// True after a failed append, until a new segment is started.
    pub fn is_stopped(&self) -> bool {
        self.failed.is_some()
    }

    /// Durable when it returns `Ok` (appended and fdatasynced). On `Err` the event is not
    /// saved, this segment takes no more events, and the caller keeps the unsaved events for
    /// [`start_new_segment`](SessionWriter::start_new_segment).
    pub fn append(&mut self, event: &Event) -> Result<(), StoreError> {
        if let Some(why) = &self.failed {
            return Err(StoreError::Stopped {
                path: self.path.clone(),
                why: why.clone(),
            });
        }
        if Some(event.seq) != self.last_seq.checked_add(1) {
            return Err(StoreError::OutOfOrder {
                last: self.last_seq,
                got: event.seq,
            });
        }
        self.buf.clear();
        encode_event(&mut self.buf, event);
        let file = self
            .file
            .as_mut()
            .expect("a writer that has not failed has a file");
        let result = match file.write_all(&self.buf) {
            Ok(()) => file.sync_data().map_err(|e| ("sync", e)),
            Err(e) => Err(("write", e)),
        };
        match result {
            Ok(()) => {
                self.last_seq = event.seq;
                Ok(())
            }
            Err((stage, error)) => {
                // Never retried and trusted: after a failed fsync the kernel may have dropped
                // the data while still showing it.
                self.file = None;
                self.failed = Some(format!("{stage} of event {} failed: {error}", event.seq));
                Err(StoreError::Append {
                    seq: event.seq,
                    stage,
                    path: self.path.clone(),
                    error,
                })
            }
        }
    }

    /// Continues in a new journal segment holding the header and `pending`: the events not
    /// saved (the one whose append failed and any after it, in order). Durable when it
    /// returns `Ok`; on `Err` it can be called again (e.g. once space is freed).
    pub fn start_new_segment(&mut self, pending: &[Event]) -> Result<(), StoreError> {
        if let Some(first) = pending.first() {
            if first.seq == 0 || first.seq > self.last_seq + 1 {
                return Err(StoreError::OutOfOrder {
                    last: self.last_seq,
                    got: first.seq,
                });
            }
            if let Some(pair) = pending.windows(2).find(|p| p[1].seq != p[0].seq + 1) {
                return Err(StoreError::OutOfOrder {
                    last: pair[0].seq,
                    got: pair[1].seq,
                });
            }
        }
        self.file = None;
        let mut last_error = None;
        // A segment left by an earlier failed attempt is never reused.
        for _ in 0..64 {
            self.segment += 1;
            let path = segment_path(&self.first, self.segment);
            match write_segment(&*self.io, &self.dir, &path, &self.header, pending) {
                Ok(file) => {
                    self.file = Some(file);
                    self.failed = None;
                    self.path = path;
                    if let Some(last) = pending.last() {
                        self.last_seq = self.last_seq.max(last.seq);
                    }
                    return Ok(());
                }
                Err(e) if e.io_kind() == Some(std::io::ErrorKind::AlreadyExists) => {
                    last_error = Some(e);
                }
                Err(e) => {
                    self.failed = Some(e.to_string());
                    return Err(e);
                }
            }
        }
        Err(last_error.expect("at least one attempt"))
    }

    /// Writes the RON snapshot atomically (temporary file, sync, rename, folder sync): the
    /// session is finished. Works even after a failed append, since the snapshot is a new
    /// file. `session` must hold every event appended.
    pub fn finish(self, session: &Session) -> Result<PathBuf, StoreError> {
        if session.header.id != self.header.id {
            return Err(StoreError::Invalid(format!(
                "the snapshot of session `{}` cannot be written over session `{}`",
                session.header.id, self.header.id
            )));
        }
        let last = session.events.last().map_or(0, |e| e.seq);
        if last < self.last_seq {
            return Err(StoreError::Invalid(format!(
                "the snapshot ends at event {last} but the journal holds events up to {}",
                self.last_seq
            )));
        }
        let text = snapshot_text(session, &self.snapshot)?;
        write_atomically(
            &*self.io,
            &self.dir,
            &self.temp,
            &self.snapshot,
            text.as_bytes(),
        )?;
        Ok(self.snapshot.clone())
    }
}

/// The session file's text, checked to read back as the same session before anything is
/// written: a snapshot shadowmap could not read would make the session vanish from every
/// listing. `path` names the file in the error.
pub fn snapshot_text(session: &Session, path: &Path) -> Result<String, StoreError> {
    let text = session.to_ron();
    match Session::from_ron_str(&text, path) {
        Ok(back) if back == *session => Ok(text),
        Ok(_) => Err(StoreError::Invalid(format!(
            "{}: not written: the session file would not read back as the same session \
             (a bug; the journal is kept as it is)",
            path.display()
        ))),
        Err(error) => Err(StoreError::Invalid(format!(
            "{}: not written: the session file would not read back ({}); the journal is \
             kept as it is\n  hint: the events are inconsistent; `shadowmap sessions` and \
             `shadowmap export ID --format json` still read the journal",
            path.display(),
            error.message
        ))),
    }
}

/// Temporary file, write, sync, rename over `path`, sync the folder.
pub(crate) fn write_atomically(
    io: &dyn Io,
    dir: &Path,
    temp: &Path,
    path: &Path,
    bytes: &[u8],
) -> Result<(), StoreError> {
    let mut file = io
        .create_truncate(temp)
        .map_err(|e| StoreError::io("create", temp, e))?;
    file.write_all(bytes)
        .map_err(|e| StoreError::io("write", temp, e))?;
    file.sync_data()
        .map_err(|e| StoreError::io("sync", temp, e))?;
    drop(file);
    io.rename(temp, path)
        .map_err(|e| StoreError::io("rename the snapshot into", path, e))?;
    io.sync_dir(dir)
        .map_err(|e| StoreError::io("sync the folder", dir, e))
}
