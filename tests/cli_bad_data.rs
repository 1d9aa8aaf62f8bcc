//! Hostile and damaged data through the real binary: what a user sees for a session file or
//! journal shadowmap cannot trust, for outputs aimed at inputs, and for special files in the
//! sessions folder. Each test names the defect it guards against (docs/bad-input.md).

mod support {
    pub mod cli;
}

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use shadowmap::model::{Event, EventKind, Session};
use shadowmap::store::journal::{encode_event, encode_header};
use shadowmap::store::{DataDir, SessionWriter};
use shadowmap::testing::{event, header_with_id};
use support::cli::shadowmap;

fn step(seq: u64, at_ms: u64, id: &str) -> Event {
    Event {
        seq,
        at_ms,
        kind: EventKind::StepStart { step: id.into() },
    }
}

fn at(seq: u64, at_ms: u64, kind: EventKind) -> Event {
    Event { seq, at_ms, kind }
}

fn session(id: &str, events: Vec<Event>) -> Session {
    Session {
        header: header_with_id(id),
        events,
    }
}

/// A session with one step, finished.
fn finished(id: &str) -> Session {
    session(
        id,
        vec![
            step(1, 1_000, "open-chart"),
            at(2, 9_000, EventKind::Finish),
        ],
    )
}

/// A session with a Finish in the middle: the two events after it are ignored.
fn finished_mid_file(id: &str) -> Session {
    session(
        id,
        vec![
            step(1, 1_000, "open-chart"),
            at(2, 5_000, EventKind::Finish),
            step(3, 6_000, "review-allergies"),
            at(4, 7_000, EventKind::Screen),
        ],
    )
}

/// The data folder's `sessions/`, made.
fn sessions_folder(data: &Path) -> PathBuf {
    let sessions = data.join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    sessions
}

/// A finished session file written the way capture writes it.
fn write_ron(path: &Path, session: &Session) {
    std::fs::write(path, session.to_ron()).unwrap();
}

/// A journal segment holding `events`, written by hand (any numbers, any times).
fn write_segment(path: &Path, id: &str, events: &[Event]) {
    let mut bytes = Vec::new();
    encode_header(&mut bytes, &header_with_id(id), true);
    for e in events {
        encode_event(&mut bytes, e);
    }
    std::fs::write(path, bytes).unwrap();
}

/// `shadowmap export FILE --format json` fails and standard error holds each of `wanted`.
fn export_is_refused(data: &Path, file: &Path, wanted: &[&str]) {
    let assert = shadowmap()
        .arg("--data-dir")
        .arg(data)
        .args(["export", "--format", "json"])
        .arg(file)
        .assert()
        .failure();
    let stderr = stderr_of(&assert);
    for text in wanted {
        assert!(
            stderr.contains(text),
            "{}: {text:?} not in {stderr}",
            file.display()
        );
    }
}

fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

// Item 1: a session continued after a Finish (an older shadowmap offered that) keeps every
// step after the reopening.
#[test]
fn steps_after_a_cancelled_finish_count_as_done() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.ron");
    write_ron(
        &file,
        &session(
            "s",
            vec![
                step(1, 1_000, "open-chart"),
                at(2, 5_000, EventKind::Finish),
                at(3, 60_000, EventKind::Reopened),
                step(4, 61_000, "review-allergies"),
                at(5, 90_000, EventKind::Finish),
            ],
        ),
    );
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["compare", file.to_str().unwrap(), "--format", "json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let moves = json["traces"][0]["moves"].as_array().unwrap();
    let of = |id: &str| -> Vec<&str> {
        moves
            .iter()
            .filter(|m| m["step"] == id)
            .map(|m| m["type"].as_str().unwrap())
            .collect()
    };
    assert_eq!(of("open-chart"), ["sync"]);
    assert_eq!(of("review-allergies"), ["sync"], "{moves:?}");
}

// Item 12: events after a Finish that nothing cancels are ignored, and said so.
#[test]
fn events_after_a_mid_file_finish_are_warned_about() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.ron");
    write_ron(&file, &finished_mid_file("s"));
    for command in [&["export", "--format", "json"][..], &["compare"]] {
        let out = shadowmap()
            .arg("--data-dir")
            .arg(tmp.path())
            .args(&command[..1])
            .arg(&file)
            .args(&command[1..])
            .assert()
            .success();
        let stderr = stderr_of(&out);
        assert!(
            stderr.contains("warning:")
                && stderr.contains("2 event(s) after the session's Finish are ignored"),
            "{command:?}: {stderr}"
        );
    }
}

// The commands that read many sessions (report, with its HTML map and suggestions, rounds,
// plan, map, suggest, the OCEL export) say so too: once per file, path and what to do, the
// path masked under --redact.
#[test]
fn events_after_a_mid_file_finish_are_warned_about_by_the_many_session_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("round");
    std::fs::create_dir(&folder).unwrap();
    let file = folder.join("MRN 00482913.ron");
    write_ron(&file, &finished_mid_file("s"));
    write_ron(&folder.join("t.ron"), &finished("t"));
    let folder_arg = folder.to_str().unwrap();
    let warning = format!(
        "warning: {}: 2 event(s) after the session's Finish are ignored by every analysis",
        file.display()
    );
    let hint = "hint: to count them, remove the Finish in the middle of the file";
    for args in [
        &["report", folder_arg][..],
        &["report", folder_arg, "--format", "html"],
        &["rounds", folder_arg, "--split", "version"],
        &[
            "plan",
            folder_arg,
            "--step",
            "open-chart",
            "--reduction",
            "0.3",
        ],
        &["map", folder_arg],
        &["suggest", folder_arg],
        &["export", folder_arg, "--format", "ocel"],
    ] {
        let out = shadowmap().args(args).assert().success();
        let stderr = stderr_of(&out);
        assert_eq!(stderr.matches(&warning).count(), 1, "{args:?}: {stderr}");
        assert_eq!(stderr.matches(hint).count(), 1, "{args:?}: {stderr}");
    }
    for args in [
        &["report", folder_arg, "--redact"][..],
        &["rounds", folder_arg, "--split", "version", "--redact"],
        &["export", folder_arg, "--format", "ocel", "--redact"],
    ] {
        let out = shadowmap().args(args).assert().success();
        let stderr = stderr_of(&out);
        assert!(!stderr.contains("00482913"), "{args:?}: {stderr}");
        assert_eq!(
            stderr
                .matches("MRN [id].ron: 2 event(s) after the session's Finish are ignored")
                .count(),
            1,
            "{args:?}: {stderr}"
        );
    }
}

// Item 3: segments whose times go backwards across segments: recovery keeps what is
// consistent and says what it dropped; the snapshot written from it reads back.
#[test]
fn times_going_back_across_segments_are_damage_and_the_export_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let sessions = sessions_folder(tmp.path());
    write_segment(
        &sessions.join("s.journal"),
        "s",
        &[event(1), event(2), event(3)],
    );
    write_segment(
        &sessions.join("s.journal.1"),
        "s",
        &[at(4, 500, EventKind::Screen), at(5, 600, EventKind::Screen)],
    );
    let ron = tmp.path().join("out.ron");
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", "s", "--format", "ron", "--out"])
        .arg(&ron)
        .assert()
        .success();
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("event 4 at 500 ms comes before the 3750 ms already recovered"),
        "{stderr}"
    );
    let back = Session::load(&ron).unwrap_or_else(|e| panic!("the export does not read: {e}"));
    assert_eq!(back.events, vec![event(1), event(2), event(3)]);
    // And the session stays listed.
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["sessions"])
        .assert()
        .success()
        .stdout(predicate::str::contains("s ").and(predicate::str::contains("unfinished")));
}

// Item 3: a snapshot that would not read back is never renamed into place.
#[test]
fn a_snapshot_that_would_not_read_back_is_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    let mut writer = SessionWriter::create(&dir, &header_with_id("s")).unwrap();
    writer.append(&event(1)).unwrap();
    writer.append(&event(2)).unwrap();
    // Times going back: what the reader refuses.
    let bad = session("s", vec![event(2), at(3, 10, EventKind::Finish)]);
    let mut all = vec![event(1)];
    all.extend(bad.events.clone());
    let error = writer.finish(&session("s", all)).unwrap_err().to_string();
    assert!(error.contains("would not read back"), "{error}");
    assert!(!dir.snapshot_path("s").exists());
    assert!(!tmp.path().join("sessions/s.ron.tmp").exists());
}

// Item 3: headers no reader should trust.
#[test]
fn an_unknown_format_or_an_unsafe_id_is_refused_with_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let mut s = session("s", vec![step(1, 1_000, "open-chart")]);
    s.header.format_version = 99;
    let newer = tmp.path().join("newer.ron");
    write_ron(&newer, &s);
    export_is_refused(
        tmp.path(),
        &newer,
        &[
            "newer.ron:3:",
            "session format 99 is not one this shadowmap understands",
        ],
    );
    // The same header in a journal.
    let mut bytes = Vec::new();
    let mut h = header_with_id("j");
    h.format_version = 99;
    encode_header(&mut bytes, &h, true);
    encode_event(&mut bytes, &event(1));
    let journal = tmp.path().join("j.journal");
    std::fs::write(&journal, bytes).unwrap();
    export_is_refused(tmp.path(), &journal, &["session format 99"]);

    let mut s = session("s", vec![step(1, 1_000, "open-chart")]);
    s.header.id = "../../escape".into();
    let unsafe_id = tmp.path().join("unsafe.ron");
    write_ron(&unsafe_id, &s);
    export_is_refused(
        tmp.path(),
        &unsafe_id,
        &["unsafe.ron:4:", "is not file-name safe"],
    );
}

// Item 3: the largest event number cannot be followed, so it is refused, never wrapped.
#[test]
fn an_event_numbered_u64_max_is_refused_not_wrapped() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("max.ron");
    write_ron(
        &file,
        &session(
            "s",
            vec![step(1, 1_000, "open-chart"), step(u64::MAX, 2_000, "x")],
        ),
    );
    export_is_refused(
        tmp.path(),
        &file,
        &[&format!("event number {} is out of range", u64::MAX)],
    );
    // In a journal it is damage: dropped and said so; the session can be continued.
    let sessions = sessions_folder(tmp.path());
    write_segment(
        &sessions.join("m.journal"),
        "m",
        &[event(1), at(u64::MAX, 99_000, EventKind::Screen)],
    );
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["sessions", "--format", "json"])
        .assert()
        .success();
    let rows: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(rows[0]["id"], "m");
    assert_eq!(rows[0]["events"], 1);
    let dir = DataDir::open(tmp.path()).unwrap();
    let (mut writer, session, _) = SessionWriter::reopen(&dir, "m").unwrap();
    assert_eq!(session.next_seq(), 2);
    writer.append(&event(2)).unwrap();
}

// Item 4: --out never replaces what the command reads, a session, a journal or the
// overrides, whatever the spelling.
#[test]
#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
fn out_is_refused_over_inputs_sessions_journals_and_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path().join("data")).unwrap();
    let sessions = dir.sessions_dir().to_path_buf();
    let a = finished("a");
    let b = session(
        "b",
        vec![
            step(1, 1_000, "open-chart"),
            at(2, 8_000, EventKind::Finish),
        ],
    );
    write_ron(&sessions.join("a.ron"), &a);
    write_ron(&sessions.join("b.ron"), &b);
    std::fs::write(tmp.path().join("data/overrides.ron"), "Overrides()\n").ok();
    let mut w = SessionWriter::create(&dir, &header_with_id("c")).unwrap();
    w.append(&event(1)).unwrap();
    drop(w);
    std::os::unix::fs::symlink(sessions.join("a.ron"), tmp.path().join("link.ron")).unwrap();
    let before: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    let data = tmp.path().join("data");
    let sessions_text = sessions.to_str().unwrap();
    let dotted = format!("{sessions_text}/../sessions/a.ron");
    let refused: Vec<(Vec<String>, String, &str)> = vec![
        (
            vec![
                "report".into(),
                sessions_text.into(),
                "--format".into(),
                "md".into(),
            ],
            sessions.join("a.ron").display().to_string(),
            "a session this report reads",
        ),
        (
            vec![
                "report".into(),
                sessions_text.into(),
                "--format".into(),
                "md".into(),
            ],
            dotted.clone(),
            "a session this report reads",
        ),
        (
            vec![
                "report".into(),
                sessions_text.into(),
                "--format".into(),
                "md".into(),
            ],
            tmp.path().join("link.ron").display().to_string(),
            "a session this report reads",
        ),
        (
            vec![
                "report".into(),
                sessions_text.into(),
                "--format".into(),
                "md".into(),
            ],
            sessions.join("overrides.ron").display().to_string(),
            "the overrides file this report reads",
        ),
        (
            vec!["report".into(), "--format".into(), "md".into()],
            data.join("overrides.ron").display().to_string(),
            "the overrides file this report reads",
        ),
        (
            vec!["report".into(), "--format".into(), "md".into()],
            sessions.join("c.journal").display().to_string(),
            "a session's journal",
        ),
        (
            vec![
                "report".into(),
                sessions_text.into(),
                "--format".into(),
                "md".into(),
            ],
            sessions.join("summary.ron").display().to_string(),
            "a file in a folder of session files",
        ),
        (
            vec![
                "export".into(),
                "a".into(),
                "--format".into(),
                "json".into(),
            ],
            sessions.join("b.ron").display().to_string(),
            "a session file",
        ),
        (
            vec!["export".into(), "a".into(), "--format".into(), "ron".into()],
            dotted.clone(),
            "the session being exported",
        ),
        (
            vec!["export".into(), "a".into(), "--format".into(), "ron".into()],
            sessions.join("new.ron").display().to_string(),
            "a file in a folder of session files",
        ),
        (
            vec!["export".into(), "a".into(), "--format".into(), "csv".into()],
            sessions.join("c.journal").display().to_string(),
            "a session's journal",
        ),
        (
            vec!["export".into(), "c".into(), "--format".into(), "csv".into()],
            sessions.join("c.journal").display().to_string(),
            "the session being exported",
        ),
    ];
    for (args, out, why) in &refused {
        let assert = shadowmap()
            .arg("--data-dir")
            .arg(&data)
            .args(args)
            .arg("--out")
            .arg(out)
            .assert()
            .failure();
        let stderr = stderr_of(&assert);
        assert!(
            stderr.contains(&format!("--out names {why}")),
            "{args:?} --out {out}: {stderr}"
        );
    }
    let after: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    assert_eq!(before, after, "the sessions folder changed");
    // An ordinary output is still written.
    let report = tmp.path().join("report.md");
    shadowmap()
        .arg("--data-dir")
        .arg(&data)
        .args(["report", sessions_text, "--format", "md", "--out"])
        .arg(&report)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&report).unwrap().contains('#'));
}

/// Runs `shadowmap ARGS` and fails the test if it has not ended within 20 s (a hang).
fn ends_in_time(data: &Path, args: &[&str]) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shadowmap"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("SHADOWMAP_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("shadowmap {args:?} hung on a special file");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

// Item 9: a FIFO, a link to /dev/zero and an oversized file in the sessions folder are
// skipped with a warning; nothing hangs or eats memory.
#[test]
fn special_files_in_the_sessions_folder_are_skipped_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let sessions = sessions_folder(tmp.path());
    write_ron(&sessions.join("good.ron"), &finished("good"));
    let status = std::process::Command::new("mkfifo")
        .arg(sessions.join("x.ron"))
        .status()
        .unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink("/dev/zero", sessions.join("zero.ron")).unwrap();
    let big = std::fs::File::create(sessions.join("big.ron")).unwrap();
    big.set_len(129 << 20).unwrap(); // sparse: no disk used
    drop(big);

    let out = ends_in_time(tmp.path(), &["sessions"]);
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("good"), "{stdout}");
    assert!(
        stderr.contains("x.ron") && stderr.contains("a FIFO"),
        "{stderr}"
    );
    assert!(
        stderr.contains("zero.ron") && stderr.contains("a device"),
        "{stderr}"
    );
    assert!(
        stderr.contains("big.ron") && stderr.contains("over the 128 MiB"),
        "{stderr}"
    );

    for args in [
        &["report", "--format", "json"][..],
        &["report", sessions.to_str().unwrap(), "--format", "json"],
    ] {
        let out = ends_in_time(tmp.path(), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {stderr}");
        assert!(
            stderr.contains("x.ron") && stderr.contains("FIFO"),
            "{args:?}: {stderr}"
        );
    }
    // Named directly.
    let out = ends_in_time(
        tmp.path(),
        &[
            "export",
            sessions.join("x.ron").to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("a FIFO (named pipe), not a regular file"),
        "{stderr}"
    );
    // The capture start (without a terminal it stops after reading the folder).
    ends_in_time(tmp.path(), &["capture"]);
}

// Item 12: encodings.
#[test]
fn a_utf8_bom_is_accepted_and_utf16_is_named_with_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let text = session("s", vec![step(1, 1_000, "open-chart")]).to_ron();
    let bom = tmp.path().join("bom.ron");
    std::fs::write(&bom, format!("\u{feff}{text}")).unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["export", bom.to_str().unwrap(), "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"open-chart\""));
    let utf16 = tmp.path().join("utf16.ron");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(&utf16, bytes).unwrap();
    export_is_refused(
        tmp.path(),
        &utf16,
        &["the file is UTF-16LE text", "iconv -f UTF-16LE -t UTF-8"],
    );
}

// Item 12: one verdict for a session missing its final `)`, and an undo of a later event.
#[test]
fn a_missing_final_paren_and_an_undo_of_a_later_event_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let text = session("s", vec![step(1, 1_000, "open-chart"), step(2, 2_000, "x")]).to_ron();
    let cut = tmp.path().join("cut.ron");
    std::fs::write(&cut, text.trim_end().strip_suffix(')').unwrap()).unwrap();
    for command in [&["export", "--format", "json"][..], &["compare"]] {
        shadowmap()
            .arg("--data-dir")
            .arg(tmp.path())
            .args(&command[..1])
            .arg(&cut)
            .args(&command[1..])
            .assert()
            .failure()
            .stderr(predicate::str::contains("cut.ron:"));
    }
    let undo = tmp.path().join("undo.ron");
    write_ron(
        &undo,
        &session(
            "s",
            vec![
                step(1, 1_000, "open-chart"),
                at(2, 1_500, EventKind::Undo { target: 3 }),
                step(3, 2_000, "review-allergies"),
            ],
        ),
    );
    shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["compare", undo.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "event 2 undoes event 3, which is not before it",
        ));
}

// Item 12: `report DATA_DIR` reads the data folder's sessions.
#[test]
fn report_of_the_data_folder_reads_its_sessions() {
    let tmp = tempfile::tempdir().unwrap();
    let sessions = sessions_folder(tmp.path());
    write_ron(&sessions.join("a.ron"), &finished("a"));
    let out = shadowmap()
        .arg("--data-dir")
        .arg(tmp.path())
        .args(["report", tmp.path().to_str().unwrap(), "--format", "json"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["sessions"], 1, "{json}");
}

// An XES log given where a session file is read (by its name, or by its first bytes under
// another name): named as what it is, with the command that reads it, not a RON parse error
// about its first character.
#[test]
fn an_xes_log_given_as_a_session_is_named_with_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let session = dir.join("a.ron");
    write_ron(&session, &finished("a"));
    let xes = dir.join("log.xes");
    std::fs::copy("tests/fixtures/xes/running-example.xes", &xes).unwrap();
    let gz = dir.join("log.XES.gz");
    std::fs::copy("tests/fixtures/xes/helpdesk.xes.gz", &gz).unwrap();
    let xml_ron = dir.join("renamed.ron");
    std::fs::copy("tests/fixtures/xes/running-example.xes", &xml_ron).unwrap();
    let gz_ron = dir.join("zipped.ron");
    std::fs::copy("tests/fixtures/xes/helpdesk.xes.gz", &gz_ron).unwrap();
    let named = |path: &Path| {
        let path = path.display();
        [
            format!("{path}: an XES event log, not a session file"),
            format!("hint: `shadowmap compare {path} --pathway ID` scores an XES log"),
        ]
    };
    let sniffed = |path: &Path, what: &str| {
        [
            format!("{}: {what}, not a session file", path.display()),
            "hint: if it is an XES event log, name it .xes (.xes.gz compressed)".to_string(),
        ]
    };
    let xml = "an XML file (an XES event log?)";
    let gzip = "a gzip-compressed file (an XES event log?)";
    let every = [
        named(&xes),
        named(&gz),
        sniffed(&xml_ron, xml),
        sniffed(&gz_ron, gzip),
    ];
    let files: Vec<&str> = [&session, &xes, &gz, &xml_ron, &gz_ron]
        .iter()
        .map(|p| p.to_str().unwrap())
        .collect();
    let parquet = dir.join("tables");
    let many: [Vec<&str>; 7] = [
        vec!["report"],
        vec!["report", "--format", "html"],
        vec!["rounds", "--split", "version"],
        vec!["map"],
        vec!["plan", "--step", "open-chart", "--reduction", "0.3"],
        vec!["export", "--format", "ocel"],
        vec![
            "export",
            "--format",
            "parquet",
            "--out",
            parquet.to_str().unwrap(),
        ],
    ];
    for args in many {
        let out = shadowmap().args(&args).args(&files).assert().success();
        let stderr = stderr_of(&out);
        assert!(!stderr.contains("Expected opening"), "{args:?}: {stderr}");
        for [what, hint] in &every {
            assert_eq!(
                stderr.matches(what).count(),
                1,
                "{args:?}: {what:?} in {stderr}"
            );
            assert!(stderr.contains(hint), "{args:?}: {hint:?} in {stderr}");
        }
    }
    // suggest reads a log named .xes itself; one under another name is named the same way.
    let out = shadowmap()
        .args(["suggest", files[0], files[3], files[4]])
        .assert()
        .success();
    let stderr = stderr_of(&out);
    for wanted in [&every[2], &every[3]].into_iter().flatten() {
        assert!(stderr.contains(wanted), "suggest: {wanted:?} in {stderr}");
    }
    // The one session loader (export, compare, replay, agree, browse) refuses it the same way.
    for (file, wanted) in [(&xes, &every[0]), (&gz, &every[1]), (&xml_ron, &every[2])] {
        export_is_refused(dir, file, &wanted.each_ref().map(String::as_str));
    }
}
