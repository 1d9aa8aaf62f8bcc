//! Audit rounds: did the change work? (docs/rounds.md)
//!
//! A round is a set of sessions: a folder, a pathway version, or the sessions between cut
//! dates ([`Split`]). Sessions are digested as the report digests them and folded per
//! pathway, round and group ([`RoundsBuilder`]); between consecutive rounds (and first to
//! last) every step's durations, counts and rates are compared with the statistics of
//! [`stats`], adjusted together by Benjamini-Hochberg and given a [`Verdict`]. Findings come
//! from the report's own rules run on each round, matched by their stable ids.

mod build;
mod compare;
mod load;
pub mod plan;
pub mod render;
mod split;
pub mod stats;

use serde::Serialize;

pub use build::RoundsBuilder;
pub use load::{RoundsOptions, build_rounds};
pub use split::Split;

/// Fewer units than this in a round: the verdict is `too_few`.
pub const MIN_UNITS: u64 = 5;
/// The level adjusted p-values are held to.
pub const ALPHA: f64 = 0.05;

/// Everything `shadowmap rounds` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rounds {
    pub generated_by: String,
    pub split: String,
    pub by: Vec<String>,
    pub rounds: Vec<RoundSummary>,
    pub pathways: Vec<PathwayRounds>,
    pub skipped: Vec<crate::report::aggregate::Skipped>,
    /// Masked by [`Rounds::redact`] (`--redact`).
    pub redacted: bool,
    /// Sessions read with events after their finish left out: warned about, not shown.
    #[serde(skip)]
    pub after_finish: Vec<crate::report::stream::AfterFinish>,
}

impl Rounds {
    /// Masks identifier-like strings with `mask` (the export redactor's) wherever the rounds
    /// carry text from a session, as `report --redact` does: sites and roles, the `--by`
    /// groups' values (clinicians and auditors among them), step ids and labels (an unplanned
    /// step's come from the auditor's typing) in the figures, the charts and the findings,
    /// and skipped files' paths and errors (and the paths warned about). Round names (a folder, a version, a date range),
    /// pathway ids, metrics, finding ids and every figure are kept (docs/privacy.md).
    pub fn redact(&mut self, mask: &dyn Fn(&str) -> String) {
        self.redacted = true;
        for skipped in &mut self.skipped {
            skipped.redact(mask);
        }
        for after in &mut self.after_finish {
            after.redact(mask);
        }
        for p in &mut self.pathways {
            for round in &mut p.rounds {
                for value in round.sites.iter_mut().chain(round.roles.iter_mut()) {
                    *value = mask(value);
                }
                for site in &mut round.by_site {
                    site.site = mask(&site.site);
                }
                for step in &mut round.steps {
                    step.step = mask(&step.step);
                    step.label = mask(&step.label);
                }
            }
            for c in &mut p.comparisons {
                for (_, value) in &mut c.group {
                    *value = mask(value);
                }
                for test in &mut c.tests {
                    if let Some(step) = &mut test.step {
                        *step = mask(step);
                    }
                }
                for f in &mut c.findings {
                    f.step = mask(&f.step);
                    f.title = mask(&f.title);
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundSummary {
    pub name: String,
    pub sessions: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayRounds {
    pub id: String,
    pub name: String,
    pub rounds: Vec<PathwayRound>,
    pub comparisons: Vec<Comparison>,
}

/// One round of one pathway.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayRound {
    pub name: String,
    pub sessions: u64,
    pub sites: Vec<String>,
    pub roles: Vec<String>,
    pub hours_observed: f64,
    pub mean_fitness: f64,
    pub by_site: Vec<SiteRound>,
    pub steps: Vec<StepRound>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteRound {
    pub site: String,
    pub sessions: u64,
    pub mean_fitness: f64,
}

/// A step's active time in one round: its median with a distribution-free 95 % interval
/// (order statistics, normal approximation to the binomial; `None` when too few).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepRound {
    pub step: String,
    pub label: String,
    pub n: u64,
    pub median_active_secs: Option<f64>,
    pub median_ci_low: Option<f64>,
    pub median_ci_high: Option<f64>,
}

/// Two rounds of one pathway, for the whole pathway (`group` empty) or one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub from: String,
    pub to: String,
    pub group: Vec<(String, String)>,
    pub tests: Vec<Test>,
    pub findings: Vec<FindingChange>,
}

impl Comparison {
    /// `site=north role=RN`, or `all` for the whole pathway.
    pub fn group_label(&self) -> String {
        if self.group.is_empty() {
            return "all".to_string();
        }
        self.group
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Test {
    /// `None` for a pathway-wide figure (fitness, a deviation anywhere).
    pub step: Option<String>,
    pub metric: String,
    pub before: Side,
    pub after: Side,
    /// The Hodges-Lehmann shift (after minus before), or the difference of rates.
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
    pub p_adjusted: Option<f64>,
    pub verdict: Verdict,
}

impl Test {
    /// A duration or count (higher is slower), not a rate.
    pub fn is_values(&self) -> bool {
        matches!(self.before, Side::Values { .. })
    }
}

/// One round's side of a test.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Side {
    Values { n: u64, median: Option<f64> },
    Rate { n: u64, k: u64, rate: Option<f64> },
}

impl Side {
    pub fn n(&self) -> u64 {
        match self {
            Side::Values { n, .. } | Side::Rate { n, .. } => *n,
        }
    }

    /// The median or the rate.
    pub fn value(&self) -> Option<f64> {
        match self {
            Side::Values { median, .. } => *median,
            Side::Rate { rate, .. } => *rate,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Improved,
    Worse,
    NoClearChange,
    TooFew,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Improved => "improved",
            Verdict::Worse => "worse",
            Verdict::NoClearChange => "no_clear_change",
            Verdict::TooFew => "too_few",
        }
    }

    /// Improved or worse.
    pub fn is_clear(self) -> bool {
        matches!(self, Verdict::Improved | Verdict::Worse)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingStatus {
    New,
    Persisting,
    Resolved,
}

impl FindingStatus {
    pub fn name(self) -> &'static str {
        match self {
            FindingStatus::New => "new",
            FindingStatus::Persisting => "persisting",
            FindingStatus::Resolved => "resolved",
        }
    }
}

/// A finding (by its stable id) across the two rounds of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingChange {
    pub id: String,
    pub step: String,
    pub kind: String,
    pub title: String,
    pub status: FindingStatus,
    /// The finding's time cost in every round of the pathway, in round order (0 when the
    /// round does not report it).
    pub time_cost_min: Vec<f64>,
}
