//! Comparing two rounds: the tests of every step and pathway-wide figure, adjusted together,
//! their verdicts, and the findings by stable id.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{KindCounts, VocabularyKind};
use crate::report::digest::DevKind;

use super::build::{Finished, PathwaySamples, RoundSamples, StepSample};
use super::stats;
use super::{
    ALPHA, Comparison, FindingChange, FindingStatus, MIN_UNITS, PathwayRound, PathwayRounds, Side,
    SiteRound, StepRound, Test, Verdict,
};

/// Deviation kinds counted per session (over time and over clicks are per occurrence).
const SESSION_DEVIATIONS: [DevKind; 4] = [
    DevKind::Missing,
    DevKind::Unplanned,
    DevKind::OutOfOrder,
    DevKind::Repeated,
];

pub(crate) fn pathway_rounds(by: &[String], samples: PathwaySamples) -> PathwayRounds {
    let pathway = samples.pathway;
    let mut rounds: Vec<(String, Finished, BTreeMap<Vec<String>, Finished>)> = samples
        .rounds
        .into_values()
        .map(RoundSamples::finish)
        .collect();
    // Planned steps in the pathway's order, then unplanned ones by id.
    let mut steps: Vec<(String, String)> = pathway
        .all_steps()
        .map(|s| (s.id.clone(), s.label.clone()))
        .collect();
    let planned: BTreeSet<String> = steps.iter().map(|(id, _)| id.clone()).collect();
    let mut unplanned: BTreeMap<String, String> = BTreeMap::new();
    for (_, all, _) in &rounds {
        for (id, s) in &all.sample.steps {
            if !planned.contains(id) {
                unplanned
                    .entry(id.clone())
                    .or_insert_with(|| s.label.clone().unwrap_or_else(|| id.clone()));
            }
        }
    }
    steps.extend(unplanned);

    let pathway_rounds: Vec<PathwayRound> = rounds
        .iter()
        .map(|(name, all, _)| round_figures(name, all, &steps))
        .collect();

    let mut pairs: Vec<(usize, usize)> = (1..rounds.len()).map(|i| (i - 1, i)).collect();
    if rounds.len() >= 3 {
        pairs.push((0, rounds.len() - 1));
    }
    let empty = Finished::empty();
    let mut comparisons = Vec::new();
    for (from, to) in pairs {
        let whole: Vec<&Finished> = rounds.iter().map(|(_, all, _)| all).collect();
        comparisons.push(compare(
            (&rounds[from].0, &rounds[to].0),
            Vec::new(),
            &steps,
            (whole[from], whole[to]),
            &whole,
        ));
        let keys: BTreeSet<&Vec<String>> =
            rounds[from].2.keys().chain(rounds[to].2.keys()).collect();
        for key in keys {
            let per_round: Vec<&Finished> = rounds
                .iter()
                .map(|(_, _, groups)| groups.get(key).unwrap_or(&empty))
                .collect();
            comparisons.push(compare(
                (&rounds[from].0, &rounds[to].0),
                by.iter().cloned().zip(key.iter().cloned()).collect(),
                &steps,
                (per_round[from], per_round[to]),
                &per_round,
            ));
        }
    }
    rounds.clear();
    PathwayRounds {
        id: pathway.id.clone(),
        name: pathway.name.clone(),
        rounds: pathway_rounds,
        comparisons,
    }
}

fn round_figures(name: &str, all: &Finished, steps: &[(String, String)]) -> PathwayRound {
    let sample = &all.sample;
    PathwayRound {
        name: name.to_string(),
        sessions: sample.sessions,
        sites: sample.sites.iter().cloned().collect(),
        roles: sample.roles.iter().cloned().collect(),
        hours_observed: sample.observed_secs / 3600.0,
        mean_fitness: sample.mean_fitness(),
        by_site: sample
            .fitness_by_site
            .iter()
            .map(|(site, (n, sum))| SiteRound {
                site: site.clone(),
                sessions: *n,
                mean_fitness: sum / *n as f64,
            })
            .collect(),
        steps: steps
            .iter()
            .map(|(id, label)| {
                let values = sample.steps.get(id).map_or(&[][..], |s| &s.active_secs[..]);
                let (low, high) = median_interval(values).unzip();
                StepRound {
                    step: id.clone(),
                    label: label.clone(),
                    n: values.len() as u64,
                    median_active_secs: stats::median(values),
                    median_ci_low: low,
                    median_ci_high: high,
                }
            })
            .collect(),
    }
}

/// A distribution-free 95 % interval for a median: the order statistics j and n + 1 - j,
/// j = floor(n/2 - z sqrt(n)/2) (the normal approximation to the binomial); `None` when j < 1.
pub fn median_interval(values: &[f64]) -> Option<(f64, f64)> {
    let n = values.len();
    let j = (n as f64 / 2.0 - stats::HL_Z * (n as f64).sqrt() / 2.0).floor();
    if j < 1.0 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let j = j as usize;
    Some((sorted[j - 1], sorted[n - j]))
}

/// The tests and findings of one comparison.
fn compare(
    (from, to): (&str, &str),
    group: Vec<(String, String)>,
    steps: &[(String, String)],
    (before, after): (&Finished, &Finished),
    every_round: &[&Finished],
) -> Comparison {
    let mut tests = Vec::new();
    let none = StepSample::default();
    for (id, _) in steps {
        let (b, a) = (before.sample.steps.get(id), after.sample.steps.get(id));
        if b.is_none() && a.is_none() {
            continue;
        }
        let (b, a) = (b.unwrap_or(&none), a.unwrap_or(&none));
        let step = Some(id.clone());
        tests.push(values_test(
            step.clone(),
            "active_secs",
            &b.active_secs,
            &a.active_secs,
        ));
        for (metric, bv, av) in [
            ("clicks", &b.clicks, &a.clicks),
            ("reentries", &b.reentries, &a.reentries),
        ] {
            if bv.iter().chain(av.iter()).any(|v| *v != 0.0) {
                tests.push(values_test(step.clone(), metric, bv, av));
            }
        }
        let (nb, na) = (b.occurrences(), a.occurrences());
        let mut rates: Vec<(String, u64, u64)> = vec![
            ("over_time".into(), b.over_time, a.over_time),
            ("over_clicks".into(), b.over_clicks, a.over_clicks),
        ];
        kind_rates(&mut rates, "workaround", &b.workarounds, &a.workarounds);
        kind_rates(&mut rates, "problem", &b.problems, &a.problems);
        for (metric, kb, ka) in rates {
            if kb + ka > 0 {
                tests.push(rate_test(step.clone(), metric, (kb, nb), (ka, na)));
            }
        }
        for kind in SESSION_DEVIATIONS {
            deviation_test(&mut tests, step.clone(), kind, before, after);
        }
    }
    tests.push(values_test(
        None,
        "fitness",
        &before.sample.fitness,
        &after.sample.fitness,
    ));
    // The clinicians' own scores, per session that answered, when either round has one.
    for (metric, b, a) in [
        ("sus", &before.sample.sus, &after.sample.sus),
        ("tlx", &before.sample.tlx, &after.sample.tlx),
    ] {
        if !(b.is_empty() && a.is_empty()) {
            tests.push(values_test(None, metric, b, a));
        }
    }
    for kind in SESSION_DEVIATIONS {
        deviation_test(&mut tests, None, kind, before, after);
    }
    adjust(&mut tests);
    Comparison {
        from: from.to_string(),
        to: to.to_string(),
        group,
        tests,
        findings: finding_changes(before, after, every_round),
    }
}

fn deviation_test(
    tests: &mut Vec<Test>,
    step: Option<String>,
    kind: DevKind,
    before: &Finished,
    after: &Finished,
) {
    let key = (step.clone(), kind);
    let kb = before
        .sample
        .deviation_sessions
        .get(&key)
        .copied()
        .unwrap_or(0);
    let ka = after
        .sample
        .deviation_sessions
        .get(&key)
        .copied()
        .unwrap_or(0);
    if kb + ka > 0 {
        tests.push(rate_test(
            step,
            format!("deviation:{}", kind.name()),
            (kb, before.sample.sessions),
            (ka, after.sample.sessions),
        ));
    }
}

fn values_test(step: Option<String>, metric: &str, before: &[f64], after: &[f64]) -> Test {
    let shift = stats::hodges_lehmann(after, before);
    let (ci_low, ci_high) = shift.and_then(|s| s.interval).unzip();
    Test {
        step,
        metric: metric.to_string(),
        before: Side::Values {
            n: before.len() as u64,
            median: stats::median(before),
        },
        after: Side::Values {
            n: after.len() as u64,
            median: stats::median(after),
        },
        estimate: shift.map(|s| s.estimate),
        ci_low,
        ci_high,
        p_value: stats::mann_whitney_p(after, before),
        p_adjusted: None,
        verdict: Verdict::TooFew,
    }
}

fn rate_test(
    step: Option<String>,
    metric: String,
    (kb, nb): (u64, u64),
    (ka, na): (u64, u64),
) -> Test {
    let rate = |k: u64, n: u64| (n > 0).then(|| k as f64 / n as f64);
    let interval = stats::newcombe_difference(ka, na, kb, nb);
    Test {
        step,
        metric,
        before: Side::Rate {
            n: nb,
            k: kb,
            rate: rate(kb, nb),
        },
        after: Side::Rate {
            n: na,
            k: ka,
            rate: rate(ka, na),
        },
        estimate: interval.map(|i| i.0),
        ci_low: interval.map(|i| i.1),
        ci_high: interval.map(|i| i.2),
        p_value: (na > 0 && nb > 0).then(|| stats::fisher_exact_p(ka, na - ka, kb, nb - kb)),
        p_adjusted: None,
        verdict: Verdict::TooFew,
    }
}

/// Benjamini-Hochberg over every p-value of the comparison, then each test's verdict.
fn adjust(tests: &mut [Test]) {
    let with_p: Vec<usize> = (0..tests.len())
        .filter(|&i| tests[i].p_value.is_some())
        .collect();
    let p: Vec<f64> = with_p.iter().filter_map(|&i| tests[i].p_value).collect();
    for (&i, adjusted) in with_p.iter().zip(stats::benjamini_hochberg(&p)) {
        tests[i].p_adjusted = Some(adjusted);
    }
    for test in tests.iter_mut() {
        test.verdict = verdict(test);
    }
}

/// `too_few` below [`MIN_UNITS`] in a round; `improved` or `worse` when the adjusted p is
/// below [`ALPHA`] and the interval excludes 0 (lower is better, but for fitness and the SUS).
pub fn verdict(test: &Test) -> Verdict {
    if test.before.n() < MIN_UNITS || test.after.n() < MIN_UNITS {
        return Verdict::TooFew;
    }
    let (Some(p), Some(low), Some(high)) = (test.p_adjusted, test.ci_low, test.ci_high) else {
        return Verdict::NoClearChange;
    };
    if p >= ALPHA {
        return Verdict::NoClearChange;
    }
    let higher_is_better = matches!(test.metric.as_str(), "fitness" | "sus");
    match (high < 0.0, low > 0.0) {
        (true, _) if higher_is_better => Verdict::Worse,
        (true, _) => Verdict::Improved,
        (_, true) if higher_is_better => Verdict::Improved,
        (_, true) => Verdict::Worse,
        _ => Verdict::NoClearChange,
    }
}

fn finding_changes(
    before: &Finished,
    after: &Finished,
    every_round: &[&Finished],
) -> Vec<FindingChange> {
    let ids: BTreeSet<&String> = before
        .findings
        .keys()
        .chain(after.findings.keys())
        .collect();
    let mut changes: Vec<(f64, FindingChange)> = ids
        .into_iter()
        .map(|id| {
            let (b, a) = (before.findings.get(id), after.findings.get(id));
            let status = match (b, a) {
                (Some(_), Some(_)) => FindingStatus::Persisting,
                (None, Some(_)) => FindingStatus::New,
                _ => FindingStatus::Resolved,
            };
            let shown = a.or(b).expect("the id came from one of them");
            let cost = b
                .map_or(0.0, |f| f.time_cost_min)
                .max(a.map_or(0.0, |f| f.time_cost_min));
            (
                cost,
                FindingChange {
                    id: id.clone(),
                    step: shown.step.clone(),
                    kind: shown.kind.clone(),
                    title: shown.title.clone(),
                    status,
                    time_cost_min: every_round
                        .iter()
                        .map(|r| r.findings.get(id).map_or(0.0, |f| f.time_cost_min))
                        .collect(),
                },
            )
        })
        .collect();
    changes.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.id.cmp(&y.1.id)));
    changes.into_iter().map(|(_, c)| c).collect()
}

/// One rate per kind seen in either round (`workaround:fax`): built-in kinds first, then the
/// site's own by id.
fn kind_rates<K: VocabularyKind>(
    rates: &mut Vec<(String, u64, u64)>,
    prefix: &str,
    before: &KindCounts<K>,
    after: &KindCounts<K>,
) {
    let kinds: BTreeSet<K> = before.iter().chain(after.iter()).map(|(k, _)| k).collect();
    for kind in kinds {
        rates.push((
            format!("{prefix}:{}", kind.name()),
            u64::from(before.get(kind)),
            u64::from(after.get(kind)),
        ));
    }
}
