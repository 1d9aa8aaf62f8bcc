//! Capture fitted to a site, end to end: the user's keymap (from `--keys` or the config folder)
//! in the real binary, in a pseudo-terminal, then the session exported, compared and reported.

mod support;

use std::path::Path;
use std::process::Command;

use assert_cmd::Command as Cli;
use shadowmap::model::questionnaire::Instrument;
use shadowmap::model::session::{Event, EventKind};
use support::pty::{BIN, Pty};

fn shadowmap(args: &[&str], data_dir: &Path) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("SHADOWMAP_KEYS")
        .output()
        .unwrap()
}

fn session_id(s: &Pty) -> String {
    let screen = s.contents();
    let title = screen.lines().next().unwrap_or_default().to_string();
    title.split_whitespace().nth(1).unwrap().to_string()
}

#[test]
fn shadowmap_keys_prints_the_map_in_force_and_a_file_to_start_from() {
    let config = tempfile::tempdir().unwrap();
    let folder = config.path().join("shadowmap");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("keys.ron"),
        "KeyMap(capture: {\"click\": [\"k\"]})",
    )
    .unwrap();
    let out = Cli::cargo_bin("shadowmap")
        .unwrap()
        .arg("keys")
        .env("XDG_CONFIG_HOME", config.path())
        .env_remove("SHADOWMAP_KEYS")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Keys in force: "), "{text}");
    assert!(text.contains("keys.ron"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["click", "k", "(moved)"]),
        "{text}"
    );
    assert!(text.contains("        \"unclick\": [\"C\"],"), "{text}");
    // The default file reads back without an error, as the defaults.
    let default = Cli::cargo_bin("shadowmap")
        .unwrap()
        .args(["keys", "--default"])
        .output()
        .unwrap();
    let file = config.path().join("default.ron");
    std::fs::write(&file, &default.stdout).unwrap();
    let out = Cli::cargo_bin("shadowmap")
        .unwrap()
        .args(["keys", "--keys"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8(out.stdout).unwrap().contains("(moved)"));
}

#[test]
fn a_bad_keymap_is_told_with_file_line_and_column_before_any_screen() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keys.ron");
    std::fs::write(
        &file,
        "KeyMap(\n  capture: {\n    \"click\": [\"s\"],\n  },\n)\n",
    )
    .unwrap();
    let out = Cli::cargo_bin("shadowmap")
        .unwrap()
        .args(["capture", "--site", "north", "--keys"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!(
            "{}:3:5: `s` is used twice on the capture screen",
            file.display()
        )),
        "{err}"
    );
    // Nothing was created.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_session_with_a_remapped_key_exports_compares_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let keys = dir.path().join("site-keys.ron");
    std::fs::write(
        &keys,
        "KeyMap(capture: {\"click\": [\"k\"], \"screen\": [\"S\"]})",
    )
    .unwrap();
    let data = dir.path().join("data");
    let keys_arg = keys.to_str().unwrap();
    let mut s = Pty::in_data_dir(
        &data,
        &[
            "capture",
            "--site",
            "north",
            "--clinician",
            "RN-07",
            "--keys",
            keys_arg,
        ],
    );
    s.wait_for("nothing logged yet");
    // The footer shows the keys in force.
    let screen = s.wait_for("k/C click");
    assert!(screen.contains("S screen"), "{screen}");
    let id = session_id(&s);
    s.keys("<space>");
    s.wait_for("saved #1");
    s.keys("k");
    s.wait_for("saved #2");
    s.keys("c"); // no longer a click
    s.keys("S");
    s.wait_for("saved #3");
    // The finish hands the laptop to the clinician: SUS by digits, TLX by the slider.
    s.keys("qv");
    s.wait_for("Question 1 of 10");
    s.keys("5142513443");
    s.wait_for("Mental demand");
    s.keys("<right><right><enter>");
    s.keys("<enter><enter><enter><enter><enter>");
    let screen = s.wait_for("hand the laptop back");
    // The answers are not on the screen any more.
    assert!(!screen.contains("60"), "{screen}");
    s.keys("<enter>");
    s.wait_exit();

    let out = shadowmap(&["export", &id, "--format", "json"], &data);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let events: Vec<Event> = serde_json::from_value(json["events"].clone()).unwrap();
    let kinds: Vec<EventKind> = events.into_iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::StepStart {
                step: "open-chart".into()
            },
            EventKind::Clicks { delta: 1 },
            EventKind::Screen,
            EventKind::Questionnaire {
                instrument: Instrument::Sus,
                answers: [5, 1, 4, 2, 5, 1, 3, 4, 4, 3].map(Some).to_vec(),
            },
            EventKind::Questionnaire {
                instrument: Instrument::Tlx,
                answers: [60, 50, 50, 50, 50, 50].map(Some).to_vec(),
            },
            EventKind::Finish,
        ]
    );
    let out = shadowmap(&["compare", &id, "--format", "json"], &data);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let compared: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // One of five mandatory steps done: cost 4 of 6.
    let fitness = compared["traces"][0]["fitness"].as_f64().unwrap();
    assert!((fitness - (1.0 - 4.0 / 6.0)).abs() < 1e-5, "{compared}");
    let out = shadowmap(&["report", "--format", "json"], &data);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    assert!(report.contains("north"), "{report}");
}
