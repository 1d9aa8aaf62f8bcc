//! Folding digested sessions into per-pathway, per-round, per-group samples.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{KindCounts, Pathway, ProblemKind, WorkaroundKind};
use crate::report::aggregate::{GROUP_KEYS, Skipped};
use crate::report::digest::{DevKind, SessionDigest};
use crate::report::stream::AfterFinish;
use crate::report::{Finding, Overrides, ReportBuilder};

use super::{PathwayRounds, RoundSummary, Rounds};

/// What one step's occurrences in one round and group were.
#[derive(Debug, Default)]
pub(crate) struct StepSample {
    pub label: Option<String>,
    pub active_secs: Vec<f64>,
    pub clicks: Vec<f64>,
    pub reentries: Vec<f64>,
    pub over_time: u64,
    pub over_clicks: u64,
    /// Occurrences with at least one workaround (problem) of each kind, the site's own
    /// kinds included.
    pub workarounds: KindCounts<WorkaroundKind>,
    pub problems: KindCounts<ProblemKind>,
}

impl StepSample {
    pub fn occurrences(&self) -> u64 {
        self.active_secs.len() as u64
    }
}

/// One round of one pathway for one group (or the whole pathway).
pub(crate) struct Sample {
    pub sessions: u64,
    pub sites: BTreeSet<String>,
    pub roles: BTreeSet<String>,
    pub observed_secs: f64,
    pub fitness: Vec<f64>,
    /// The clinicians' SUS and raw TLX scores, one per session answered in full.
    pub sus: Vec<f64>,
    pub tlx: Vec<f64>,
    pub fitness_by_site: BTreeMap<String, (u64, f64)>,
    pub steps: BTreeMap<String, StepSample>,
    /// Sessions with a deviation of a kind at a step (`None`: anywhere in the session).
    pub deviation_sessions: BTreeMap<(Option<String>, DevKind), u64>,
    /// The report's own findings rules, run on this sample alone.
    pub report: ReportBuilder,
}

impl Sample {
    fn new() -> Sample {
        Sample {
            sessions: 0,
            sites: BTreeSet::new(),
            roles: BTreeSet::new(),
            observed_secs: 0.0,
            fitness: Vec::new(),
            sus: Vec::new(),
            tlx: Vec::new(),
            fitness_by_site: BTreeMap::new(),
            steps: BTreeMap::new(),
            deviation_sessions: BTreeMap::new(),
            report: ReportBuilder::new(&[]).expect("no group keys is valid"),
        }
    }

    fn add(&mut self, pathway: &Pathway, d: &SessionDigest) {
        self.sessions += 1;
        self.sites.insert(d.site.clone());
        self.roles.insert(d.role.clone());
        self.observed_secs += d.observed_secs;
        self.fitness.push(d.fitness);
        self.sus.extend(d.sus);
        self.tlx.extend(d.tlx);
        let site = self.fitness_by_site.entry(d.site.clone()).or_default();
        site.0 += 1;
        site.1 += d.fitness;
        for s in &d.steps {
            let sample = self.steps.entry(s.step.clone()).or_default();
            if sample.label.is_none() {
                sample.label = s.unplanned_label.clone();
            }
            sample.active_secs.push(s.active_secs);
            sample.clicks.push(f64::from(s.clicks));
            sample.reentries.push(f64::from(s.reentries));
            sample.over_time += u64::from(s.over_time);
            sample.over_clicks += u64::from(s.over_clicks);
            let kinds: BTreeSet<WorkaroundKind> = s.workarounds.iter().map(|(k, _)| *k).collect();
            for kind in kinds {
                sample.workarounds.add(kind, 1);
            }
            let kinds: BTreeSet<ProblemKind> = s.problems.iter().map(|(k, _)| *k).collect();
            for kind in kinds {
                sample.problems.add(kind, 1);
            }
        }
        let mut seen: BTreeSet<(Option<&str>, DevKind)> = BTreeSet::new();
        for (kind, step, _) in &d.deviations {
            seen.insert((Some(step.as_str()), *kind));
            seen.insert((None, *kind));
        }
        for (step, kind) in seen {
            *self
                .deviation_sessions
                .entry((step.map(str::to_string), kind))
                .or_default() += 1;
        }
        self.report.add(pathway, d);
    }

    pub fn mean_fitness(&self) -> f64 {
        if self.sessions == 0 {
            0.0
        } else {
            self.fitness.iter().sum::<f64>() / self.sessions as f64
        }
    }
}

/// A round of one pathway: the whole pathway and each group.
pub(crate) struct RoundSamples {
    pub name: String,
    pub all: Sample,
    pub groups: BTreeMap<Vec<String>, Sample>,
}

pub(crate) struct PathwaySamples {
    pub pathway: Pathway,
    /// By round order.
    pub rounds: BTreeMap<u64, RoundSamples>,
}

/// A round's samples, finished: the report's findings ranked, by id.
pub(crate) struct Finished {
    pub sample: Sample,
    pub findings: BTreeMap<String, Finding>,
}

impl Finished {
    /// A group with no session in a round.
    pub fn empty() -> Finished {
        Finished {
            sample: Sample::new(),
            findings: BTreeMap::new(),
        }
    }

    fn new(mut sample: Sample) -> Finished {
        let report = std::mem::replace(
            &mut sample.report,
            ReportBuilder::new(&[]).expect("no group keys is valid"),
        );
        let findings = report
            .finish(&Overrides::default())
            .findings
            .into_iter()
            .map(|f| (f.id.clone(), f))
            .collect();
        Finished { sample, findings }
    }
}

/// Folds digests into rounds. Feed it with [`RoundsBuilder::add`], then
/// [`RoundsBuilder::finish`].
pub struct RoundsBuilder {
    split: String,
    by: Vec<String>,
    pathways: BTreeMap<String, PathwaySamples>,
    rounds: BTreeMap<u64, RoundSummary>,
    skipped: Vec<Skipped>,
    after_finish: Vec<AfterFinish>,
}

impl RoundsBuilder {
    /// `split`: how the rounds were made (shown as is); `by`: the group keys, each one of the
    /// report's group keys (site, role, clinician, auditor).
    pub fn new(split: &str, by: &[String]) -> Result<RoundsBuilder, String> {
        let by: Vec<String> = by
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect();
        if let Some(key) = by.iter().find(|k| !GROUP_KEYS.contains(&k.as_str())) {
            return Err(format!(
                "cannot group by `{key}`: use any of {}",
                GROUP_KEYS.join(", ")
            ));
        }
        Ok(RoundsBuilder {
            split: split.to_string(),
            by,
            pathways: BTreeMap::new(),
            rounds: BTreeMap::new(),
            skipped: Vec::new(),
            after_finish: Vec::new(),
        })
    }

    /// Declares a round (so that a round with no readable session still shows).
    pub fn round(&mut self, order: u64, name: &str) {
        self.rounds.entry(order).or_insert_with(|| RoundSummary {
            name: name.to_string(),
            sessions: 0,
        });
    }

    /// Adds one digested session, compared against `pathway`, to the round `order` (rounds
    /// are shown in ascending order) named `name`.
    pub fn add(&mut self, order: u64, name: &str, pathway: &Pathway, d: &SessionDigest) {
        self.round(order, name);
        if let Some(r) = self.rounds.get_mut(&order) {
            r.sessions += 1;
        }
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
        let samples = self
            .pathways
            .entry(pathway.id.clone())
            .or_insert_with(|| PathwaySamples {
                pathway: pathway.clone(),
                rounds: BTreeMap::new(),
            });
        let round = samples.rounds.entry(order).or_insert_with(|| RoundSamples {
            name: name.to_string(),
            all: Sample::new(),
            groups: BTreeMap::new(),
        });
        round.all.add(pathway, d);
        if !self.by.is_empty() {
            round
                .groups
                .entry(key)
                .or_insert_with(Sample::new)
                .add(pathway, d);
        }
    }

    pub fn skip(&mut self, path: std::path::PathBuf, error: String) {
        self.skipped.push(Skipped { path, error });
    }

    /// A session read with events after its finish left out.
    pub fn after_finish(&mut self, after: AfterFinish) {
        self.after_finish.push(after);
    }

    /// Every pathway's rounds and comparisons.
    pub fn finish(self) -> Rounds {
        let by = self.by;
        let pathways: Vec<PathwayRounds> = self
            .pathways
            .into_values()
            .map(|samples| super::compare::pathway_rounds(&by, samples))
            .collect();
        Rounds {
            generated_by: format!("shadowmap {}", env!("CARGO_PKG_VERSION")),
            split: self.split,
            by,
            rounds: self.rounds.into_values().collect(),
            pathways,
            skipped: self.skipped,
            after_finish: self.after_finish,
            redacted: false,
        }
    }
}

impl RoundSamples {
    pub(crate) fn finish(self) -> (String, Finished, BTreeMap<Vec<String>, Finished>) {
        (
            self.name,
            Finished::new(self.all),
            self.groups
                .into_iter()
                .map(|(k, s)| (k, Finished::new(s)))
                .collect(),
        )
    }
}
