//! Every statistic of audit rounds against the reference: tests/fixtures/rounds-stats.json,
//! made by scripts/rounds-fixture.sh with scipy (Mann-Whitney, Fisher), statsmodels
//! (Newcombe, Benjamini-Hochberg) and brute force (Hodges-Lehmann). Equal within 1e-9.

use serde_json::Value;
use shadowmap::rounds::stats;

const TOLERANCE: f64 = 1e-9;

fn fixture() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/rounds-stats.json"
    ))
    .expect("the fixture is committed");
    serde_json::from_str(&text).expect("the fixture is JSON")
}

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn close(what: &str, ours: f64, theirs: f64) {
    assert!(
        (ours - theirs).abs() <= TOLERANCE,
        "{what}: ours {ours}, reference {theirs}"
    );
}

#[test]
fn mann_whitney_medians_and_hodges_lehmann_match_the_reference() {
    let fixture = fixture();
    let cases = fixture["shifts"].as_array().unwrap();
    assert!(cases.len() >= 40);
    let mut unbounded = 0;
    for (i, case) in cases.iter().enumerate() {
        let after = numbers(&case["after"]);
        let before = numbers(&case["before"]);
        let what = format!(
            "case {i} ({}, {}x{})",
            case["kind"],
            after.len(),
            before.len()
        );
        let p = stats::mann_whitney_p(&after, &before).unwrap();
        close(&format!("{what} p"), p, case["p_value"].as_f64().unwrap());
        close(
            &format!("{what} median after"),
            stats::median(&after).unwrap(),
            case["median_after"].as_f64().unwrap(),
        );
        close(
            &format!("{what} median before"),
            stats::median(&before).unwrap(),
            case["median_before"].as_f64().unwrap(),
        );
        let shift = stats::hodges_lehmann(&after, &before).unwrap();
        close(
            &format!("{what} HL"),
            shift.estimate,
            case["hl_estimate"].as_f64().unwrap(),
        );
        match (&shift.interval, case["hl_interval"].as_array()) {
            (None, None) => unbounded += 1,
            (Some((low, high)), Some(reference)) => {
                close(
                    &format!("{what} HL low"),
                    *low,
                    reference[0].as_f64().unwrap(),
                );
                close(
                    &format!("{what} HL high"),
                    *high,
                    reference[1].as_f64().unwrap(),
                );
            }
            (ours, theirs) => panic!("{what}: interval {ours:?} against {theirs:?}"),
        }
    }
    // Small groups have no bounded interval; the fixture has both kinds.
    assert!(unbounded > 0 && unbounded < cases.len());
}

#[test]
fn newcombe_and_fisher_match_the_reference() {
    let fixture = fixture();
    for (i, case) in fixture["rates"].as_array().unwrap().iter().enumerate() {
        let get = |k: &str| case[k].as_u64().unwrap();
        let (k1, n1, k2, n2) = (
            get("k_after"),
            get("n_after"),
            get("k_before"),
            get("n_before"),
        );
        let what = format!("case {i} ({k1}/{n1} vs {k2}/{n2})");
        let (difference, low, high) = stats::newcombe_difference(k1, n1, k2, n2).unwrap();
        close(
            &format!("{what} diff"),
            difference,
            case["difference"].as_f64().unwrap(),
        );
        close(
            &format!("{what} low"),
            low,
            case["ci_low"].as_f64().unwrap(),
        );
        close(
            &format!("{what} high"),
            high,
            case["ci_high"].as_f64().unwrap(),
        );
        let p = stats::fisher_exact_p(k1, n1 - k1, k2, n2 - k2);
        close(
            &format!("{what} fisher"),
            p,
            case["p_value"].as_f64().unwrap(),
        );
    }
}

#[test]
fn benjamini_hochberg_matches_statsmodels() {
    let fixture = fixture();
    for case in fixture["adjustments"].as_array().unwrap() {
        let p = numbers(&case["p_values"]);
        let expected = numbers(&case["adjusted"]);
        let ours = stats::benjamini_hochberg(&p);
        for (o, e) in ours.iter().zip(&expected) {
            close(&format!("{p:?}"), *o, *e);
        }
    }
}

#[test]
fn the_normal_quantile_matches_scipy() {
    let fixture = fixture();
    for case in fixture["quantiles"].as_array().unwrap() {
        let p = case["p"].as_f64().unwrap();
        close(
            &format!("ppf({p})"),
            stats::normal_quantile(p),
            case["z"].as_f64().unwrap(),
        );
    }
}
