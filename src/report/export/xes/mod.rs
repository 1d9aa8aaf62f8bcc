//! XES export (IEEE 1849; `docs/exports.md`): one trace per session, the concept, time,
//! lifecycle and org extensions declared.
//!
//! - A step occurrence becomes a `start` and a `complete` event: `concept:name` = the step
//!   id, `concept:instance` = the occurrence's number in the session (1, 2, ...), so tools
//!   pair start and complete; `org:role` = the role, `org:resource` = the clinician's code.
//! - Interruptions become `interruption:<source>` events, `suspend` when they begin and
//!   `resume` when the interrupted work goes on; pauses and crash gaps become `pause` / `gap`
//!   events the same way; workarounds, problems and notes become `workaround:<kind>`,
//!   `problem:<kind>` and `note` events with the transition `unknown`.
//! - Only step events have the transition `complete`, so a reader that takes the `complete`
//!   events (as `compare` reads XES, and as pm4py users filter) sees exactly the
//!   observed steps, in order: what `compare` scores.
//!
//! Undone events never appear: everything comes from the derived timeline.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::SecondsFormat;
use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event as XmlEvent};
use quick_xml::name::QName;

use crate::model::{Session, derive_timeline};

mod trace;

pub use trace::{TraceEvent, Value, trace_events};
use trace::{secs, trace_events_of};

/// The extensions every log declares: (name, prefix, uri).
pub const EXTENSIONS: [(&str, &str, &str); 4] = [
    (
        "Concept",
        "concept",
        "http://www.xes-standard.org/concept.xesext",
    ),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    (
        "Lifecycle",
        "lifecycle",
        "http://www.xes-standard.org/lifecycle.xesext",
    ),
    (
        "Organizational",
        "org",
        "http://www.xes-standard.org/org.xesext",
    ),
];

/// Characters XML 1.0 allows in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes an attribute value: markup characters, and tabs and line breaks as character
/// references so a reader gets them back (a literal one would be normalised to a space);
/// characters XML cannot hold at all are dropped.
pub fn escape_attribute(value: &str) -> Cow<'_, str> {
    if value
        .chars()
        .all(|c| xml_char(c) && !matches!(c, '<' | '>' | '&' | '"' | '\'' | '\t' | '\n' | '\r'))
    {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 16);
    for c in value.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

struct Xes<'s, W: Write> {
    writer: Writer<W>,
    session: Option<&'s Session>,
}

impl<W: Write> Xes<'_, W> {
    fn empty(&mut self, tag: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        let mut element = BytesStart::new(tag);
        for (key, value) in attributes {
            element.push_attribute(Attribute {
                key: QName(key),
                value: escape_attribute(value),
            });
        }
        self.writer.write_event(XmlEvent::Empty(element))
    }

    fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        let mut element = BytesStart::new(tag);
        for attribute in attributes {
            element.push_attribute(*attribute);
        }
        self.writer.write_event(XmlEvent::Start(element))
    }

    fn close(&mut self, tag: &str) -> io::Result<()> {
        self.writer.write_event(XmlEvent::End(BytesEnd::new(tag)))
    }

    fn date(&self, at_ms: u64) -> String {
        let session = self.session.expect("dates are written inside a trace");
        session
            .wall_clock(at_ms)
            .to_rfc3339_opts(SecondsFormat::Millis, false)
    }

    fn attribute(&mut self, key: &str, value: &Value) -> io::Result<()> {
        match value {
            Value::String(s) => self.empty("string", &[("key", key), ("value", s)]),
            Value::Int(i) => self.empty("int", &[("key", key), ("value", &i.to_string())]),
            Value::Float(f) => self.empty("float", &[("key", key), ("value", &format!("{f:.3}"))]),
            Value::Boolean(b) => self.empty("boolean", &[("key", key), ("value", &b.to_string())]),
            Value::Date(ms) => {
                let date = self.date(*ms);
                self.empty("date", &[("key", key), ("value", &date)])
            }
        }
    }
}

/// Writes one XES log with a trace per session. Redact the sessions first if asked.
pub fn write_xes<'s, W: Write>(
    out: W,
    sessions: impl IntoIterator<Item = &'s Session>,
) -> io::Result<()> {
    let mut xes = Xes {
        writer: Writer::new_with_indent(out, b' ', 2),
        session: None,
    };
    xes.writer
        .write_event(XmlEvent::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    xes.open(
        "log",
        &[
            ("xes.version", "1849-2016"),
            ("xes.features", "nested-attributes"),
            ("xmlns", "http://www.xes-standard.org/"),
        ],
    )?;
    for (name, prefix, uri) in EXTENSIONS {
        xes.empty(
            "extension",
            &[("name", name), ("prefix", prefix), ("uri", uri)],
        )?;
    }
    xes.open("global", &[("scope", "trace")])?;
    xes.empty(
        "string",
        &[("key", "concept:name"), ("value", "__INVALID__")],
    )?;
    xes.close("global")?;
    xes.open("global", &[("scope", "event")])?;
    xes.empty(
        "string",
        &[("key", "concept:name"), ("value", "__INVALID__")],
    )?;
    xes.empty(
        "string",
        &[("key", "lifecycle:transition"), ("value", "complete")],
    )?;
    xes.empty(
        "date",
        &[
            ("key", "time:timestamp"),
            ("value", "1970-01-01T00:00:00.000+00:00"),
        ],
    )?;
    xes.close("global")?;
    xes.empty(
        "classifier",
        &[("name", "Activity"), ("keys", "concept:name")],
    )?;
    xes.empty(
        "classifier",
        &[
            ("name", "Activity and transition"),
            ("keys", "concept:name lifecycle:transition"),
        ],
    )?;
    xes.empty(
        "string",
        &[("key", "concept:name"), ("value", "shadowmap sessions")],
    )?;
    xes.empty(
        "string",
        &[("key", "lifecycle:model"), ("value", "standard")],
    )?;
    xes.empty(
        "string",
        &[
            ("key", "source"),
            ("value", concat!("shadowmap ", env!("CARGO_PKG_VERSION"))),
        ],
    )?;
    for session in sessions {
        write_trace(&mut xes, session)?;
    }
    xes.close("log")?;
    xes.writer.get_mut().write_all(b"\n")?;
    xes.writer.get_mut().flush()
}

fn write_trace<'s, W: Write>(xes: &mut Xes<'s, W>, session: &'s Session) -> io::Result<()> {
    xes.session = Some(session);
    let header = &session.header;
    let timeline = derive_timeline(&session.events);
    xes.open("trace", &[])?;
    let trace_attributes = [
        ("concept:name", Value::String(header.id.clone())),
        ("site", Value::String(header.site.clone())),
        ("role", Value::String(header.role.clone())),
        ("clinician", Value::String(header.clinician.clone())),
        ("auditor", Value::String(header.auditor.clone())),
        ("pathway", Value::String(header.pathway_id.clone())),
        ("pathway_version", Value::Int(header.pathway_version.into())),
        ("started_at", Value::Date(0)),
        ("observed_secs", secs(timeline.observed_ms())),
        ("finished", Value::Boolean(timeline.finished)),
    ];
    for (key, value) in &trace_attributes {
        xes.attribute(key, value)?;
    }
    for event in trace_events_of(session, &timeline) {
        xes.open("event", &[])?;
        xes.attribute("concept:name", &Value::String(event.name))?;
        xes.attribute("concept:instance", &Value::String(event.instance))?;
        xes.attribute(
            "lifecycle:transition",
            &Value::String(event.transition.into()),
        )?;
        xes.attribute("org:role", &Value::String(header.role.clone()))?;
        xes.attribute("org:resource", &Value::String(header.clinician.clone()))?;
        xes.attribute("time:timestamp", &Value::Date(event.at_ms))?;
        for (key, value) in &event.attributes {
            xes.attribute(key, value)?;
        }
        xes.close("event")?;
    }
    xes.close("trace")?;
    xes.session = None;
    Ok(())
}

/// The XES log of sessions as a string.
pub fn to_xes_string<'s>(sessions: impl IntoIterator<Item = &'s Session>) -> String {
    let mut out = Vec::new();
    write_xes(&mut out, sessions).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the writer writes UTF-8")
}

#[cfg(test)]
mod tests;
