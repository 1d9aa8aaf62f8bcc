//! Inter-observer agreement of two auditors who shadowed the same clinician (`docs/agreement.md`): the
//! composite reliability figures of time-motion research, computed on the model's timelines.
//!
//! The two sessions are put on one clock, A's: B's events sit at
//! `(B.started_at - A.started_at) + shift_b + at_ms`. The compared window is where both ran,
//! from the later start to the earlier end. All arithmetic is in whole milliseconds (the
//! shift is rounded to the millisecond), so every figure is exactly reproducible.
//!
//! Pure: no I/O, no clock, no terminal. `commands::agree` loads the files and prints.

mod figures;
mod model;
mod pairing;
pub mod stats;
mod text;

use crate::model::Session;

pub use model::{
    Agreement, Disagreement, EventAgreement, LoggedEvent, SessionInfo, SliceLabels, StepIssue,
    StepIssueKind, StepPair, TimingGap, Verdict, Verdicts, Window,
};
use pairing::Pair;
pub use text::render_text;

/// `--tolerance` when none is given: interruptions, workarounds and problems logged by the two
/// auditors within this many seconds of each other (and of the same kind) are the same one.
pub const DEFAULT_TOLERANCE_SECS: f64 = 10.0;
/// The length of one time slice.
pub const SLICE_MS: i64 = 1000;
/// The label of a slice with no step and no interruption open.
pub const IDLE: &str = "idle";
/// The label an unpaired step is counted against in `naming_kappa`.
pub const NONE: &str = "none";
/// How many of the longest disagreement runs are reported.
pub const MAX_DISAGREEMENTS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Seconds added to B's clock.
    pub shift_b_secs: f64,
    /// Seconds within which two logged events of the same kind match.
    pub tolerance_secs: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            shift_b_secs: 0.0,
            tolerance_secs: DEFAULT_TOLERANCE_SECS,
        }
    }
}

/// The largest `--shift-b` accepted: 100 years of seconds.
pub const MAX_SHIFT_B_SECS: f64 = 100.0 * 365.25 * 86_400.0;
/// The largest `--tolerance` accepted: a day.
pub const MAX_TOLERANCE_SECS: f64 = 86_400.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AgreeError {
    #[error(
        "--shift-b must be a finite number of seconds within 100 years either way (±3155760000), not {0}"
    )]
    BadShift(f64),
    #[error(
        "--tolerance must be a finite number of seconds, 0 or more and at most a day (86400), not {0}"
    )]
    BadTolerance(f64),
    #[error(
        "the two sessions follow different pathways: A ({a_id}) follows `{a}`, B ({b_id}) follows `{b}`\n  hint: agreement compares two auditors who shadowed the same clinician on the same pathway; pick the matching pair of sessions"
    )]
    DifferentPathways {
        a_id: String,
        a: String,
        b_id: String,
        b: String,
    },
    #[error(
        "the two sessions never ran at the same time: A ran {a_from} to {a_to}, B ran {b_from} to {b_to} (on A's clock, after --shift-b {shift_b_secs} s)\n  hint: check that both sessions are of the same shadowing; if B's laptop clock was off, give the difference in seconds with --shift-b"
    )]
    NoOverlap {
        a_from: String,
        a_to: String,
        b_from: String,
        b_to: String,
        shift_b_secs: f64,
    },
    #[error(
        "the two sessions share {secs:.1} s, but not one whole second in which neither was paused\n  hint: agreement needs a stretch of time both auditors observed; check --shift-b and the pauses of both sessions"
    )]
    NothingInCommon { secs: f64 },
    #[error(
        "the two sessions overlap for {days:.1} days; agreement compares at most {max_days} days (one-second slices)\n  hint: check the sessions' start times and --shift-b; a session this long is likely a damaged or hand-edited file"
    )]
    WindowTooLong { days: f64, max_days: u64 },
}

/// The longest compared window: a week of one-second slices.
pub const MAX_WINDOW_MS: i64 = 7 * 24 * 3_600_000;

/// Compares two sessions of the same clinician and pathway by two auditors.
pub fn agree(a: &Session, b: &Session, options: &Options) -> Result<Agreement, AgreeError> {
    let pair = Pair::new(a, b, options)?;
    Ok(pair.agreement())
}

/// The slice labels `time_slice_kappa` is computed on.
pub fn slice_labels(
    a: &Session,
    b: &Session,
    options: &Options,
) -> Result<SliceLabels, AgreeError> {
    let pair = Pair::new(a, b, options)?;
    let label = |id: u32| pair.labels.names[id as usize].clone();
    Ok(SliceLabels {
        slices: pair.slices.iter().map(|s| s.k).collect(),
        a: pair.slices.iter().map(|s| label(s.a)).collect(),
        b: pair.slices.iter().map(|s| label(s.b)).collect(),
    })
}

#[cfg(test)]
mod tests;
