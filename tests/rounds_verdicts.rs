//! Verdicts behave: on generated rounds with a planted 30 % reduction of some steps' active
//! time and no change on the others, the planted changes are found at the size `plan` gives
//! (from a pilot of the same kind), and unchanged figures are called improved or worse in at
//! most 5 % of cases over many seeds.

use shadowmap::model::{Pathway, resolve_pathway};
use shadowmap::report::digest::{SessionDigest, StepDigest};
use shadowmap::rounds::plan::plan;
use shadowmap::rounds::{RoundsBuilder, Verdict};

const PLANTED: [&str; 3] = ["enter-home-meds", "ask-patient", "open-chart"];

fn standard_normal(rng: &mut fastrand::Rng) -> f64 {
    // Box-Muller.
    let (u, v) = (rng.f64().max(1e-12), rng.f64());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// One session doing every planned step once: active time log-normal around its expected
/// time (sd 0.5 on the log scale), scaled by `factor` on the planted steps; clicks and
/// re-entries with the same law in both rounds.
fn session(rng: &mut fastrand::Rng, pathway: &Pathway, i: usize, factor: f64) -> SessionDigest {
    let steps: Vec<StepDigest> = pathway
        .all_steps()
        .map(|s| {
            let scale = if PLANTED.contains(&s.id.as_str()) {
                factor
            } else {
                1.0
            };
            let active =
                f64::from(s.expected_secs.max(10)) * (0.5 * standard_normal(rng)).exp() * scale;
            let clicks =
                (f64::from(s.expected_clicks) * (0.3 * standard_normal(rng)).exp()).round() as u32;
            StepDigest {
                step: s.id.clone(),
                synced: true,
                planned: true,
                unplanned_label: None,
                active_secs: (active * 1000.0).round() / 1000.0,
                interrupted_secs: 0.0,
                clicks,
                screens: 1,
                reentries: u32::from(rng.f64() < 0.2),
                expected_secs: s.expected_secs,
                expected_clicks: s.expected_clicks,
                interruptions: 0,
                workarounds: Vec::new(),
                problems: Vec::new(),
                over_time: active > 1.5 * f64::from(s.expected_secs),
                over_clicks: f64::from(clicks) > 1.3 * f64::from(s.expected_clicks),
            }
        })
        .collect();
    SessionDigest {
        id: format!("s{i}"),
        site: ["north", "river"][i % 2].to_string(),
        role: "RN".into(),
        clinician: format!("RN-{:02}", i % 7),
        auditor: "ak".into(),
        pathway_id: pathway.id.clone(),
        pathway_version: pathway.version,
        fitness: 1.0,
        observed_secs: steps.iter().map(|s| s.active_secs).sum(),
        active_secs: steps.iter().map(|s| s.active_secs).sum(),
        interrupted_secs: 0.0,
        synced_active_secs: steps.iter().map(|s| s.active_secs).sum(),
        expected_secs: steps.iter().map(|s| f64::from(s.expected_secs)).sum(),
        click_excess: 0,
        reentries: 0,
        interruptions: 0,
        workarounds: Default::default(),
        problems: Default::default(),
        steps,
        deviations: Vec::new(),
        sus: None,
        tlx: None,
    }
}

/// Over `seeds` pairs of rounds of `sessions` each: the share of planted reductions the
/// verdict calls improved, the share the unadjusted Mann-Whitney test finds (p below 0.05,
/// interval below 0), the share of unchanged figures called improved or worse, how many
/// unchanged figures were judged, and how many p-values one comparison adjusts together.
fn run(pathway: &Pathway, sessions: usize, seeds: u64) -> (f64, f64, f64, usize, usize) {
    let (mut found, mut found_unadjusted, mut planted_tests) = (0usize, 0usize, 0usize);
    let (mut false_calls, mut quiet_tests, mut adjusted_together) = (0usize, 0usize, 0usize);
    for seed in 0..seeds {
        let mut rng = fastrand::Rng::with_seed(1000 + seed);
        let mut builder = RoundsBuilder::new("folder", &[]).unwrap();
        for i in 0..sessions {
            builder.add(0, "before", pathway, &session(&mut rng, pathway, i, 1.0));
            builder.add(1, "after", pathway, &session(&mut rng, pathway, i, 0.7));
        }
        let rounds = builder.finish();
        let comparison = &rounds.pathways[0].comparisons[0];
        assert!(comparison.group.is_empty());
        adjusted_together = adjusted_together.max(
            comparison
                .tests
                .iter()
                .filter(|t| t.p_value.is_some())
                .count(),
        );
        for test in &comparison.tests {
            let planted = test.metric == "active_secs"
                && test.step.as_deref().is_some_and(|s| PLANTED.contains(&s));
            if planted {
                planted_tests += 1;
                found += usize::from(test.verdict == Verdict::Improved);
                found_unadjusted += usize::from(
                    test.p_value.unwrap() < 0.05 && test.ci_high.is_some_and(|h| h < 0.0),
                );
                assert_ne!(test.verdict, Verdict::Worse, "{test:?}");
            } else if matches!(
                test.metric.as_str(),
                "active_secs" | "clicks" | "reentries" | "fitness"
            ) {
                quiet_tests += 1;
                false_calls += usize::from(test.verdict.is_clear());
            }
        }
    }
    (
        found as f64 / planted_tests as f64,
        found_unadjusted as f64 / planted_tests as f64,
        false_calls as f64 / quiet_tests as f64,
        quiet_tests,
        adjusted_together,
    )
}

#[test]
fn planted_changes_are_found_at_the_planned_size_and_no_change_stays_quiet() {
    let pathway = resolve_pathway("med-rec-admission").unwrap().0;
    let mut rng = fastrand::Rng::with_seed(14);
    let pilot: Vec<SessionDigest> = (0..40)
        .map(|i| session(&mut rng, &pathway, i, 1.0))
        .collect();
    let occurrences: Vec<f64> = pilot
        .iter()
        .flat_map(|d| d.steps.iter().filter(|s| s.step == "enter-home-meds"))
        .map(|s| s.active_secs)
        .collect();
    let sessions_for = |alpha: f64| {
        plan("enter-home-meds", "", &occurrences, 40, 0.3, 0.8, alpha)
            .unwrap()
            .sessions_per_round
            .unwrap() as usize
    };

    // What plan promises: the Mann-Whitney test finds the reduction with power 0.8.
    let sessions = sessions_for(0.05);
    assert!((15..=80).contains(&sessions), "plan says {sessions}");
    let (_, unadjusted, false_rate, quiet, m) = run(&pathway, sessions, 120);
    println!(
        "{sessions} sessions a round: unadjusted test finds {unadjusted:.3}, false calls {false_rate:.4} of {quiet}, {m} p-values adjusted together"
    );
    // 360 planted tests: 0.72 is about 3.5 standard errors below 0.8.
    assert!(unadjusted >= 0.72, "found {unadjusted:.3}");
    assert!(
        false_rate <= 0.05,
        "no-change figures called clear in {false_rate:.4}"
    );
    assert!(quiet >= 1000);

    // The verdict adjusts across the comparison's m p-values: planned with alpha / m (what
    // docs/rounds.md advises), the verdicts find the reduction as often as planned.
    let adjusted_sessions = sessions_for(0.05 / m as f64);
    let (found, _, false_rate, quiet, _) = run(&pathway, adjusted_sessions, 120);
    println!(
        "{adjusted_sessions} sessions a round (alpha 0.05/{m}): verdicts find {found:.3}, false calls {false_rate:.4} of {quiet}"
    );
    assert!(
        found >= 0.75,
        "planted 30 % reductions called improved in {found:.3}"
    );
    assert!(
        false_rate <= 0.05,
        "no-change figures called clear in {false_rate:.4}"
    );
}
