//! The XES reader `compare` used before the scanner of the parent module: quick-xml's event
//! reader over a bounded input, kept only as the tests' oracle (`tests/xes_reader_same.rs`
//! checks that both read the same traces from generated and real logs, and fail alike).
//! Timestamps are parsed by chrono alone here.

use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::{
    Key, MALFORMED_HINT, MAX_ELEMENT_BYTES, MAX_TRACE_EVENTS, MAX_VALUE_BYTES, Node, PendingEvent,
    PendingTrace, XesTrace, is_attribute_tag, locate_offset, open_raw, parse_timestamp_with_chrono,
};
use crate::model::FileError;

/// Opens an `.xes` or `.xes.gz` file with the old reader.
pub fn open(path: &Path) -> Result<XesReader<Box<dyn BufRead>>, FileError> {
    Ok(XesReader::new(open_raw(path)?, path))
}

/// Reads a whole log with the old reader.
pub fn read_all(path: &Path) -> Result<Vec<XesTrace>, FileError> {
    open(path)?.collect()
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
        FileError::new(&self.path, location, message).with_hint(MALFORMED_HINT)
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
        let Some(kind) = Key::of(key.value.as_bytes()).filter(|_| wanted(&key.value)) else {
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
                self.trace = Some(PendingTrace::default());
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
            (Some(Node::Trace), tag) if is_attribute_tag(tag.as_bytes()) => {
                if let Some((_, value)) = self.key_value(e, offset, |k| k == "concept:name")?
                    && let Some(trace) = self.trace.as_mut()
                {
                    trace.case_id = Some(value.into_owned());
                }
                Node::Other
            }
            (Some(Node::Event), tag) if is_attribute_tag(tag.as_bytes()) => {
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
                        let Some(t) = parse_timestamp_with_chrono(&value) else {
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
                self.n_traces += 1;
                Ok(Some(trace.finish(self.n_traces - 1).0))
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
