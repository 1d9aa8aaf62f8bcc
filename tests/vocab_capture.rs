//! A site's own vocabulary end to end: capture on Harbor's pathway file in the real binary, in
//! a pseudo-terminal, with a remapped key (`--keys`), a site interruption source found on the
//! picker's second page (Tab), a site workaround kind and the clinician's questionnaires;
//! then the session exported (JSON, CSV, XES, Parquet), compared and reported, each naming the
//! site's kind by its id.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use shadowmap::model::questionnaire::Instrument;
use shadowmap::model::session::{Event, EventKind};
use shadowmap::model::{InterruptionSource, WorkaroundKind};
use shadowmap::testing::samples::{HARBOR_PATHWAY, HARBOR_PATHWAY_FILE};
use support::pty::{BIN, Pty};

fn shadowmap(args: &[&str], data_dir: &Path) -> String {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("SHADOWMAP_KEYS")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "shadowmap {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn session_id(s: &Pty) -> String {
    let screen = s.contents();
    let title = screen.lines().next().unwrap_or_default().to_string();
    title.split_whitespace().nth(1).unwrap().to_string()
}

/// The session's file in the data folder.
fn session_file(data: &Path, id: &str) -> PathBuf {
    let name = format!("{id}.ron");
    let mut stack = vec![data.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == name.as_str()) {
                return path;
            }
        }
    }
    panic!("no {name} under {}", data.display());
}

#[test]
#[allow(clippy::too_many_lines)] // one user's session, start to report, reads best in one piece
fn a_site_kind_a_remapped_key_and_a_questionnaire_go_through_export_compare_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let pathway = dir.path().join(HARBOR_PATHWAY_FILE);
    std::fs::write(&pathway, HARBOR_PATHWAY).unwrap();
    let keys = dir.path().join("site-keys.ron");
    std::fs::write(&keys, "KeyMap(capture: {\"workaround\": [\"W\"]})").unwrap();
    let data = dir.path().join("data");
    let mut s = Pty::in_data_dir(
        &data,
        &[
            "capture",
            "--site",
            "harbor",
            "--clinician",
            "RN-31",
            "--pathway",
            pathway.to_str().unwrap(),
            "--keys",
            keys.to_str().unwrap(),
        ],
    );
    s.wait_for("nothing logged yet");
    s.wait_for("W workaround");
    let id = session_id(&s);
    s.keys("<space>");
    s.wait_for("saved #1");
    // The interruption picker: nine built-in sources, then Harbor's two on page 2.
    s.keys("i");
    s.wait_for("Interruption: who or what? (1/2)");
    s.keys("<tab>");
    let screen = s.wait_for("Interruption: who or what? (2/2)");
    assert!(screen.contains("1 Bed manager"), "{screen}");
    assert!(screen.contains("Tab next nine kinds"), "{screen}");
    s.keys("1");
    s.wait_for("interruption: Bed manager");
    s.keys("I");
    s.wait_for("saved #3");
    // `w` is no longer the workaround key; `W` is.
    s.keys("w");
    s.keys("W");
    let screen = s.wait_for("Workaround: which kind?");
    assert!(
        screen.contains("8 Fax to or from the GP surgery"),
        "{screen}"
    );
    s.keys("8");
    s.wait_for("Workaround: Fax to or from the GP surgery (note optional)");
    s.keys("list faxed<ret>");
    s.wait_for("saved #4");
    // The clinician's voice at the finish.
    s.keys("qv");
    s.wait_for("Question 1 of 10");
    s.keys("3333333333");
    s.wait_for("Mental demand");
    s.keys("<enter><enter><enter><enter><enter><enter>");
    s.wait_for("hand the laptop back");
    s.keys("<enter>");
    s.wait_exit();

    let fax = WorkaroundKind::from_name("fax").unwrap();
    let bed_manager = InterruptionSource::from_name("bed_manager").unwrap();

    // Export: JSON holds the ids as the session does.
    let json: serde_json::Value =
        serde_json::from_str(&shadowmap(&["export", &id, "--format", "json"], &data)).unwrap();
    assert_eq!(json["pathway_id"], "harbor-med-rec");
    let events: Vec<Event> = serde_json::from_value(json["events"].clone()).unwrap();
    let kinds: Vec<EventKind> = events.into_iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::StepStart {
                step: "open-chart".into()
            },
            EventKind::InterruptionStart {
                source: bed_manager,
                note: String::new()
            },
            EventKind::InterruptionEnd,
            EventKind::Workaround {
                kind: fax,
                note: "list faxed".into()
            },
            EventKind::Questionnaire {
                instrument: Instrument::Sus,
                answers: [Some(3); 10].to_vec(),
            },
            EventKind::Questionnaire {
                instrument: Instrument::Tlx,
                answers: [Some(50); 6].to_vec(),
            },
            EventKind::Finish,
        ]
    );
    // CSV: the kind is the row's detail; XES: the activity `workaround:fax`.
    let csv = shadowmap(&["export", &id, "--format", "csv"], &data);
    assert!(
        csv.lines()
            .any(|l| l.contains(",workaround,") && l.contains(",fax,")),
        "{csv}"
    );
    assert!(csv.lines().any(|l| l.contains(",bed_manager,")), "{csv}");
    let xes = shadowmap(&["export", &id, "--format", "xes"], &data);
    assert!(xes.contains("\"workaround:fax\""), "{xes}");
    assert!(xes.contains("\"interruption:bed_manager\""), "{xes}");
    // Parquet over the session file and the pathway file beside it.
    let file = session_file(&data, &id);
    let tables = dir.path().join("tables");
    let out = Command::new(BIN)
        .args(["export", "--format", "parquet", "--out"])
        .arg(&tables)
        .arg(&file)
        .arg(&pathway)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let steps = std::fs::read(tables.join("steps.parquet")).unwrap();
    let needle = br#"{"fax":1}"#;
    assert!(
        steps.windows(needle.len()).any(|w| w == needle),
        "steps.parquet holds the site's counts by id"
    );

    // Compare against the site's file: the figures name the kind by its id.
    let compared: serde_json::Value = serde_json::from_str(&shadowmap(
        &[
            "compare",
            &id,
            "--pathway",
            pathway.to_str().unwrap(),
            "--format",
            "json",
        ],
        &data,
    ))
    .unwrap();
    let figures = &compared["traces"][0]["figures"];
    assert_eq!(figures["workarounds"]["fax"], 1, "{compared}");
    // Report over the session and its pathway file (found among the inputs, no --pathway):
    // the kind by id, in JSON and in the text report (one session makes no finding; the
    // Harbor samples' report shows the `cause:` rule at work: tests/samples_harbor.rs).
    let report: serde_json::Value = serde_json::from_str(&shadowmap(
        &[
            "report",
            file.to_str().unwrap(),
            pathway.to_str().unwrap(),
            "--format",
            "json",
        ],
        &data,
    ))
    .unwrap();
    let harbor = &report["pathways"][0];
    assert_eq!(harbor["id"], "harbor-med-rec", "{report}");
    assert_eq!(
        harbor["overall"]["figures"]["workarounds"]["fax"], 1,
        "{report}"
    );
    let text = shadowmap(
        &["report", file.to_str().unwrap(), pathway.to_str().unwrap()],
        &data,
    );
    assert!(text.contains("workarounds: fax 1"), "{text}");
}
