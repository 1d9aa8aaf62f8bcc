//! Short names for the event kinds tests write most, with no note: `start("sign")` reads
//! better in a list of events than the struct it stands for.

use crate::model::{EventKind, InterruptionSource, ProblemKind, WorkaroundKind};

/// The auditor starts `step`.
pub fn start(step: &str) -> EventKind {
    EventKind::StepStart { step: step.into() }
}

/// An interruption from `source` begins.
pub fn interrupt(source: InterruptionSource) -> EventKind {
    EventKind::InterruptionStart {
        source,
        note: String::new(),
    }
}

/// A workaround of `kind` is marked.
pub fn workaround(kind: WorkaroundKind) -> EventKind {
    EventKind::Workaround {
        kind,
        note: String::new(),
    }
}

/// A system problem of `kind` is marked.
pub fn problem(kind: ProblemKind) -> EventKind {
    EventKind::SystemProblem {
        kind,
        note: String::new(),
    }
}
