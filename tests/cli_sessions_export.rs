//! `shadowmap sessions` and `shadowmap export` (json, ron) through the real binary.

mod support {
    pub mod cli;
}

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use support::cli::shadowmap;

use predicates::prelude::*;
use shadowmap::model::{Event, EventKind, Session};
use shadowmap::store::{DataDir, SessionWriter};
use shadowmap::testing::{event, header_with_id};

const SAMPLE: &str = "sample-sessions/recovery/20261125-1402-east-RN-12.journal";

/// A finished session `done` (5 events) and an unfinished one `open` (3 events).
fn data_folder() -> (tempfile::TempDir, Session) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    let mut done = Session::new(header_with_id("done"));
    let mut w = SessionWriter::create(&dir, &done.header).unwrap();
    for seq in 1..=5 {
        let e = if seq == 5 {
            Event {
                seq,
                at_ms: 9_000,
                kind: EventKind::Finish,
            }
        } else {
            event(seq)
        };
        w.append(&e).unwrap();
        done.events.push(e);
    }
    w.finish(&done).unwrap();
    let mut open = header_with_id("open");
    open.site = "south".into();
    open.started_at = chrono::DateTime::parse_from_rfc3339("2026-11-26T08:00:00+01:00").unwrap();
    let mut w = SessionWriter::create(&dir, &open).unwrap();
    for seq in 1..=3 {
        w.append(&event(seq)).unwrap();
    }
    (tmp, done)
}

#[test]
fn sessions_lists_a_table_newest_first() {
    let (tmp, _) = data_folder();
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .arg("sessions")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("EVENTS"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("open ") && lines[1].contains("south"),
        "{text}"
    );
    assert!(lines[1].contains(" 3  unfinished"), "{text}");
    assert!(
        lines[2].starts_with("done ") && lines[2].ends_with("5  finished"),
        "{text}"
    );
    assert!(lines[2].contains("2026-11-25 09:18 +01:00"), "{text}");
}

#[test]
fn sessions_as_json() {
    let (tmp, _) = data_folder();
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["sessions", "--format", "json"])
        .assert()
        .success();
    let rows: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "open");
    assert_eq!(rows[0]["events"], 3);
    assert_eq!(rows[0]["finished"], false);
    assert_eq!(rows[0]["recovered"], false);
    assert_eq!(rows[0]["site"], "south");
    assert_eq!(rows[1]["id"], "done");
    assert_eq!(rows[1]["events"], 5);
    assert_eq!(rows[1]["finished"], true);
    assert_eq!(rows[1]["pathway_id"], "med-rec-admission");
    assert_eq!(rows[1]["started_at"], "2026-11-25T09:18:00+01:00");
}

#[test]
fn sessions_reads_the_data_folder_from_the_environment_and_says_when_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("fresh");
    shadowmap()
        .arg("sessions")
        .env("SHADOWMAP_DATA_DIR", &data)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("no sessions in"));
    let mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn sessions_warns_about_a_bad_file_and_lists_the_rest() {
    let (tmp, _) = data_folder();
    std::fs::write(tmp.path().join("sessions/broken.ron"), "Session(\n  oops").unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .arg("sessions")
        .assert()
        .success()
        .stdout(predicate::str::contains("done").and(predicate::str::contains("open")))
        .stderr(
            predicate::str::contains("warning: ").and(predicate::str::contains("broken.ron:2:")),
        );
}

#[test]
fn export_json_has_the_header_fields_and_every_event() {
    let (tmp, done) = data_folder();
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "done", "--format", "json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["id"], "done");
    assert_eq!(json["site"], "north");
    assert_eq!(json["clinician"], "RN-07");
    assert_eq!(json["pathway_version"], 3);
    let events: Vec<Event> = serde_json::from_value(json["events"].clone()).unwrap();
    assert_eq!(events, done.events);
}

#[test]
fn export_ron_is_the_session_file_and_out_writes_0600() {
    let (tmp, done) = data_folder();
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "done", "--format", "ron"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(Session::from_ron_str(&text, Path::new("-")).unwrap(), done);

    let file = tmp.path().join("out.json");
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "open", "--format", "json", "--out"])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(json["events"].as_array().unwrap().len(), 3);
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn export_a_torn_journal_by_path_reports_the_tear() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE);
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "--format", "json"])
        .arg(&sample)
        .assert()
        .success()
        .stderr(predicate::str::contains("torn last record"));
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["events"].as_array().unwrap().len(), 25);
    assert_eq!(json["pathway_id"], "med-rec-admission");
}

#[test]
fn export_of_an_unknown_session_says_what_to_do() {
    let (tmp, _) = data_folder();
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "nope", "--format", "json"])
        .assert()
        .failure()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("`nope`").and(predicate::str::contains("shadowmap sessions")),
        );
}

#[test]
fn export_of_a_malformed_file_names_line_and_column_and_leaves_it_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.ron");
    let text = "Session(\n    header: (\n        format_version: 1,\n        id: 7,\n";
    std::fs::write(&bad, text).unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "--format", "ron"])
        .arg(&bad)
        .assert()
        .failure()
        .code(1)
        .stderr(
            predicate::str::contains(format!("{}:4:", bad.display()))
                .and(predicate::str::contains("hint:")),
        );
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), text);
    assert!(!std::fs::read_to_string(&bad).unwrap().is_empty());
}

#[test]
fn every_format_exports_a_session_of_the_data_folder_by_id() {
    let (tmp, _) = data_folder();
    for (args, expected) in [
        (&["export", "done", "--format", "xes"][..], "<trace>"),
        (
            &["export", "done", "--format", "ron", "--redact"][..],
            "Session(",
        ),
        (
            &["export", "done", "--format", "csv"][..],
            "session,seq,at_ms,",
        ),
        (
            &["export", "done", "--format", "csv", "--csv", "steps"][..],
            "session,occurrence,step,",
        ),
        (
            &["export", "done", "--format", "json", "--redact"][..],
            "\"events\"",
        ),
    ] {
        shadowmap()
            .arg("--data-dir")
            .arg(tmp.path())
            .args(args)
            .assert()
            .success()
            .stdout(predicate::str::contains(expected));
    }
}

#[test]
fn export_of_a_file_that_is_not_a_journal_says_so_and_leaves_it_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("notes.journal");
    std::fs::write(&bad, "shopping list\n").unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "--format", "json"])
        .arg(&bad)
        .assert()
        .failure()
        .code(1)
        .stderr(
            predicate::str::contains(format!("{}: not a shadowmap journal", bad.display()))
                .and(predicate::str::contains("hint:")),
        );
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "shopping list\n");
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `shadowmap export ... | head -c 1`: the reader closes the pipe before the output is
    // written. Before the fix this panicked ("failed printing to stdout: Broken pipe").
    let (dir, session) = data_folder();
    let export = ["export", &session.header.id, "--format", "json"];
    let sessions = ["sessions", "--format", "json"];
    for args in [&export[..], &sessions[..]].repeat(4) {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shadowmap"))
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            matches!(out.status.code(), Some(0 | 141)),
            "{args:?} {:?}: {stderr}",
            out.status
        );
    }
}
