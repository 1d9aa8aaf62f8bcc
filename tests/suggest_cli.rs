//! `shadowmap suggest` and `shadowmap pathways show --format json | diff` as a user runs them:
//! every suggested file passes `pathways check`, and `compare` against it gives the fitness the
//! change list claims.

mod support {
    pub mod cli;
}

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use shadowmap::compare::pathway_from_json_str;
use shadowmap::model::Pathway;

/// The kit's command with `data` as the data folder.
fn shadowmap(data: &Path) -> Command {
    let mut cmd = support::cli::shadowmap();
    cmd.env("SHADOWMAP_DATA_DIR", data);
    cmd
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn set(name: &str, file: &str) -> String {
    root()
        .join("tests/fixtures/suggest")
        .join(name)
        .join(file)
        .display()
        .to_string()
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn json(cmd: &mut Command) -> Value {
    serde_json::from_str(&stdout(cmd)).unwrap()
}

/// Writes the suggestion for a generated set with `--format ron --out`: (log, configured
/// pathway, the file written).
fn suggest_file(dir: &Path, name: &str) -> (String, String, PathBuf) {
    let log = set(name, "log.xes.gz");
    let configured = set(name, "configured.pathway.json");
    let out = dir.join(format!("{name}.ron"));
    shadowmap(dir)
        .args([
            "suggest",
            &log,
            "--pathway",
            &configured,
            "--format",
            "ron",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    (log, configured, out)
}

/// The mean of the comparator's trace fitness of the log `input` against `pathway`.
fn compare_mean(data: &Path, input: &str, pathway: &str) -> f64 {
    let doc =
        json(shadowmap(data).args(["compare", input, "--pathway", pathway, "--format", "json"]));
    let traces = doc["traces"].as_array().unwrap();
    let sum: f64 = traces.iter().map(|t| t["fitness"].as_f64().unwrap()).sum();
    sum / traces.len() as f64
}

#[test]
fn a_suggested_file_checks_and_compares_to_the_claimed_fitness() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["gen-small", "gen-medium"] {
        let (log, configured, out) = suggest_file(dir.path(), name);
        shadowmap(dir.path())
            .args(["pathways", "check"])
            .arg(&out)
            .assert()
            .success()
            .stdout(predicate::str::contains(": ok: `configured` version 2"));
        let doc = json(shadowmap(dir.path()).args([
            "suggest",
            &log,
            "--pathway",
            &configured,
            "--format",
            "json",
        ]));
        let s = &doc["suggestions"][0];
        let changes = s["changes"].as_array().unwrap();
        assert!(
            changes.len() >= 4,
            "the four planted differences: {changes:?}"
        );
        let claimed = changes.last().unwrap()["fitness_after"].as_f64().unwrap();
        assert_eq!(claimed, s["after"]["mean_fitness"].as_f64().unwrap());
        let measured = compare_mean(dir.path(), &log, out.to_str().unwrap());
        assert!(
            (measured - claimed).abs() < 1e-5,
            "{name}: compare gives {measured}, the change list claims {claimed}"
        );
        let before = compare_mean(dir.path(), &log, &configured);
        assert!((before - s["before"]["mean_fitness"].as_f64().unwrap()).abs() < 1e-5);
        // The file written is the one the JSON describes.
        let written = Pathway::load(&out).unwrap();
        let ron =
            Pathway::from_ron_str(s["revised_ron"].as_str().unwrap(), Path::new("x.ron")).unwrap();
        assert_eq!(written, ron);
    }
}

#[test]
fn sessions_are_revised_against_their_own_pathways() {
    let dir = tempfile::tempdir().unwrap();
    let samples = root().join("sample-sessions");
    let text = stdout(shadowmap(dir.path()).arg("suggest").arg(&samples));
    for id in [
        "cpoe-med-order",
        "eprescribe-controlled",
        "med-administration",
        "med-rec-admission",
    ] {
        assert!(
            text.contains(&format!("Suggested revision of `{id}`")),
            "{text}"
        );
    }
    // The departures the samples repeat are what it changes, each with its evidence.
    for change in [
        "Move `review-allergies` after `enter-home-meds` (it was after `open-chart`): done there in 50 % of the sessions (3 of 6).",
        "Move `select-drug` after `review-med-list` (it was after `document-pdmp`): done there in 60 % of the sessions (3 of 5).",
        "Make `scan-wristband` repeatable: done more than once in 33 % of the sessions (2 of 6).",
        "Move `edit-dose` after `check-renal` (it was after `pick-order-sentence`): done there in 50 % of the sessions (2 of 4).",
    ] {
        assert!(text.contains(change), "{change}\n{text}");
    }
    assert!(text.contains("MED SECS"), "{text}");
    // One file can hold one pathway.
    shadowmap(dir.path())
        .arg("suggest")
        .arg(&samples)
        .args(["--format", "ron"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--pathway ID"));
    // Deterministic: the same output twice.
    assert_eq!(
        text,
        stdout(shadowmap(dir.path()).arg("suggest").arg(&samples))
    );
    // The description says from how many sessions, where and when.
    let files: Vec<PathBuf> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "ron")
                && std::fs::read_to_string(p)
                    .unwrap()
                    .contains("pathway_id: \"med-administration\"")
        })
        .collect();
    assert_eq!(files.len(), 6);
    let doc = json(
        shadowmap(dir.path())
            .arg("suggest")
            .args(&files)
            .args(["--format", "json", "--retime"]),
    );
    let s = &doc["suggestions"][0];
    let description = s["revised_ron"].as_str().unwrap();
    assert!(
        description.contains("Suggested from 6 sessions at site"),
        "{description}"
    );
    let revised = Pathway::from_ron_str(description, Path::new("x.ron")).unwrap();
    // --retime: the observed medians are the expected ones.
    for step in s["steps"].as_array().unwrap() {
        let Some(median) = step["median_secs"].as_f64() else {
            continue;
        };
        let id = step["step"].as_str().unwrap();
        assert_eq!(
            revised.step(id).unwrap().expected_secs,
            median.round() as u32,
            "{id}"
        );
        let clicks = step["median_clicks"].as_f64().unwrap();
        assert_eq!(
            revised.step(id).unwrap().expected_clicks,
            clicks.round() as u32,
            "{id}"
        );
    }
}

#[test]
fn show_json_is_the_exchange_form_and_diff_says_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = json(shadowmap(dir.path()).args([
        "pathways",
        "show",
        "med-rec-admission",
        "--format",
        "json",
    ]));
    assert_eq!(doc["id"], "med-rec-admission");
    let back =
        pathway_from_json_str(&doc.to_string(), Path::new("med-rec-admission.json")).unwrap();
    let original = shadowmap::model::resolve_pathway("med-rec-admission")
        .unwrap()
        .0;
    let flags = |p: &Pathway| -> Vec<(String, bool, bool)> {
        p.all_steps()
            .map(|s| (s.id.clone(), s.optional, s.repeat))
            .collect()
    };
    assert_eq!(flags(&back), flags(&original));
    assert!(
        doc["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e.get("group").is_some())
    );

    let (_, configured, out) = suggest_file(dir.path(), "gen-small");
    let words = stdout(
        shadowmap(dir.path())
            .args(["pathways", "diff", &configured])
            .arg(&out),
    );
    assert!(words.contains("- Version 1 became version 2."), "{words}");
    assert!(
        words.contains("- `s03` is now optional (was mandatory, once)."),
        "{words}"
    );
    assert!(words.contains("- Added `u-call`"), "{words}");
    assert!(words.contains("is now in the any-order group"), "{words}");
    assert!(words.contains("moved: now after"), "{words}");
    let same = stdout(shadowmap(dir.path()).args(["pathways", "diff", &configured, &configured]));
    assert!(same.contains("No difference"), "{same}");
}

#[test]
fn bad_arguments_are_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let log = set("gen-small", "log.xes.gz");
    let known = "med-rec-admission";
    for (args, needle) in [
        (vec![log.as_str()], "--pathway ID|FILE"),
        (
            vec![&log, "--pathway", known, "--min-share", "2"],
            "is not a share",
        ),
        (vec!["no-such-folder"], "no-such-folder"),
        (
            vec![&log, "--pathway", "no-such-pathway"],
            "no-such-pathway",
        ),
        // --out never over an input.
        (vec![&log, "--pathway", known, "--out", &log], "log.xes.gz"),
    ] {
        shadowmap(dir.path())
            .arg("suggest")
            .args(&args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(needle));
    }
    assert!(Path::new(&log).is_file());
}

#[test]
fn the_html_report_has_a_suggestion_box_per_pathway() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    shadowmap(dir.path())
        .arg("report")
        .arg(root().join("sample-sessions"))
        .args(["--format", "html", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    let sections: Vec<&str> = html.split("<h2>Pathway <code>").skip(1).collect();
    assert_eq!(sections.len(), 6, "six pathways in the samples");
    for section in sections {
        let id = section.split("</code>").next().unwrap();
        let boxed = section.split("<div class=\"charts\">").next().unwrap();
        assert!(
            boxed.contains("<h3>What the work suggests</h3>")
                && boxed.contains(&format!(" of `{id}`.")),
            "{id}: {boxed}"
        );
    }
}

#[test]
fn a_pathway_given_takes_the_sessions_captured_against_it() {
    let dir = tempfile::tempdir().unwrap();
    let samples = root().join("sample-sessions");
    shadowmap(dir.path())
        .arg("suggest")
        .arg(&samples)
        .args(["--pathway", "med-rec-admission"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Suggested from 6 sessions"))
        .stderr(predicate::str::contains(
            "left out 18 session(s) captured against other pathways than `med-rec-admission`",
        ));
}

/// The report's suggestion comes from the report's own read of the sessions and takes them as
/// `suggest --pathway` does: those captured against the pathway given, or all when none was.
#[test]
fn the_html_report_with_a_pathway_suggests_from_the_sessions_suggest_would_take() {
    let dir = tempfile::tempdir().unwrap();
    let samples = root().join("sample-sessions");
    // The sample sessions (the folder's own files), and those captured against med-rec.
    let files: Vec<String> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let med_rec = files
        .iter()
        .filter(|text| text.contains("pathway_id: \"med-rec-admission\""))
        .count();
    assert!(med_rec > 1 && med_rec < files.len());
    // shift-handoff: no sample follows it, so all of them.
    for (pathway, sessions) in [
        ("med-rec-admission", med_rec),
        ("shift-handoff", files.len()),
    ] {
        let out = shadowmap(dir.path())
            .arg("report")
            .arg(&samples)
            .args(["--pathway", pathway, "--format", "html"])
            .assert()
            .success();
        let html = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        let boxes: Vec<&str> = html
            .split("<h3>What the work suggests</h3>")
            .skip(1)
            .collect();
        assert_eq!(boxes.len(), 1, "{pathway}");
        assert!(
            boxes[0].starts_with(&format!(
                "<p class=\"muted\">Suggested from {sessions} sessions "
            )) && boxes[0].contains(&format!(" of `{pathway}`.")),
            "{pathway}: {}",
            boxes[0].chars().take(200).collect::<String>()
        );
        // Its map is the one of every session, as the report compares them all.
        assert!(html.contains(&format!("id=\"map-{pathway}-")), "{pathway}");
    }
}

/// `suggest --format ron` on five med-rec sessions where the auditor typed the allergy review
/// as an unplanned step labelled `typed`: the revised file, after `pathways check` passed it.
fn suggested_with_typed_label(typed: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    let mut written = 0;
    for entry in std::fs::read_dir(root().join("sample-sessions")).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if !text.contains("pathway_id: \"med-rec-admission\"")
            || !text.contains("StepStart(step: \"review-allergies\")")
        {
            continue;
        }
        let text = text.replace(
            "StepStart(step: \"review-allergies\")",
            &format!("UnplannedStep(step: \"double-check\", label: \"{typed}\")"),
        );
        std::fs::write(sessions.join(path.file_name().unwrap()), text).unwrap();
        written += 1;
    }
    assert_eq!(written, 5);
    let out = dir.path().join("revised.ron");
    shadowmap(dir.path())
        .arg("suggest")
        .arg(&sessions)
        .args(["--format", "ron", "--min-share", "0.1", "--out"])
        .arg(&out)
        .assert()
        .success();
    shadowmap(dir.path())
        .args(["pathways", "check"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(": ok: `med-rec-admission`"));
    std::fs::read_to_string(&out).unwrap()
}

#[test]
fn control_characters_in_a_typed_label_are_dropped_and_the_file_checks() {
    // Bidirectional controls, an escape sequence, a bell and a tab.
    let hostile =
        "Double \u{202e}kcehc\u{202c}\u{2066} the\u{200f}\u{61c} \u{1b}[31mdoses\u{7}\tnow";
    let text = suggested_with_typed_label(hostile);
    assert!(
        text.contains("label: \"Double kcehc the [31mdoses now\""),
        "{text}"
    );
}

#[test]
fn a_runaway_typed_label_is_cut_to_a_line_and_the_file_checks() {
    let text = suggested_with_typed_label(&"Double check ".repeat(1_000));
    // 13 characters a phrase: 15 phrases and `Doubl` make the 200 a label may hold.
    let label = "Double check ".repeat(15) + "Doubl";
    assert!(text.contains(&format!("label: \"{label}\",")), "{text}");
}
