//! The oracle's hand cases (`../shared/oracle/cases.json`, copied to tests/fixtures/oracle/)
//! through the comparator: every cost and worst_cost as computed by hand and checked with pm4py.

use std::path::Path;

use serde_json::Value;
use shadowmap::compare::{MoveKind, compare_trace, pathway_from_json_str};

#[test]
fn hand_cases_give_the_hand_computed_costs() {
    let text = std::fs::read_to_string("tests/fixtures/oracle/cases.json").unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let pathway = pathway_from_json_str(
            &case["pathway"].to_string(),
            Path::new(&format!("{name}.json")),
        )
        .unwrap();
        for t in case["traces"].as_array().unwrap() {
            let trace: Vec<&str> = t["trace"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            let c = compare_trace(name, &trace, &pathway);
            assert_eq!(
                u64::from(c.cost),
                t["cost"].as_u64().unwrap(),
                "{name} {trace:?}: {:?}",
                c.moves
            );
            assert_eq!(
                u64::from(c.worst_cost),
                t["worst_cost"].as_u64().unwrap(),
                "{name} {trace:?}"
            );
            if let Some(f) = t["fitness"].as_f64() {
                // pm4py says 0 where worst_cost is 0; docs/reference.md section 5 says 1.0.
                let want = if c.worst_cost == 0 { 1.0 } else { f };
                assert!(
                    (c.fitness - want).abs() < 1e-9,
                    "{name} {trace:?}: {} != {want}",
                    c.fitness
                );
            }
            let deviating = c
                .moves
                .iter()
                .filter(|m| matches!(m.kind, MoveKind::Log | MoveKind::Model))
                .count();
            assert_eq!(deviating as u32, c.cost, "{name} {trace:?}");
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked} traces checked");
}

#[test]
fn invalid_oracle_pathways_are_rejected_with_the_oracle_message() {
    let text = std::fs::read_to_string("tests/fixtures/oracle/cases.json").unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    for bad in doc["invalid"].as_array().unwrap() {
        let e =
            pathway_from_json_str(&bad["pathway"].to_string(), Path::new("bad.json")).unwrap_err();
        let needle = bad["error"].as_str().unwrap();
        assert!(e.message.contains(needle), "{}: {e}", bad["pathway"]);
    }
}
