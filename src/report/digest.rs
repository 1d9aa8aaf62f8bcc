//! What one session contributes to a report: its step occurrences with their friction, its
//! deviations and its figures. A digest is small; the session it came from is dropped as
//! soon as it is digested, so a report over many sessions holds only digests' summaries.

use serde::Serialize;

use crate::model::{Pathway, ProblemKind, Session, Timeline, WorkaroundKind};

/// Deviation kinds (domain.md section 5), by their stable snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DevKind {
    Missing,
    Unplanned,
    OutOfOrder,
    Repeated,
    OverTime,
    OverClicks,
}

impl DevKind {
    pub const ALL: [DevKind; 6] = [
        DevKind::Missing,
        DevKind::Unplanned,
        DevKind::OutOfOrder,
        DevKind::Repeated,
        DevKind::OverTime,
        DevKind::OverClicks,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DevKind::Missing => "missing",
            DevKind::Unplanned => "unplanned",
            DevKind::OutOfOrder => "out_of_order",
            DevKind::Repeated => "repeated",
            DevKind::OverTime => "over_time",
            DevKind::OverClicks => "over_clicks",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The comparator's verdict on one session, reduced to what the report needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    pub fitness: f64,
    /// Per observed step (index into `Timeline::steps`): was it a sync move?
    pub synced: Vec<bool>,
    /// Structural deviations (missing, unplanned, out of order, repeated) with the observed
    /// step they concern, if any. Over-time and over-clicks are derived from the friction.
    pub deviations: Vec<(DevKind, String, Option<usize>)>,
}

impl Alignment {
    /// The comparator's result (domain.md section 5) for a session and its timeline.
    pub fn of(session: &Session, timeline: &Timeline, pathway: &Pathway) -> Alignment {
        let _ = session;
        provisional_alignment(timeline, pathway)
    }
}

/// A greedy stand-in for the comparator: first occurrence of a pathway step is a sync, a
/// second occurrence of a non-repeatable step is `repeated`, steps not in the pathway are
/// `unplanned`, mandatory steps never seen are `missing`.
fn provisional_alignment(timeline: &Timeline, pathway: &Pathway) -> Alignment {
    let mut seen = std::collections::HashSet::new();
    let mut synced = Vec::with_capacity(timeline.steps.len());
    let mut deviations = Vec::new();
    for (index, span) in timeline.steps.iter().enumerate() {
        match pathway.step(&span.step) {
            None => {
                synced.push(false);
                deviations.push((DevKind::Unplanned, span.step.clone(), Some(index)));
            }
            Some(step) => {
                let first = seen.insert(span.step.as_str());
                if first || step.repeat {
                    synced.push(true);
                } else {
                    synced.push(false);
                    deviations.push((DevKind::Repeated, span.step.clone(), Some(index)));
                }
            }
        }
    }
    let mut mandatory = 0usize;
    for step in pathway.all_steps().filter(|s| !s.optional) {
        mandatory += 1;
        if !seen.contains(step.id.as_str()) {
            deviations.push((DevKind::Missing, step.id.clone(), None));
        }
    }
    let worst = timeline.steps.len() + mandatory;
    let cost = deviations.len();
    let fitness = if worst == 0 {
        1.0
    } else {
        1.0 - cost as f64 / worst as f64
    };
    Alignment {
        fitness,
        synced,
        deviations,
    }
}

/// One observed step occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDigest {
    pub step: String,
    /// A sync move of the alignment.
    pub synced: bool,
    /// In the pathway (synced or not).
    pub planned: bool,
    pub unplanned_label: Option<String>,
    pub active_secs: f64,
    pub interrupted_secs: f64,
    pub clicks: u32,
    pub screens: u32,
    pub reentries: u32,
    pub expected_secs: u32,
    pub expected_clicks: u32,
    pub interruptions: u32,
    pub workarounds: Vec<(WorkaroundKind, String)>,
    pub problems: Vec<(ProblemKind, String)>,
    pub over_time: bool,
    pub over_clicks: bool,
}

impl StepDigest {
    /// Active time beyond the expected time (0 when within it).
    pub fn excess_secs(&self) -> f64 {
        if self.planned {
            (self.active_secs - f64::from(self.expected_secs)).max(0.0)
        } else {
            self.active_secs
        }
    }
}

impl StepDigest {
    /// Clicks beyond the expected clicks (0 when within them).
    pub fn excess_clicks(&self) -> u32 {
        self.clicks.saturating_sub(self.expected_clicks)
    }
}

/// One session, digested.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionDigest {
    pub id: String,
    pub site: String,
    pub role: String,
    pub clinician: String,
    pub auditor: String,
    pub pathway_id: String,
    pub pathway_version: u32,
    pub fitness: f64,
    /// Session start to end minus pauses.
    pub observed_secs: f64,
    /// Active time of every step.
    pub active_secs: f64,
    /// Time some interruption was open.
    pub interrupted_secs: f64,
    /// Active and expected time of the synced steps.
    pub synced_active_secs: f64,
    pub expected_secs: f64,
    /// Clicks minus expected clicks over the synced steps.
    pub click_excess: i64,
    pub reentries: u32,
    pub interruptions: u32,
    pub workarounds: [u32; 7],
    pub problems: [u32; 8],
    pub steps: Vec<StepDigest>,
    /// Structural deviations: kind, step, index into `steps` when observed.
    pub deviations: Vec<(DevKind, String, Option<usize>)>,
}

pub fn workaround_index(kind: WorkaroundKind) -> usize {
    WorkaroundKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is in ALL")
}

pub fn problem_index(kind: ProblemKind) -> usize {
    ProblemKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is in ALL")
}

/// Digests a session against its pathway, with the comparator's alignment.
pub fn digest(
    session: &Session,
    timeline: &Timeline,
    pathway: &Pathway,
    alignment: &Alignment,
) -> SessionDigest {
    let tolerance = pathway.tolerance();
    let header = &session.header;
    let mut d = SessionDigest {
        id: header.id.clone(),
        site: header.site.clone(),
        role: header.role.clone(),
        clinician: header.clinician.clone(),
        auditor: header.auditor.clone(),
        pathway_id: pathway.id.clone(),
        pathway_version: header.pathway_version,
        fitness: alignment.fitness,
        observed_secs: timeline.observed_ms() as f64 / 1000.0,
        active_secs: 0.0,
        interrupted_secs: timeline
            .interruptions
            .iter()
            .map(|i| i.active_ms as f64 / 1000.0)
            .sum(),
        synced_active_secs: 0.0,
        expected_secs: 0.0,
        click_excess: 0,
        reentries: timeline.idle_counts.reentries
            + timeline
                .interruptions
                .iter()
                .map(|i| i.counts.reentries)
                .sum::<u32>(),
        interruptions: timeline.interruptions.len() as u32,
        workarounds: [0; 7],
        problems: [0; 8],
        steps: Vec::with_capacity(timeline.steps.len()),
        deviations: alignment.deviations.clone(),
    };
    for mark in &timeline.workarounds {
        d.workarounds[workaround_index(mark.kind)] += 1;
    }
    for mark in &timeline.problems {
        d.problems[problem_index(mark.kind)] += 1;
    }
    for (index, span) in timeline.steps.iter().enumerate() {
        let planned = pathway.step(&span.step);
        let synced = alignment.synced.get(index).copied().unwrap_or(false);
        let (expected_secs, expected_clicks) =
            planned.map_or((0, 0), |s| (s.expected_secs, s.expected_clicks));
        let active_secs = span.active_ms as f64 / 1000.0;
        let clicks = span.counts.clicks;
        let over_time = planned.is_some()
            && active_secs > f64::from(expected_secs) * (1.0 + f64::from(tolerance.time_pct) / 100.0);
        let over_clicks = planned.is_some()
            && f64::from(clicks)
                > f64::from(expected_clicks) * (1.0 + f64::from(tolerance.clicks_pct) / 100.0);
        d.active_secs += active_secs;
        d.reentries += span.counts.reentries;
        if synced {
            d.synced_active_secs += active_secs;
            d.expected_secs += f64::from(expected_secs);
            d.click_excess += i64::from(clicks) - i64::from(expected_clicks);
        }
        d.steps.push(StepDigest {
            step: span.step.clone(),
            synced,
            planned: planned.is_some(),
            unplanned_label: span.unplanned_label.clone(),
            active_secs,
            interrupted_secs: span.interrupted_ms as f64 / 1000.0,
            clicks,
            screens: span.counts.screens,
            reentries: span.counts.reentries,
            expected_secs,
            expected_clicks,
            interruptions: span.interruptions.len() as u32,
            workarounds: span
                .workarounds
                .iter()
                .map(|&i| {
                    let m = &timeline.workarounds[i];
                    (m.kind, m.text.clone())
                })
                .collect(),
            problems: span
                .problems
                .iter()
                .map(|&i| {
                    let m = &timeline.problems[i];
                    (m.kind, m.text.clone())
                })
                .collect(),
            over_time,
            over_clicks,
        });
    }
    d
}

/// Compares and digests a session in one go.
pub fn digest_session(session: &Session, pathway: &Pathway) -> SessionDigest {
    let timeline = session.timeline();
    let alignment = Alignment::of(session, &timeline, pathway);
    digest(session, &timeline, pathway, &alignment)
}
