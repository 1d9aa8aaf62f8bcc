//! Reading session files fast: reports read thousands of sessions and replay opens
//! whole-shift ones.
//!
//! `Session::from_ron_str` (serde + ron) reads about 10 MB/s, which makes parsing most of a
//! report's time. Session files written by shadowmap have one event per line, so this module
//! reads that exact form by hand: the header still goes through ron, each event line is read
//! by a small parser of the subset ron writes. Anything unexpected (another layout, an escape
//! it does not know, a field it does not know, numbers out of order) falls back to the full
//! `Session::load`, which is the reference and gives the error messages with line and column.

use super::questionnaire::Instrument;
use super::{Event, EventKind, InterruptionSource, ProblemKind, Session, WorkaroundKind};

/// The fast reading of a session's text, or `None` when it is not in the expected form (or
/// fails a check the full reader makes): the caller then uses the full reader.
pub fn parse_fast(text: &str) -> Option<Session> {
    const EVENTS: &str = "\n    events: [\n";
    let at = text.find(EVENTS)?;
    let header_text = format!("{}\n    events: [],\n)", &text[..at]);
    let mut session: Session = ron::from_str(&header_text).ok()?;
    if session.header.problem().is_some() {
        return None;
    }
    let rest = &text[at + EVENTS.len()..];
    // The events' `]`, then the session's `)`: a file missing either is the full reader's
    // to refuse, so both readers give one verdict.
    let mut closed = false;
    let mut ended = false;
    for line in rest.lines() {
        let line = line.trim();
        if ended {
            if line.is_empty() {
                continue;
            }
            return None;
        }
        if closed {
            match line {
                "" => continue,
                ")" => {
                    ended = true;
                    continue;
                }
                _ => return None,
            }
        }
        if line == "]," || line == "]" {
            closed = true;
            continue;
        }
        let event = parse_event(line.strip_suffix(',').unwrap_or(line))?;
        if event.at_ms > super::session::MAX_EVENT_MS
            || event.seq == 0
            || event.seq > super::session::MAX_SEQ
            || matches!(event.kind, EventKind::Undo { target } if target >= event.seq)
        {
            return None;
        }
        if let Some(last) = session.events.last()
            && (event.seq <= last.seq || event.at_ms < last.at_ms)
        {
            return None;
        }
        session.events.push(event);
    }
    ended.then_some(session)
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

enum Value {
    Int(i64),
    Str(String),
    Ident(String),
    /// `[Some(4), None, ...]`: a questionnaire's answers.
    Answers(Vec<Option<u8>>),
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, token: &str) -> Option<()> {
        if self.s[self.i..].starts_with(token) {
            self.i += token.len();
            Some(())
        } else {
            None
        }
    }

    fn ident(&mut self) -> Option<&'a str> {
        let start = self.i;
        let bytes = self.s.as_bytes();
        while self.i < bytes.len()
            && (bytes[self.i].is_ascii_alphanumeric() || bytes[self.i] == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| &self.s[start..self.i])
    }

    fn int(&mut self) -> Option<i64> {
        let start = self.i;
        let bytes = self.s.as_bytes();
        if self.i < bytes.len() && bytes[self.i] == b'-' {
            self.i += 1;
        }
        while self.i < bytes.len() && bytes[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.s[start..self.i].parse().ok()
    }

    fn string(&mut self) -> Option<String> {
        self.eat("\"")?;
        let mut out = String::new();
        let mut chars = self.s[self.i..].char_indices();
        while let Some((k, c)) = chars.next() {
            match c {
                '"' => {
                    self.i += k + 1;
                    return Some(out);
                }
                '\\' => {
                    let (_, e) = chars.next()?;
                    out.push(match e {
                        '"' => '"',
                        '\'' => '\'',
                        '\\' => '\\',
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '0' => '\0',
                        _ => return None,
                    });
                }
                c => out.push(c),
            }
        }
        None
    }

    fn value(&mut self) -> Option<Value> {
        let c = self.s[self.i..].chars().next()?;
        if c == '"' {
            self.string().map(Value::Str)
        } else if c == '[' {
            self.answers().map(Value::Answers)
        } else if c == '-' || c.is_ascii_digit() {
            self.int().map(Value::Int)
        } else {
            self.ident().map(|s| Value::Ident(s.to_string()))
        }
    }

    /// `[Some(n), None, ...]`, each answer 0-255.
    fn answers(&mut self) -> Option<Vec<Option<u8>>> {
        self.eat("[")?;
        let mut out = Vec::new();
        if self.eat("]").is_some() {
            return Some(out);
        }
        loop {
            if self.eat("None").is_some() {
                out.push(None);
            } else {
                self.eat("Some(")?;
                out.push(Some(u8::try_from(self.int()?).ok()?));
                self.eat(")")?;
            }
            if self.eat(", ").is_none() {
                self.eat("]")?;
                return Some(out);
            }
        }
    }

    /// `name: value, name: value` up to `)`.
    fn fields(&mut self) -> Option<Vec<(&'a str, Value)>> {
        let mut out = Vec::new();
        loop {
            if self.eat(")").is_some() {
                return Some(out);
            }
            let name = self.ident()?;
            self.eat(": ")?;
            out.push((name, self.value()?));
            if self.eat(", ").is_none() {
                self.eat(")")?;
                return Some(out);
            }
        }
    }
}

fn take_int(fields: &[(&str, Value)], name: &str) -> Option<i64> {
    fields.iter().find_map(|(n, v)| match v {
        Value::Int(i) if *n == name => Some(*i),
        _ => None,
    })
}

fn take_str(fields: &[(&str, Value)], name: &str) -> Option<String> {
    fields.iter().find_map(|(n, v)| match v {
        Value::Str(s) if *n == name => Some(s.clone()),
        _ => None,
    })
}

fn take_ident<'v>(fields: &'v [(&str, Value)], name: &str) -> Option<&'v str> {
    fields.iter().find_map(|(n, v)| match v {
        Value::Ident(s) if *n == name => Some(s.as_str()),
        _ => None,
    })
}

/// Only these field names, each at most once.
fn only(fields: &[(&str, Value)], allowed: &[&str]) -> Option<()> {
    for (i, (name, _)) in fields.iter().enumerate() {
        if !allowed.contains(name) || fields[..i].iter().any(|(n, _)| n == name) {
            return None;
        }
    }
    Some(())
}

fn parse_event(line: &str) -> Option<Event> {
    let mut c = Cursor { s: line, i: 0 };
    c.eat("Event(seq: ")?;
    let seq = u64::try_from(c.int()?).ok()?;
    c.eat(", at_ms: ")?;
    let at_ms = u64::try_from(c.int()?).ok()?;
    c.eat(", kind: ")?;
    let name = c.ident()?;
    let fields = if c.eat("(").is_some() {
        c.fields()?
    } else {
        Vec::new()
    };
    c.eat(")")?;
    if c.i != line.len() {
        return None;
    }
    let f = &fields;
    let kind = match name {
        "StepStart" => {
            only(f, &["step"])?;
            EventKind::StepStart {
                step: take_str(f, "step")?,
            }
        }
        "UnplannedStep" => {
            only(f, &["step", "label"])?;
            EventKind::UnplannedStep {
                step: take_str(f, "step")?,
                label: take_str(f, "label")?,
            }
        }
        "InterruptionStart" => {
            only(f, &["source", "note"])?;
            EventKind::InterruptionStart {
                source: InterruptionSource::from_name(take_ident(f, "source")?)?,
                note: match f.iter().any(|(n, _)| *n == "note") {
                    true => take_str(f, "note")?,
                    false => String::new(),
                },
            }
        }
        "Questionnaire" => {
            only(f, &["instrument", "answers"])?;
            EventKind::Questionnaire {
                instrument: match take_ident(f, "instrument")? {
                    "Sus" => Instrument::Sus,
                    "Tlx" => Instrument::Tlx,
                    _ => return None,
                },
                answers: f.iter().find_map(|(n, v)| match v {
                    Value::Answers(a) if *n == "answers" => Some(a.clone()),
                    _ => None,
                })?,
            }
        }
        "Clicks" => {
            only(f, &["delta"])?;
            EventKind::Clicks {
                delta: i32::try_from(take_int(f, "delta")?).ok()?,
            }
        }
        "Workaround" => {
            only(f, &["kind", "note"])?;
            EventKind::Workaround {
                kind: WorkaroundKind::from_name(take_ident(f, "kind")?)?,
                note: match f.iter().any(|(n, _)| *n == "note") {
                    true => take_str(f, "note")?,
                    false => String::new(),
                },
            }
        }
        "SystemProblem" => {
            only(f, &["kind", "note"])?;
            EventKind::SystemProblem {
                kind: ProblemKind::from_name(take_ident(f, "kind")?)?,
                note: match f.iter().any(|(n, _)| *n == "note") {
                    true => take_str(f, "note")?,
                    false => String::new(),
                },
            }
        }
        "Note" => {
            only(f, &["text"])?;
            EventKind::Note {
                text: take_str(f, "text")?,
            }
        }
        "Undo" => {
            only(f, &["target"])?;
            EventKind::Undo {
                target: u64::try_from(take_int(f, "target")?).ok()?,
            }
        }
        unit => {
            if !fields.is_empty() {
                return None;
            }
            match unit {
                "StepEnd" => EventKind::StepEnd,
                "InterruptionEnd" => EventKind::InterruptionEnd,
                "Screen" => EventKind::Screen,
                "Reentry" => EventKind::Reentry,
                "Pause" => EventKind::Pause,
                "Resume" => EventKind::Resume,
                "Reopened" => EventKind::Reopened,
                "Finish" => EventKind::Finish,
                _ => return None,
            }
        }
    };
    Some(Event { seq, at_ms, kind })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::model::SessionHeader;

    fn header() -> SessionHeader {
        crate::testing::header_with_id("s-1")
    }

    fn every_kind() -> Session {
        let kinds = vec![
            EventKind::StepStart {
                step: "open-chart".into(),
            },
            EventKind::Clicks { delta: 1 },
            EventKind::Clicks { delta: -1 },
            EventKind::Screen,
            EventKind::Reentry,
            EventKind::InterruptionStart {
                source: InterruptionSource::SelfInitiated,
                note: String::new(),
            },
            EventKind::InterruptionStart {
                source: InterruptionSource::PhonePager,
                note: "pager \"stat\" \\ back\nslash, comma) paren é ✓".into(),
            },
            EventKind::InterruptionEnd,
            EventKind::InterruptionEnd,
            EventKind::Workaround {
                kind: WorkaroundKind::CopyPaste,
                note: "copied, pasted: MRN 123".into(),
            },
            EventKind::Workaround {
                kind: WorkaroundKind::Other,
                note: String::new(),
            },
            EventKind::SystemProblem {
                kind: ProblemKind::SlowResponse,
                note: "tab\there".into(),
            },
            EventKind::Note {
                text: "a note, with: colons (and) \"quotes\"".into(),
            },
            EventKind::UnplannedStep {
                step: "call-gp".into(),
                label: "Call the GP".into(),
            },
            EventKind::Undo { target: 3 },
            EventKind::StepEnd,
            EventKind::Pause,
            EventKind::Resume,
            EventKind::Reopened,
            EventKind::Finish,
        ];
        let mut s = Session::new(header());
        for (i, kind) in kinds.into_iter().enumerate() {
            s.events.push(Event {
                seq: i as u64 + 1,
                at_ms: 1000 * i as u64,
                kind,
            });
        }
        s
    }

    #[test]
    fn the_fast_path_reads_what_ron_reads() {
        let s = every_kind();
        let text = s.to_ron();
        assert_eq!(parse_fast(&text), Some(s.clone()));
        assert_eq!(
            Session::parse_with_serde(&text, Path::new("x.ron")).unwrap(),
            s
        );
        // No events: another layout (`events: []`), read by the full reader.
        let empty = Session::new(header());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.ron");
        std::fs::write(&path, empty.to_ron()).unwrap();
        assert_eq!(Session::load(&path).unwrap(), empty);
    }

    #[test]
    fn the_sample_sessions_read_the_same_both_ways() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ron") {
                let text = std::fs::read_to_string(&path).unwrap();
                let fast = parse_fast(&text).unwrap_or_else(|| panic!("{}", path.display()));
                assert_eq!(fast, Session::parse_with_serde(&text, &path).unwrap());
                n += 1;
            }
        }
        assert!(n >= 10);
    }

    #[test]
    fn anything_unexpected_falls_back() {
        let text = every_kind().to_ron();
        // Out of order numbers: the full reader reports them.
        let swapped = text.replacen("Event(seq: 2,", "Event(seq: 9,", 1);
        assert_eq!(parse_fast(&swapped), None);
        // An unknown field, kind or escape.
        assert_eq!(
            parse_fast(&text.replacen("delta: 1", "delta: 1, x: 2", 1)),
            None
        );
        assert_eq!(parse_fast(&text.replacen("Screen", "Scream", 1)), None);
        assert_eq!(
            parse_fast(&text.replacen("tab\\there", "tab\\u{9}here", 1)),
            None
        );
        // Another layout (one line).
        let compact = ron::to_string(&every_kind()).unwrap();
        assert_eq!(parse_fast(&compact), None);
        // The full loader still reads it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.ron");
        std::fs::write(&path, &compact).unwrap();
        assert_eq!(Session::load(&path).unwrap(), every_kind());
        std::fs::write(&path, &swapped).unwrap();
        let e = Session::load(&path).unwrap_err();
        assert!(e.to_string().contains("numbered or timed before"), "{e}");
    }

    #[test]
    fn both_readers_give_one_verdict_on_what_the_full_one_refuses() {
        let text = every_kind().to_ron();
        let path = Path::new("s.ron");
        let without_paren = text.trim_end().strip_suffix(')').unwrap();
        let later_undo = text.replacen("Undo(target: 3)", "Undo(target: 99)", 1);
        assert_ne!(later_undo, text, "the sample holds an undo");
        for bad in [without_paren, &later_undo] {
            assert_eq!(parse_fast(bad), None);
            assert!(Session::from_ron_str(bad, path).is_err());
        }
        // Blank lines after the closing `)` are still the fast reader's.
        assert!(parse_fast(&format!("{text}\n\n")).is_some());
    }
}
