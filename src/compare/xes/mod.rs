//! A streaming XES (IEEE 1849) reader for `compare` (docs/reference.md section 6).
//!
//! - the activity is the event's `concept:name`; the case id the trace's `concept:name`
//!   (its 0-based position in the log when it has none);
//! - events are stably sorted by `time:timestamp` when every event of the trace has one
//!   (equal stamps keep file order), as the oracle does; otherwise file order is kept;
//! - an event whose `lifecycle:transition` is present and not `complete` (compared without
//!   case, since logs such as BPI 2012 write `COMPLETE`) is left out;
//! - only attributes directly inside `<trace>` or `<event>` count: nested and list attributes,
//!   `<global>` defaults, extensions, classifiers and log metadata are skipped; the XML
//!   namespace, if any, is ignored.
//!
//! The document is scanned one trace at a time over a buffer of the file (a large log never
//! sits whole in memory), with `memchr` finding the next `<` and the ends of quoted values:
//! nothing is copied that is not kept (the activity and case id), and the attribute values
//! kept are unescaped only when they hold an escape or a line break (by quick-xml's XML 1.0
//! attribute-value normalisation). An event of the plain form most logs write (`<event>`, then
//! `<string key=".." value=".."/>`-like elements, then `</event>`) is read in one pass when it is
//! whole in the buffer; anything else in it (comments, nested or list attributes, single quotes,
//! escapes, a timestamp in another form, an error) leaves it to the general path, tag by tag,
//! which reads the same (tested). The XML it reads: elements with quoted attributes, end tags
//! checked against their start tags, comments, CDATA sections, processing instructions and a
//! DOCTYPE skipped; the whole file must be UTF-8. Anything else is an error naming the file,
//! line and column. `.xes.gz` files are inflated on a thread of their own, ahead of the
//! scanner; a large plain file is cut into chunks read on every core (the `split` module). The reader it replaced (quick-xml's event reader) is kept in [`oracle`] for the
//! tests, which check that both read the same traces.
//!
//! Bounds, so a hostile file (a gzip bomb inflating one attribute to gigabytes) ends in a clear
//! error naming the file and line instead of exhausting memory: one XML element, comment or
//! other markup at most [`MAX_ELEMENT_BYTES`], a kept value (activity, case id) at most
//! [`MAX_VALUE_BYTES`], a trace at most [`MAX_TRACE_EVENTS`] events.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime};
use memchr::{memchr, memmem};
use quick_xml::XmlVersion;
use quick_xml::events::attributes::Attribute;
use quick_xml::name::QName;

use super::ObservedStep;
use crate::model::{FileError, Location};

#[cfg(any(test, feature = "testing"))]
pub mod oracle;
mod split;
#[cfg(test)]
mod tests;

pub use split::{SPLIT_MIN_BYTES, SplitOptions, Traces, open_split};

/// The longest XML element (tag with its attributes), comment or other markup the reader takes.
pub const MAX_ELEMENT_BYTES: usize = 16 << 20;

/// The longest activity name or case id the reader keeps.
pub const MAX_VALUE_BYTES: usize = 64 << 10;

/// The most events one trace may hold.
pub const MAX_TRACE_EVENTS: usize = 1_000_000;

/// One event kept from a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct XesEvent {
    pub activity: String,
    /// Microseconds since the Unix epoch (UTC; a stamp without an offset is read as UTC).
    pub timestamp_us: Option<i64>,
    /// The event's 1-based place in its trace, in file order (all events counted).
    pub number: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct XesTrace {
    pub case_id: String,
    pub events: Vec<XesEvent>,
}

impl XesTrace {
    pub fn activities(&self) -> Vec<&str> {
        self.events.iter().map(|e| e.activity.as_str()).collect()
    }

    /// The comparator's input: activities with their event numbers and times from the
    /// trace's first event.
    pub fn observed(&self) -> Vec<ObservedStep> {
        self.clone().into_observed()
    }

    /// [`XesTrace::observed`], moving the activities rather than copying them.
    pub fn into_observed(self) -> Vec<ObservedStep> {
        let t0 = self.events.iter().filter_map(|e| e.timestamp_us).min();
        self.events
            .into_iter()
            .map(|e| ObservedStep {
                step: e.activity,
                event: Some(e.number),
                at_ms: match (e.timestamp_us, t0) {
                    (Some(t), Some(t0)) => Some(((t - t0).max(0) / 1000) as u64),
                    _ => None,
                },
                label: None,
            })
            .collect()
    }
}

fn cannot_read(path: &Path, e: &std::io::Error) -> FileError {
    FileError::new(path, None, format!("cannot read the XES log: {e}"))
        .with_hint("check the path and that the file is readable")
}

pub(crate) fn open_raw(path: &Path) -> Result<Box<dyn BufRead>, FileError> {
    let file = File::open(path).map_err(|e| cannot_read(path, &e))?;
    let mut input = BufReader::with_capacity(1 << 16, file);
    let gz = input
        .fill_buf()
        .map(|b| b.starts_with(&[0x1f, 0x8b]))
        .unwrap_or(false);
    Ok(if gz {
        Box::new(Inflated::spawn(flate2::bufread::MultiGzDecoder::new(input)))
    } else {
        Box::new(input)
    })
}

/// A gzip stream inflated on a thread of its own, a few chunks ahead of the reader: the XML is
/// parsed while the next chunk is inflated (the two are about equal work).
struct Inflated {
    chunks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    current: Vec<u8>,
    at: usize,
}

impl Inflated {
    const CHUNK: usize = 1 << 18;

    fn spawn(mut decoder: impl Read + Send + 'static) -> Inflated {
        let (tx, rx) = std::sync::mpsc::sync_channel(4);
        std::thread::spawn(move || {
            loop {
                let mut chunk = vec![0u8; Inflated::CHUNK];
                let mut filled = 0;
                let result = loop {
                    match decoder.read(&mut chunk[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == chunk.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                chunk.truncate(filled);
                // What was inflated before an error is passed on first, so the reader gets to
                // the place of the damage.
                let last = filled == 0 || result.is_err();
                if filled > 0 && tx.send(Ok(chunk)).is_err() {
                    return; // the reader went away
                }
                if last {
                    let _ = tx.send(result.map(|()| Vec::new()));
                    return;
                }
            }
        });
        Inflated {
            chunks: rx,
            current: Vec::new(),
            at: 0,
        }
    }
}

impl BufRead for Inflated {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.at == self.current.len() {
            match self.chunks.recv() {
                Ok(Ok(chunk)) if chunk.is_empty() => break,
                Ok(Ok(chunk)) => (self.current, self.at) = (chunk, 0),
                Ok(Err(e)) => return Err(e),
                // The inflating thread ended after the last chunk or an error it sent.
                Err(_) => break,
            }
        }
        Ok(&self.current[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.current.len());
    }
}

impl Read for Inflated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = buf.len().min(available.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// Reads a whole log (for tests and small logs; `open` streams).
pub fn read_all(path: &Path) -> Result<Vec<XesTrace>, FileError> {
    open(path)?.collect()
}

/// The line and column of a byte offset, found by reading the file again (only on error);
/// with `skip_space`, of the first byte after it that is not white space (where an element
/// begins when the offset is the end of the one before).
pub(crate) fn locate_offset(path: &Path, offset: u64, skip_space: bool) -> Option<Location> {
    let input = open_raw(path).ok()?;
    let (mut line, mut column) = (1usize, 1usize);
    for (at, byte) in input.bytes().enumerate() {
        let b = byte.ok()?;
        if at as u64 >= offset && !(skip_space && b.is_ascii_whitespace()) {
            break;
        }
        if b == b'\n' {
            line += 1;
            column = 1;
        } else if b & 0xc0 != 0x80 {
            column += 1;
        }
    }
    Some(Location { line, column })
}

/// Parses the timestamp forms found in real logs: RFC 3339 with or without fractions, with an
/// offset or `Z`, or without an offset (read as UTC); a space may stand for `T`. The common
/// form (`2011-09-30T22:38:44.546+02:00`, up to 9 fraction digits) is read by hand; anything
/// else goes to chrono, which gives the same instant for the common form (tested).
pub fn parse_timestamp(text: &str) -> Option<i64> {
    rfc3339_micros(text.as_bytes()).or_else(|| parse_timestamp_with_chrono(text))
}

/// [`parse_timestamp`] by chrono alone: the forms it tries, in order.
pub fn parse_timestamp_with_chrono(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_micros());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t.timestamp_micros());
        }
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t.and_utc().timestamp_micros());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp_micros());
    }
    None
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}][Z|+HH:MM|-HH:MM]` (no offset: UTC) in microseconds since the
/// epoch; `None` for anything else, out-of-range fields and leap seconds included (chrono
/// decides those).
#[inline]
fn rfc3339_micros(t: &[u8]) -> Option<i64> {
    rfc3339_prefix(t, &mut DateCache::default())
        .and_then(|(at, len)| (len == t.len()).then_some(at))
}

/// The last date read and its day number: the events of a trace mostly fall on a few days,
/// so most stamps skip the calendar arithmetic.
struct DateCache {
    date: [u8; 10],
    days: i64,
}

impl Default for DateCache {
    /// A real date: a date found in the cache is taken unchecked, so an empty cache must hold
    /// none that a stamp cannot have (ten zero bytes read as 1970-01-01 before).
    fn default() -> Self {
        DateCache {
            date: *b"1970-01-01",
            days: 0,
        }
    }
}

/// Days from 1970-01-01 to a `YYYY-MM-DD` date (the proleptic Gregorian calendar, as chrono
/// counts), checked.
fn rfc3339_days(d: &[u8; 10]) -> Option<i64> {
    if d[4] != b'-' || d[7] != b'-' {
        return None;
    }
    // Every digit checked at once (one branch instead of eight).
    const DIGITS: [usize; 8] = [0, 1, 2, 3, 5, 6, 8, 9];
    if DIGITS
        .iter()
        .fold(0u8, |bad, &i| bad | u8::from(d[i].wrapping_sub(b'0') > 9))
        != 0
    {
        return None;
    }
    let n = |i: usize| i64::from(d[i] - b'0') * 10 + i64::from(d[i + 1] - b'0');
    let (year, month, day) = (n(0) * 100 + n(2), n(5), n(8));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    if day < 1 || day > month_days {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The stamp at the start of `t` in the form of [`rfc3339_micros`] and how many bytes it takes
/// (what follows is the caller's to check).
#[inline]
fn rfc3339_prefix(t: &[u8], dates: &mut DateCache) -> Option<(i64, usize)> {
    // The date and time at fixed places: indexed in an array, without bounds checks.
    let d: &[u8; 19] = t.get(..19)?.try_into().ok()?;
    if d[10] != b'T' || d[13] != b':' || d[16] != b':' {
        return None;
    }
    let date: &[u8; 10] = d[..10].try_into().ok()?;
    let days = if *date == dates.date {
        dates.days
    } else {
        let days = rfc3339_days(date)?;
        *dates = DateCache { date: *date, days };
        days
    };
    const DIGITS: [usize; 6] = [11, 12, 14, 15, 17, 18];
    if DIGITS
        .iter()
        .fold(0u8, |bad, &i| bad | u8::from(d[i].wrapping_sub(b'0') > 9))
        != 0
    {
        return None;
    }
    let n = |i: usize| i64::from(d[i] - b'0') * 10 + i64::from(d[i + 1] - b'0');
    let (hour, minute, second) = (n(11), n(14), n(17));
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0i64;
    if t.get(at) == Some(&b'.') {
        at += 1;
        let mut digits = 0usize;
        // Most logs write 3 or 6 digits: read those three at a time.
        while let Some(three) = t.get(at..at + 3)
            && digits < 9
            && three.iter().all(u8::is_ascii_digit)
        {
            for &c in three {
                nanos = nanos * 10 + i64::from(c - b'0');
            }
            digits += 3;
            at += 3;
        }
        while let Some(&c) = t.get(at) {
            let v = c.wrapping_sub(b'0');
            if v > 9 {
                break;
            }
            if digits < 9 {
                nanos = nanos * 10 + i64::from(v);
            }
            digits += 1;
            at += 1;
        }
        if digits == 0 || digits > 9 {
            return None;
        }
        const SCALE: [i64; 9] = [
            100_000_000,
            10_000_000,
            1_000_000,
            100_000,
            10_000,
            1_000,
            100,
            10,
            1,
        ];
        nanos *= SCALE[digits - 1];
    }
    let offset = match t.get(at..) {
        Some([b'Z', ..]) => {
            at += 1;
            0
        }
        Some([sign @ (b'+' | b'-'), h1, h2, b':', m1, m2, ..]) => {
            let (h, m) = (two_digits(*h1, *h2)?, two_digits(*m1, *m2)?);
            if h > 23 || m > 59 {
                return None;
            }
            at += 6;
            (h * 3600 + m * 60) * if *sign == b'-' { -1 } else { 1 }
        }
        _ => 0,
    };
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some((seconds * 1_000_000 + nanos / 1000, at))
}

/// True when `bytes` hold `&`, a tab, a line feed or a carriage return: the only bytes
/// quick-xml's XML 1.0 attribute-value normalisation changes (most values have none). Eight
/// bytes at a time: a byte equal to `b` is a zero byte of `word ^ b...b`, and
/// `(x - 0x01..01) & !x & 0x80..80` is not zero exactly when `x` has a zero byte.
fn needs_normalising(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS != 0
    };
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(chunk);
        let word = u64::from_le_bytes(eight);
        if has(word, b'&') | has(word, b'\t') | has(word, b'\n') | has(word, b'\r') {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|c| matches!(c, b'&' | b'\t' | b'\n' | b'\r'))
}

/// Two ASCII digits as a number.
#[inline(always)]
fn two_digits(tens: u8, ones: u8) -> Option<i64> {
    let (tens, ones) = (tens.wrapping_sub(b'0'), ones.wrapping_sub(b'0'));
    (tens < 10 && ones < 10).then_some(i64::from(tens) * 10 + i64::from(ones))
}

/// The elements that hold one attribute (`<string key=".." value=".."/>` and its kinds).
fn is_attribute_tag(local_name: &[u8]) -> bool {
    matches!(
        local_name,
        b"string" | b"date" | b"int" | b"float" | b"boolean" | b"id" | b"list" | b"container"
    )
}

/// The attribute keys the reader keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Name,
    Timestamp,
    Lifecycle,
}

impl Key {
    const ALL: [Key; 3] = [Key::Name, Key::Timestamp, Key::Lifecycle];

    fn of(raw: &[u8]) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name().as_bytes() == raw)
    }

    fn name(self) -> &'static str {
        match self {
            Key::Name => "concept:name",
            Key::Timestamp => "time:timestamp",
            Key::Lifecycle => "lifecycle:transition",
        }
    }
}

/// The part of a qualified name after its prefix (`xes:trace` -> `trace`).
fn local_name(name: &[u8]) -> &[u8] {
    // Names are short: a plain loop beats memchr's set-up.
    name.iter()
        .position(|&c| c == b':')
        .map_or(name, |i| &name[i + 1..])
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Log,
    Trace,
    Event,
    /// Anything we do not read (metadata, nested attributes, globals...).
    Other,
}

#[derive(Default)]
struct PendingEvent {
    activity: Option<String>,
    timestamp_us: Option<i64>,
    /// False when a `lifecycle:transition` other than `complete` was read.
    complete: bool,
    number: u64,
}

#[derive(Default)]
struct PendingTrace {
    case_id: Option<String>,
    /// Every event read, with whether it is kept.
    events: Vec<(PendingEvent, bool)>,
}

impl PendingTrace {
    /// The trace as the reader gives it: sorted by time when every event has one, the events
    /// not kept left out. `index`: its 0-based place in the log (the case id without a name).
    /// Also gives back the emptied list of events, for the next trace to fill.
    fn finish(self, index: usize) -> (XesTrace, Vec<(PendingEvent, bool)>) {
        let mut events = self.events;
        if events.iter().all(|(e, _)| e.timestamp_us.is_some())
            && !events.is_sorted_by_key(|(e, _)| e.timestamp_us)
        {
            events.sort_by_key(|(e, _)| e.timestamp_us); // stable
        }
        let mut kept = Vec::with_capacity(events.iter().filter(|(_, keep)| *keep).count());
        kept.extend(
            events
                .drain(..)
                .filter(|(_, keep)| *keep)
                .map(|(e, _)| XesEvent {
                    activity: e.activity.unwrap_or_default(),
                    timestamp_us: e.timestamp_us,
                    number: e.number,
                }),
        );
        let trace = XesTrace {
            case_id: self.case_id.unwrap_or_else(|| index.to_string()),
            events: kept,
        };
        (trace, events)
    }
}

/// The hint of every malformed-log error.
const MALFORMED_HINT: &str = "the XES log is malformed at that place; fix or re-export it (pm4py, ProM and Disco write valid XES)";

/// The last tag found by the scanner, as places in its buffer (valid until its next call).
#[derive(Debug, Clone, Copy, Default)]
struct Tag {
    name: (usize, usize),
    /// The values of the `key` and `value` attributes (the last of each), quotes left out;
    /// an empty range when there is none (which reads as an empty value: the same).
    key: (usize, usize),
    value: (usize, usize),
    empty: bool,
}

/// What the scanner found; the tag's places are in [`Scanner::tag`]. (A small value: results
/// carrying the whole tag were a third of the scanner's time, copied on the stack.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    Start,
    End,
    /// A comment, CDATA section, processing instruction or DOCTYPE.
    Skipped,
    Eof,
}

/// What stopped the scanner, at a byte offset of the file (boxed: the scanner's results stay
/// small on the hot path).
#[derive(Debug)]
enum ScanError {
    Malformed(u64, String),
    TooLong(u64),
    Io(u64, std::io::Error),
    /// A chunk of the file ([`split`]) ends inside this markup: not an error of the file, the
    /// chunk was cut in a wrong place.
    Cut,
}

/// How much the scanner asks of its input at a time.
const READ_BYTES: usize = 1 << 18;

/// The bytes of the file in a buffer that slides forward; see the module documentation.
struct Scanner<R> {
    input: R,
    buf: Vec<u8>,
    /// `buf[..end]` holds bytes read; `buf[pos..end]` is not yet scanned.
    end: usize,
    pos: usize,
    /// The file offset of `buf[0]`.
    base: u64,
    eof: bool,
    /// `buf[..checked]` is valid UTF-8 (a character cut by the end of a read waits).
    checked: usize,
    /// The file offset of the first byte that is not UTF-8.
    bad_utf8: Option<u64>,
    /// The last start or end tag found.
    tag: Tag,
    /// The input's error, told once the bytes before it are scanned.
    io_error: Option<std::io::Error>,
    /// How much to read at a time ([`READ_BYTES`]; the tests make it tiny to cut elements).
    read_bytes: usize,
    /// The input is a chunk of the file ([`split`]) that ends where another begins, not at
    /// the end of the file.
    cut: bool,
}

impl Scanner<std::io::Empty> {
    /// A scanner over one chunk of the file, starting at file offset `base`; with `cut`, the
    /// chunk ends where the next one begins.
    fn over(chunk: Vec<u8>, base: u64, cut: bool) -> Self {
        let mut scanner = Scanner::new(std::io::empty());
        scanner.end = chunk.len();
        scanner.buf = chunk;
        scanner.base = base;
        scanner.eof = true;
        scanner.cut = cut;
        scanner.check_read_bytes();
        scanner
    }
}

impl<R: Read> Scanner<R> {
    fn new(input: R) -> Self {
        Scanner {
            input,
            buf: Vec::new(),
            end: 0,
            pos: 0,
            base: 0,
            eof: false,
            checked: 0,
            bad_utf8: None,
            tag: Tag::default(),
            io_error: None,
            read_bytes: READ_BYTES,
            cut: false,
        }
    }

    fn offset(&self, at: usize) -> u64 {
        self.base + at as u64
    }

    /// Drops `buf[..keep]` and reads more after what is left: at least as much as is left, so
    /// that rescanning a long element costs no more than reading it.
    fn fill(&mut self, keep: usize) -> Result<(), Box<ScanError>> {
        self.buf.copy_within(keep..self.end, 0);
        self.end -= keep;
        self.pos -= keep;
        self.checked = self.checked.saturating_sub(keep);
        self.base += keep as u64;
        let want = self.end.max(self.read_bytes);
        if self.buf.len() < self.end + want {
            self.buf.resize(self.end + want, 0);
        } else if self.buf.len() > 4 * self.read_bytes && self.end + want < self.buf.len() / 2 {
            // After a long element: give the memory back.
            self.buf.truncate(self.end + want);
            self.buf.shrink_to_fit();
        }
        while self.end < self.buf.len() {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // What was read before is scanned first: the error is told where the
                    // scanner runs out of bytes (a truncated .gz ends in one).
                    self.eof = true;
                    self.io_error = Some(e);
                    break;
                }
            }
        }
        self.check_read_bytes();
        Ok(())
    }

    /// Checks the bytes read since the last check as UTF-8 (a character cut by the end of the
    /// read waits for the rest, unless the input ended).
    fn check_read_bytes(&mut self) {
        if self.bad_utf8.is_none() {
            if let Err(e) = simdutf8::compat::from_utf8(&self.buf[self.checked..self.end]) {
                let valid = self.checked + e.valid_up_to();
                if e.error_len().is_some() || self.eof {
                    self.bad_utf8 = Some(self.offset(valid));
                }
                self.checked = valid;
            } else {
                self.checked = self.end;
            }
        }
    }

    /// An error when the bytes up to `until` are not all UTF-8.
    fn check_utf8(&self, until: usize) -> Result<(), Box<ScanError>> {
        match self.bad_utf8 {
            Some(bad) if self.offset(until) > bad => Err(Box::new(ScanError::Malformed(
                bad,
                "the file is not UTF-8 here (XES logs are UTF-8)".into(),
            ))),
            _ => Ok(()),
        }
    }

    /// The next piece of markup and the file offset of its `<`; text between markup is
    /// skipped.
    fn next(&mut self) -> Result<(Markup, u64), Box<ScanError>> {
        loop {
            let text = &self.buf[self.pos..self.end];
            // Markup mostly follows markup or a line break: look there before memchr.
            let found = match text {
                [b'<', ..] => Some(0),
                [b'\n', b'<', ..] => Some(1),
                _ => memchr(b'<', text),
            };
            let Some(found) = found else {
                if self.cut && self.bad_utf8.is_some() {
                    // Without chunks, the markup after this text may be what is told.
                    return Err(Box::new(ScanError::Cut));
                }
                self.check_utf8(self.end)?;
                self.pos = self.end;
                if self.eof {
                    if let Some(e) = self.io_error.take() {
                        return Err(Box::new(ScanError::Io(self.offset(self.end), e)));
                    }
                    return Ok((Markup::Eof, self.offset(self.end)));
                }
                // Text is skipped (a byte-order mark too), but a character cut by the end of
                // the read is kept for its check.
                self.fill(self.checked.min(self.end))?;
                continue;
            };
            let at = self.pos + found;
            // A byte that is not UTF-8 in the text before is told before anything wrong with
            // this markup: the first error in the file, however the reads were cut (a text cut
            // by the end of a read is checked on its own).
            self.check_utf8(at)?;
            match self.markup(at)? {
                Some((_, next)) if next - at > MAX_ELEMENT_BYTES => {
                    return Err(Box::new(ScanError::TooLong(self.offset(at))));
                }
                Some((markup, next)) => {
                    self.check_utf8(next)?;
                    self.pos = next;
                    return Ok((markup, self.offset(at)));
                }
                // Before any other verdict: the reader goes on from the chunk's start without
                // chunks, and says what is wrong with this markup, if anything.
                None if self.cut => return Err(Box::new(ScanError::Cut)),
                None if self.eof => {
                    if let Some(e) = self.io_error.take() {
                        return Err(Box::new(ScanError::Io(self.offset(at), e)));
                    }
                    self.check_utf8(self.end)?;
                    return Err(Box::new(ScanError::Malformed(
                        self.offset(at),
                        "malformed XML: the file ends inside this element (truncated log?)".into(),
                    )));
                }
                None if self.end - at > MAX_ELEMENT_BYTES => {
                    return Err(Box::new(ScanError::TooLong(self.offset(at))));
                }
                None => {
                    self.pos = at;
                    self.fill(at)?;
                }
            }
        }
    }

    /// The markup starting with the `<` at `at` and the place after it; `None` when the buffer
    /// ends before it does.
    fn markup(&mut self, at: usize) -> Result<Option<(Markup, usize)>, Box<ScanError>> {
        let b = &self.buf[..self.end];
        let rest = &b[at..];
        let after = |found: Option<usize>, from: usize, len: usize| {
            found.map(|i| (Markup::Skipped, at + from + i + len))
        };
        let starts = |prefix: &[u8]| {
            let n = prefix.len().min(rest.len());
            rest[..n].eq_ignore_ascii_case(&prefix[..n])
        };
        match rest.get(1) {
            None => Ok(None),
            Some(b'?') => Ok(after(memmem::find(&rest[2..], b"?>"), 2, 2)),
            Some(b'!') if starts(b"<!--") && rest.len() >= 4 => {
                Ok(after(memmem::find(&rest[4..], b"-->"), 4, 3))
            }
            Some(b'!') if starts(b"<![CDATA[") && rest.len() >= 9 => {
                Ok(after(memmem::find(&rest[9..], b"]]>"), 9, 3))
            }
            Some(b'!') if starts(b"<!DOCTYPE") && rest.len() >= 9 => {
                // `<` and `>` pair up inside (the internal subset's declarations).
                let mut depth = 1usize;
                for (i, &c) in rest.iter().enumerate().skip(9) {
                    match c {
                        b'<' => depth += 1,
                        b'>' if depth == 1 => return Ok(Some((Markup::Skipped, at + i + 1))),
                        b'>' => depth -= 1,
                        _ => {}
                    }
                }
                Ok(None)
            }
            Some(b'!') if (starts(b"<!--") || starts(b"<![CDATA[") || starts(b"<!DOCTYPE")) => {
                Ok(None)
            }
            Some(b'!') => Err(Box::new(ScanError::Malformed(
                self.offset(at),
                "malformed XML: `<!` starts no comment, CDATA section or DOCTYPE".into(),
            ))),
            Some(b'/') => Ok(memchr(b'>', rest).map(|gt| {
                let name = rest[2..gt].trim_ascii_end();
                self.tag.name = (at + 2, at + 2 + name.len());
                (Markup::End, at + gt + 1)
            })),
            Some(_) => self.start_tag(at),
        }
    }

    /// A start tag: its name, then attributes `name="value"` (or single quotes) separated by
    /// white space, then `>` or `/>`.
    fn start_tag(&mut self, at: usize) -> Result<Option<(Markup, usize)>, Box<ScanError>> {
        let b = &self.buf[..self.end];
        let malformed = |what: &str| {
            Err(Box::new(ScanError::Malformed(
                self.offset(at),
                format!("malformed XML: {what}"),
            )))
        };
        let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        let name_end = match b[at + 1..]
            .iter()
            .position(|&c| is_space(c) || c == b'>' || c == b'/')
        {
            Some(n) => at + 1 + n,
            None => return Ok(None),
        };
        if name_end == at + 1
            || b[at + 1..name_end]
                .iter()
                .any(|c| matches!(c, b'"' | b'\'' | b'<' | b'=' | b'&'))
        {
            return malformed("`<` is not followed by an element name");
        }
        let mut tag = Tag {
            name: (at + 1, name_end),
            key: (0, 0),
            value: (0, 0),
            empty: false,
        };
        let mut i = name_end;
        loop {
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let Some(&c) = b.get(i) else { return Ok(None) };
            match c {
                b'>' => {
                    self.tag = tag;
                    return Ok(Some((Markup::Start, i + 1)));
                }
                b'/' => {
                    return match b.get(i + 1) {
                        None => Ok(None),
                        Some(b'>') => {
                            tag.empty = true;
                            self.tag = tag;
                            Ok(Some((Markup::Start, i + 2)))
                        }
                        Some(_) => malformed("`/` inside a tag is not followed by `>`"),
                    };
                }
                _ => {}
            }
            let name_start = i;
            let Some(n) = b[i..]
                .iter()
                .position(|&c| matches!(c, b'=' | b'>' | b'"' | b'\''))
            else {
                return Ok(None);
            };
            let name = b[name_start..i + n].trim_ascii_end();
            // White space inside the name (`k y="v"`): `k` has no value, as when `=` is missing.
            if b[i + n] != b'=' || name.iter().any(|&c| is_space(c)) {
                return malformed("an attribute without `=\"value\"`");
            }
            i += n + 1;
            while i < b.len() && is_space(b[i]) {
                i += 1;
            }
            let Some(&quote) = b.get(i) else {
                return Ok(None);
            };
            if quote != b'"' && quote != b'\'' {
                return malformed("an attribute value without quotes");
            }
            let Some(len) = memchr(quote, &b[i + 1..]) else {
                return Ok(None);
            };
            let value = (i + 1, i + 1 + len);
            match local_name(name) {
                b"key" => tag.key = value,
                b"value" => tag.value = value,
                _ => {}
            }
            i = value.1 + 1;
            match b.get(i) {
                None => return Ok(None),
                Some(&c) if is_space(c) || c == b'>' || c == b'/' => {}
                Some(_) => return malformed("attributes must be separated by white space"),
            }
        }
    }
}

/// Reads traces one at a time; an iterator of `Result<XesTrace, FileError>`.
pub struct XesReader<R: Read> {
    scanner: Scanner<R>,
    log: LogState,
    /// For a chunk that ends where another begins: once read, whether it ended between two
    /// traces (so the next chunk started in the right place).
    cut_between_traces: Option<bool>,
    /// The last date the event fast path read.
    dates: DateCache,
}

/// What the reader knows of the document so far.
struct LogState {
    path: PathBuf,
    /// The open elements, each with where its name starts in `names`.
    stack: Vec<(Node, usize)>,
    /// The names of the open elements, one after another (end tags are checked against them).
    names: Vec<u8>,
    trace: Option<PendingTrace>,
    /// The events list of the last trace, emptied, for the next one.
    spare_events: Vec<(PendingEvent, bool)>,
    event: Option<PendingEvent>,
    n_traces: usize,
    saw_log: bool,
    done: bool,
    /// For a chunk of the file ([`split`]): the places (in the chunk) of the traces without a
    /// `concept:name`, whose case id is their place in the whole log.
    unnamed: Option<Vec<usize>>,
}

/// Opens an `.xes` or `.xes.gz` file (gzip is recognised by its magic bytes).
/// A plain log of [`SPLIT_MIN_BYTES`] or more is read on every core (the `split` module).
pub fn open(path: &Path) -> Result<Traces, FileError> {
    open_with_threads(path, 0)
}

/// [`open`] with at most `threads` threads reading (0: one per core); a plain log under
/// [`SPLIT_MIN_BYTES`] is read on one thread.
pub fn open_with_threads(path: &Path, threads: usize) -> Result<Traces, FileError> {
    let mut options = SplitOptions::default();
    if threads != 0 {
        options.workers = options.workers.min(threads);
    }
    let small = std::fs::metadata(path).is_ok_and(|m| m.len() < SPLIT_MIN_BYTES);
    if small || options.workers < 2 {
        return Ok(Traces::whole(XesReader::new(open_raw(path)?, path)));
    }
    open_split(path, options)
}

impl LogState {
    fn new(path: &Path) -> LogState {
        LogState {
            path: path.to_path_buf(),
            stack: Vec::new(),
            names: Vec::new(),
            trace: None,
            spare_events: Vec::new(),
            event: None,
            n_traces: 0,
            saw_log: false,
            done: false,
            unnamed: None,
        }
    }

    /// The state between two traces of a log whose root element is `<log>` (no prefix), after
    /// `n_traces` traces: where every chunk but the first starts.
    fn between_traces(path: &Path, n_traces: usize) -> LogState {
        LogState {
            stack: vec![(Node::Log, 0)],
            names: b"log".to_vec(),
            n_traces,
            saw_log: true,
            ..LogState::new(path)
        }
    }

    /// True when the reader is where [`LogState::between_traces`] starts.
    fn is_between_traces(&self) -> bool {
        matches!(self.stack[..], [(Node::Log, 0)])
            && self.names == b"log"
            && self.trace.is_none()
            && self.event.is_none()
    }

    fn error(&self, offset: u64, message: impl Into<String>) -> FileError {
        let location = locate_offset(&self.path, offset, false);
        FileError::new(&self.path, location, message).with_hint(MALFORMED_HINT)
    }

    fn scan_error(&self, error: ScanError) -> FileError {
        match error {
            ScanError::Malformed(at, message) => self.error(at, message),
            ScanError::TooLong(at) => self.error(
                at,
                format!(
                    "an element here is longer than {} MB; the reader takes at most that much in one element (a damaged or hostile log?)",
                    MAX_ELEMENT_BYTES >> 20
                ),
            ),
            ScanError::Io(at, e) => self.error(
                at,
                format!("the log cannot be read past here: {e} (a truncated or damaged file?)"),
            ),
            // Handled by the reader before this (never reached).
            ScanError::Cut => FileError::new(&self.path, None, "a chunk of the log ended early"),
        }
    }

    /// The value of an attribute element whose `key` is one the reader keeps and `wanted`,
    /// unescaped.
    fn key_value<'b>(
        &self,
        buf: &'b [u8],
        tag: &Tag,
        offset: u64,
        wanted: impl Fn(Key) -> bool,
    ) -> Result<Option<(Key, Cow<'b, str>)>, FileError> {
        let Some(kind) = Key::of(&buf[tag.key.0..tag.key.1]).filter(|&k| wanted(k)) else {
            return Ok(None);
        };
        let (a, b) = tag.value;
        if b - a > MAX_VALUE_BYTES {
            return Err(self.error(
                offset,
                format!(
                    "the value of `{}` is {} bytes long; the reader keeps at most {MAX_VALUE_BYTES}",
                    kind.name(),
                    b - a
                ),
            ));
        }
        // The scanner checked that everything it passed is UTF-8.
        let raw = simdutf8::basic::from_utf8(&buf[a..b])
            .map_err(|_| self.error(offset, "the file is not UTF-8 here"))?;
        let value = if needs_normalising(raw.as_bytes()) {
            let attribute = Attribute {
                key: QName("value"),
                value: Cow::Borrowed(raw),
            };
            attribute
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| self.error(offset, format!("bad attribute value: {err}")))?
        } else {
            Cow::Borrowed(raw)
        };
        Ok(Some((kind, value)))
    }

    /// Handles a start tag; returns a finished trace if an empty `<trace/>` closed one.
    fn open_element(
        &mut self,
        buf: &[u8],
        tag: &Tag,
        offset: u64,
    ) -> Result<Option<XesTrace>, FileError> {
        let qname = &buf[tag.name.0..tag.name.1];
        let name = local_name(qname);
        let node = match (self.stack.last().map(|(node, _)| *node), name) {
            (None, b"log") => {
                self.saw_log = true;
                Node::Log
            }
            (None, _) => {
                return Err(self.error(
                    offset,
                    format!(
                        "expected the XES root element <log>, found <{}>",
                        String::from_utf8_lossy(name)
                    ),
                ));
            }
            (Some(Node::Log), b"trace") => {
                // The list of the trace before, emptied: no growing it again for every trace.
                self.trace = Some(PendingTrace {
                    case_id: None,
                    events: std::mem::take(&mut self.spare_events),
                });
                Node::Trace
            }
            (Some(Node::Trace), b"event") => {
                let number = self.trace.as_ref().map_or(0, |t| t.events.len() as u64 + 1);
                if number as usize > MAX_TRACE_EVENTS {
                    return Err(self.error(
                        offset,
                        format!(
                            "this trace has more than {MAX_TRACE_EVENTS} events; the reader takes at most that many per trace"
                        ),
                    ));
                }
                self.event = Some(PendingEvent {
                    number,
                    complete: true,
                    ..PendingEvent::default()
                });
                Node::Event
            }
            (Some(Node::Trace), tag_name) if is_attribute_tag(tag_name) => {
                if let Some((_, value)) = self.key_value(buf, tag, offset, |k| k == Key::Name)?
                    && let Some(trace) = self.trace.as_mut()
                {
                    trace.case_id = Some(value.into_owned());
                }
                Node::Other
            }
            (Some(Node::Event), tag_name) if is_attribute_tag(tag_name) => {
                // The common stamp is read straight from its bytes: it holds nothing to
                // unescape (digits, `-`, `T`, `:`, `.`, `+`, `Z`).
                let stamp = (Key::of(&buf[tag.key.0..tag.key.1]) == Some(Key::Timestamp))
                    .then(|| rfc3339_micros(&buf[tag.value.0..tag.value.1]))
                    .flatten();
                if let Some(at) = stamp {
                    if let Some(event) = self.event.as_mut() {
                        event.timestamp_us = Some(at);
                    }
                } else if let Some((key, value)) = self.key_value(buf, tag, offset, |_| true)? {
                    self.event_attribute(key, &value, offset)?;
                }
                Node::Other
            }
            _ => Node::Other,
        };
        if tag.empty {
            self.stack.push((node, self.names.len()));
            return self.close_element(offset);
        }
        self.stack.push((node, self.names.len()));
        self.names.extend_from_slice(qname);
        Ok(None)
    }

    fn event_attribute(&mut self, key: Key, value: &str, offset: u64) -> Result<(), FileError> {
        let timestamp = match key {
            Key::Timestamp => Some(parse_timestamp(value).ok_or_else(|| {
                self.error(
                    offset,
                    format!("time:timestamp `{value}` is not a date and time"),
                )
            })?),
            _ => None,
        };
        if let Some(event) = self.event.as_mut() {
            match key {
                Key::Name => event.activity = Some(value.to_owned()),
                Key::Timestamp => event.timestamp_us = timestamp,
                Key::Lifecycle => event.complete = value.eq_ignore_ascii_case("complete"),
            }
        }
        Ok(())
    }

    /// An end tag, checked against the open element.
    fn end_element(&mut self, name: &[u8], offset: u64) -> Result<Option<XesTrace>, FileError> {
        let Some(&(_, from)) = self.stack.last() else {
            return Err(self.error(
                offset,
                format!(
                    "malformed XML: `</{}>` closes no open element",
                    String::from_utf8_lossy(name)
                ),
            ));
        };
        if &self.names[from..] != name {
            return Err(self.error(
                offset,
                format!(
                    "malformed XML: expected `</{}>`, found `</{}>`",
                    String::from_utf8_lossy(&self.names[from..]),
                    String::from_utf8_lossy(name)
                ),
            ));
        }
        self.names.truncate(from);
        self.close_element(offset)
    }

    fn close_element(&mut self, offset: u64) -> Result<Option<XesTrace>, FileError> {
        match self.stack.pop().map(|(node, _)| node) {
            Some(Node::Event) => {
                let event = self.event.take().unwrap_or_default();
                if event.activity.is_none() {
                    return Err(self.error(
                        offset,
                        format!("event {} of this trace has no concept:name", event.number),
                    ));
                }
                let keep = event.complete;
                if let Some(trace) = self.trace.as_mut() {
                    trace.events.push((event, keep));
                }
                Ok(None)
            }
            Some(Node::Trace) => {
                let Some(trace) = self.trace.take() else {
                    return Ok(None);
                };
                if trace.case_id.is_none()
                    && let Some(unnamed) = self.unnamed.as_mut()
                {
                    unnamed.push(self.n_traces);
                }
                self.n_traces += 1;
                let (trace, spare) = trace.finish(self.n_traces - 1);
                self.spare_events = spare;
                Ok(Some(trace))
            }
            _ => Ok(None),
        }
    }
}

impl<R: Read> XesReader<R> {
    pub fn new(input: R, path: &Path) -> XesReader<R> {
        XesReader {
            scanner: Scanner::new(input),
            log: LogState::new(path),
            cut_between_traces: None,
            dates: DateCache::default(),
        }
    }

    /// A reader of the rest of the log from `offset` of the file, where `input` starts: a
    /// place between two traces, after `n_traces` of them (see [`LogState::between_traces`]).
    fn resume(input: R, path: &Path, offset: u64, n_traces: usize) -> XesReader<R> {
        let mut reader = XesReader::new(input, path);
        reader.scanner.base = offset;
        if offset > 0 {
            reader.log = LogState::between_traces(path, n_traces);
        }
        reader
    }

    /// The reader reading `bytes` at a time (the tests cut elements across reads with it).
    #[cfg(test)]
    fn reading(mut self, bytes: usize) -> Self {
        self.scanner.read_bytes = bytes;
        self
    }

    fn next_trace(&mut self) -> Result<Option<XesTrace>, FileError> {
        loop {
            if matches!(self.log.stack.last(), Some((Node::Trace, _))) && self.plain_event() {
                continue;
            }
            let (markup, offset) = match self.scanner.next() {
                Err(e) if matches!(*e, ScanError::Cut) => {
                    self.cut_between_traces = Some(false);
                    return Ok(None);
                }
                found => found.map_err(|e| self.log.scan_error(*e))?,
            };
            let buf = &self.scanner.buf;
            let done = match markup {
                Markup::Start => self.log.open_element(buf, &self.scanner.tag, offset)?,
                Markup::End => {
                    let (from, to) = self.scanner.tag.name;
                    self.log.end_element(&buf[from..to], offset)?
                }
                Markup::Skipped => None,
                Markup::Eof if self.scanner.cut => {
                    self.cut_between_traces = Some(self.log.is_between_traces());
                    return Ok(None);
                }
                Markup::Eof => {
                    if !self.log.saw_log {
                        return Err(self
                            .log
                            .error(offset, "no <log> element: this is not an XES log"));
                    }
                    if !self.log.stack.is_empty() {
                        return Err(self
                            .log
                            .error(offset, "the file ends inside an element (truncated log?)"));
                    }
                    return Ok(None);
                }
            };
            if done.is_some() {
                return Ok(done);
            }
        }
    }
}

/// The attribute elements an event's fast path reads (`list` and `container` hold elements).
fn is_plain_attribute_tag(name: &[u8]) -> bool {
    is_attribute_tag(name) && !matches!(name, b"list" | b"container")
}

/// An event read by [`XesReader::plain_event`]: the place after its `</event>` and what it
/// holds.
struct PlainEvent<'b> {
    end: usize,
    activity: Option<&'b [u8]>,
    timestamp_us: Option<i64>,
    complete: bool,
}

/// Reads `<event>` followed by attribute elements of the plain form and `</event>` at the start
/// of `b` (white space before it and between its elements allowed): `<NAME key="K"
/// value="V"/>` with the two attributes in either order, each separated by white space,
/// double quotes, values kept without anything to unescape. `None` for anything else, a
/// timestamp not in the common form included, and when `b` ends first: the general reader
/// then reads the same bytes (and tells what is wrong, if anything).
fn plain_event<'b>(b: &'b [u8], dates: &mut DateCache) -> Option<PlainEvent<'b>> {
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let skip_space = |mut i: usize| {
        while i < b.len() && is_space(b[i]) {
            i += 1;
        }
        i
    };
    let mut i = skip_space(0);
    i += b.get(i..)?.starts_with(b"<event>").then_some(7)?;
    let mut event = PlainEvent {
        end: 0,
        activity: None,
        timestamp_us: None,
        complete: true,
    };
    loop {
        i = skip_space(i);
        let rest = b.get(i..)?;
        if rest.starts_with(b"</event>") {
            event.end = i + 8;
            // No element of it can be longer than the general path takes.
            return (event.end <= MAX_ELEMENT_BYTES).then_some(event);
        }
        if rest.first() != Some(&b'<') {
            return None;
        }
        let name_len = rest[1..].iter().position(|&c| is_space(c))?;
        if !is_plain_attribute_tag(&rest[1..=name_len]) {
            return None;
        }
        i += 1 + name_len;
        // The key as read, and which of the kept keys it is.
        let (mut key, mut kept, mut value): (Option<&[u8]>, Option<Key>, Option<&[u8]>) =
            (None, None, None);
        // A stamp read in place when its key came first (no search for its closing quote).
        let mut stamp = None;
        loop {
            i = skip_space(i);
            let rest = b.get(i..)?;
            if rest.starts_with(b"/>") {
                i += 2;
                break;
            }
            let start;
            let len = if rest.starts_with(b"key=\"") && key.is_none() {
                start = i + 5;
                let len = match known_key(&b[start..]) {
                    Some((len, known)) => {
                        kept = Some(known);
                        len
                    }
                    None => memchr(b'"', &b[start..])?,
                };
                key = Some(&b[start..start + len]);
                len
            } else if rest.starts_with(b"value=\"") && value.is_none() {
                start = i + 7;
                let len = if kept == Some(Key::Timestamp) {
                    let (at, len) = rfc3339_prefix(&b[start..], dates)?;
                    stamp = Some(at);
                    len
                } else {
                    memchr(b'"', &b[start..])?
                };
                value = Some(&b[start..start + len]);
                len
            } else {
                // Another attribute, or one given twice.
                return None;
            };
            i = start + len;
            // The closing quote, then white space or `/>`: attributes are separated by it.
            if b.get(i) != Some(&b'"') || !b.get(i + 1).is_some_and(|&c| is_space(c) || c == b'/') {
                return None;
            }
            i += 1;
        }
        let value = value.unwrap_or_default();
        // A kept key not matched at once (never in practice: `known_key` sees them all).
        let kept = kept.or_else(|| key.and_then(Key::of));
        match kept {
            Some(Key::Timestamp) => {
                event.timestamp_us = Some(match stamp {
                    Some(at) => at,
                    None => rfc3339_micros(value)?,
                });
            }
            Some(_) if value.len() > MAX_VALUE_BYTES || needs_normalising(value) => return None,
            Some(Key::Name) => event.activity = Some(value),
            Some(Key::Lifecycle) => event.complete = value.eq_ignore_ascii_case(b"complete"),
            None => {}
        }
    }
}

/// `bytes` as text when they are UTF-8. Short names are checked for ASCII a word at a time,
/// which is several times quicker than the general check (most activity names are ASCII).
fn ascii_or_utf8(bytes: &[u8]) -> Option<&str> {
    if bytes.is_ascii() {
        // SAFETY: ASCII bytes are valid UTF-8, checked just above.
        Some(unsafe { std::str::from_utf8_unchecked(bytes) })
    } else {
        std::str::from_utf8(bytes).ok()
    }
}

/// The kept key at the start of `b` and its length, when its closing quote follows.
fn known_key(b: &[u8]) -> Option<(usize, Key)> {
    Key::ALL.into_iter().find_map(|key| {
        let name = key.name().as_bytes();
        (b.starts_with(name) && b.get(name.len()) == Some(&b'"')).then_some((name.len(), key))
    })
}

impl<R: Read> XesReader<R> {
    /// Inside a trace, reads a whole event of the plain form at once when it is all in the
    /// buffer ([`plain_event`]), as the general path would read it; false when it is not there
    /// (nothing is then consumed). Most events of real logs are of that form; reading them in
    /// one pass, without the general path's tag-by-tag bookkeeping, roughly halves the time.
    fn plain_event(&mut self) -> bool {
        let scanner = &mut self.scanner;
        let Some(event) = plain_event(&scanner.buf[scanner.pos..scanner.end], &mut self.dates)
        else {
            return false;
        };
        let end = scanner.pos + event.end;
        let Some(trace) = self.log.trace.as_mut() else {
            return false;
        };
        let number = trace.events.len() as u64 + 1;
        // The general path tells these errors at their place.
        if number as usize > MAX_TRACE_EVENTS || scanner.check_utf8(end).is_err() {
            return false;
        }
        let Some(activity) = event.activity.and_then(ascii_or_utf8) else {
            return false;
        };
        let keep = event.complete;
        trace.events.push((
            PendingEvent {
                activity: Some(activity.to_owned()),
                timestamp_us: event.timestamp_us,
                complete: event.complete,
                number,
            },
            keep,
        ));
        scanner.pos = end;
        true
    }
}

impl<R: Read> Iterator for XesReader<R> {
    type Item = Result<XesTrace, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.log.done {
            return None;
        }
        match self.next_trace() {
            Ok(Some(trace)) => Some(Ok(trace)),
            Ok(None) => {
                self.log.done = true;
                None
            }
            Err(e) => {
                self.log.done = true;
                Some(Err(e))
            }
        }
    }
}
