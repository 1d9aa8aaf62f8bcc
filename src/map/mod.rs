//! The shadow map: how the work really flows, beside the pathway the EHR was configured for
//! (docs/map.md). Pure: no terminal, no clock.
//!
//! - this module: the directly-follows graph of the sessions' observed step sequences (the
//!   sequences the comparator reads), with the overlay against the pathway, performance figures
//!   on nodes and edges, and the variants with their fitness ([`MapBuilder`], [`ShadowMap`]);
//! - [`overlay`]: which edges the pathway allows, read off the comparator's compiled model;
//! - [`load`]: sessions from files, filtered (`--where`), streamed into one map per pathway;
//! - [`layout`]: a small layered (Sugiyama-style) layout, pathway order top to bottom;
//! - [`draw`]: SVG and HTML (maud), DOT and text.

pub mod draw;
pub mod layout;
pub mod load;
pub mod overlay;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::compare::{Model, ObservedStep, compare_with_model};
use crate::model::{Pathway, Session, Timeline, derive_timeline};
use crate::report::stats::{quantile_sorted, round};

pub use overlay::Follows;

/// The node before every session's first step.
pub const START: &str = "__start__";
/// The node after every session's last step.
pub const END: &str = "__end__";

/// One observed step of a session, as the map reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceStep {
    pub step: String,
    /// An unplanned step's label as the auditor typed it.
    pub label: Option<String>,
    pub start_ms: u64,
    /// The step's end: its step-end event, else the next step's start (or the session's end).
    pub end_ms: u64,
    pub active_secs: f64,
}

/// A session reduced to what the map needs: its observed steps in start order (undone events
/// left out, unplanned steps kept), as the comparator reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub id: String,
    pub pathway_version: u32,
    pub steps: Vec<TraceStep>,
    pub observed_min: f64,
}

impl Trace {
    pub fn from_session(session: &Session) -> Trace {
        let timeline = derive_timeline(&session.events);
        Trace::from_timeline(
            &session.header.id,
            session.header.pathway_version,
            &timeline,
        )
    }

    pub fn from_timeline(id: &str, pathway_version: u32, timeline: &Timeline) -> Trace {
        let steps = timeline
            .steps
            .iter()
            .map(|s| TraceStep {
                step: s.step.clone(),
                label: s.unplanned_label.clone(),
                start_ms: s.start_ms,
                // The timeline ends a step at its step-end event, else at the next start.
                end_ms: s.end_ms,
                active_secs: s.active_ms as f64 / 1000.0,
            })
            .collect();
        Trace {
            id: id.to_string(),
            pathway_version,
            steps,
            observed_min: timeline.observed_ms() as f64 / 60_000.0,
        }
    }

    /// A trace of bare step ids (no times): for XES-like sequences and tests.
    pub fn bare(id: &str, steps: &[&str]) -> Trace {
        Trace {
            id: id.to_string(),
            pathway_version: 0,
            steps: steps
                .iter()
                .map(|s| TraceStep {
                    step: (*s).to_string(),
                    label: None,
                    start_ms: 0,
                    end_ms: 0,
                    active_secs: 0.0,
                })
                .collect(),
            observed_min: 0.0,
        }
    }
}

/// A node of the map: a step (observed, or planned and never done), or one of the ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub id: String,
    pub label: String,
    /// A step of the pathway (the ends count as planned).
    pub planned: bool,
    /// Seen in at least one session.
    pub observed: bool,
    /// Occurrences over all sessions (the ends: sessions).
    pub count: u64,
    /// Sessions with at least one occurrence.
    pub sessions: u64,
    pub median_active_secs: Option<f64>,
    pub p90_active_secs: Option<f64>,
    pub expected_secs: Option<u32>,
}

impl Node {
    pub fn is_end(&self) -> bool {
        self.id == START || self.id == END
    }

    /// Median active time over expected time, when both are known and something is expected.
    pub fn time_ratio(&self) -> Option<f64> {
        match (self.median_active_secs, self.expected_secs) {
            (Some(median), Some(expected)) if expected > 0 => Some(median / f64::from(expected)),
            _ => None,
        }
    }
}

/// A directly-follows edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub count: u64,
    pub sessions: u64,
    /// `sessions` over all sessions of the map.
    pub share: f64,
    /// Some complete run of the pathway has `to` right after `from`.
    pub conforming: bool,
    /// Median time from the end of `from` to the start of `to`; None at the map's ends or for
    /// an edge no session took.
    pub median_gap_secs: Option<f64>,
    /// The sessions that took a deviating edge, with the moment (ms from the session's start)
    /// of the step it led to; empty for a conforming edge.
    #[serde(skip)]
    pub taken_by: Vec<(String, u64)>,
}

/// A distinct whole sequence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub steps: Vec<String>,
    pub count: u64,
    pub share: f64,
    /// The sequence's alignment fitness against the pathway.
    pub fitness: f64,
    pub median_observed_min: f64,
    /// The comparator's deviations of the sequence: `(kind, step)`.
    #[serde(skip)]
    pub deviations: Vec<(String, String)>,
}

impl Variant {
    /// A complete run of the pathway: no deviation at all.
    pub fn fits(&self) -> bool {
        self.deviations.is_empty()
    }
}

/// The map of one pathway's sessions; serializes to the JSON of docs/map.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShadowMap {
    pub pathway: String,
    pub pathway_versions: Vec<u32>,
    pub sessions: u64,
    /// The `--where` clauses in force: key to accepted values.
    pub filter: BTreeMap<String, Vec<String>>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub variants: Vec<Variant>,
    #[serde(skip)]
    pub pathway_name: String,
    /// Layer rank of each planned step: its element's place in the pathway (1-based; the start
    /// is 0, the end one past the last element).
    #[serde(skip)]
    pub ranks: HashMap<String, usize>,
}

impl ShadowMap {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn edge(&self, from: &str, to: &str) -> Option<&Edge> {
        self.edges.iter().find(|e| e.from == from && e.to == to)
    }

    /// Masks what an auditor typed (unplanned steps' ids and labels) and the session ids, the
    /// same way everywhere on the map, so edges and variants still meet their nodes.
    pub fn redact(&mut self, mask: &dyn Fn(&str) -> String) {
        let unplanned: std::collections::HashSet<String> = self
            .nodes
            .iter()
            .filter(|n| !n.planned)
            .map(|n| n.id.clone())
            .collect();
        let id = |s: &mut String| {
            if unplanned.contains(s.as_str()) {
                *s = mask(s);
            }
        };
        for node in &mut self.nodes {
            if !node.planned {
                node.label = mask(&node.label);
            }
            id(&mut node.id);
        }
        for edge in &mut self.edges {
            id(&mut edge.from);
            id(&mut edge.to);
            for (session, _) in &mut edge.taken_by {
                *session = mask(session);
            }
        }
        for variant in &mut self.variants {
            variant.steps.iter_mut().for_each(id);
            for (_, step) in &mut variant.deviations {
                id(step);
            }
        }
    }

    /// The JSON form (docs/map.md).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a map always serializes")
    }
}

#[derive(Default)]
struct NodeAcc {
    count: u64,
    sessions: u64,
    active: Vec<f64>,
    label: Option<String>,
}

#[derive(Default)]
struct EdgeAcc {
    count: u64,
    sessions: u64,
    gaps: Vec<f64>,
    taken_by: Vec<(String, u64)>,
}

#[derive(Default)]
struct VariantAcc {
    count: u64,
    observed_min: Vec<f64>,
}

/// Folds sessions, one at a time, into the map of one pathway.
pub struct MapBuilder {
    pathway: Pathway,
    model: Option<Model>,
    follows: Follows,
    names: Vec<String>,
    index: HashMap<String, u32>,
    nodes: Vec<NodeAcc>,
    edges: HashMap<(u32, u32), EdgeAcc>,
    variants: HashMap<Vec<u32>, VariantAcc>,
    sessions: u64,
    versions: BTreeSet<u32>,
    filter: BTreeMap<String, Vec<String>>,
}

impl MapBuilder {
    /// A builder for `pathway`. A pathway the comparator cannot compile (a group too large)
    /// still maps: every edge between steps is then deviating and every variant's fitness is
    /// the comparator's no-sync one.
    pub fn new(pathway: Pathway) -> MapBuilder {
        let model = Model::compile(&pathway).ok();
        let follows = model.as_ref().map(Follows::of_model).unwrap_or_default();
        let mut builder = MapBuilder {
            pathway,
            model,
            follows,
            names: Vec::new(),
            index: HashMap::new(),
            nodes: Vec::new(),
            edges: HashMap::new(),
            variants: HashMap::new(),
            sessions: 0,
            versions: BTreeSet::new(),
            filter: BTreeMap::new(),
        };
        builder.intern(START);
        builder.intern(END);
        let planned: Vec<String> = builder.pathway.all_steps().map(|s| s.id.clone()).collect();
        for id in planned {
            builder.intern(&id);
        }
        builder
    }

    /// Records the `--where` clauses, for the JSON's `filter`.
    pub fn with_filter(mut self, filter: BTreeMap<String, Vec<String>>) -> MapBuilder {
        self.filter = filter;
        self
    }

    pub fn pathway(&self) -> &Pathway {
        &self.pathway
    }

    pub fn sessions(&self) -> u64 {
        self.sessions
    }

    fn intern(&mut self, id: &str) -> u32 {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(id.to_string());
        self.index.insert(id.to_string(), i);
        self.nodes.push(NodeAcc::default());
        i
    }

    /// Adds one session's trace.
    pub fn add(&mut self, trace: &Trace) {
        self.sessions += 1;
        self.versions.insert(trace.pathway_version);
        let sequence: Vec<u32> = trace.steps.iter().map(|s| self.intern(&s.step)).collect();
        // Nodes: occurrences, sessions, active times.
        let mut seen_nodes = BTreeSet::new();
        for (step, &i) in trace.steps.iter().zip(&sequence) {
            let node = &mut self.nodes[i as usize];
            node.count += 1;
            node.active.push(step.active_secs);
            if node.label.is_none() {
                node.label = step.label.clone();
            }
            if seen_nodes.insert(i) {
                node.sessions += 1;
            }
        }
        for end in [0u32, 1] {
            self.nodes[end as usize].count += 1;
            self.nodes[end as usize].sessions += 1;
        }
        // Edges, with the ends: (start, first), (last, end), or (start, end) with no step.
        let mut path = Vec::with_capacity(sequence.len() + 2);
        path.push(0u32);
        path.extend_from_slice(&sequence);
        path.push(1u32);
        let mut seen_edges = BTreeSet::new();
        for k in 0..path.len() - 1 {
            let (a, b) = (path[k], path[k + 1]);
            let conforming = self
                .follows
                .allows(&self.names[a as usize], &self.names[b as usize]);
            let edge = self.edges.entry((a, b)).or_default();
            edge.count += 1;
            if seen_edges.insert((a, b)) {
                edge.sessions += 1;
            }
            // Between two steps: from the end of the one to the start of the next.
            if k >= 1 && k < sequence.len() {
                let before = &trace.steps[k - 1];
                let after = &trace.steps[k];
                let gap_ms = after.start_ms.saturating_sub(before.end_ms);
                edge.gaps.push(gap_ms as f64 / 1000.0);
            }
            if !conforming && edge.taken_by.last().is_none_or(|(id, _)| id != &trace.id) {
                let at_ms = trace
                    .steps
                    .get(k)
                    .or(trace.steps.last())
                    .map_or(0, |s| s.start_ms);
                edge.taken_by.push((trace.id.clone(), at_ms));
            }
        }
        let variant = self.variants.entry(sequence).or_default();
        variant.count += 1;
        variant.observed_min.push(trace.observed_min);
    }

    /// The map: nodes (the start, the pathway's steps in order, unplanned steps by count, the
    /// end), edges (taken ones, then configured ones no session took) and variants.
    #[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
    pub fn finish(self) -> ShadowMap {
        let n = self.sessions.max(1) as f64;
        let share = |sessions: u64| round(sessions as f64 / n, 6);
        let pathway = &self.pathway;
        let mut ranks = HashMap::new();
        ranks.insert(START.to_string(), 0);
        for (p, element) in pathway.steps.iter().enumerate() {
            match element {
                crate::model::Element::Step(step) => {
                    ranks.insert(step.id.clone(), p + 1);
                }
                crate::model::Element::AnyOrder(group) => {
                    for step in &group.steps {
                        ranks.insert(step.id.clone(), p + 1);
                    }
                }
            }
        }
        ranks.insert(END.to_string(), pathway.steps.len() + 1);

        // Node order: start, planned in pathway order, unplanned by count then id, end.
        let planned_count = 2 + pathway.all_steps().count();
        let mut order: Vec<usize> = (0..planned_count.min(self.names.len())).collect();
        let mut unplanned: Vec<usize> = (planned_count..self.names.len()).collect();
        unplanned.sort_by(|&a, &b| {
            self.nodes[b]
                .count
                .cmp(&self.nodes[a].count)
                .then_with(|| self.names[a].cmp(&self.names[b]))
        });
        order.remove(1);
        order.extend(unplanned);
        order.push(1);

        let mut nodes = Vec::with_capacity(order.len());
        for &i in &order {
            let id = &self.names[i];
            let acc = &self.nodes[i];
            let planned_step = pathway.step(id);
            let is_end = i < 2;
            let mut active = acc.active.clone();
            active.sort_by(f64::total_cmp);
            let (median, p90) = if active.is_empty() || is_end {
                (None, None)
            } else {
                (
                    Some(round(quantile_sorted(&active, 0.5), 3)),
                    Some(round(quantile_sorted(&active, 0.9), 3)),
                )
            };
            let label = match (i, planned_step) {
                (0, _) => "Start".to_string(),
                (1, _) => "End".to_string(),
                (_, Some(step)) => step.label.clone(),
                (_, None) => acc.label.clone().unwrap_or_else(|| id.clone()),
            };
            nodes.push(Node {
                id: id.clone(),
                label,
                planned: is_end || planned_step.is_some(),
                observed: acc.count > 0,
                count: acc.count,
                sessions: acc.sessions,
                median_active_secs: median,
                p90_active_secs: p90,
                expected_secs: planned_step.map(|s| s.expected_secs),
            });
        }
        let position: HashMap<u32, usize> = order
            .iter()
            .enumerate()
            .map(|(pos, &i)| (i as u32, pos))
            .collect();

        let mut keyed: Vec<((usize, usize), Edge)> = Vec::new();
        for (&(a, b), acc) in &self.edges {
            let mut gaps = acc.gaps.clone();
            gaps.sort_by(f64::total_cmp);
            let from = self.names[a as usize].clone();
            let to = self.names[b as usize].clone();
            let conforming = self.follows.allows(&from, &to);
            keyed.push((
                (position[&a], position[&b]),
                Edge {
                    from,
                    to,
                    count: acc.count,
                    sessions: acc.sessions,
                    share: share(acc.sessions),
                    conforming,
                    median_gap_secs: (!gaps.is_empty())
                        .then(|| round(quantile_sorted(&gaps, 0.5), 3)),
                    taken_by: acc.taken_by.clone(),
                },
            ));
        }
        // Configured edges no session took.
        for (from, to) in self.follows.pairs() {
            let (Some(&a), Some(&b)) = (self.index.get(from), self.index.get(to)) else {
                continue;
            };
            if self.edges.contains_key(&(a, b)) {
                continue;
            }
            keyed.push((
                (position[&a], position[&b]),
                Edge {
                    from: from.to_string(),
                    to: to.to_string(),
                    count: 0,
                    sessions: 0,
                    share: 0.0,
                    conforming: true,
                    median_gap_secs: None,
                    taken_by: Vec::new(),
                },
            ));
        }
        keyed.sort_by_key(|(key, _)| *key);
        let edges = keyed.into_iter().map(|(_, e)| e).collect();

        let mut variants: Vec<Variant> = self
            .variants
            .iter()
            .map(|(sequence, acc)| {
                let steps: Vec<String> = sequence
                    .iter()
                    .map(|&i| self.names[i as usize].clone())
                    .collect();
                let observed: Vec<ObservedStep> =
                    steps.iter().map(|s| ObservedStep::bare(s)).collect();
                let comparison = match &self.model {
                    Some(model) => compare_with_model("variant", &observed, pathway, model),
                    None => crate::compare::compare_observed("variant", &observed, pathway),
                };
                let mut minutes = acc.observed_min.clone();
                minutes.sort_by(f64::total_cmp);
                Variant {
                    steps,
                    count: acc.count,
                    share: share(acc.count),
                    fitness: round(comparison.fitness, 6),
                    median_observed_min: round(quantile_sorted(&minutes, 0.5), 3),
                    deviations: comparison
                        .deviations
                        .iter()
                        .map(|d| (d.kind.name().to_string(), d.step.clone()))
                        .collect(),
                }
            })
            .collect();
        variants.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.steps.cmp(&b.steps)));

        ShadowMap {
            pathway: pathway.id.clone(),
            pathway_versions: self.versions.into_iter().collect(),
            sessions: self.sessions,
            filter: self.filter,
            nodes,
            edges,
            variants,
            pathway_name: pathway.name.clone(),
            ranks,
        }
    }
}

/// The map of `traces` against `pathway`, in one call.
pub fn build_map(pathway: &Pathway, traces: &[Trace]) -> ShadowMap {
    let mut builder = MapBuilder::new(pathway.clone());
    for trace in traces {
        builder.add(trace);
    }
    builder.finish()
}

#[cfg(test)]
mod tests;
