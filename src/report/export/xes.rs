//! XES export (IEEE 1849; domain.md section 6): one trace per session, the concept, time,
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
//!   events (as domain.md section 6 reads XES, and as pm4py users filter) sees exactly the
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

use crate::model::session::Seq;
use crate::model::timeline::{InterruptionEnding, StepEnding};
use crate::model::{Event, EventKind, Session, Timeline, derive_timeline};

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

/// An attribute value, with its XES type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Int(i64),
    Float(f64),
    Boolean(bool),
    /// Milliseconds from the session start: written as the wall-clock time.
    Date(u64),
}

/// One XES event before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct XesEvent {
    pub name: String,
    pub instance: String,
    pub transition: &'static str,
    pub at_ms: u64,
    /// Attributes beyond concept, lifecycle, org and time.
    pub attributes: Vec<(&'static str, Value)>,
    /// Order of events with the same time: the journal number of the event that caused it,
    /// then ends before starts, inner interruptions before outer ones.
    order: (u64, Seq, u8, usize),
}

fn secs(ms: u64) -> Value {
    Value::Float(ms as f64 / 1000.0)
}

fn text_attribute(attributes: &mut Vec<(&'static str, Value)>, key: &'static str, text: &str) {
    if !text.is_empty() {
        attributes.push((key, Value::String(text.to_string())));
    }
}

/// The journal number of the first effective event at or after `after` (exclusive) at time
/// `at_ms` that `pred` accepts; `Seq::MAX` when none (the session ended).
fn cause(effective: &[&Event], after: Seq, at_ms: u64, pred: impl Fn(&EventKind) -> bool) -> Seq {
    // Events are in increasing number and never decreasing time: start the scan where both
    // conditions first hold, so a long session is not scanned from its start each time.
    let from = effective
        .partition_point(|e| e.seq <= after)
        .max(effective.partition_point(|e| e.at_ms < at_ms));
    effective[from..]
        .iter()
        .find(|e| pred(&e.kind))
        .map_or(Seq::MAX, |e| e.seq)
}

fn is_step_start(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::StepStart { .. } | EventKind::UnplannedStep { .. }
    )
}

/// The events of one session's trace, in the order they are written (time, then cause).
pub fn trace_events(session: &Session) -> Vec<XesEvent> {
    let timeline = derive_timeline(&session.events);
    trace_events_of(session, &timeline)
}

fn trace_events_of(session: &Session, timeline: &Timeline) -> Vec<XesEvent> {
    let effective: Vec<&Event> = timeline.effective(&session.events).collect();
    let mut out = Vec::new();

    for (index, step) in timeline.steps.iter().enumerate() {
        let instance = (index + 1).to_string();
        let mut start_attributes = Vec::new();
        if let Some(label) = &step.unplanned_label {
            start_attributes.push(("unplanned", Value::Boolean(true)));
            text_attribute(&mut start_attributes, "label", label);
        }
        out.push(XesEvent {
            name: step.step.clone(),
            instance: instance.clone(),
            transition: "start",
            at_ms: step.start_ms,
            attributes: start_attributes,
            order: (step.start_ms, step.start_seq, 3, 0),
        });
        let end_cause = match step.ended_by {
            StepEnding::NextStep => cause(&effective, step.start_seq, step.end_ms, is_step_start),
            StepEnding::StepEnd => cause(&effective, step.start_seq, step.end_ms, |k| {
                matches!(k, EventKind::StepEnd)
            }),
            StepEnding::SessionEnd => Seq::MAX,
        };
        let ended_by = match step.ended_by {
            StepEnding::NextStep => "next_step",
            StepEnding::StepEnd => "step_end",
            StepEnding::SessionEnd => "session_end",
        };
        let mut attributes = vec![
            ("active_secs", secs(step.active_ms)),
            ("interrupted_secs", secs(step.interrupted_ms)),
            ("paused_secs", secs(step.paused_ms)),
            ("clicks", Value::Int(step.counts.clicks.into())),
            ("screens", Value::Int(step.counts.screens.into())),
            ("reentries", Value::Int(step.counts.reentries.into())),
            ("interruptions", Value::Int(step.interruptions.len() as i64)),
            ("workarounds", Value::Int(step.workarounds.len() as i64)),
            ("problems", Value::Int(step.problems.len() as i64)),
            ("ended_by", Value::String(ended_by.into())),
        ];
        if step.unplanned_label.is_some() {
            attributes.insert(0, ("unplanned", Value::Boolean(true)));
        }
        out.push(XesEvent {
            name: step.step.clone(),
            instance,
            transition: "complete",
            at_ms: step.end_ms,
            attributes,
            order: (step.end_ms, end_cause, 1, 0),
        });
    }

    for (index, span) in timeline.interruptions.iter().enumerate() {
        let name = format!("interruption:{}", span.source.name());
        let instance = format!("interruption-{}", index + 1);
        let mut attributes = vec![
            ("source", Value::String(span.source.name().into())),
            ("depth", Value::Int(span.depth as i64)),
        ];
        if let Some(step) = span.step {
            attributes.push((
                "interrupted_step",
                Value::String(timeline.steps[step].step.clone()),
            ));
        }
        text_attribute(&mut attributes, "note", &span.note);
        out.push(XesEvent {
            name: name.clone(),
            instance: instance.clone(),
            transition: "suspend",
            at_ms: span.start_ms,
            attributes: attributes.clone(),
            order: (span.start_ms, span.start_seq, 3, 0),
        });
        let (ended_by, end_cause) = match &span.ended_by {
            InterruptionEnding::Resumed => (
                "resumed",
                cause(&effective, span.start_seq, span.end_ms, |k| {
                    matches!(k, EventKind::InterruptionEnd)
                }),
            ),
            InterruptionEnding::TaskSwitch { to_step } => {
                attributes.push(("switched_to", Value::String(to_step.clone())));
                (
                    "task_switch",
                    cause(&effective, span.start_seq, span.end_ms, is_step_start),
                )
            }
            InterruptionEnding::StepEnded => (
                "step_ended",
                cause(&effective, span.start_seq, span.end_ms, |k| {
                    matches!(k, EventKind::StepEnd)
                }),
            ),
            InterruptionEnding::SessionEnd => ("session_end", Seq::MAX),
        };
        attributes.extend([
            ("ended_by", Value::String(ended_by.into())),
            ("active_secs", secs(span.active_ms)),
            ("clicks", Value::Int(span.counts.clicks.into())),
            ("screens", Value::Int(span.counts.screens.into())),
            ("reentries", Value::Int(span.counts.reentries.into())),
        ]);
        out.push(XesEvent {
            name,
            instance,
            transition: "resume",
            at_ms: span.end_ms,
            attributes,
            // Inner interruptions end before outer ones, and all before the step.
            order: (span.end_ms, end_cause, 0, usize::MAX - span.depth),
        });
    }

    for (index, pause) in timeline.pauses.iter().enumerate() {
        let name = if pause.gap { "gap" } else { "pause" };
        let instance = format!("{name}-{}", index + 1);
        let start_cause = if pause.gap {
            cause(&effective, 0, pause.start_ms, |_| true)
        } else {
            cause(&effective, 0, pause.start_ms, |k| {
                matches!(k, EventKind::Pause)
            })
        };
        let end_cause = cause(&effective, 0, pause.end_ms, |k| {
            matches!(k, EventKind::Resume | EventKind::Reopened)
        });
        out.push(XesEvent {
            name: name.into(),
            instance: instance.clone(),
            transition: "suspend",
            at_ms: pause.start_ms,
            attributes: Vec::new(),
            order: (pause.start_ms, start_cause, 2, 0),
        });
        out.push(XesEvent {
            name: name.into(),
            instance,
            transition: "resume",
            at_ms: pause.end_ms,
            attributes: vec![("paused_secs", secs(pause.end_ms - pause.start_ms))],
            order: (pause.end_ms, end_cause, 2, 1),
        });
    }

    let mark_step = |step: Option<usize>, attributes: &mut Vec<(&'static str, Value)>| {
        if let Some(step) = step {
            attributes.push(("step", Value::String(timeline.steps[step].step.clone())));
        }
    };
    for (index, mark) in timeline.workarounds.iter().enumerate() {
        let mut attributes = vec![("kind", Value::String(mark.kind.name().into()))];
        mark_step(mark.step, &mut attributes);
        text_attribute(&mut attributes, "note", &mark.text);
        out.push(XesEvent {
            name: format!("workaround:{}", mark.kind.name()),
            instance: format!("workaround-{}", index + 1),
            transition: "unknown",
            at_ms: mark.at_ms,
            attributes,
            order: (mark.at_ms, mark.seq, 3, 0),
        });
    }
    for (index, mark) in timeline.problems.iter().enumerate() {
        let mut attributes = vec![("kind", Value::String(mark.kind.name().into()))];
        mark_step(mark.step, &mut attributes);
        text_attribute(&mut attributes, "note", &mark.text);
        out.push(XesEvent {
            name: format!("problem:{}", mark.kind.name()),
            instance: format!("problem-{}", index + 1),
            transition: "unknown",
            at_ms: mark.at_ms,
            attributes,
            order: (mark.at_ms, mark.seq, 3, 0),
        });
    }
    for (index, mark) in timeline.notes.iter().enumerate() {
        let mut attributes = Vec::new();
        mark_step(mark.step, &mut attributes);
        text_attribute(&mut attributes, "note", &mark.text);
        out.push(XesEvent {
            name: "note".into(),
            instance: format!("note-{}", index + 1),
            transition: "unknown",
            at_ms: mark.at_ms,
            attributes,
            order: (mark.at_ms, mark.seq, 3, 0),
        });
    }

    out.sort_by_key(|e| e.order);
    out
}

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
mod tests {
    use super::*;
    use crate::report::export::fixture;
    use quick_xml::Reader;
    use quick_xml::events::BytesStart;

    /// One parsed `<event>`: its typed attributes by key.
    type Parsed = Vec<(String, String, String)>; // (type, key, value)

    fn attribute(element: &BytesStart, name: &str) -> Option<String> {
        element.try_get_attribute(name).unwrap().map(|a| {
            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .unwrap()
                .into_owned()
        })
    }

    struct Log {
        root: String,
        extensions: Vec<(String, String, String)>,
        traces: Vec<(Parsed, Vec<Parsed>)>,
    }

    /// A schema-level reading of an XES document: the root, the declared extensions, and
    /// each trace's attributes and events.
    fn parse(xml: &str) -> Log {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().trim_text(true);
        let mut log = Log {
            root: String::new(),
            extensions: Vec::new(),
            traces: Vec::new(),
        };
        let mut depth_tags: Vec<String> = Vec::new();
        loop {
            let event = reader.read_event().unwrap();
            let (element, empty) = match &event {
                XmlEvent::Start(e) => (Some(e.clone()), false),
                XmlEvent::Empty(e) => (Some(e.clone()), true),
                XmlEvent::End(_) => {
                    depth_tags.pop();
                    continue;
                }
                XmlEvent::Eof => break,
                _ => continue,
            };
            let element = element.unwrap();
            let tag = element.name().as_ref().to_string();
            match tag.as_str() {
                "log" => log.root = tag.clone(),
                "extension" => log.extensions.push((
                    attribute(&element, "name").unwrap(),
                    attribute(&element, "prefix").unwrap(),
                    attribute(&element, "uri").unwrap(),
                )),
                "trace" => log.traces.push((Vec::new(), Vec::new())),
                "event" => log.traces.last_mut().unwrap().1.push(Vec::new()),
                "string" | "date" | "int" | "float" | "boolean" => {
                    let parent = depth_tags.last().map(String::as_str);
                    let entry = (
                        tag.clone(),
                        attribute(&element, "key").unwrap(),
                        attribute(&element, "value").unwrap(),
                    );
                    match parent {
                        Some("event") => log
                            .traces
                            .last_mut()
                            .unwrap()
                            .1
                            .last_mut()
                            .unwrap()
                            .push(entry),
                        Some("trace") => log.traces.last_mut().unwrap().0.push(entry),
                        _ => {}
                    }
                }
                _ => {}
            }
            if !empty {
                depth_tags.push(tag);
            }
        }
        log
    }

    fn get<'a>(attributes: &'a Parsed, key: &str) -> Option<&'a str> {
        attributes
            .iter()
            .find(|(_, k, _)| k == key)
            .map(|(_, _, v)| v.as_str())
    }

    #[test]
    fn the_export_is_a_valid_xes_log_with_paired_step_events() {
        let session = fixture::session();
        let xml = to_xes_string([&session]);
        let log = parse(&xml);
        assert_eq!(log.root, "log");
        let prefixes: Vec<&str> = log.extensions.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(prefixes, ["concept", "time", "lifecycle", "org"]);
        for (_, _, uri) in &log.extensions {
            assert!(uri.starts_with("http://www.xes-standard.org/"), "{uri}");
        }
        assert_eq!(log.traces.len(), 1);
        let (trace_attributes, events) = &log.traces[0];
        assert_eq!(
            get(trace_attributes, "concept:name"),
            Some("20261125-0918-north-RN-07")
        );

        // Every event has a name, a transition, a timestamp with offset and milliseconds,
        // and timestamps never decrease.
        let mut last = None;
        for event in events {
            assert!(get(event, "concept:name").is_some());
            let stamp = get(event, "time:timestamp").unwrap();
            let parsed = chrono::DateTime::parse_from_rfc3339(stamp).unwrap();
            assert!(stamp.ends_with("+01:00") && stamp.len() == 29, "{stamp}");
            assert!(last.is_none_or(|l| l <= parsed), "{stamp} after {last:?}");
            last = Some(parsed);
            assert_eq!(get(event, "org:role"), Some("RN"));
        }

        // Steps: a start and a complete with the same instance, start first.
        let timeline = session.timeline();
        let steps: Vec<&Parsed> = events
            .iter()
            .filter(|e| {
                matches!(
                    get(e, "lifecycle:transition"),
                    Some("start") | Some("complete")
                )
            })
            .collect();
        assert_eq!(steps.len(), 2 * timeline.steps.len());
        for (index, step) in timeline.steps.iter().enumerate() {
            let instance = (index + 1).to_string();
            let pair: Vec<&&Parsed> = steps
                .iter()
                .filter(|e| get(e, "concept:instance") == Some(instance.as_str()))
                .collect();
            assert_eq!(pair.len(), 2, "instance {instance}");
            assert_eq!(get(pair[0], "lifecycle:transition"), Some("start"));
            assert_eq!(get(pair[1], "lifecycle:transition"), Some("complete"));
            for e in &pair {
                assert_eq!(get(e, "concept:name"), Some(step.step.as_str()));
            }
        }

        // The domain.md reading (complete events, stable by time) gives the observed steps.
        let read: Vec<&str> = events
            .iter()
            .filter(|e| get(e, "lifecycle:transition") == Some("complete"))
            .map(|e| get(e, "concept:name").unwrap())
            .collect();
        assert_eq!(read, timeline.observed_steps());
        assert_eq!(
            read,
            [
                "open-chart",
                "review-allergies",
                "ask-patient",
                "pharmacy-record",
                "call-pharmacy",
                "enter-home-meds",
                "enter-home-meds",
                "sign"
            ]
        );
    }

    #[test]
    fn undone_events_do_not_appear_and_marks_have_their_names() {
        let session = fixture::session();
        let log = parse(&to_xes_string([&session]));
        let events = &log.traces[0].1;
        let names: Vec<(&str, &str)> = events
            .iter()
            .map(|e| {
                (
                    get(e, "concept:name").unwrap(),
                    get(e, "lifecycle:transition").unwrap(),
                )
            })
            .collect();
        // The undone `sign` at 21 s is absent: `sign` starts once, at the end.
        assert_eq!(names.iter().filter(|n| **n == ("sign", "start")).count(), 1);
        assert!(names.contains(&("workaround:paper_note", "unknown")));
        assert!(names.contains(&("problem:slow_response", "unknown")));
        assert!(names.contains(&("note", "unknown")));
        assert!(names.contains(&("pause", "suspend")));
        // Nested interruptions: inner ends before outer.
        let interruptions: Vec<(&str, &str)> = names
            .iter()
            .copied()
            .filter(|(n, _)| n.starts_with("interruption:"))
            .collect();
        assert_eq!(
            interruptions,
            [
                ("interruption:colleague", "suspend"),
                ("interruption:phone_pager", "suspend"),
                ("interruption:phone_pager", "resume"),
                ("interruption:colleague", "resume"),
                ("interruption:ehr_alert", "suspend"),
                ("interruption:ehr_alert", "resume"),
            ]
        );
        let switch = events
            .iter()
            .find(|e| {
                get(e, "concept:name") == Some("interruption:ehr_alert")
                    && get(e, "lifecycle:transition") == Some("resume")
            })
            .unwrap();
        assert_eq!(get(switch, "ended_by"), Some("task_switch"));
        assert_eq!(get(switch, "switched_to"), Some("pharmacy-record"));
        // The step complete carries its figures.
        let open_chart = events
            .iter()
            .find(|e| {
                get(e, "concept:name") == Some("open-chart")
                    && get(e, "lifecycle:transition") == Some("complete")
            })
            .unwrap();
        assert_eq!(get(open_chart, "clicks"), Some("2"));
        assert_eq!(get(open_chart, "screens"), Some("1"));
        assert_eq!(get(open_chart, "active_secs"), Some("15.000"));
        assert_eq!(get(open_chart, "interrupted_secs"), Some("4.000"));
    }

    #[test]
    fn notes_survive_escaping_exactly() {
        let session = fixture::session();
        let xml = to_xes_string([&session]);
        assert!(xml.contains("&lt;bay 4&gt; &amp; co"), "{xml}");
        assert!(xml.contains("&#10;"));
        let log = parse(&xml);
        let notes: Vec<&str> = log.traces[0]
            .1
            .iter()
            .filter_map(|e| get(e, "note"))
            .collect();
        assert!(notes.contains(&"pager, \"urgent\" <bay 4> & co"));
        assert!(notes.contains(&"wrote dose, then\n\"copied\" it"));
        assert!(notes.contains(&"line one\nline two, with comma"));
    }

    /// Random journals (ties in time, undos, nested and unclosed interruptions, pauses):
    /// the complete events are the observed steps, each step a start/complete pair, start
    /// first, and timestamps never decrease.
    mod random {
        use super::*;
        use crate::model::{
            InterruptionSource, ProblemKind, SESSION_FORMAT_VERSION, SessionHeader, WorkaroundKind,
        };
        use proptest::prelude::*;

        fn kind(choice: u8, arg: u8, seq: u64) -> EventKind {
            let step = |i: u8| format!("s{}", i % 4);
            match choice % 12 {
                0..=2 => EventKind::StepStart { step: step(arg) },
                3 => EventKind::UnplannedStep {
                    step: format!("u{}", arg % 2),
                    label: "x, \"y\"".into(),
                },
                4 => EventKind::StepEnd,
                5 => EventKind::InterruptionStart {
                    source: InterruptionSource::ALL[arg as usize % InterruptionSource::ALL.len()],
                    note: "n<&>".into(),
                },
                6 => EventKind::InterruptionEnd,
                7 => EventKind::Clicks { delta: 1 },
                8 => EventKind::Workaround {
                    kind: WorkaroundKind::CopyPaste,
                    note: String::new(),
                },
                9 => EventKind::SystemProblem {
                    kind: ProblemKind::Downtime,
                    note: "d".into(),
                },
                10 if seq > 1 => EventKind::Undo {
                    target: 1 + u64::from(arg) % (seq - 1),
                },
                _ => {
                    if arg.is_multiple_of(2) {
                        EventKind::Pause
                    } else {
                        EventKind::Resume
                    }
                }
            }
        }

        fn session(steps: &[(u8, u8, u8)]) -> Session {
            let mut s = crate::report::export::fixture::session();
            s.header = SessionHeader {
                format_version: SESSION_FORMAT_VERSION,
                ..s.header
            };
            s.events.clear();
            let mut at = 0;
            for (i, (choice, arg, gap)) in steps.iter().enumerate() {
                let seq = i as u64 + 1;
                at += u64::from(*gap % 4) * 500; // often 0: ties
                s.events.push(Event {
                    seq,
                    at_ms: at,
                    kind: kind(*choice, *arg, seq),
                });
            }
            s
        }

        proptest! {
            #[test]
            fn complete_events_are_the_observed_steps(
                steps in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..60)
            ) {
                let session = session(&steps);
                let log = parse(&to_xes_string([&session]));
                prop_assert_eq!(log.traces.len(), 1);
                let events = &log.traces[0].1;
                let mut last = None;
                let mut open: Vec<String> = Vec::new();
                let mut completed = Vec::new();
                for e in events {
                    let stamp = chrono::DateTime::parse_from_rfc3339(
                        get(e, "time:timestamp").unwrap()).unwrap();
                    prop_assert!(last.is_none_or(|l| l <= stamp));
                    last = Some(stamp);
                    let instance = get(e, "concept:instance").unwrap().to_string();
                    match get(e, "lifecycle:transition").unwrap() {
                        "start" => open.push(instance),
                        "complete" => {
                            prop_assert!(open.contains(&instance), "complete before start");
                            completed.push(get(e, "concept:name").unwrap());
                        }
                        _ => {}
                    }
                }
                let timeline = session.timeline();
                prop_assert_eq!(open.len(), timeline.steps.len());
                prop_assert_eq!(completed, timeline.observed_steps());
            }
        }
    }

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        assert_eq!(escape_attribute("a\u{1}b\u{FFFF}c"), "abc");
        assert_eq!(escape_attribute("plain"), Cow::Borrowed("plain"));
    }

    #[test]
    fn a_log_holds_one_trace_per_session() {
        let a = fixture::session();
        let mut b = fixture::session();
        b.header.id = "second".into();
        let log = parse(&to_xes_string([&a, &b]));
        assert_eq!(log.traces.len(), 2);
        assert_eq!(get(&log.traces[1].0, "concept:name"), Some("second"));
    }
}
