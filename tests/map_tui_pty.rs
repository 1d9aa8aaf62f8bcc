//! End to end: `shadowmap map sample-sessions --pathway med-rec-admission --tui` in a
//! pseudo-terminal (100x30): select a step, see where people come from and go next, open the
//! sessions of a flow that leaves the pathway, replay one at that moment, come back, quit.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ROWS: u16 = 30;
const COLS: u16 = 100;

#[test]
fn walk_the_map_open_a_deviating_flow_and_replay_a_session() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_shadowmap"));
    cmd.args(["map", samples.to_str().unwrap()]);
    cmd.args(["--pathway", "med-rec-admission", "--tui"]);
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("SHADOWMAP_DATA_DIR");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        ROWS.try_into().unwrap(),
        COLS.try_into().unwrap(),
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
    let wait_for = |text: &str| -> String {
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
    let mut send = |keys: &str| {
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(80));
    };

    wait_for("Steps, in the pathway's order");
    // The second step: where people come from and go next.
    send("j");
    let screen = wait_for("Review allergies (review-allergies)");
    assert!(
        screen.contains("<- Open the patient's chart  2 (50%)"),
        "{screen}"
    );
    assert!(
        screen.contains("! <- Enter home medications  1 (25%)"),
        "{screen}"
    );
    assert!(
        screen.contains("-> Ask patient or family  2 (50%)"),
        "{screen}"
    );
    assert!(
        screen.contains("! -> Sign reconciliation  1 (25%)"),
        "{screen}"
    );
    // Into the flows; the second incoming one leaves the pathway: its sessions.
    send("\t");
    send("j");
    send("\r");
    let screen = wait_for("Sessions that took the flow");
    assert!(
        screen.contains("Enter home medications -> Review allergies"),
        "{screen}"
    );
    assert!(
        screen.contains("20261119-1010-north-PharmD-02  at 15:53"),
        "{screen}"
    );
    // Replay it at that moment, then back to the map.
    send("r");
    let screen = wait_for("PAUSE");
    assert!(screen.contains("15:53 /"), "{screen}");
    send("q");
    wait_for("Sessions that took the flow");
    send("q");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the map screen did not quit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}
