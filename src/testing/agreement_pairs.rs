//! The sessions of `sample-sessions/agreement/`: pairs of sessions by two auditors who shadowed the
//! same clinician at the same time (`docs/agreement.md`). Deterministic: the same files on every run.
//!
//! `cargo run --example make_agreement_pairs [-- OUT_DIR]` writes them.
//!
//! Each pair starts from one script of what really happened (steps of `med-rec-admission`
//! for several patients, interruptions, workarounds, system problems). Each auditor logs it
//! with their own reaction time, laptop clock and session start; the script marks what only
//! one of them saw, or what B named differently.
//! - pair 1 (north, RN-07, auditors ak and jb): a calibrated pair; B arrives 38 s late and
//!   misses one short EHR alert.
//! - pair 2 (south, RN-12, auditors ak and mt): B's laptop clock is 95 s slow (use
//!   `--shift-b 95`), B folds review-allergies into open-chart, swaps ask-patient and
//!   pharmacy-record for one patient, misses an interruption, names a problem differently,
//!   logs a workaround A did not, never marks the clinician idle, and takes a short break.

use chrono::{DateTime, Duration, FixedOffset};

use crate::model::{
    Event, EventKind, InterruptionSource as Src, ProblemKind as Prob, SESSION_FORMAT_VERSION,
    Session, SessionHeader, WorkaroundKind as Work,
};
use crate::store::sim::SimRng;

/// Uniform in [lo, hi): from the store's fixed-seed generator (not `fastrand`, whose sequence
/// may change between its versions: the committed pairs must stay what this script builds).
fn range(rng: &mut SimRng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

#[derive(Clone, Copy, PartialEq)]
enum Seen {
    Both,
    OnlyA,
    OnlyB,
}

#[derive(Clone)]
struct Truth {
    /// Seconds since the scenario's origin, in real time.
    t: f64,
    kind: EventKind,
    seen: Seen,
    /// What B logged instead, when B named it differently.
    b_as: Option<EventKind>,
}

#[derive(Default)]
struct Script {
    events: Vec<Truth>,
}

impl Script {
    fn at(&mut self, t: f64, kind: EventKind) -> &mut Truth {
        self.events.push(Truth {
            t,
            kind,
            seen: Seen::Both,
            b_as: None,
        });
        self.events.last_mut().unwrap()
    }

    fn step(&mut self, t: f64, step: &str) -> &mut Truth {
        self.at(
            t,
            EventKind::StepStart {
                step: step.to_string(),
            },
        )
    }

    /// An interruption from `t` for `secs`; returns its start for marking.
    fn interruption(&mut self, t: f64, secs: f64, source: Src, seen: Seen) {
        self.at(
            t,
            EventKind::InterruptionStart {
                source,
                note: String::new(),
            },
        )
        .seen = seen;
        self.at(t + secs, EventKind::InterruptionEnd).seen = seen;
    }

    fn clicks(&mut self, rng: &mut SimRng, from: f64, to: f64, n: usize) {
        for _ in 0..n {
            let t = range(rng, from + 1.0, to - 1.0);
            self.at(t, EventKind::Clicks { delta: 1 });
        }
    }
}

fn step_event(step: &str) -> EventKind {
    EventKind::StepStart {
        step: step.to_string(),
    }
}

/// One medication reconciliation; returns when it ends. `patient` picks the script's quirks.
fn med_rec(s: &mut Script, rng: &mut SimRng, t0: f64, pair: u8, patient: u8) -> f64 {
    let mut t = t0;
    // open-chart
    s.step(t, "open-chart");
    let d = range(rng, 18.0, 32.0);
    s.clicks(rng, t, t + d, 4);
    t += d;
    // review-allergies (B of pair 2 folds it into open-chart the first time)
    let review = s.step(t, "review-allergies");
    if pair == 2 && patient == 1 {
        review.seen = Seen::OnlyA;
    }
    let d = range(rng, 22.0, 40.0);
    s.clicks(rng, t, t + d, 3);
    if pair == 1 && patient == 2 {
        // A short EHR alert B did not see.
        s.interruption(t + 8.0, 7.0, Src::EhrAlert, Seen::OnlyA);
    }
    t += d;
    // gather sources: ask-patient and pharmacy-record, order varies by patient
    let ask_first = patient != 3;
    let order = if ask_first {
        ["ask-patient", "pharmacy-record"]
    } else {
        ["pharmacy-record", "ask-patient"]
    };
    for step in order {
        let swapped = pair == 2 && patient == 2;
        let entry = s.step(t, step);
        if swapped {
            let other = if step == "ask-patient" {
                "pharmacy-record"
            } else {
                "ask-patient"
            };
            entry.b_as = Some(step_event(other));
        }
        if step == "ask-patient" {
            let d = range(rng, 150.0, 230.0);
            if patient == 1 {
                s.interruption(t + 40.0, range(rng, 25.0, 45.0), Src::Family, Seen::Both);
            }
            if patient == 2 {
                let seen = if pair == 2 { Seen::OnlyA } else { Seen::Both };
                s.interruption(t + 70.0, range(rng, 20.0, 35.0), Src::Colleague, seen);
            }
            t += d;
        } else {
            let d = range(rng, 50.0, 85.0);
            s.clicks(rng, t, t + d, 8);
            if patient == 2 {
                let p = s.at(
                    t + 12.0,
                    EventKind::SystemProblem {
                        kind: Prob::SlowResponse,
                        note: "pharmacy interface took ages".into(),
                    },
                );
                if pair == 2 {
                    p.b_as = Some(EventKind::SystemProblem {
                        kind: Prob::Downtime,
                        note: "pharmacy system down?".into(),
                    });
                }
            }
            if patient == 3 {
                s.at(
                    t + 30.0,
                    EventKind::Workaround {
                        kind: Work::PaperNote,
                        note: "wrote doses on paper to type in later".into(),
                    },
                );
            }
            t += d;
        }
    }
    // enter-home-meds, twice for the second patient (a break to ask the patient again)
    let rounds = if patient == 2 { 2 } else { 1 };
    for round in 0..rounds {
        s.step(t, "enter-home-meds");
        let d = range(rng, 180.0, 280.0);
        s.clicks(rng, t, t + d, 30);
        s.at(t + d * 0.4, EventKind::Reentry);
        if round == 0 {
            s.interruption(
                t + d * 0.5,
                range(rng, 30.0, 60.0),
                Src::PhonePager,
                Seen::Both,
            );
        }
        if patient == 1 {
            s.at(
                t + d * 0.75,
                EventKind::Workaround {
                    kind: Work::CopyPaste,
                    note: "copied list from last admission".into(),
                },
            );
        }
        if pair == 2 && patient == 3 {
            s.at(
                t + d * 0.3,
                EventKind::Workaround {
                    kind: Work::DuplicateEntry,
                    note: "typed allergies again".into(),
                },
            )
            .seen = Seen::OnlyB;
        }
        t += d;
        if round + 1 < rounds {
            s.step(t, "ask-patient");
            t += range(rng, 40.0, 70.0);
        }
    }
    s.step(t, "sign");
    let d = range(rng, 12.0, 22.0);
    s.clicks(rng, t, t + d, 3);
    t += d;
    let idle = s.at(t, EventKind::StepEnd);
    if pair == 2 {
        // B never marks the clinician idle: sign stays open until the next patient.
        idle.seen = Seen::OnlyA;
    }
    t
}

struct Auditor {
    code: &'static str,
    /// When the auditor pressed start, seconds after the scenario's origin (real time).
    starts: f64,
    /// When they finished.
    ends: f64,
    /// How much their laptop's wall clock was off (seconds; negative: slow).
    clock_error: f64,
    /// Seconds between what happens and the key press.
    reaction: (f64, f64),
    seed: u64,
    /// Breaks (real seconds from, to) the auditor paused for.
    pauses: Vec<(f64, f64)>,
}

struct PairSpec {
    site: &'static str,
    clinician: &'static str,
    origin: &'static str,
    a: Auditor,
    b: Auditor,
}

fn render(script: &Script, spec: &PairSpec, auditor: &Auditor, is_b: bool) -> Session {
    let origin = DateTime::parse_from_rfc3339(spec.origin).unwrap();
    let real_start = origin + Duration::milliseconds((auditor.starts * 1000.0) as i64);
    let started_at: DateTime<FixedOffset> =
        real_start + Duration::milliseconds((auditor.clock_error * 1000.0) as i64);
    let id = format!(
        "{}-{}-{}-{}",
        started_at.format("%Y%m%d-%H%M"),
        spec.site,
        spec.clinician,
        auditor.code
    );
    let mut rng = SimRng::with_state(auditor.seed);
    let mut logged: Vec<(f64, EventKind)> = Vec::new();
    for e in &script.events {
        let seen = match e.seen {
            Seen::Both => true,
            Seen::OnlyA => !is_b,
            Seen::OnlyB => is_b,
        };
        let reaction = range(&mut rng, auditor.reaction.0, auditor.reaction.1);
        if !seen {
            continue;
        }
        let kind = if is_b {
            e.b_as.clone().unwrap_or_else(|| e.kind.clone())
        } else {
            e.kind.clone()
        };
        let t = e.t + reaction;
        if t < auditor.starts || t > auditor.ends {
            continue;
        }
        if auditor.pauses.iter().any(|&(from, to)| from <= t && t < to) {
            continue;
        }
        logged.push((t, kind));
    }
    for &(from, to) in &auditor.pauses {
        logged.push((from, EventKind::Pause));
        logged.push((to, EventKind::Resume));
    }
    logged.sort_by(|x, y| x.0.total_cmp(&y.0));
    // An auditor who arrives mid-step logs the step going on as they start, unless they see
    // the next one begin within seconds anyway.
    let running = script
        .events
        .iter()
        .rfind(|e| e.t <= auditor.starts && matches!(e.kind, EventKind::StepStart { .. }));
    let first_step = logged
        .iter()
        .find(|(_, k)| matches!(k, EventKind::StepStart { .. }))
        .map_or(f64::INFINITY, |(t, _)| *t);
    if let Some(e) = running
        && first_step > auditor.starts + 5.0
    {
        logged.insert(0, (auditor.starts + 1.5, e.kind.clone()));
    }
    logged.push((auditor.ends, EventKind::Finish));

    let mut session = Session::new(SessionHeader {
        format_version: SESSION_FORMAT_VERSION,
        id,
        started_at,
        site: spec.site.into(),
        role: "RN".into(),
        clinician: spec.clinician.into(),
        auditor: auditor.code.into(),
        pathway_id: "med-rec-admission".into(),
        pathway_version: 3,
    });
    let mut last = 0u64;
    for (t, kind) in logged {
        let at_ms = (((t - auditor.starts) * 1000.0).round() as u64).max(last);
        last = at_ms;
        let seq = session.next_seq();
        session.events.push(Event { seq, at_ms, kind });
    }
    session
}

fn scenario(pair: u8, seed: u64) -> (Script, f64) {
    let mut rng = SimRng::with_state(seed);
    let mut s = Script::default();
    let mut t = 10.0;
    for patient in 1..=3 {
        t = med_rec(&mut s, &mut rng, t, pair, patient);
        // Walking to the next patient, or a handover at the desk.
        t += range(&mut rng, 90.0, 200.0);
    }
    s.events.sort_by(|x, y| x.t.total_cmp(&y.t));
    (s, t)
}

/// Every session of every pair, in file order (pair 1 A, B; pair 2 A, B).
pub fn all_pairs() -> Vec<Session> {
    let specs = |end: f64| {
        [
            PairSpec {
                site: "north",
                clinician: "RN-07",
                origin: "2026-11-25T09:18:00+01:00",
                a: Auditor {
                    code: "ak",
                    starts: 2.0,
                    ends: end,
                    clock_error: 0.4,
                    reaction: (0.6, 1.6),
                    seed: 11,
                    pauses: vec![],
                },
                b: Auditor {
                    code: "jb",
                    starts: 40.0,
                    ends: end + 55.0,
                    clock_error: -0.8,
                    reaction: (0.8, 2.0),
                    seed: 12,
                    pauses: vec![],
                },
            },
            PairSpec {
                site: "south",
                clinician: "RN-12",
                origin: "2026-11-26T14:05:00+01:00",
                a: Auditor {
                    code: "ak",
                    starts: 3.0,
                    ends: end,
                    clock_error: 0.2,
                    reaction: (0.6, 1.6),
                    seed: 21,
                    pauses: vec![],
                },
                b: Auditor {
                    code: "mt",
                    starts: 8.0,
                    ends: end + 20.0,
                    clock_error: -95.0,
                    reaction: (1.5, 4.5),
                    seed: 22,
                    pauses: vec![(end - 520.0, end - 400.0)],
                },
            },
        ]
    };
    let mut sessions = Vec::new();
    for pair in [1u8, 2] {
        let (script, end) = scenario(pair, 100 + u64::from(pair));
        let spec = specs(end).into_iter().nth(usize::from(pair - 1)).unwrap();
        for (auditor, is_b) in [(&spec.a, false), (&spec.b, true)] {
            sessions.push(render(&script, &spec, auditor, is_b));
        }
    }
    sessions
}
