//! A plain (not gzipped) log read on every core: the file is cut into chunks of about a MB just
//! before a `<trace` tag, each chunk is read from the file and scanned on a worker thread, and
//! the traces come out in file order.
//!
//! A cut is found by looking for the text `<trace` alone, so it may fall inside a comment, a
//! CDATA section or an attribute value. That is found out when the chunk before it is read: it
//! must end between two traces of the root `<log>` (not inside any markup, no element open but
//! the log). A chunk that does not is read again without chunks, from its start to the end of
//! the file, by the one-thread reader; so every trace, error and error place is what that reader
//! gives (`tests/xes_reader_same.rs`). An error in a chunk is told only when every chunk before
//! it ended between two traces, so it is an error of the file; its place is a file offset, its
//! line and column found by reading the file again, as without chunks.
//!
//! The cuts are found by one thread that reads only a little of the file around each (where a
//! chunk of the wanted size would end, on to the next `<trace`); the workers read their chunks'
//! bytes themselves, each into a buffer it keeps, so the copying from the page cache is shared
//! out too and no chunk costs fresh memory.
//!
//! Memory is bounded: at most `workers + 2` chunks are read or waiting at once, and a trace
//! longer than [`MAX_CUT_SEARCH_CHUNKS`] chunks (no cut found) sends the rest of the file to the
//! one-thread reader.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};

use memchr::memmem;

use super::{DateCache, LogState, Scanner, XesReader, XesTrace, cannot_read, open_raw};
use crate::model::FileError;

/// A plain log at least this long is read on every core by default ([`super::open`]); below
/// it, starting the threads costs more than they save.
pub const SPLIT_MIN_BYTES: u64 = 4 << 20;

/// The chunk size by default.
const CHUNK_BYTES: usize = 1 << 20;

/// With no `<trace` found in this many chunks' worth of bytes, the rest of the file is read on
/// one thread.
const MAX_CUT_SEARCH_CHUNKS: usize = 4;

/// How a plain log is cut and read.
#[derive(Debug, Clone, Copy)]
pub struct SplitOptions {
    /// About how long a chunk is (it ends at the last `<trace` of this many bytes).
    pub chunk_bytes: usize,
    /// Worker threads reading chunks.
    pub workers: usize,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions {
            chunk_bytes: CHUNK_BYTES,
            workers: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        }
    }
}

/// The traces of a log, in file order: an iterator of `Result<XesTrace, FileError>`.
pub struct Traces(Inner);

enum Inner {
    Whole(Box<XesReader<Box<dyn BufRead>>>),
    Split(Box<Split>),
}

impl Traces {
    pub(super) fn whole(reader: XesReader<Box<dyn BufRead>>) -> Traces {
        Traces(Inner::Whole(Box::new(reader)))
    }
}

impl Iterator for Traces {
    type Item = Result<XesTrace, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Inner::Whole(reader) => reader.next(),
            Inner::Split(split) => split.next(),
        }
    }
}

/// Opens a log to be read in chunks on worker threads when it is a plain file (a `.gz` log is
/// read on one thread, with its inflating on another).
pub fn open_split(path: &Path, options: SplitOptions) -> Result<Traces, FileError> {
    let mut file = File::open(path).map_err(|e| cannot_read(path, &e))?;
    let mut magic = [0u8; 2];
    let gz = file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    if gz || options.workers < 2 {
        return Ok(Traces::whole(XesReader::new(open_raw(path)?, path)));
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| cannot_read(path, &e))?;
    Ok(Traces(Inner::Split(Box::new(Split::start(
        file, path, options,
    )))))
}

/// One chunk of the file to read: `len` bytes from `offset`.
struct Job {
    index: usize,
    offset: u64,
    len: u64,
    /// It ends where the file does.
    last: bool,
}

enum Outcome {
    Read(Chunk),
    /// The rest of the file from `offset` (a chunk's start) is to be read on one thread.
    Whole {
        offset: u64,
    },
}

/// A chunk read.
struct Chunk {
    offset: u64,
    len: u64,
    traces: Vec<XesTrace>,
    /// The places in `traces` of those without a case id (named by their place in the log).
    unnamed: Vec<usize>,
    end: ChunkEnd,
}

enum ChunkEnd {
    /// Between two traces: the next chunk starts in the right place.
    BetweenTraces,
    /// Anywhere else: the chunk is to be read again without chunks.
    Elsewhere,
    /// The end of the file, read without error.
    EndOfFile,
    /// An error, after the traces read before it.
    Error(FileError),
}

struct Split {
    path: PathBuf,
    outcomes: Receiver<(usize, Outcome)>,
    /// One token per chunk the splitter may have out; given back as each chunk is done.
    tokens: SyncSender<()>,
    /// Chunks read ahead of the one wanted.
    waiting: BTreeMap<usize, Outcome>,
    next_index: usize,
    /// Where the chunk `next_index` starts, once the one before ended between two traces.
    next_offset: u64,
    /// The traces of the current chunk, then what follows them.
    ready: std::vec::IntoIter<XesTrace>,
    after_ready: Option<Result<(), FileError>>,
    holds_token: bool,
    n_traces: usize,
    /// The one-thread reader, once a chunk did not end between two traces.
    whole: Option<XesReader<Box<dyn BufRead>>>,
    done: bool,
}

impl Split {
    fn start(file: File, path: &Path, options: SplitOptions) -> Split {
        let chunk_bytes = options.chunk_bytes.max(1);
        let in_flight = options.workers + 2;
        let (tokens, token) = std::sync::mpsc::sync_channel(in_flight);
        for _ in 0..in_flight {
            let _ = tokens.send(());
        }
        let (jobs_in, jobs) = std::sync::mpsc::sync_channel::<Job>(in_flight);
        let (outcome, outcomes) = std::sync::mpsc::channel();
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..options.workers {
            let (jobs, outcome, path) = (jobs.clone(), outcome.clone(), path.to_path_buf());
            std::thread::spawn(move || {
                // Each worker reads through a handle of its own, into a buffer it keeps.
                let mut file = File::open(&path).ok();
                let mut buffer = Vec::new();
                loop {
                    let job = match jobs.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    let (index, offset) = (job.index, job.offset);
                    // A panic would leave the reader waiting for this chunk: the one-thread
                    // reader reads from its start instead.
                    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        read_chunk(job, file.as_mut(), &path, &mut buffer)
                    }))
                    .unwrap_or(Outcome::Whole { offset });
                    if outcome.send((index, read)).is_err() {
                        return;
                    }
                }
            });
        }
        std::thread::spawn(move || {
            cut_file(file, chunk_bytes, &token, &jobs_in, &outcome);
        });
        Split {
            path: path.to_path_buf(),
            outcomes,
            tokens,
            waiting: BTreeMap::new(),
            next_index: 0,
            next_offset: 0,
            ready: Vec::new().into_iter(),
            after_ready: None,
            holds_token: false,
            n_traces: 0,
            whole: None,
            done: false,
        }
    }

    /// The one-thread reader from `offset`, a place between two traces.
    fn read_whole_from(&mut self, offset: u64) -> Result<(), FileError> {
        let input: Box<dyn BufRead> = if offset == 0 {
            open_raw(&self.path)?
        } else {
            let mut file = File::open(&self.path).map_err(|e| cannot_read(&self.path, &e))?;
            file.seek(SeekFrom::Start(offset))
                .map_err(|e| cannot_read(&self.path, &e))?;
            Box::new(BufReader::with_capacity(1 << 16, file))
        };
        self.whole = Some(XesReader::resume(input, &self.path, offset, self.n_traces));
        Ok(())
    }

    fn next_outcome(&mut self) -> Outcome {
        loop {
            if let Some(outcome) = self.waiting.remove(&self.next_index) {
                return outcome;
            }
            match self.outcomes.recv() {
                Ok((index, outcome)) => {
                    self.waiting.insert(index, outcome);
                }
                // The threads are gone (none should end first): go on without them.
                Err(_) => {
                    return Outcome::Whole {
                        offset: self.next_offset,
                    };
                }
            }
        }
    }

    fn next(&mut self) -> Option<Result<XesTrace, FileError>> {
        loop {
            if let Some(whole) = self.whole.as_mut() {
                return whole.next();
            }
            if let Some(trace) = self.ready.next() {
                return Some(Ok(trace));
            }
            if let Some(end) = self.after_ready.take() {
                self.done = true;
                return end.err().map(Err);
            }
            if self.done {
                return None;
            }
            if std::mem::take(&mut self.holds_token) {
                let _ = self.tokens.send(());
            }
            let chunk = match self.next_outcome() {
                Outcome::Read(chunk) if !matches!(chunk.end, ChunkEnd::Elsewhere) => chunk,
                Outcome::Whole { offset } | Outcome::Read(Chunk { offset, .. }) => {
                    // The threads end as they find the channels closed.
                    self.waiting.clear();
                    if let Err(e) = self.read_whole_from(offset) {
                        self.done = true;
                        return Some(Err(e));
                    }
                    continue;
                }
            };
            self.holds_token = true;
            let mut traces = chunk.traces;
            for &at in &chunk.unnamed {
                traces[at].case_id = (self.n_traces + at).to_string();
            }
            self.n_traces += traces.len();
            self.ready = traces.into_iter();
            match chunk.end {
                ChunkEnd::BetweenTraces => {
                    self.next_index += 1;
                    self.next_offset = chunk.offset + chunk.len;
                }
                ChunkEnd::EndOfFile | ChunkEnd::Elsewhere => self.after_ready = Some(Ok(())),
                ChunkEnd::Error(e) => self.after_ready = Some(Err(e)),
            }
        }
    }
}

/// Where the first `<trace` tag of `bytes` starts (the text alone: it may be inside a comment
/// or a value, which the reader finds out); `None` also when the tag may go on past the end.
fn first_trace_tag(bytes: &[u8]) -> Option<usize> {
    memmem::find_iter(bytes, b"<trace").find(|&at| {
        matches!(
            bytes.get(at + 6),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
        )
    })
}

/// How much of the file the cutter reads at a time looking for the next `<trace`.
const CUT_WINDOW: usize = 16 << 10;

/// Where the first `<trace` tag at `from` or after starts, looking no further than `limit`;
/// `Ok(None)` when there is none before `limit` or the end of the file.
fn next_cut(
    file: &mut File,
    from: u64,
    limit: u64,
    window: &mut Vec<u8>,
) -> std::io::Result<Option<u64>> {
    let mut at = from;
    while at < limit {
        let want = (limit - at).min(CUT_WINDOW as u64) + 6;
        window.clear();
        file.seek(SeekFrom::Start(at))?;
        (&mut *file).take(want).read_to_end(window)?;
        if let Some(found) = first_trace_tag(window) {
            return Ok(Some(at + found as u64).filter(|&cut| cut < limit));
        }
        if (window.len() as u64) < want {
            return Ok(None); // the end of the file
        }
        // The next window starts where a tag cut by this one's end would start.
        at += window.len() as u64 - 6;
    }
    Ok(None)
}

/// Cuts the file into chunks for the workers: each ends at the first `<trace` after
/// `chunk_bytes` of it (or the end of the file); a chunk is sent when one of the `in_flight`
/// tokens comes back.
fn cut_file(
    mut file: File,
    chunk_bytes: usize,
    tokens: &Receiver<()>,
    jobs: &SyncSender<Job>,
    outcomes: &Sender<(usize, Outcome)>,
) {
    let Ok(file_len) = file.metadata().map(|m| m.len()) else {
        let _ = outcomes.send((0, Outcome::Whole { offset: 0 }));
        return;
    };
    let chunk = chunk_bytes as u64;
    let mut window = Vec::new();
    let (mut offset, mut index) = (0u64, 0usize);
    loop {
        let limit = offset.saturating_add((MAX_CUT_SEARCH_CHUNKS as u64).saturating_mul(chunk));
        let end = if offset.saturating_add(chunk) >= file_len {
            Some(file_len)
        } else {
            match next_cut(&mut file, offset + chunk, limit, &mut window) {
                Ok(Some(cut)) => Some(cut),
                Ok(None) if limit >= file_len => Some(file_len),
                // No cut near enough, or the file cannot be read: the one-thread reader reads
                // the rest (and tells the error at its place).
                Ok(None) | Err(_) => None,
            }
        };
        let Some(end) = end else {
            let _ = outcomes.send((index, Outcome::Whole { offset }));
            return;
        };
        if tokens.recv().is_err() {
            return; // the reader went away
        }
        let last = end == file_len;
        let job = Job {
            index,
            offset,
            len: end - offset,
            last,
        };
        if jobs.send(job).is_err() || last {
            return;
        }
        offset = end;
        index += 1;
    }
}

/// Reads one chunk from the file into `buffer` and scans it: the first from the file's start,
/// the others from between two traces. Gives `buffer` back, for the next chunk.
fn read_chunk(job: Job, file: Option<&mut File>, path: &Path, buffer: &mut Vec<u8>) -> Outcome {
    let (offset, len) = (job.offset, job.len);
    buffer.clear();
    let read = file.is_some_and(|file| {
        file.seek(SeekFrom::Start(offset)).is_ok()
            && file.take(len).read_to_end(buffer).is_ok()
            && buffer.len() as u64 == len
    });
    if !read {
        // The file changed or cannot be read: the one-thread reader tells what is wrong.
        return Outcome::Whole { offset };
    }
    let mut reader = XesReader {
        scanner: Scanner::over(std::mem::take(buffer), offset, !job.last),
        log: if job.index == 0 {
            LogState::new(path)
        } else {
            LogState::between_traces(path, 0)
        },
        cut_between_traces: None,
        dates: DateCache::default(),
    };
    reader.log.unnamed = Some(Vec::new());
    let mut traces = Vec::new();
    let end = loop {
        match reader.next() {
            Some(Ok(trace)) => traces.push(trace),
            Some(Err(e)) => break ChunkEnd::Error(e),
            None => {
                break match reader.cut_between_traces {
                    Some(true) => ChunkEnd::BetweenTraces,
                    Some(false) => ChunkEnd::Elsewhere,
                    None => ChunkEnd::EndOfFile,
                };
            }
        }
    };
    *buffer = std::mem::take(&mut reader.scanner.buf);
    Outcome::Read(Chunk {
        offset,
        len,
        traces,
        unnamed: reader.log.unnamed.take().unwrap_or_default(),
        end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `<trace` tag at every place around the edges of the cutter's windows (whole in one,
    /// cut by its end, its next byte in the next one), the file ending in it or just after it,
    /// and the limit just at it or after it: found exactly where it is, and only when whole.
    #[test]
    fn a_trace_tag_is_found_across_every_window_edge() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xes");
        let mut window = Vec::new();
        for tag in [&b"<trace>"[..], b"<trace/>", b"<trace\r\n"] {
            for edge in [CUT_WINDOW, 2 * CUT_WINDOW - 6, 3 * CUT_WINDOW - 12] {
                for at in edge - 12..edge + 12 {
                    let mut bytes = vec![b'x'; at + 50];
                    bytes[at - 5..at].copy_from_slice(b"<trac");
                    bytes[at..at + tag.len()].copy_from_slice(tag);
                    for len in [bytes.len(), at + tag.len(), at + 7, at + 6] {
                        std::fs::write(&path, &bytes[..len]).unwrap();
                        let mut file = File::open(&path).unwrap();
                        // Whole only with the byte after `<trace` in the file.
                        let whole = (len > at + 6).then_some(at as u64);
                        for from in [0, 1, 7] {
                            for (limit, want) in
                                [(1 << 30, whole), (at as u64 + 1, whole), (at as u64, None)]
                            {
                                let found = next_cut(&mut file, from, limit, &mut window).unwrap();
                                assert_eq!(
                                    found,
                                    want,
                                    "{} at {at} of {len} bytes, from {from}, limit {limit}",
                                    String::from_utf8_lossy(tag)
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
