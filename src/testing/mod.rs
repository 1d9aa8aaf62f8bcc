//! The shared test kit: the one example header, session builders, event generators and the
//! scripts behind the committed sample sessions. Tests, benches and examples of this crate use
//! it (the `testing` feature, which they turn on through the dev-dependency on the crate
//! itself); a normal build leaves it out. How to use it: `docs/dev/testing.md`.

pub mod agreement_pairs;
mod builder;
mod events;
pub mod kinds;
mod measure;
pub mod samples;
mod steps;

use chrono::DateTime;

use crate::model::{Event, EventKind, SESSION_FORMAT_VERSION, Session, SessionHeader};

pub use builder::SessionBuilder;
pub use events::{MED_REC_STEPS, drawn_events, event, finish_event, random_shift};
pub use measure::{cpu_secs, percentile, thread_cpu_time, vm_hwm_kb};
pub use steps::{
    StepSpec, as_expected, header_for, random_session, session_of_steps, step, sus_answers,
    voice_events, voice_rounds, with_voice,
};

/// When [`header`]'s session starts.
pub const STARTED_AT: &str = "2026-11-25T09:18:00+01:00";

/// The example session header: nurse RN-07 at site `north`, shadowed by auditor `ak` on
/// `med-rec-admission` version 3, from [`STARTED_AT`]. Change a field with struct update
/// syntax: `SessionHeader { site: "lake".into(), ..header() }`.
pub fn header() -> SessionHeader {
    SessionHeader {
        format_version: SESSION_FORMAT_VERSION,
        id: "20261125-0918-north-RN-07".into(),
        started_at: DateTime::parse_from_rfc3339(STARTED_AT).expect("a valid example time"),
        site: "north".into(),
        role: "RN".into(),
        clinician: "RN-07".into(),
        auditor: "ak".into(),
        pathway_id: "med-rec-admission".into(),
        pathway_version: 3,
    }
}

/// [`header`] with another id.
pub fn header_with_id(id: &str) -> SessionHeader {
    SessionHeader {
        id: id.into(),
        ..header()
    }
}

/// A session of `header` with `events` (milliseconds since its start, kind) numbered from 1.
pub fn session_of(
    header: SessionHeader,
    events: impl IntoIterator<Item = (u64, EventKind)>,
) -> Session {
    let mut session = Session::new(header);
    for (at_ms, kind) in events {
        let seq = session.next_seq();
        session.events.push(Event { seq, at_ms, kind });
    }
    session
}
