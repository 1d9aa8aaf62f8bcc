//! What an agreement is made of: the figures, their verdicts, the paired steps, the
//! disagreements and what the two auditors can do (a file format: `--format json`).

use serde::Serialize;

/// good / acceptable / poor (the thresholds of `docs/agreement.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Poor,
    Acceptable,
    Good,
}

impl Verdict {
    /// Kappa, similarity, precision and recall: good >= 0.80, acceptable >= 0.60.
    pub fn of_agreement(value: f64) -> Verdict {
        Verdict::from_thresholds(value, 0.80, 0.60)
    }

    /// Lin's CCC: good >= 0.90, acceptable >= 0.60.
    pub fn of_ccc(value: f64) -> Verdict {
        Verdict::from_thresholds(value, 0.90, 0.60)
    }

    /// Step start gaps: good when 90 % of them are within the tolerance, acceptable when half
    /// of them are, poor otherwise.
    pub fn of_timing(gap: &TimingGap, tolerance_secs: f64) -> Verdict {
        if gap.p90 <= tolerance_secs {
            Verdict::Good
        } else if gap.median <= tolerance_secs {
            Verdict::Acceptable
        } else {
            Verdict::Poor
        }
    }

    fn from_thresholds(value: f64, good: f64, acceptable: f64) -> Verdict {
        if value >= good {
            Verdict::Good
        } else if value >= acceptable {
            Verdict::Acceptable
        } else {
            Verdict::Poor
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Acceptable => "acceptable",
            Verdict::Poor => "poor",
        }
    }
}

/// Who, what and when each session is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionInfo {
    pub id: String,
    pub auditor: String,
    pub clinician: String,
    pub site: String,
    pub role: String,
    pub pathway_id: String,
    pub pathway_version: u32,
    pub started_at: String,
    pub finished: bool,
    /// Steps in the compared window.
    pub steps: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// Wall clock on A's clock (A's UTC offset).
    pub start: String,
    pub end: String,
    pub secs: f64,
    /// Where B's start falls on A's clock, in seconds from A's start (shift included).
    pub b_offset_secs: f64,
    /// Whole seconds in the window.
    pub slices: usize,
    /// Slices left out because either session was paused (or in a crash gap).
    pub paused_slices: usize,
    /// Slices that count in `time_slice_kappa`.
    pub compared_slices: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimingGap {
    pub median: f64,
    pub p90: f64,
}

/// One step of A paired with one step of B (greatest time overlap).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepPair {
    pub a_step: String,
    pub b_step: String,
    /// A's session time of each start.
    pub a_start: String,
    pub b_start: String,
    /// B's start minus A's start.
    pub start_gap_secs: f64,
    pub overlap_secs: f64,
    pub a_active_secs: f64,
    pub b_active_secs: f64,
}

/// An interruption, workaround or system problem one auditor logged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoggedEvent {
    /// The source (interruptions) or kind (workarounds, problems), by its stable name.
    pub kind: String,
    /// A's session time.
    pub at: String,
    /// Seconds from the window's start.
    pub offset_secs: f64,
    /// The step open when it was logged.
    pub step: Option<String>,
}

/// How well the two auditors' interruptions (or workarounds, or problems) match, taking A as
/// the reference: recall = matched / A's, precision = matched / B's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventAgreement {
    pub a: usize,
    pub b: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub unmatched_a: Vec<LoggedEvent>,
    pub unmatched_b: Vec<LoggedEvent>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdicts {
    pub time_slice_kappa: Verdict,
    pub naming_kappa: Option<Verdict>,
    pub duration_ccc: Option<Verdict>,
    pub timing_gap_secs: Option<Verdict>,
    pub sequence_similarity: Verdict,
    pub interruptions: Verdict,
    pub workarounds: Verdict,
    pub system_problems: Verdict,
    /// The worst of the verdicts above that exist.
    pub overall: Verdict,
}

/// A run of consecutive slices where the two auditors' labels differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    pub from: String,
    pub to: String,
    /// Seconds from the window's start.
    pub offset_secs: f64,
    pub secs: f64,
    /// The labels that differ for most of the run.
    pub a_label: String,
    pub b_label: String,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepIssueKind {
    /// A step of A with no step of B paired with it.
    OnlyA,
    /// A step of B with no step of A paired with it.
    OnlyB,
    /// Paired steps named differently.
    DifferentStep,
    /// Paired steps whose starts are further apart than the tolerance.
    StartGap,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepIssue {
    pub kind: StepIssueKind,
    pub at: String,
    pub offset_secs: f64,
    pub a_step: Option<String>,
    pub b_step: Option<String>,
    pub text: String,
}

/// Everything `shadowmap agree` reports. The figure names are a file format (`docs/agreement.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub a: SessionInfo,
    pub b: SessionInfo,
    pub shift_b_secs: f64,
    pub tolerance_secs: f64,
    pub window: Window,
    /// Different clinicians, the same auditor, other pathway versions: worth a look, not fatal.
    pub warnings: Vec<String>,
    pub time_slice_kappa: f64,
    pub naming_kappa: Option<f64>,
    pub duration_ccc: Option<f64>,
    pub timing_gap_secs: Option<TimingGap>,
    pub sequence_similarity: f64,
    pub interruptions: EventAgreement,
    pub workarounds: EventAgreement,
    pub system_problems: EventAgreement,
    pub verdicts: Verdicts,
    /// The longest runs of disagreeing slices, longest first.
    pub disagreements: Vec<Disagreement>,
    /// Step-level disagreements in time order.
    pub step_issues: Vec<StepIssue>,
    pub paired_steps: Vec<StepPair>,
    /// A `--shift-b` that would line B's step starts up with A's, when they are steadily off.
    pub suggested_shift_b_secs: Option<f64>,
    /// What the two auditors can do, in words.
    pub advice: Vec<String>,
}

/// The labels of the compared slices, for checking the kappa against another implementation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliceLabels {
    /// The slice numbers (k: the slice's middle is window start + k s + 0.5 s); paused ones
    /// are missing.
    pub slices: Vec<usize>,
    pub a: Vec<String>,
    pub b: Vec<String>,
}
