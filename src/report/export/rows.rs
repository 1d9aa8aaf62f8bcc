//! The rows of a session's event table, shared by every tabular export (CSV, Parquet): one
//! definition of which step an event belongs to and what its detail is.

use crate::model::{EventKind, Session, Timeline, derive_timeline};

/// One journal event as a table row.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow<'a> {
    pub seq: u64,
    pub at_ms: u64,
    pub kind: &'static str,
    /// The step the event starts, or else the step open when it was logged (undone events
    /// left out of that reckoning); empty when none.
    pub step: String,
    /// The interruption source, the workaround or problem kind, or the number of the event
    /// an undo takes back; empty otherwise.
    pub detail: String,
    /// The click change of a click event.
    pub delta: Option<i32>,
    /// The note (or label) the event carries.
    pub text: Option<&'a str>,
    /// An undo took this event back.
    pub undone: bool,
}

/// Every event of the session, in journal order.
pub fn event_rows(session: &Session) -> Vec<EventRow<'_>> {
    event_rows_with(session, &derive_timeline(&session.events))
}

/// As [`event_rows`], with the session's timeline already derived.
pub fn event_rows_with<'a>(session: &'a Session, timeline: &Timeline) -> Vec<EventRow<'a>> {
    let mut open: Option<String> = None;
    let mut rows = Vec::with_capacity(session.events.len());
    for event in &session.events {
        let undone = timeline.undone.contains(&event.seq);
        let effective = !undone && !matches!(event.kind, EventKind::Undo { .. });
        let mut step = open.clone().unwrap_or_default();
        let mut detail = String::new();
        let mut delta = None;
        match &event.kind {
            EventKind::StepStart { step: id } | EventKind::UnplannedStep { step: id, .. } => {
                step = id.clone();
                if effective {
                    open = Some(id.clone());
                }
            }
            EventKind::StepEnd if effective => open = None,
            EventKind::InterruptionStart { source, .. } => detail = source.name().to_string(),
            EventKind::Workaround { kind, .. } => detail = kind.name().to_string(),
            EventKind::SystemProblem { kind, .. } => detail = kind.name().to_string(),
            EventKind::Undo { target } => detail = target.to_string(),
            EventKind::Clicks { delta: d } => delta = Some(*d),
            _ => {}
        }
        rows.push(EventRow {
            seq: event.seq,
            at_ms: event.at_ms,
            kind: event.kind.name(),
            step,
            detail,
            delta,
            text: event.kind.text(),
            undone,
        });
    }
    rows
}
