//! Planted scenarios for the cause rules: generated audits where one kind of trouble with a
//! known cause is planted on one step, over a background of ordinary noise (the odd slow
//! occurrence, a stray problem or workaround, an unplanned step now and then). Each scenario
//! is built session by session, compared, digested and reported exactly as `shadowmap report`
//! does, and its findings are scored against what was planted.
//!
//! Shared by `examples/plant_causes` (which writes the fixture) and `tests/report_calibration.rs`
//! (which recomputes some scenarios live) through `#[path]`; the sessions come from the test
//! kit (`shadowmap::testing`).
#![allow(dead_code)]

use std::path::Path;

use serde::{Deserialize, Serialize};
use shadowmap::model::{Cause, Pathway, ProblemKind, Session, WorkaroundKind};
use shadowmap::report::digest::digest_session;
use shadowmap::report::{Finding, Overrides, Report, ReportBuilder};

use shadowmap::testing::{StepSpec, header_for, session_of_steps, step, sus_answers, with_voice};

/// The pathway every scenario is audited against: six steps, one forced by a rule.
pub const PATHWAY: &str = r#"Pathway(
    id: "planted",
    version: 1,
    name: "Planted scenarios",
    steps: [
        Step(id: "open-chart", label: "Open the chart", expected_secs: 20, expected_clicks: 4),
        Step(id: "review-allergies", label: "Review allergies", expected_secs: 30, expected_clicks: 3),
        Step(id: "pharmacy-record", label: "Check pharmacy record", expected_secs: 60, expected_clicks: 8),
        Step(id: "enter-home-meds", label: "Enter home medications", expected_secs: 240, expected_clicks: 40),
        Step(id: "second-check", label: "Second nurse check", expected_secs: 60, expected_clicks: 3,
             policy: Some("hospital policy MM-12: a second nurse co-signs")),
        Step(id: "sign", label: "Sign", expected_secs: 15, expected_clicks: 3),
    ],
)"#;

/// The forced step of [`PATHWAY`].
pub const POLICY_STEP: &str = "second-check";
/// Steps a non-policy pattern may be planted on.
pub const FREE_STEPS: [&str; 5] = [
    "open-chart",
    "review-allergies",
    "pharmacy-record",
    "enter-home-meds",
    "sign",
];

pub fn pathway() -> Pathway {
    Pathway::from_ron_str(PATHWAY, Path::new("planted.ron")).expect("the planted pathway parses")
}

/// What is planted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// Slow and click-heavy in most occurrences at every site, role and clinician.
    ClearDesign,
    /// One site (of a fair size) slow; the others as expected.
    ClearTrainingSite,
    /// One role slow; the other as expected.
    ClearTrainingRole,
    /// Slow occurrences log an infrastructure problem.
    ClearInfrastructure,
    /// Slow occurrences log an integration workaround or missing data.
    ClearIntegration,
    /// The forced step is slow everywhere, and a shared login is used on another step.
    ClearPolicy,
    /// Three clinicians of different sites slow in nearly all their occurrences.
    NewStarters,
    /// The forced step is slow, and the slow occurrences log infrastructure or integration marks.
    PolicyWithMarks,
    /// A small site (under a fifth of the step's occurrences) slow in every occurrence.
    SmallCell,
}

impl Pattern {
    pub const ALL: [Pattern; 9] = [
        Pattern::ClearDesign,
        Pattern::ClearTrainingSite,
        Pattern::ClearTrainingRole,
        Pattern::ClearInfrastructure,
        Pattern::ClearIntegration,
        Pattern::ClearPolicy,
        Pattern::NewStarters,
        Pattern::PolicyWithMarks,
        Pattern::SmallCell,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pattern::ClearDesign => "clear_design",
            Pattern::ClearTrainingSite => "clear_training_site",
            Pattern::ClearTrainingRole => "clear_training_role",
            Pattern::ClearInfrastructure => "clear_infrastructure",
            Pattern::ClearIntegration => "clear_integration",
            Pattern::ClearPolicy => "clear_policy",
            Pattern::NewStarters => "new_starters",
            Pattern::PolicyWithMarks => "policy_with_marks",
            Pattern::SmallCell => "small_cell",
        }
    }
}

/// One planted finding: the step, the kind of trouble (the finding's `kind` code) and the
/// cause a domain expert would give it; `names` are cells the evidence must name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Planted {
    pub step: String,
    pub kind: String,
    pub cause: Cause,
    pub names: Vec<String>,
}

/// How one planted finding came out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub step: String,
    pub kind: String,
    pub planted: Cause,
    /// The suggested cause, `None` when no finding was reported.
    pub got: Option<Cause>,
    pub rule: Option<String>,
    pub label: Option<String>,
    pub confidence: Option<f64>,
    /// The cells that had to be named are named in the finding's reason (`None`: none had to be).
    pub named: Option<bool>,
    pub right: bool,
}

/// A finding on a step where nothing was planted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Noise {
    pub step: String,
    pub kind: String,
    pub cause: Cause,
    pub label: String,
    pub confidence: f64,
}

/// One scenario's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub seed: u64,
    pub pattern: Pattern,
    pub sessions: usize,
    pub outcomes: Vec<Outcome>,
    pub noise: Vec<Noise>,
}

/// The scenario for `seed`: its pattern cycles through [`Pattern::ALL`].
pub fn pattern_of(seed: u64) -> Pattern {
    Pattern::ALL[(seed % Pattern::ALL.len() as u64) as usize]
}

struct Clinician {
    code: String,
    site: String,
    role: String,
    sessions: usize,
}

/// How a planted step behaves for one occurrence.
#[derive(Default, Clone)]
struct Trouble {
    slow: bool,
    clicks: bool,
    problem: Option<ProblemKind>,
    workaround: Option<WorkaroundKind>,
}

/// The share (%) of ordinary occurrences that are slow, or click-heavy, anyway.
struct Background {
    slow_pct: u8,
    clicks_pct: u8,
}

const SITES: [&str; 5] = ["north", "south", "east", "west", "harbour"];
const SMALL_SITE: &str = "annex";
const INFRASTRUCTURE: [ProblemKind; 4] = [
    ProblemKind::SlowResponse,
    ProblemKind::Downtime,
    ProblemKind::LoginTimeout,
    ProblemKind::Hardware,
];
const INTEGRATION_WORKAROUNDS: [WorkaroundKind; 3] = [
    WorkaroundKind::SecondSystem,
    WorkaroundKind::CopyPaste,
    WorkaroundKind::DuplicateEntry,
];

/// Builds the sessions of scenario `seed` and what was planted in them.
#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
pub fn build(seed: u64) -> (Pattern, Vec<Session>, Vec<Planted>) {
    let pattern = pattern_of(seed);
    let mut rng = fastrand::Rng::with_seed(0x5eed_0000 + seed);
    let p = pathway();

    // The population: 3 to 5 sites, two roles, 12 to 20 clinicians, 2 or 3 auditors.
    let n_sites = rng.usize(3..=5);
    let sites: Vec<&str> = SITES[..n_sites].to_vec();
    let n_clinicians = rng.usize(12..=20);
    // Roles are drawn apart from sites (a role never stands for a site), with at least three
    // pharmacists and three nurses.
    let mut pharmacists: Vec<bool> = (0..n_clinicians).map(|_| rng.u8(..100) < 35).collect();
    while pharmacists.iter().filter(|p| **p).count() < 3 {
        let i = rng.usize(..n_clinicians);
        pharmacists[i] = true;
    }
    while pharmacists.iter().filter(|p| !**p).count() < 3 {
        let i = rng.usize(..n_clinicians);
        pharmacists[i] = false;
    }
    let mut clinicians: Vec<Clinician> = (0..n_clinicians)
        .map(|i| {
            let role = if pharmacists[i] { "Pharmacist" } else { "RN" };
            Clinician {
                code: format!("{}-{:02}", role, i + 1),
                site: sites[i % n_sites].to_string(),
                role: role.to_string(),
                sessions: rng.usize(2..=7),
            }
        })
        .collect();
    if pattern == Pattern::SmallCell {
        // A small ward: two clinicians at a small site, with 4 to 6 sessions each (about a
        // tenth of the step's occurrences).
        for i in 0..2 {
            clinicians.push(Clinician {
                code: format!("RN-{:02}", 60 + i),
                site: SMALL_SITE.into(),
                role: "RN".into(),
                sessions: rng.usize(4..=6),
            });
        }
    }
    let auditors: Vec<String> = (0..rng.usize(2..=3)).map(|i| format!("au{i}")).collect();

    let target = match pattern {
        Pattern::ClearPolicy | Pattern::PolicyWithMarks => POLICY_STEP.to_string(),
        _ => FREE_STEPS[rng.usize(..FREE_STEPS.len())].to_string(),
    };
    let slow_site = sites[rng.usize(..n_sites)].to_string();
    let new_starters: Vec<String> = {
        // Three clinicians of three different sites.
        let mut picked: Vec<String> = Vec::new();
        let mut used_sites: Vec<String> = Vec::new();
        let mut order: Vec<usize> = (0..clinicians.len()).collect();
        rng.shuffle(&mut order);
        for i in order {
            let c = &clinicians[i];
            if picked.len() < 3 && !used_sites.contains(&c.site) {
                picked.push(c.code.clone());
                used_sites.push(c.site.clone());
            }
        }
        picked.sort();
        picked
    };
    // How strong the planted trouble is, and how noisy the background, vary by scenario.
    let design_rate = 0.5 + rng.f64() * 0.4;
    let mark_rate = 0.5 + rng.f64() * 0.3;
    let concentrated_rate = 0.7 + rng.f64() * 0.25;
    let new_starter_rate = 0.85 + rng.f64() * 0.15;
    let marked_share = 0.75 + rng.f64() * 0.2;
    let background = Background {
        slow_pct: rng.u8(2..=6),
        clicks_pct: rng.u8(2..=6),
    };
    let infra_kind = INFRASTRUCTURE[rng.usize(..INFRASTRUCTURE.len())];
    let integration_mark: Result<WorkaroundKind, ProblemKind> = if rng.u8(..4) == 0 {
        Err(ProblemKind::MissingData)
    } else {
        Ok(INTEGRATION_WORKAROUNDS[rng.usize(..INTEGRATION_WORKAROUNDS.len())])
    };
    let marks_are_infrastructure = rng.bool();

    let mut planted = Vec::new();
    let friction = |cause: Cause, names: Vec<String>| -> Vec<Planted> {
        vec![
            Planted {
                step: target.clone(),
                kind: "slow_step".into(),
                cause,
                names: names.clone(),
            },
            Planted {
                step: target.clone(),
                kind: "click_burden".into(),
                cause,
                names,
            },
        ]
    };
    let integration_code = match integration_mark {
        Ok(w) => format!("workaround:{}", w.name()),
        Err(pk) => format!("problem:{}", pk.name()),
    };
    let mark = |cause: Cause, code: String| -> Vec<Planted> {
        vec![
            Planted {
                step: target.clone(),
                kind: "slow_step".into(),
                cause,
                names: vec![],
            },
            Planted {
                step: target.clone(),
                kind: code,
                cause,
                names: vec![],
            },
        ]
    };
    match pattern {
        Pattern::ClearDesign => planted.extend(friction(Cause::Design, vec![])),
        Pattern::ClearTrainingSite => {
            planted.extend(friction(Cause::Training, vec![slow_site.clone()]));
        }
        Pattern::ClearTrainingRole => {
            planted.extend(friction(Cause::Training, vec!["Pharmacist".into()]));
        }
        Pattern::NewStarters => planted.extend(friction(Cause::Training, new_starters.clone())),
        Pattern::SmallCell => planted.extend(friction(Cause::Training, vec![SMALL_SITE.into()])),
        Pattern::ClearInfrastructure => planted.extend(mark(
            Cause::Infrastructure,
            format!("problem:{}", infra_kind.name()),
        )),
        Pattern::ClearIntegration => {
            planted.extend(mark(Cause::Integration, integration_code.clone()));
        }
        Pattern::ClearPolicy => {
            planted.push(Planted {
                step: target.clone(),
                kind: "slow_step".into(),
                cause: Cause::Policy,
                names: vec![],
            });
            planted.push(Planted {
                step: "sign".into(),
                kind: "workaround:shared_login".into(),
                cause: Cause::Policy,
                names: vec![],
            });
        }
        Pattern::PolicyWithMarks => {
            if marks_are_infrastructure {
                planted.extend(mark(
                    Cause::Infrastructure,
                    format!("problem:{}", infra_kind.name()),
                ));
            } else {
                planted.extend(mark(Cause::Integration, integration_code.clone()));
            }
        }
    }

    // The clinicians' voice, from a generator of its own so that the steps stay what they were
    // before questionnaires were planted: where the design is at fault the clinicians rate the
    // system low (a scenario mean of SUS 25 to 40); elsewhere anywhere around the published EHR
    // mean 45.9 (30 to 65), so a low SUS also meets training, marks and policy.
    let mut voice = fastrand::Rng::with_seed(0x5005_0000 + seed);
    let sus_mean = if pattern == Pattern::ClearDesign {
        25.0 + voice.f64() * 15.0
    } else {
        30.0 + voice.f64() * 35.0
    };
    let mut sessions = Vec::new();
    for c in &clinicians {
        for n in 0..c.sessions {
            let auditor = &auditors[rng.usize(..auditors.len())];
            let mut h = header_for(
                &format!("s{seed}-{}-{n}", c.code),
                &p.id,
                &c.site,
                &c.role,
                &c.code,
            );
            h.auditor = auditor.clone();
            h.pathway_version = 1;
            let mut steps: Vec<StepSpec> = Vec::new();
            for s in p.all_steps() {
                // Background: now and then a step is left out.
                if rng.u8(..100) < 2 {
                    continue;
                }
                let planted_here = s.id == target;
                let mut trouble = Trouble::default();
                if planted_here {
                    trouble = match pattern {
                        Pattern::ClearDesign => {
                            let slow = rng.f64() < design_rate;
                            Trouble {
                                slow,
                                clicks: slow && rng.u8(..10) < 9,
                                ..Trouble::default()
                            }
                        }
                        Pattern::ClearTrainingSite
                        | Pattern::ClearTrainingRole
                        | Pattern::NewStarters
                        | Pattern::SmallCell => {
                            let concerned = match pattern {
                                Pattern::ClearTrainingSite => c.site == slow_site,
                                Pattern::ClearTrainingRole => c.role == "Pharmacist",
                                Pattern::NewStarters => new_starters.contains(&c.code),
                                _ => c.site == SMALL_SITE,
                            };
                            let rate = match pattern {
                                Pattern::SmallCell => 1.0,
                                Pattern::NewStarters => new_starter_rate,
                                _ => concentrated_rate,
                            };
                            let slow = concerned && rng.f64() < rate;
                            Trouble {
                                slow,
                                clicks: slow && rng.u8(..10) < 9,
                                ..Trouble::default()
                            }
                        }
                        Pattern::ClearInfrastructure => {
                            let slow = rng.f64() < mark_rate;
                            Trouble {
                                slow,
                                problem: (slow && rng.f64() < marked_share).then_some(infra_kind),
                                ..Trouble::default()
                            }
                        }
                        Pattern::ClearIntegration => {
                            let slow = rng.f64() < mark_rate;
                            let marked = slow && rng.f64() < marked_share;
                            Trouble {
                                slow,
                                workaround: integration_mark.ok().filter(|_| marked),
                                problem: integration_mark.err().filter(|_| marked),
                                ..Trouble::default()
                            }
                        }
                        Pattern::ClearPolicy => Trouble {
                            slow: rng.f64() < design_rate,
                            ..Trouble::default()
                        },
                        Pattern::PolicyWithMarks => {
                            let slow = rng.f64() < mark_rate;
                            let marked = slow && rng.f64() < marked_share;
                            if marks_are_infrastructure {
                                Trouble {
                                    slow,
                                    problem: marked.then_some(infra_kind),
                                    ..Trouble::default()
                                }
                            } else {
                                Trouble {
                                    slow,
                                    workaround: integration_mark.ok().filter(|_| marked),
                                    problem: integration_mark.err().filter(|_| marked),
                                    ..Trouble::default()
                                }
                            }
                        }
                    };
                }
                if pattern == Pattern::ClearPolicy && s.id == "sign" && rng.u8(..100) < 30 {
                    trouble.workaround = Some(WorkaroundKind::SharedLogin);
                }
                steps.push(occurrence(
                    &mut rng,
                    &background,
                    &s.id,
                    s.expected_secs,
                    s.expected_clicks,
                    &trouble,
                ));
            }
            // Background: an unplanned call now and then.
            if rng.u8(..100) < 4 {
                let at = rng.usize(..=steps.len());
                steps.insert(
                    at,
                    step("call-gp", 40 + rng.u64(..120), 0).unplanned("Call the GP surgery"),
                );
            }
            let session = session_of_steps(h, &steps);
            // Six in ten clinicians answer the SUS (spread 15 points around the scenario's mean).
            sessions.push(if voice.u8(..100) < 60 {
                let score = (sus_mean + 15.0 * standard_normal(&mut voice)).clamp(0.0, 100.0);
                with_voice(session, sus_answers((score / 2.5).round() * 2.5), [None; 6])
            } else {
                session
            });
        }
    }
    (pattern, sessions, planted)
}

fn standard_normal(rng: &mut fastrand::Rng) -> f64 {
    // Box-Muller.
    let (u, v) = (rng.f64().max(1e-12), rng.f64());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// One occurrence of a step: as expected give or take, unless trouble is planted; with the
/// background noise every step has.
fn occurrence(
    rng: &mut fastrand::Rng,
    background: &Background,
    id: &str,
    expected_secs: u32,
    expected_clicks: u32,
    trouble: &Trouble,
) -> StepSpec {
    let secs_factor = if trouble.slow {
        1.7 + rng.f64() * 1.3
    } else if rng.u8(..100) < background.slow_pct {
        // Background: an occasional slow occurrence.
        1.6 + rng.f64() * 0.8
    } else {
        0.6 + rng.f64() * 0.75
    };
    let clicks_factor = if trouble.clicks {
        1.5 + rng.f64() * 1.0
    } else if rng.u8(..100) < background.clicks_pct {
        1.4 + rng.f64() * 0.6
    } else {
        0.7 + rng.f64() * 0.45
    };
    let secs = (f64::from(expected_secs) * secs_factor).round().max(1.0) as u64;
    let clicks = (f64::from(expected_clicks) * clicks_factor).round() as u32;
    let mut s = step(id, secs, clicks);
    if let Some(k) = trouble.problem {
        s = s.problem(k, "planted");
    }
    if let Some(k) = trouble.workaround {
        s = s.workaround(k, "planted");
    }
    // Background: a stray problem or workaround of any kind.
    if rng.u16(..1000) < 15 {
        s = s.problem(ProblemKind::ALL[rng.usize(..ProblemKind::ALL.len())], "");
    }
    if rng.u16(..1000) < 10 {
        s = s.workaround(
            WorkaroundKind::ALL[rng.usize(..WorkaroundKind::ALL.len())],
            "",
        );
    }
    s
}

/// The report `shadowmap report --by site,role` gives on the sessions.
pub fn report_of(sessions: &[Session], pathway: &Pathway) -> Report {
    let mut builder = ReportBuilder::new(&["site".to_string(), "role".to_string()])
        .expect("site and role are group keys");
    for s in sessions {
        builder.add(pathway, &digest_session(s, pathway));
    }
    builder.finish(&Overrides::default())
}

/// Runs scenario `seed` and scores its findings.
pub fn run(seed: u64) -> ScenarioResult {
    let (pattern, sessions, planted) = build(seed);
    let report = report_of(&sessions, &pathway());
    score(seed, pattern, sessions.len(), &planted, &report.findings)
}

fn score(
    seed: u64,
    pattern: Pattern,
    sessions: usize,
    planted: &[Planted],
    findings: &[Finding],
) -> ScenarioResult {
    let outcomes = planted
        .iter()
        .map(|t| {
            let f = findings
                .iter()
                .find(|f| f.step == t.step && f.kind == t.kind);
            let named = (!t.names.is_empty())
                .then(|| f.is_some_and(|f| t.names.iter().all(|n| f.because.contains(n.as_str()))));
            let got = f.map(|f| f.suggested_cause);
            Outcome {
                step: t.step.clone(),
                kind: t.kind.clone(),
                planted: t.cause,
                got,
                rule: f.map(|f| f.rule.name().to_string()),
                label: f.map(|f| f.confidence_label.to_string()),
                confidence: f.map(|f| f.confidence),
                named,
                right: got == Some(t.cause),
            }
        })
        .collect();
    let noise = findings
        .iter()
        .filter(|f| !planted.iter().any(|t| t.step == f.step))
        .map(|f| Noise {
            step: f.step.clone(),
            kind: f.kind.clone(),
            cause: f.suggested_cause,
            label: f.confidence_label.to_string(),
            confidence: f.confidence,
        })
        .collect();
    ScenarioResult {
        seed,
        pattern,
        sessions,
        outcomes,
        noise,
    }
}

/// Counts of right over all, for one row of a table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub right: u32,
    pub all: u32,
}

impl Tally {
    pub fn add(&mut self, right: bool) {
        self.all += 1;
        self.right += u32::from(right);
    }
    pub fn share(&self) -> f64 {
        if self.all == 0 {
            1.0
        } else {
            f64::from(self.right) / f64::from(self.all)
        }
    }
}

/// What the fixture holds: the tables and every scenario's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub scenarios: usize,
    pub planted_findings: u32,
    pub overall: Tally,
    pub by_cause: Vec<(Cause, Tally)>,
    pub by_pattern: Vec<(Pattern, Tally)>,
    /// Planted findings whose reason names the cells planted (small site, new starters, ...).
    pub named: Tally,
    /// Confidence label -> findings on planted troubles with that label, right ones; findings
    /// on steps with nothing planted count as wrong.
    pub calibration: Vec<(String, Tally)>,
    /// Findings on steps with nothing planted, by confidence label.
    pub noise: Vec<(String, u32)>,
    pub results: Vec<ScenarioResult>,
}

pub const LABELS: [&str; 3] = ["high", "medium", "low"];

pub fn summarize(results: Vec<ScenarioResult>) -> Summary {
    let mut overall = Tally::default();
    let mut named = Tally::default();
    let mut by_cause: Vec<(Cause, Tally)> = Vec::new();
    let mut by_pattern: Vec<(Pattern, Tally)> = Pattern::ALL
        .iter()
        .map(|p| (*p, Tally::default()))
        .collect();
    let mut calibration: Vec<(String, Tally)> = LABELS
        .iter()
        .map(|l| (l.to_string(), Tally::default()))
        .collect();
    let mut noise: Vec<(String, u32)> = LABELS.iter().map(|l| (l.to_string(), 0)).collect();
    for r in &results {
        for o in &r.outcomes {
            overall.add(o.right);
            match by_cause.iter_mut().find(|(c, _)| *c == o.planted) {
                Some((_, t)) => t.add(o.right),
                None => {
                    let mut t = Tally::default();
                    t.add(o.right);
                    by_cause.push((o.planted, t));
                }
            }
            if let Some((_, t)) = by_pattern.iter_mut().find(|(p, _)| *p == r.pattern) {
                t.add(o.right);
            }
            if let Some(is_named) = o.named {
                named.add(is_named);
            }
            if let Some(label) = &o.label
                && let Some((_, t)) = calibration.iter_mut().find(|(l, _)| l == label)
            {
                t.add(o.right);
            }
        }
        for n in &r.noise {
            if let Some((_, t)) = calibration.iter_mut().find(|(l, _)| *l == n.label) {
                t.add(false);
            }
            if let Some((_, count)) = noise.iter_mut().find(|(l, _)| *l == n.label) {
                *count += 1;
            }
        }
    }
    by_cause.sort_by_key(|(c, _)| c.name());
    Summary {
        scenarios: results.len(),
        planted_findings: overall.all,
        overall,
        by_cause,
        by_pattern,
        named,
        calibration,
        noise,
        results,
    }
}
