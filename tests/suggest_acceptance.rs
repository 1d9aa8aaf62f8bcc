//! The suggestion judged as process mining judges a discovered model, against pm4py's figures
//! in tests/fixtures/suggest/acceptance.json (written by scripts/regen-suggest-fixtures.sh):
//! on sets a hidden "true" pathway produced, the suggestion's fitness is at least 0.95 of the
//! true pathway's and its precision at least the smaller of the configured and true pathways'
//! minus 0.02; on every set, the sample sessions' included, its F1 is above the configured
//! pathway's; against pm4py's Inductive Miner, its F1 is at least the miner's on most sets.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> Value {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/suggest/acceptance.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn figure(set: &Value, model: &str, key: &str) -> f64 {
    set[model][key]
        .as_f64()
        .unwrap_or_else(|| panic!("{}: {model}.{key}", set["set"]))
}

/// The suggestion shadowmap makes today for a fixture set (the fixture measured this one).
fn suggest_now(set: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shadowmap"));
    cmd.env("SHADOWMAP_DATA_DIR", dir.path()).arg("suggest");
    if let Some(folder) = set["folder"].as_str() {
        let folder = root().join(folder);
        cmd.arg(folder.join("log.xes.gz"))
            .arg("--pathway")
            .arg(folder.join("configured.pathway.json"));
    } else {
        for file in set["files"].as_array().unwrap() {
            cmd.arg(root().join(file.as_str().unwrap()));
        }
    }
    let out = cmd
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    doc["suggestions"][0].clone()
}

#[test]
fn the_fixture_measures_todays_suggestions() {
    let doc = fixture();
    let sets = doc["sets"].as_array().unwrap();
    assert!(sets.iter().filter(|s| s["kind"] == "generated").count() >= 3);
    assert!(sets.iter().filter(|s| s["kind"] == "samples").count() >= 3);
    for set in sets {
        let now = suggest_now(set);
        assert_eq!(
            now["revised"]["steps"], set["suggested_pathway"]["steps"],
            "{}: the suggestion changed since the fixture was measured; run scripts/regen-suggest-fixtures.sh",
            set["set"]
        );
        // The comparator's mean fitness is pm4py's.
        let ours = now["after"]["mean_fitness"].as_f64().unwrap();
        let pm4py = figure(set, "suggestion", "fitness");
        assert!(
            (ours - pm4py).abs() < 1e-5,
            "{}: {ours} vs pm4py {pm4py}",
            set["set"]
        );
    }
}

#[test]
fn on_generated_sets_the_suggestion_comes_close_to_the_true_pathway() {
    let doc = fixture();
    for set in doc["sets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "generated")
    {
        let name = &set["set"];
        let (fit, prec) = (
            figure(set, "suggestion", "fitness"),
            figure(set, "suggestion", "precision"),
        );
        let true_fit = figure(set, "true", "fitness");
        assert!(
            fit >= 0.95 * true_fit,
            "{name}: fitness {fit} < 0.95 x {true_fit}"
        );
        let floor =
            figure(set, "configured", "precision").min(figure(set, "true", "precision")) - 0.02;
        assert!(prec >= floor, "{name}: precision {prec} < {floor}");
        assert!(
            figure(set, "suggestion", "fitness") > figure(set, "configured", "fitness"),
            "{name}: the configured pathway was planted to fit worse"
        );
    }
}

#[test]
fn f1_beats_the_configuration_and_mostly_the_inductive_miner() {
    let doc = fixture();
    let sets = doc["sets"].as_array().unwrap();
    let mut at_least_miner = 0;
    for set in sets {
        let name = &set["set"];
        let (ours, configured) = (
            figure(set, "suggestion", "f1"),
            figure(set, "configured", "f1"),
        );
        // Every set, the sample sessions' included, has departures that recur: the
        // suggestion changes something and judges better for it.
        assert!(
            !set["changes"].as_array().unwrap().is_empty(),
            "{name}: no change suggested"
        );
        assert!(
            ours > configured,
            "{name}: F1 {ours} <= configured {configured}"
        );
        if ours >= figure(set, "inductive_miner", "f1") {
            at_least_miner += 1;
        }
    }
    // The four sample pathways with three sessions or more are all measured.
    assert_eq!(sets.iter().filter(|s| s["kind"] == "samples").count(), 4);
    assert!(
        2 * at_least_miner > sets.len(),
        "the suggestion's F1 is at least the miner's on {at_least_miner} of {} sets",
        sets.len()
    );
}

#[test]
fn the_fixture_sets_exist_where_it_says() {
    for set in fixture()["sets"].as_array().unwrap() {
        if let Some(folder) = set["folder"].as_str() {
            for file in ["log.xes.gz", "true.pathway.json", "configured.pathway.json"] {
                assert!(
                    Path::new(&root().join(folder).join(file)).is_file(),
                    "{folder}/{file}"
                );
            }
        }
    }
}
