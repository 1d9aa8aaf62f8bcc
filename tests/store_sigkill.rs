//! A real child process appends events and prints each number after `append` returned; the
//! test SIGKILLs it at random moments, over 200 times. After each kill, recovery yields every
//! event the child had acknowledged, in order, nothing invented, and the session opens; the
//! next child reopens it and goes on.
//!
//! The child is this test binary itself, re-run with `SHADOWMAP_SIGKILL_CHILD` set.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use shadowmap::store::{DataDir, SessionWriter, StoreError};
use shadowmap::testing::{event, header_with_id};

const CHILD_DIR: &str = "SHADOWMAP_SIGKILL_CHILD";
const CHILD_ID: &str = "SHADOWMAP_SIGKILL_ID";
const KILLS: usize = 220;
/// A new session after this many kills, so journals do not grow without end.
const KILLS_PER_SESSION: usize = 30;

/// The child: reopen (or create) the session and append events until killed.
#[test]
fn sigkill_child_appender() {
    let Some(dir) = std::env::var_os(CHILD_DIR) else {
        return; // not the child: nothing to do
    };
    let id = std::env::var(CHILD_ID).unwrap();
    let dir = DataDir::open(dir).unwrap();
    let mut out = std::io::stdout().lock();
    let (mut writer, mut next) = match SessionWriter::reopen(&dir, &id) {
        Ok((writer, session, _)) => (writer, session.next_seq()),
        Err(StoreError::NotFound { .. }) => {
            let writer = SessionWriter::create(&dir, &header_with_id(&id)).unwrap();
            writeln!(out, "created").unwrap();
            (writer, 1)
        }
        Err(e) => panic!("child cannot open the session: {e}"),
    };
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    loop {
        writer.append(&event(next)).unwrap();
        writeln!(out, "ack {next}").unwrap();
        out.flush().unwrap();
        next += 1;
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_acknowledged_event() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let mut session = 0;
    let mut created = false;
    let mut acked_max = 0u64;
    let mut total_acked = 0usize;
    let mut in_flight_kept = 0usize;
    let started = Instant::now();
    for kill in 0..KILLS {
        if kill > 0 && kill % KILLS_PER_SESSION == 0 {
            session += 1;
            created = false;
            acked_max = 0;
        }
        let id = format!("kill-{session}");
        let mut child = Command::new(&exe)
            .args([
                "sigkill_child_appender",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, tmp.path())
            .env(CHILD_ID, &id)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut lines = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line == "ready" {
                    let _ = tx.send(());
                }
                lines.push(line);
            }
            lines
        });
        // Most kills land while events are being appended; some during start-up (create,
        // reopen, a new segment being written).
        if fastrand::u8(..5) > 0 {
            let _ = rx.recv_timeout(Duration::from_secs(10));
            std::thread::sleep(Duration::from_micros(fastrand::u64(0..30_000)));
        } else {
            std::thread::sleep(Duration::from_micros(fastrand::u64(0..8_000)));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        for line in &lines {
            if line == "created" {
                created = true;
            } else if let Some(seq) = line.strip_prefix("ack ") {
                let seq: u64 = seq.parse().unwrap();
                assert_eq!(seq, acked_max + 1, "acks come in order");
                acked_max = seq;
                total_acked += 1;
            }
        }
        if !created {
            // Killed before the session existed: nothing was acknowledged; start afresh
            // rather than reuse a journal that may hold no header.
            session += 1;
            acked_max = 0;
            continue;
        }
        let dir = DataDir::open(tmp.path()).unwrap();
        let loaded = dir
            .load(&id)
            .unwrap_or_else(|e| panic!("kill {kill}: session {id} does not open: {e}"));
        let events = loaded.session.events;
        assert!(
            events.len() as u64 >= acked_max,
            "kill {kill}: {} events recovered, {acked_max} acknowledged",
            events.len()
        );
        for (i, e) in events.iter().enumerate() {
            assert_eq!(
                *e,
                event(i as u64 + 1),
                "kill {kill}: event {i} invented or out of order"
            );
        }
        if events.len() as u64 > acked_max {
            in_flight_kept += 1;
            // The next child continues after it: count it as acknowledged from now on.
            acked_max = events.len() as u64;
        }
        assert!(dir.unfinished().unwrap().iter().any(|e| e.id == id));
    }
    eprintln!(
        "{KILLS} kills in {:?}: {total_acked} acknowledged events, {in_flight_kept} in-flight events kept",
        started.elapsed()
    );
    assert!(
        total_acked > KILLS,
        "the children appended too little to test anything"
    );
}
