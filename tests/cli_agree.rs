//! `shadowmap agree` from the outside: text and JSON, and bad input.

mod support {
    pub mod cli;
}

use std::path::{Path, PathBuf};
use support::cli::shadowmap;

use predicates::prelude::*;
use serde_json::Value;

const DIR: &str = "sample-sessions/agreement";
const P1A: &str = "20261125-0918-north-RN-07-ak";
const P1B: &str = "20261125-0918-north-RN-07-jb";
const P2A: &str = "20261126-1405-south-RN-12-ak";
const P2B: &str = "20261126-1403-south-RN-12-mt";

fn file(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(DIR)
        .join(format!("{id}.ron"))
}

fn json(args: &[&str]) -> Value {
    let out = shadowmap()
        .arg("agree")
        .args(args)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// A copy of a sample session with one header line changed.
fn edited(dir: &Path, id: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(file(id)).unwrap();
    assert!(text.contains(from), "{from}");
    let path = dir.join(format!("{id}-edited.ron"));
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    path
}

#[test]
fn text_report_of_a_well_agreeing_pair() {
    shadowmap()
        .arg("agree")
        .arg(file(P1A))
        .arg(file(P1B))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("time_slice_kappa       0.982")
                .and(predicate::str::contains("overall"))
                .and(predicate::str::contains("Where they disagree most"))
                .and(predicate::str::contains("ehr_alert logged by A")),
        );
}

#[test]
fn json_has_exactly_the_figure_names() {
    let g = json(&[file(P1A).to_str().unwrap(), file(P1B).to_str().unwrap()]);
    for key in [
        "time_slice_kappa",
        "naming_kappa",
        "duration_ccc",
        "sequence_similarity",
    ] {
        let v = g[key]
            .as_f64()
            .unwrap_or_else(|| panic!("{key}: {}", g[key]));
        assert!((0.8..=1.0).contains(&v), "{key} = {v}");
    }
    assert!(g["timing_gap_secs"]["median"].as_f64().unwrap() < 2.0);
    assert!(g["timing_gap_secs"]["p90"].as_f64().unwrap() < 3.0);
    for key in ["interruptions", "workarounds", "system_problems"] {
        let e = &g[key];
        assert!(
            e["precision"].is_f64() && e["recall"].is_f64(),
            "{key}: {e}"
        );
        assert!(e["unmatched_a"].is_array() && e["unmatched_b"].is_array());
    }
    assert_eq!(g["interruptions"]["unmatched_a"][0]["kind"], "ehr_alert");
    assert_eq!(g["verdicts"]["overall"], "good");
    assert_eq!(g["verdicts"]["time_slice_kappa"], "good");
    assert_eq!(g["a"]["auditor"], "ak");
    assert_eq!(g["b"]["auditor"], "jb");
    assert_eq!(g["tolerance_secs"], 10.0);
    // Exactly these names: a renamed or an extra figure fails here.
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&g),
        [
            "a",
            "advice",
            "b",
            "disagreements",
            "duration_ccc",
            "interruptions",
            "naming_kappa",
            "paired_steps",
            "sequence_similarity",
            "shift_b_secs",
            "step_issues",
            "suggested_shift_b_secs",
            "system_problems",
            "time_slice_kappa",
            "timing_gap_secs",
            "tolerance_secs",
            "verdicts",
            "warnings",
            "window",
            "workarounds",
        ]
    );
    assert_eq!(
        keys(&g["verdicts"]),
        [
            "duration_ccc",
            "interruptions",
            "naming_kappa",
            "overall",
            "sequence_similarity",
            "system_problems",
            "time_slice_kappa",
            "timing_gap_secs",
            "workarounds",
        ]
    );
    assert_eq!(keys(&g["timing_gap_secs"]), ["median", "p90"]);
    for key in ["interruptions", "workarounds", "system_problems"] {
        assert_eq!(
            keys(&g[key]),
            [
                "a",
                "b",
                "matched",
                "precision",
                "recall",
                "unmatched_a",
                "unmatched_b"
            ],
            "{key}"
        );
    }
}

#[test]
fn a_slow_clock_is_spotted_and_corrected_with_shift_b() {
    let (a, b) = (file(P2A), file(P2B));
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let off = json(&[a, b]);
    assert_eq!(off["verdicts"]["overall"], "poor");
    let suggested = off["suggested_shift_b_secs"].as_f64().unwrap();
    assert!((90.0..=95.0).contains(&suggested), "{suggested}");
    assert!(off["advice"][0].as_str().unwrap().contains("--shift-b"));

    let on = json(&[a, b, "--shift-b", "95"]);
    assert!(on["suggested_shift_b_secs"].is_null());
    let (k_off, k_on) = (
        off["time_slice_kappa"].as_f64().unwrap(),
        on["time_slice_kappa"].as_f64().unwrap(),
    );
    assert!(k_on > k_off + 0.3, "{k_off} -> {k_on}");
    assert!(on["timing_gap_secs"]["median"].as_f64().unwrap() < 5.0);
    // The disagreements the script put in remain: the swapped step names, the missed
    // colleague interruption, a problem named differently.
    assert!(on["naming_kappa"].as_f64().unwrap() < 0.8);
    assert_eq!(on["interruptions"]["unmatched_a"][0]["kind"], "colleague");
    assert_eq!(on["system_problems"]["matched"], 0);
    assert_eq!(on["window"]["paused_slices"], 120);
}

#[test]
fn sessions_by_id_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    for id in [P1A, P1B] {
        std::fs::copy(file(id), sessions.join(format!("{id}.ron"))).unwrap();
    }
    shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["agree", P1A, P1B, "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"time_slice_kappa\": 0.98"));
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["agree", "no-such-session"])
        .arg(file(P1B))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("loading A (no-such-session)")
                .and(predicate::str::contains("no-such-session")),
        );
}

#[test]
fn a_damaged_file_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let bad = edited(dir.path(), P1B, "site: \"north\",", "site: north\",");
    shadowmap()
        .arg("agree")
        .arg(file(P1A))
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("-edited.ron:6:"));
}

#[test]
fn sessions_that_never_overlap_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let next_day = edited(
        dir.path(),
        P1B,
        "2026-11-25T09:18:39.200+01:00",
        "2026-11-26T09:18:39.200+01:00",
    );
    shadowmap()
        .arg("agree")
        .arg(file(P1A))
        .arg(&next_day)
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("never ran at the same time")
                .and(predicate::str::contains("--shift-b")),
        );
}

#[test]
fn different_pathways_are_an_error_different_clinicians_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let other_pathway = edited(
        dir.path(),
        P1B,
        "pathway_id: \"med-rec-admission\"",
        "pathway_id: \"discharge-summary\"",
    );
    shadowmap()
        .arg("agree")
        .arg(file(P1A))
        .arg(&other_pathway)
        .assert()
        .failure()
        .stderr(predicate::str::contains("follow different pathways"));

    let other_clinician = edited(
        dir.path(),
        P1B,
        "clinician: \"RN-07\"",
        "clinician: \"RN-70\"",
    );
    shadowmap()
        .arg("agree")
        .arg(file(P1A))
        .arg(&other_clinician)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: the sessions name different clinicians (A: RN-07, B: RN-70)",
        ));
}

#[test]
fn a_negative_tolerance_is_refused() {
    shadowmap()
        .arg("agree")
        .arg(file(P1A))
        .arg(file(P1B))
        .arg("--tolerance=-3")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--tolerance must be"));
}
