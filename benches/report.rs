//! Report benchmark: generates 10,000 realistic sessions (about 300 events each) on disk in a
//! temporary folder, then reports on them the way `shadowmap report` does (streaming: read,
//! compare, digest, fold, drop), and prints sessions per second and peak memory (VmHWM).
//!
//! `cargo bench --bench report` (REPORT_BENCH_SESSIONS=N for another count).
//! Targets: under 10 s and under 300 MB on a 2-core machine.

use std::path::PathBuf;
use std::time::Instant;

use shadowmap::report::{Format, Overrides, ReportOptions, build_report, render};
use shadowmap::testing::{cpu_secs, vm_hwm_kb};

/// Where one session's time goes, single-threaded, over the first `k` files.
fn breakdown(files: &[PathBuf], k: usize) {
    use shadowmap::model::{Session, resolve_pathway};
    let pathway = resolve_pathway("med-rec-admission").unwrap().0;
    let k = k.min(files.len());
    let (mut read, mut parse, mut digest) = (0.0, 0.0, 0.0);
    for path in &files[..k] {
        let t = Instant::now();
        let text = std::fs::read_to_string(path).unwrap();
        read += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let session = Session::from_ron_str(&text, path).unwrap();
        parse += t.elapsed().as_secs_f64();
        let t = Instant::now();
        let d = shadowmap::report::digest::digest_session(&session, &pathway);
        digest += t.elapsed().as_secs_f64();
        std::hint::black_box(d);
    }
    let us = |v: f64| v / k as f64 * 1e6;
    println!(
        "per session, one thread ({k} sessions): read {:.0} us, parse (fast path) {:.0} us, compare+digest {:.0} us",
        us(read),
        us(parse),
        us(digest)
    );
}

fn main() {
    let n: usize = std::env::var("REPORT_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("a temporary folder");

    let t = Instant::now();
    let mut rng = fastrand::Rng::with_seed(20261125);
    let mut events = 0usize;
    let mut bytes = 0usize;
    let mut files: Vec<PathBuf> = Vec::with_capacity(n);
    for i in 0..n {
        let s = shadowmap::testing::random_session(&mut rng, i, 300);
        events += s.events.len();
        let text = s.to_ron();
        bytes += text.len();
        let path = dir.path().join(format!("{}.ron", s.header.id));
        std::fs::write(&path, text).expect("writing a session");
        files.push(path);
    }
    println!(
        "generated {n} sessions, {:.0} events each on average, {:.0} MB of RON, in {:.1} s",
        events as f64 / n as f64,
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    // Reset the peak so it measures the report alone (Linux 4.0+); fall back to the whole run.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = vm_hwm_kb();

    let cpu_before = cpu_secs();
    let t = Instant::now();
    let files = shadowmap::report::collect_session_files(&[dir.path().to_path_buf()])
        .expect("listing the sessions");
    let options = ReportOptions {
        pathway: None,
        by: vec!["site".into(), "role".into()],
        threads: 0,
        ..Default::default()
    };
    let report = build_report(&files, &options, &Overrides::default()).expect("a report");
    let built = t.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let text = render(&report, Format::Text);
    let html = render(&report, Format::Html);
    let json = render(&report, Format::Json);
    let rendered = t2.elapsed().as_secs_f64();
    let total = t.elapsed().as_secs_f64();
    assert_eq!(
        report.sessions as usize, n,
        "every session is in the report"
    );
    assert!(report.skipped.is_empty(), "{:?}", report.skipped.first());
    assert!(!report.findings.is_empty());

    let cpu = cpu_secs().zip(cpu_before).map(|(a, b)| a - b);
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "report: {n} sessions in {total:.2} s ({built:.2} s read+compare+fold, {rendered:.3} s rendering text {} kB, html {} kB, json {} kB) on {threads} threads",
        text.len() / 1000,
        html.len() / 1000,
        json.len() / 1000
    );
    println!("sessions per second: {:.0}", n as f64 / total);
    if let Some(cpu) = cpu {
        println!(
            "CPU time of the report: {cpu:.2} s ({:.0} sessions per CPU second; the machine is shared, so wall time depends on the load: {})",
            n as f64 / cpu,
            std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .trim()
        );
    }
    println!(
        "findings: {}; top: {} ({:.0} min, {})",
        report.findings.len(),
        report.findings[0].title,
        report.findings[0].time_cost_min,
        report.findings[0].cause
    );
    breakdown(&files, 500);
    match vm_hwm_kb() {
        Some(kb) => println!(
            "peak memory (VmHWM{}): {:.1} MB{}",
            if reset {
                ", reset before the report"
            } else {
                ""
            },
            kb as f64 / 1024.0,
            before.map_or(String::new(), |b| format!(
                " (at the start of the report: {:.1} MB)",
                b as f64 / 1024.0
            ))
        ),
        None => println!("peak memory: /proc/self/status not available"),
    }
    println!(
        "targets: < 10 s -> {}; < 300 MB -> {}",
        if total < 10.0 { "met" } else { "MISSED" },
        if vm_hwm_kb().is_some_and(|kb| kb < 300 * 1024) {
            "met"
        } else {
            "MISSED"
        }
    );
}
