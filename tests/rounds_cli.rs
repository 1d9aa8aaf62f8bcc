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

/// Two rounds where only the clinicians' voice changed: SUS and raw TLX are compared as any
/// per-session figure (medians, Hodges-Lehmann shift and interval, Mann-Whitney p, adjusted
/// with the comparison's other p-values), higher SUS and lower TLX being better, in every form.
#[test]
fn the_clinicians_voice_is_compared_between_rounds() {
    use shadowmap::rounds::stats;
    let dir = tempfile::tempdir().unwrap();
    let mut folders = Vec::new();
    let mut scores: Vec<(Vec<f64>, Vec<f64>)> = Vec::new();
    for (name, sessions) in shadowmap::testing::voice_rounds() {
        let folder = dir.path().join(name);
        std::fs::create_dir_all(&folder).unwrap();
        for s in &sessions {
            std::fs::write(folder.join(format!("{}.ron", s.header.id)), s.to_ron()).unwrap();
        }
        folders.push(folder.to_str().unwrap().to_string());
        let digests: Vec<_> = sessions
            .iter()
            .map(|s| {
                let (p, _) = shadowmap::model::resolve_pathway("med-rec-admission").unwrap();
                shadowmap::report::digest::digest_session(s, &p)
            })
            .collect();
        scores.push((
            digests.iter().filter_map(|d| d.sus).collect(),
            digests.iter().filter_map(|d| d.tlx).collect(),
        ));
    }
    let (b, a) = (folders[0].as_str(), folders[1].as_str());
    let out = rounds(&[
        "rounds", b, a, "--split", "folder", "--format", "json", "--by", "",
    ])
    .success();
    let json: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let whole = &json["pathways"][0]["comparisons"][0];
    let tests = whole["tests"].as_array().unwrap();
    let test = |metric: &str| tests.iter().find(|t| t["metric"] == metric).unwrap();
    for (metric, before, after, median_before, median_after, verdict) in [
        ("sus", &scores[0].0, &scores[1].0, 41.25, 68.75, "improved"),
        ("tlx", &scores[0].1, &scores[1].1, 67.5, 35.0, "improved"),
    ] {
        let t = test(metric);
        assert!(t["step"].is_null(), "{t}");
        // The skipped SUS item and the unanswered TLX leave the ninth baseline session out.
        assert_eq!((before.len(), after.len()), (8, 8));
        assert_eq!(
            (t["before"]["n"].as_u64(), t["after"]["n"].as_u64()),
            (Some(8), Some(8))
        );
        assert_eq!(t["before"]["median"].as_f64(), Some(median_before), "{t}");
        assert_eq!(t["after"]["median"].as_f64(), Some(median_after), "{t}");
        // The statistics of every per-session figure, on the scores.
        let shift = stats::hodges_lehmann(after, before).unwrap();
        assert_eq!(t["estimate"].as_f64(), Some(shift.estimate));
        let (low, high) = shift.interval.unwrap();
        assert_eq!(
            (t["ci_low"].as_f64(), t["ci_high"].as_f64()),
            (Some(low), Some(high))
        );
        // JSON keeps 17 digits; its reader may differ in the last one.
        let p = stats::mann_whitney_p(after, before).unwrap();
        assert!(
            (t["p_value"].as_f64().unwrap() - p).abs() <= 1e-15 * p,
            "{t}"
        );
        assert!(p < 0.001, "{metric}: p {p}");
        assert_eq!(t["verdict"], verdict, "{t}");
    }
    // SUS up 27.5 and TLX down 30 (the medians of the 8 x 8 pairwise differences).
    assert_eq!(test("sus")["estimate"].as_f64(), Some(27.5));
    assert_eq!(test("tlx")["estimate"].as_f64(), Some(-30.0));
    // Adjusted together with the comparison's other p-values (Benjamini-Hochberg).
    let p: Vec<f64> = tests.iter().filter_map(|t| t["p_value"].as_f64()).collect();
    let adjusted = stats::benjamini_hochberg(&p);
    let with_p: Vec<&Value> = tests.iter().filter(|t| t["p_value"].is_f64()).collect();
    for (t, want) in with_p.iter().zip(adjusted) {
        assert!(
            (t["p_adjusted"].as_f64().unwrap() - want).abs() <= 1e-12 * want,
            "{t}"
        );
    }
    assert!(
        with_p.len() > 2,
        "the voice is adjusted with the steps' figures"
    );

    let text = rounds(&["rounds", b, a, "--split", "folder", "--by", ""]).success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    let line = |name: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {text}"))
            .to_string()
    };
    assert!(
        line("(pathway) sus").contains("41.2 (n 8)") && line("(pathway) sus").ends_with("improved")
    );
    assert!(
        line("(pathway) tlx").contains("67.5 (n 8)") && line("(pathway) tlx").ends_with("improved")
    );
    let md = rounds(&["rounds", b, a, "--split", "folder", "--format", "md"]).success();
    let md = String::from_utf8(md.get_output().stdout.clone()).unwrap();
    assert!(
        md.contains("| (pathway) sus | 41.2 (n 8) | 68.8 (n 8) | 27.5 |"),
        "{md}"
    );
    let html = rounds(&["rounds", b, a, "--split", "folder", "--format", "html"]).success();
    let html = String::from_utf8(html.get_output().stdout.clone()).unwrap();
    assert!(html.contains("<td>(pathway) tlx</td>"), "{html}");
    let csv = rounds(&[
        "rounds", b, a, "--split", "folder", "--format", "csv", "--by", "",
    ])
    .success();
    let csv = String::from_utf8(csv.get_output().stdout.clone()).unwrap();
    let row = csv
        .lines()
        .find(|l| l.contains(",,sus,"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(row.ends_with(",improved,score"), "{row}");
}
