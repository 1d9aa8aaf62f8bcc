//! Folding session digests into a report, one session at a time.
//!
//! The builder keeps, per pathway, group and step, counters and the samples the medians and
//! p90s need (one `f64` per step occurrence), and per candidate finding its counters and a
//! capped sample of session ids. A session's events are never kept.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

use serde::Serialize;

use crate::model::{Cause, KindCounts, Pathway, ProblemKind, WorkaroundKind};

use super::digest::{DevKind, SessionDigest};
use super::findings::{
    CLICK_SECS, CauseDecision, CellShare, FindingKind, Spread, SusEvidence, agree_on_friction,
    confidence_label, finding_id, problem_cause, reported, suggest_cause, workaround_cause,
};
pub use super::findings::{Evidence, Finding};
use super::overrides::{Override, Overrides};
use super::stats::{quantile, round};

/// Session ids kept as evidence per finding (the count is always exact).
pub const EVIDENCE_SESSIONS: usize = 10;
/// Example notes kept per finding (removed by `--redact`).
pub const EVIDENCE_NOTES: usize = 3;

/// The keys sessions can be grouped by under their pathway.
pub const GROUP_KEYS: [&str; 4] = ["site", "role", "clinician", "auditor"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Dim {
    Site,
    Role,
    Auditor,
    Clinician,
}

type Cell = (Dim, String);

fn cells_of(d: &SessionDigest) -> [Cell; 4] {
    [
        (Dim::Site, d.site.clone()),
        (Dim::Role, d.role.clone()),
        (Dim::Auditor, d.auditor.clone()),
        (Dim::Clinician, d.clinician.clone()),
    ]
}

#[derive(Debug, Default)]
struct StepAgg {
    label: Option<String>,
    occurrences: u32,
    sessions: u32,
    synced: u32,
    active: Vec<f64>,
    clicks: Vec<f64>,
    over_time: u32,
    over_clicks: u32,
    deviations: [u32; 6],
    workarounds: KindCounts<WorkaroundKind>,
    problems: KindCounts<ProblemKind>,
    interruptions: u32,
    step_secs: f64,
}

#[derive(Debug, Default)]
struct GroupAgg {
    sessions: u32,
    fitness: f64,
    observed_secs: f64,
    active_secs: f64,
    interrupted_secs: f64,
    synced_active_secs: f64,
    expected_secs: f64,
    click_excess: i64,
    reentries: u64,
    interruptions: u64,
    workarounds: KindCounts<WorkaroundKind>,
    problems: KindCounts<ProblemKind>,
    steps: BTreeMap<String, StepAgg>,
    /// The clinicians' SUS and raw TLX scores, one per session that answered in full.
    sus: Vec<f64>,
    tlx: Vec<f64>,
}

impl GroupAgg {
    fn add(&mut self, d: &SessionDigest) {
        self.sessions += 1;
        self.fitness += d.fitness;
        self.observed_secs += d.observed_secs;
        self.active_secs += d.active_secs;
        self.interrupted_secs += d.interrupted_secs;
        self.synced_active_secs += d.synced_active_secs;
        self.expected_secs += d.expected_secs;
        self.click_excess += d.click_excess;
        self.reentries += u64::from(d.reentries);
        self.interruptions += u64::from(d.interruptions);
        self.sus.extend(d.sus);
        self.tlx.extend(d.tlx);
        self.workarounds.merge(&d.workarounds);
        self.problems.merge(&d.problems);
        let mut seen: HashSet<&str> = HashSet::new();
        for s in &d.steps {
            let agg = self.steps.entry(s.step.clone()).or_default();
            if agg.label.is_none() {
                agg.label = s.unplanned_label.clone();
            }
            agg.occurrences += 1;
            if seen.insert(s.step.as_str()) {
                agg.sessions += 1;
            }
            if s.synced {
                agg.synced += 1;
            }
            agg.active.push(s.active_secs);
            agg.clicks.push(f64::from(s.clicks));
            agg.over_time += u32::from(s.over_time);
            agg.over_clicks += u32::from(s.over_clicks);
            if s.over_time {
                agg.deviations[DevKind::OverTime.index()] += 1;
            }
            if s.over_clicks {
                agg.deviations[DevKind::OverClicks.index()] += 1;
            }
            for (k, _) in &s.workarounds {
                agg.workarounds.add(*k, 1);
            }
            for (k, _) in &s.problems {
                agg.problems.add(*k, 1);
            }
            agg.interruptions += s.interruptions;
            agg.step_secs += s.active_secs + s.interrupted_secs;
        }
        for (kind, step, _) in &d.deviations {
            let agg = self.steps.entry(step.clone()).or_default();
            agg.deviations[kind.index()] += 1;
        }
    }
}

#[derive(Debug, Default)]
struct Candidate {
    affected: u32,
    cost_secs: f64,
    sessions: u32,
    last_session: Option<u64>,
    session_ids: Vec<String>,
    cells: BTreeMap<Cell, u32>,
    notes: Vec<String>,
    co_infrastructure: u32,
    co_integration: u32,
}

impl Candidate {
    fn hit(&mut self, serial: u64, d: &SessionDigest, cost_secs: f64) {
        self.affected += 1;
        self.cost_secs += cost_secs;
        if self.last_session != Some(serial) {
            self.last_session = Some(serial);
            self.sessions += 1;
            if self.session_ids.len() < EVIDENCE_SESSIONS {
                self.session_ids.push(d.id.clone());
            }
        }
        for cell in cells_of(d) {
            *self.cells.entry(cell).or_default() += 1;
        }
    }

    fn note(&mut self, text: &str) {
        if !text.trim().is_empty() && self.notes.len() < EVIDENCE_NOTES {
            self.notes.push(text.to_string());
        }
    }
}

struct PathwayAgg {
    pathway: Pathway,
    versions: BTreeSet<u32>,
    all: GroupAgg,
    groups: BTreeMap<Vec<String>, GroupAgg>,
    sessions_by_cell: BTreeMap<Cell, u32>,
    occurrences_by_cell: BTreeMap<String, BTreeMap<Cell, u32>>,
    candidates: BTreeMap<(String, FindingKind), Candidate>,
}

impl PathwayAgg {
    fn new(pathway: &Pathway) -> PathwayAgg {
        PathwayAgg {
            pathway: pathway.clone(),
            versions: BTreeSet::new(),
            all: GroupAgg::default(),
            groups: BTreeMap::new(),
            sessions_by_cell: BTreeMap::new(),
            occurrences_by_cell: BTreeMap::new(),
            candidates: BTreeMap::new(),
        }
    }

    fn add(&mut self, serial: u64, key: Vec<String>, d: &SessionDigest) {
        self.versions.insert(d.pathway_version);
        self.all.add(d);
        self.groups.entry(key).or_default().add(d);
        for cell in cells_of(d) {
            *self.sessions_by_cell.entry(cell).or_default() += 1;
        }
        for s in &d.steps {
            let by_cell = self.occurrences_by_cell.entry(s.step.clone()).or_default();
            for cell in cells_of(d) {
                *by_cell.entry(cell).or_default() += 1;
            }
            if !s.planned {
                continue;
            }
            // The site's own kinds count by the `cause:` of their entry.
            let site = &self.pathway.vocabulary;
            let infra = s
                .problems
                .iter()
                .any(|(k, _)| problem_cause(*k, site) == Some(Cause::Infrastructure));
            let integration = s
                .problems
                .iter()
                .any(|(k, _)| problem_cause(*k, site) == Some(Cause::Integration))
                || s.workarounds
                    .iter()
                    .any(|(k, _)| workaround_cause(*k, site) == Some(Cause::Integration));
            let excess = s.excess_secs();
            let mut kinds: Vec<(FindingKind, f64)> = Vec::new();
            if s.over_time {
                kinds.push((FindingKind::SlowStep, excess));
            }
            if s.over_clicks {
                let cost = f64::from(s.excess_clicks()) * CLICK_SECS;
                kinds.push((FindingKind::ClickBurden, cost));
            }
            for (kind, cost) in kinds {
                let c = self.candidates.entry((s.step.clone(), kind)).or_default();
                c.hit(serial, d, cost);
                c.co_infrastructure += u32::from(infra);
                c.co_integration += u32::from(integration);
            }
            let mut done: Vec<FindingKind> = Vec::new();
            for (k, note) in &s.workarounds {
                let kind = FindingKind::Workaround(*k);
                let c = self.candidates.entry((s.step.clone(), kind)).or_default();
                if !done.contains(&kind) {
                    c.hit(serial, d, excess);
                    done.push(kind);
                }
                c.note(note);
            }
            for (k, note) in &s.problems {
                let kind = FindingKind::Problem(*k);
                let c = self.candidates.entry((s.step.clone(), kind)).or_default();
                if !done.contains(&kind) {
                    c.hit(serial, d, excess);
                    done.push(kind);
                }
                c.note(note);
            }
        }
        let mut done: HashSet<(FindingKind, &str)> = HashSet::new();
        for (dev, step, observed) in &d.deviations {
            let Some(kind) = FindingKind::from_deviation(*dev) else {
                continue;
            };
            let cost = observed
                .and_then(|i| d.steps.get(i))
                .map_or(0.0, |s| match kind {
                    FindingKind::OutOfOrder => s.excess_secs(),
                    _ => s.active_secs,
                });
            let c = self.candidates.entry((step.clone(), kind)).or_default();
            if done.insert((kind, step.as_str())) {
                c.hit(serial, d, cost);
            } else {
                // More of the same in one session: more time, one unit.
                c.cost_secs += cost;
            }
        }
    }
}

/// A file that could not be read as a session, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    pub error: String,
}

impl Skipped {
    /// Masks the path and the error with `mask` (`--redact`): a file name or an error that
    /// quotes a file may hold an identifier.
    pub fn redact(&mut self, mask: &dyn Fn(&str) -> String) {
        self.path = mask(&self.path.to_string_lossy()).into();
        self.error = mask(&self.error);
    }
}

/// Folds session digests into a report. Feed it with [`ReportBuilder::add`], then
/// [`ReportBuilder::finish`].
pub struct ReportBuilder {
    by: Vec<String>,
    pathways: BTreeMap<String, PathwayAgg>,
    serial: u64,
    skipped: Vec<Skipped>,
    after_finish: Vec<super::stream::AfterFinish>,
}

impl ReportBuilder {
    /// `by`: the group keys under the pathway, each one of [`GROUP_KEYS`].
    pub fn new(by: &[String]) -> Result<ReportBuilder, String> {
        let by: Vec<String> = by
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect();
        for key in &by {
            if !GROUP_KEYS.contains(&key.as_str()) {
                return Err(format!(
                    "cannot group by `{key}`: use any of {}",
                    GROUP_KEYS.join(", ")
                ));
            }
        }
        Ok(ReportBuilder {
            by,
            pathways: BTreeMap::new(),
            serial: 0,
            after_finish: Vec::new(),
            skipped: Vec::new(),
        })
    }

    pub fn sessions(&self) -> u64 {
        self.serial
    }

    /// Adds one digested session, compared against `pathway`.
    pub fn add(&mut self, pathway: &Pathway, d: &SessionDigest) {
        self.serial += 1;
        let key: Vec<String> = self
            .by
            .iter()
            .map(|k| match k.as_str() {
                "site" => d.site.clone(),
                "role" => d.role.clone(),
                "clinician" => d.clinician.clone(),
                _ => d.auditor.clone(),
            })
            .collect();
        let serial = self.serial;
        self.pathways
            .entry(pathway.id.clone())
            .or_insert_with(|| PathwayAgg::new(pathway))
            .add(serial, key, d);
    }

    pub fn skip(&mut self, path: PathBuf, error: String) {
        self.skipped.push(Skipped { path, error });
    }

    /// A session read with events after its finish left out.
    pub fn after_finish(&mut self, after: super::stream::AfterFinish) {
        self.after_finish.push(after);
    }

    /// The report, with the overrides applied to the findings they name.
    pub fn finish(self, overrides: &Overrides) -> Report {
        let mut pathways = Vec::new();
        let mut findings = Vec::new();
        for agg in self.pathways.into_values() {
            findings.extend(pathway_findings(&agg));
            pathways.push(pathway_report(&self.by, agg));
        }
        findings.sort_by(|(a_order, a), (b_order, b)| {
            b.time_cost_min
                .total_cmp(&a.time_cost_min)
                .then(b.occurrences.cmp(&a.occurrences))
                .then_with(|| a_order.cmp(b_order))
        });
        let mut findings: Vec<Finding> = findings.into_iter().map(|(_, f)| f).collect();
        let mut used = HashSet::new();
        for (i, f) in findings.iter_mut().enumerate() {
            f.rank = i + 1;
            if let Some(o) = overrides.get(&f.id) {
                f.cause = o.cause;
                f.overridden = Some(o.clone());
                used.insert(f.id.clone());
            }
        }
        let stale_overrides = overrides
            .overrides
            .iter()
            .filter(|o| !used.contains(&o.finding))
            .cloned()
            .collect();
        Report {
            generated_by: format!("shadowmap {}", env!("CARGO_PKG_VERSION")),
            redacted: false,
            by: self.by,
            sessions: self.serial,
            skipped: self.skipped,
            pathways,
            findings,
            stale_overrides,
            after_finish: self.after_finish,
        }
    }
}

/// The whole report: what every format renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub generated_by: String,
    pub redacted: bool,
    pub by: Vec<String>,
    pub sessions: u64,
    pub skipped: Vec<Skipped>,
    pub pathways: Vec<PathwayReport>,
    /// Every pathway's findings, ranked by time cost.
    pub findings: Vec<Finding>,
    /// Overrides whose finding is not in this report (kept in the file, not applied).
    pub stale_overrides: Vec<Override>,
    /// Sessions read with events after their finish left out: warned about, not reported.
    #[serde(skip)]
    pub after_finish: Vec<super::stream::AfterFinish>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayReport {
    pub id: String,
    pub name: String,
    pub versions: Vec<u32>,
    pub sessions: u32,
    pub sites: Vec<String>,
    pub roles: Vec<String>,
    pub clinicians: usize,
    /// All sessions of the pathway.
    pub overall: GroupReport,
    /// One per value of the `--by` keys.
    pub groups: Vec<GroupReport>,
    /// The kinds the pathway's file adds, with their labels and causes: the figures above
    /// name them by id.
    #[serde(skip_serializing_if = "crate::model::Vocabulary::is_empty")]
    pub vocabulary: crate::model::Vocabulary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupReport {
    /// The `--by` keys and their values, in order.
    pub key: Vec<(String, String)>,
    pub figures: GroupFigures,
    pub steps: Vec<StepReport>,
}

impl GroupReport {
    pub fn label(&self) -> String {
        if self.key.is_empty() {
            "all sessions".to_string()
        } else {
            self.key
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

/// Session figures (docs/reference.md section 5) over a group of sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigures {
    pub sessions: u32,
    pub mean_fitness: f64,
    pub observed_min: f64,
    pub active_min: f64,
    /// Expected minutes of the synced steps.
    pub expected_min: f64,
    /// Active time of the synced steps over their expected time.
    pub time_ratio: f64,
    pub click_excess: i64,
    pub click_excess_per_session: f64,
    pub reentries: u64,
    pub workarounds: BTreeMap<String, u32>,
    pub interruptions: u64,
    pub interruptions_per_hour: f64,
    pub interrupted_share: f64,
    pub problems: BTreeMap<String, u32>,
    /// The clinicians' own view: SUS and raw NASA-TLX.
    pub voice: Voice,
}

/// The questionnaires of a group: mean SUS beside the published EHR mean, mean raw TLX.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Voice {
    /// Sessions whose clinician answered the SUS in full, and their mean score.
    pub sus_sessions: u32,
    pub sus_mean: Option<f64>,
    /// The published mean SUS of EHRs, the reference line.
    pub sus_ehr_reference: f64,
    pub tlx_sessions: u32,
    pub tlx_mean: Option<f64>,
}

impl Voice {
    fn of(sus: &[f64], tlx: &[f64]) -> Voice {
        let mean =
            |v: &[f64]| (!v.is_empty()).then(|| round(v.iter().sum::<f64>() / v.len() as f64, 1));
        Voice {
            sus_sessions: sus.len() as u32,
            sus_mean: mean(sus),
            sus_ehr_reference: crate::model::questionnaire::EHR_SUS_MEAN,
            tlx_sessions: tlx.len() as u32,
            tlx_mean: mean(tlx),
        }
    }

    /// One line for the text and Markdown reports; None when nobody answered.
    pub fn line(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(sus) = self.sus_mean {
            parts.push(format!(
                "SUS {sus:.1} (n={}; published EHR mean {:.1})",
                self.sus_sessions, self.sus_ehr_reference
            ));
        }
        if let Some(tlx) = self.tlx_mean {
            parts.push(format!("raw TLX {tlx:.1} (n={})", self.tlx_sessions));
        }
        (!parts.is_empty()).then(|| parts.join("; "))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepReport {
    pub step: String,
    pub label: String,
    /// In the pathway (false: an unplanned step).
    pub planned: bool,
    pub occurrences: u32,
    pub sessions: u32,
    pub expected_secs: Option<u32>,
    pub expected_clicks: Option<u32>,
    pub median_active_secs: Option<f64>,
    pub p90_active_secs: Option<f64>,
    pub median_clicks: Option<f64>,
    pub p90_clicks: Option<f64>,
    /// Share of occurrences over the time / clicks tolerance.
    pub over_time_rate: f64,
    pub over_clicks_rate: f64,
    /// Deviations of this step per session of the group, by kind.
    pub deviations_per_session: BTreeMap<String, f64>,
    /// Workarounds and problems per occurrence, by kind.
    pub workaround_rate: BTreeMap<String, f64>,
    pub problem_rate: BTreeMap<String, f64>,
    /// Interruptions per hour of the step's time (active + interrupted).
    pub interruptions_per_hour: f64,
}

fn label_of(pathway: &Pathway, step: &str, agg: Option<&StepAgg>) -> String {
    if let Some(s) = pathway.step(step) {
        return s.label.clone();
    }
    agg.and_then(|a| a.label.clone())
        .unwrap_or_else(|| step.to_string())
}

fn step_report(pathway: &Pathway, step: &str, agg: &mut StepAgg, sessions: u32) -> StepReport {
    let planned = pathway.step(step);
    let per = |n: u32, of: u32| {
        if of == 0 {
            0.0
        } else {
            round(f64::from(n) / f64::from(of), 4)
        }
    };
    StepReport {
        step: step.to_string(),
        label: label_of(pathway, step, Some(agg)),
        planned: planned.is_some(),
        occurrences: agg.occurrences,
        sessions: agg.sessions,
        expected_secs: planned.map(|s| s.expected_secs),
        expected_clicks: planned.map(|s| s.expected_clicks),
        median_active_secs: quantile(&mut agg.active, 0.5).map(|v| round(v, 1)),
        p90_active_secs: quantile(&mut agg.active, 0.9).map(|v| round(v, 1)),
        median_clicks: quantile(&mut agg.clicks, 0.5).map(|v| round(v, 1)),
        p90_clicks: quantile(&mut agg.clicks, 0.9).map(|v| round(v, 1)),
        over_time_rate: per(agg.over_time, agg.occurrences),
        over_clicks_rate: per(agg.over_clicks, agg.occurrences),
        deviations_per_session: DevKind::ALL
            .iter()
            .map(|k| {
                (
                    k.name().to_string(),
                    per(agg.deviations[k.index()], sessions),
                )
            })
            .collect(),
        workaround_rate: agg
            .workarounds
            .iter()
            .map(|(k, n)| (k.name().to_string(), per(n, agg.occurrences)))
            .collect(),
        problem_rate: agg
            .problems
            .iter()
            .map(|(k, n)| (k.name().to_string(), per(n, agg.occurrences)))
            .collect(),
        interruptions_per_hour: if agg.step_secs > 0.0 {
            round(f64::from(agg.interruptions) * 3600.0 / agg.step_secs, 2)
        } else {
            0.0
        },
    }
}

fn group_report(pathway: &Pathway, key: Vec<(String, String)>, mut g: GroupAgg) -> GroupReport {
    let n = g.sessions.max(1);
    let figures = GroupFigures {
        sessions: g.sessions,
        mean_fitness: round(g.fitness / f64::from(n), 4),
        observed_min: round(g.observed_secs / 60.0, 2),
        active_min: round(g.active_secs / 60.0, 2),
        expected_min: round(g.expected_secs / 60.0, 2),
        time_ratio: if g.expected_secs > 0.0 {
            round(g.synced_active_secs / g.expected_secs, 3)
        } else {
            0.0
        },
        click_excess: g.click_excess,
        click_excess_per_session: round(g.click_excess as f64 / f64::from(n), 2),
        reentries: g.reentries,
        workarounds: g
            .workarounds
            .iter()
            .map(|(k, n)| (k.name().to_string(), n))
            .collect(),
        interruptions: g.interruptions,
        interruptions_per_hour: if g.observed_secs > 0.0 {
            round(g.interruptions as f64 * 3600.0 / g.observed_secs, 2)
        } else {
            0.0
        },
        interrupted_share: if g.observed_secs > 0.0 {
            round(g.interrupted_secs / g.observed_secs, 4)
        } else {
            0.0
        },
        problems: g
            .problems
            .iter()
            .map(|(k, n)| (k.name().to_string(), n))
            .collect(),
        voice: Voice::of(&g.sus, &g.tlx),
    };
    // Pathway steps in pathway order (those observed or deviated), then unplanned ones.
    let mut steps = Vec::new();
    for step in pathway.all_steps() {
        if let Some(mut agg) = g.steps.remove(&step.id) {
            steps.push(step_report(pathway, &step.id, &mut agg, g.sessions));
        }
    }
    for (id, mut agg) in std::mem::take(&mut g.steps) {
        steps.push(step_report(pathway, &id, &mut agg, g.sessions));
    }
    GroupReport {
        key,
        figures,
        steps,
    }
}

fn pathway_report(by: &[String], agg: PathwayAgg) -> PathwayReport {
    let PathwayAgg {
        pathway,
        versions,
        all,
        groups,
        sessions_by_cell,
        ..
    } = agg;
    let cells = |dim: Dim| -> Vec<String> {
        sessions_by_cell
            .keys()
            .filter(|(d, _)| *d == dim)
            .map(|(_, v)| v.clone())
            .collect()
    };
    PathwayReport {
        id: pathway.id.clone(),
        name: pathway.name.clone(),
        versions: versions.into_iter().collect(),
        sessions: all.sessions,
        sites: cells(Dim::Site),
        roles: cells(Dim::Role),
        clinicians: cells(Dim::Clinician).len(),
        overall: group_report(&pathway, Vec::new(), all),
        groups: groups
            .into_iter()
            .map(|(values, g)| {
                let key = by.iter().cloned().zip(values).collect();
                group_report(&pathway, key, g)
            })
            .collect(),
        vocabulary: pathway.vocabulary.clone(),
    }
}

/// Where a finding goes among findings of equal time cost and occurrences: by pathway, the
/// step's place in the pathway (unplanned steps last, by id), then the kind's order.
type TieOrder = (String, usize, String, FindingKind);

#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
fn pathway_findings(agg: &PathwayAgg) -> Vec<(TieOrder, Finding)> {
    let pathway = &agg.pathway;
    let sus = SusEvidence::of(&agg.all.sus);
    // Every candidate's spread and decision first, so a step's slow_step and click_burden
    // can be made to agree before the findings are written.
    let mut decided: Vec<(&String, FindingKind, &Candidate, u32, Spread, CauseDecision)> =
        Vec::new();
    for ((step, kind), c) in &agg.candidates {
        let step_agg = agg.all.steps.get(step);
        let (base, base_cells): (u32, Option<&BTreeMap<Cell, u32>>) = if kind.per_session() {
            (agg.all.sessions, Some(&agg.sessions_by_cell))
        } else {
            (
                step_agg.map_or(0, |s| s.occurrences),
                agg.occurrences_by_cell.get(step),
            )
        };
        let shares = |dim: Dim| -> Vec<CellShare> {
            base_cells
                .into_iter()
                .flatten()
                .filter(|((d, _), _)| *d == dim)
                .map(|(cell, n)| {
                    CellShare::new(cell.1.clone(), *c.cells.get(cell).unwrap_or(&0), *n)
                })
                .collect()
        };
        let spread = Spread {
            kind: *kind,
            policy: pathway.step(step).and_then(|s| s.policy.clone()),
            sites: shares(Dim::Site),
            roles: shares(Dim::Role),
            auditors: shares(Dim::Auditor),
            clinicians: shares(Dim::Clinician),
            affected: c.affected,
            base,
            co_infrastructure: c.co_infrastructure,
            co_integration: c.co_integration,
            versions: agg.versions.len(),
            site_cause: match kind {
                FindingKind::Workaround(k) => pathway.vocabulary.cause(*k),
                FindingKind::Problem(k) => pathway.vocabulary.cause(*k),
                _ => None,
            },
            sus,
        };
        let decision = suggest_cause(&spread);
        if reported(&spread, &decision) {
            decided.push((step, *kind, c, base, spread, decision));
        }
    }
    let friction =
        |decided: &[(&String, FindingKind, &Candidate, u32, Spread, CauseDecision)],
         step: &String,
         kind: FindingKind| {
            decided
                .iter()
                .position(|(s, k, ..)| *s == step && *k == kind)
        };
    for i in 0..decided.len() {
        if decided[i].1 != FindingKind::SlowStep {
            continue;
        }
        if let Some(j) = friction(&decided, decided[i].0, FindingKind::ClickBurden) {
            let mut slow = decided[i].5.clone();
            let mut clicks = decided[j].5.clone();
            agree_on_friction(&mut slow, &mut clicks);
            decided[i].5 = slow;
            decided[j].5 = clicks;
        }
    }
    let step_order: Vec<&str> = pathway.all_steps().map(|s| s.id.as_str()).collect();
    let mut out = Vec::new();
    for (step, kind, c, base, spread, decision) in decided {
        let step_agg = agg.all.steps.get(step);
        let rate = spread.rate();
        let cost_min = c.cost_secs / 60.0;
        let (median_active, p90_active, median_clicks) = step_agg
            .map(|s| {
                let mut active = s.active.clone();
                let mut clicks = s.clicks.clone();
                (
                    quantile(&mut active, 0.5).map(|v| round(v, 1)),
                    quantile(&mut active, 0.9).map(|v| round(v, 1)),
                    quantile(&mut clicks, 0.5).map(|v| round(v, 1)),
                )
            })
            .unwrap_or((None, None, None));
        let planned = pathway.step(step);
        let order = (
            pathway.id.clone(),
            step_order
                .iter()
                .position(|s| *s == step.as_str())
                .unwrap_or(usize::MAX),
            step.clone(),
            kind,
        );
        out.push((
            order,
            Finding {
                id: finding_id(&pathway.id, step, kind),
                rank: 0,
                pathway: pathway.id.clone(),
                step: step.clone(),
                step_label: label_of(pathway, step, step_agg),
                kind: kind.code(),
                title: kind.describe(step),
                time_cost_min: round(cost_min, 2),
                excess_min_per_occurrence: round(cost_min / f64::from(c.affected), 2),
                occurrences: c.affected,
                unit: if kind.per_session() {
                    "session"
                } else {
                    "occurrence"
                },
                base,
                rate: round(rate, 4),
                suggested_cause: decision.cause,
                rule: decision.rule,
                because: decision.because,
                confidence: decision.confidence,
                confidence_label: confidence_label(decision.confidence),
                cause: decision.cause,
                overridden: None,
                evidence: Evidence {
                    sessions: c.sessions,
                    session_ids: c.session_ids.clone(),
                    sites: spread.sites,
                    roles: spread.roles,
                    clinicians: spread.clinicians,
                    pathway_versions: agg.versions.iter().copied().collect(),
                    expected_secs: planned.map(|s| s.expected_secs),
                    median_active_secs: median_active,
                    p90_active_secs: p90_active,
                    expected_clicks: planned.map(|s| s.expected_clicks),
                    median_clicks,
                    notes: c.notes.clone(),
                },
            },
        ));
    }
    out
}
