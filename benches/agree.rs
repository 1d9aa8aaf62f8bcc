//! Benchmark of `agree`: two 8-hour sessions of the same clinician by two auditors, compared
//! in full (slices, pairing, figures, disagreements). Target: under 100 ms.
//!
//!     cargo bench --bench agree

use std::time::Instant;

use shadowmap::agree::{self, Options};
use shadowmap::model::{
    Event, EventKind, InterruptionSource, ProblemKind, Session, SessionHeader, WorkaroundKind,
};
use shadowmap::report::stats::quantile;
use shadowmap::testing::{MED_REC_STEPS, header_with_id};

const HOURS: u64 = 8;

/// What happened, in ms: (at, kind, only one auditor saw it).
fn truth(rng: &mut fastrand::Rng) -> Vec<(u64, EventKind, bool)> {
    let mut out = Vec::new();
    let mut t = 1_000;
    let end = HOURS * 3_600_000;
    while t < end - 600_000 {
        for step in MED_REC_STEPS {
            out.push((t, EventKind::StepStart { step: step.into() }, false));
            let d = 15_000 + rng.u64(..200_000);
            for _ in 0..rng.u64(..12) {
                out.push((
                    t + 500 + rng.u64(..d - 1_000),
                    EventKind::Clicks { delta: 1 },
                    false,
                ));
            }
            if rng.u64(..4) == 0 {
                let at = t + d / 3;
                let source = InterruptionSource::ALL[rng.u64(..9) as usize];
                let only = rng.u64(..8) == 0;
                out.push((
                    at,
                    EventKind::InterruptionStart {
                        source,
                        note: String::new(),
                    },
                    only,
                ));
                if rng.u64(..3) == 0 {
                    out.push((
                        at + 2_000,
                        EventKind::InterruptionStart {
                            source: InterruptionSource::PhonePager,
                            note: String::new(),
                        },
                        only,
                    ));
                    out.push((at + 6_000, EventKind::InterruptionEnd, only));
                }
                out.push((at + 10_000, EventKind::InterruptionEnd, only));
            }
            if rng.u64(..10) == 0 {
                let kind = WorkaroundKind::ALL[rng.u64(..7) as usize];
                out.push((
                    t + d / 2,
                    EventKind::Workaround {
                        kind,
                        note: String::new(),
                    },
                    rng.u64(..5) == 0,
                ));
            }
            if rng.u64(..12) == 0 {
                let kind = ProblemKind::ALL[rng.u64(..8) as usize];
                out.push((
                    t + d / 2 + 1_000,
                    EventKind::SystemProblem {
                        kind,
                        note: String::new(),
                    },
                    rng.u64(..5) == 0,
                ));
            }
            t += d;
        }
        out.push((t, EventKind::StepEnd, false));
        t += 30_000 + rng.u64(..120_000);
    }
    out.sort_by_key(|e| e.0);
    out
}

fn session(
    id: &str,
    auditor: &str,
    truth: &[(u64, EventKind, bool)],
    rng: &mut fastrand::Rng,
    is_b: bool,
) -> Session {
    let mut s = Session::new(SessionHeader {
        auditor: auditor.into(),
        ..header_with_id(id)
    });
    let mut last = 0;
    for (at, kind, only) in truth {
        if *only && (rng.u64(..2) == 0) == is_b {
            continue;
        }
        let at_ms = (at + 500 + rng.u64(..2_500)).max(last);
        last = at_ms;
        let seq = s.next_seq();
        s.events.push(Event {
            seq,
            at_ms,
            kind: kind.clone(),
        });
    }
    let seq = s.next_seq();
    s.events.push(Event {
        seq,
        at_ms: HOURS * 3_600_000,
        kind: EventKind::Finish,
    });
    s
}

fn main() {
    let mut rng = fastrand::Rng::with_seed(7);
    let truth = truth(&mut rng);
    let a = session("bench-a", "ak", &truth, &mut rng, false);
    let b = session("bench-b", "jb", &truth, &mut rng, true);
    let options = Options::default();
    let steps = a.timeline().steps.len();
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..30 {
        let start = Instant::now();
        let g = agree::agree(&a, &b, &options).expect("the bench pair overlaps");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        result = Some(g);
    }
    let g = result.unwrap();
    times.sort_by(f64::total_cmp);
    let p = |q: f64| quantile(&mut times.clone(), q).expect("30 runs");
    println!(
        "agree: two {HOURS}-hour sessions ({} and {} events, {steps} steps, {} slices)",
        a.events.len(),
        b.events.len(),
        g.window.compared_slices
    );
    println!(
        "  time per comparison over {} runs: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (target < 100 ms)",
        times.len(),
        p(0.5),
        p(0.99),
        times[times.len() - 1]
    );
    println!(
        "  figures: time_slice_kappa {:.3}, naming_kappa {:.3}, duration_ccc {:.3}, sequence_similarity {:.3}",
        g.time_slice_kappa,
        g.naming_kappa.unwrap_or(f64::NAN),
        g.duration_ccc.unwrap_or(f64::NAN),
        g.sequence_similarity
    );
    assert!(
        p(0.5) < 100.0,
        "agree took {:.1} ms, over the 100 ms target",
        p(0.5)
    );
}
