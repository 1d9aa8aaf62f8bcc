//! The comparator's first aligner, kept as the reference the fast one is tested against: the
//! same dynamic programme with a back-pointer per state and layer, relaxed move by move in the
//! fixed tie-break order. Simple, slow on large groups, and obviously in that order.

use super::*;

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

    /// A minimal-cost alignment of `observed` (labels; None = not in the pathway): its cost and
    /// its moves in order.
    pub(crate) fn reference_align(&self, observed: &[Option<u32>]) -> (u32, Vec<RawMove>) {
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
