//! A small session over the built-in `med-rec-admission` pathway for the replay tests: a
//! nested interruption, marks, an undo, an unplanned step, and hand-placed deviations.

use crate::model::pathway::builtin_pathways;
use crate::model::{Event, EventKind, InterruptionSource, ProblemKind, Session, WorkaroundKind};

use super::{ReplayData, ReplayDeviation, ReplayState};

pub fn session() -> Session {
    let step = |s: &str| EventKind::StepStart { step: s.into() };
    let click = EventKind::Clicks { delta: 1 };
    let kinds: Vec<(u64, EventKind)> = vec![
        (0, step("open-chart")),
        (4, click.clone()),
        (8, click.clone()),
        (12, EventKind::Screen),
        (25, click.clone()),
        (40, step("ask-patient")),
        (
            70,
            EventKind::InterruptionStart {
                source: InterruptionSource::Colleague,
                note: "bed 4 question".into(),
            },
        ),
        (
            95,
            EventKind::InterruptionStart {
                source: InterruptionSource::PhonePager,
                note: String::new(),
            },
        ),
        (120, click.clone()),
        (140, EventKind::InterruptionEnd),
        (170, EventKind::InterruptionEnd),
        (
            250,
            EventKind::Note {
                text: "patient unsure about doses".into(),
            },
        ),
        (300, step("pharmacy-record")),
        (310, click.clone()),
        (315, click.clone()),
        (
            330,
            EventKind::SystemProblem {
                kind: ProblemKind::SlowResponse,
                note: "pharmacy feed 40 s".into(),
            },
        ),
        (
            380,
            EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "wrote list on paper".into(),
            },
        ),
        (420, step("enter-home-meds")),
        (450, click.clone()),
        (455, click.clone()),
        (456, EventKind::Undo { target: 20 }),
        (
            500,
            EventKind::InterruptionStart {
                source: InterruptionSource::EhrAlert,
                note: String::new(),
            },
        ),
        (520, EventKind::InterruptionEnd),
        (
            760,
            EventKind::UnplannedStep {
                step: "call-pharmacy".into(),
                label: "Call pharmacy".into(),
            },
        ),
        (820, step("enter-home-meds")),
        (870, click.clone()),
        (900, EventKind::Finish),
    ];
    Session {
        header: crate::testing::header(),
        events: kinds
            .into_iter()
            .enumerate()
            .map(|(i, (at_s, kind))| Event {
                seq: i as u64 + 1,
                at_ms: at_s * 1000,
                kind,
            })
            .collect(),
    }
}

pub fn deviations() -> Vec<ReplayDeviation> {
    vec![
        ReplayDeviation {
            kind: "over_time".into(),
            step: "pharmacy-record".into(),
            text: "pharmacy-record took 120 s active, expected 60 s (+100 %)".into(),
            observed: Some(2),
            at_ms: None,
        },
        ReplayDeviation {
            kind: "unplanned".into(),
            step: "call-pharmacy".into(),
            text: "call-pharmacy (Call pharmacy) is not in the pathway".into(),
            observed: Some(4),
            at_ms: Some(760_000),
        },
        ReplayDeviation {
            kind: "missing".into(),
            step: "sign".into(),
            text: "sign (Sign reconciliation) was not done".into(),
            observed: None,
            at_ms: None,
        },
    ]
}

pub fn data() -> ReplayData {
    let pathway = builtin_pathways()
        .into_iter()
        .find(|p| p.id == "med-rec-admission")
        .unwrap();
    let mut data = ReplayData::new(&session(), Some(&pathway));
    data.set_deviations(deviations(), Some(0.8));
    data
}

pub fn state() -> ReplayState {
    ReplayState::new(data())
}
