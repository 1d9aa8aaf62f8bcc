//! Exports of one session: XES (IEEE 1849) for process-mining tools, CSV of its events and
//! of its observed steps, and the redaction every export (and the report) applies on
//! `--redact` (`docs/exports.md`, `docs/privacy.md`).

pub mod csv;
pub mod redact;
pub mod rows;
pub mod xes;

pub use redact::{Redactor, redact_session};

/// A session that exercises every export path: nested interruptions, a task switch, an
/// undone step, a pause, an unplanned step, notes with markup, quotes, commas and newlines.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::model::{EventKind, InterruptionSource, ProblemKind, Session, WorkaroundKind};

    pub fn session() -> Session {
        let step = |id: &str| EventKind::StepStart { step: id.into() };
        let kinds: Vec<(u64, EventKind)> = vec![
            (1_000, step("open-chart")),
            (2_000, EventKind::Clicks { delta: 1 }),
            (2_500, EventKind::Clicks { delta: 1 }),
            (3_000, EventKind::Screen),
            (
                5_000,
                EventKind::InterruptionStart {
                    source: InterruptionSource::Colleague,
                    note: String::new(),
                },
            ),
            (
                6_000,
                EventKind::InterruptionStart {
                    source: InterruptionSource::PhonePager,
                    note: "pager, \"urgent\" <bay 4> & co".into(),
                },
            ),
            (8_000, EventKind::InterruptionEnd),
            (9_000, EventKind::InterruptionEnd),
            (20_000, step("review-allergies")),
            (21_000, step("sign")), // undone below
            (21_500, EventKind::Undo { target: 10 }),
            (25_000, step("ask-patient")),
            (
                26_000,
                EventKind::Workaround {
                    kind: WorkaroundKind::PaperNote,
                    note: "wrote dose, then\n\"copied\" it".into(),
                },
            ),
            (30_000, EventKind::Pause),
            (90_000, EventKind::Resume),
            (
                95_000,
                EventKind::InterruptionStart {
                    source: InterruptionSource::EhrAlert,
                    note: String::new(),
                },
            ),
            // A task switch: a step starts with the interruption open.
            (100_000, step("pharmacy-record")),
            (
                101_000,
                EventKind::SystemProblem {
                    kind: ProblemKind::SlowResponse,
                    note: "spinner 40 s".into(),
                },
            ),
            (
                110_000,
                EventKind::UnplannedStep {
                    step: "call-pharmacy".into(),
                    label: "Call the pharmacy, again".into(),
                },
            ),
            (
                112_000,
                EventKind::Note {
                    text: "line one\nline two, with comma".into(),
                },
            ),
            // A zero-length step: starts and ends at the same millisecond as the next.
            (120_000, step("enter-home-meds")),
            (120_000, step("enter-home-meds")),
            (150_000, EventKind::StepEnd),
            (160_000, step("sign")),
            (175_000, EventKind::Finish),
        ];
        crate::testing::session_of(crate::testing::header(), kinds)
    }
}
