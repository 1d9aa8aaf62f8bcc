//! The figures of an agreement, from a [`Pair`]: time-slice kappa, step naming, durations,
//! timing and sequence, logged events, verdicts; the longest disagreeing runs, the step
//! issues (in facts: `text` puts them in words) and a suggested clock shift.

use std::collections::{HashMap, HashSet};

use super::pairing::{OpenThen, Pair, Side, open_at, other_step_at};
use super::{
    Agreement, Disagreement, EventAgreement, MAX_DISAGREEMENTS, SLICE_MS, StepIssue, StepIssueKind,
    StepPair, TimingGap, Verdict, Verdicts, Window, stats, text,
};
use crate::report::stats::quantile;

/// The steps of both sides in the window, and how they pair.
struct Steps {
    a: Vec<usize>,
    b: Vec<usize>,
    /// (A's step, B's step, overlap ms), in A's start order.
    pairs: Vec<(usize, usize, i64)>,
    paired_a: HashSet<usize>,
    paired_b: HashSet<usize>,
}

/// The step-level figures.
struct StepFigures {
    naming_kappa: Option<f64>,
    duration_ccc: Option<f64>,
    timing_gap_secs: Option<TimingGap>,
    sequence_similarity: f64,
    /// Per pair, B's start minus A's start, in seconds.
    signed_gaps: Vec<f64>,
}

/// How the interruptions, workarounds and problems the two logged match.
struct LoggedFigures {
    interruptions: EventAgreement,
    workarounds: EventAgreement,
    system_problems: EventAgreement,
}

/// Which auditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Auditor {
    A,
    B,
}

impl Auditor {
    pub(super) fn name(self) -> &'static str {
        match self {
            Auditor::A => "A",
            Auditor::B => "B",
        }
    }

    pub(super) fn other(self) -> Auditor {
        match self {
            Auditor::A => Auditor::B,
            Auditor::B => Auditor::A,
        }
    }
}

/// A step-level disagreement in facts; `text::step_issue` puts it in words.
pub(super) enum StepProblem<'s> {
    /// Paired steps named differently.
    DifferentStep {
        at: &'s str,
        a_step: &'s str,
        b_step: &'s str,
    },
    /// Paired steps whose starts are further apart than the tolerance.
    StartGap {
        step: &'s str,
        later: Auditor,
        lag_secs: f64,
        first: String,
        last: String,
    },
    /// A step only `who` logged.
    Unpaired {
        who: Auditor,
        at: &'s str,
        step: &'s str,
        active_secs: f64,
        covered: Covered<'s>,
    },
}

/// What the other auditor had while an unpaired step ran.
pub(super) enum Covered<'s> {
    /// Their step ran over it and is paired with another step of `who`: they merged two.
    Merged { theirs: &'s str, mine: &'s str },
    /// Nothing of theirs is paired over it: this is what they had open.
    Open(OpenThen<'s>),
}

impl Pair<'_> {
    /// Every figure, verdict and finding of the pair.
    pub(super) fn agreement(&self) -> Agreement {
        let slice_a: Vec<u32> = self.slices.iter().map(|s| s.a).collect();
        let slice_b: Vec<u32> = self.slices.iter().map(|s| s.b).collect();
        let time_slice_kappa =
            stats::cohen_kappa(&slice_a, &slice_b).expect("a pair always has compared slices");
        let steps = self.steps();
        let figures = self.step_figures(&steps);
        let logged = self.logged_figures();
        let verdicts = self.verdicts(time_slice_kappa, &figures, &logged);
        let window = Window {
            start: self.wall(self.window.0).to_rfc3339(),
            end: self.wall(self.window.1).to_rfc3339(),
            secs: (self.window.1 - self.window.0) as f64 / 1000.0,
            b_offset_secs: self.b.offset_ms as f64 / 1000.0,
            slices: self.whole_slices,
            paused_slices: self.whole_slices - self.slices.len(),
            compared_slices: self.slices.len(),
        };
        let mut agreement = Agreement {
            a: self.a.info(steps.a.len()),
            b: self.b.info(steps.b.len()),
            shift_b_secs: self.options.shift_b_secs,
            tolerance_secs: self.options.tolerance_secs,
            window,
            warnings: self.warnings.clone(),
            time_slice_kappa,
            naming_kappa: figures.naming_kappa,
            duration_ccc: figures.duration_ccc,
            timing_gap_secs: figures.timing_gap_secs,
            sequence_similarity: figures.sequence_similarity,
            interruptions: logged.interruptions,
            workarounds: logged.workarounds,
            system_problems: logged.system_problems,
            verdicts,
            disagreements: self.disagreements(),
            step_issues: self.step_issues(&steps),
            paired_steps: self.paired_steps(&steps.pairs),
            suggested_shift_b_secs: self.suggested_shift(&steps.pairs, &figures.signed_gaps),
            advice: Vec::new(),
        };
        agreement.advice = text::advice(&agreement);
        agreement
    }

    /// The steps in the window, paired by greatest overlap.
    fn steps(&self) -> Steps {
        let a = self.a.steps_in(self.window);
        let b = self.b.steps_in(self.window);
        let pairs = self.pair_steps(&a, &b);
        Steps {
            paired_a: pairs.iter().map(|p| p.0).collect(),
            paired_b: pairs.iter().map(|p| p.1).collect(),
            a,
            b,
            pairs,
        }
    }

    fn step_figures(&self, steps: &Steps) -> StepFigures {
        // Naming: every pair, then each side's unpaired steps against nothing.
        let mut names_a: Vec<Option<&str>> = Vec::new();
        let mut names_b: Vec<Option<&str>> = Vec::new();
        for &(i, j, _) in &steps.pairs {
            names_a.push(Some(self.a.step_id(i)));
            names_b.push(Some(self.b.step_id(j)));
        }
        for &i in steps.a.iter().filter(|i| !steps.paired_a.contains(i)) {
            names_a.push(Some(self.a.step_id(i)));
            names_b.push(None);
        }
        for &j in steps.b.iter().filter(|j| !steps.paired_b.contains(j)) {
            names_a.push(None);
            names_b.push(Some(self.b.step_id(j)));
        }
        let durations_a: Vec<f64> = steps.pairs.iter().map(|p| active(&self.a, p.0)).collect();
        let durations_b: Vec<f64> = steps.pairs.iter().map(|p| active(&self.b, p.1)).collect();
        let signed_gaps: Vec<f64> = steps
            .pairs
            .iter()
            .map(|&(i, j, _)| (self.b.step_span(j).0 - self.a.step_span(i).0) as f64 / 1000.0)
            .collect();
        let mut gaps: Vec<f64> = signed_gaps.iter().map(|g| g.abs()).collect();
        let timing_gap_secs = quantile(&mut gaps, 0.5).map(|median| TimingGap {
            median,
            p90: quantile(&mut gaps, 0.9).unwrap_or(median),
        });
        let sequence_a: Vec<&str> = steps.a.iter().map(|&i| self.a.step_id(i)).collect();
        let sequence_b: Vec<&str> = steps.b.iter().map(|&j| self.b.step_id(j)).collect();
        StepFigures {
            naming_kappa: stats::cohen_kappa(&names_a, &names_b),
            duration_ccc: stats::lin_ccc(&durations_a, &durations_b),
            timing_gap_secs,
            sequence_similarity: stats::sequence_similarity(&sequence_a, &sequence_b),
            signed_gaps,
        }
    }

    fn logged_figures(&self) -> LoggedFigures {
        let tolerance_ms = self.tolerance_ms();
        let [ia, wa, pa] = self.a.logged(self.window);
        let [ib, wb, pb] = self.b.logged(self.window);
        LoggedFigures {
            interruptions: self.match_events(&ia, &ib, tolerance_ms),
            workarounds: self.match_events(&wa, &wb, tolerance_ms),
            system_problems: self.match_events(&pa, &pb, tolerance_ms),
        }
    }

    fn verdicts(&self, kappa: f64, steps: &StepFigures, logged: &LoggedFigures) -> Verdicts {
        let events = |e: &EventAgreement| Verdict::of_agreement(e.precision.min(e.recall));
        let mut verdicts = Verdicts {
            time_slice_kappa: Verdict::of_agreement(kappa),
            naming_kappa: steps.naming_kappa.map(Verdict::of_agreement),
            duration_ccc: steps.duration_ccc.map(Verdict::of_ccc),
            timing_gap_secs: steps
                .timing_gap_secs
                .as_ref()
                .map(|g| Verdict::of_timing(g, self.options.tolerance_secs)),
            sequence_similarity: Verdict::of_agreement(steps.sequence_similarity),
            interruptions: events(&logged.interruptions),
            workarounds: events(&logged.workarounds),
            system_problems: events(&logged.system_problems),
            overall: Verdict::Good,
        };
        verdicts.overall = [
            Some(verdicts.time_slice_kappa),
            verdicts.naming_kappa,
            verdicts.duration_ccc,
            verdicts.timing_gap_secs,
            Some(verdicts.sequence_similarity),
            Some(verdicts.interruptions),
            Some(verdicts.workarounds),
            Some(verdicts.system_problems),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(Verdict::Good);
        verdicts
    }

    fn paired_steps(&self, pairs: &[(usize, usize, i64)]) -> Vec<StepPair> {
        pairs
            .iter()
            .map(|&(i, j, overlap)| {
                let (sa, sb) = (self.a.step_span(i).0, self.b.step_span(j).0);
                StepPair {
                    a_step: self.a.step_id(i).to_string(),
                    b_step: self.b.step_id(j).to_string(),
                    a_start: self.clock(sa),
                    b_start: self.clock(sb),
                    start_gap_secs: (sb - sa) as f64 / 1000.0,
                    overlap_secs: overlap as f64 / 1000.0,
                    a_active_secs: active(&self.a, i),
                    b_active_secs: active(&self.b, j),
                }
            })
            .collect()
    }

    fn tolerance_ms(&self) -> i64 {
        (self.options.tolerance_secs * 1000.0).round() as i64
    }

    /// Step-level disagreements in time order: pairs named differently or started apart,
    /// then each side's unpaired steps.
    fn step_issues(&self, steps: &Steps) -> Vec<StepIssue> {
        let mut issues: Vec<(i64, StepIssue)> = Vec::new();
        for &(i, j, _) in &steps.pairs {
            if let Some(issue) = self.pair_issue(i, j) {
                issues.push(issue);
            }
        }
        let a_of_b: HashMap<usize, usize> = steps.pairs.iter().map(|&(i, j, _)| (j, i)).collect();
        let b_of_a: HashMap<usize, usize> = steps.pairs.iter().map(|&(i, j, _)| (i, j)).collect();
        for &i in steps.a.iter().filter(|i| !steps.paired_a.contains(i)) {
            issues.push(self.unpaired_issue(Auditor::A, i, &a_of_b));
        }
        for &j in steps.b.iter().filter(|j| !steps.paired_b.contains(j)) {
            issues.push(self.unpaired_issue(Auditor::B, j, &b_of_a));
        }
        issues.sort_by_key(|x| x.0);
        issues.into_iter().map(|(_, issue)| issue).collect()
    }

    /// A's step `i` paired with B's step `j`: an issue when they are named differently or
    /// started further apart than the tolerance.
    fn pair_issue(&self, i: usize, j: usize) -> Option<(i64, StepIssue)> {
        let (a_step, b_step) = (self.a.step_id(i), self.b.step_id(j));
        let (sa, sb) = (self.a.step_span(i).0, self.b.step_span(j).0);
        let at = sa.min(sb).max(self.window.0);
        let clock = self.clock(at);
        let (kind, problem) = if a_step != b_step {
            let problem = StepProblem::DifferentStep {
                at: &clock,
                a_step,
                b_step,
            };
            (StepIssueKind::DifferentStep, problem)
        } else if (sb - sa).abs() > self.tolerance_ms() {
            let problem = StepProblem::StartGap {
                step: a_step,
                later: if sb > sa { Auditor::B } else { Auditor::A },
                lag_secs: (sb - sa).abs() as f64 / 1000.0,
                first: self.clock(sa.min(sb)),
                last: self.clock(sa.max(sb)),
            };
            (StepIssueKind::StartGap, problem)
        } else {
            return None;
        };
        let text = text::step_issue(&problem);
        let issue = StepIssue {
            kind,
            at: clock.clone(),
            offset_secs: self.offset_secs(at),
            a_step: Some(a_step.to_string()),
            b_step: Some(b_step.to_string()),
            text,
        };
        Some((at, issue))
    }

    /// A step of `who`'s with no step of the other paired with it. `partner_of_other` maps
    /// the other's paired steps to `who`'s.
    fn unpaired_issue(
        &self,
        who: Auditor,
        step: usize,
        partner_of_other: &HashMap<usize, usize>,
    ) -> (i64, StepIssue) {
        let (side, other) = match who {
            Auditor::A => (&self.a, &self.b),
            Auditor::B => (&self.b, &self.a),
        };
        let (start, end) = side.step_span(step);
        let at = start.max(self.window.0);
        let middle = (start.max(self.window.0) + end.min(self.window.1)) / 2;
        let id = side.step_id(step);
        let clock = self.clock(at);
        // The other's step that covered this one, and the step of mine it is paired with
        // instead: the other merged two of my steps into one.
        let merged = other_step_at(other, middle).and_then(|j| {
            partner_of_other.get(&j).map(|&mine| Covered::Merged {
                theirs: other.step_id(j),
                mine: side.step_id(mine),
            })
        });
        let problem = StepProblem::Unpaired {
            who,
            at: &clock,
            step: id,
            active_secs: active(side, step),
            covered: merged.unwrap_or_else(|| Covered::Open(open_at(other, middle))),
        };
        let text = text::step_issue(&problem);
        let (kind, a_step, b_step) = match who {
            Auditor::A => (StepIssueKind::OnlyA, Some(id.to_string()), None),
            Auditor::B => (StepIssueKind::OnlyB, None, Some(id.to_string())),
        };
        let issue = StepIssue {
            kind,
            at: clock.clone(),
            offset_secs: self.offset_secs(at),
            a_step,
            b_step,
            text,
        };
        (at, issue)
    }

    /// The longest runs of consecutive disagreeing slices (a paused slice ends a run).
    fn disagreements(&self) -> Vec<Disagreement> {
        let mut runs: Vec<(usize, usize)> = Vec::new(); // [from, to) indices into slices
        let mut index = 0;
        while index < self.slices.len() {
            if self.slices[index].a == self.slices[index].b {
                index += 1;
                continue;
            }
            let from = index;
            index += 1;
            while index < self.slices.len()
                && self.slices[index].a != self.slices[index].b
                && self.slices[index].k == self.slices[index - 1].k + 1
            {
                index += 1;
            }
            runs.push((from, index));
        }
        runs.sort_by(|x, y| (y.1 - y.0).cmp(&(x.1 - x.0)).then(x.0.cmp(&y.0)));
        runs.truncate(MAX_DISAGREEMENTS);
        runs.into_iter()
            .map(|(from, to)| {
                let mut counts: HashMap<(u32, u32), usize> = HashMap::new();
                for s in &self.slices[from..to] {
                    *counts.entry((s.a, s.b)).or_default() += 1;
                }
                let (&(la, lb), _) = counts
                    .iter()
                    .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                    .expect("a run has slices");
                let start = self.window.0 + self.slices[from].k as i64 * SLICE_MS;
                let end = self.window.0 + (self.slices[to - 1].k as i64 + 1) * SLICE_MS;
                let secs = (to - from) as f64;
                let (a_label, b_label) = (self.label(la), self.label(lb));
                Disagreement {
                    from: self.clock(start),
                    to: self.clock(end),
                    offset_secs: self.offset_secs(start),
                    secs,
                    a_label: a_label.to_string(),
                    b_label: b_label.to_string(),
                    text: text::describe_run(
                        &self.clock(start),
                        &self.clock(end),
                        secs,
                        a_label,
                        b_label,
                    ),
                }
            })
            .collect()
    }

    /// When B's step starts are steadily early or late against A's (same steps, at least
    /// three of them, nine in ten on the same side, median more than 2 s and more than the
    /// tolerance's half), the shift that would line them up.
    fn suggested_shift(&self, pairs: &[(usize, usize, i64)], signed_gaps: &[f64]) -> Option<f64> {
        let mut same: Vec<f64> = pairs
            .iter()
            .zip(signed_gaps)
            .filter(|((i, j, _), _)| self.a.step_id(*i) == self.b.step_id(*j))
            .map(|(_, g)| *g)
            .collect();
        if same.len() < 3 {
            return None;
        }
        let median = quantile(&mut same, 0.5)?;
        let threshold = 2.0f64.max(self.options.tolerance_secs / 2.0);
        let same_side = same
            .iter()
            .filter(|g| g.signum() == median.signum() && **g != 0.0)
            .count();
        if median.abs() <= threshold || (same_side as f64) < 0.9 * same.len() as f64 {
            return None;
        }
        Some((self.options.shift_b_secs - median).round())
    }
}

/// A step's active seconds.
fn active(side: &Side, step: usize) -> f64 {
    side.timeline.steps[step].active_ms as f64 / 1000.0
}
