//! The XES export read back: a valid log, paired step events, escaping, property tests.

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

    // The reading `compare` makes (complete events, stable by time) gives the observed steps.
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
    use crate::testing;
    use proptest::prelude::*;

    fn session(draws: &[(u8, u8, u8)]) -> Session {
        Session {
            header: testing::header(),
            events: testing::drawn_events(draws, 500),
        }
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
