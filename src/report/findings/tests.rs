use super::*;

fn spread(kind: FindingKind) -> Spread {
    Spread {
        kind,
        policy: None,
        sites: vec![],
        roles: vec![],
        auditors: vec![],
        clinicians: vec![],
        affected: 10,
        base: 12,
        co_infrastructure: 0,
        co_integration: 0,
        versions: 1,
        site_cause: None,
        sus: None,
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
fn posteriors_match_the_beta_distribution() {
    // Beta(1, 1) + 7 of 7: P(p > 0.5) = 1 - 0.5^8.
    assert!((posterior_above(1.0, 1.0, 7, 7, 0.5) - (1.0 - 0.5f64.powi(8))).abs() < 1e-9);
    // Beta(1, 1) + 0 of 0 is uniform.
    assert!((posterior_above(1.0, 1.0, 0, 0, 0.3) - 0.7).abs() < 1e-9);
    // The cell prior is worth PRIOR_UNITS units around the step's rate.
    assert_eq!(cell_prior(0.25), (2.0, 6.0));
}

#[test]
fn a_site_kind_is_classed_by_the_cause_of_its_entry_and_otherwise_by_the_general_rules() {
    let fax = WorkaroundKind::from_name("fax").unwrap();
    let mut s = spread(FindingKind::Workaround(fax));
    s.site_cause = Some(Cause::Integration);
    let got = suggest_cause(&s);
    assert_eq!((got.rule, got.cause), (Rule::SiteKind, Cause::Integration));
    assert!(
        got.because
            .starts_with("the site's pathway file classes workaround `fax` as integration;"),
        "{}",
        got.because
    );
    // Any of the five causes, for problems as for workarounds.
    let badge = ProblemKind::from_name("badge_reader").unwrap();
    for cause in Cause::ALL {
        let mut s = spread(FindingKind::Problem(badge));
        s.site_cause = Some(*cause);
        let got = suggest_cause(&s);
        assert_eq!((got.rule, got.cause), (Rule::SiteKind, *cause));
    }
    // Without a `cause:` a site kind is like `other`: the spread decides.
    let plain = suggest_cause(&spread(FindingKind::Workaround(fax)));
    assert_ne!(plain.rule, Rule::SiteKind);
    assert_eq!(
        plain.rule,
        suggest_cause(&spread(FindingKind::Workaround(WorkaroundKind::Other))).rule
    );
    // The built-in lists win over a site's file: a built-in kind never takes a site cause.
    let site = crate::model::Vocabulary::default();
    assert_eq!(
        workaround_cause(WorkaroundKind::SharedLogin, &site),
        Some(Cause::Policy)
    );
    assert_eq!(
        problem_cause(ProblemKind::Hardware, &site),
        Some(Cause::Infrastructure)
    );
    assert_eq!(workaround_cause(fax, &site), None);
}

#[test]
fn kind_rules_come_first_and_their_confidence_is_the_evidence() {
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
            (s.cause, s.rule, confidence_label(s.confidence)),
            (Cause::Infrastructure, Rule::InfrastructureKind, "high")
        );
    }
    // Two downtimes in 300 occurrences: the cause is the kind's, but nothing recurs.
    let mut s = spread(FindingKind::Problem(ProblemKind::Downtime));
    (s.affected, s.base) = (2, 300);
    let got = suggest_cause(&s);
    assert_eq!(got.cause, Cause::Infrastructure);
    assert_eq!(confidence_label(got.confidence), "low", "{got:?}");
}

#[test]
fn marks_before_policy_then_policy() {
    let mut s = spread(FindingKind::SlowStep);
    s.policy = Some("two-nurse check".into());
    let got = suggest_cause(&s);
    assert_eq!((got.cause, got.rule), (Cause::Policy, Rule::PolicyStep));
    assert!(got.because.contains("two-nurse check"));
    s.co_infrastructure = 8;
    let got = suggest_cause(&s);
    assert_eq!(got.rule, Rule::CoInfrastructure);
    assert_eq!(
        got.because,
        "8 of the 10 slow occurrences (80%) logged an infrastructure problem"
    );
    s.co_infrastructure = 4;
    s.co_integration = 6;
    assert_eq!(suggest_cause(&s).rule, Rule::CoIntegration);
    // Half is not more than half.
    s.co_integration = 5;
    assert_eq!(suggest_cause(&s).rule, Rule::PolicyStep);
}

fn clinicians(slow: &[(&str, u32, u32)], others: usize, each: u32) -> Vec<CellShare> {
    let mut cells: Vec<CellShare> = slow
        .iter()
        .map(|(n, a, b)| CellShare::new(*n, *a, *b))
        .collect();
    cells.extend((0..others).map(|i| CellShare::new(format!("RN-{:02}", 50 + i), 0, each)));
    cells
}

#[test]
fn a_few_slow_clinicians_win_over_seen_everywhere() {
    // The example: three clinicians at three sites slow in 7/7, 7/8, 7/7; nobody
    // else. Every site shows some of it, so the old rule said design.
    let mut s = spread(FindingKind::SlowStep);
    s.clinicians = clinicians(&[("RN-07", 7, 7), ("RN-12", 7, 8), ("RN-31", 7, 7)], 14, 7);
    (s.affected, s.base) = (21, 22 + 98);
    s.sites = vec![
        CellShare::new("north", 7, 37),
        CellShare::new("south", 7, 38),
        CellShare::new("east", 7, 45),
    ];
    s.roles = vec![CellShare::new("RN", 21, 120)];
    let got = suggest_cause(&s);
    assert_eq!(got.rule, Rule::TrainingSmallCell, "{got:?}");
    assert!(
        got.because.ends_with(
            "concentrated by clinician: RN-07, RN-31, RN-12: 21 of 22 slow; the other 14 clinicians: 0 of 98"
        ),
        "{}",
        got.because
    );
    assert_eq!(confidence_label(got.confidence), "high");
}

#[test]
fn design_when_everywhere_and_no_level_splits() {
    let mut s = spread(FindingKind::SlowStep);
    s.sites = vec![
        CellShare::new("north", 5, 10),
        CellShare::new("south", 5, 10),
    ];
    s.roles = vec![CellShare::new("RN", 10, 20)];
    s.clinicians = vec![
        CellShare::new("RN-01", 3, 5),
        CellShare::new("RN-02", 3, 5),
        CellShare::new("RN-03", 2, 5),
        CellShare::new("RN-04", 2, 5),
    ];
    (s.affected, s.base) = (10, 20);
    let got = suggest_cause(&s);
    assert_eq!(
        (got.cause, got.rule),
        (Cause::Design, Rule::DesignEverywhere)
    );
    // P(rate > 40 %) for 10 of 20 under Jeffreys' prior, times P(no split) close to 1.
    assert_eq!(got.confidence, 0.82, "{got:?}");
    // More of the same is stronger evidence.
    for c in s
        .sites
        .iter_mut()
        .chain(&mut s.roles)
        .chain(&mut s.clinicians)
    {
        *c = CellShare::new(c.name.clone(), c.affected * 4, c.base * 4);
    }
    (s.affected, s.base) = (40, 80);
    let more = suggest_cause(&s);
    assert_eq!(more.rule, Rule::DesignEverywhere);
    assert!(more.confidence > got.confidence, "{more:?} {got:?}");
    assert_eq!(confidence_label(more.confidence), "high");
}

#[test]
fn one_of_two_reads_nothing_nine_of_ten_reads_a_pattern() {
    // "RN-40 50% of 2" used to be training, high.
    let mut s = spread(FindingKind::Unplanned);
    s.clinicians = clinicians(&[("RN-40", 1, 2), ("RN-41", 1, 4)], 10, 4);
    (s.affected, s.base) = (2, 46);
    let weak = suggest_cause(&s);
    assert_eq!(confidence_label(weak.confidence), "low", "{weak:?}");
    s.clinicians = clinicians(&[("RN-40", 9, 10)], 10, 4);
    (s.affected, s.base) = (9, 50);
    let strong = suggest_cause(&s);
    assert_eq!(strong.rule, Rule::TrainingConcentrated, "{strong:?}");
    assert_eq!(confidence_label(strong.confidence), "high", "{strong:?}");
}

#[test]
fn coarser_levels_name_the_cell_when_they_say_the_same() {
    let mut s = spread(FindingKind::SlowStep);
    s.sites = vec![
        CellShare::new("north", 10, 10),
        CellShare::new("south", 0, 10),
        CellShare::new("east", 0, 10),
    ];
    s.clinicians = vec![
        CellShare::new("RN-01", 5, 5),
        CellShare::new("RN-02", 5, 5),
        CellShare::new("RN-03", 0, 10),
        CellShare::new("RN-04", 0, 10),
    ];
    (s.affected, s.base) = (10, 30);
    let split = concentration(&s).unwrap();
    assert_eq!(split.level, Level::Site);
    assert_eq!(
        split.describe(FindingKind::SlowStep),
        "north: 10 of 10 slow; the other 2 sites: 0 of 20"
    );
}

#[test]
fn slow_step_and_click_burden_agree_or_say_why_not() {
    let mut slow = CauseDecision::new(Rule::TrainingConcentrated, "by clinician".into(), 0.95);
    let mut clicks = CauseDecision::new(Rule::DesignEverywhere, "everywhere".into(), 0.5);
    agree_on_friction(&mut slow, &mut clicks);
    assert_eq!((clicks.cause, clicks.rule), (Cause::Training, slow.rule));
    assert!(
        clicks
            .because
            .starts_with("as the `slow_step` finding on this step"),
        "{}",
        clicks.because
    );
    assert!(clicks.because.contains("on its own this one read design"));
    assert_eq!(clicks.confidence, 0.95);
    // Both confident on their own: both kept, each says why they differ.
    let mut slow = CauseDecision::new(Rule::TrainingConcentrated, "by clinician".into(), 0.95);
    let mut clicks = CauseDecision::new(Rule::DesignEverywhere, "everywhere".into(), 0.9);
    agree_on_friction(&mut slow, &mut clicks);
    assert_eq!((slow.cause, clicks.cause), (Cause::Training, Cause::Design));
    assert!(clicks.because.contains("points to training instead"));
}

/// The baseline SUS scores of `testing::voice_rounds` (mean 40.9, under the EHR mean) and the
/// second round's (mean 69.1).
const LOW_SUS: [f64; 8] = [30.0, 35.0, 40.0, 42.5, 45.0, 47.5, 50.0, 37.5];
const HIGH_SUS: [f64; 8] = [60.0, 65.0, 70.0, 72.5, 75.0, 67.5, 62.5, 80.0];

#[test]
fn sus_evidence_is_the_t_posterior_of_the_mean_under_the_ehr_mean() {
    // scipy.stats.t.cdf((45.9 - x.mean()) / (x.std(ddof=1) / sqrt(8)), 7): 0.9632470555740177
    // (1 - scipy.stats.ttest_1samp(x, 45.9, alternative="less").pvalue) and 1.2077069654666671e-05.
    let low = SusEvidence::of(&LOW_SUS).unwrap();
    assert_eq!((low.sessions, low.mean), (8, 40.9375));
    assert!(
        (low.below_ehr_mean - 0.963_247_055_574_017_7).abs() < 1e-9,
        "{low:?}"
    );
    let high = SusEvidence::of(&HIGH_SUS).unwrap();
    assert!(
        (high.below_ehr_mean - 1.207_706_965_466_667e-5).abs() < 1e-12,
        "{high:?}"
    );
    // Too few answered: no evidence; all equal: certain.
    assert_eq!(SusEvidence::of(&LOW_SUS[..4]), None);
    assert_eq!(SusEvidence::of(&[40.0; 5]).unwrap().below_ehr_mean, 1.0);
    assert_eq!(SusEvidence::of(&[45.9; 5]).unwrap().below_ehr_mean, 0.0);
    // The support: d + (1 - d) d / 2 P(low); nothing from nothing, never past 1.
    assert_eq!(low.support(0.0), 0.0);
    assert!((low.support(0.4) - (0.4 + 0.6 * 0.4 * 0.5 * low.below_ehr_mean)).abs() < 1e-12);
    assert!(low.support(1.0) <= 1.0);
}

/// 6 of 16 occurrences slow, 3 of 8 at each of two sites: seen everywhere, but under the 40 %
/// the design rule wants (design strength 0.38: no clear pattern, training by fallback).
fn friction_everywhere_below_the_design_threshold() -> Spread {
    let mut s = spread(FindingKind::SlowStep);
    s.sites = vec![CellShare::new("north", 3, 8), CellShare::new("south", 3, 8)];
    s.roles = vec![CellShare::new("RN", 6, 16)];
    (s.affected, s.base) = (6, 16);
    s
}

#[test]
fn low_sus_with_friction_everywhere_supports_design() {
    let mut s = friction_everywhere_below_the_design_threshold();
    let alone = suggest_cause(&s);
    assert_eq!(
        (alone.rule, alone.confidence),
        (Rule::FallbackLimited, 0.38)
    );
    // Clinicians who rate the system under the EHR mean: design, medium.
    s.sus = SusEvidence::of(&LOW_SUS);
    let low = suggest_cause(&s);
    assert_eq!(
        (low.cause, low.rule),
        (Cause::Design, Rule::DesignEverywhere)
    );
    // d + (1 - d) d / 2 P(low), before rounding: 0.38 + 0.62 x 0.38 x 0.5 x 0.96 = 0.49.
    assert_eq!(low.confidence, 0.49, "{low:?}");
    assert!(
        low.because.contains(
            "the clinicians' SUS: mean 40.9 of 8 sessions, below the published EHR mean 45.9 with probability 0.96, which supports design"
        ),
        "{}",
        low.because
    );
    // A high SUS neither supports nor takes away.
    s.sus = SusEvidence::of(&HIGH_SUS);
    let high = suggest_cause(&s);
    assert_eq!((high.rule, high.confidence), (Rule::FallbackLimited, 0.38));
    assert!(high.because.contains("not low: no support for design"));
    // Too few answers: as if none.
    s.sus = SusEvidence::of(&LOW_SUS[..4]);
    assert_eq!(suggest_cause(&s), alone);
}

#[test]
fn low_sus_never_outweighs_a_concentration_or_a_marked_cause() {
    // One site slow in every occurrence, the other as expected: training, whatever the SUS.
    let mut s = spread(FindingKind::SlowStep);
    s.sites = vec![
        CellShare::new("north", 12, 12),
        CellShare::new("south", 0, 12),
    ];
    s.roles = vec![CellShare::new("RN", 12, 24)];
    (s.affected, s.base) = (12, 24);
    let without = suggest_cause(&s);
    assert_eq!(without.rule, Rule::TrainingConcentrated);
    s.sus = SusEvidence::of(&[10.0, 15.0, 20.0, 12.5, 17.5]);
    assert_eq!(suggest_cause(&s), without);
    // Most slow occurrences logged an infrastructure problem: infrastructure, whatever the SUS.
    let mut marked = friction_everywhere_below_the_design_threshold();
    marked.co_infrastructure = 6;
    marked.sus = SusEvidence::of(&LOW_SUS);
    assert_eq!(suggest_cause(&marked).rule, Rule::CoInfrastructure);
}
