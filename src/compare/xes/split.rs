//! A plain (not gzipped) log read on every core: the file is cut into chunks of a few MB just
//! before a `<trace` tag, each chunk is read on a worker thread, and the traces come out in file
//! order.
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
//! Memory is bounded: the file is read a chunk at a time, at most `workers + 2` chunks are read
//! or waiting at once, and a trace longer than [`MAX_CUT_SEARCH_CHUNKS`] chunks (no cut found) sends
//! the rest of the file to the one-thread reader.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};

use memchr::memmem;

use super::{LogState, Scanner, XesReader, XesTrace, cannot_read, open_raw};
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

/// One chunk of the file to read.
struct Job {
    index: usize,
    offset: u64,
    bytes: Vec<u8>,
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
        // Chunk buffers go back to the splitter once read: no new pages for every chunk.
        let (spare, spares) = std::sync::mpsc::channel();
        let jobs = Arc::new(Mutex::new(jobs));
        for _ in 0..options.workers {
            let (jobs, outcome, spare, path) = (
                jobs.clone(),
                outcome.clone(),
                spare.clone(),
                path.to_path_buf(),
            );
            std::thread::spawn(move || {
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
                        read_chunk(job, &path, &spare)
                    }))
                    .unwrap_or(Outcome::Whole { offset });
                    if outcome.send((index, read)).is_err() {
                        return;
                    }
                }
            });
        }
        std::thread::spawn(move || {
            cut_file(file, chunk_bytes, &token, &spares, &jobs_in, &outcome);
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

/// Where the last `<trace` tag of `bytes` after its first byte starts (the text alone: it may
/// be inside a comment or a value, which the reader finds out).
fn last_trace_tag(bytes: &[u8]) -> Option<usize> {
    let finder = memmem::FinderRev::new(b"<trace");
    let mut end = bytes.len();
    while let Some(at) = finder.rfind(&bytes[1.min(end)..end]).map(|at| at + 1) {
        if matches!(
            bytes.get(at + 6),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
        ) {
            return Some(at);
        }
        end = at;
    }
    None
}

/// Reads the file and cuts it into chunks for the workers, each ending at the last `<trace` of
/// its bytes; a chunk is sent when one of `in_flight`'s tokens comes back.
fn cut_file(
    mut file: File,
    chunk_bytes: usize,
    tokens: &Receiver<()>,
    spares: &Receiver<Vec<u8>>,
    jobs: &SyncSender<Job>,
    outcomes: &Sender<(usize, Outcome)>,
) {
    let (mut pending, mut offset, mut index) = (Vec::new(), 0u64, 0usize);
    loop {
        let mut filled = pending.len();
        pending.resize(filled + chunk_bytes, 0);
        let mut eof = false;
        while filled < pending.len() {
            match file.read(&mut pending[filled..]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // The one-thread reader meets the error and tells it, at its place.
                Err(_) => {
                    let _ = outcomes.send((index, Outcome::Whole { offset }));
                    return;
                }
            }
        }
        pending.truncate(filled);
        let bytes = if eof {
            std::mem::take(&mut pending)
        } else if let Some(cut) = last_trace_tag(&pending) {
            let mut rest = spares.try_recv().unwrap_or_default();
            rest.clear();
            rest.extend_from_slice(&pending[cut..]);
            pending.truncate(cut);
            std::mem::replace(&mut pending, rest)
        } else if pending.len() >= MAX_CUT_SEARCH_CHUNKS * chunk_bytes {
            let _ = outcomes.send((index, Outcome::Whole { offset }));
            return;
        } else {
            continue;
        };
        if tokens.recv().is_err() {
            return; // the reader went away
        }
        let len = bytes.len() as u64;
        let job = Job {
            index,
            offset,
            bytes,
            last: eof,
        };
        if jobs.send(job).is_err() || eof {
            return;
        }
        offset += len;
        index += 1;
    }
}

/// Reads one chunk: the first from the file's start, the others from between two traces.
fn read_chunk(job: Job, path: &Path, spare: &Sender<Vec<u8>>) -> Outcome {
    let (offset, len) = (job.offset, job.bytes.len() as u64);
    let mut reader = XesReader {
        scanner: Scanner::over(job.bytes, offset, !job.last),
        log: if job.index == 0 {
            LogState::new(path)
        } else {
            LogState::between_traces(path, 0)
        },
        cut_between_traces: None,
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
    let _ = spare.send(std::mem::take(&mut reader.scanner.buf));
    Outcome::Read(Chunk {
        offset,
        len,
        traces,
        unnamed: reader.log.unnamed.take().unwrap_or_default(),
        end,
    })
}
