//! From an alignment to what an auditor reads: each non-sync move as a deviation with a plain
//! sentence and its evidence, the friction of every synced step, and the session figures
//! (docs/reference.md section 5).

use std::fmt::Write as _;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::model::{Model, RawMove};
use super::{
    Comparison, Deviation, DeviationKind, Move, MoveKind, ObservedStep, SessionFigures,
    StepFriction, fitness,
};
use crate::model::{KindCounts, Pathway, Timeline, VocabularyKind, session_time};

/// A duration in seconds as `m:ss`.
fn duration(secs: f64) -> String {
    let total = secs.round().max(0.0) as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

/// "`id`", with the pathway's label when it says more than the id.
fn named(pathway: &Pathway, id: &str) -> String {
    let mut out = String::new();
    push_named(&mut out, pathway, id);
    out
}

/// [`named`] appended to `out`. The sentences are built by appending rather than by nested
/// `format!`s: `compare` writes one or more for most traces of a log, and the intermediate
/// strings were a fifth of its time.
fn push_named(out: &mut String, pathway: &Pathway, id: &str) {
    out.push('`');
    out.push_str(id);
    out.push('`');
    match pathway.step(id) {
        Some(step) if step.label != id && !step.label.is_empty() => {
            out.push_str(" (");
            out.push_str(&step.label);
            out.push(')');
        }
        _ => {}
    }
}

/// "at 03:12 (event 14)", or what is known of it.
fn when(observed: &[ObservedStep], j: usize) -> String {
    let mut out = String::new();
    push_when(&mut out, observed, j);
    out
}

/// [`when`] appended to `out`.
fn push_when(out: &mut String, observed: &[ObservedStep], j: usize) {
    let o = &observed[j];
    // Writing to a String cannot fail.
    let _ = match (o.at_ms, o.event) {
        (Some(at), Some(event)) => write!(out, "at {} (event {event})", session_time::format(at)),
        (Some(at), None) => write!(out, "at {}", session_time::format(at)),
        (None, Some(event)) => write!(out, "as event {event}"),
        (None, None) => write!(out, "as observed step {}", j + 1),
    };
}

/// What the sentences need to know about the alignment, precomputed so that explaining is
/// linear in the number of moves.
struct Ctx<'a> {
    observed: &'a [ObservedStep],
    moves: &'a [Move],
    /// Per move: the nearest observed (sync or log) move before it.
    observed_before: Vec<Option<usize>>,
    /// Per move: the nearest sync move before it, and after it.
    sync_before: Vec<Option<usize>>,
    sync_after: Vec<Option<usize>>,
    /// Per step id: its first sync move, its first skip move, how often it was observed.
    first_sync: HashMap<&'a str, usize>,
    first_skip: HashMap<&'a str, usize>,
    times_observed: HashMap<&'a str, usize>,
    pathway: &'a Pathway,
}

impl<'a> Ctx<'a> {
    fn new(observed: &'a [ObservedStep], pathway: &'a Pathway, moves: &'a [Move]) -> Ctx<'a> {
        let n = moves.len();
        let (mut observed_before, mut sync_before, mut sync_after) =
            (vec![None; n], vec![None; n], vec![None; n]);
        let (mut last_obs, mut last_sync) = (None, None);
        for (i, m) in moves.iter().enumerate() {
            observed_before[i] = last_obs;
            sync_before[i] = last_sync;
            if m.observed.is_some() {
                last_obs = Some(i);
            }
            if m.kind == MoveKind::Sync {
                last_sync = Some(i);
            }
        }
        let mut next_sync = None;
        for (i, m) in moves.iter().enumerate().rev() {
            sync_after[i] = next_sync;
            if m.kind == MoveKind::Sync {
                next_sync = Some(i);
            }
        }
        // Sized up front: growing the maps of every trace was a tenth of `compare`'s time.
        let (mut first_sync, mut first_skip) =
            (HashMap::with_capacity(n), HashMap::with_capacity(n));
        for (i, m) in moves.iter().enumerate() {
            match m.kind {
                MoveKind::Sync => {
                    first_sync.entry(m.step.as_str()).or_insert(i);
                }
                MoveKind::Skip => {
                    first_skip.entry(m.step.as_str()).or_insert(i);
                }
                _ => {}
            }
        }
        let mut times_observed = HashMap::with_capacity(observed.len());
        for o in observed {
            *times_observed.entry(o.step.as_str()).or_insert(0) += 1;
        }
        Ctx {
            observed,
            moves,
            observed_before,
            sync_before,
            sync_after,
            first_sync,
            first_skip,
            times_observed,
            pathway,
        }
    }

    fn step(&self, i: Option<usize>) -> Option<&str> {
        i.map(|i| self.moves[i].step.as_str())
    }

    /// "`id` (label)" for a pathway step, "`id`" for anything else.
    fn name(&self, id: &str) -> String {
        named(self.pathway, id)
    }

    /// Where the run has move `i` (a model or skip move), named by its synced neighbours.
    fn run_place(&self, i: usize) -> String {
        match (
            self.step(self.sync_after[i]),
            self.step(self.sync_before[i]),
        ) {
            (Some(next), _) => format!("before `{next}`"),
            (None, Some(prev)) => format!("after `{prev}`"),
            (None, None) => "elsewhere".to_string(),
        }
    }

    fn came_after(&self, i: usize) -> String {
        match self.step(self.observed_before[i]) {
            Some(prev) => format!("after `{prev}`"),
            None => "first of all".to_string(),
        }
    }

    /// The observed step's name, with the label it was captured under when that differs,
    /// appended to `out`.
    fn push_observed_name(&self, out: &mut String, j: usize) {
        let o = &self.observed[j];
        match &o.label {
            Some(label) if label != &o.step => {
                out.push('`');
                out.push_str(&o.step);
                out.push_str("` (\"");
                out.push_str(label);
                out.push_str("\")");
            }
            _ => push_named(out, self.pathway, &o.step),
        }
    }
}

/// Builds the comparison of one alignment (no friction yet).
pub(crate) fn explain(
    case_id: &str,
    observed_steps: Vec<ObservedStep>,
    pathway: &Pathway,
    model: &Model,
    cost: u32,
    raw: &[RawMove],
) -> Comparison {
    let observed = &observed_steps[..];
    // Skips are rare: each is checked against the synced steps when it comes, rather than
    // building a set of them for every trace.
    let synced = |label: u32| {
        raw.iter()
            .any(|m| matches!(m, RawMove::Sync { label: l, .. } if *l == label))
    };
    let id = |label: u32| model.steps[label as usize].id.clone();
    let mut moves = Vec::with_capacity(raw.len());
    for m in raw {
        moves.push(match *m {
            RawMove::Sync { label, obs } => Move {
                kind: MoveKind::Sync,
                step: id(label),
                observed: Some(obs),
            },
            RawMove::Log { obs } => Move {
                kind: MoveKind::Log,
                step: observed[obs].step.clone(),
                observed: Some(obs),
            },
            RawMove::Model { label } => Move {
                kind: MoveKind::Model,
                step: id(label),
                observed: None,
            },
            // An optional step "left out" and then redone is simply done: no skip to report.
            RawMove::Skip { label } if synced(label) => continue,
            RawMove::Skip { label } => Move {
                kind: MoveKind::Skip,
                step: id(label),
                observed: None,
            },
        });
    }
    let worst_cost = observed.len() as u32 + model.min_run;
    let deviations = deviations(observed, pathway, model, &moves);
    // Optional steps left out and not done anywhere else (one done out of its place is an
    // `out_of_order` deviation instead).
    let skipped_optional = moves
        .iter()
        .filter(|m| m.kind == MoveKind::Skip && !observed.iter().any(|o| o.step == m.step))
        .map(|m| m.step.clone())
        .collect();
    let fit = fitness(cost, worst_cost);
    Comparison {
        case_id: case_id.to_string(),
        n_steps: observed.len(),
        cost,
        worst_cost,
        fitness: fit,
        moves,
        deviations,
        frictions: Vec::new(),
        figures: SessionFigures {
            fitness: fit,
            ..SessionFigures::default()
        },
        skipped_optional,
        observed: observed_steps,
    }
}

#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
fn deviations(
    observed: &[ObservedStep],
    pathway: &Pathway,
    model: &Model,
    moves: &[Move],
) -> Vec<Deviation> {
    // A trace that fits (synced steps and skipped optional ones only) has nothing to explain:
    // no need for the maps below (many traces of a log fit).
    if moves
        .iter()
        .all(|m| matches!(m.kind, MoveKind::Sync | MoveKind::Skip))
    {
        return Vec::new();
    }
    let ctx = Ctx::new(observed, pathway, moves);
    // Pair each step's log moves with its model moves, in order: done, but elsewhere.
    let mut models: HashMap<&str, Vec<usize>> = HashMap::with_capacity(moves.len());
    let mut logs: HashMap<&str, Vec<usize>> = HashMap::with_capacity(moves.len());
    for (i, m) in moves.iter().enumerate() {
        match m.kind {
            MoveKind::Model => models.entry(&m.step).or_default().push(i),
            MoveKind::Log if model.label(&m.step).is_some() => {
                logs.entry(&m.step).or_default().push(i);
            }
            _ => {}
        }
    }
    let mut partner: HashMap<usize, usize> = HashMap::new();
    for (step, log_moves) in &logs {
        if let Some(model_moves) = models.get(step) {
            for (&l, &m) in log_moves.iter().zip(model_moves) {
                partner.insert(l, m);
                partner.insert(m, l);
            }
        }
    }
    let mut out = Vec::new();
    for (i, m) in moves.iter().enumerate() {
        if matches!(m.kind, MoveKind::Sync | MoveKind::Skip) {
            continue;
        }
        let step = m.step.clone();
        match m.kind {
            MoveKind::Sync | MoveKind::Skip => {}
            MoveKind::Model => match partner.get(&i) {
                // The pair is reported once, at its log move.
                Some(_) => {}
                None => {
                    let place = match (ctx.step(ctx.sync_before[i]), ctx.step(ctx.sync_after[i])) {
                        (Some(prev), _) => format!("expected after `{prev}`"),
                        (None, Some(next)) => format!("expected before `{next}`"),
                        (None, None) => "no step of the pathway was observed".to_string(),
                    };
                    out.push(Deviation {
                        kind: DeviationKind::Missing,
                        text: format!("{} was not done ({place}).", ctx.name(&step)),
                        step,
                        observed: None,
                        at_ms: None,
                    });
                }
            },
            MoveKind::Log => {
                let j = m.observed.expect("a log move has its observed step");
                let at_ms = observed[j].at_ms;
                let (kind, text) = match model.label(&step) {
                    None => {
                        // "{observed name} was done {when}; it is not in the pathway."
                        let mut text = String::with_capacity(96);
                        ctx.push_observed_name(&mut text, j);
                        text.push_str(" was done ");
                        push_when(&mut text, observed, j);
                        text.push_str("; it is not in the pathway.");
                        (DeviationKind::Unplanned, text)
                    }
                    Some(label) => {
                        let info = &model.steps[label as usize];
                        if let Some(&mm) = partner.get(&i) {
                            (
                                DeviationKind::OutOfOrder,
                                format!(
                                    "{} was done {}, {}, but the pathway has it {}.",
                                    ctx.name(&step),
                                    when(observed, j),
                                    ctx.came_after(i),
                                    ctx.run_place(mm)
                                ),
                            )
                        } else {
                            let other = ctx.first_sync.get(step.as_str()).copied();
                            let times = ctx.times_observed.get(step.as_str()).copied().unwrap_or(0);
                            if !info.repeat && times > 1 {
                                let also = other
                                    .and_then(|k| moves[k].observed)
                                    .or_else(|| {
                                        observed
                                            .iter()
                                            .enumerate()
                                            .position(|(k, o)| k != j && o.step == step)
                                    })
                                    .map(|k| format!(" it was also done {},", when(observed, k)))
                                    .unwrap_or_default();
                                (
                                    DeviationKind::Repeated,
                                    format!(
                                        "{} was done again {};{also} and the pathway has it once.",
                                        ctx.name(&step),
                                        when(observed, j)
                                    ),
                                )
                            } else if info.repeat && other.is_some() {
                                (
                                    DeviationKind::OutOfOrder,
                                    format!(
                                        "{} was redone {}, {}; the pathway lets it be redone only until the next step starts.",
                                        ctx.name(&step),
                                        when(observed, j),
                                        ctx.came_after(i)
                                    ),
                                )
                            } else {
                                let place = ctx
                                    .first_skip
                                    .get(step.as_str())
                                    .map(|&k| ctx.run_place(k))
                                    .unwrap_or_else(|| "elsewhere".to_string());
                                (
                                    DeviationKind::OutOfOrder,
                                    format!(
                                        "{} was done {}, {}, but the pathway has it {place}.",
                                        ctx.name(&step),
                                        when(observed, j),
                                        ctx.came_after(i)
                                    ),
                                )
                            }
                        }
                    }
                };
                out.push(Deviation {
                    kind,
                    step,
                    text,
                    observed: Some(j),
                    at_ms,
                });
            }
        }
    }
    out
}

/// The comparison for a pathway the comparator cannot compile, or a trace it refuses to align
/// (too much work): no sync move at all, and each deviation says why.
pub(crate) fn unalignable(
    case_id: &str,
    observed: &[ObservedStep],
    pathway: &Pathway,
    error: &dyn std::fmt::Display,
) -> Comparison {
    let mut moves: Vec<Move> = observed
        .iter()
        .enumerate()
        .map(|(j, o)| Move {
            kind: MoveKind::Log,
            step: o.step.clone(),
            observed: Some(j),
        })
        .collect();
    let mut deviations: Vec<Deviation> = observed
        .iter()
        .enumerate()
        .map(|(j, o)| Deviation {
            kind: if pathway.step(&o.step).is_some() {
                DeviationKind::OutOfOrder
            } else {
                DeviationKind::Unplanned
            },
            step: o.step.clone(),
            text: format!("`{}` could not be aligned: {error}.", o.step),
            observed: Some(j),
            at_ms: o.at_ms,
        })
        .collect();
    for step in pathway.all_steps() {
        moves.push(Move {
            kind: if step.optional {
                MoveKind::Skip
            } else {
                MoveKind::Model
            },
            step: step.id.clone(),
            observed: None,
        });
        if !step.optional {
            deviations.push(Deviation {
                kind: DeviationKind::Missing,
                step: step.id.clone(),
                text: format!("`{}` could not be aligned: {error}.", step.id),
                observed: None,
                at_ms: None,
            });
        }
    }
    let mandatory = pathway.all_steps().filter(|s| !s.optional).count() as u32;
    let cost = observed.len() as u32 + mandatory;
    Comparison {
        case_id: case_id.to_string(),
        n_steps: observed.len(),
        cost,
        worst_cost: cost,
        fitness: fitness(cost, cost),
        moves,
        deviations,
        frictions: Vec::new(),
        figures: SessionFigures {
            fitness: fitness(cost, cost),
            ..SessionFigures::default()
        },
        skipped_optional: Vec::new(),
        observed: observed.to_vec(),
    }
}

/// `value` is above `expected` by more than `pct` percent.
fn over(value: f64, expected: u32, pct: u32) -> bool {
    value * 100.0 > f64::from(expected) * f64::from(100 + pct)
}

fn percent_over(value: f64, expected: u32) -> String {
    if expected == 0 {
        "none expected".to_string()
    } else {
        format!("+{:.0} %", (value / f64::from(expected) - 1.0) * 100.0)
    }
}

/// Adds the friction of every synced step, its over-time / over-clicks deviations and the
/// session figures, from the session's timeline.
pub(crate) fn add_friction(comparison: &mut Comparison, timeline: &Timeline, pathway: &Pathway) {
    let tolerance = pathway.tolerance();
    let mut extra = Vec::new();
    for m in &comparison.moves {
        let (MoveKind::Sync, Some(j)) = (m.kind, m.observed) else {
            continue;
        };
        let (Some(span), Some(step)) = (timeline.steps.get(j), pathway.step(&m.step)) else {
            continue;
        };
        // A step with neither time nor clicks expected (a pathway from the oracle's JSON)
        // has no expectation to be over.
        let expects = step.expected_secs > 0 || step.expected_clicks > 0;
        let active_secs = span.active_ms as f64 / 1000.0;
        let friction = StepFriction {
            observed: j,
            step: m.step.clone(),
            active_secs,
            expected_secs: step.expected_secs,
            clicks: span.counts.clicks,
            expected_clicks: step.expected_clicks,
            screens: span.counts.screens,
            reentries: span.counts.reentries,
            interruptions: span.interruptions.len(),
            workarounds: span.workarounds.len(),
            problems: span.problems.len(),
            over_time: step.expected_secs > 0
                && over(active_secs, step.expected_secs, tolerance.time_pct),
            over_clicks: expects
                && over(
                    f64::from(span.counts.clicks),
                    step.expected_clicks,
                    tolerance.clicks_pct,
                ),
        };
        let at = format!(
            "at {} (event {})",
            session_time::format(span.start_ms),
            span.start_seq
        );
        if friction.over_time {
            extra.push(Deviation {
                kind: DeviationKind::OverTime,
                step: m.step.clone(),
                text: format!(
                    "{} {at} took {} of active time against {} expected ({}; the tolerance is {} %).",
                    named(pathway, &m.step),
                    duration(active_secs),
                    duration(f64::from(step.expected_secs)),
                    percent_over(active_secs, step.expected_secs),
                    tolerance.time_pct
                ),
                observed: Some(j),
                at_ms: Some(span.start_ms),
            });
        }
        if friction.over_clicks {
            extra.push(Deviation {
                kind: DeviationKind::OverClicks,
                step: m.step.clone(),
                text: format!(
                    "{} {at} took {} clicks against {} expected ({}; the tolerance is {} %).",
                    named(pathway, &m.step),
                    span.counts.clicks,
                    step.expected_clicks,
                    percent_over(f64::from(span.counts.clicks), step.expected_clicks),
                    tolerance.clicks_pct
                ),
                observed: Some(j),
                at_ms: Some(span.start_ms),
            });
        }
        comparison.frictions.push(friction);
    }
    comparison.deviations.extend(extra);
    order_by_moves(comparison);
    comparison.figures = figures(comparison, timeline);
}

/// Puts the deviations in the order of the alignment (so in time order), friction after the
/// alignment deviation of the same step; stable otherwise.
fn order_by_moves(comparison: &mut Comparison) {
    let mut move_of_observed = HashMap::with_capacity(comparison.moves.len());
    for (i, m) in comparison.moves.iter().enumerate() {
        if let Some(j) = m.observed {
            move_of_observed.insert(j, i);
        }
    }
    let mut used_model_moves = HashSet::new();
    let mut keys = Vec::with_capacity(comparison.deviations.len());
    for d in &comparison.deviations {
        let at = match d.observed.and_then(|j| move_of_observed.get(&j)) {
            Some(&i) => i,
            None => comparison
                .moves
                .iter()
                .enumerate()
                .position(|(i, m)| {
                    m.kind == MoveKind::Model && m.step == d.step && !used_model_moves.contains(&i)
                })
                .inspect(|&i| {
                    used_model_moves.insert(i);
                })
                .unwrap_or(usize::MAX),
        };
        let friction = matches!(d.kind, DeviationKind::OverTime | DeviationKind::OverClicks);
        keys.push((at, friction));
    }
    let mut paired: Vec<((usize, bool), Deviation)> = keys
        .into_iter()
        .zip(comparison.deviations.drain(..))
        .collect();
    paired.sort_by_key(|(key, _)| *key);
    comparison.deviations = paired.into_iter().map(|(_, d)| d).collect();
}

/// The kinds seen, with their counts: built-in kinds in their screen order, then the site's
/// own kinds by id.
fn by_kind<K: VocabularyKind>(seen: impl Iterator<Item = K>) -> Vec<(K, usize)> {
    let mut counts = KindCounts::<K>::default();
    for kind in seen {
        counts.add(kind, 1);
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k, n as usize))
        .collect()
}

/// The session figures of docs/reference.md section 5.
pub fn figures(comparison: &Comparison, timeline: &Timeline) -> SessionFigures {
    let minutes = |ms: u64| ms as f64 / 60_000.0;
    let observed_ms = timeline.observed_ms();
    let synced_active_secs: f64 = comparison.frictions.iter().map(|f| f.active_secs).sum();
    let expected_secs: u64 = comparison
        .frictions
        .iter()
        .map(|f| u64::from(f.expected_secs))
        .sum();
    // Counts saturate: a hand-edited session may hold absurd click deltas, and a figure
    // pinned at u32::MAX is better than a crash.
    let sat_sum = |it: &mut dyn Iterator<Item = u32>| it.fold(0u32, u32::saturating_add);
    let clicks = sat_sum(&mut comparison.frictions.iter().map(|f| f.clicks));
    let expected_clicks = sat_sum(&mut comparison.frictions.iter().map(|f| f.expected_clicks));
    let reentries = sat_sum(
        &mut timeline
            .steps
            .iter()
            .map(|s| s.counts.reentries)
            .chain(timeline.interruptions.iter().map(|i| i.counts.reentries))
            .chain(std::iter::once(timeline.idle_counts.reentries)),
    );
    // Each interruption's own clock runs while it is the innermost open one, pauses excluded:
    // their sum is the time with any interruption open.
    let interrupted_ms: u64 = timeline.interruptions.iter().map(|i| i.active_ms).sum();
    let hours = observed_ms as f64 / 3_600_000.0;
    SessionFigures {
        fitness: comparison.fitness,
        timed: true,
        observed_minutes: minutes(observed_ms),
        active_minutes: minutes(timeline.steps.iter().map(|s| s.active_ms).sum()),
        synced_active_minutes: synced_active_secs / 60.0,
        expected_minutes: expected_secs as f64 / 60.0,
        time_ratio: (expected_secs > 0).then(|| synced_active_secs / expected_secs as f64),
        clicks,
        expected_clicks,
        click_excess: i64::from(clicks) - i64::from(expected_clicks),
        reentries,
        workarounds: by_kind(timeline.workarounds.iter().map(|w| w.kind)),
        interruptions: timeline.interruptions.len(),
        interruptions_per_hour: (observed_ms > 0)
            .then(|| timeline.interruptions.len() as f64 / hours),
        interrupted_share: (observed_ms > 0).then(|| interrupted_ms as f64 / observed_ms as f64),
        problems: by_kind(timeline.problems.iter().map(|p| p.kind)),
    }
}
