//! `shadowmap map` end to end on the sample sessions: the JSON's figures, filters, every format,
//! and clear errors (non-zero exit) for bad input.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions")
}

fn map(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("shadowmap")
        .unwrap()
        .arg("map")
        .arg(samples())
        .args(args)
        .assert()
}

fn json(args: &[&str]) -> Value {
    let out = map(&[args, &["--format", "json"]].concat()).success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

fn edge<'a>(map: &'a Value, from: &str, to: &str) -> &'a Value {
    map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == from && e["to"] == to)
        .unwrap_or_else(|| panic!("no edge {from} -> {to}"))
}

#[test]
fn json_of_one_pathway_has_its_sessions_nodes_edges_and_variants() {
    let m = json(&["--pathway", "med-rec-admission"]);
    assert_eq!(m["pathway"], "med-rec-admission");
    assert_eq!(m["pathway_versions"], serde_json::json!([3]));
    assert_eq!(m["sessions"], 6);
    assert_eq!(m["filter"], serde_json::json!({}));
    let start = edge(&m, "__start__", "open-chart");
    assert_eq!(
        (start["count"].as_u64(), start["share"].as_f64()),
        (Some(6), Some(1.0))
    );
    let deviating = edge(&m, "review-allergies", "sign");
    assert_eq!(deviating["conforming"], false);
    // The two pharmacists and a nurse at north review the allergies last.
    assert_eq!(deviating["share"], 0.5);
    let any_order = edge(&m, "pharmacy-record", "ask-patient");
    assert_eq!(any_order["conforming"], true);
    let unplanned = m["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "call-pharmacy")
        .unwrap();
    assert_eq!(unplanned["planned"], false);
    assert_eq!(unplanned["expected_secs"], Value::Null);
    let variants = m["variants"].as_array().unwrap();
    // The pharmacists at north and lake did the same: 6 sessions, 5 variants.
    assert_eq!(variants.len(), 5);
    assert!(variants.iter().any(|v| v["fitness"] == 1.0));
}

#[test]
fn where_filters_sessions_and_a_repeated_key_means_either() {
    let north = json(&["--pathway", "med-rec-admission", "--where", "site=north"]);
    assert_eq!(north["sessions"], 3);
    assert_eq!(north["filter"], serde_json::json!({"site": ["north"]}));
    let either = json(&[
        "--pathway",
        "med-rec-admission",
        "--where",
        "site=north,site=lake",
    ]);
    assert_eq!(either["sessions"], 5);
    let both = json(&[
        "--pathway",
        "med-rec-admission",
        "--where",
        "site=north,role=RN",
    ]);
    // RN-07 and RN-22 (the pharmacist left out).
    assert_eq!(both["sessions"], 2);
}

#[test]
fn every_format_draws() {
    let out = map(&["--pathway", "med-administration", "--format", "dot"]).success();
    let dot = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(dot.starts_with("digraph"), "{dot}");
    assert!(
        dot.contains("\"scan-medication\" -> \"scan-wristband\""),
        "{dot}"
    );
    assert!(dot.contains("style=dashed"));
    let out = map(&["--pathway", "med-administration", "--format", "svg"]).success();
    let svg = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{svg}");
    // html and text show every pathway of the folder.
    let out = map(&["--format", "html"]).success();
    let html = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(html.matches("<svg").count(), 6);
    assert!(html.contains("pathway run"));
    map(&[])
        .success()
        .stdout(predicate::str::contains(
            "Shadow map: Bar-code medication administration",
        ))
        .stdout(predicate::str::contains(
            "! scan-medication -> scan-wristband",
        ));
}

#[test]
fn out_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.html");
    map(&["--format", "html", "--out", out.to_str().unwrap()]).success();
    assert!(std::fs::read_to_string(&out).unwrap().contains("<svg"));
}

#[test]
fn an_unknown_where_key_is_a_clear_error() {
    map(&["--where", "ward=5"])
        .failure()
        .stderr(predicate::str::contains("unknown --where key `ward`"))
        .stderr(predicate::str::contains(
            "site, role, clinician, auditor, version",
        ));
    map(&["--where", "site"])
        .failure()
        .stderr(predicate::str::contains("is not KEY=VALUE"));
}

#[test]
fn an_unknown_where_value_names_the_values_there_are() {
    map(&["--where", "site=mars"])
        .failure()
        .stderr(predicate::str::contains("no session has site=mars"))
        .stderr(predicate::str::contains("lake, north, river"));
}

#[test]
fn a_pathway_that_matches_no_session_is_a_clear_error() {
    map(&["--pathway", "shift-handoff"])
        .failure()
        .stderr(predicate::str::contains(
            "the pathway `shift-handoff` matches no session",
        ))
        .stderr(predicate::str::contains("med-rec-admission (6 sessions)"));
    map(&["--pathway", "lab-result-review", "--where", "site=north"])
        .failure()
        .stderr(predicate::str::contains(
            "matches no session that --where keeps",
        ));
    map(&["--pathway", "no-such-pathway"])
        .failure()
        .stderr(predicate::str::contains(
            "unknown pathway id `no-such-pathway`",
        ));
}

#[test]
fn an_empty_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("shadowmap")
        .unwrap()
        .args(["map", dir.path().to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no session files (.ron) in"));
}

#[test]
fn one_graph_formats_ask_for_a_pathway_when_there_are_several() {
    map(&["--format", "json"])
        .failure()
        .stderr(predicate::str::contains("the sessions follow 6 pathways"))
        .stderr(predicate::str::contains("--pathway"));
    map(&["--min-share", "2"])
        .failure()
        .stderr(predicate::str::contains("--min-share 2 is not a share"));
}

#[test]
fn out_never_replaces_a_session_the_map_reads() {
    let dir = tempfile::tempdir().unwrap();
    let session = dir.path().join("s.ron");
    std::fs::copy(samples().join("20261116-0805-north-RN-07.ron"), &session).unwrap();
    let before = std::fs::read(&session).unwrap();
    Command::cargo_bin("shadowmap")
        .unwrap()
        .args([
            "map",
            dir.path().to_str().unwrap(),
            "--format",
            "svg",
            "--out",
        ])
        .arg(&session)
        .assert()
        .failure()
        .stderr(predicate::str::contains("a session this map reads"));
    assert_eq!(std::fs::read(&session).unwrap(), before);
}
