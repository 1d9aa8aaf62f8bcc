//! The pathway the work suggests (docs/suggest.md): from the observed sessions and the
//! configured pathway, a revised pathway in the same language, each edit backed by evidence
//! and kept only when it raises the sessions' mean fitness by a useful margin.
//!
//! Pure and deterministic: the same sessions and pathway give the same suggestion on every
//! run and machine (candidates are tried in a fixed order, ties go to the earlier one).
//!
//! - [`fitness`]: the sessions' distinct step sequences, each aligned once per pathway;
//! - [`edits`]: the candidate edits, their evidence and how each is applied;
//! - [`diff`]: what changed between two pathway versions, in words.

pub mod diff;
pub mod edits;
pub mod fitness;
pub mod html;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::compare::CompileError;
use crate::model::{Element, Pathway, Session, Timeline};
use crate::report::stats::quantile;

pub use edits::{Edit, Evidence};
pub use fitness::{Quality, Variants};

/// One observed step of a trace: its id and, for a session, what it took.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceStep {
    pub step: String,
    /// The label an auditor typed for an unplanned step.
    pub label: Option<String>,
    pub active_secs: Option<f64>,
    pub clicks: Option<u32>,
}

/// A session (or an XES trace) as the suggestion reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    pub case_id: String,
    pub site: Option<String>,
    pub role: Option<String>,
    /// The session's start date (`YYYY-MM-DD`), when known.
    pub date: Option<String>,
    pub steps: Vec<TraceStep>,
}

impl Trace {
    /// A trace of bare step ids (an XES trace, a test).
    pub fn bare(case_id: &str, steps: &[&str]) -> Trace {
        Trace {
            case_id: case_id.to_string(),
            site: None,
            role: None,
            date: None,
            steps: steps
                .iter()
                .map(|s| TraceStep {
                    step: s.to_string(),
                    label: None,
                    active_secs: None,
                    clicks: None,
                })
                .collect(),
        }
    }

    /// A session as the suggestion reads it: its id, site, role, start date and observed steps.
    pub fn from_session(session: &Session) -> Trace {
        let header = &session.header;
        Trace::from_timeline(
            &header.id,
            &header.site,
            &header.role,
            &header.started_at.date_naive().to_string(),
            &session.timeline(),
        )
    }

    /// A session's observed steps (step starts in order, undone ones left out) with their
    /// active time and clicks.
    pub fn from_timeline(
        case_id: &str,
        site: &str,
        role: &str,
        date: &str,
        timeline: &Timeline,
    ) -> Trace {
        Trace {
            case_id: case_id.to_string(),
            site: Some(site.to_string()),
            role: Some(role.to_string()),
            date: Some(date.to_string()),
            steps: timeline
                .steps
                .iter()
                .map(|s| TraceStep {
                    step: s.step.clone(),
                    label: s.unplanned_label.clone(),
                    active_secs: Some(s.active_ms as f64 / 1000.0),
                    clicks: Some(s.counts.clicks),
                })
                .collect(),
        }
    }
}

/// How hard the search looks and what it keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// An edit is tried only when at least this share of the sessions shows its behaviour.
    pub min_share: f64,
    /// An edit is tried only when at least this many sessions show it: one session is an
    /// anecdote, whatever share of a small set it is.
    pub min_sessions: usize,
    /// An edit is kept only when it raises the mean fitness by at least this much.
    pub min_gain: f64,
    /// Take the observed median time and clicks as each step's expected ones.
    pub retime: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_share: 0.2,
            min_sessions: 2,
            min_gain: 0.002,
            retime: false,
        }
    }
}

/// One kept edit, with its evidence and what it gained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub edit: Edit,
    /// One sentence saying what changed and why.
    pub text: String,
    pub evidence: Evidence,
    pub fitness_before: f64,
    pub fitness_after: f64,
    pub gain: f64,
}

/// A step's expected time and clicks next to what the sessions show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepTiming {
    pub step: String,
    pub expected_secs: u32,
    pub expected_clicks: u32,
    /// Occurrences observed (with a time).
    pub observed: usize,
    pub median_secs: Option<f64>,
    pub median_clicks: Option<f64>,
}

/// The revised pathway and how it came about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub pathway_id: String,
    pub from_version: u32,
    /// The revised pathway (same id, version + 1).
    #[serde(skip)]
    pub pathway: Pathway,
    pub sessions: usize,
    pub sites: Vec<String>,
    pub roles: Vec<String>,
    /// The first and last session dates, when known.
    pub dates: Option<(String, String)>,
    pub changes: Vec<Change>,
    pub before: Quality,
    pub after: Quality,
    pub steps: Vec<StepTiming>,
}

impl Suggestion {
    /// Masks what sessions wrote (sites, roles, session ids, labels typed for unplanned steps,
    /// and the description that names the sites) with `mask`, as `--redact` asks.
    pub fn redact(&mut self, mask: &dyn Fn(&str) -> String) {
        let all = |items: &mut Vec<String>| items.iter_mut().for_each(|x| *x = mask(x));
        all(&mut self.sites);
        all(&mut self.roles);
        self.pathway.description = mask(&self.pathway.description);
        // An unplanned step's id is what the auditor typed too: masked wherever it appears
        // (the revised file, every change that names it, the step times), so that the
        // references between them still agree.
        // Each typed id with its masked id and masked label; ordered, so that masking a group
        // id that holds two typed ids is the same every run.
        let typed: BTreeMap<String, (String, String)> = self
            .changes
            .iter()
            .filter_map(|change| match &change.edit {
                Edit::AddStep { step, label, .. } => {
                    Some((step.clone(), (mask(step), mask(label))))
                }
                _ => None,
            })
            .collect();
        let id = |value: &mut String| {
            if let Some((masked, _)) = typed.get(value.as_str()) {
                value.clone_from(masked);
            }
        };
        // A group suggest named after its members (`a-or-b`) may hold a typed id.
        let group_id = |value: &mut String| {
            for (raw, (masked, _)) in &typed {
                if value.contains(raw.as_str()) {
                    *value = value.replace(raw.as_str(), masked);
                }
            }
        };
        for element in &mut self.pathway.steps {
            let steps = match element {
                Element::Step(step) => std::slice::from_mut(step),
                Element::AnyOrder(group) => {
                    group_id(&mut group.id);
                    group.steps.as_mut_slice()
                }
            };
            for step in steps {
                if let Some((_, label)) = typed.get(&step.id) {
                    step.label.clone_from(label);
                }
                id(&mut step.id);
            }
        }
        for timing in &mut self.steps {
            id(&mut timing.step);
        }
        for change in &mut self.changes {
            change.text = mask(&change.text);
            all(&mut change.evidence.examples);
            all(&mut change.evidence.sites);
            all(&mut change.evidence.roles);
            match &mut change.edit {
                Edit::MakeOptional { step }
                | Edit::MakeRepeatable { step }
                | Edit::Drop { step } => {
                    id(step);
                }
                Edit::Move { step, after } => {
                    group_id(step);
                    after.iter_mut().for_each(&group_id);
                }
                Edit::AnyOrder {
                    first,
                    second,
                    group,
                } => {
                    group_id(first);
                    group_id(second);
                    group_id(group);
                }
                Edit::AddStep {
                    step, label, after, ..
                } => {
                    id(step);
                    *label = mask(label);
                    after.iter_mut().for_each(&group_id);
                }
            }
        }
    }
}

/// Suggests a revised `pathway` from `traces`; `Err` when the comparator cannot align
/// against the configured pathway (an any-order group too large).
pub fn suggest(
    pathway: &Pathway,
    traces: &[Trace],
    options: &Options,
) -> Result<Suggestion, CompileError> {
    let variants = Variants::new(traces);
    let before = variants.quality(pathway)?;
    let mut current = pathway.clone();
    let mut quality = before.clone();
    let mut changes = Vec::new();
    // Every kept edit raises the mean fitness by at least min_gain (or, for a drop, removes
    // a step nobody did), so the search ends; the cap is a guard against a bug, not a limit
    // the data reaches.
    let max_rounds = 4 * pathway.all_steps().count() + 4 * variants.names.len() + 8;
    for _ in 0..max_rounds {
        let mut best: Option<(Edit, Evidence, Pathway, Quality)> = None;
        for (edit, evidence) in edits::candidates(&current, &variants, traces, options) {
            let Some(candidate) = edit.apply(&current) else {
                continue;
            };
            let Ok(q) = variants.quality(&candidate) else {
                continue;
            };
            let gain = q.mean_fitness - quality.mean_fitness;
            // A drop of a step nobody did never lowers fitness and makes the pathway say less
            // it cannot back; every other edit must earn its place.
            let worth = if matches!(edit, Edit::Drop { .. }) {
                gain >= -1e-12
            } else {
                gain >= options.min_gain
            };
            if !worth {
                continue;
            }
            let better = match &best {
                None => true,
                Some((_, _, _, b)) => q.mean_fitness > b.mean_fitness + 1e-12,
            };
            if better {
                best = Some((edit, evidence, candidate, q));
            }
        }
        let Some((edit, evidence, candidate, q)) = best else {
            break;
        };
        changes.push(Change {
            text: edit.describe(&current, &evidence, traces.len()),
            edit,
            evidence,
            fitness_before: quality.mean_fitness,
            fitness_after: q.mean_fitness,
            gain: q.mean_fitness - quality.mean_fitness,
        });
        current = candidate;
        quality = q;
    }

    let steps = step_timings(&current, traces);
    if options.retime {
        retime(&mut current, &steps);
    }
    let sites = distinct(traces.iter().filter_map(|t| t.site.clone()));
    let roles = distinct(traces.iter().filter_map(|t| t.role.clone()));
    let dates: BTreeSet<&String> = traces.iter().filter_map(|t| t.date.as_ref()).collect();
    let dates = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) => Some(((*a).clone(), (*b).clone())),
        _ => None,
    };
    current.version = pathway.version + 1;
    current.description = describe_origin(pathway, traces.len(), &sites, dates.as_ref());
    Ok(Suggestion {
        pathway_id: pathway.id.clone(),
        from_version: pathway.version,
        pathway: current,
        sessions: traces.len(),
        sites,
        roles,
        dates,
        changes,
        before,
        after: quality,
        steps,
    })
}

fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    items
        .filter(|s| !s.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn describe_origin(
    pathway: &Pathway,
    sessions: usize,
    sites: &[String],
    dates: Option<&(String, String)>,
) -> String {
    let mut text = format!(
        "Suggested from {sessions} session{} ",
        if sessions == 1 { "" } else { "s" }
    );
    if sites.is_empty() {
        text.push_str("(sites not recorded)");
    } else {
        _ = write!(
            text,
            "at {} {}",
            if sites.len() == 1 { "site" } else { "sites" },
            sites.join(", ")
        );
    }
    match dates {
        Some((a, b)) if a == b => _ = write!(text, " on {a}"),
        Some((a, b)) => _ = write!(text, " from {a} to {b}"),
        None => {}
    }
    _ = write!(
        text,
        ", revising version {} of `{}`.",
        pathway.version, pathway.id
    );
    if !pathway.description.is_empty() {
        text.push(' ');
        text.push_str(&pathway.description);
    }
    text
}

/// Median active time and clicks of every occurrence of each pathway step, in pathway order.
pub fn step_timings(pathway: &Pathway, traces: &[Trace]) -> Vec<StepTiming> {
    let mut samples: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    for trace in traces {
        for step in &trace.steps {
            let entry = samples.entry(step.step.as_str()).or_default();
            if let Some(secs) = step.active_secs {
                entry.0.push(secs);
            }
            if let Some(clicks) = step.clicks {
                entry.1.push(f64::from(clicks));
            }
        }
    }
    pathway
        .all_steps()
        .map(|step| {
            let (mut secs, mut clicks) = samples.remove(step.id.as_str()).unwrap_or_default();
            StepTiming {
                step: step.id.clone(),
                expected_secs: step.expected_secs,
                expected_clicks: step.expected_clicks,
                observed: secs.len(),
                median_secs: quantile(&mut secs, 0.5),
                median_clicks: quantile(&mut clicks, 0.5),
            }
        })
        .collect()
}

/// Sets each observed step's expected time and clicks to the observed medians.
fn retime(pathway: &mut Pathway, timings: &[StepTiming]) {
    let by_id: BTreeMap<&str, &StepTiming> = timings.iter().map(|t| (t.step.as_str(), t)).collect();
    let mut update = |step: &mut crate::model::Step| {
        if let Some(t) = by_id.get(step.id.as_str()) {
            if let Some(secs) = t.median_secs {
                step.expected_secs = secs.round().max(0.0) as u32;
            }
            if let Some(clicks) = t.median_clicks {
                step.expected_clicks = clicks.round().max(0.0) as u32;
            }
        }
    };
    for element in &mut pathway.steps {
        match element {
            Element::Step(step) => update(step),
            Element::AnyOrder(group) => group.steps.iter_mut().for_each(&mut update),
        }
    }
}

#[cfg(test)]
mod tests;
