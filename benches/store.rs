//! Store benchmark (`cargo bench --bench store`): durable append p50/p99 next to a raw
//! write + fdatasync of the same record size on the same disk; recovery of a 100,000-event
//! journal; loading a 10,000-event session snapshot; the snapshot's read-back check.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use shadowmap::model::{Event, EventKind, InterruptionSource, Session, WorkaroundKind};
use shadowmap::store::journal::{encode_event, encode_header};
use shadowmap::store::{DataDir, SessionWriter};
use shadowmap::testing::{header_with_id, percentile, thread_cpu_time};

/// A realistic mix: mostly clicks, screens and step starts, some interruptions and notes.
fn event(seq: u64) -> Event {
    let kind = match seq % 10 {
        0 => EventKind::StepStart {
            step: "enter-home-meds".into(),
        },
        1..=4 => EventKind::Clicks { delta: 1 },
        5 => EventKind::Screen,
        6 => EventKind::InterruptionStart {
            source: InterruptionSource::PhonePager,
            note: String::new(),
        },
        7 => EventKind::InterruptionEnd,
        8 => EventKind::Workaround {
            kind: WorkaroundKind::PaperNote,
            note: "copied the pharmacy list onto paper".into(),
        },
        _ => EventKind::Note {
            text: "patient unsure of the metoprolol dose".into(),
        },
    };
    Event {
        seq,
        at_ms: seq * 1_700,
        kind,
    }
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn append_bench(base: &Path) {
    const ROUNDS: usize = 10;
    const PER_ROUND: usize = 200;
    let dir = DataDir::open(base.join("append")).unwrap();
    let mut writer = SessionWriter::create(&dir, &header_with_id("bench-append")).unwrap();
    let raw_path = base.join("raw.bin");
    let mut raw = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&raw_path)
        .unwrap();
    let mut store_times = Vec::with_capacity(ROUNDS * PER_ROUND);
    let mut raw_times = Vec::with_capacity(ROUNDS * PER_ROUND);
    let mut seq = 0;
    let mut bytes = 0usize;
    // Interleaved rounds, so both see the same disk and the same neighbours.
    for _ in 0..ROUNDS {
        for _ in 0..PER_ROUND {
            seq += 1;
            let e = event(seq);
            let t = Instant::now();
            writer.append(&e).unwrap();
            store_times.push(t.elapsed());
        }
        for i in 0..PER_ROUND {
            // The same framed record the store writes for this event.
            let mut buf = Vec::with_capacity(128);
            encode_event(&mut buf, &event(seq - PER_ROUND as u64 + 1 + i as u64));
            bytes += buf.len();
            let t = Instant::now();
            raw.write_all(&buf).unwrap();
            raw.sync_data().unwrap();
            raw_times.push(t.elapsed());
        }
    }
    store_times.sort();
    raw_times.sort();
    let (s50, s99) = (
        percentile(&store_times, 0.5),
        percentile(&store_times, 0.99),
    );
    let (r50, r99) = (percentile(&raw_times, 0.5), percentile(&raw_times, 0.99));
    println!(
        "durable append ({} events, mean record {} bytes)",
        store_times.len(),
        bytes / raw_times.len()
    );
    println!(
        "  store append+fdatasync  p50 {:>8.1} us   p99 {:>8.1} us",
        micros(s50),
        micros(s99)
    );
    println!(
        "  raw write+fdatasync     p50 {:>8.1} us   p99 {:>8.1} us",
        micros(r50),
        micros(r99)
    );
    println!(
        "  overhead                p50 {:>+7.1} %    p99 {:>+7.1} %   (target within 10 %)",
        (micros(s50) / micros(r50) - 1.0) * 100.0,
        (micros(s99) / micros(r99) - 1.0) * 100.0
    );
}

struct Timing {
    min: Duration,
    median: Duration,
    cpu_median: Option<Duration>,
}

impl std::fmt::Display for Timing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "wall min {:>6.1} ms   median {:>6.1} ms",
            millis(self.min),
            millis(self.median)
        )?;
        if let Some(cpu) = self.cpu_median {
            write!(f, "   on-CPU median {:>6.1} ms", millis(cpu))?;
        }
        Ok(())
    }
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (Timing, T) {
    let mut times = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let c = thread_cpu_time();
        let t = Instant::now();
        let out = f();
        times.push(t.elapsed());
        cpu.push(thread_cpu_time() - c);
        // Freed outside the timed part.
        drop(last.replace(out));
    }
    times.sort();
    cpu.sort();
    let timing = Timing {
        min: times[0],
        median: percentile(&times, 0.5),
        cpu_median: (cpu.len() == runs).then(|| percentile(&cpu, 0.5)),
    };
    (timing, last.unwrap())
}

fn recovery_bench(base: &Path) {
    const N: u64 = 100_000;
    let dir = DataDir::open(base.join("recovery")).unwrap();
    let mut buf = Vec::new();
    encode_header(&mut buf, &header_with_id("bench-recovery"), true);
    for seq in 1..=N {
        encode_event(&mut buf, &event(seq));
    }
    // A torn last record, as after a power cut.
    buf.extend_from_slice(&[7, 0, 0, 0, 1, 2]);
    std::fs::write(dir.journal_path("bench-recovery"), &buf).unwrap();
    let (timing, loaded) = timed(9, || dir.load("bench-recovery").unwrap());
    assert_eq!(loaded.session.events.len(), N as usize);
    assert!(loaded.recovery.unwrap().found_torn_tail());
    println!(
        "recovery of a {N}-event journal ({:.1} MB, torn tail)   (target < 100 ms)\n  {timing}",
        buf.len() as f64 / 1e6,
    );
    let (timing, _) = timed(9, || shadowmap::store::scan_segment(&buf).events.len());
    println!("  of which scanning the bytes (CRC + JSON): {timing}");
}

fn load_bench(base: &Path) {
    const N: u64 = 10_000;
    let dir = DataDir::open(base.join("load")).unwrap();
    let mut session = Session::new(header_with_id("bench-load"));
    session.events = (1..=N).map(event).collect();
    let text = session.to_ron();
    std::fs::write(dir.snapshot_path("bench-load"), &text).unwrap();
    let (timing, loaded) = timed(9, || dir.load("bench-load").unwrap());
    assert_eq!(loaded.session, session);
    println!(
        "loading a {N}-event session snapshot ({:.1} MB RON)   (target < 50 ms)\n  {timing}",
        text.len() as f64 / 1e6,
    );
}

/// What finishing adds for the read-back check: the snapshot's text alone, then the text
/// parsed again and compared (what `SessionWriter::finish` and `export --format ron` do before
/// writing).
fn finish_bench() {
    const N: u64 = 10_000;
    let mut session = Session::new(header_with_id("bench-finish"));
    session.events = (1..=N).map(event).collect();
    let (plain, _) = timed(9, || session.to_ron());
    let path = Path::new("bench-finish.ron");
    let (checked, _) = timed(9, || {
        shadowmap::store::snapshot_text(&session, path).unwrap()
    });
    println!(
        "snapshot text of a {N}-event session\n  serialize only: {plain}\n  serialize + read-back check: {checked}"
    );
}

fn main() {
    // On the project's disk (target/), not a RAM-backed /tmp.
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).unwrap();
    let base = tempfile::tempdir_in(&target).unwrap();
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let run = |name: &str| only.as_deref().is_none_or(|o| name.contains(o));
    if run("append") {
        append_bench(base.path());
    }
    if run("recovery") {
        recovery_bench(base.path());
    }
    if run("load") {
        load_bench(base.path());
    }
    if run("finish") {
        finish_bench();
    }
}
