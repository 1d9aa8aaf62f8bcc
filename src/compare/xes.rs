//! A streaming XES (IEEE 1849) reader for `compare` (domain.md section 6).
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
//! memory. `.xes.gz` files are decompressed on the fly with flate2.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::ObservedStep;
use crate::model::{FileError, Location};

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
        let t0 = self.events.iter().filter_map(|e| e.timestamp_us).min();
        self.events
            .iter()
            .map(|e| ObservedStep {
                step: e.activity.clone(),
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
    lifecycle: Option<String>,
    number: u64,
}

struct PendingTrace {
    case_id: Option<String>,
    events: Vec<(PendingEvent, bool)>,
}

/// Reads traces one at a time; an iterator of `Result<XesTrace, FileError>`.
pub struct XesReader<R: BufRead> {
    reader: quick_xml::Reader<R>,
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
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::bufread::MultiGzDecoder::new(input),
        ))
    } else {
        Box::new(input)
    })
}

/// Reads a whole log (for tests and small logs; `open` streams).
pub fn read_all(path: &Path) -> Result<Vec<XesTrace>, FileError> {
    open(path)?.collect()
}

/// The line and column of a byte offset, found by reading the file again (only on error).
fn locate_offset(path: &Path, offset: u64) -> Option<Location> {
    let mut input = open_raw(path).ok()?;
    let (mut line, mut column, mut seen) = (1usize, 1usize, 0u64);
    let mut chunk = vec![0u8; 1 << 16];
    while seen < offset {
        let n = input.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        for &b in &chunk[..n.min((offset - seen) as usize)] {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xc0 != 0x80 {
                column += 1;
            }
        }
        seen += n as u64;
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

impl<R: BufRead> XesReader<R> {
    pub fn new(input: R, path: &Path) -> XesReader<R> {
        let mut reader = quick_xml::Reader::from_reader(input);
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
        FileError::new(&self.path, locate_offset(&self.path, offset), message).with_hint(
            "the XES log is malformed at that place; fix or re-export it (pm4py, ProM and Disco write valid XES)",
        )
    }

    /// Reads the `key` and `value` attributes of an attribute element.
    fn key_value(&self, e: &BytesStart, offset: u64) -> Result<(String, String), FileError> {
        let (mut key, mut value) = (None, None);
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.error(offset, format!("bad attribute: {err}")))?;
            let v = || {
                attr.normalized_value(XmlVersion::Implicit1_0)
                    .map(std::borrow::Cow::into_owned)
                    .map_err(|err| self.error(offset, format!("bad attribute value: {err}")))
            };
            match attr.key.local_name().as_ref() {
                "key" => key = Some(v()?),
                "value" => value = Some(v()?),
                _ => {}
            }
        }
        Ok((key.unwrap_or_default(), value.unwrap_or_default()))
    }

    /// Handles an opening (or empty) element; returns a finished trace if an empty `<trace/>`
    /// closed one.
    fn open_element(
        &mut self,
        e: &BytesStart,
        offset: u64,
        empty: bool,
    ) -> Result<Option<XesTrace>, FileError> {
        let name = e.local_name();
        let name = name.as_ref();
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
                self.event = Some(PendingEvent {
                    number,
                    ..PendingEvent::default()
                });
                Node::Event
            }
            (Some(Node::Trace), tag) if ATTRIBUTE_TAGS.contains(&tag) => {
                let (key, value) = self.key_value(e, offset)?;
                if key == "concept:name"
                    && let Some(trace) = self.trace.as_mut()
                {
                    trace.case_id = Some(value);
                }
                Node::Other
            }
            (Some(Node::Event), tag) if ATTRIBUTE_TAGS.contains(&tag) => {
                let (key, value) = self.key_value(e, offset)?;
                match key.as_str() {
                    "concept:name" => {
                        if let Some(event) = self.event.as_mut() {
                            event.activity = Some(value);
                        }
                    }
                    "time:timestamp" => {
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
                    "lifecycle:transition" => {
                        if let Some(event) = self.event.as_mut() {
                            event.lifecycle = Some(value);
                        }
                    }
                    _ => {}
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
                let keep = event
                    .lifecycle
                    .as_deref()
                    .is_none_or(|l| l.eq_ignore_ascii_case("complete"));
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
        loop {
            self.buf.clear();
            let offset = self.reader.buffer_position();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event.into_owned(),
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
