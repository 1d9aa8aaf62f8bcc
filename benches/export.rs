//! Export throughput: a whole-shift session (about 20,000 events, notes on every workaround,
//! problem and interruption, a quarter of them with identifiers) written as XES, CSV of
//! events and of steps, JSON-ready redaction; and the redactor on single notes.
//!
//! cargo bench --bench export

use std::time::Instant;

use shadowmap::model::{
    Event, EventKind, InterruptionSource, ProblemKind, SESSION_FORMAT_VERSION, Session,
    SessionHeader, WorkaroundKind, resolve_pathway,
};
use shadowmap::report::export::{Redactor, csv, redact_session, xes};

fn shift(events: usize) -> Session {
    let mut s = Session::new(SessionHeader {
        format_version: SESSION_FORMAT_VERSION,
        id: "20261125-0700-north-RN-07".into(),
        started_at: chrono::DateTime::parse_from_rfc3339("2026-11-25T07:00:00+01:00").unwrap(),
        site: "north".into(),
        role: "RN".into(),
        clinician: "RN-07".into(),
        auditor: "ak".into(),
        pathway_id: "med-rec-admission".into(),
        pathway_version: 3,
    });
    let steps = [
        "open-chart",
        "review-allergies",
        "ask-patient",
        "pharmacy-record",
        "enter-home-meds",
        "sign",
    ];
    let mut rng = fastrand::Rng::with_seed(7);
    let mut at = 0u64;
    let mut open_interruptions = 0;
    for seq in 1..=events as u64 {
        at += rng.u64(200..4_000);
        let note = |rng: &mut fastrand::Rng| {
            if rng.u8(0..4) == 0 {
                format!(
                    "called back on 555-{:03}-{:04}, MRN {:08}",
                    rng.u16(100..999),
                    rng.u16(0..9999),
                    rng.u32(0..99_999_999)
                )
            } else {
                "printer jammed again, walked to the next ward".to_string()
            }
        };
        let kind = match rng.u8(0..100) {
            0..=7 => EventKind::StepStart {
                step: steps[rng.usize(0..steps.len())].into(),
            },
            8..=55 => EventKind::Clicks { delta: 1 },
            56..=70 => EventKind::Screen,
            71..=75 => EventKind::Reentry,
            76..=80 if open_interruptions < 3 => {
                open_interruptions += 1;
                EventKind::InterruptionStart {
                    source: InterruptionSource::PhonePager,
                    note: note(&mut rng),
                }
            }
            81..=86 if open_interruptions > 0 => {
                open_interruptions -= 1;
                EventKind::InterruptionEnd
            }
            87..=90 => EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: note(&mut rng),
            },
            91..=93 => EventKind::SystemProblem {
                kind: ProblemKind::SlowResponse,
                note: note(&mut rng),
            },
            94..=95 => EventKind::Note {
                text: note(&mut rng),
            },
            96 if seq > 1 => EventKind::Undo { target: seq - 1 },
            _ => EventKind::Clicks { delta: 1 },
        };
        s.events.push(Event {
            seq,
            at_ms: at,
            kind,
        });
    }
    s.events.push(Event {
        seq: events as u64 + 1,
        at_ms: at + 1000,
        kind: EventKind::Finish,
    });
    s
}

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
    times.sort_by(f64::total_cmp);
    let size = size.map_or("-".to_string(), |s| format!("{} KiB", s / 1024));
    println!(
        "{label:<22} p50 {:>8.2} ms  max {:>8.2} ms  output {size:>9}",
        times[runs / 2],
        times[runs - 1],
    );
}

fn main() {
    let session = shift(20_000);
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
        let per = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!(
            "mask {:>3}-char note ({what}): {per:.2} µs per note (checksum {kept})",
            note.len(),
        );
    }
}
