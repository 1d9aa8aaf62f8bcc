//! Findings and their suggested causes (docs/reference.md section 7).
//!
//! A finding is a pain point on one step of one pathway: a kind of trouble (the step is slow,
//! takes too many clicks, draws a workaround or a system problem, is missed, repeated, done
//! out of order, or is an unplanned step). Each gets a suggested cause from the first rule
//! below that fires, in this order, with a confidence that is a posterior probability of the
//! pattern the rule reads; docs/findings.md lists the same rules with the same thresholds.

use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF, StudentsT};
use std::fmt::Write as _;

use crate::model::{Cause, ProblemKind, Vocabulary, WorkaroundKind};

use super::digest::DevKind;
use super::overrides::Override;
use super::stats::fnv1a;

/// A finding is only reported when at least this many units (step occurrences, or sessions
/// for session-level kinds) show it.
pub const MIN_AFFECTED: u32 = 2;
/// Slow steps and click burdens: the share of the step's occurrences over tolerance needed,
/// unless the trouble is concentrated in a cell (a site, role, auditor or clinician) that does
/// not weigh this much ([`Rule::TrainingSmallCell`]).
pub const MIN_FRICTION_RATE: f64 = 0.20;
/// Missing steps: the share of sessions that left a mandatory step out.
pub const MIN_MISSING_RATE: f64 = 0.10;
/// A cell (site, role) counts in the "seen everywhere" check only with this many units.
pub const MIN_CELL_BASE: u32 = 2;
/// A unit shows the trouble at a *high* rate above this share ...
pub const HIGH_RATE: f64 = 0.40;
/// ... and does the step *as expected* below this one (the friction gate: a step where under a
/// fifth of the occurrences are over tolerance is not a problem step).
pub const AS_EXPECTED_RATE: f64 = 0.20;
/// A problem or workaround kind is a recurring one above this share of the step's units.
pub const MATERIAL_RATE: f64 = 0.10;
/// The prior of a cell's rate: a Beta distribution centred on the rate of the whole step,
/// worth this many units. It pulls small cells towards the step's rate, so a cell of one or
/// two units proves nothing, and the worst of many small cells does not look like a pattern.
pub const PRIOR_UNITS: f64 = 8.0;
/// A split at a coarser level (site, then role, then auditor, then clinician) is preferred
/// over a stronger one at a finer level when it is at most this much weaker: it says the same
/// with fewer, larger cells.
pub const SPLIT_MARGIN: f64 = 0.10;
/// See [`concentration`].
pub const PURITY_SHARE: f64 = 0.75;
/// A pattern (a split, "everywhere") is stated only with at least this confidence, the lower
/// bound of the `medium` label; so is a concentrated trouble under the step's gate.
pub const MIN_PATTERN_CONFIDENCE: f64 = 0.45;
/// Slow steps and click burdens: the cause is an infrastructure (or integration) one when more
/// than this share of the affected occurrences carry such a mark.
pub const CO_MARK_SHARE: f64 = 0.50;
/// Click burdens cost this many seconds per click over the expected clicks (a click with
/// its reading and pointing, as time-motion studies of EHR use measure it: 1.5 to 3 s).
pub const CLICK_SECS: f64 = 2.0;
/// An auditor effect is a difference in how a step was logged more than in how it was done:
/// its suggested cause (training, of the auditors) is a guess, so its confidence is halved.
pub const AUDITOR_DOUBT: f64 = 0.5;
/// More than one pathway version: "everywhere with the same configuration" is weaker.
pub const VERSIONS_DOUBT: f64 = 0.8;
/// A single site and a single role: "everywhere" compares nothing.
pub const ONE_CELL_DOUBT: f64 = 0.6;

/// The clinicians' SUS counts as evidence only with this many sessions answered in full.
pub const MIN_SUS_SESSIONS: u32 = 5;
/// How much a certainly low SUS can add to the design strength's shortfall (see
/// [`SusEvidence::support`]): it supports design, it never decides it.
pub const SUS_WEIGHT: f64 = 0.5;

/// The clinicians' own rating of the system over a pathway's sessions (System Usability Scale),
/// as evidence for design: low SUS with friction everywhere points at the system.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SusEvidence {
    /// Sessions whose clinician answered the SUS in full.
    pub sessions: u32,
    pub mean: f64,
    /// P(the clinicians' mean SUS is below the published EHR mean): Student's t with n - 1
    /// degrees of freedom at (EHR mean - mean) / (sd / sqrt(n)), the posterior of the mean
    /// under a flat prior (1 - the one-sided t-test's p). All scores equal: 1 below, 0 at or above.
    pub below_ehr_mean: f64,
}

impl SusEvidence {
    /// The evidence of `scores`; `None` under [`MIN_SUS_SESSIONS`].
    pub fn of(scores: &[f64]) -> Option<SusEvidence> {
        let reference = crate::model::questionnaire::EHR_SUS_MEAN;
        let n = scores.len();
        if (n as u32) < MIN_SUS_SESSIONS {
            return None;
        }
        let mean = scores.iter().sum::<f64>() / n as f64;
        let variance = scores.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let below_ehr_mean = if variance <= 0.0 {
            if mean < reference { 1.0 } else { 0.0 }
        } else {
            let t = (reference - mean) / (variance / n as f64).sqrt();
            StudentsT::new(0.0, 1.0, (n - 1) as f64).map_or(0.0, |d| d.cdf(t))
        };
        Some(SusEvidence {
            sessions: n as u32,
            mean,
            below_ehr_mean,
        })
    }

    /// The design strength `design` with this evidence: d + (1 - d) x d x [`SUS_WEIGHT`] x
    /// P(SUS below the EHR mean). It grows only where the friction is already seen everywhere
    /// (d is the friction's own design evidence), and a high SUS takes nothing away: the SUS
    /// rates the whole system, not the step.
    pub fn support(&self, design: f64) -> f64 {
        design + (1.0 - design) * design * SUS_WEIGHT * self.below_ehr_mean
    }

    fn describe(&self) -> String {
        let reference = crate::model::questionnaire::EHR_SUS_MEAN;
        format!(
            "the clinicians' SUS: mean {:.1} of {} sessions, below the published EHR mean {reference:.1} with probability {:.2}{}",
            self.mean,
            self.sessions,
            self.below_ehr_mean,
            if self.below_ehr_mean >= 0.5 {
                ", which supports design"
            } else {
                ", not low: no support for design"
            }
        )
    }
}

/// Integration: workarounds that move data between systems by hand, and missing data.
pub const INTEGRATION_WORKAROUNDS: [WorkaroundKind; 3] = [
    WorkaroundKind::SecondSystem,
    WorkaroundKind::CopyPaste,
    WorkaroundKind::DuplicateEntry,
];
pub const INTEGRATION_PROBLEMS: [ProblemKind; 1] = [ProblemKind::MissingData];
/// Infrastructure: the system or its hardware was slow, down or logged out.
pub const INFRASTRUCTURE_PROBLEMS: [ProblemKind; 4] = [
    ProblemKind::SlowResponse,
    ProblemKind::Downtime,
    ProblemKind::LoginTimeout,
    ProblemKind::Hardware,
];
/// Policy: workarounds that a rule (not the system) makes people take.
pub const POLICY_WORKAROUNDS: [WorkaroundKind; 1] = [WorkaroundKind::SharedLogin];

/// The cause a workaround kind points to: the built-in lists above, or the `cause:` the
/// site's pathway file gives one of its own kinds (none by default).
pub fn workaround_cause(kind: WorkaroundKind, site: &Vocabulary) -> Option<Cause> {
    if POLICY_WORKAROUNDS.contains(&kind) {
        Some(Cause::Policy)
    } else if INTEGRATION_WORKAROUNDS.contains(&kind) {
        Some(Cause::Integration)
    } else {
        site.cause(kind)
    }
}

/// The cause a problem kind points to: the built-in lists above, or the site's `cause:`.
pub fn problem_cause(kind: ProblemKind, site: &Vocabulary) -> Option<Cause> {
    if INTEGRATION_PROBLEMS.contains(&kind) {
        Some(Cause::Integration)
    } else if INFRASTRUCTURE_PROBLEMS.contains(&kind) {
        Some(Cause::Infrastructure)
    } else {
        site.cause(kind)
    }
}

/// What kind of pain point a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    /// Active time over the pathway's tolerance.
    SlowStep,
    /// Clicks over the pathway's tolerance.
    ClickBurden,
    Workaround(WorkaroundKind),
    Problem(ProblemKind),
    Missing,
    Unplanned,
    OutOfOrder,
    Repeated,
}

impl FindingKind {
    /// The stable code: part of the finding id, and a column of the CSV.
    pub fn code(self) -> String {
        match self {
            FindingKind::SlowStep => "slow_step".into(),
            FindingKind::ClickBurden => "click_burden".into(),
            FindingKind::Workaround(k) => format!("workaround:{}", k.name()),
            FindingKind::Problem(k) => format!("problem:{}", k.name()),
            FindingKind::Missing => "missing".into(),
            FindingKind::Unplanned => "unplanned".into(),
            FindingKind::OutOfOrder => "out_of_order".into(),
            FindingKind::Repeated => "repeated".into(),
        }
    }

    pub fn from_deviation(kind: DevKind) -> Option<FindingKind> {
        match kind {
            DevKind::Missing => Some(FindingKind::Missing),
            DevKind::Unplanned => Some(FindingKind::Unplanned),
            DevKind::OutOfOrder => Some(FindingKind::OutOfOrder),
            DevKind::Repeated => Some(FindingKind::Repeated),
            DevKind::OverTime | DevKind::OverClicks => None,
        }
    }

    /// Counted per session (a session shows it or not) rather than per step occurrence.
    pub fn per_session(self) -> bool {
        matches!(
            self,
            FindingKind::Missing
                | FindingKind::Unplanned
                | FindingKind::OutOfOrder
                | FindingKind::Repeated
        )
    }

    /// A sentence naming the trouble, for titles.
    pub fn describe(self, step: &str) -> String {
        match self {
            FindingKind::SlowStep => format!("`{step}` takes longer than expected"),
            FindingKind::ClickBurden => format!("`{step}` takes more clicks than expected"),
            FindingKind::Workaround(k) => {
                format!("workaround `{}` during `{step}`", k.name())
            }
            FindingKind::Problem(k) => format!("system problem `{}` during `{step}`", k.name()),
            FindingKind::Missing => format!("`{step}` is left out"),
            FindingKind::Unplanned => format!("unplanned step `{step}`"),
            FindingKind::OutOfOrder => format!("`{step}` is done out of order"),
            FindingKind::Repeated => format!("`{step}` is done again"),
        }
    }
}

/// The stable id of a finding: a hash of what it is about (pathway, step, kind), never of
/// the data, so the same pain point keeps its id from run to run and an override sticks.
pub fn finding_id(pathway: &str, step: &str, kind: FindingKind) -> String {
    let hash = fnv1a(&[pathway, step, &kind.code()]);
    format!("F-{:010x}", hash & 0xff_ffff_ffff)
}

impl FindingKind {
    /// Slow steps and click burdens: friction measured against the pathway's targets.
    pub fn is_friction(self) -> bool {
        matches!(self, FindingKind::SlowStep | FindingKind::ClickBurden)
    }

    /// What a unit that shows it did, for the evidence: "21 of 22 slow".
    fn shown(self) -> String {
        match self {
            FindingKind::SlowStep => "slow".into(),
            FindingKind::ClickBurden => "over the clicks".into(),
            FindingKind::Workaround(k) => format!("with workaround `{}`", k.name()),
            FindingKind::Problem(k) => format!("with problem `{}`", k.name()),
            FindingKind::Missing => "sessions left it out".into(),
            FindingKind::Unplanned => "sessions did it".into(),
            FindingKind::OutOfOrder => "sessions did it out of order".into(),
            FindingKind::Repeated => "sessions did it again".into(),
        }
    }
}

/// The rules, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    SharedLoginPolicy,
    /// A site's own workaround or problem kind, classed by the `cause:` of its entry.
    SiteKind,
    IntegrationKind,
    InfrastructureKind,
    CoInfrastructure,
    CoIntegration,
    PolicyStep,
    TrainingConcentrated,
    TrainingSmallCell,
    AuditorEffect,
    DesignEverywhere,
    FallbackWidespread,
    FallbackLimited,
}

impl Rule {
    pub const ALL: [Rule; 13] = [
        Rule::SharedLoginPolicy,
        Rule::SiteKind,
        Rule::IntegrationKind,
        Rule::InfrastructureKind,
        Rule::CoInfrastructure,
        Rule::CoIntegration,
        Rule::PolicyStep,
        Rule::TrainingConcentrated,
        Rule::TrainingSmallCell,
        Rule::AuditorEffect,
        Rule::DesignEverywhere,
        Rule::FallbackWidespread,
        Rule::FallbackLimited,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::SharedLoginPolicy => "shared_login_policy",
            Rule::SiteKind => "site_kind",
            Rule::IntegrationKind => "integration_kind",
            Rule::InfrastructureKind => "infrastructure_kind",
            Rule::CoInfrastructure => "co_infrastructure",
            Rule::CoIntegration => "co_integration",
            Rule::PolicyStep => "policy_step",
            Rule::TrainingConcentrated => "training_concentrated",
            Rule::TrainingSmallCell => "training_small_cell",
            Rule::AuditorEffect => "auditor_effect",
            Rule::DesignEverywhere => "design_everywhere",
            Rule::FallbackWidespread => "fallback_widespread",
            Rule::FallbackLimited => "fallback_limited",
        }
    }

    /// The cause the rule names. For `SiteKind` the cause is the entry's own `cause:`, which
    /// the decision carries ([`CauseDecision::cause`]); `Policy` here is only a placeholder.
    pub fn cause(self) -> Cause {
        match self {
            Rule::SharedLoginPolicy | Rule::PolicyStep | Rule::SiteKind => Cause::Policy,
            Rule::IntegrationKind | Rule::CoIntegration => Cause::Integration,
            Rule::InfrastructureKind | Rule::CoInfrastructure => Cause::Infrastructure,
            Rule::DesignEverywhere | Rule::FallbackWidespread => Cause::Design,
            Rule::TrainingConcentrated
            | Rule::TrainingSmallCell
            | Rule::AuditorEffect
            | Rule::FallbackLimited => Cause::Training,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a finding spreads over one site, role, auditor or clinician.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellShare {
    pub name: String,
    /// Units that show the finding.
    pub affected: u32,
    /// Units of the step (occurrences, or sessions) there.
    pub base: u32,
    pub rate: f64,
}

impl CellShare {
    pub fn new(name: impl Into<String>, affected: u32, base: u32) -> CellShare {
        let rate = if base == 0 {
            0.0
        } else {
            f64::from(affected) / f64::from(base)
        };
        CellShare {
            name: name.into(),
            affected,
            base,
            rate,
        }
    }
}

/// The levels a trouble can be concentrated at, coarsest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Site,
    Role,
    Auditor,
    Clinician,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Site, Level::Role, Level::Auditor, Level::Clinician];

    pub fn name(self) -> &'static str {
        match self {
            Level::Site => "site",
            Level::Role => "role",
            Level::Auditor => "auditor",
            Level::Clinician => "clinician",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Level::Site => "sites",
            Level::Role => "roles",
            Level::Auditor => "auditors",
            Level::Clinician => "clinicians",
        }
    }
}

/// What the rules look at: a candidate finding summarised over all sessions of a pathway.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub kind: FindingKind,
    /// The rule that forces the step, if the pathway names one.
    pub policy: Option<String>,
    pub sites: Vec<CellShare>,
    pub roles: Vec<CellShare>,
    pub auditors: Vec<CellShare>,
    pub clinicians: Vec<CellShare>,
    /// Units that show it, and units of the step in all.
    pub affected: u32,
    pub base: u32,
    /// Affected occurrences that carry an infrastructure problem / an integration mark.
    pub co_infrastructure: u32,
    pub co_integration: u32,
    /// Pathway versions among the sessions (design needs one configuration).
    pub versions: usize,
    /// The cause the pathway file gives the finding's kind when it is one of the site's own
    /// (its entry's `cause:`); None for built-in kinds and site kinds without one.
    pub site_cause: Option<Cause>,
    /// The clinicians' SUS over the pathway's sessions, when enough answered.
    pub sus: Option<SusEvidence>,
}

impl Spread {
    pub fn cells(&self, level: Level) -> &[CellShare] {
        match level {
            Level::Site => &self.sites,
            Level::Role => &self.roles,
            Level::Auditor => &self.auditors,
            Level::Clinician => &self.clinicians,
        }
    }

    /// The share of the step's units that show it.
    pub fn rate(&self) -> f64 {
        if self.base == 0 {
            0.0
        } else {
            f64::from(self.affected) / f64::from(self.base)
        }
    }

    fn gate_rate(&self) -> f64 {
        match self.kind {
            FindingKind::SlowStep | FindingKind::ClickBurden => MIN_FRICTION_RATE,
            FindingKind::Missing => MIN_MISSING_RATE,
            _ => 0.0,
        }
    }
}

/// The cause the rules decide for a finding: the rule that fired, why (with the level and the
/// split the pattern was found at), and how strongly the evidence supports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseDecision {
    pub cause: Cause,
    pub rule: Rule,
    pub because: String,
    /// 0 to 1: a posterior probability (see [`suggest_cause`]), never the rule alone.
    pub confidence: f64,
}

impl CauseDecision {
    fn new(rule: Rule, because: String, confidence: f64) -> CauseDecision {
        CauseDecision {
            cause: rule.cause(),
            rule,
            because,
            confidence: super::stats::round(confidence.clamp(0.0, 1.0), 2),
        }
    }
}

pub fn confidence_label(confidence: f64) -> &'static str {
    if confidence >= 0.7 {
        "high"
    } else if confidence >= MIN_PATTERN_CONFIDENCE {
        "medium"
    } else {
        "low"
    }
}

/// P(rate > `threshold`) for `affected` of `base` units under a Beta(`a`, `b`) prior.
fn posterior_above(a: f64, b: f64, affected: u32, base: u32, threshold: f64) -> f64 {
    let alpha = a + f64::from(affected);
    let beta = b + f64::from(base.saturating_sub(affected));
    match Beta::new(alpha, beta) {
        Ok(d) => 1.0 - d.cdf(threshold),
        Err(_) => 0.0,
    }
}

/// The prior of a cell's rate: centred on `rate`, worth [`PRIOR_UNITS`] units.
fn cell_prior(rate: f64) -> (f64, f64) {
    let r = rate.clamp(0.02, 0.98);
    (PRIOR_UNITS * r, PRIOR_UNITS * (1.0 - r))
}

/// P(rate > `threshold`) for the whole step, under Jeffreys' prior Beta(1/2, 1/2).
fn step_above(affected: u32, base: u32, threshold: f64) -> f64 {
    posterior_above(0.5, 0.5, affected, base, threshold)
}

/// The best split of one level's cells into a group that shows the trouble and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    pub level: Level,
    /// The cells that show it, highest rate first, and the others.
    pub high: Vec<CellShare>,
    pub rest: Vec<CellShare>,
    /// P(the high group's rate > [`HIGH_RATE`]) × P(the rest's rate < [`AS_EXPECTED_RATE`]),
    /// each under the cell prior centred on the step's rate.
    pub strength: f64,
}

impl Split {
    fn totals(cells: &[CellShare]) -> (u32, u32) {
        cells
            .iter()
            .fold((0, 0), |(a, n), c| (a + c.affected, n + c.base))
    }

    fn high_rate(&self) -> f64 {
        let (a, n) = Split::totals(&self.high);
        if n == 0 {
            0.0
        } else {
            f64::from(a) / f64::from(n)
        }
    }

    /// The units of the high group, and their share of the step's units.
    fn weight(&self) -> (u32, f64) {
        let (_, high) = Split::totals(&self.high);
        let (_, rest) = Split::totals(&self.rest);
        let all = high + rest;
        (
            high,
            if all == 0 {
                0.0
            } else {
                f64::from(high) / f64::from(all)
            },
        )
    }

    /// "RN-07, RN-12, RN-31: 21 of 22 slow; the other 14 clinicians: 0 of 97".
    pub fn describe(&self, kind: FindingKind) -> String {
        const LISTED: usize = 6;
        let mut names: Vec<&str> = self.high.iter().map(|c| c.name.as_str()).collect();
        let more = names.len().saturating_sub(LISTED);
        names.truncate(LISTED);
        let mut who = names.join(", ");
        if more > 0 {
            let _ = write!(who, " and {more} more");
        }
        let (ha, hn) = Split::totals(&self.high);
        let (ra, rn) = Split::totals(&self.rest);
        let level = if self.rest.len() == 1 {
            self.level.name()
        } else {
            self.level.plural()
        };
        let other = if self.rest.len() == 1 {
            format!("the other {level} ({})", self.rest[0].name)
        } else {
            format!("the other {} {level}", self.rest.len())
        };
        format!(
            "{who}: {ha} of {hn} {}; {other}: {ra} of {rn}",
            kind.shown()
        )
    }
}

/// Tries every split of `cells` (sorted by their posterior mean rate, highest first, so that
/// one slow occurrence of one does not rank above seven of eight) into a high group and the
/// rest, and keeps the strongest. `None` with fewer than two cells.
pub fn best_split(level: Level, cells: &[CellShare]) -> Option<Split> {
    let mut sorted: Vec<CellShare> = cells.iter().filter(|c| c.base > 0).cloned().collect();
    if sorted.len() < 2 {
        return None;
    }
    let (affected, base) = Split::totals(&sorted);
    let (a, b) = cell_prior(f64::from(affected) / f64::from(base));
    let mean = |c: &CellShare| (a + f64::from(c.affected)) / (a + b + f64::from(c.base));
    sorted.sort_by(|x, y| {
        mean(y)
            .total_cmp(&mean(x))
            .then(y.affected.cmp(&x.affected))
            .then(x.name.cmp(&y.name))
    });
    // Running totals of the high group: one pass, however many cells.
    let mut high = (0, 0);
    let strengths: Vec<(usize, f64)> = (1..sorted.len())
        .filter_map(|k| {
            high = (high.0 + sorted[k - 1].affected, high.1 + sorted[k - 1].base);
            let (ha, hn) = high;
            let (ra, rn) = (affected - ha, base - hn);
            (ha >= MIN_AFFECTED).then(|| {
                let strength = posterior_above(a, b, ha, hn, HIGH_RATE)
                    * (1.0 - posterior_above(a, b, ra, rn, AS_EXPECTED_RATE));
                (k, strength)
            })
        })
        .collect();
    // Ties keep the smaller high group: the fewest cells that explain it.
    let best = strengths
        .into_iter()
        .fold(None, |best: Option<(usize, f64)>, (k, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((k, s)),
        });
    let (k, strength) = best?;
    let rest = sorted.split_off(k);
    Some(Split {
        level,
        high: sorted,
        rest,
        strength,
    })
}

/// The split the rules use: among the levels whose best split is within [`SPLIT_MARGIN`] of the
/// strongest, the coarsest whose high group is about as pure (its rate at least
/// [`PURITY_SHARE`] of the purest): a site where most clinicians are slow is named as the site;
/// a role where a few clinicians are slow is not.
pub fn concentration(spread: &Spread) -> Option<Split> {
    let splits: Vec<Split> = Level::ALL
        .iter()
        .filter_map(|level| best_split(*level, spread.cells(*level)))
        .collect();
    let strongest = splits.iter().map(|s| s.strength).fold(0.0, f64::max);
    let close: Vec<Split> = splits
        .into_iter()
        .filter(|s| s.strength >= strongest - SPLIT_MARGIN)
        .collect();
    let purest = close.iter().map(Split::high_rate).fold(0.0, f64::max);
    close
        .into_iter()
        .find(|s| s.high_rate() >= purest * PURITY_SHARE)
}

fn cell_rates(cells: &[&CellShare]) -> String {
    cells
        .iter()
        .map(|c| format!("{} {} of {}", c.name, c.affected, c.base))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a finding with this spread and decision is reported: enough units, and either a
/// rate over the kind's gate or a concentrated trouble in a small cell.
pub fn reported(spread: &Spread, decision: &CauseDecision) -> bool {
    spread.affected >= MIN_AFFECTED
        && (spread.rate() >= spread.gate_rate()
            || (decision.rule == Rule::TrainingSmallCell
                && decision.confidence >= MIN_PATTERN_CONFIDENCE))
}

/// Tries the rules in order; the first that fires gives the suggested cause.
///
/// Confidence is a posterior probability under Beta priors (docs/findings.md): that the trouble
/// is a real, recurring one on the step (its rate above [`AS_EXPECTED_RATE`], or
/// [`MATERIAL_RATE`] for a problem or workaround kind), times that the pattern the rule reads is
/// there (the split of a level into units that show it and units that do the step as expected;
/// more than half of the affected occurrences marked; no such split for "everywhere").
pub fn suggest_cause(spread: &Spread) -> CauseDecision {
    let split = concentration(spread);
    let split_strength = split.as_ref().map_or(0.0, |s| s.strength);
    // The trouble is real: the step's rate over `threshold`, or a clear concentration.
    let real =
        |threshold: f64| step_above(spread.affected, spread.base, threshold).max(split_strength);
    if let Some(decision) = by_kind(spread, real(MATERIAL_RATE)) {
        return decision;
    }
    // Marks before the policy flag: a forced step slowed by the system is a system problem.
    if let Some(decision) = by_marks(spread, real(AS_EXPECTED_RATE)) {
        return decision;
    }
    if let Some(policy) = &spread.policy {
        return by_policy(spread, policy, split.as_ref());
    }
    let design = design_strength(spread, split_strength);
    match split {
        Some(s) if s.strength >= design => by_concentration(spread, &s),
        _ => by_spread(spread, split.as_ref(), design),
    }
}

/// Rules 1-3: the kind of workaround or problem names the cause.
fn by_kind(spread: &Spread, real: f64) -> Option<CauseDecision> {
    let counts = format!("{} of {} units", spread.affected, spread.base);
    let (rule, because) = match spread.kind {
        FindingKind::Workaround(k) if POLICY_WORKAROUNDS.contains(&k) => (
            Rule::SharedLoginPolicy,
            format!(
                "workaround `{}` is taken because a rule or practice asks for it, not because the system fails; {counts}",
                k.name()
            ),
        ),
        FindingKind::Workaround(k) if INTEGRATION_WORKAROUNDS.contains(&k) => (
            Rule::IntegrationKind,
            format!(
                "workaround `{}` moves data between systems by hand; {counts}",
                k.name()
            ),
        ),
        FindingKind::Problem(k) if INTEGRATION_PROBLEMS.contains(&k) => (
            Rule::IntegrationKind,
            format!(
                "problem `{}`: data that another system holds did not arrive; {counts}",
                k.name()
            ),
        ),
        FindingKind::Problem(k) if INFRASTRUCTURE_PROBLEMS.contains(&k) => (
            Rule::InfrastructureKind,
            format!(
                "problem `{}` comes from the network, servers or hardware; {counts}",
                k.name()
            ),
        ),
        FindingKind::Workaround(_) | FindingKind::Problem(_) => {
            let cause = spread.site_cause?;
            let what = match spread.kind {
                FindingKind::Workaround(k) => format!("workaround `{}`", k.name()),
                FindingKind::Problem(k) => format!("problem `{}`", k.name()),
                _ => unreachable!("matched above"),
            };
            let because = format!(
                "the site's pathway file classes {what} as {}; {counts}",
                cause.name()
            );
            let mut decision = CauseDecision::new(Rule::SiteKind, because, real);
            decision.cause = cause;
            return Some(decision);
        }
        _ => return None,
    };
    Some(CauseDecision::new(rule, because, real))
}

/// Rules 4-5: most slow (or click-heavy) occurrences carry an infrastructure or integration mark.
fn by_marks(spread: &Spread, real: f64) -> Option<CauseDecision> {
    if !spread.kind.is_friction() || spread.affected == 0 {
        return None;
    }
    let marked = |n: u32| {
        (
            f64::from(n) / f64::from(spread.affected),
            posterior_above(0.5, 0.5, n, spread.affected, CO_MARK_SHARE),
        )
    };
    let (infra_share, infra_sure) = marked(spread.co_infrastructure);
    let (integration_share, integration_sure) = marked(spread.co_integration);
    let what = if spread.kind == FindingKind::SlowStep {
        "slow"
    } else {
        "click-heavy"
    };
    let (rule, count, share, sure, mark) =
        if infra_share > CO_MARK_SHARE && infra_share >= integration_share {
            (
                Rule::CoInfrastructure,
                spread.co_infrastructure,
                infra_share,
                infra_sure,
                "an infrastructure problem",
            )
        } else if integration_share > CO_MARK_SHARE {
            (
                Rule::CoIntegration,
                spread.co_integration,
                integration_share,
                integration_sure,
                "an integration workaround or missing data",
            )
        } else {
            return None;
        };
    Some(CauseDecision::new(
        rule,
        format!(
            "{count} of the {} {what} occurrences ({:.0}%) logged {mark}",
            spread.affected,
            share * 100.0
        ),
        real * sure,
    ))
}

/// Rule 6: a step a rule forces; a clear split lowers the confidence and is named.
fn by_policy(spread: &Spread, policy: &str, split: Option<&Split>) -> CauseDecision {
    let trouble = step_above(spread.affected, spread.base, AS_EXPECTED_RATE);
    let split_strength = split.map_or(0.0, |s| s.strength);
    let mut because = format!("the step is forced by a rule: {policy}");
    if let Some(s) = split.filter(|s| s.strength >= MIN_PATTERN_CONFIDENCE) {
        let _ = write!(
            because,
            "; but it is concentrated by {}: {}, which points to training",
            s.level.name(),
            s.describe(spread.kind)
        );
    }
    CauseDecision::new(Rule::PolicyStep, because, trouble * (1.0 - split_strength))
}

/// Rule 7: concentrated at a level (an auditor effect when the level is the auditor); under
/// [`MIN_PATTERN_CONFIDENCE`] no clear pattern.
fn by_concentration(spread: &Spread, s: &Split) -> CauseDecision {
    let split = format!("{}: {}", s.level.name(), s.describe(spread.kind));
    if s.strength < MIN_PATTERN_CONFIDENCE {
        return CauseDecision::new(
            Rule::FallbackLimited,
            format!("no clear pattern; the strongest split, by {split}"),
            s.strength,
        );
    }
    if s.level == Level::Auditor {
        return CauseDecision::new(
            Rule::AuditorEffect,
            format!(
                "an auditor effect, concentrated by {split}; check how the step was logged before acting on the clinicians"
            ),
            s.strength * AUDITOR_DOUBT,
        );
    }
    if spread.rate() >= spread.gate_rate() {
        return CauseDecision::new(
            Rule::TrainingConcentrated,
            format!("concentrated by {split}"),
            s.strength,
        );
    }
    let (units, weight) = s.weight();
    let cell = s
        .high
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let size = if weight < spread.gate_rate() {
        "a small cell"
    } else {
        "a cell the step's rate hides"
    };
    CauseDecision::new(
        Rule::TrainingSmallCell,
        format!(
            "{size}: {cell} holds {units} of the step's {} units ({:.0}%), the step as a whole shows it in {} ({:.0}%); concentrated by {split}",
            spread.base,
            weight * 100.0,
            spread.affected,
            spread.rate() * 100.0,
        ),
        s.strength,
    )
}

/// Rules 8-9: seen everywhere (design), or no clear pattern; the clinicians' SUS, when enough
/// answered, supports design ([`SusEvidence::support`]) after concentration was ruled out.
fn by_spread(spread: &Spread, split: Option<&Split>, design: f64) -> CauseDecision {
    let sites = considered(&spread.sites);
    let roles = considered(&spread.roles);
    let mut because = format!(
        "seen at every site ({}) and every role ({}): {} of {} {} overall",
        cell_rates(&sites),
        cell_rates(&roles),
        spread.affected,
        spread.base,
        spread.kind.shown()
    );
    match split {
        Some(s) => {
            let _ = write!(
                because,
                "; no level splits into units that show it and units that do not (the strongest, by {}: {})",
                s.level.name(),
                s.describe(spread.kind)
            );
        }
        None => because.push_str("; no level has two units to compare"),
    }
    if sites.len() < 2 && roles.len() < 2 {
        because.push_str("; only one site and one role had enough to compare");
    }
    if spread.versions > 1 {
        let _ = write!(
            because,
            "; the sessions span {} pathway versions",
            spread.versions
        );
    } else {
        because.push_str(", with the same configuration");
    }
    let design = match &spread.sus {
        Some(sus) => {
            let _ = write!(because, "; {}", sus.describe());
            sus.support(design)
        }
        None => design,
    };
    if design >= MIN_PATTERN_CONFIDENCE {
        return CauseDecision::new(Rule::DesignEverywhere, because, design);
    }
    let rule = if spread.rate() >= HIGH_RATE {
        Rule::FallbackWidespread
    } else {
        Rule::FallbackLimited
    };
    CauseDecision::new(rule, format!("no clear pattern; {because}"), design)
}

fn considered(cells: &[CellShare]) -> Vec<&CellShare> {
    cells.iter().filter(|c| c.base >= MIN_CELL_BASE).collect()
}

/// P(the step's rate > [`HIGH_RATE`]) × P(the least affected site and role still above
/// [`AS_EXPECTED_RATE`]) × P(no level splits off units that do it as expected), with the
/// doubts of one site and role, and of several configurations.
fn design_strength(spread: &Spread, split_strength: f64) -> f64 {
    let (a, b) = cell_prior(spread.rate());
    let worst = |cells: &[CellShare]| {
        considered(cells)
            .iter()
            .map(|c| posterior_above(a, b, c.affected, c.base, AS_EXPECTED_RATE))
            .fold(1.0, f64::min)
    };
    let mut strength = step_above(spread.affected, spread.base, HIGH_RATE)
        * worst(&spread.sites)
        * worst(&spread.roles)
        * (1.0 - split_strength);
    if considered(&spread.sites).len() < 2 && considered(&spread.roles).len() < 2 {
        strength *= ONE_CELL_DOUBT;
    }
    if spread.versions > 1 {
        strength *= VERSIONS_DOUBT;
    }
    strength
}

/// `slow_step` and `click_burden` on one step get one cause: when they differ, the finding with
/// the weaker evidence takes the other's cause and says so, unless both are confident on their
/// own (then each says why they differ).
pub fn agree_on_friction(slow: &mut CauseDecision, clicks: &mut CauseDecision) {
    if slow.cause == clicks.cause {
        return;
    }
    let high = |d: &CauseDecision| confidence_label(d.confidence) == "high";
    if high(slow) && high(clicks) {
        let (slow_cause, clicks_cause) = (slow.cause, clicks.cause);
        let _ = write!(
            slow.because,
            "; the click burden on this step points to {clicks_cause} instead: the time and the clicks follow different patterns"
        );
        let _ = write!(
            clicks.because,
            "; the time on this step points to {slow_cause} instead: the time and the clicks follow different patterns"
        );
        return;
    }
    let (strong, weak, strong_kind) = if slow.confidence >= clicks.confidence {
        (slow, clicks, "slow_step")
    } else {
        (clicks, slow, "click_burden")
    };
    weak.because = format!(
        "as the `{strong_kind}` finding on this step, whose evidence is stronger: {}; on its own this one read {} ({})",
        strong.because, weak.cause, weak.because
    );
    weak.cause = strong.cause;
    weak.rule = strong.rule;
    weak.confidence = strong.confidence;
}

/// A finding (docs/reference.md section 7).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: String,
    pub rank: usize,
    pub pathway: String,
    pub step: String,
    pub step_label: String,
    pub kind: String,
    pub title: String,
    /// Excess minutes per occurrence times occurrences.
    pub time_cost_min: f64,
    pub excess_min_per_occurrence: f64,
    /// Units that show it: step occurrences, or sessions for session-level kinds.
    pub occurrences: u32,
    pub unit: &'static str,
    /// Units of the step in all (occurrences of the step, or sessions of the pathway).
    pub base: u32,
    pub rate: f64,
    pub suggested_cause: Cause,
    pub rule: Rule,
    pub because: String,
    pub confidence: f64,
    pub confidence_label: &'static str,
    /// The cause in force: the override's if there is one, else the suggested one.
    pub cause: Cause,
    pub overridden: Option<Override>,
    pub evidence: Evidence,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Sessions that show it (exact), and the first few ids.
    pub sessions: u32,
    pub session_ids: Vec<String>,
    pub sites: Vec<CellShare>,
    pub roles: Vec<CellShare>,
    pub clinicians: Vec<CellShare>,
    pub pathway_versions: Vec<u32>,
    pub expected_secs: Option<u32>,
    pub median_active_secs: Option<f64>,
    pub p90_active_secs: Option<f64>,
    pub expected_clicks: Option<u32>,
    pub median_clicks: Option<f64>,
    /// Example notes logged with it (empty when redacted).
    pub notes: Vec<String>,
}

#[cfg(test)]
mod tests;
