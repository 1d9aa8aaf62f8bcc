//! The sessions' distinct step sequences, and the mean fitness of a pathway over them: each
//! distinct sequence is aligned once per pathway (sessions repeat sequences; a candidate edit
//! is scored over every sequence, so this is where the search spends its time).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::compare::{CompileError, Model, fitness};
use crate::model::Pathway;

use super::Trace;

/// One distinct step sequence and the traces that showed it.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Step ids, interned (index into [`Variants::names`]).
    pub steps: Vec<u32>,
    /// Indices of the traces with this sequence, in input order.
    pub traces: Vec<usize>,
    /// Per interned id: occurrences in the sequence.
    pub counts: HashMap<u32, u32>,
    /// Per interned id: the index of its first occurrence.
    pub first: HashMap<u32, usize>,
}

/// The distinct sequences of a set of traces.
#[derive(Debug, Clone)]
pub struct Variants {
    pub names: Vec<String>,
    index: HashMap<String, u32>,
    pub variants: Vec<Variant>,
    pub n_traces: usize,
}

/// Mean fitness and the share of fully fitting sessions of a pathway over the sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    pub mean_fitness: f64,
    /// Sessions with an alignment cost of 0.
    pub fitting: usize,
    pub fitting_share: f64,
    pub sessions: usize,
}

impl Variants {
    pub fn new(traces: &[Trace]) -> Variants {
        let mut names: Vec<String> = Vec::new();
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut by_sequence: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut variants: Vec<Variant> = Vec::new();
        for (t, trace) in traces.iter().enumerate() {
            let steps: Vec<u32> = trace
                .steps
                .iter()
                .map(|s| {
                    *index.entry(s.step.clone()).or_insert_with(|| {
                        names.push(s.step.clone());
                        (names.len() - 1) as u32
                    })
                })
                .collect();
            let v = *by_sequence.entry(steps.clone()).or_insert_with(|| {
                let mut counts = HashMap::new();
                let mut first = HashMap::new();
                for (i, id) in steps.iter().enumerate() {
                    *counts.entry(*id).or_insert(0) += 1;
                    first.entry(*id).or_insert(i);
                }
                variants.push(Variant {
                    steps,
                    traces: Vec::new(),
                    counts,
                    first,
                });
                variants.len() - 1
            });
            variants[v].traces.push(t);
        }
        Variants {
            names,
            index,
            variants,
            n_traces: traces.len(),
        }
    }

    /// The interned id of a step id, if any trace has it.
    pub fn id(&self, step: &str) -> Option<u32> {
        self.index.get(step).copied()
    }

    /// Observed step ids that are not in `pathway`, with the number of traces showing each,
    /// most shown first (ties by id).
    pub fn unplanned(&self, pathway: &Pathway) -> Vec<(String, usize)> {
        let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
        for v in &self.variants {
            for id in v.counts.keys() {
                let name = self.names[*id as usize].as_str();
                if pathway.step(name).is_none() {
                    *shown.entry(name).or_insert(0) += v.traces.len();
                }
            }
        }
        let mut out: Vec<(String, usize)> =
            shown.into_iter().map(|(k, n)| (k.to_string(), n)).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Traces (counted with multiplicity) whose sequence satisfies `shows`.
    pub fn traces_where(&self, shows: impl Fn(&Variant) -> bool) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .variants
            .iter()
            .filter(|v| shows(v))
            .flat_map(|v| v.traces.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }

    /// The alignment cost of every variant against `pathway`, and the shortest run's length.
    pub fn costs(&self, pathway: &Pathway) -> Result<(Vec<u32>, u32), CompileError> {
        let model = Model::compile(pathway)?;
        let labels: Vec<Option<u32>> = self.names.iter().map(|n| model.label(n)).collect();
        // Sequences that differ only in steps the pathway does not have align alike.
        let mut distinct: HashMap<Vec<Option<u32>>, usize> = HashMap::new();
        let mut of_variant = Vec::with_capacity(self.variants.len());
        let mut sequences: Vec<Vec<Option<u32>>> = Vec::new();
        for v in &self.variants {
            let seq: Vec<Option<u32>> = v.steps.iter().map(|id| labels[*id as usize]).collect();
            let k = *distinct.entry(seq.clone()).or_insert_with(|| {
                sequences.push(seq);
                sequences.len() - 1
            });
            of_variant.push(k);
        }
        let costs = align_all(&model, &sequences);
        Ok((
            of_variant.into_iter().map(|k| costs[k]).collect(),
            model.empty_cost(),
        ))
    }

    /// Mean fitness and fully fitting share of `pathway` over the traces.
    pub fn quality(&self, pathway: &Pathway) -> Result<Quality, CompileError> {
        let (costs, min_run) = self.costs(pathway)?;
        let mut sum = 0.0;
        let mut fitting = 0;
        for (v, cost) in self.variants.iter().zip(&costs) {
            let n = v.traces.len();
            sum += n as f64 * fitness(*cost, v.steps.len() as u32 + min_run);
            if *cost == 0 {
                fitting += n;
            }
        }
        let sessions = self.n_traces;
        Ok(Quality {
            mean_fitness: if sessions == 0 {
                1.0
            } else {
                sum / sessions as f64
            },
            fitting,
            fitting_share: if sessions == 0 {
                1.0
            } else {
                fitting as f64 / sessions as f64
            },
            sessions,
        })
    }
}

/// Aligns every sequence (split over the machine's cores when there are many).
fn align_all(model: &Model, sequences: &[Vec<Option<u32>>]) -> Vec<u32> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(sequences.len() / 64)
        .max(1);
    if threads == 1 {
        return sequences.iter().map(|s| model.cost(s)).collect();
    }
    let chunk = sequences.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = sequences
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|s| model.cost(s)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("an alignment thread never panics"))
            .collect()
    })
}
