use super::*;
use crate::model::resolve_pathway;

fn med_rec() -> Pathway {
    resolve_pathway("med-rec-admission").unwrap().0
}

#[test]
fn counts_follow_the_directly_follows_definition() {
    let traces = vec![
        Trace::bare("s1", &["open-chart", "ask-patient", "ask-patient", "sign"]),
        Trace::bare("s2", &["open-chart", "sign"]),
        Trace::bare("s3", &[]),
    ];
    let map = build_map(&med_rec(), &traces);
    assert_eq!(map.sessions, 3);
    let e = map.edge("ask-patient", "ask-patient").unwrap();
    assert_eq!((e.count, e.sessions), (1, 1));
    let e = map.edge("open-chart", "sign").unwrap();
    assert_eq!((e.count, e.sessions, e.conforming), (1, 1, false));
    let e = map.edge(START, "open-chart").unwrap();
    assert_eq!((e.count, e.sessions, e.share), (2, 2, 0.666667));
    assert!(e.conforming);
    let e = map.edge(START, END).unwrap();
    assert_eq!((e.count, e.conforming), (1, false));
    let n = map.node("ask-patient").unwrap();
    assert_eq!(
        (n.count, n.sessions, n.planned, n.observed),
        (2, 1, true, true)
    );
    let n = map.node("pharmacy-record").unwrap();
    assert_eq!((n.count, n.observed), (0, false));
    assert_eq!(map.nodes.first().unwrap().id, START);
    assert_eq!(map.nodes.last().unwrap().id, END);
    // A configured edge no session took is listed with count 0.
    let e = map.edge("ask-patient", "pharmacy-record").unwrap();
    assert_eq!((e.count, e.conforming), (0, true));
}

#[test]
fn variants_are_sorted_by_count_then_sequence_with_fitness() {
    let traces = vec![
        Trace::bare("a", &["b-step"]),
        Trace::bare("b", &["a-step"]),
        Trace::bare("c", &["b-step"]),
    ];
    let map = build_map(&med_rec(), &traces);
    let steps: Vec<Vec<String>> = map.variants.iter().map(|v| v.steps.clone()).collect();
    assert_eq!(
        steps,
        vec![vec!["b-step".to_string()], vec!["a-step".to_string()]]
    );
    assert_eq!(map.variants[0].count, 2);
    // One unplanned step against 5 mandatory steps: cost 1 + 5, worst 1 + 5.
    assert_eq!(map.variants[0].fitness, 0.0);
    let n = map.node("b-step").unwrap();
    assert!(!n.planned && n.observed);
}

#[test]
fn gaps_and_active_times_use_numpys_linear_quantiles() {
    let mut t = Trace::bare("s", &["open-chart", "ask-patient"]);
    t.steps[0].start_ms = 0;
    t.steps[0].end_ms = 10_000;
    t.steps[0].active_secs = 10.0;
    t.steps[1].start_ms = 16_000;
    t.steps[1].end_ms = 20_000;
    let mut u = t.clone();
    u.id = "u".into();
    u.steps[0].end_ms = 16_000;
    u.steps[0].active_secs = 20.0;
    let mut v = u.clone();
    v.id = "v".into();
    v.steps[0].active_secs = 40.0;
    let map = build_map(&med_rec(), &[t, u, v]);
    let e = map.edge("open-chart", "ask-patient").unwrap();
    assert_eq!(e.median_gap_secs, Some(0.0));
    let n = map.node("open-chart").unwrap();
    assert_eq!(n.median_active_secs, Some(20.0));
    // numpy.percentile([10, 20, 40], 90) = 36
    assert_eq!(n.p90_active_secs, Some(36.0));
    assert_eq!(map.edge(START, "open-chart").unwrap().median_gap_secs, None);
}

#[test]
fn deviating_edges_remember_who_took_them_and_when() {
    let mut t = Trace::bare("s1", &["open-chart", "sign"]);
    t.steps[1].start_ms = 42_000;
    let map = build_map(&med_rec(), &[t]);
    let e = map.edge("open-chart", "sign").unwrap();
    assert_eq!(e.taken_by, vec![("s1".to_string(), 42_000)]);
    assert!(map.edge(START, "open-chart").unwrap().taken_by.is_empty());
}

#[test]
fn json_has_the_documented_keys() {
    let map = build_map(&med_rec(), &[Trace::bare("s", &["open-chart"])]);
    let value: serde_json::Value = serde_json::from_str(&map.to_json()).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&value),
        [
            "edges",
            "filter",
            "nodes",
            "pathway",
            "pathway_versions",
            "sessions",
            "variants"
        ]
    );
    assert_eq!(
        keys(&value["nodes"][0]),
        [
            "count",
            "expected_secs",
            "id",
            "label",
            "median_active_secs",
            "observed",
            "p90_active_secs",
            "planned",
            "sessions"
        ]
    );
    assert_eq!(
        keys(&value["edges"][0]),
        [
            "conforming",
            "count",
            "from",
            "median_gap_secs",
            "sessions",
            "share",
            "to"
        ]
    );
    assert_eq!(
        keys(&value["variants"][0]),
        ["count", "fitness", "median_observed_min", "share", "steps"]
    );
}
