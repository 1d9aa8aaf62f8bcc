//! The comparator: a session (or an XES trace) against a pathway by optimal alignment, with
//! every deviation explained (docs/reference.md sections 5 and 6). Pure: no terminal, no clock.
//!
//! - [`model`]: the pathway compiled into an automaton, and the exact minimal-cost alignment;
//! - [`explain`]: deviations with sentences and evidence, friction of synced steps, session figures;
//! - [`xes`]: a streaming XES reader (`.xes`, `.xes.gz`);
//! - [`pathway_json`]: the oracle's pathway JSON, for the pm4py fixtures;
//! - [`output`]: the JSON form of docs/reference.md section 5.

pub mod engine;
pub mod explain;
pub mod model;
pub mod output;
pub mod pathway_json;
pub mod text;
pub mod xes;

use serde::Serialize;

use crate::model::{Pathway, ProblemKind, Session, WorkaroundKind, derive_timeline};

pub use model::{
    CompileError, MAX_ALIGNMENT_BYTES, MAX_ALIGNMENT_WORK, MAX_GROUP_MEMBERS, Model, TooMuchWork,
};
pub use pathway_json::{load_pathway_json, pathway_from_json_str, pathway_to_json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    /// The observed step is the run's step (cost 0).
    Sync,
    /// An observed step with no counterpart in the run (cost 1).
    Log,
    /// A step of the run that was not observed (cost 1).
    Model,
    /// An optional step left out (cost 0).
    Skip,
}

impl MoveKind {
    pub fn name(self) -> &'static str {
        match self {
            MoveKind::Sync => "sync",
            MoveKind::Log => "log",
            MoveKind::Model => "model",
            MoveKind::Skip => "skip",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    pub kind: MoveKind,
    pub step: String,
    /// For sync and log moves: the index of the observed step (into `Timeline::steps` for a
    /// session, into the trace otherwise).
    pub observed: Option<usize>,
}

/// What kind of deviation from the pathway: one enum for the comparison and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviationKind {
    /// A mandatory step was not done.
    Missing,
    /// A step not in the pathway was done.
    Unplanned,
    /// A step was done, but not where the pathway has it.
    OutOfOrder,
    /// A step the pathway has once was done again.
    Repeated,
    /// A synced step took longer than expected, beyond the pathway's tolerance.
    OverTime,
    /// A synced step took more clicks than expected, beyond the pathway's tolerance.
    OverClicks,
}

impl DeviationKind {
    /// Every kind, in declaration order (the order of [`DeviationKind::index`]).
    pub const ALL: [DeviationKind; 6] = [
        DeviationKind::Missing,
        DeviationKind::Unplanned,
        DeviationKind::OutOfOrder,
        DeviationKind::Repeated,
        DeviationKind::OverTime,
        DeviationKind::OverClicks,
    ];

    /// The kind's position in [`DeviationKind::ALL`], for per-kind counters.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stable snake_case name (the same as its JSON).
    pub fn name(self) -> &'static str {
        match self {
            DeviationKind::Missing => "missing",
            DeviationKind::Unplanned => "unplanned",
            DeviationKind::OutOfOrder => "out_of_order",
            DeviationKind::Repeated => "repeated",
            DeviationKind::OverTime => "over_time",
            DeviationKind::OverClicks => "over_clicks",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deviation {
    pub kind: DeviationKind,
    pub step: String,
    /// One plain sentence, with its evidence (times from the start, event numbers).
    pub text: String,
    /// The observed step this is about, if one was observed.
    pub observed: Option<usize>,
    /// When it happened, in ms from the session (or trace) start, if known.
    pub at_ms: Option<u64>,
}

/// The friction of one synced step (docs/reference.md section 5, "Friction of synced steps").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepFriction {
    /// Index into `Timeline::steps`.
    pub observed: usize,
    pub step: String,
    pub active_secs: f64,
    pub expected_secs: u32,
    pub clicks: u32,
    pub expected_clicks: u32,
    pub screens: u32,
    pub reentries: u32,
    pub interruptions: usize,
    pub workarounds: usize,
    pub problems: usize,
    pub over_time: bool,
    pub over_clicks: bool,
}

impl StepFriction {
    /// Active time over expected time; None when nothing is expected.
    pub fn time_ratio(&self) -> Option<f64> {
        (self.expected_secs > 0).then(|| self.active_secs / f64::from(self.expected_secs))
    }

    pub fn time_excess_secs(&self) -> f64 {
        self.active_secs - f64::from(self.expected_secs)
    }

    pub fn click_excess(&self) -> i64 {
        i64::from(self.clicks) - i64::from(self.expected_clicks)
    }
}

/// The session figures of docs/reference.md section 5. For a trace without a session (an XES trace),
/// only `fitness` is meaningful and `timed` is false.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SessionFigures {
    pub fitness: f64,
    /// False for a trace that has no session timeline behind it.
    pub timed: bool,
    /// Start to end minus pauses and crash gaps.
    pub observed_minutes: f64,
    /// Active time of every observed step (interruptions and pauses excluded).
    pub active_minutes: f64,
    /// Active time of the synced steps only.
    pub synced_active_minutes: f64,
    /// Expected time of the synced steps.
    pub expected_minutes: f64,
    /// `synced_active_minutes / expected_minutes`; None when nothing is expected.
    pub time_ratio: Option<f64>,
    /// Clicks of the synced steps, and what the pathway expects of them.
    pub clicks: u32,
    pub expected_clicks: u32,
    /// `clicks - expected_clicks` (negative when fewer clicks than expected).
    pub click_excess: i64,
    /// Re-entries (the same data typed again) in the whole session.
    pub reentries: u32,
    /// Workarounds by kind, vocabulary order, kinds seen only.
    pub workarounds: Vec<(WorkaroundKind, usize)>,
    pub interruptions: usize,
    /// Interruptions per hour of observed time; None when nothing was observed.
    pub interruptions_per_hour: Option<f64>,
    /// Share (0..1) of the observed time with an interruption open.
    pub interrupted_share: Option<f64>,
    /// System problems by kind, vocabulary order, kinds seen only.
    pub problems: Vec<(ProblemKind, usize)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub case_id: String,
    pub n_steps: usize,
    pub cost: u32,
    pub worst_cost: u32,
    pub fitness: f64,
    pub moves: Vec<Move>,
    pub deviations: Vec<Deviation>,
    pub frictions: Vec<StepFriction>,
    pub figures: SessionFigures,
    /// Optional steps left out: information, never a deviation.
    pub skipped_optional: Vec<String>,
    /// The observed steps with their evidence; `Move::observed` indexes this.
    pub observed: Vec<ObservedStep>,
}

impl Comparison {
    pub fn deviations_of(&self, kind: DeviationKind) -> impl Iterator<Item = &Deviation> {
        self.deviations.iter().filter(move |d| d.kind == kind)
    }
}

/// `1 - cost / worst_cost`, and 1.0 when `worst_cost` is 0 (docs/reference.md section 5).
pub fn fitness(cost: u32, worst_cost: u32) -> f64 {
    if worst_cost == 0 {
        1.0
    } else {
        1.0 - f64::from(cost) / f64::from(worst_cost)
    }
}

/// One observed step and its evidence, the input of [`compare_observed`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservedStep {
    pub step: String,
    /// The event number (a session's event seq, or the event's 1-based place in an XES trace).
    pub event: Option<u64>,
    /// Milliseconds from the start of the session (or of the trace).
    pub at_ms: Option<u64>,
    /// An unplanned step's label as the auditor typed it.
    pub label: Option<String>,
}

impl ObservedStep {
    pub fn bare(step: &str) -> ObservedStep {
        ObservedStep {
            step: step.to_string(),
            event: None,
            at_ms: None,
            label: None,
        }
    }
}

/// Resolves a `--pathway` argument: the oracle's pathway JSON (`*.json`), a pathway file (RON)
/// or a built-in id.
pub fn load_pathway(id_or_file: &str) -> Result<Pathway, crate::model::FileError> {
    let path = std::path::Path::new(id_or_file);
    if id_or_file.ends_with(".json") && path.is_file() {
        return load_pathway_json(path);
    }
    crate::model::resolve_pathway(id_or_file).map(|(pathway, _)| pathway)
}

/// Checks that the comparator can align against this pathway (groups of at most
/// [`MAX_GROUP_MEMBERS`] steps). Commands call it before comparing, to give a clear error.
pub fn check_pathway(pathway: &Pathway) -> Result<(), CompileError> {
    Model::compile(pathway).map(|_| ())
}

/// Aligns observed steps (with their evidence) against a pathway; no friction.
///
/// A pathway [`check_pathway`] rejects gives the comparison of an alignment with no sync move
/// (every observed step a log move, every mandatory step a model move) and one deviation saying
/// why, rather than a panic.
pub fn compare_observed(case_id: &str, observed: &[ObservedStep], pathway: &Pathway) -> Comparison {
    match Model::compile(pathway) {
        Ok(model) => compare_with_model(case_id, observed, pathway, &model),
        Err(error) => explain::unalignable(case_id, observed, pathway, &error),
    }
}

/// Aligns against an already compiled model (a loop over many traces should use
/// [`engine::Engine`], which also aligns each distinct sequence once, on every core). A trace
/// beyond the comparator's work bound gives the explained no-sync comparison, saying so.
pub fn compare_with_model(
    case_id: &str,
    observed: &[ObservedStep],
    pathway: &Pathway,
    model: &Model,
) -> Comparison {
    if let Err(error) = model.check_work(observed.len()) {
        return explain::unalignable(case_id, observed, pathway, &error);
    }
    let labels: Vec<Option<u32>> = observed.iter().map(|o| model.label(&o.step)).collect();
    let (cost, raw) = model.align(&labels);
    explain::explain(case_id, observed.to_vec(), pathway, model, cost, &raw)
}

/// Aligns bare observed step ids (no times, no friction).
pub fn compare_trace(case_id: &str, observed: &[&str], pathway: &Pathway) -> Comparison {
    let observed: Vec<ObservedStep> = observed.iter().map(|s| ObservedStep::bare(s)).collect();
    compare_observed(case_id, &observed, pathway)
}

/// The observed steps of a session with their evidence: every step start, undone ones left out.
pub fn observed_steps(timeline: &crate::model::Timeline) -> Vec<ObservedStep> {
    timeline
        .steps
        .iter()
        .map(|s| ObservedStep {
            step: s.step.clone(),
            event: Some(s.start_seq),
            at_ms: Some(s.start_ms),
            label: s.unplanned_label.clone(),
        })
        .collect()
}

/// One session against a pathway: alignment, deviations, friction and session figures;
/// `case_id` is the session id.
pub fn compare_session(session: &Session, pathway: &Pathway) -> Comparison {
    let timeline = derive_timeline(&session.events);
    compare_timeline(&session.header.id, &timeline, pathway, None)
}

/// A session's derived timeline against a pathway: alignment, deviations, friction and session
/// figures, as [`compare_session`] gives them. For callers that already hold the timeline (the
/// report digests it too); `model` is the pathway compiled once for many sessions (`None`:
/// compiled here, and a pathway the comparator cannot compile gives its explained no-sync
/// comparison).
pub fn compare_timeline(
    case_id: &str,
    timeline: &crate::model::Timeline,
    pathway: &Pathway,
    model: Option<&Model>,
) -> Comparison {
    let observed = observed_steps(timeline);
    let mut comparison = match model {
        Some(model) => compare_with_model(case_id, &observed, pathway, model),
        None => compare_observed(case_id, &observed, pathway),
    };
    explain::add_friction(&mut comparison, timeline, pathway);
    comparison
}

#[cfg(test)]
mod tests;
