//! Export throughput: a whole-shift session (about 20,000 events, notes on every workaround,
//! problem and interruption, a quarter of them with identifiers) written as XES, CSV of
//! events and of steps, JSON-ready redaction; and the redactor on single notes.
//!
//! cargo bench --bench export

use std::time::Instant;

use shadowmap::model::{Session, resolve_pathway};
use shadowmap::report::export::{Redactor, csv, redact_session, xes};
use shadowmap::report::stats::quantile;
use shadowmap::testing::random_shift;

fn time<T>(
    label: &str,
    runs: usize,
    bytes: impl Fn(&T) -> Option<usize>,
    mut f: impl FnMut() -> T,
) {
    let mut times = Vec::with_capacity(runs);
    let mut size = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        size = bytes(&out);
    }
    let p50 = quantile(&mut times, 0.5).expect("at least one run");
    let size = size.map_or("-".to_string(), |s| format!("{} KiB", s / 1024));
    println!(
        "{label:<22} p50 {p50:>8.2} ms  max {:>8.2} ms  output {size:>9}",
        times[runs - 1],
    );
}

fn main() {
    let session = random_shift(&mut fastrand::Rng::with_seed(7), 20_000);
    let (pathway, _) = resolve_pathway("med-rec-admission").unwrap();
    println!(
        "session: {} events, {} steps (2-core shared VM; 11 runs each)",
        session.events.len(),
        session.timeline().steps.len()
    );
    time(
        "xes",
        11,
        |s: &String| Some(s.len()),
        || xes::to_xes_string([&session]),
    );
    time(
        "csv events",
        11,
        |v: &Vec<u8>| Some(v.len()),
        || csv::write_events_csv(Vec::new(), &session).unwrap(),
    );
    time(
        "csv steps",
        11,
        |v: &Vec<u8>| Some(v.len()),
        || csv::write_steps_csv(Vec::new(), &session, Some(&pathway)).unwrap(),
    );
    time(
        "redact_session",
        11,
        |_: &Session| None,
        || redact_session(&session),
    );
    time(
        "redact_session + xes",
        11,
        |s: &String| Some(s.len()),
        || xes::to_xes_string([&redact_session(&session)]),
    );

    let redactor = Redactor::standard();
    let notes = [
        ("no digit", "printer jammed again, walked to the next ward"),
        (
            "digits, nothing to mask",
            "gave 500 mg at 09:30, BP 120/80, step 3 of 10 again",
        ),
        (
            "4 identifiers",
            "pt jane.doe@example.org, MRN 00123456, DOB 03/04/1956, tel +44 20 7946 0958",
        ),
        (
            "8 identifiers",
            "pt Mrs. Jane Doe, 92F, 12 Baker Street SW1A 1AA, ext 4421, medicare 1EG4-TE5-MK72, https://portal.example.org/p/1, 192.168.10.23",
        ),
    ];
    for (what, note) in notes {
        let n = 100_000;
        let start = Instant::now();
        let mut kept = 0;
        for _ in 0..n {
            kept += redactor.mask(note).len();
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!(
            "mask {:>3}-char note ({what}): {per:.2} µs per note (checksum {kept})",
            note.len(),
        );
    }
}
