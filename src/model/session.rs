//! Sessions: one shadowing of one clinician, as an append-only list of numbered events.
//!
//! Time is one wall-clock start plus a monotonic millisecond offset per event (domain.md
//! section 3), so a clock change, a time-zone change or a suspend never corrupts a duration.

use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset};
use serde::{Deserialize, Serialize};

use super::error::{FileError, Location, locate};
use super::vocab::{InterruptionSource, ProblemKind, WorkaroundKind};

/// Bumped only for a breaking change of the session form; additive fields use serde defaults.
pub const SESSION_FORMAT_VERSION: u32 = 1;

/// The latest an event may be, in ms from the session start: 10 years. Capture never comes
/// near it; a larger offset is a damaged or hand-edited file, and refusing it keeps every
/// timestamp (start + offset) and duration within what the clock types hold.
pub const MAX_EVENT_MS: u64 = 10 * 365 * 24 * 3_600_000;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SessionHeader {
    pub format_version: u32,
    pub id: String,
    /// The wall clock at the session's start, with its UTC offset; every event is an offset
    /// from this moment on a monotonic clock.
    pub started_at: DateTime<FixedOffset>,
    pub site: String,
    pub role: String,
    /// A code the auditor chooses (`RN-07`), never a name (domain.md section 8).
    pub clinician: String,
    pub auditor: String,
    pub pathway_id: String,
    pub pathway_version: u32,
}

/// Event numbers start at 1; number 0 is the header's place in the journal.
pub type Seq = u64;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub seq: Seq,
    /// Milliseconds since the session start on a monotonic clock, read at the key press.
    pub at_ms: u64,
    pub kind: EventKind,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum EventKind {
    /// A step of the pathway starts; it ends the step that was open, and a step started while
    /// interruptions are open ends them as a task switch to this step.
    StepStart {
        step: String,
    },
    /// A step that is not in the pathway, added by its label; `step` is its id in comparisons.
    UnplannedStep {
        step: String,
        label: String,
    },
    /// The clinician is idle: the open step ends (and any open interruption with it).
    StepEnd,
    /// Opens an interruption, nested inside any open one.
    InterruptionStart {
        source: InterruptionSource,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Ends the innermost open interruption and resumes what it interrupted.
    InterruptionEnd,
    /// Clicks on what is open; `delta` is -1 when the auditor takes one back.
    Clicks {
        delta: i32,
    },
    Screen,
    /// The same data typed again.
    Reentry,
    Workaround {
        kind: WorkaroundKind,
        #[serde(default)]
        note: String,
    },
    SystemProblem {
        kind: ProblemKind,
        #[serde(default)]
        note: String,
    },
    Note {
        text: String,
    },
    /// Takes back event `target`; the journal is never rewritten.
    Undo {
        target: Seq,
    },
    Pause,
    Resume,
    /// Capture went on after a crash or kill: the time since the previous event is a gap,
    /// counted like a pause.
    Reopened,
    Finish,
}

impl EventKind {
    /// A short name for lists and exports.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::StepStart { .. } => "step_start",
            EventKind::UnplannedStep { .. } => "unplanned_step",
            EventKind::StepEnd => "step_end",
            EventKind::InterruptionStart { .. } => "interruption_start",
            EventKind::InterruptionEnd => "interruption_end",
            EventKind::Clicks { .. } => "clicks",
            EventKind::Screen => "screen",
            EventKind::Reentry => "reentry",
            EventKind::Workaround { .. } => "workaround",
            EventKind::SystemProblem { .. } => "system_problem",
            EventKind::Note { .. } => "note",
            EventKind::Undo { .. } => "undo",
            EventKind::Pause => "pause",
            EventKind::Resume => "resume",
            EventKind::Reopened => "reopened",
            EventKind::Finish => "finish",
        }
    }

    /// The free text the event carries, if any: what redaction removes.
    pub fn text(&self) -> Option<&str> {
        match self {
            EventKind::InterruptionStart { note, .. }
            | EventKind::Workaround { note, .. }
            | EventKind::SystemProblem { note, .. } => Some(note),
            EventKind::Note { text } => Some(text),
            EventKind::UnplannedStep { label, .. } => Some(label),
            _ => None,
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub header: SessionHeader,
    pub events: Vec<Event>,
}

impl Session {
    pub fn new(header: SessionHeader) -> Session {
        Session {
            header,
            events: Vec::new(),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e.kind, EventKind::Finish))
    }

    /// The wall-clock time of an offset: the start plus the monotonic offset.
    pub fn wall_clock(&self, at_ms: u64) -> DateTime<FixedOffset> {
        self.header.started_at + Duration::milliseconds(at_ms as i64)
    }

    /// The number the next event gets.
    pub fn next_seq(&self) -> Seq {
        self.events.last().map_or(1, |e| e.seq + 1)
    }

    pub fn from_ron_str(text: &str, path: &Path) -> Result<Session, FileError> {
        // Files shadowmap wrote (one event a line) take the fast reader; anything else, and
        // every error message, comes from serde + ron.
        if let Some(session) = super::fast_session::parse_fast(text) {
            return Ok(session);
        }
        Session::parse_with_serde(text, path)
    }

    /// The reference reader: serde + ron, with line and column in every error.
    pub(crate) fn parse_with_serde(text: &str, path: &Path) -> Result<Session, FileError> {
        let session: Session = ron::from_str(text).map_err(|e| {
            FileError::from_ron(path, &e).with_hint(
                "the session file is damaged or was edited by hand; fix the RON at that place, \
                 or recover from the session's journal if it has one",
            )
        })?;
        session.validate(text, path)?;
        Ok(session)
    }

    pub fn load(path: &Path) -> Result<Session, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            FileError::new(path, None, format!("cannot read the session file: {e}"))
                .with_hint("check the path and that the file is readable")
        })?;
        Session::from_ron_str(&text, path)
    }

    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(true)
            .depth_limit(2)
            .indentor("    ".to_string());
        ron::ser::to_string_pretty(self, config).expect("a session always serializes")
    }

    /// Checks what the type system cannot: a known format, increasing numbers and times.
    fn validate(&self, text: &str, path: &Path) -> Result<(), FileError> {
        if self.header.format_version > SESSION_FORMAT_VERSION {
            return Err(FileError::new(
                path,
                locate(text, "format_version", 0),
                format!(
                    "session format {} is newer than this shadowmap understands ({})",
                    self.header.format_version, SESSION_FORMAT_VERSION
                ),
            )
            .with_hint("update shadowmap to read this session"));
        }
        if let Some(late) = self.events.iter().find(|e| e.at_ms > MAX_EVENT_MS) {
            return Err(FileError::new(
                path,
                locate_event(text, late.seq),
                format!(
                    "event {} is at {} ms, more than 10 years after the session start",
                    late.seq, late.at_ms
                ),
            )
            .with_hint("at_ms counts milliseconds from the session start; restore the file from its journal or a backup"));
        }
        for pair in self.events.windows(2) {
            if pair[1].seq <= pair[0].seq || pair[1].at_ms < pair[0].at_ms {
                return Err(FileError::new(
                    path,
                    locate_event(text, pair[1].seq),
                    format!(
                        "event {} comes after event {} but is numbered or timed before it",
                        pair[1].seq, pair[0].seq
                    ),
                )
                .with_hint("events must be in increasing number and time; restore the file from its journal or a backup"));
            }
        }
        Ok(())
    }
}

/// Where event `seq` is written (`seq: 12` followed by no further digit), for errors found
/// after parsing.
fn locate_event(text: &str, seq: Seq) -> Option<Location> {
    let needle = format!("seq: {seq}");
    let nth = text.match_indices(&needle).position(|(i, _)| {
        !text[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })?;
    locate(text, &needle, nth)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Session {
        let mut s = Session::new(SessionHeader {
            started_at: DateTime::parse_from_rfc3339("2026-11-25T09:00:00+01:00").unwrap(),
            ..crate::testing::header_with_id("2026-11-25-a1")
        });
        s.events.push(Event {
            seq: 1,
            at_ms: 1000,
            kind: EventKind::StepStart {
                step: "open-chart".into(),
            },
        });
        s.events.push(Event {
            seq: 2,
            at_ms: 2500,
            kind: EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "wrote dose on glove".into(),
            },
        });
        s
    }

    #[test]
    fn ron_round_trip() {
        let s = sample();
        let text = s.to_ron();
        assert_eq!(Session::from_ron_str(&text, Path::new("s.ron")).unwrap(), s);
        assert!(text.contains("paper_note"), "{text}");
    }

    #[test]
    fn wall_clock_adds_the_offset() {
        let s = sample();
        assert_eq!(
            s.wall_clock(2500).to_rfc3339(),
            "2026-11-25T09:00:02.500+01:00"
        );
    }

    #[test]
    fn events_out_of_order_are_located() {
        let mut s = sample();
        s.events[1].at_ms = 500;
        let text = s.to_ron();
        let e = Session::from_ron_str(&text, Path::new("s.ron")).unwrap_err();
        let line = text.lines().position(|l| l.contains("seq: 2,")).unwrap() + 1;
        assert_eq!(e.location.map(|l| l.line), Some(line), "{e}");
        assert!(e.message.contains("event 2 comes after event 1"), "{e}");
        let mut s = sample();
        s.header.format_version = SESSION_FORMAT_VERSION + 1;
        let e = Session::from_ron_str(&s.to_ron(), Path::new("s.ron")).unwrap_err();
        assert_eq!(e.location.map(|l| l.line), Some(3), "{e}");
    }

    #[test]
    fn an_event_more_than_ten_years_out_is_located_not_trusted() {
        // Beyond the bound, start + offset would overflow the clock types downstream.
        for at_ms in [MAX_EVENT_MS + 1, u64::MAX] {
            let mut s = sample();
            let last = s.events.len() - 1;
            s.events[last].at_ms = at_ms;
            let text = s.to_ron();
            let e = Session::from_ron_str(&text, Path::new("s.ron")).unwrap_err();
            let seq = s.events[last].seq;
            let line = text
                .lines()
                .position(|l| l.contains(&format!("seq: {seq},")))
                .unwrap()
                + 1;
            assert_eq!(e.location.map(|l| l.line), Some(line), "{e}");
            assert!(e.message.contains("more than 10 years"), "{e}");
        }
        let mut s = sample();
        let last = s.events.len() - 1;
        s.events[last].at_ms = MAX_EVENT_MS;
        assert!(Session::from_ron_str(&s.to_ron(), Path::new("s.ron")).is_ok());
    }

    #[test]
    fn malformed_session_names_the_position() {
        let e =
            Session::from_ron_str("Session(header: (id: 3))", Path::new("bad.ron")).unwrap_err();
        assert!(e.location.is_some());
        assert!(e.to_string().starts_with("bad.ron:1:"), "{e}");
    }
}
