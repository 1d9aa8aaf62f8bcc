//! Benchmark of `agree`: two 8-hour sessions of the same clinician by two auditors, compared
//! in full (slices, pairing, figures, disagreements). Target: under 100 ms.
//!
//!     cargo bench --bench agree

use std::time::Instant;

use chrono::DateTime;
use shadowmap::agree::{self, Options};
use shadowmap::model::{
    Event, EventKind, InterruptionSource, ProblemKind, SESSION_FORMAT_VERSION, Session,
    SessionHeader, WorkaroundKind,
};

const STEPS: [&str; 6] = [
    "open-chart",
    "review-allergies",
    "ask-patient",
    "pharmacy-record",
    "enter-home-meds",
    "sign",
];
const HOURS: u64 = 8;

/// splitmix64: deterministic inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What happened, in ms: (at, kind, only one auditor saw it).
fn truth(rng: &mut Rng) -> Vec<(u64, EventKind, bool)> {
    let mut out = Vec::new();
    let mut t = 1_000;
    let end = HOURS * 3_600_000;
    while t < end - 600_000 {
        for step in STEPS {
            out.push((t, EventKind::StepStart { step: step.into() }, false));
            let d = 15_000 + rng.below(200_000);
            for _ in 0..rng.below(12) {
                out.push((
                    t + 500 + rng.below(d - 1_000),
                    EventKind::Clicks { delta: 1 },
                    false,
                ));
            }
            if rng.below(4) == 0 {
                let at = t + d / 3;
                let source = InterruptionSource::ALL[rng.below(9) as usize];
                let only = rng.below(8) == 0;
                out.push((
                    at,
                    EventKind::InterruptionStart {
                        source,
                        note: String::new(),
                    },
                    only,
                ));
                if rng.below(3) == 0 {
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
            if rng.below(10) == 0 {
                let kind = WorkaroundKind::ALL[rng.below(7) as usize];
                out.push((
                    t + d / 2,
                    EventKind::Workaround {
                        kind,
                        note: String::new(),
                    },
                    rng.below(5) == 0,
                ));
            }
            if rng.below(12) == 0 {
                let kind = ProblemKind::ALL[rng.below(8) as usize];
                out.push((
                    t + d / 2 + 1_000,
                    EventKind::SystemProblem {
                        kind,
                        note: String::new(),
                    },
                    rng.below(5) == 0,
                ));
            }
            t += d;
        }
        out.push((t, EventKind::StepEnd, false));
        t += 30_000 + rng.below(120_000);
    }
    out.sort_by_key(|e| e.0);
    out
}

fn session(
    id: &str,
    auditor: &str,
    truth: &[(u64, EventKind, bool)],
    rng: &mut Rng,
    is_b: bool,
) -> Session {
    let mut s = Session::new(SessionHeader {
        format_version: SESSION_FORMAT_VERSION,
        id: id.into(),
        started_at: DateTime::parse_from_rfc3339("2026-11-25T07:00:00+01:00").unwrap(),
        site: "north".into(),
        role: "RN".into(),
        clinician: "RN-07".into(),
        auditor: auditor.into(),
        pathway_id: "med-rec-admission".into(),
        pathway_version: 3,
    });
    let mut last = 0;
    for (at, kind, only) in truth {
        if *only && (rng.below(2) == 0) == is_b {
            continue;
        }
        let at_ms = (at + 500 + rng.below(2_500)).max(last);
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
    let mut rng = Rng(7);
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
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
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
