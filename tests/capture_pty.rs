//! End to end: the real binary in a pseudo-terminal (80x24), a temporary data folder, keys
//! typed as a person would, the screen read back with vt100, and the session read back with
//! `shadowmap export --format json`.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use shadowmap::model::session::{Event, EventKind};
use support::pty::{BIN, Pty};

/// The session id in the title bar.
fn session_id(s: &Pty) -> String {
    let screen = s.contents();
    let title = screen.lines().next().unwrap_or_default();
    title
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no session id in the title: {title}"))
        .to_string()
}

fn export(data_dir: &Path, id: &str) -> Vec<Event> {
    let out = std::process::Command::new(BIN)
        .args(["export", id, "--format", "json", "--data-dir"])
        .arg(data_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    serde_json::from_value(json["events"].clone()).unwrap()
}

/// The rows of "Last events" the screen shows as saved (✓): (seq, tenths of a second).
fn saved_rows(screen: &str) -> Vec<(u64, u64)> {
    let mut rows = Vec::new();
    for line in screen.lines() {
        let Some(start) = line.find("│#") else {
            continue;
        };
        let rest = &line[start + "│#".len()..];
        let mut parts = rest.split_whitespace();
        let (Some(seq), Some(time), Some(mark)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if mark != "✓" {
            continue;
        }
        let seq: u64 = seq.parse().unwrap();
        rows.push((seq, tenths(time)));
    }
    rows
}

/// `m:ss.t` or `h:mm:ss.t` (a session time with tenths) -> tenths of a second.
fn tenths(time: &str) -> u64 {
    let (hms, t) = time.split_once('.').unwrap();
    let secs = hms
        .split(':')
        .map(|p| p.parse::<u64>().unwrap())
        .fold(0, |secs, part| secs * 60 + part);
    secs * 10 + t.parse::<u64>().unwrap()
}

fn step(id: &str) -> EventKind {
    EventKind::StepStart { step: id.into() }
}

#[test]
#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
fn a_typed_session_exports_exactly_its_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Pty::in_data_dir(
        dir.path(),
        &["capture", "--site", "north", "--clinician", "RN-07"],
    );
    s.wait_for("saved");
    s.wait_for("nothing logged yet");
    let id = session_id(&s);
    assert!(id.ends_with("-north-RN-07"), "{id}");
    use shadowmap::model::vocab::{InterruptionSource as Src, ProblemKind, WorkaroundKind};
    // (keys, the event they log, if any)
    let script: Vec<(&str, Option<EventKind>)> = vec![
        (" ", Some(step("open-chart"))),
        ("c", Some(EventKind::Clicks { delta: 1 })),
        ("c", Some(EventKind::Clicks { delta: 1 })),
        ("s", Some(EventKind::Screen)),
        ("C", Some(EventKind::Clicks { delta: -1 })),
        ("z", None), // means nothing
        (" ", Some(step("review-allergies"))),
        ("r", Some(EventKind::Reentry)),
        ("i", None),
        (
            "4",
            Some(EventKind::InterruptionStart {
                source: Src::PhonePager,
                note: String::new(),
            }),
        ),
        ("c", Some(EventKind::Clicks { delta: 1 })),
        ("i", None),
        (
            "1",
            Some(EventKind::InterruptionStart {
                source: Src::Colleague,
                note: String::new(),
            }),
        ),
        ("I", Some(EventKind::InterruptionEnd)),
        ("I", Some(EventKind::InterruptionEnd)),
        ("w", None),
        ("1", None),
        ("glove", None),
        (
            "<ret>",
            Some(EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "glove".into(),
            }),
        ),
        ("x", None),
        ("2", None),
        (
            "<ret>",
            Some(EventKind::SystemProblem {
                kind: ProblemKind::ErrorMessage,
                note: String::new(),
            }),
        ),
        ("4", Some(step("pharmacy-record"))),
        ("/", None),
        ("fax", None),
        (
            "<ret>",
            Some(EventKind::UnplannedStep {
                step: "fax".into(),
                label: "fax".into(),
            }),
        ),
        (" ", Some(step("ask-patient"))),
        ("u", Some(EventKind::Undo { target: 0 })), // target filled below
        ("p", Some(EventKind::Pause)),
        ("c", None), // paused: means nothing
        ("p", Some(EventKind::Resume)),
        ("n", None),
        ("ok", None),
        ("<ret>", Some(EventKind::Note { text: "ok".into() })),
        ("e", Some(EventKind::StepEnd)),
        ("e", None),
        ("?", None),
        ("x", None), // closes help
        ("i", None),
        ("<esc>", None), // cancels the picker
        ("5", Some(step("enter-home-meds"))),
        ("c", Some(EventKind::Clicks { delta: 1 })),
        ("i", None),
        (
            "6",
            Some(EventKind::InterruptionStart {
                source: Src::EhrAlert,
                note: String::new(),
            }),
        ),
        ("6", Some(step("sign"))), // task switch out of the interruption
        ("q", None),
        ("n", None), // goes back
        ("q", None),
        ("y", Some(EventKind::Finish)),
    ];
    let mut expected = Vec::new();
    for (keys, event) in &script {
        s.keys(keys);
        if let Some(mut kind) = event.clone() {
            if let EventKind::Undo { target } = &mut kind {
                *target = expected.len() as u64; // the event before the undo
            }
            expected.push(kind);
            if !matches!(expected.last(), Some(EventKind::Finish)) {
                s.wait_for(&format!("saved #{}", expected.len()));
            }
        }
        std::thread::sleep(Duration::from_millis(15));
    }
    s.wait_exit();
    let events = export(dir.path(), &id);
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind.clone()).collect();
    assert_eq!(kinds, expected);
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=expected.len() as u64).collect::<Vec<_>>()
    );
    // Times come from the key presses: increasing, and spread over the typing (at least the
    // 15 ms pause between keys).
    for pair in events.windows(2) {
        assert!(pair[1].at_ms >= pair[0].at_ms + 10, "{pair:?}");
    }
}

#[test]
fn sigkill_loses_nothing_shown_as_saved_and_the_session_continues() {
    let seed = std::env::var("SHADOWMAP_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("seed {seed} (SHADOWMAP_TEST_SEED={seed} repeats this run)");
    let mut rng = fastrand::Rng::with_seed(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Pty::in_data_dir(dir.path(), &["capture", "--clinician", "RN-09"]);
    s.wait_for("nothing logged yet");
    let id = session_id(&s);
    // Keys that log one event each, in any order.
    let keys = [" ", "c", "c", "s", "r", "1", "3", "5", "u", "I", "e"];
    let kill_after = rng.usize(5..40);
    let mut shown: Vec<(u64, u64)> = Vec::new();
    for _ in 0..kill_after {
        s.keys(keys[rng.usize(..keys.len())]);
        std::thread::sleep(Duration::from_millis(rng.u64(1..25)));
        for row in saved_rows(&s.contents()) {
            if !shown.contains(&row) {
                shown.push(row);
            }
        }
    }
    // One more key, and the kill right behind it: it may or may not be saved.
    s.keys("c");
    s.sigkill();
    for row in saved_rows(&s.contents()) {
        if !shown.contains(&row) {
            shown.push(row);
        }
    }
    shown.sort();
    assert!(!shown.is_empty(), "nothing was shown as saved");

    // Restart: the unfinished session is offered; continue it.
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    s.wait_for("unfinished sessions");
    s.wait_for(&id);
    s.keys("c");
    s.wait_for("reopened: gap of");
    s.keys("c");
    s.keys("q");
    s.keys("y");
    s.wait_exit();

    let events = export(dir.path(), &id);
    for (seq, t) in &shown {
        let event = events
            .iter()
            .find(|e| e.seq == *seq)
            .unwrap_or_else(|| panic!("event #{seq} was shown saved but is lost: {events:?}"));
        assert_eq!(event.at_ms / 100, *t, "event #{seq} changed its time");
    }
    for pair in events.windows(2) {
        assert_eq!(pair[1].seq, pair[0].seq + 1, "events out of order");
        assert!(pair[1].at_ms >= pair[0].at_ms);
    }
    let reopened = events
        .iter()
        .position(|e| e.kind == EventKind::Reopened)
        .expect("a reopened event marks the gap");
    assert!(events[..reopened].iter().all(|e| e.seq > 0));
    assert!(shown.iter().all(|(seq, _)| *seq < events[reopened].seq));
    assert_eq!(events[reopened + 1].kind, EventKind::Clicks { delta: 1 });
    assert_eq!(events.last().unwrap().kind, EventKind::Finish);
}

#[test]
fn no_arguments_opens_the_start_form_and_enter_starts() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    s.wait_for("new capture session");
    s.keys("<ret>");
    s.wait_for("nothing logged yet");
    let id = session_id(&s);
    assert!(id.ends_with("-site-1-C-01"), "{id}");
    s.keys(" ");
    s.wait_for("saved #1");
    // A resize redraws at the new size: the title's right end moves to column 120.
    s.resize(30, 120);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let screen = s.contents();
        let title = screen.lines().next().unwrap_or_default().to_string();
        if title.trim_end().chars().count() > 110 && title.contains("saved #1") {
            break;
        }
        assert!(Instant::now() < deadline, "no redraw at 120x30:\n{screen}");
        std::thread::sleep(Duration::from_millis(10));
    }
    // Ctrl-C leaves with everything saved; the session stays unfinished.
    s.keys("<C-c>");
    s.wait_exit();
    let events = export(dir.path(), &id);
    assert_eq!(events.len(), 1);
    // Next start: offered; `f` finishes it as it is, then the start form comes.
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    s.wait_for("unfinished sessions");
    s.wait_for(&id);
    s.keys("f");
    s.wait_for("new capture session");
    // The form says which session was finished, so the auditor knows `f` did something.
    s.wait_for(&format!("finished {id} as it was (2 events)"));
    s.keys("<esc>");
    s.wait_exit();
    let finished = export(dir.path(), &id);
    assert_eq!(finished.len(), 2);
    assert_eq!(finished[1].kind, EventKind::Finish);
    assert_eq!(finished[1].at_ms, finished[0].at_ms, "finished as it was");
    // Nothing is offered any more.
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    s.wait_for("new capture session");
    s.keys("<esc>");
    s.wait_exit();
}

#[test]
fn keys_typed_ahead_of_the_capture_screen_are_kept_for_it() {
    // Enter on the start form and the first events in one burst: the keys after Enter were
    // read in the start form's batch and must reach the capture screen, not be dropped.
    let dir = tempfile::tempdir().unwrap();
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    s.wait_for("new capture session");
    s.keys("<ret> cc");
    s.wait_for("saved #3");
    let id = session_id(&s);
    s.keys("<C-c>");
    s.wait_exit();
    let kinds: Vec<EventKind> = export(dir.path(), &id)
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(matches!(kinds[0], EventKind::StepStart { .. }), "{kinds:?}");
    assert_eq!(
        kinds[1..],
        [
            EventKind::Clicks { delta: 1 },
            EventKind::Clicks { delta: 1 }
        ]
    );
}

#[test]
fn a_bad_pathway_is_told_before_the_screen_opens() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(BIN)
        .args(["capture", "--pathway", "no-such-pathway", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown pathway id `no-such-pathway`"),
        "{stderr}"
    );
    assert!(stderr.contains("med-rec-admission"), "{stderr}");
    // No escape sequences: the terminal was never touched.
    assert!(!out.stdout.contains(&0x1b), "{:?}", out.stdout);
}

#[test]
fn a_session_another_shadowmap_is_capturing_is_not_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Pty::in_data_dir(dir.path(), &["capture", "--site", "north"]);
    first.wait_for("nothing logged yet");
    let id = session_id(&first);
    first.keys(" ");
    first.wait_for("saved #1");
    // A second shadowmap on the same folder: the session is unfinished but in use.
    let mut second = Pty::in_data_dir(dir.path(), &[]);
    second.wait_for("unfinished sessions");
    second.wait_for(&id);
    second.wait_for("IN USE: another shadowmap is capturing it now");
    second.keys("c");
    second.wait_for(&format!("another shadowmap is capturing session {id}"));
    second.keys("f");
    second.wait_for(&format!("another shadowmap is capturing session {id}"));
    // The first one goes on saving, untouched.
    first.keys("c");
    first.wait_for("saved #2");
    // `n` starts a new session instead.
    second.keys("n");
    second.wait_for("new capture session");
    second.keys("<esc>");
    second.wait_exit();
    first.keys("<C-c>");
    first.wait_exit();
    let events = export(dir.path(), &id);
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].kind, EventKind::Clicks { delta: 1 });
}

#[test]
fn f2_on_the_start_form_opens_the_browser_and_leaving_it_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    // One finished session to list.
    let mut s = Pty::in_data_dir(dir.path(), &["capture", "--site", "east"]);
    s.wait_for("nothing logged yet");
    let id = session_id(&s);
    s.keys(" ");
    s.wait_for("saved #1");
    s.keys("q");
    s.wait_for("Finish the session?");
    s.keys("y");
    s.wait_exit();
    // The form: F2 (xterm's escape sequence) opens the browser over the same terminal.
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    let form = s.wait_for("new capture session");
    assert!(form.contains("F2 sessions"), "{form}");
    s.keys("<F2>");
    let browser = s.wait_for(&id);
    assert!(!browser.contains("new capture session"), "{browser}");
    // `q` leaves the browser: the form again, as it was; Enter still starts a session.
    s.keys("q");
    s.wait_for("new capture session");
    s.keys("<ret>");
    s.wait_for("nothing logged yet");
    s.keys("<C-c>");
    s.wait_exit();
}

#[test]
fn a_user_pathway_file_works_as_a_template_id_does() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("my-pathway.ron");
    std::fs::write(
        &file,
        r#"Pathway(
    id: "my-pathway",
    version: 2,
    name: "A pathway of the site's own",
    description: "Two steps nobody else has.",
    roles: ["RN"],
    steps: [
        Step(id: "first-own-step", label: "First own step", expected_secs: 10, expected_clicks: 1),
        Step(id: "second-own-step", label: "Second own step", expected_secs: 10, expected_clicks: 1),
    ],
)
"#,
    )
    .unwrap();
    let data = dir.path().join("data");
    let mut s = Pty::in_data_dir(&data, &["capture", "--pathway", file.to_str().unwrap()]);
    s.wait_for("Second own step");
    let id = session_id(&s);
    s.keys(" ");
    s.wait_for("saved #1");
    s.keys(" ");
    s.wait_for("saved #2");
    s.keys("q");
    s.keys("y");
    s.wait_exit();
    let events = export(&data, &id);
    let kinds: Vec<EventKind> = events.into_iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            step("first-own-step"),
            step("second-own-step"),
            EventKind::Finish
        ]
    );
    let out = std::process::Command::new(BIN)
        .args(["export", &id, "--format", "json", "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["pathway_id"], "my-pathway", "{json}");
    assert_eq!(json["pathway_version"], 2, "{json}");
}

#[test]
fn a_multi_line_paste_into_a_note_is_text_all_of_it_never_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Pty::in_data_dir(dir.path(), &["capture", "--site", "north"]);
    s.wait_for("nothing logged yet");
    let id = session_id(&s);
    assert!(
        s.with_screen(vt100::Screen::bracketed_paste),
        "the capture turns bracketed paste on"
    );
    s.keys(" ");
    s.wait_for("saved #1");
    s.keys("n");
    // The lines after the first are capture keys if read as typing: i (interruption),
    // c (click), q (finish)...
    s.paste("first line\r\nic then q\r\nend");
    s.keys("<ret>");
    s.wait_for("saved #2");
    s.keys("<C-c>");
    s.wait_exit();
    let kinds: Vec<EventKind> = export(dir.path(), &id)
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        [
            step("open-chart"),
            EventKind::Note {
                text: "first line ic then q end".into()
            }
        ]
    );
}

/// The capture in a shell that ignores SIGHUP (as a wrapper may), with its standard error in
/// `err`: closing the terminal reaches it only as the end of its input.
fn capture_ignoring_hangups(data_dir: &Path, err: &Path) -> Pty {
    let mut cmd = portable_pty::CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(format!(
        "trap '' HUP; exec '{BIN}' capture --site north --data-dir '{}' 2>'{}'",
        data_dir.display(),
        err.display()
    ));
    cmd.env("TERM", "xterm-256color");
    cmd.env("USER", "tester");
    cmd.env_remove("SHADOWMAP_DATA_DIR");
    Pty::run(cmd)
}

#[test]
fn the_end_of_input_ends_the_capture_as_ctrl_c_does_with_a_line_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let err = dir.path().join("stderr.txt");
    let mut s = capture_ignoring_hangups(&dir.path().join("data"), &err);
    s.wait_for("nothing logged yet");
    let id = session_id(&s);
    s.keys(" c");
    s.wait_for("saved #2");
    s.hang_up();
    // It ends (it used to spin on the dead terminal for as long as nobody killed it).
    s.wait_exit();
    let stderr = std::fs::read_to_string(&err).unwrap();
    assert!(
        stderr.contains("the terminal's input ended (the terminal hung up)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("every event shown as saved is on disk"),
        "{stderr}"
    );
    let events = export(&dir.path().join("data"), &id);
    assert_eq!(
        events.len(),
        2,
        "both events kept, the session left unfinished"
    );
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Pty::in_data_dir(dir.path(), &["capture", "--site", "north"]);
        s.wait_for("nothing logged yet");
        let id = session_id(&s);
        s.keys(" ");
        s.wait_for("saved #1");
        assert!(s.with_screen(vt100::Screen::alternate_screen));
        assert_eq!(
            s.local_modes() & libc::ICANON,
            0,
            "raw mode while capturing"
        );
        s.signal(signal);
        s.wait_exit();
        s.wait_until("the terminal restored", |_| {
            !s.with_screen(|screen| screen.alternate_screen() || screen.hide_cursor())
        });
        assert_ne!(
            s.local_modes() & libc::ICANON,
            0,
            "SIG{signal}: raw mode is off again"
        );
        assert!(
            !s.with_screen(vt100::Screen::bracketed_paste),
            "SIG{signal}: bracketed paste is off again"
        );
        assert_eq!(
            export(dir.path(), &id).len(),
            1,
            "SIG{signal}: the event is kept"
        );
    }
}

/// A journal that ends in `Finish` with no snapshot (and a 0-byte temporary one beside it):
/// what a kill or a power cut during the finish leaves.
fn finish_cut_short(data_dir: &Path, id: &str) {
    use shadowmap::store::{DataDir, SessionWriter};
    let dir = DataDir::open(data_dir).unwrap();
    let header = shadowmap::testing::header_with_id(id);
    let mut writer = SessionWriter::create(&dir, &header).unwrap();
    writer
        .append(&Event {
            seq: 1,
            at_ms: 1_000,
            kind: step("open-chart"),
        })
        .unwrap();
    writer
        .append(&Event {
            seq: 2,
            at_ms: 4_000,
            kind: EventKind::Finish,
        })
        .unwrap();
    drop(writer);
    std::fs::write(dir.sessions_dir().join(format!("{id}.ron.tmp")), b"").unwrap();
}

#[test]
fn a_finish_cut_short_is_completed_at_start_not_offered_for_continuing() {
    let dir = tempfile::tempdir().unwrap();
    finish_cut_short(dir.path(), "cut");
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    let form = s.wait_for("new capture session");
    assert!(!form.contains("unfinished sessions"), "{form}");
    s.wait_for("completed the cut-short finish of cut (2 events)");
    s.keys("<esc>");
    s.wait_exit();
    let sessions = dir.path().join("sessions");
    assert!(sessions.join("cut.ron").exists());
    assert!(!sessions.join("cut.ron.tmp").exists());
    let events = export(dir.path(), "cut");
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].kind, EventKind::Finish);
}

#[test]
fn a_fifo_in_the_sessions_folder_does_not_hang_the_start_screen() {
    let dir = tempfile::tempdir().unwrap();
    let sessions = dir.path().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(sessions.join("x.ron"))
        .status()
        .unwrap();
    assert!(made.success());
    let mut s = Pty::in_data_dir(dir.path(), &[]);
    s.wait_for("new capture session");
    s.keys("<esc>");
    s.wait_exit();
}
