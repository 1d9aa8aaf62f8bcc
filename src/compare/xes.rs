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
//! The document is read with quick-xml one trace at a time: a large log never sits whole in
//! memory. `.xes.gz` files are decompressed on the fly with flate2. Nothing is copied that is
//! not kept: attribute values are unescaped only for the keys read.
//!
//! Bounds, so a hostile file (a gzip bomb inflating one attribute to gigabytes) ends in a clear
//! error naming the file and line instead of exhausting memory: one XML element or text at most
//! [`MAX_ELEMENT_BYTES`], a kept value (activity, case id) at most [`MAX_VALUE_BYTES`], a trace
//! at most [`MAX_TRACE_EVENTS`] events.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::ObservedStep;
use crate::model::{FileError, Location};

/// The longest XML element (tag with its attributes) or text the reader takes.
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

struct PendingTrace {
    case_id: Option<String>,
    events: Vec<(PendingEvent, bool)>,
}

/// The input with a bound on the bytes one XML event may take: the reader restarts the count
/// before each event, and a read past [`MAX_ELEMENT_BYTES`] fails (and says so in `tripped`).
pub struct Bounded<R> {
    inner: R,
    since_start: usize,
    tripped: bool,
}

impl<R> Bounded<R> {
    fn start_event(&mut self) {
        self.since_start = 0;
    }

    fn check(&mut self) -> std::io::Result<()> {
        if self.since_start > MAX_ELEMENT_BYTES {
            self.tripped = true;
            return Err(std::io::Error::other("element too long"));
        }
        Ok(())
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.check()?;
        let n = self.inner.read(buf)?;
        self.since_start += n;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Bounded<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.check()?;
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.since_start += amount;
        self.inner.consume(amount);
    }
}

/// Reads traces one at a time; an iterator of `Result<XesTrace, FileError>`.
pub struct XesReader<R: BufRead> {
    reader: quick_xml::Reader<Bounded<R>>,
    buf: Vec<u8>,
    path: PathBuf,
    stack: Vec<Node>,
    trace: Option<PendingTrace>,
    event: Option<PendingEvent>,
    n_traces: usize,
    saw_log: bool,
    done: bool,
}

/// Opens an `.xes` or `.xes.gz` file (gzip is recognised by its magic bytes).
pub fn open(path: &Path) -> Result<XesReader<Box<dyn BufRead>>, FileError> {
    let input = open_raw(path)?;
    Ok(XesReader::new(input, path))
}

fn open_raw(path: &Path) -> Result<Box<dyn BufRead>, FileError> {
    let file = File::open(path).map_err(|e| {
        FileError::new(path, None, format!("cannot read the XES log: {e}"))
            .with_hint("check the path and that the file is readable")
    })?;
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
fn locate_offset(path: &Path, offset: u64, skip_space: bool) -> Option<Location> {
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
/// offset or `Z`, or without an offset (read as UTC); a space may stand for `T`.
pub fn parse_timestamp(text: &str) -> Option<i64> {
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

const ATTRIBUTE_TAGS: &[&str] = &[
    "string",
    "date",
    "int",
    "float",
    "boolean",
    "id",
    "list",
    "container",
];

/// The attribute keys the reader keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Name,
    Timestamp,
    Lifecycle,
}

impl Key {
    fn of(raw: &str) -> Option<Key> {
        match raw {
            "concept:name" => Some(Key::Name),
            "time:timestamp" => Some(Key::Timestamp),
            "lifecycle:transition" => Some(Key::Lifecycle),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Key::Name => "concept:name",
            Key::Timestamp => "time:timestamp",
            Key::Lifecycle => "lifecycle:transition",
        }
    }
}

impl<R: BufRead> XesReader<R> {
    pub fn new(input: R, path: &Path) -> XesReader<R> {
        let mut reader = quick_xml::Reader::from_reader(Bounded {
            inner: input,
            since_start: 0,
            tripped: false,
        });
        reader.config_mut().trim_text(true);
        XesReader {
            reader,
            buf: Vec::with_capacity(1024),
            path: path.to_path_buf(),
            stack: Vec::new(),
            trace: None,
            event: None,
            n_traces: 0,
            saw_log: false,
            done: false,
        }
    }

    fn error(&self, offset: u64, message: impl Into<String>) -> FileError {
        self.error_at(offset, false, message)
    }

    /// An error at `offset`, or with `skip_space` at the element that begins after it.
    fn error_at(&self, offset: u64, skip_space: bool, message: impl Into<String>) -> FileError {
        let location = locate_offset(&self.path, offset, skip_space);
        FileError::new(&self.path, location, message).with_hint(
            "the XES log is malformed at that place; fix or re-export it (pm4py, ProM and Disco write valid XES)",
        )
    }

    /// The `key` of an attribute element (raw: keys are plain names) and, when `wanted(key)`,
    /// its `value` unescaped. Nothing is copied for the attributes not read.
    fn key_value<'b>(
        &self,
        e: &'b BytesStart<'_>,
        offset: u64,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Option<(Key, Cow<'b, str>)>, FileError> {
        let (mut key, mut value) = (None, None);
        // Duplicate `key`/`value` attributes are not looked for: the last one counts.
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| self.error(offset, format!("bad attribute: {err}")))?;
            match attr.key.local_name().as_ref() {
                "key" => key = Some(attr),
                "value" => value = Some(attr),
                _ => {}
            }
        }
        let Some(key) = key else { return Ok(None) };
        let Some(kind) = Key::of(&key.value).filter(|_| wanted(&key.value)) else {
            return Ok(None);
        };
        let value = match value {
            Some(v) => {
                if v.value.len() > MAX_VALUE_BYTES {
                    return Err(self.error(
                        offset,
                        format!(
                            "the value of `{}` is {} bytes long; the reader keeps at most {MAX_VALUE_BYTES}",
                            kind.name(),
                            v.value.len()
                        ),
                    ));
                }
                v.normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|err| self.error(offset, format!("bad attribute value: {err}")))?
            }
            None => Cow::Borrowed(""),
        };
        Ok(Some((kind, value)))
    }

    /// Handles an opening (or empty) element; returns a finished trace if an empty `<trace/>`
    /// closed one.
    fn open_element(
        &mut self,
        e: &BytesStart,
        offset: u64,
        empty: bool,
    ) -> Result<Option<XesTrace>, FileError> {
        let local = e.local_name();
        let name = local.as_ref();
        let parent = self.stack.last().copied();
        let node = match (parent, name) {
            (None, "log") => {
                self.saw_log = true;
                Node::Log
            }
            (None, _) => {
                return Err(self.error(
                    offset,
                    format!("expected the XES root element <log>, found <{}>", name),
                ));
            }
            (Some(Node::Log), "trace") => {
                self.trace = Some(PendingTrace {
                    case_id: None,
                    events: Vec::new(),
                });
                Node::Trace
            }
            (Some(Node::Trace), "event") => {
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
            (Some(Node::Trace), tag) if ATTRIBUTE_TAGS.contains(&tag) => {
                if let Some((_, value)) = self.key_value(e, offset, |k| k == "concept:name")?
                    && let Some(trace) = self.trace.as_mut()
                {
                    trace.case_id = Some(value.into_owned());
                }
                Node::Other
            }
            (Some(Node::Event), tag) if ATTRIBUTE_TAGS.contains(&tag) => {
                let Some((key, value)) = self.key_value(e, offset, |_| true)? else {
                    self.stack.push(Node::Other);
                    return if empty {
                        self.close_element(offset)
                    } else {
                        Ok(None)
                    };
                };
                match key {
                    Key::Name => {
                        if let Some(event) = self.event.as_mut() {
                            event.activity = Some(value.into_owned());
                        }
                    }
                    Key::Timestamp => {
                        let Some(t) = parse_timestamp(&value) else {
                            return Err(self.error(
                                offset,
                                format!("time:timestamp `{value}` is not a date and time"),
                            ));
                        };
                        if let Some(event) = self.event.as_mut() {
                            event.timestamp_us = Some(t);
                        }
                    }
                    Key::Lifecycle => {
                        if let Some(event) = self.event.as_mut() {
                            event.complete = value.eq_ignore_ascii_case("complete");
                        }
                    }
                }
                Node::Other
            }
            _ => Node::Other,
        };
        self.stack.push(node);
        if empty {
            return self.close_element(offset);
        }
        Ok(None)
    }

    fn close_element(&mut self, offset: u64) -> Result<Option<XesTrace>, FileError> {
        match self.stack.pop() {
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
                let index = self.n_traces;
                self.n_traces += 1;
                let mut events = trace.events;
                if events.iter().all(|(e, _)| e.timestamp_us.is_some()) {
                    events.sort_by_key(|(e, _)| e.timestamp_us); // stable
                }
                Ok(Some(XesTrace {
                    case_id: trace.case_id.unwrap_or_else(|| index.to_string()),
                    events: events
                        .into_iter()
                        .filter(|(_, keep)| *keep)
                        .map(|(e, _)| XesEvent {
                            activity: e.activity.unwrap_or_default(),
                            timestamp_us: e.timestamp_us,
                            number: e.number,
                        })
                        .collect(),
                }))
            }
            _ => Ok(None),
        }
    }

    fn next_trace(&mut self) -> Result<Option<XesTrace>, FileError> {
        // The event borrows the buffer, not the reader, while the reader's state changes.
        let mut buf = std::mem::take(&mut self.buf);
        let result = self.next_trace_into(&mut buf);
        self.buf = buf;
        result
    }

    fn next_trace_into(&mut self, buf: &mut Vec<u8>) -> Result<Option<XesTrace>, FileError> {
        loop {
            buf.clear();
            if buf.capacity() > 1 << 20 {
                buf.shrink_to(1 << 16);
            }
            self.reader.get_mut().start_event();
            let offset = self.reader.buffer_position();
            let event = match self.reader.read_event_into(buf) {
                Ok(event) => event,
                Err(_) if self.reader.get_ref().tripped => {
                    return Err(self.error_at(
                        offset,
                        true,
                        format!(
                            "an element here is longer than {} MB; the reader takes at most that much in one element (a damaged or hostile log?)",
                            MAX_ELEMENT_BYTES >> 20
                        ),
                    ));
                }
                Err(err) => {
                    let at = self.reader.error_position();
                    return Err(self.error(at, format!("malformed XML: {err}")));
                }
            };
            let done = match &event {
                Event::Start(e) => self.open_element(e, offset, false)?,
                Event::Empty(e) => self.open_element(e, offset, true)?,
                Event::End(_) => self.close_element(offset)?,
                Event::Eof => {
                    if !self.saw_log {
                        return Err(self.error(offset, "no <log> element: this is not an XES log"));
                    }
                    if !self.stack.is_empty() {
                        return Err(
                            self.error(offset, "the file ends inside an element (truncated log?)")
                        );
                    }
                    return Ok(None);
                }
                _ => None,
            };
            if done.is_some() {
                return Ok(done);
            }
        }
    }
}

impl<R: BufRead> Iterator for XesReader<R> {
    type Item = Result<XesTrace, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_trace() {
            Ok(Some(trace)) => Some(Ok(trace)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<Vec<XesTrace>, FileError> {
        XesReader::new(text.as_bytes(), Path::new("t.xes")).collect()
    }

    #[test]
    fn sorts_stably_filters_lifecycle_and_skips_nested_attributes() {
        let log = r#"<?xml version="1.0"?>
<log xmlns="http://www.xes-standard.org/">
 <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
 <string key="concept:name" value="the log"/>
 <trace>
  <string key="concept:name" value="c1"><string key="concept:name" value="nested"/></string>
  <event><string key="concept:name" value="b"/><date key="time:timestamp" value="2020-01-01T10:00:05+00:00"/></event>
  <event><string key="concept:name" value="a"/><date key="time:timestamp" value="2020-01-01T11:00:00+01:00"/>
    <list key="l"><values><string key="concept:name" value="in-list"/></values></list></event>
  <event><string key="concept:name" value="s"/><string key="lifecycle:transition" value="start"/><date key="time:timestamp" value="2020-01-01T10:00:01Z"/></event>
  <event><string key="concept:name" value="c"/><string key="lifecycle:transition" value="COMPLETE"/><date key="time:timestamp" value="2020-01-01T10:00:05.000+00:00"/></event>
 </trace>
 <trace><event><string key="concept:name" value="z"/></event></trace>
</log>"#;
        let traces = read_str(log).unwrap();
        assert_eq!(traces.len(), 2);
        assert_eq!(traces[0].case_id, "c1");
        assert_eq!(traces[0].activities(), ["a", "b", "c"]);
        assert_eq!(traces[0].events[1].number, 1);
        let observed = traces[0].observed();
        assert_eq!(observed[1].at_ms, Some(5000));
        assert_eq!(traces[1].case_id, "1");
        assert_eq!(traces[1].activities(), ["z"]);
    }

    #[test]
    fn timestamps_in_several_forms() {
        let base = parse_timestamp("2012-10-09T14:50:17+00:00").unwrap();
        assert_eq!(parse_timestamp("2012-10-09T14:50:17.000Z"), Some(base));
        assert_eq!(parse_timestamp("2012-10-09T16:50:17.000+02:00"), Some(base));
        assert_eq!(parse_timestamp("2012-10-09T14:50:17"), Some(base));
        assert_eq!(
            parse_timestamp("2012-10-09 14:50:17.5"),
            Some(base + 500_000)
        );
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        let e = read_str("<log>\n<trace>\n  <event></trace>\n</log>").unwrap_err();
        assert!(e.message.contains("malformed XML"), "{e}");
        assert_eq!(
            e.location.map(|l| l.line),
            None,
            "no file to re-read in this test"
        );
        let e = read_str("<html/>").unwrap_err();
        assert!(e.message.contains("<log>"), "{e}");
        let e = read_str("<log><trace><event><date key=\"time:timestamp\" value=\"soon\"/></event></trace></log>")
            .unwrap_err();
        assert!(e.message.contains("soon"), "{e}");
    }
}
