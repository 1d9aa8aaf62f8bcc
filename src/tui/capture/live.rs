//! Live conformance: the session so far as the comparator sees it. Nothing here decides what a
//! deviation is: every mark is read off [`compare_with_model`]'s alignment of the steps observed
//! so far, recomputed whenever the observed steps change (a step event, or the undo of one).
//! Once the session is finished, the marks are exactly `compare`'s deviations.

use std::collections::{HashMap, HashSet};

use crate::compare::{
    Comparison, Deviation, DeviationKind, Model, MoveKind, ObservedStep, compare_observed,
    compare_with_model, observed_steps,
};
use crate::model::{Pathway, Timeline};

/// How a line of the step list stands, as the comparator sees the session so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveMark {
    /// Observed where the pathway has it.
    Done,
    /// A mandatory step passed over: the session has moved beyond it (a `missing` deviation).
    Skipped,
    /// An optional step passed over: information, not a deviation.
    SkippedOptional,
    /// Done, but not where the pathway has it.
    OutOfOrder,
    /// Done again, and the pathway has it once.
    Repeated,
    /// Not in the pathway.
    Unplanned,
    /// Not reached yet.
    Expected,
}

impl LiveMark {
    /// The list's five-character tag; what colour says is said here too.
    pub fn tag(self) -> &'static str {
        match self {
            LiveMark::Done => "done ",
            LiveMark::Skipped => "SKIP!",
            LiveMark::SkippedOptional => "skip ",
            LiveMark::OutOfOrder => "ORDER",
            LiveMark::Repeated => "AGAIN",
            LiveMark::Unplanned => "EXTRA",
            LiveMark::Expected => "     ",
        }
    }

    /// Whether the mark stands for a deviation.
    pub fn is_deviation(self) -> bool {
        matches!(
            self,
            LiveMark::Skipped | LiveMark::OutOfOrder | LiveMark::Repeated | LiveMark::Unplanned
        )
    }
}

/// The comparator's view of the session so far.
#[derive(Debug, Clone)]
pub struct Live {
    /// The pathway compiled once; None when the comparator cannot align against it (then
    /// [`compare_observed`] explains why in its one deviation).
    model: Option<Model>,
    /// The start event of every observed step the comparison was made for.
    observed_key: Vec<u64>,
    /// Whether the comparison was made for the finished session.
    finished: bool,
    pub comparison: Comparison,
    /// Steps whose model (or skip) move comes after every observed step while the session goes
    /// on: not reached yet, not passed over.
    still_expected: HashSet<String>,
    /// Each step's mark, read off the comparison once per change (the screen draws often).
    marks: HashMap<String, LiveMark>,
    /// The deviation that appeared with the latest step event, until the next one or a note.
    pub fresh: Option<Deviation>,
}

impl Live {
    pub fn new(pathway: &Pathway, case_id: &str) -> Live {
        Live {
            model: Model::compile(pathway).ok(),
            observed_key: Vec::new(),
            finished: false,
            comparison: compare_observed(case_id, &[], pathway),
            still_expected: HashSet::new(),
            marks: HashMap::new(),
            fresh: None,
        }
    }

    /// Compares again when the observed steps (or the finish) changed; a deviation that was not
    /// there before becomes the fresh one.
    pub fn refresh(&mut self, timeline: &Timeline, pathway: &Pathway, case_id: &str) {
        let key: Vec<u64> = timeline.steps.iter().map(|s| s.start_seq).collect();
        if key == self.observed_key && timeline.finished == self.finished {
            return;
        }
        let grew = key.len() > self.observed_key.len() && key.starts_with(&self.observed_key);
        let observed = observed_steps(timeline);
        let comparison = match &self.model {
            Some(model) => compare_with_model(case_id, &observed, pathway, model),
            None => compare_observed(case_id, &observed, pathway),
        };
        let before: HashSet<(&'static str, String, Option<usize>)> =
            self.shown_deviations().map(identity).collect();
        self.observed_key = key;
        self.finished = timeline.finished;
        self.still_expected = if timeline.finished {
            HashSet::new()
        } else {
            self.not_passed(&comparison, &observed)
        };
        self.comparison = comparison;
        self.marks = self.compute_marks();
        if grew {
            self.fresh = self
                .shown_deviations()
                .filter(|d| !before.contains(&identity(d)))
                .max_by_key(|d| (d.observed, d.at_ms))
                .cloned();
        } else if self
            .fresh
            .as_ref()
            .is_some_and(|f| !self.shown_deviations().any(|d| identity(d) == identity(f)))
        {
            // The undo of a step took the deviation back.
            self.fresh = None;
        }
    }

    /// The deviations the list shows now: every one once finished; before that, a step not
    /// reached yet is expected, not missing.
    pub fn shown_deviations(&self) -> impl Iterator<Item = &Deviation> {
        self.comparison
            .deviations
            .iter()
            .filter(|d| d.kind != DeviationKind::Missing || !self.is_still_expected(&d.step))
    }

    pub fn fitness(&self) -> f64 {
        self.comparison.fitness
    }

    /// The steps the alignment has not done that the session has not passed either: doing one
    /// next would be a sync move. Model moves after every observed step are such; one placed
    /// earlier (an AnyOrder member still open, say) is asked of the comparator: does doing it
    /// next lower the cost?
    fn not_passed(&self, comparison: &Comparison, observed: &[ObservedStep]) -> HashSet<String> {
        let moves = &comparison.moves;
        let last_observed = moves.iter().rposition(|m| m.observed.is_some());
        let mut out = HashSet::new();
        let mut labels: Option<Vec<Option<u32>>> = None;
        for (i, m) in moves.iter().enumerate() {
            if !matches!(m.kind, MoveKind::Model | MoveKind::Skip) {
                continue;
            }
            if last_observed.is_none_or(|last| i > last) {
                out.insert(m.step.clone());
                continue;
            }
            let Some(model) = &self.model else { continue };
            let labels = labels
                .get_or_insert_with(|| observed.iter().map(|o| model.label(&o.step)).collect());
            labels.push(model.label(&m.step));
            let (cost, _) = model.align(labels);
            labels.pop();
            if cost < comparison.cost + 1 {
                out.insert(m.step.clone());
            }
        }
        out
    }

    /// Whether a step is not reached yet (the session goes on and has not passed it).
    fn is_still_expected(&self, step: &str) -> bool {
        self.still_expected.contains(step)
    }

    /// The deviation kinds of one step, as the list shows them (for the tests and the help).
    pub fn kinds_of(&self, step: &str) -> Vec<DeviationKind> {
        self.shown_deviations()
            .filter(|d| d.step == step)
            .map(|d| d.kind)
            .collect()
    }

    /// The mark of one step.
    pub fn mark(&self, step: &str) -> LiveMark {
        self.marks.get(step).copied().unwrap_or(LiveMark::Expected)
    }

    /// Every step's mark: a deviation first (unplanned, repeated, out of order, missing), then
    /// done, then an optional step passed over; anything else is still expected.
    fn compute_marks(&self) -> HashMap<String, LiveMark> {
        let rank = |mark: LiveMark| match mark {
            LiveMark::Unplanned => 6,
            LiveMark::Repeated => 5,
            LiveMark::OutOfOrder => 4,
            LiveMark::Skipped => 3,
            LiveMark::Done => 2,
            LiveMark::SkippedOptional => 1,
            LiveMark::Expected => 0,
        };
        let mut marks: HashMap<String, LiveMark> = HashMap::new();
        let mut put = |step: &str, mark: LiveMark| {
            let slot = marks.entry(step.to_string()).or_insert(LiveMark::Expected);
            if rank(mark) > rank(*slot) {
                *slot = mark;
            }
        };
        for d in self.shown_deviations() {
            let mark = match d.kind {
                DeviationKind::Unplanned => LiveMark::Unplanned,
                DeviationKind::Repeated => LiveMark::Repeated,
                DeviationKind::OutOfOrder => LiveMark::OutOfOrder,
                DeviationKind::Missing => LiveMark::Skipped,
                // Time and clicks are the Now panel's (OVER); the list marks the order.
                DeviationKind::OverTime | DeviationKind::OverClicks => continue,
            };
            put(&d.step, mark);
        }
        for m in &self.comparison.moves {
            if m.kind == MoveKind::Sync {
                put(&m.step, LiveMark::Done);
            }
        }
        for step in &self.comparison.skipped_optional {
            if !self.is_still_expected(step) {
                put(step, LiveMark::SkippedOptional);
            }
        }
        marks
    }
}

fn identity(d: &Deviation) -> (&'static str, String, Option<usize>) {
    (d.kind.name(), d.step.clone(), d.observed)
}
