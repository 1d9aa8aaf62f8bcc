//! End to end: `shadowmap report DIR --tui` in a pseudo-terminal (80x24): pick a cause for the
//! top finding with the one-key menu, type who and why, quit; the override is in
//! `overrides.ron` and the next text report shows it as one.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_shadowmap");

fn copy_samples(dir: &Path) {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
    for entry in std::fs::read_dir(samples).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn override_a_cause_in_the_report_screen() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path());
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.arg("report");
    cmd.arg(dir.path());
    cmd.arg("--tui");
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        24.try_into().unwrap(),
        80.try_into().unwrap(),
        0,
    )));
    let sink = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().process(&buf[..n]);
        }
    });
    let wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = parser.lock().unwrap().screen().contents();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let mut send = |s: &str| {
        writer.write_all(s.as_bytes()).unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(50));
    };
    let screen = wait_for("findings (* = overridden)");
    assert!(
        screen.contains("enter-home-meds takes longer than expected"),
        "{screen}"
    );
    send("c");
    wait_for("Infrastructure");
    send("t");
    wait_for("training: who?");
    send("ak\r");
    wait_for("training: why?");
    send("north new starters\r");
    wait_for("saved");
    let screen = wait_for("training*");
    assert!(screen.contains("OVERRIDDEN: training by ak"), "{screen}");
    send("q");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the screen did not quit");
        std::thread::sleep(Duration::from_millis(10));
    }

    let saved = std::fs::read_to_string(dir.path().join("overrides.ron")).unwrap();
    assert!(saved.contains("cause: training"), "{saved}");
    assert!(saved.contains("why: \"north new starters\""), "{saved}");
    let out = std::process::Command::new(BIN)
        .arg("report")
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("training (OVERRIDDEN by ak"), "{text}");
}
