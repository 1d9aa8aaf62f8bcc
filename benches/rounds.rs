//! Rounds benchmark: two rounds of 5,000 realistic sessions each (the report bench's
//! generator, about 300 events a session) in two folders, then `shadowmap rounds --split
//! folder --by site,role` on them: read, compare, digest, fold, test every step and finding
//! of every group, render text, HTML and JSON. Prints the wall time against the 5 s target.
//!
//! `cargo bench --bench rounds` (ROUNDS_BENCH_SESSIONS=N per round for another count).

use std::time::Instant;

use shadowmap::rounds::render::{Format, render};
use shadowmap::rounds::{RoundsOptions, Split, build_rounds};

fn main() {
    let n: usize = std::env::var("ROUNDS_BENCH_SESSIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let t = Instant::now();
    let mut rng = fastrand::Rng::with_seed(20261201);
    let mut folders = Vec::new();
    for round in ["baseline", "after"] {
        let folder = dir.path().join(round);
        std::fs::create_dir(&folder).expect("a round folder");
        for i in 0..n {
            let s = shadowmap::testing::random_session(&mut rng, i, 300);
            std::fs::write(folder.join(format!("{}.ron", s.header.id)), s.to_ron())
                .expect("writing a session");
        }
        folders.push(folder);
    }
    println!(
        "generated 2 x {n} sessions in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let options = RoundsOptions {
        split: Split::Folder,
        pathway: None,
        by: vec!["site".into(), "role".into()],
        threads: 0,
    };
    let rounds = build_rounds(&folders, &options).expect("rounds");
    let built = t.elapsed().as_secs_f64();
    let t2 = Instant::now();
    let text = render(&rounds, Format::Text);
    let html = render(&rounds, Format::Html);
    let json = render(&rounds, Format::Json);
    let rendered = t2.elapsed().as_secs_f64();
    let total = t.elapsed().as_secs_f64();
    assert!(rounds.skipped.is_empty(), "{:?}", rounds.skipped.first());
    assert_eq!(
        rounds.rounds.iter().map(|r| r.sessions).sum::<u64>(),
        2 * n as u64
    );
    let comparisons = &rounds.pathways[0].comparisons;
    let tests: usize = comparisons.iter().map(|c| c.tests.len()).sum();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "rounds: 2 x {n} sessions in {total:.2} s ({built:.2} s read+compare+fold+test, {rendered:.3} s rendering text {} kB, html {} kB, json {} kB) on {threads} threads; {} comparisons, {tests} tests",
        text.len() / 1000,
        html.len() / 1000,
        json.len() / 1000,
        comparisons.len()
    );
    println!(
        "load: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!(
        "target: < 5 s -> {}",
        if total < 5.0 { "met" } else { "MISSED" }
    );
}
