//! Capture benchmark: the real input path in-process (key event in -> update -> durable
//! journal append -> frame drawn on a TestBackend), next to the disk's raw fdatasync; frame
//! draw time at 80x24 and 200x60; and process start to first frame in a pseudo-terminal.
//!
//! `cargo bench --bench capture`. Files go under the target folder (a real disk, not tmpfs).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use shadowmap::model::pathway::{DEFAULT_PATHWAY, resolve_pathway};
use shadowmap::model::session::{Event, SessionHeader};
use shadowmap::store::{DataDir, SessionWriter};
use shadowmap::testing::{header_with_id, percentile};
use shadowmap::tui::capture::{Capture, CaptureState, draw};

/// The pseudo-terminal harness the end-to-end tests use.
#[path = "../tests/support/pty.rs"]
mod pty;

fn report(name: &str, mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let (p50, p90, p99) = (
        percentile(&samples, 0.5),
        percentile(&samples, 0.9),
        percentile(&samples, 0.99),
    );
    println!(
        "{name:<44} n={:<5} p50 {:>8.3} ms  p90 {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms",
        samples.len(),
        p50.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        samples.last().unwrap().as_secs_f64() * 1e3
    );
    (p50, p99)
}

/// The kit's example header on the default pathway, by auditor `bench`.
fn bench_header(id: &str) -> SessionHeader {
    let pathway = resolve_pathway(DEFAULT_PATHWAY).unwrap().0;
    SessionHeader {
        auditor: "bench".into(),
        pathway_id: pathway.id,
        pathway_version: pathway.version,
        ..header_with_id(id)
    }
}

/// A mix of keys that each log one event without opening a menu.
const KEYS: &[char] = &[' ', 'c', 'c', 's', 'c', 'r', 'C', 'c', '3', 'c', 's', 'u'];

fn key(c: char) -> TermEvent {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    TermEvent::Key(KeyEvent::new(KeyCode::Char(c), m))
}

fn raw_fdatasync(dir: &Path, n: usize) -> Vec<Duration> {
    let path = dir.join("raw.bin");
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap();
    // About the size of one journal record.
    let record = [0x5au8; 64];
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        file.write_all(&record).unwrap();
        file.sync_data().unwrap();
        samples.push(t.elapsed());
    }
    samples
}

/// Key -> saved and key -> drawn through the real store, interleaved with raw write+fdatasync
/// samples on the same disk so that both see the same load.
fn key_to_saved(dir: &Path, n: usize) -> (Vec<Duration>, Vec<Duration>, Vec<Duration>) {
    let mut raw_file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("raw-interleaved.bin"))
        .unwrap();
    let mut raw = Vec::with_capacity(n);
    let data = DataDir::open(dir.join("data")).unwrap();
    let header = bench_header("bench-key-to-saved");
    let pathway = resolve_pathway(DEFAULT_PATHWAY).unwrap().0;
    let writer = SessionWriter::create(&data, &header).unwrap();
    let state = CaptureState::new(header, pathway, Vec::new());
    let mut cap = Capture::new(state, writer, Instant::now());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut saved = Vec::with_capacity(n);
    let mut drawn = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        raw_file.write_all(&[0x5au8; 64]).unwrap();
        raw_file.sync_data().unwrap();
        raw.push(t.elapsed());
        let before = cap.state.saved;
        // The receipt stamp, as the input thread takes it.
        let at = Instant::now();
        cap.handle(at, &key(KEYS[i % KEYS.len()]));
        let t_saved = at.elapsed();
        terminal.draw(|f| draw(&cap.state, f, f.area())).unwrap();
        let t_drawn = at.elapsed();
        if cap.state.saved > before {
            saved.push(t_saved);
            drawn.push(t_drawn);
        }
    }
    (raw, saved, drawn)
}

/// Step keys in every other press (out of order, repeated, undone): each one makes the live
/// conformance compare the session again.
const STEP_KEYS: &[char] = &[' ', '3', 'c', '5', 's', '1', 'c', '6', 'r', '2', 'u', '4'];

/// Key -> saved through the real store with live conformance, in a session that already holds
/// `prefill` events (logged through the same path), interleaved with raw fdatasync samples.
fn key_to_saved_at(dir: &Path, prefill: usize, n: usize) -> (Vec<Duration>, Vec<Duration>, usize) {
    let mut raw_file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("raw-interleaved-live.bin"))
        .unwrap();
    let data = DataDir::open(dir.join("data-live")).unwrap();
    let header = bench_header("bench-live-conformance");
    let pathway = resolve_pathway(DEFAULT_PATHWAY).unwrap().0;
    let writer = SessionWriter::create(&data, &header).unwrap();
    let state = CaptureState::new(header, pathway, Vec::new());
    let mut cap = Capture::new(state, writer, Instant::now());
    let mut i = 0;
    while cap.state.events.len() < prefill {
        cap.handle(Instant::now(), &key(STEP_KEYS[i % STEP_KEYS.len()]));
        i += 1;
    }
    let (mut raw, mut saved) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let t = Instant::now();
        raw_file.write_all(&[0x5au8; 64]).unwrap();
        raw_file.sync_data().unwrap();
        raw.push(t.elapsed());
        let before = cap.state.saved;
        let at = Instant::now();
        cap.handle(at, &key(STEP_KEYS[i % STEP_KEYS.len()]));
        i += 1;
        if cap.state.saved > before {
            saved.push(at.elapsed());
        }
    }
    let deviations = cap.state.live().shown_deviations().count();
    (raw, saved, deviations)
}

/// Key -> update with an in-memory journal: the CPU part of key -> saved.
fn key_to_update(n: usize) -> Vec<Duration> {
    let pathway = resolve_pathway(DEFAULT_PATHWAY).unwrap().0;
    let state = CaptureState::new(bench_header("bench-update"), pathway, Vec::new());
    let mut cap = Capture::new(state, Vec::<Event>::new(), Instant::now());
    (0..n)
        .map(|i| {
            let at = Instant::now();
            cap.handle(at, &key(KEYS[i % KEYS.len()]));
            at.elapsed()
        })
        .collect()
}

/// A state an hour into a busy session: many events, nested interruptions open.
fn busy_state() -> CaptureState {
    let pathway = resolve_pathway(DEFAULT_PATHWAY).unwrap().0;
    let state = CaptureState::new(bench_header("bench-draw"), pathway, Vec::new());
    let mut cap = Capture::new(state, Vec::<Event>::new(), Instant::now());
    let start = cap.start();
    let mut t = 0u64;
    for i in 0..600 {
        t += 5_000;
        cap.handle(
            start + Duration::from_millis(t),
            &key(KEYS[i % (KEYS.len() - 1)]),
        );
    }
    for c in ['i', '4', 'i', '1', 'c'] {
        t += 2_000;
        cap.handle(start + Duration::from_millis(t), &key(c));
    }
    cap.tick(start + Duration::from_millis(t + 30_000));
    cap.state
}

fn draw_times(state: &CaptureState, width: u16, height: u16, n: usize) -> Vec<Duration> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        terminal.draw(|f| draw(state, f, f.area())).unwrap();
        samples.push(t.elapsed());
    }
    samples
}

/// Spawns the real binary in an 80x24 pseudo-terminal (the tests' harness) and times until its
/// first frame (the start form's title) is on the screen.
fn start_to_first_frame(dir: &Path, runs: usize) -> Vec<Duration> {
    let mut samples = Vec::new();
    for run in 0..runs {
        let data = dir.join(format!("first-frame-{run}"));
        let t0 = Instant::now();
        let mut screen = pty::Pty::in_data_dir(&data, &[]);
        let deadline = t0 + Duration::from_secs(10);
        let at = loop {
            if screen.contents().contains("new capture session") {
                break Instant::now();
            }
            assert!(Instant::now() < deadline, "no first frame in 10 s");
            std::thread::sleep(Duration::from_micros(200));
        };
        samples.push(at - t0);
        screen.keys("<esc>");
        screen.wait_exit();
    }
    samples
}

fn main() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-capture");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let dir = tempfile::tempdir_in(&root).unwrap();
    println!("capture benchmark (files under {})", root.display());

    report(
        "raw write + fdatasync (64 B), alone",
        raw_fdatasync(dir.path(), 300),
    );
    let (raw, saved, drawn) = key_to_saved(dir.path(), 300);
    let (raw_p50, raw_p99) = report("raw write + fdatasync, interleaved", raw);
    let (saved_p50, saved_p99) = report("key -> saved (update + durable append)", saved);
    report("key -> saved -> frame drawn (80x24)", drawn);
    report(
        "key -> update, in-memory journal (CPU only)",
        key_to_update(2000),
    );
    println!(
        "  key->saved / raw fdatasync (interleaved): p50 {:.2}x, p99 {:.2}x (target p99 <= 2x)",
        saved_p50.as_secs_f64() / raw_p50.as_secs_f64(),
        saved_p99.as_secs_f64() / raw_p99.as_secs_f64()
    );

    let (raw, saved, deviations) = key_to_saved_at(dir.path(), 600, 300);
    println!(
        "live conformance: from 600 events on, step keys every other press, {deviations} deviations shown at the end"
    );
    let (_, raw_p99) = report("raw write + fdatasync, interleaved (live)", raw);
    let (_, saved_p99) = report("key -> saved with live conformance (600+)", saved);
    println!(
        "  key->saved (live, 600+) / raw fdatasync p99: {:.2}x (target <= 1.5x)",
        saved_p99.as_secs_f64() / raw_p99.as_secs_f64()
    );

    let state = busy_state();
    println!(
        "draw: a state with {} events, {} open interruptions, {} live deviations",
        state.events.len(),
        state.open_interruptions().len(),
        state.live().shown_deviations().count()
    );
    report(
        "frame draw 80x24 (TestBackend)",
        draw_times(&state, 80, 24, 2000),
    );
    report(
        "frame draw 200x60 (TestBackend)",
        draw_times(&state, 200, 60, 1000),
    );

    report(
        "process start -> first frame (pty, 80x24)",
        start_to_first_frame(dir.path(), 15),
    );
}
