//! Each cause rule on constructed groups of sessions (docs/reference.md section 7): the sessions are
//! built event by event, compared, digested and folded exactly as `shadowmap report` does.

use std::path::Path;

use shadowmap::model::{Cause, Pathway, ProblemKind, Session, WorkaroundKind, resolve_pathway};
use shadowmap::report::digest::digest_session;
use shadowmap::report::{Finding, Overrides, Report, ReportBuilder, Rule};
use shadowmap::testing::{StepSpec, as_expected, header_for, session_of_steps, step};

const SITES: [&str; 3] = ["north", "south", "east"];
const ROLES: [&str; 2] = ["RN", "Pharmacist"];

fn med_rec() -> Pathway {
    resolve_pathway("med-rec-admission").unwrap().0
}

fn report_of(sessions: &[Session], pathway: &Pathway) -> Report {
    let mut builder = ReportBuilder::new(&["site".to_string(), "role".to_string()]).unwrap();
    for s in sessions {
        builder.add(pathway, &digest_session(s, pathway));
    }
    builder.finish(&Overrides::default())
}

/// Two sessions per site and role (12), each doing `steps(site, role, n)`.
fn sessions(pathway: &str, steps: impl Fn(&str, &str, usize) -> Vec<StepSpec>) -> Vec<Session> {
    let mut out = Vec::new();
    for site in SITES {
        for role in ROLES {
            for n in 0..2 {
                let clinician = format!("{role}-{site}-{n}");
                let id = format!("s-{site}-{role}-{n}");
                out.push(session_of_steps(
                    header_for(&id, pathway, site, role, &clinician),
                    &steps(site, role, n),
                ));
            }
        }
    }
    out
}

fn with(mut steps: Vec<StepSpec>, id: &str, f: impl Fn(StepSpec) -> StepSpec) -> Vec<StepSpec> {
    for s in &mut steps {
        if s.step == id {
            *s = f(s.clone());
        }
    }
    steps
}

fn finding<'a>(report: &'a Report, step: &str, kind: &str) -> &'a Finding {
    report
        .findings
        .iter()
        .find(|f| f.step == step && f.kind == kind)
        .unwrap_or_else(|| {
            panic!(
                "no {kind} finding on {step}; findings: {:?}",
                report
                    .findings
                    .iter()
                    .map(|f| (&f.step, &f.kind))
                    .collect::<Vec<_>>()
            )
        })
}

#[test]
fn as_expected_sessions_give_no_findings() {
    let p = med_rec();
    let report = report_of(&sessions(&p.id, |_, _, _| as_expected()), &p);
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert_eq!(report.sessions, 12);
    let overall = &report.pathways[0].overall;
    assert_eq!(overall.figures.sessions, 12);
    let meds = overall
        .steps
        .iter()
        .find(|s| s.step == "enter-home-meds")
        .unwrap();
    assert_eq!(meds.median_active_secs, Some(230.0));
    assert_eq!(meds.expected_secs, Some(240));
    assert_eq!(meds.median_clicks, Some(38.0));
    assert_eq!(meds.over_time_rate, 0.0);
    // 3 sites x 2 roles.
    assert_eq!(report.pathways[0].groups.len(), 6);
}

#[test]
fn design_a_problem_at_every_site_and_role() {
    let p = med_rec();
    let all = sessions(&p.id, |_, _, n| {
        with(as_expected(), "enter-home-meds", |s| {
            step(&s.step, 480 + n as u64 * 60, 38)
        })
    });
    let report = report_of(&all, &p);
    let f = finding(&report, "enter-home-meds", "slow_step");
    assert_eq!(f.suggested_cause, Cause::Design, "{}", f.because);
    assert_eq!(f.rule, Rule::DesignEverywhere);
    assert_eq!(f.cause, Cause::Design);
    assert_eq!(f.occurrences, 12);
    assert_eq!(f.rate, 1.0);
    // Excess: 6 sessions at 240 s over, 6 at 300 s over = 3240 s = 54 min.
    assert_eq!(f.time_cost_min, 54.0);
    assert_eq!(f.excess_min_per_occurrence, 4.5);
    assert_eq!(f.evidence.sites.len(), 3);
    assert!(f.evidence.sites.iter().all(|c| c.rate == 1.0));
    assert_eq!(f.evidence.sessions, 12);
    assert_eq!(f.evidence.expected_secs, Some(240));
    assert_eq!(f.evidence.median_active_secs, Some(510.0));
    assert!(f.because.contains("every site"), "{}", f.because);
    assert_eq!(f.confidence_label, "high");
    assert_eq!(f.rank, 1);
}

#[test]
fn training_a_problem_at_one_site() {
    let p = med_rec();
    let all = sessions(&p.id, |site, _, _| {
        if site == "north" {
            with(as_expected(), "enter-home-meds", |s| step(&s.step, 600, 70))
        } else {
            as_expected()
        }
    });
    let report = report_of(&all, &p);
    let f = finding(&report, "enter-home-meds", "slow_step");
    assert_eq!(f.suggested_cause, Cause::Training, "{}", f.because);
    assert_eq!(f.rule, Rule::TrainingConcentrated);
    // The level and the split, as counts (issue 18: "north 100%" / "south 0%" became this).
    assert!(
        f.because
            .contains("concentrated by site: north: 4 of 4 slow; the other 2 sites: 0 of 8"),
        "{}",
        f.because
    );
    assert_eq!(f.occurrences, 4);
    let north = f.evidence.sites.iter().find(|c| c.name == "north").unwrap();
    assert_eq!((north.affected, north.base), (4, 4));
    let south = f.evidence.sites.iter().find(|c| c.name == "south").unwrap();
    assert_eq!((south.affected, south.base), (0, 4));
    // The clicks too, with the same pattern.
    let clicks = finding(&report, "enter-home-meds", "click_burden");
    assert_eq!(clicks.suggested_cause, Cause::Training);
}

#[test]
fn integration_workarounds_and_missing_data() {
    let p = med_rec();
    let all = sessions(&p.id, |_, _, n| {
        let steps = with(as_expected(), "pharmacy-record", |s| {
            s.workaround(
                WorkaroundKind::CopyPaste,
                "copied the list from the pharmacy portal",
            )
        });
        if n == 0 {
            with(steps, "ask-patient", |s| {
                s.problem(ProblemKind::MissingData, "GP letter not in the chart")
            })
        } else {
            steps
        }
    });
    let report = report_of(&all, &p);
    let f = finding(&report, "pharmacy-record", "workaround:copy_paste");
    assert_eq!(
        (f.suggested_cause, f.rule),
        (Cause::Integration, Rule::IntegrationKind)
    );
    assert_eq!(f.occurrences, 12);
    assert_eq!(
        f.evidence.notes,
        vec!["copied the list from the pharmacy portal"; 3]
    );
    let m = finding(&report, "ask-patient", "problem:missing_data");
    assert_eq!(m.suggested_cause, Cause::Integration);
    assert_eq!(m.occurrences, 6);
}

#[test]
fn infrastructure_problems_and_slow_steps_that_carry_them() {
    let p = med_rec();
    let all = sessions(&p.id, |site, _, _| {
        if site == "east" {
            as_expected()
        } else {
            with(as_expected(), "open-chart", |s| {
                step(&s.step, 90, 4).problem(ProblemKind::SlowResponse, "chart took a minute")
            })
        }
    });
    let report = report_of(&all, &p);
    let f = finding(&report, "open-chart", "problem:slow_response");
    assert_eq!(
        (f.suggested_cause, f.rule),
        (Cause::Infrastructure, Rule::InfrastructureKind)
    );
    // The slow step is put down to the infrastructure problem it carries, not to training,
    // although it is concentrated at two sites.
    let slow = finding(&report, "open-chart", "slow_step");
    assert_eq!(
        (slow.suggested_cause, slow.rule),
        (Cause::Infrastructure, Rule::CoInfrastructure)
    );
    assert_eq!(slow.occurrences, 8);
    // (90 - 20) s x 8 = 560 s.
    assert_eq!(slow.time_cost_min, 9.33);
}

const POLICY_PATHWAY: &str = r#"Pathway(
    id: "insulin-check",
    version: 1,
    name: "Insulin administration",
    steps: [
        Step(id: "scan", label: "Scan patient and pen", expected_secs: 20, expected_clicks: 2),
        Step(id: "second-check", label: "Second nurse check", expected_secs: 60, expected_clicks: 3,
             policy: Some("hospital policy MM-12: a second nurse co-signs every insulin dose")),
        Step(id: "document", label: "Document dose", expected_secs: 30, expected_clicks: 5),
    ],
)"#;

#[test]
fn policy_a_forced_step_and_shared_logins() {
    let p = Pathway::from_ron_str(POLICY_PATHWAY, Path::new("insulin.ron")).unwrap();
    let all = sessions(&p.id, |site, _, _| {
        let document = step("document", 30, 5);
        vec![
            step("scan", 20, 2),
            step("second-check", if site == "north" { 300 } else { 60 }, 3),
            document.workaround(WorkaroundKind::SharedLogin, "used the charge nurse's login"),
        ]
    });
    let report = report_of(&all, &p);
    let f = finding(&report, "second-check", "slow_step");
    assert_eq!(
        (f.suggested_cause, f.rule),
        (Cause::Policy, Rule::PolicyStep)
    );
    assert!(f.because.contains("MM-12"), "{}", f.because);
    let shared = finding(&report, "document", "workaround:shared_login");
    assert_eq!(
        (shared.suggested_cause, shared.rule),
        (Cause::Policy, Rule::SharedLoginPolicy)
    );
}

#[test]
fn findings_rank_by_time_cost_and_structural_deviations_count_sessions() {
    let p = med_rec();
    let all = sessions(&p.id, |site, _, n| {
        let mut steps = with(as_expected(), "enter-home-meds", |s| step(&s.step, 600, 38));
        if site == "south" {
            // South forgets to sign, and calls the GP (unplanned) for 3 minutes.
            steps.retain(|s| s.step != "sign");
            steps.push(step("call-gp", 180, 0).unplanned("Call the GP surgery"));
        }
        if n == 1 {
            steps.push(step("open-chart", 20, 4));
        }
        steps
    });
    let report = report_of(&all, &p);
    let costs: Vec<f64> = report.findings.iter().map(|f| f.time_cost_min).collect();
    assert!(costs.windows(2).all(|w| w[0] >= w[1]), "{costs:?}");
    assert_eq!(report.findings[0].kind, "slow_step");
    assert_eq!(report.findings[0].time_cost_min, 72.0);
    let missing = finding(&report, "sign", "missing");
    assert_eq!(
        (missing.unit, missing.occurrences, missing.base),
        ("session", 4, 12)
    );
    assert_eq!(missing.suggested_cause, Cause::Training);
    let gp = finding(&report, "call-gp", "unplanned");
    assert_eq!(gp.time_cost_min, 12.0);
    assert_eq!(gp.step_label, "Call the GP surgery");
    let repeated = finding(&report, "open-chart", "repeated");
    assert_eq!(repeated.occurrences, 6);
    let ranks: Vec<usize> = report.findings.iter().map(|f| f.rank).collect();
    assert_eq!(ranks, (1..=report.findings.len()).collect::<Vec<_>>());
    // The per-step deviation rate in the overall table: 4 of 12 sessions miss `sign`.
    let sign = report.pathways[0]
        .overall
        .steps
        .iter()
        .find(|s| s.step == "sign")
        .unwrap();
    assert_eq!(sign.deviations_per_session["missing"], 0.3333);
}

/// 16 clinicians (4 sites x 4), 3 sessions each, observed by two auditors in turn; `steps`
/// gets the clinician's number (1-16) and the session's number.
fn clinic(pathway: &str, steps: impl Fn(usize, usize) -> Vec<StepSpec>) -> Vec<Session> {
    const SITES: [&str; 4] = ["north", "south", "east", "west"];
    let mut out = Vec::new();
    for c in 1..=16 {
        let site = SITES[(c - 1) % 4];
        let clinician = format!("RN-{c:02}");
        for n in 0..3 {
            let mut h = header_for(
                &format!("s-{clinician}-{n}"),
                pathway,
                site,
                "RN",
                &clinician,
            );
            h.auditor = if (c + n) % 2 == 0 { "ak" } else { "bm" }.into();
            out.push(session_of_steps(h, &steps(c, n)));
        }
    }
    out
}

#[test]
fn new_starters_a_few_clinicians_slow_the_rest_as_expected_is_training_not_design() {
    let p = med_rec();
    // RN-03, RN-06, RN-12 (three sites) are slow and click-heavy every time; nobody else is.
    let all = clinic(&p.id, |c, _| {
        if [3, 6, 12].contains(&c) {
            with(as_expected(), "pharmacy-record", |s| step(&s.step, 150, 14))
        } else {
            as_expected()
        }
    });
    let report = report_of(&all, &p);
    let slow = finding(&report, "pharmacy-record", "slow_step");
    assert_eq!(
        (slow.suggested_cause, slow.rule),
        (Cause::Training, Rule::TrainingSmallCell),
        "{}",
        slow.because
    );
    assert!(
        slow.because.contains(
            "concentrated by clinician: RN-03, RN-06, RN-12: 9 of 9 slow; the other 13 clinicians: 0 of 39"
        ),
        "{}",
        slow.because
    );
    assert_eq!(slow.confidence_label, "high", "{}", slow.confidence);
    let clicks = finding(&report, "pharmacy-record", "click_burden");
    assert_eq!(clicks.suggested_cause, Cause::Training);
}

#[test]
fn marks_are_weighed_before_the_policy_flag() {
    let p = Pathway::from_ron_str(POLICY_PATHWAY, Path::new("insulin.ron")).unwrap();
    // The forced step is slow everywhere, and the slow occurrences log hardware trouble.
    let all = sessions(&p.id, |_, _, n| {
        let check = if n == 0 {
            step("second-check", 200, 3).problem(ProblemKind::Hardware, "scanner offline")
        } else {
            step("second-check", 60, 3)
        };
        vec![step("scan", 20, 2), check, step("document", 30, 5)]
    });
    let report = report_of(&all, &p);
    let slow = finding(&report, "second-check", "slow_step");
    assert_eq!(
        (slow.suggested_cause, slow.rule),
        (Cause::Infrastructure, Rule::CoInfrastructure),
        "{}",
        slow.because
    );
    // Equal time cost and occurrences: the slow step comes before its problem, by kind order
    // (not by the id's hash), every run.
    let hardware = finding(&report, "second-check", "problem:hardware");
    assert_eq!(hardware.time_cost_min, slow.time_cost_min);
    assert_eq!(slow.rank + 1, hardware.rank);
}

#[test]
fn a_small_site_slow_in_every_occurrence_is_reported_and_named() {
    let p = med_rec();
    let mut all = clinic(&p.id, |_, _| as_expected());
    // A ward of two clinicians, 10 % of the occurrences: every `sign` there is slow.
    for (i, clinician) in ["RN-70", "RN-71"].iter().enumerate() {
        for n in 0..3 {
            let h = header_for(&format!("s-annex-{i}-{n}"), &p.id, "annex", "RN", clinician);
            let steps = with(as_expected(), "sign", |s| step(&s.step, 60, 3));
            all.push(session_of_steps(h, &steps));
        }
    }
    let report = report_of(&all, &p);
    let f = finding(&report, "sign", "slow_step");
    assert!(f.rate < 0.2, "{}", f.rate);
    assert_eq!(
        (f.suggested_cause, f.rule),
        (Cause::Training, Rule::TrainingSmallCell),
        "{}",
        f.because
    );
    assert!(
        f.because
            .contains("concentrated by site: annex: 6 of 6 slow; the other 4 sites: 0 of 48"),
        "{}",
        f.because
    );
    assert!(
        f.because.starts_with("a small cell: annex holds 6"),
        "{}",
        f.because
    );
}

#[test]
fn an_auditor_effect_is_named_as_such_and_not_confident() {
    let p = med_rec();
    // Only auditor `bm` logs `open-chart` as slow, whoever the clinician.
    let all = clinic(&p.id, |c, n| {
        if (c + n) % 2 == 1 {
            with(as_expected(), "open-chart", |s| step(&s.step, 60, 4))
        } else {
            as_expected()
        }
    });
    let report = report_of(&all, &p);
    let f = finding(&report, "open-chart", "slow_step");
    assert_eq!(f.rule, Rule::AuditorEffect, "{}", f.because);
    assert!(
        f.because
            .contains("concentrated by auditor: bm: 24 of 24 slow"),
        "{}",
        f.because
    );
    assert_ne!(f.confidence_label, "high");
}

#[test]
fn one_unit_in_each_of_two_cells_proves_nothing() {
    let p = med_rec();
    // Two clinicians slow once each, among 48 sessions: no finding at all (under the gate, and
    // no split strong enough to be a small cell).
    let all = clinic(&p.id, |c, n| {
        if (c == 2 || c == 9) && n == 0 {
            with(as_expected(), "sign", |s| step(&s.step, 60, 3))
        } else {
            as_expected()
        }
    });
    let report = report_of(&all, &p);
    assert!(
        report.findings.iter().all(|f| f.step != "sign"),
        "{:#?}",
        report.findings
    );
}
