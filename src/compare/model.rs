//! A pathway compiled into a model, and the minimal-cost alignment of an observed sequence
//! against it (docs/reference.md section 5).
//!
//! The model is the language of the pathway as a small acyclic automaton:
//! - state `(p, 0)` is the place before element `p` (and after element `p - 1`): from it the
//!   step of element `p - 1` may be redone when it is a repeat step, exactly as the self-loop
//!   on the place after a repeat step in the oracle's hand-built Petri net;
//! - a step element moves `(p, 0)` to `(p + 1, 0)` (sync, model move, or a free skip when optional);
//! - an `AnyOrder` group at `p` has one state per subset of done members, `(p, mask)`: a member
//!   moves `mask` to `mask | bit` (sync, model move, free skip when optional), a repeat member may be
//!   redone while the group is open (`mask` has its bit), and the full mask joins to `(p + 1, 0)`
//!   for free (pm4py's PARALLEL operator).
//!
//! The alignment is a shortest path over (trace position x model state). Model progress is
//! monotone, so every layer (trace position) is relaxed in one pass in topological order, and a
//! layer follows from the one before by the log and sync moves of one observed step. Costs are
//! small integers, so this is exact. Ties are broken by a fixed order (sync before log, moves into a
//! layer before moves within it), so the same input gives the same alignment everywhere.
//!
//! Memory: the distance rows of every `K`-th layer are kept (`K` ~ sqrt(n)), and the rows of one
//! segment of `K` layers at a time are recomputed during the traceback, which finds each move
//! again from the distances (no back-pointers); memory is O(states x sqrt(n)) and time about
//! twice one forward pass. Work grows as `n x k x 2^k` for a group of `k`: [`Model::check_work`]
//! refuses, before starting, an alignment beyond [`MAX_ALIGNMENT_WORK`].

use foldhash::HashMap;

use crate::model::{Element, Pathway};

pub use crate::model::pathway::MAX_GROUP_MEMBERS;

/// The most simple steps one trace's alignment may take (about half a minute on one core of a
/// small machine): a longer one is refused with [`TooMuchWork`] rather than running for hours.
pub const MAX_ALIGNMENT_WORK: u64 = 40_000_000_000;

/// The most memory one trace's alignment may hold.
pub const MAX_ALIGNMENT_BYTES: u64 = 1 << 30;

/// An alignment refused before it started because it would take too long or too much memory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "aligning its {n_observed} steps against the pathway's {n_states} model states would take about {work} steps and {} MB (the comparator's bound is {MAX_ALIGNMENT_WORK} steps and {} MB); split the trace, or make the pathway's any-order groups smaller",
    bytes / 1_000_000,
    MAX_ALIGNMENT_BYTES / 1_000_000
)]
pub struct TooMuchWork {
    pub n_observed: usize,
    pub n_states: usize,
    pub work: u64,
    pub bytes: u64,
}

const INF: u32 = u32::MAX / 2;

/// What the alignment did, in order; indices are positions in the observed sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawMove {
    /// Observed `obs` synced with pathway step `label`.
    Sync { label: u32, obs: usize },
    /// Observed `obs` has no counterpart.
    Log { obs: usize },
    /// Pathway step `label` was not observed.
    Model { label: u32 },
    /// Optional pathway step `label` left out, for free.
    Skip { label: u32 },
}

#[derive(Debug, Clone)]
pub(crate) struct StepInfo {
    pub id: String,
    pub optional: bool,
    pub repeat: bool,
    /// Index of the element holding the step.
    pub element: usize,
    /// Index in the group, for a group member.
    pub member: Option<usize>,
}

#[derive(Debug, Clone)]
enum Elem {
    Step { label: u32 },
    Group { members: Vec<u32>, full: u32 },
}

/// A pathway compiled for alignment.
#[derive(Debug, Clone)]
pub struct Model {
    pub(crate) steps: Vec<StepInfo>,
    index: HashMap<String, u32>,
    elems: Vec<Elem>,
    /// First state of each element; `base[elems.len()]` is the final state.
    base: Vec<usize>,
    /// The element each state belongs to (the final state: `elems.len()`).
    state_elem: Vec<u32>,
    n_states: usize,
    /// Steps in the shortest complete run: the mandatory steps.
    pub(crate) min_run: u32,
}

/// Why a pathway cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error(
        "the AnyOrder group `{group}` has {members} steps; the comparator aligns groups of at most {max}"
    )]
    GroupTooLarge {
        group: String,
        members: usize,
        max: usize,
    },
}

impl Model {
    pub fn compile(pathway: &Pathway) -> Result<Model, CompileError> {
        let mut steps = Vec::new();
        let mut elems = Vec::new();
        let mut base = Vec::new();
        let mut n_states = 0usize;
        for (p, element) in pathway.steps.iter().enumerate() {
            base.push(n_states);
            match element {
                Element::Step(step) => {
                    steps.push(StepInfo {
                        id: step.id.clone(),
                        optional: step.optional,
                        repeat: step.repeat,
                        element: p,
                        member: None,
                    });
                    elems.push(Elem::Step {
                        label: (steps.len() - 1) as u32,
                    });
                    n_states += 1;
                }
                Element::AnyOrder(group) => {
                    if group.steps.len() > MAX_GROUP_MEMBERS {
                        return Err(CompileError::GroupTooLarge {
                            group: group.id.clone(),
                            members: group.steps.len(),
                            max: MAX_GROUP_MEMBERS,
                        });
                    }
                    let mut members = Vec::new();
                    for (i, step) in group.steps.iter().enumerate() {
                        steps.push(StepInfo {
                            id: step.id.clone(),
                            optional: step.optional,
                            repeat: step.repeat,
                            element: p,
                            member: Some(i),
                        });
                        members.push((steps.len() - 1) as u32);
                    }
                    let full = (1u32 << members.len()) - 1;
                    elems.push(Elem::Group { members, full });
                    n_states += full as usize + 1;
                }
            }
        }
        base.push(n_states);
        n_states += 1;
        let mut state_elem = vec![0u32; n_states];
        for p in 0..elems.len() {
            state_elem[base[p]..base[p + 1]].fill(p as u32);
        }
        state_elem[n_states - 1] = elems.len() as u32;
        let index = steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i as u32))
            .collect();
        let min_run = steps.iter().filter(|s| !s.optional).count() as u32;
        Ok(Model {
            steps,
            index,
            elems,
            base,
            state_elem,
            n_states,
            min_run,
        })
    }

    /// The label of a pathway step id; `None` for an id not in the pathway.
    pub(crate) fn label(&self, id: &str) -> Option<u32> {
        self.index.get(id).copied()
    }

    pub fn n_states(&self) -> usize {
        self.n_states
    }

    fn final_state(&self) -> usize {
        self.n_states - 1
    }

    /// Cost of the cheapest complete run with nothing observed: the mandatory steps.
    pub fn empty_cost(&self) -> u32 {
        self.min_run
    }

    /// The cost of a step or member move: 0 for an optional step (a free skip), else 1.
    fn model_cost(&self, label: u32) -> u32 {
        u32::from(!self.steps[label as usize].optional)
    }

    /// Moves within one layer (model moves, free skips, joins), in topological order. A group is
    /// closed bit by bit (each member's move over every subset at once), which the compiler
    /// vectorises: `k * 2^(k-1)` simple steps for a group of `k`.
    fn close_layer(&self, d: &mut [u32]) {
        for (p, elem) in self.elems.iter().enumerate() {
            match elem {
                Elem::Step { label } => {
                    let (s, t) = (self.base[p], self.base[p + 1]);
                    d[t] = d[t].min(d[s] + self.model_cost(*label));
                }
                Elem::Group { members, full } => {
                    let b0 = self.base[p];
                    let group = &mut d[b0..=b0 + *full as usize];
                    for (i, label) in members.iter().enumerate() {
                        let (bit, w) = (1usize << i, self.model_cost(*label));
                        for chunk in group.chunks_exact_mut(2 * bit) {
                            let (without, with) = chunk.split_at_mut(bit);
                            for (a, b) in without.iter().zip(with.iter_mut()) {
                                *b = (*b).min(*a + w);
                            }
                        }
                    }
                    let (s, t) = (b0 + *full as usize, self.base[p + 1]);
                    d[t] = d[t].min(d[s]);
                }
            }
        }
    }

    /// The layer after `prev` for one observed step (`label` None: not in the pathway), closed.
    /// Distances only: the traceback finds the moves again from the distances.
    fn next_layer(&self, prev: &[u32], label: Option<u32>, next: &mut [u32]) {
        // Every state may take the observed step as a log move (INF stays INF).
        for (n, &p) in next.iter_mut().zip(prev) {
            *n = (p + 1).min(INF);
        }
        if let Some(label) = label {
            let info = &self.steps[label as usize];
            let p = info.element;
            match (&self.elems[p], info.member) {
                (Elem::Step { .. }, _) => {
                    let (s, t) = (self.base[p], self.base[p + 1]);
                    next[t] = next[t].min(prev[s]);
                    if info.repeat {
                        next[t] = next[t].min(prev[t]);
                    }
                }
                (Elem::Group { full, .. }, Some(i)) => {
                    let (b0, bit) = (self.base[p], 1usize << i);
                    let range = b0..=b0 + *full as usize;
                    let pairs = prev[range.clone()]
                        .chunks_exact(2 * bit)
                        .zip(next[range].chunks_exact_mut(2 * bit));
                    for (from, to) in pairs {
                        let (from_without, from_with) = from.split_at(bit);
                        let to_with = &mut to[bit..];
                        for (t, &f) in to_with.iter_mut().zip(from_without) {
                            *t = (*t).min(f);
                        }
                        if info.repeat {
                            for (t, &f) in to_with.iter_mut().zip(from_with) {
                                *t = (*t).min(f);
                            }
                        }
                    }
                }
                (Elem::Group { .. }, None) => unreachable!("a group member always has an index"),
            }
        }
        self.close_layer(next);
    }

    fn first_layer(&self, d: &mut [u32]) {
        d.fill(INF);
        d[0] = 0;
        self.close_layer(d);
    }

    /// The simple steps the alignment of `n_observed` steps takes (forward pass and traceback),
    /// and the bytes it holds at its peak: what [`Model::check_work`] bounds.
    pub fn alignment_work(&self, n_observed: usize) -> (u64, u64) {
        let per_layer: u64 = self
            .elems
            .iter()
            .map(|e| match e {
                Elem::Step { .. } => 2,
                Elem::Group { members, full } => {
                    (u64::from(*full) + 1) * (members.len() as u64 / 2 + 3)
                }
            })
            .sum::<u64>()
            + self.n_states as u64;
        let layers = n_observed as u64 + 1;
        let k = segment_length(n_observed) as u64;
        let rows = layers / k + 1 + k + 1;
        (2 * layers * per_layer, rows * self.n_states as u64 * 4)
    }

    /// Refuses an alignment that would take more than [`MAX_ALIGNMENT_WORK`] steps or
    /// [`MAX_ALIGNMENT_BYTES`] of memory, before starting it.
    pub fn check_work(&self, n_observed: usize) -> Result<(), TooMuchWork> {
        let (work, bytes) = self.alignment_work(n_observed);
        if work > MAX_ALIGNMENT_WORK || bytes > MAX_ALIGNMENT_BYTES {
            return Err(TooMuchWork {
                n_observed,
                n_states: self.n_states,
                work,
                bytes,
            });
        }
        Ok(())
    }

    /// The cost of a minimal-cost alignment of `observed`, without its moves: one forward
    /// pass, for callers that score many sequences (the suggestion's search).
    pub(crate) fn cost(&self, observed: &[Option<u32>]) -> u32 {
        let mut cur = vec![INF; self.n_states];
        let mut next = vec![INF; self.n_states];
        self.first_layer(&mut cur);
        for label in observed {
            self.next_layer(&cur, *label, &mut next);
            std::mem::swap(&mut cur, &mut next);
        }
        cur[self.final_state()]
    }

    /// A minimal-cost alignment of `observed` (labels; None = not in the pathway): its cost and
    /// its moves in order.
    ///
    /// The forward pass keeps the distance rows of every `K`-th layer; the traceback recomputes
    /// one segment of rows at a time and, from each state, takes the first move (in the fixed
    /// tie-break order of the module documentation) whose distance adds up.
    pub(crate) fn align(&self, observed: &[Option<u32>]) -> (u32, Vec<RawMove>) {
        let n = observed.len();
        let ns = self.n_states;
        let k = segment_length(n);
        let mut checkpoints: Vec<Vec<u32>> = Vec::with_capacity(n / k + 1);
        let mut cur = vec![INF; ns];
        let mut next = vec![INF; ns];
        self.first_layer(&mut cur);
        checkpoints.push(cur.clone());
        for (j, label) in observed.iter().enumerate() {
            self.next_layer(&cur, *label, &mut next);
            std::mem::swap(&mut cur, &mut next);
            if (j + 1) % k == 0 && j + 1 < n {
                checkpoints.push(cur.clone());
            }
        }
        let cost = cur[self.final_state()];
        drop((cur, next));

        let mut moves_rev = Vec::new();
        let mut state = self.final_state();
        let mut layer = n;
        let mut rows = vec![INF; (k.min(n) + 1) * ns];
        while layer > 0 {
            let lo = ((layer - 1) / k) * k;
            rows[..ns].copy_from_slice(&checkpoints[lo / k]);
            for r in 1..=layer - lo {
                let (before, after) = rows.split_at_mut(r * ns);
                self.next_layer(
                    &before[(r - 1) * ns..],
                    observed[lo + r - 1],
                    &mut after[..ns],
                );
            }
            while layer > lo {
                let r = layer - lo;
                let (prev, cur) = (&rows[(r - 1) * ns..r * ns], &rows[r * ns..(r + 1) * ns]);
                let obs = layer - 1;
                loop {
                    let (step, crossed) =
                        self.predecessor(cur, Some((prev, observed[obs], obs)), state);
                    let Some((mv, from)) = step else {
                        unreachable!(
                            "every state of a layer after the first is entered from somewhere"
                        )
                    };
                    moves_rev.extend(mv);
                    state = from;
                    if crossed {
                        break;
                    }
                }
                layer -= 1;
            }
        }
        let first = &mut rows[..ns];
        self.first_layer(first);
        while let (Some((mv, from)), _) = self.predecessor(first, None, state) {
            moves_rev.extend(mv);
            state = from;
        }
        debug_assert_eq!(state, 0);
        moves_rev.reverse();
        (cost, moves_rev)
    }

    /// The move that reached `t` in layer `cur` and the state it came from, the first in
    /// tie-break order whose distance adds up: the moves from the layer before (`prev`, with
    /// the observed step's label and index) first, sync before log, then the moves within the
    /// layer in the order they are relaxed. The flag is true when the move crosses to the layer
    /// before. `None`: `t` is where the layer was entered from nothing (state 0 of layer 0).
    #[allow(clippy::type_complexity)]
    fn predecessor(
        &self,
        cur: &[u32],
        prev: Option<(&[u32], Option<u32>, usize)>,
        t: usize,
    ) -> (Option<(Option<RawMove>, usize)>, bool) {
        let target = cur[t];
        if let Some((prev, label, obs)) = prev {
            if let Some(label) = label {
                let info = &self.steps[label as usize];
                let p = info.element;
                let sync = Some(RawMove::Sync { label, obs });
                match (&self.elems[p], info.member) {
                    (Elem::Step { .. }, _) => {
                        if t == self.base[p + 1] {
                            if prev[self.base[p]] == target {
                                return (Some((sync, self.base[p])), true);
                            }
                            if info.repeat && prev[t] == target {
                                return (Some((sync, t)), true);
                            }
                        }
                    }
                    (Elem::Group { full, .. }, Some(i)) => {
                        let (b0, bit) = (self.base[p], 1usize << i);
                        if (b0..=b0 + *full as usize).contains(&t) && (t - b0) & bit != 0 {
                            if prev[t - bit] == target {
                                return (Some((sync, t - bit)), true);
                            }
                            if info.repeat && prev[t] == target {
                                return (Some((sync, t)), true);
                            }
                        }
                    }
                    (Elem::Group { .. }, None) => {
                        unreachable!("a group member always has an index")
                    }
                }
            }
            if prev[t] < INF && prev[t] + 1 == target {
                return (Some((Some(RawMove::Log { obs }), t)), true);
            }
        }
        let q = self.state_elem[t] as usize;
        if t == self.base[q] {
            // The entry of element q (or the final state): from the element before.
            if q == 0 {
                return (None, false);
            }
            match &self.elems[q - 1] {
                Elem::Step { label } => {
                    let s = self.base[q - 1];
                    let w = self.model_cost(*label);
                    if cur[s] < INF && cur[s] + w == target {
                        let mv = if w == 1 {
                            RawMove::Model { label: *label }
                        } else {
                            RawMove::Skip { label: *label }
                        };
                        return (Some((Some(mv), s)), false);
                    }
                }
                Elem::Group { full, .. } => {
                    let s = self.base[q - 1] + *full as usize;
                    if cur[s] == target {
                        return (Some((None, s)), false);
                    }
                }
            }
        } else if let Elem::Group { members, .. } = &self.elems[q] {
            // Inside a group: from a subset with one member less, smallest subset first.
            let mask = t - self.base[q];
            for i in (0..members.len()).rev() {
                let bit = 1usize << i;
                if mask & bit == 0 {
                    continue;
                }
                let (s, label) = (t - bit, members[i]);
                let w = self.model_cost(label);
                if cur[s] < INF && cur[s] + w == target {
                    let mv = if w == 1 {
                        RawMove::Model { label }
                    } else {
                        RawMove::Skip { label }
                    };
                    return (Some((Some(mv), s)), false);
                }
            }
        }
        (None, false)
    }
}

/// Layers per segment of the traceback: about the square root of the trace's length, which
/// balances the checkpoint rows against the rows of one segment.
fn segment_length(n: usize) -> usize {
    ((n as f64).sqrt().ceil() as usize).max(1)
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::pathway_json::pathway_from_json_str;

    fn cost(json: &str, trace: &[&str]) -> u32 {
        let pathway = pathway_from_json_str(json, std::path::Path::new("t.json")).unwrap();
        let model = Model::compile(&pathway).unwrap();
        let labels: Vec<_> = trace.iter().map(|s| model.label(s)).collect();
        let (c, moves) = model.align(&labels);
        let counted = moves
            .iter()
            .filter(|m| matches!(m, RawMove::Log { .. } | RawMove::Model { .. }))
            .count() as u32;
        assert_eq!(c, counted, "the moves add up to the cost");
        let logs: Vec<usize> = moves
            .iter()
            .filter_map(|m| match m {
                RawMove::Log { obs } | RawMove::Sync { obs, .. } => Some(*obs),
                _ => None,
            })
            .collect();
        assert_eq!(
            logs,
            (0..trace.len()).collect::<Vec<_>>(),
            "every observed step once, in order"
        );
        c
    }

    #[test]
    fn sequences_cost_the_edit_distance_without_substitution() {
        let p = r#"{"steps":[{"id":"a"},{"id":"b"},{"id":"c"}]}"#;
        assert_eq!(cost(p, &["a", "b", "c"]), 0);
        assert_eq!(cost(p, &["b", "a", "c"]), 2);
        assert_eq!(cost(p, &["c", "b", "a"]), 4);
        assert_eq!(cost(p, &[]), 3);
        assert_eq!(cost(p, &["x", "y"]), 5);
    }

    #[test]
    fn groups_repeats_and_optionals() {
        let g = r#"{"steps":[{"group":"g","steps":[{"id":"a","repeat":true},{"id":"b"}]}]}"#;
        assert_eq!(cost(g, &["a", "b", "a"]), 0);
        assert_eq!(cost(g, &["a", "b", "b"]), 1);
        let r = r#"{"steps":[{"id":"a","optional":true,"repeat":true},{"id":"b","optional":true,"repeat":true}]}"#;
        assert_eq!(cost(r, &["b", "a"]), 1);
        assert_eq!(cost(r, &[]), 0);
        assert_eq!(cost(r, &["a", "b", "a", "b"]), 1);
    }

    #[test]
    fn long_traces_take_several_segments() {
        let p = r#"{"steps":[{"id":"a"},{"group":"g","steps":[{"id":"b","repeat":true},{"id":"c"}]},{"id":"d"}]}"#;
        let mut trace = vec!["a"];
        trace.extend(std::iter::repeat_n("b", 500));
        trace.extend(["c", "d", "x"]);
        assert_eq!(cost(p, &trace), 1);
    }

    /// A random pathway of steps and groups (optional and repeat steps among them) in the
    /// oracle's JSON, and its step ids.
    fn random_pathway(rng: &mut fastrand::Rng) -> (String, Vec<String>) {
        let mut ids = Vec::new();
        let step = |rng: &mut fastrand::Rng, ids: &mut Vec<String>| {
            let id = format!("s{}", ids.len());
            ids.push(id.clone());
            format!(
                r#"{{"id":"{id}","optional":{},"repeat":{}}}"#,
                rng.u8(..4) == 0,
                rng.u8(..4) == 0
            )
        };
        let mut elements = Vec::new();
        for g in 0..rng.usize(1..6) {
            if rng.bool() {
                let members: Vec<String> =
                    (0..rng.usize(1..6)).map(|_| step(rng, &mut ids)).collect();
                elements.push(format!(
                    r#"{{"group":"g{g}","steps":[{}]}}"#,
                    members.join(",")
                ));
            } else {
                elements.push(step(rng, &mut ids));
            }
        }
        (format!(r#"{{"steps":[{}]}}"#, elements.join(",")), ids)
    }

    #[test]
    fn the_fast_aligner_gives_the_reference_alignment_move_for_move() {
        let mut rng = fastrand::Rng::with_seed(17);
        for case in 0..3000 {
            let (json, ids) = random_pathway(&mut rng);
            let pathway = pathway_from_json_str(&json, std::path::Path::new("t.json")).unwrap();
            let model = Model::compile(&pathway).unwrap();
            let n = rng.usize(0..if case % 10 == 0 { 120 } else { 25 });
            let trace: Vec<Option<u32>> = (0..n)
                .map(|_| {
                    let k = rng.usize(..ids.len() + 1);
                    ids.get(k).and_then(|id| model.label(id))
                })
                .collect();
            assert_eq!(
                model.align(&trace),
                model.reference_align(&trace),
                "case {case}: {json} against {trace:?}"
            );
        }
    }

    #[test]
    fn a_group_at_the_limit_aligns_as_the_reference_does() {
        let members: Vec<String> = (0..MAX_GROUP_MEMBERS)
            .map(|i| {
                format!(
                    r#"{{"id":"m{i}","optional":{},"repeat":{}}}"#,
                    i % 5 == 0,
                    i % 3 == 0
                )
            })
            .collect();
        let json = format!(
            r#"{{"steps":[{{"id":"a"}},{{"group":"g","steps":[{}]}},{{"id":"z"}}]}}"#,
            members.join(",")
        );
        let pathway = pathway_from_json_str(&json, std::path::Path::new("t.json")).unwrap();
        let model = Model::compile(&pathway).unwrap();
        let mut rng = fastrand::Rng::with_seed(4);
        let trace: Vec<Option<u32>> = (0..40)
            .map(|_| model.label(&format!("m{}", rng.usize(..MAX_GROUP_MEMBERS + 2))))
            .collect();
        assert_eq!(model.align(&trace), model.reference_align(&trace));
    }

    #[test]
    fn work_beyond_the_bound_is_refused_before_it_starts() {
        let members: Vec<String> = (0..MAX_GROUP_MEMBERS)
            .map(|i| format!(r#"{{"id":"m{i}"}}"#))
            .collect();
        let groups: Vec<String> = (0..50)
            .map(|g| {
                format!(
                    r#"{{"group":"g{g}","steps":[{}]}}"#,
                    members.join(",").replace("\"m", &format!("\"g{g}m"))
                )
            })
            .collect();
        let json = format!(r#"{{"steps":[{}]}}"#, groups.join(","));
        let pathway = pathway_from_json_str(&json, std::path::Path::new("t.json")).unwrap();
        let model = Model::compile(&pathway).unwrap();
        assert!(model.check_work(1).is_ok());
        let error = model.check_work(2_000).unwrap_err();
        assert_eq!(error.n_observed, 2_000);
        assert!(error.work > MAX_ALIGNMENT_WORK, "{error}");
        assert!(error.to_string().contains("split the trace"), "{error}");
    }
}
