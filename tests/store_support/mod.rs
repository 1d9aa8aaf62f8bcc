//! Shared by the store's integration tests: a header and deterministic events.
#![allow(dead_code)]

use shadowmap::model::{
    Event, EventKind, InterruptionSource, ProblemKind, SESSION_FORMAT_VERSION, Seq, SessionHeader,
    WorkaroundKind,
};

pub fn header(id: &str) -> SessionHeader {
    SessionHeader {
        format_version: SESSION_FORMAT_VERSION,
        id: id.to_string(),
        started_at: chrono::DateTime::parse_from_rfc3339("2026-11-25T09:18:00+01:00").unwrap(),
        site: "north".into(),
        role: "RN".into(),
        clinician: "RN-07".into(),
        auditor: "ak".into(),
        pathway_id: "med-rec-admission".into(),
        pathway_version: 3,
    }
}

/// Event number `seq`, the same every time it is asked for, of varied kinds and sizes.
pub fn event(seq: Seq) -> Event {
    let kind = match seq % 7 {
        0 => EventKind::StepStart {
            step: format!("step-{seq}"),
        },
        1 => EventKind::Clicks { delta: 1 },
        2 => EventKind::Note {
            text: format!("note {seq}: {}", "x".repeat((seq % 40) as usize)),
        },
        3 => EventKind::InterruptionStart {
            source: InterruptionSource::ALL[(seq as usize) % InterruptionSource::ALL.len()],
            note: String::new(),
        },
        4 => EventKind::InterruptionEnd,
        5 => EventKind::Workaround {
            kind: WorkaroundKind::ALL[(seq as usize) % WorkaroundKind::ALL.len()],
            note: "wrote it on paper".into(),
        },
        _ => EventKind::SystemProblem {
            kind: ProblemKind::SlowResponse,
            note: String::new(),
        },
    };
    Event {
        seq,
        at_ms: seq * 1_250,
        kind,
    }
}

/// A `Finish` as event number `seq`, timed like [`event`].
pub fn finish_event(seq: Seq) -> Event {
    Event {
        seq,
        at_ms: seq * 1_250,
        kind: EventKind::Finish,
    }
}
