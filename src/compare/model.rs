//! A pathway compiled into a model, and the minimal-cost alignment of an observed sequence
//! against it (domain.md section 5).
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
//! Memory: the distance rows of every `K`-th layer are kept (`K` ~ sqrt(n)), and the back-pointers
//! of one segment of `K` layers at a time are recomputed during the traceback; memory is
//! O(states x sqrt(n)) and time about twice one forward pass.

use std::collections::HashMap;

use crate::model::{Element, Pathway};

/// The largest `AnyOrder` group the comparator aligns: its subsets are model states.
pub const MAX_GROUP_MEMBERS: usize = 16;

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

// Back-pointer kinds (high 4 bits of a u16; the low 12 bits hold a group member's index).
const BP_NONE: u16 = 0;
const BP_LOG: u16 = 1;
const BP_SYNC_STEP: u16 = 2;
const BP_SYNC_REDO: u16 = 3;
const BP_SYNC_NEW: u16 = 4;
const BP_SYNC_MREDO: u16 = 5;
const BP_MODEL_STEP: u16 = 6;
const BP_SKIP_STEP: u16 = 7;
const BP_JOIN: u16 = 8;
const BP_MODEL_MEMBER: u16 = 9;
const BP_SKIP_MEMBER: u16 = 10;

fn bp(kind: u16, i: usize) -> u16 {
    (kind << 12) | (i as u16 & 0x0fff)
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

    /// Moves within one layer (model moves, free skips, joins), in topological order.
    fn closure(&self, d: &mut [u32], mut bps: Option<&mut [u16]>) {
        for (p, elem) in self.elems.iter().enumerate() {
            match elem {
                Elem::Step { label } => {
                    let (s, t) = (self.base[p], self.base[p + 1]);
                    if d[s] >= INF {
                        continue;
                    }
                    let optional = self.steps[*label as usize].optional;
                    let c = d[s] + u32::from(!optional);
                    if c < d[t] {
                        d[t] = c;
                        if let Some(b) = bps.as_deref_mut() {
                            b[t] = bp(
                                if optional {
                                    BP_SKIP_STEP
                                } else {
                                    BP_MODEL_STEP
                                },
                                0,
                            );
                        }
                    }
                }
                Elem::Group { members, full } => {
                    let b0 = self.base[p];
                    for mask in 0..*full {
                        let s = b0 + mask as usize;
                        let ds = d[s];
                        if ds >= INF {
                            continue;
                        }
                        for (i, label) in members.iter().enumerate() {
                            let bit = 1u32 << i;
                            if mask & bit != 0 {
                                continue;
                            }
                            let optional = self.steps[*label as usize].optional;
                            let c = ds + u32::from(!optional);
                            let t = b0 + (mask | bit) as usize;
                            if c < d[t] {
                                d[t] = c;
                                if let Some(b) = bps.as_deref_mut() {
                                    b[t] = bp(
                                        if optional {
                                            BP_SKIP_MEMBER
                                        } else {
                                            BP_MODEL_MEMBER
                                        },
                                        i,
                                    );
                                }
                            }
                        }
                    }
                    let (s, t) = (b0 + *full as usize, self.base[p + 1]);
                    if d[s] < d[t] {
                        d[t] = d[s];
                        if let Some(b) = bps.as_deref_mut() {
                            b[t] = bp(BP_JOIN, 0);
                        }
                    }
                }
            }
        }
    }

    /// The layer after `prev` for one observed step (`label` None: not in the pathway), closed.
    fn advance(
        &self,
        prev: &[u32],
        label: Option<u32>,
        next: &mut [u32],
        mut bps: Option<&mut [u16]>,
    ) {
        next.fill(INF);
        let mut relax = |next: &mut [u32], t: usize, c: u32, code: u16| {
            if c < next[t] {
                next[t] = c;
                if let Some(b) = bps.as_deref_mut() {
                    b[t] = code;
                }
            }
        };
        if let Some(label) = label {
            let info = &self.steps[label as usize];
            let p = info.element;
            match (&self.elems[p], info.member) {
                (Elem::Step { .. }, _) => {
                    let (s, t) = (self.base[p], self.base[p + 1]);
                    relax(next, t, prev[s], bp(BP_SYNC_STEP, 0));
                    if info.repeat {
                        relax(next, t, prev[t], bp(BP_SYNC_REDO, 0));
                    }
                }
                (Elem::Group { full, .. }, Some(i)) => {
                    let b0 = self.base[p];
                    let bit = 1u32 << i;
                    for mask in 0..=*full {
                        let s = b0 + mask as usize;
                        if mask & bit == 0 {
                            relax(
                                next,
                                b0 + (mask | bit) as usize,
                                prev[s],
                                bp(BP_SYNC_NEW, i),
                            );
                        } else if info.repeat {
                            relax(next, s, prev[s], bp(BP_SYNC_MREDO, i));
                        }
                    }
                }
                (Elem::Group { .. }, None) => unreachable!("a group member always has an index"),
            }
        }
        for (s, &ds) in prev.iter().enumerate() {
            if ds < INF {
                relax(next, s, ds + 1, bp(BP_LOG, 0));
            }
        }
        self.closure(next, bps);
    }

    fn initial(&self, d: &mut [u32], bps: Option<&mut [u16]>) {
        d.fill(INF);
        d[0] = 0;
        self.closure(d, bps);
    }

    /// Cost of the cheapest complete run with nothing observed: the mandatory steps.
    pub fn empty_cost(&self) -> u32 {
        self.min_run
    }

    /// The cost of a minimal-cost alignment of `observed`, without its moves: one forward
    /// pass, for callers that score many sequences (the suggestion's search).
    pub(crate) fn cost(&self, observed: &[Option<u32>]) -> u32 {
        let mut cur = vec![INF; self.n_states];
        let mut next = vec![INF; self.n_states];
        self.initial(&mut cur, None);
        for label in observed {
            self.advance(&cur, *label, &mut next, None);
            std::mem::swap(&mut cur, &mut next);
        }
        cur[self.final_state()]
    }

    /// A minimal-cost alignment of `observed` (labels; None = not in the pathway): its cost and
    /// its moves in order.
    pub(crate) fn align(&self, observed: &[Option<u32>]) -> (u32, Vec<RawMove>) {
        let n = observed.len();
        let ns = self.n_states;
        let k = ((n as f64).sqrt().ceil() as usize).max(1);
        // Forward pass: keep every k-th layer.
        let mut checkpoints: Vec<Vec<u32>> = Vec::with_capacity(n / k + 1);
        let mut cur = vec![INF; ns];
        let mut next = vec![INF; ns];
        self.initial(&mut cur, None);
        checkpoints.push(cur.clone());
        for (j, label) in observed.iter().enumerate() {
            self.advance(&cur, *label, &mut next, None);
            std::mem::swap(&mut cur, &mut next);
            if (j + 1) % k == 0 && j + 1 < n {
                checkpoints.push(cur.clone());
            }
        }
        let cost = cur[self.final_state()];

        // Traceback, one segment of layers (lo, hi] at a time, latest first.
        let mut moves_rev = Vec::new();
        let mut state = self.final_state();
        let mut hi = n;
        let mut bps = vec![BP_NONE; k.min(n).max(1) * ns];
        let mut layer0_bps = vec![BP_NONE; ns];
        loop {
            if hi == 0 {
                let mut d = vec![INF; ns];
                self.initial(&mut d, Some(&mut layer0_bps));
                state = self.trace_within(&layer0_bps, state, &mut moves_rev);
                debug_assert_eq!(state, 0);
                break;
            }
            let lo = ((hi - 1) / k) * k;
            let mut prev = checkpoints[lo / k].clone();
            let rows = hi - lo;
            for r in 0..rows {
                let j = lo + r; // observed[j] leads from layer j to layer j + 1
                let row = &mut bps[r * ns..(r + 1) * ns];
                row.fill(BP_NONE);
                self.advance(&prev, observed[j], &mut next, Some(row));
                std::mem::swap(&mut prev, &mut next);
            }
            for layer in (lo + 1..=hi).rev() {
                let row = &bps[(layer - lo - 1) * ns..(layer - lo) * ns];
                state = self.trace_within(row, state, &mut moves_rev);
                state = self.trace_cross(row, state, layer - 1, &mut moves_rev);
            }
            hi = lo;
        }
        moves_rev.reverse();
        (cost, moves_rev)
    }

    /// Follows within-layer back-pointers from `state` to where the layer was entered.
    fn trace_within(&self, row: &[u16], mut state: usize, out: &mut Vec<RawMove>) -> usize {
        loop {
            let code = row[state];
            let (kind, i) = (code >> 12, (code & 0x0fff) as usize);
            let q = self.state_elem[state] as usize;
            match kind {
                BP_MODEL_STEP | BP_SKIP_STEP => {
                    let Elem::Step { label } = self.elems[q - 1] else {
                        unreachable!("a step move comes from a step element")
                    };
                    out.push(if kind == BP_MODEL_STEP {
                        RawMove::Model { label }
                    } else {
                        RawMove::Skip { label }
                    });
                    state = self.base[q - 1];
                }
                BP_JOIN => {
                    let Elem::Group { full, .. } = self.elems[q - 1] else {
                        unreachable!("a join comes from a group")
                    };
                    state = self.base[q - 1] + full as usize;
                }
                BP_MODEL_MEMBER | BP_SKIP_MEMBER => {
                    let Elem::Group { ref members, .. } = self.elems[q] else {
                        unreachable!("a member move stays in its group")
                    };
                    let label = members[i];
                    out.push(if kind == BP_MODEL_MEMBER {
                        RawMove::Model { label }
                    } else {
                        RawMove::Skip { label }
                    });
                    state -= 1 << i;
                }
                _ => return state,
            }
        }
    }

    /// Follows the cross-layer back-pointer of `state` (observed index `obs`) to the layer before.
    fn trace_cross(&self, row: &[u16], state: usize, obs: usize, out: &mut Vec<RawMove>) -> usize {
        let code = row[state];
        let (kind, i) = (code >> 12, (code & 0x0fff) as usize);
        let q = self.state_elem[state] as usize;
        match kind {
            BP_LOG => {
                out.push(RawMove::Log { obs });
                state
            }
            BP_SYNC_STEP | BP_SYNC_REDO => {
                let Elem::Step { label } = self.elems[q - 1] else {
                    unreachable!("a step sync comes from a step element")
                };
                out.push(RawMove::Sync { label, obs });
                if kind == BP_SYNC_STEP {
                    self.base[q - 1]
                } else {
                    state
                }
            }
            BP_SYNC_NEW | BP_SYNC_MREDO => {
                let Elem::Group { ref members, .. } = self.elems[q] else {
                    unreachable!("a member sync stays in its group")
                };
                out.push(RawMove::Sync {
                    label: members[i],
                    obs,
                });
                if kind == BP_SYNC_NEW {
                    state - (1 << i)
                } else {
                    state
                }
            }
            _ => unreachable!(
                "every state of a layer after the first is entered from the layer before"
            ),
        }
    }
}

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
}
