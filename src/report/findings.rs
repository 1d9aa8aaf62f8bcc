//! Findings and their suggested causes (domain.md section 7).
//!
//! A finding is a pain point on one step of one pathway: a kind of trouble (the step is slow,
//! takes too many clicks, draws a workaround or a system problem, is missed, repeated, done
//! out of order, or is an unplanned step). Each gets a suggested cause from the first rule
//! below that fires, in this order; the README lists the same rules with the same thresholds.

use serde::Serialize;

use crate::model::{Cause, ProblemKind, WorkaroundKind};

use super::digest::DevKind;
use super::stats::fnv1a;

/// A finding is only reported when at least this many units (step occurrences, or sessions
/// for session-level kinds) show it.
pub const MIN_AFFECTED: u32 = 2;
/// Slow steps and click burdens: the share of the step's occurrences over tolerance needed.
pub const MIN_FRICTION_RATE: f64 = 0.20;
/// Missing steps: the share of sessions that left a mandatory step out.
pub const MIN_MISSING_RATE: f64 = 0.10;
/// A site, role or clinician takes part in the spread rules only with this many units.
pub const MIN_CELL_BASE: u32 = 2;
/// Design: every site and every role shows the problem in at least this share of units.
pub const DESIGN_MIN_CELL_RATE: f64 = 0.40;
/// Training: a site, role or clinician shows the problem in at least this share of units ...
pub const TRAINING_HIGH_RATE: f64 = 0.40;
/// ... while another of the same kind does the step as expected (at most this share).
pub const TRAINING_LOW_RATE: f64 = 0.10;
/// Slow steps and click burdens: when at least this share of the affected occurrences
/// carry an infrastructure (or integration) mark (more than half), the cause is that.
pub const CO_MARK_SHARE: f64 = 0.50;
/// Click burdens cost this many seconds per click over the expected clicks (a click with
/// its reading and pointing, as time-motion studies of EHR use measure it: 1.5 to 3 s).
pub const CLICK_SECS: f64 = 2.0;
/// Confidence grows with the number of sessions behind a finding up to this many.
pub const CONFIDENT_SESSIONS: u32 = 10;

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

/// The rules, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    SharedLoginPolicy,
    IntegrationKind,
    InfrastructureKind,
    PolicyStep,
    CoInfrastructure,
    CoIntegration,
    DesignEverywhere,
    TrainingConcentrated,
    FallbackWidespread,
    FallbackLimited,
}

impl Rule {
    pub const ALL: [Rule; 10] = [
        Rule::SharedLoginPolicy,
        Rule::IntegrationKind,
        Rule::InfrastructureKind,
        Rule::PolicyStep,
        Rule::CoInfrastructure,
        Rule::CoIntegration,
        Rule::DesignEverywhere,
        Rule::TrainingConcentrated,
        Rule::FallbackWidespread,
        Rule::FallbackLimited,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Rule::SharedLoginPolicy => "shared_login_policy",
            Rule::IntegrationKind => "integration_kind",
            Rule::InfrastructureKind => "infrastructure_kind",
            Rule::PolicyStep => "policy_step",
            Rule::CoInfrastructure => "co_infrastructure",
            Rule::CoIntegration => "co_integration",
            Rule::DesignEverywhere => "design_everywhere",
            Rule::TrainingConcentrated => "training_concentrated",
            Rule::FallbackWidespread => "fallback_widespread",
            Rule::FallbackLimited => "fallback_limited",
        }
    }

    pub fn cause(self) -> Cause {
        match self {
            Rule::SharedLoginPolicy | Rule::PolicyStep => Cause::Policy,
            Rule::IntegrationKind | Rule::CoIntegration => Cause::Integration,
            Rule::InfrastructureKind | Rule::CoInfrastructure => Cause::Infrastructure,
            Rule::DesignEverywhere | Rule::FallbackWidespread => Cause::Design,
            Rule::TrainingConcentrated | Rule::FallbackLimited => Cause::Training,
        }
    }

    /// How much the rule alone says, before the number of sessions is counted.
    pub fn base_confidence(self) -> f64 {
        match self {
            Rule::SharedLoginPolicy | Rule::IntegrationKind | Rule::InfrastructureKind => 0.9,
            Rule::DesignEverywhere => 0.85,
            Rule::PolicyStep | Rule::TrainingConcentrated => 0.8,
            Rule::CoInfrastructure | Rule::CoIntegration => 0.75,
            Rule::FallbackWidespread | Rule::FallbackLimited => 0.4,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a finding spreads over one site, role or clinician.
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

/// What the rules look at: a candidate finding summarised over all sessions of a pathway.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub kind: FindingKind,
    /// The rule that forces the step, if the pathway names one.
    pub policy: Option<String>,
    pub sites: Vec<CellShare>,
    pub roles: Vec<CellShare>,
    pub clinicians: Vec<CellShare>,
    /// Affected occurrences that carry an infrastructure problem / an integration mark.
    pub affected: u32,
    pub co_infrastructure: u32,
    pub co_integration: u32,
    /// Pathway versions among the sessions (design needs one configuration).
    pub versions: usize,
    /// Sessions that show the finding.
    pub sessions: u32,
}

/// A suggested cause with the rule that fired, why, and how sure it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub cause: Cause,
    pub rule: Rule,
    pub because: String,
    /// 0 to 1.
    pub confidence: f64,
}

pub fn confidence_label(confidence: f64) -> &'static str {
    if confidence >= 0.7 {
        "high"
    } else if confidence >= 0.45 {
        "medium"
    } else {
        "low"
    }
}

fn considered(cells: &[CellShare]) -> Vec<&CellShare> {
    cells.iter().filter(|c| c.base >= MIN_CELL_BASE).collect()
}

fn names(cells: &[&CellShare]) -> String {
    cells
        .iter()
        .map(|c| format!("{} {:.0}% of {}", c.name, c.rate * 100.0, c.base))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Tries the rules in order; the first that fires gives the suggested cause.
pub fn suggest_cause(spread: &Spread) -> Suggestion {
    let (rule, because, factor) = fire(spread);
    let sample = (f64::from(spread.sessions.min(CONFIDENT_SESSIONS))
        / f64::from(CONFIDENT_SESSIONS))
    .clamp(0.0, 1.0);
    let confidence = rule.base_confidence() * factor * (0.5 + 0.5 * sample);
    Suggestion {
        cause: rule.cause(),
        rule,
        because,
        confidence: super::stats::round(confidence, 2),
    }
}

fn fire(spread: &Spread) -> (Rule, String, f64) {
    match spread.kind {
        FindingKind::Workaround(k) if POLICY_WORKAROUNDS.contains(&k) => {
            return (
                Rule::SharedLoginPolicy,
                format!(
                    "workaround `{}` is taken because a rule or practice asks for it, not because the system fails",
                    k.name()
                ),
                1.0,
            );
        }
        FindingKind::Workaround(k) if INTEGRATION_WORKAROUNDS.contains(&k) => {
            return (
                Rule::IntegrationKind,
                format!(
                    "workaround `{}` moves data between systems by hand",
                    k.name()
                ),
                1.0,
            );
        }
        FindingKind::Problem(k) if INTEGRATION_PROBLEMS.contains(&k) => {
            return (
                Rule::IntegrationKind,
                format!(
                    "problem `{}`: data that another system holds did not arrive",
                    k.name()
                ),
                1.0,
            );
        }
        FindingKind::Problem(k) if INFRASTRUCTURE_PROBLEMS.contains(&k) => {
            return (
                Rule::InfrastructureKind,
                format!(
                    "problem `{}` comes from the network, servers or hardware",
                    k.name()
                ),
                1.0,
            );
        }
        _ => {}
    }
    if let Some(policy) = &spread.policy {
        return (
            Rule::PolicyStep,
            format!("the step is forced by a rule: {policy}"),
            1.0,
        );
    }
    if matches!(
        spread.kind,
        FindingKind::SlowStep | FindingKind::ClickBurden
    ) && spread.affected > 0
    {
        let share = |n: u32| f64::from(n) / f64::from(spread.affected);
        if share(spread.co_infrastructure) > CO_MARK_SHARE {
            return (
                Rule::CoInfrastructure,
                format!(
                    "{:.0}% of the slow occurrences logged an infrastructure problem",
                    share(spread.co_infrastructure) * 100.0
                ),
                1.0,
            );
        }
        if share(spread.co_integration) > CO_MARK_SHARE {
            return (
                Rule::CoIntegration,
                format!(
                    "{:.0}% of the slow occurrences logged an integration workaround or missing data",
                    share(spread.co_integration) * 100.0
                ),
                1.0,
            );
        }
    }
    let sites = considered(&spread.sites);
    let roles = considered(&spread.roles);
    let everywhere = |cells: &[&CellShare]| {
        !cells.is_empty() && cells.iter().all(|c| c.rate >= DESIGN_MIN_CELL_RATE)
    };
    if everywhere(&sites) && everywhere(&roles) {
        let mut factor = 1.0;
        let mut because = format!(
            "seen at every site ({}) and every role ({}) with at least {MIN_CELL_BASE} to compare",
            names(&sites),
            names(&roles)
        );
        if sites.len() < 2 && roles.len() < 2 {
            factor *= 0.6;
            because.push_str("; only one site and one role had enough to compare");
        }
        if spread.versions > 1 {
            factor *= 0.8;
            because.push_str(&format!(
                "; the sessions span {} pathway versions",
                spread.versions
            ));
        } else {
            because.push_str(", with the same configuration");
        }
        return (Rule::DesignEverywhere, because, factor);
    }
    for (dimension, cells) in [
        ("site", sites.clone()),
        ("role", roles.clone()),
        ("clinician", considered(&spread.clinicians)),
    ] {
        let high: Vec<&CellShare> = cells
            .iter()
            .copied()
            .filter(|c| c.rate >= TRAINING_HIGH_RATE)
            .collect();
        let low: Vec<&CellShare> = cells
            .iter()
            .copied()
            .filter(|c| c.rate <= TRAINING_LOW_RATE)
            .collect();
        if !high.is_empty() && !low.is_empty() {
            return (
                Rule::TrainingConcentrated,
                format!(
                    "concentrated by {dimension}: {} while {} do the step as expected",
                    names(&high),
                    names(&low)
                ),
                1.0,
            );
        }
    }
    let all: Vec<&CellShare> = sites.iter().chain(roles.iter()).copied().collect();
    let affected = all
        .iter()
        .filter(|c| c.rate >= DESIGN_MIN_CELL_RATE)
        .count();
    if !all.is_empty() && affected * 2 >= all.len() {
        (
            Rule::FallbackWidespread,
            format!(
                "no clear pattern; {affected} of the {} sites and roles with at least {MIN_CELL_BASE} to compare show it in {:.0}% or more",
                all.len(),
                DESIGN_MIN_CELL_RATE * 100.0
            ),
            1.0,
        )
    } else {
        (
            Rule::FallbackLimited,
            format!(
                "no clear pattern; {affected} of the {} sites and roles with at least {MIN_CELL_BASE} to compare show it in {:.0}% or more",
                all.len(),
                DESIGN_MIN_CELL_RATE * 100.0
            ),
            1.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spread(kind: FindingKind) -> Spread {
        Spread {
            kind,
            policy: None,
            sites: vec![],
            roles: vec![],
            clinicians: vec![],
            affected: 10,
            co_infrastructure: 0,
            co_integration: 0,
            versions: 1,
            sessions: 10,
        }
    }

    #[test]
    fn ids_are_stable_and_depend_on_what_not_on_data() {
        let a = finding_id("med-rec-admission", "sign", FindingKind::SlowStep);
        assert_eq!(
            a,
            finding_id("med-rec-admission", "sign", FindingKind::SlowStep)
        );
        assert_ne!(
            a,
            finding_id("med-rec-admission", "sign", FindingKind::ClickBurden)
        );
        assert_ne!(a, finding_id("other", "sign", FindingKind::SlowStep));
        assert!(a.starts_with("F-") && a.len() == 12, "{a}");
        // Fixed forever: overrides files in the field refer to it.
        assert_eq!(
            finding_id("p", "s", FindingKind::Workaround(WorkaroundKind::CopyPaste)),
            format!(
                "F-{:010x}",
                fnv1a(&["p", "s", "workaround:copy_paste"]) & 0xff_ffff_ffff
            )
        );
    }

    #[test]
    fn kind_rules_come_first() {
        let s = spread(FindingKind::Workaround(WorkaroundKind::SharedLogin));
        assert_eq!(suggest_cause(&s).rule, Rule::SharedLoginPolicy);
        assert_eq!(suggest_cause(&s).cause, Cause::Policy);
        for k in INTEGRATION_WORKAROUNDS {
            let mut s = spread(FindingKind::Workaround(k));
            s.policy = Some("law".into());
            assert_eq!(suggest_cause(&s).cause, Cause::Integration);
        }
        assert_eq!(
            suggest_cause(&spread(FindingKind::Problem(ProblemKind::MissingData))).cause,
            Cause::Integration
        );
        for k in INFRASTRUCTURE_PROBLEMS {
            let s = suggest_cause(&spread(FindingKind::Problem(k)));
            assert_eq!(
                (s.cause, s.rule),
                (Cause::Infrastructure, Rule::InfrastructureKind)
            );
        }
    }

    #[test]
    fn policy_step_then_co_marks() {
        let mut s = spread(FindingKind::SlowStep);
        s.policy = Some("two-nurse check".into());
        let got = suggest_cause(&s);
        assert_eq!((got.cause, got.rule), (Cause::Policy, Rule::PolicyStep));
        assert!(got.because.contains("two-nurse check"));
        let mut s = spread(FindingKind::SlowStep);
        s.co_infrastructure = 6;
        assert_eq!(suggest_cause(&s).rule, Rule::CoInfrastructure);
        s.co_infrastructure = 4;
        s.co_integration = 6;
        assert_eq!(suggest_cause(&s).rule, Rule::CoIntegration);
        // Half is not more than half.
        s.co_integration = 5;
        assert_ne!(suggest_cause(&s).rule, Rule::CoIntegration);
    }

    #[test]
    fn design_when_everywhere_training_when_concentrated() {
        let mut s = spread(FindingKind::SlowStep);
        s.sites = vec![
            CellShare::new("north", 8, 10),
            CellShare::new("south", 5, 10),
        ];
        s.roles = vec![CellShare::new("RN", 13, 20)];
        let got = suggest_cause(&s);
        assert_eq!(
            (got.cause, got.rule),
            (Cause::Design, Rule::DesignEverywhere)
        );
        assert!(got.confidence >= 0.7, "{got:?}");

        s.sites = vec![
            CellShare::new("north", 9, 10),
            CellShare::new("south", 1, 10),
        ];
        let got = suggest_cause(&s);
        assert_eq!(
            (got.cause, got.rule),
            (Cause::Training, Rule::TrainingConcentrated)
        );
        assert!(got.because.contains("north 90%"), "{}", got.because);
        assert!(got.because.contains("south 10%"), "{}", got.because);

        // A site with too few occurrences takes no part.
        s.sites = vec![
            CellShare::new("north", 9, 10),
            CellShare::new("south", 0, 1),
        ];
        assert_eq!(suggest_cause(&s).rule, Rule::DesignEverywhere);

        // Neither everywhere nor a clean split.
        s.sites = vec![
            CellShare::new("north", 9, 10),
            CellShare::new("south", 3, 10),
            CellShare::new("east", 2, 10),
        ];
        s.roles = vec![CellShare::new("RN", 14, 30)];
        assert_eq!(suggest_cause(&s).rule, Rule::FallbackWidespread);
        s.roles = vec![CellShare::new("RN", 5, 30)];
        assert_eq!(suggest_cause(&s).rule, Rule::FallbackLimited);
    }

    #[test]
    fn confidence_grows_with_sessions_and_drops_with_one_site() {
        let mut s = spread(FindingKind::Problem(ProblemKind::Downtime));
        s.sessions = 10;
        assert_eq!(suggest_cause(&s).confidence, 0.9);
        s.sessions = 2;
        assert_eq!(suggest_cause(&s).confidence, 0.54);
        let mut s = spread(FindingKind::SlowStep);
        s.sites = vec![CellShare::new("north", 8, 10)];
        s.roles = vec![CellShare::new("RN", 8, 10)];
        let got = suggest_cause(&s);
        assert_eq!(got.rule, Rule::DesignEverywhere);
        assert_eq!(got.confidence, 0.51);
        assert_eq!(confidence_label(got.confidence), "medium");
    }
}
