//! `shadowmap rounds` and `shadowmap plan` end to end: two rounds in two folders, where the
//! change halved a slow step and removed a workaround; every format, the JSON keys of
//! docs/rounds.md, and clear errors on bad input.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use shadowmap::model::WorkaroundKind;
use shadowmap::testing::{StepSpec, as_expected, header_for, session_of_steps, step};

/// 10 sessions at two sites: `enter-home-meds` takes `home_meds_secs` (plus a spread), and in
/// the baseline pharmacy-record draws a copy-paste workaround.
fn write_round(dir: &Path, name: &str, home_meds_secs: u64, workaround: bool) -> PathBuf {
    let folder = dir.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    for n in 0..10u64 {
        let site = ["north", "south"][n as usize % 2];
        let mut steps: Vec<StepSpec> = as_expected();
        for s in &mut steps {
            if s.step == "enter-home-meds" {
                *s = step("enter-home-meds", home_meds_secs + n * 7, 40);
            }
            if s.step == "pharmacy-record" && workaround {
                *s = s
                    .clone()
                    .workaround(WorkaroundKind::CopyPaste, "copied the list");
            }
        }
        let id = format!("{name}-{n:02}");
        let h = header_for(&id, "med-rec-admission", site, "RN", &format!("RN-{n:02}"));
        std::fs::write(
            folder.join(format!("{id}.ron")),
            session_of_steps(h, &steps).to_ron(),
        )
        .unwrap();
    }
    folder
}

fn rounds(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("shadowmap").unwrap().args(args).assert()
}

#[test]
fn two_folders_tell_what_changed_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let before = write_round(dir.path(), "baseline", 600, true);
    let after = write_round(dir.path(), "after", 250, false);
    let (b, a) = (before.to_str().unwrap(), after.to_str().unwrap());

    let out = rounds(&["rounds", b, a, "--split", "folder", "--format", "json"]).success();
    let json: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["rounds"][0]["name"], "baseline");
    assert_eq!(json["rounds"][1]["sessions"], 10);
    let pathway = &json["pathways"][0];
    assert_eq!(pathway["id"], "med-rec-admission");
    assert_eq!(pathway["rounds"][1]["name"], "after");
    assert!(pathway["rounds"][0]["mean_fitness"].as_f64().unwrap() > 0.9);
    let comparisons = pathway["comparisons"].as_array().unwrap();
    // The whole pathway, then each site (role is RN throughout).
    assert_eq!(comparisons.len(), 3);
    let whole = &comparisons[0];
    assert_eq!(
        (whole["from"].as_str(), whole["to"].as_str()),
        (Some("baseline"), Some("after"))
    );
    assert_eq!(whole["group"], serde_json::json!([]));
    assert_eq!(
        comparisons[1]["group"],
        serde_json::json!([["site", "north"], ["role", "RN"]])
    );
    let test = |step: &str, metric: &str| -> &Value {
        whole["tests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["step"] == step && t["metric"] == metric)
            .unwrap_or_else(|| panic!("no test {step} {metric}"))
    };
    let home_meds = test("enter-home-meds", "active_secs");
    assert_eq!(home_meds["verdict"], "improved");
    assert_eq!(home_meds["before"]["n"], 10);
    // Medians about 600 + 7 * 4.5 and 250 + 7 * 4.5 (the generator's clicks take a few
    // milliseconds): the shift is -350.
    let near = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 0.5;
    assert!(near(&home_meds["before"]["median"], 631.5), "{home_meds}");
    assert!(near(&home_meds["estimate"], -350.0), "{home_meds}");
    assert!(home_meds["ci_high"].as_f64().unwrap() < 0.0);
    assert!(home_meds["p_adjusted"].as_f64().unwrap() >= home_meds["p_value"].as_f64().unwrap());
    let copy = test("pharmacy-record", "workaround:copy_paste");
    assert_eq!(
        (copy["before"]["k"].as_u64(), copy["after"]["rate"].as_f64()),
        (Some(10), Some(0.0))
    );
    assert_eq!(copy["verdict"], "improved");
    assert_eq!(
        test("open-chart", "active_secs")["verdict"],
        "no_clear_change"
    );
    let fitness = whole["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["metric"] == "fitness")
        .unwrap();
    assert!(fitness["step"].is_null());
    let finding = whole["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["step"] == "pharmacy-record" && f["kind"].as_str().unwrap().contains("copy_paste")
        })
        .expect("the copy-paste finding");
    assert_eq!(finding["status"], "resolved");
    let costs = finding["time_cost_min"].as_array().unwrap();
    assert_eq!(costs.len(), 2);
    assert_eq!(costs[1], 0.0);
}

#[test]
fn the_same_rounds_in_text_markdown_html_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let before = write_round(dir.path(), "baseline", 600, true);
    let after = write_round(dir.path(), "after", 250, false);
    let (b, a) = (before.to_str().unwrap(), after.to_str().unwrap());
    let text = rounds(&["rounds", b, a, "--split", "folder"]).success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(text.contains("baseline -> after [all]"), "{text}");
    assert!(text.contains("enter-home-meds active_secs"));
    assert!(text.contains("resolved"));

    let md = rounds(&["rounds", b, a, "--split", "folder", "--format", "md"]).success();
    assert!(
        String::from_utf8_lossy(&md.get_output().stdout)
            .contains("| enter-home-meds active_secs |")
    );

    let html_file = dir.path().join("rounds.html");
    rounds(&[
        "rounds",
        b,
        a,
        "--split",
        "folder",
        "--format",
        "html",
        "--out",
        html_file.to_str().unwrap(),
    ])
    .success();
    let html = std::fs::read_to_string(&html_file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.matches("<svg").count() > 3);
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"));

    let csv = rounds(&[
        "rounds", b, a, "--split", "folder", "--format", "csv", "--by", "",
    ])
    .success();
    let csv = String::from_utf8(csv.get_output().stdout.clone()).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        shadowmap::rounds::render::CSV_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| &r[3] == "all"));
    assert!(
        rows.iter()
            .any(|r| &r[4] == "enter-home-meds" && &r[5] == "active_secs" && &r[17] == "improved")
    );
}

#[test]
fn date_and_version_splits_name_their_rounds() {
    let dir = tempfile::tempdir().unwrap();
    write_round(dir.path(), "all", 300, false);
    let folder = dir.path().join("all");
    // testing::header_for starts every session on 2026-11-25.
    let out = rounds(&[
        "rounds",
        folder.to_str().unwrap(),
        "--split",
        "date:2026-11-01,2026-12-01",
        "--format",
        "json",
    ])
    .success();
    let json: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["split"], "date:2026-11-01,2026-12-01");
    assert_eq!(json["rounds"][0]["name"], "2026-11-01 to 2026-12-01");
    let out = rounds(&[
        "rounds",
        folder.to_str().unwrap(),
        "--split",
        "version",
        "--format",
        "json",
    ])
    .success();
    let json: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["rounds"][0]["name"], "v3");
    assert_eq!(json["pathways"][0]["comparisons"], serde_json::json!([]));
}

#[test]
fn bad_input_is_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let folder = write_round(dir.path(), "r", 300, false);
    let f = folder.to_str().unwrap();
    rounds(&["rounds", f, "--split", "weekly"])
        .failure()
        .stderr(predicates::str::contains("folder, version or date:"));
    rounds(&["rounds", f, "--split", "date:2026-02-30"])
        .failure()
        .stderr(predicates::str::contains("2026-02-30"));
    rounds(&["rounds", f, "/no/such/folder", "--split", "folder"])
        .failure()
        .stderr(predicates::str::contains("/no/such/folder"));
    rounds(&["rounds", f, "--split", "folder", "--by", "ward"])
        .failure()
        .stderr(predicates::str::contains("cannot group by `ward`"));
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    rounds(&["rounds", f, empty.to_str().unwrap(), "--split", "folder"])
        .failure()
        .stderr(predicates::str::contains("no session files"));
    std::fs::write(folder.join("broken.ron"), "SessionFile(").unwrap();
    rounds(&["rounds", f, "--split", "version"])
        .success()
        .stderr(predicates::str::contains("broken.ron"));
    rounds(&["plan", f, "--step", "no-such-step", "--reduction", "0.3"])
        .failure()
        .stderr(predicates::str::contains("`no-such-step`"));
    rounds(&["plan", f, "--step", "enter-home-meds", "--reduction", "30"])
        .failure()
        .stderr(predicates::str::contains("--reduction"));
}

#[test]
fn plan_gives_sessions_per_round_and_what_the_pilot_detects() {
    let dir = tempfile::tempdir().unwrap();
    let folder = write_round(dir.path(), "pilot", 300, false);
    let out = rounds(&[
        "plan",
        folder.to_str().unwrap(),
        "--step",
        "enter-home-meds",
        "--reduction",
        "0.3",
        "--format",
        "json",
    ])
    .success();
    let plan: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(plan["pilot_sessions"], 10);
    assert_eq!(plan["pilot_occurrences"], 10);
    // Times 300..363: scaled by 0.7 every pair is lower, p = 1 and Noether gives
    // (1.959964 + 0.841621)^2 / (6 * 0.25) = 5.23, so 6 occurrences, 6 sessions.
    assert_eq!(plan["p_lower"], 1.0);
    assert_eq!(plan["sessions_per_round"], 6);
    let text = rounds(&[
        "plan",
        folder.to_str().unwrap(),
        "--step",
        "enter-home-meds",
        "--reduction",
        "0.3",
    ])
    .success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(text.contains("6 sessions per round"), "{text}");
    assert!(
        text.contains("the pilot would detect a reduction of"),
        "{text}"
    );
}
