//! What one session contributes to a report: its step occurrences with their friction, its
//! deviations and its figures. A digest is small; the session it came from is dropped as
//! soon as it is digested, so a report over many sessions holds only digests' summaries.

use crate::compare::engine::Engine;
use crate::compare::{Comparison, DeviationKind, MoveKind, TooMuchWork, compare_timeline};
use crate::model::{
    KindCounts, Pathway, ProblemKind, Session, Timeline, WorkaroundKind, derive_timeline,
};

/// The old name of [`DeviationKind`] in the report, kept only until `findings.rs` and
/// `aggregate.rs` use [`DeviationKind`] directly: one kind, one enum.
pub use crate::compare::DeviationKind as DevKind;

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
    /// By kind: the built-in ones and the site's own, grouped by id.
    pub workarounds: KindCounts<WorkaroundKind>,
    pub problems: KindCounts<ProblemKind>,
    pub steps: Vec<StepDigest>,
    /// Structural deviations: kind, step, index into `steps` when observed.
    pub deviations: Vec<(DevKind, String, Option<usize>)>,
    /// The clinician's own scores, when answered in full: SUS (0-100) and raw TLX (0-100).
    pub sus: Option<f64>,
    pub tlx: Option<f64>,
}

/// The score of the last answers to `instrument` in a session, when complete.
fn questionnaire_score(
    session: &Session,
    instrument: crate::model::questionnaire::Instrument,
) -> Option<f64> {
    session.events.iter().rev().find_map(|e| match &e.kind {
        crate::model::EventKind::Questionnaire {
            instrument: i,
            answers,
        } if *i == instrument => Some(instrument.score(answers)),
        _ => None,
    })?
}

/// Digests a session against its pathway, from the comparator's result on its timeline:
/// sync moves, structural deviations, the friction of synced steps and the session figures.
pub fn digest(
    session: &Session,
    timeline: &Timeline,
    pathway: &Pathway,
    comparison: &Comparison,
) -> SessionDigest {
    let header = &session.header;
    let figures = &comparison.figures;
    let mut synced = vec![false; timeline.steps.len()];
    for m in &comparison.moves {
        if let (MoveKind::Sync, Some(i)) = (m.kind, m.observed)
            && let Some(slot) = synced.get_mut(i)
        {
            *slot = true;
        }
    }
    let mut over = vec![(false, false); timeline.steps.len()];
    for f in &comparison.frictions {
        if let Some(slot) = over.get_mut(f.observed) {
            *slot = (f.over_time, f.over_clicks);
        }
    }
    let mut d = SessionDigest {
        id: header.id.clone(),
        site: header.site.clone(),
        role: header.role.clone(),
        clinician: header.clinician.clone(),
        auditor: header.auditor.clone(),
        pathway_id: pathway.id.clone(),
        pathway_version: header.pathway_version,
        fitness: comparison.fitness,
        observed_secs: figures.observed_minutes * 60.0,
        active_secs: figures.active_minutes * 60.0,
        interrupted_secs: figures.interrupted_share.unwrap_or(0.0)
            * figures.observed_minutes
            * 60.0,
        synced_active_secs: figures.synced_active_minutes * 60.0,
        expected_secs: figures.expected_minutes * 60.0,
        click_excess: figures.click_excess,
        reentries: figures.reentries,
        interruptions: figures.interruptions as u32,
        workarounds: KindCounts::default(),
        problems: KindCounts::default(),
        sus: questionnaire_score(session, crate::model::questionnaire::Instrument::Sus),
        tlx: questionnaire_score(session, crate::model::questionnaire::Instrument::Tlx),
        steps: Vec::with_capacity(timeline.steps.len()),
        deviations: comparison
            .deviations
            .iter()
            .filter(|dev| {
                !matches!(
                    dev.kind,
                    DeviationKind::OverTime | DeviationKind::OverClicks
                )
            })
            .map(|dev| (dev.kind, dev.step.clone(), dev.observed))
            .collect(),
    };
    for (kind, n) in &figures.workarounds {
        d.workarounds.add(*kind, *n as u32);
    }
    for (kind, n) in &figures.problems {
        d.problems.add(*kind, *n as u32);
    }
    for (index, span) in timeline.steps.iter().enumerate() {
        let planned = pathway.step(&span.step);
        let (expected_secs, expected_clicks) =
            planned.map_or((0, 0), |s| (s.expected_secs, s.expected_clicks));
        let (over_time, over_clicks) = over[index];
        d.steps.push(StepDigest {
            step: span.step.clone(),
            synced: synced[index],
            planned: planned.is_some(),
            unplanned_label: span.unplanned_label.clone(),
            active_secs: span.active_ms as f64 / 1000.0,
            interrupted_secs: span.interrupted_ms as f64 / 1000.0,
            clicks: span.counts.clicks,
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

/// Compares a session with a pathway and digests it. `engine` is the comparator's engine for
/// this pathway, shared by many sessions (`None`: compile the pathway here; one the comparator
/// cannot compile gives its explained no-sync comparison). A session beyond the comparator's
/// work bound is an error, for the report to skip.
pub fn digest_with_engine(
    session: &Session,
    pathway: &Pathway,
    engine: Option<&Engine>,
) -> Result<SessionDigest, TooMuchWork> {
    let timeline = derive_timeline(&session.events);
    let comparison = match engine {
        Some(engine) => engine.compare_timeline(&session.header.id, &timeline)?,
        None => compare_timeline(&session.header.id, &timeline, pathway, None),
    };
    Ok(digest(session, &timeline, pathway, &comparison))
}

/// Compares and digests a session in one go.
pub fn digest_session(session: &Session, pathway: &Pathway) -> SessionDigest {
    let timeline = derive_timeline(&session.events);
    let comparison = compare_timeline(&session.header.id, &timeline, pathway, None);
    digest(session, &timeline, pathway, &comparison)
}
