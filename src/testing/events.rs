//! Event generators: one deterministic event per number, and a random whole shift.

use crate::model::{
    Event, EventKind, InterruptionSource, ProblemKind, Seq, Session, WorkaroundKind,
};

use super::header;

/// Event number `seq`, the same every time it is asked for, of varied kinds and sizes: for
/// journal and store tests that need many events and must know each one again.
pub fn event(seq: Seq) -> Event {
    let kind = match seq % 7 {
        0 => EventKind::StepStart {
            step: format!("step-{seq}"),
        },
        1 => EventKind::Clicks { delta: 1 },
        2 => EventKind::Note {
            text: format!("note {seq}: {}", "x".repeat((seq % 40) as usize)),
        },
        3 => EventKind::InterruptionStart {
            source: InterruptionSource::ALL[(seq as usize) % InterruptionSource::ALL.len()],
            note: String::new(),
        },
        4 => EventKind::InterruptionEnd,
        5 => EventKind::Workaround {
            kind: WorkaroundKind::ALL[(seq as usize) % WorkaroundKind::ALL.len()],
            note: "wrote it on paper".into(),
        },
        _ => EventKind::SystemProblem {
            kind: ProblemKind::SlowResponse,
            note: String::new(),
        },
    };
    Event {
        seq,
        at_ms: seq * 1_250,
        kind,
    }
}

/// A `Finish` as event number `seq`, timed like [`event`].
pub fn finish_event(seq: Seq) -> Event {
    Event {
        seq,
        at_ms: seq * 1_250,
        kind: EventKind::Finish,
    }
}

/// Events drawn from property-test input, one `(choice, arg, gap)` each: any kind, in any
/// order (unclosed and nested interruptions, undos of anything before, pauses, resumes and
/// reopenings out of place), with markup, quotes and line breaks in their text. Each event
/// comes `gap % 4` ticks of `tick_ms` after the last, so many share a millisecond. Shrinks
/// well: proptest shortens the list and lowers the bytes.
pub fn drawn_events(draws: &[(u8, u8, u8)], tick_ms: u64) -> Vec<Event> {
    let mut at_ms = 0;
    let mut events = Vec::with_capacity(draws.len());
    for (seq, &(choice, arg, gap)) in (1..).zip(draws) {
        at_ms += u64::from(gap % 4) * tick_ms;
        let kind = drawn_kind(choice, arg, seq);
        events.push(Event { seq, at_ms, kind });
    }
    events
}

fn drawn_kind(choice: u8, arg: u8, seq: Seq) -> EventKind {
    let steps = &MED_REC_STEPS;
    match choice % 12 {
        0..=2 => EventKind::StepStart {
            step: steps[arg as usize % steps.len()].into(),
        },
        3 => EventKind::UnplannedStep {
            step: format!("call-{}", arg % 2),
            label: "Call, \"again\" <now>".into(),
        },
        4 => EventKind::StepEnd,
        5 => EventKind::InterruptionStart {
            source: InterruptionSource::ALL[arg as usize % InterruptionSource::ALL.len()],
            note: "n & m <b>".into(),
        },
        6 => EventKind::InterruptionEnd,
        7 => EventKind::Clicks { delta: 1 },
        8 => EventKind::Workaround {
            kind: WorkaroundKind::CopyPaste,
            note: String::new(),
        },
        9 => EventKind::SystemProblem {
            kind: ProblemKind::Downtime,
            note: "line\nbreak".into(),
        },
        10 if seq > 1 => EventKind::Undo {
            target: 1 + u64::from(arg) % (seq - 1),
        },
        _ if arg.is_multiple_of(3) => EventKind::Pause,
        _ if arg % 3 == 1 => EventKind::Resume,
        _ => EventKind::Reopened,
    }
}

/// The steps of `med-rec-admission` (the pathway [`header`] names), in order.
pub const MED_REC_STEPS: [&str; 6] = [
    "open-chart",
    "review-allergies",
    "ask-patient",
    "pharmacy-record",
    "enter-home-meds",
    "sign",
];

/// A random, well-formed whole shift of [`header`]'s session: `events` events 0.2 to 4 s
/// apart, then `Finish`. Steps of the pathway in any order, clicks, screens, re-entries,
/// interruptions nested up to three deep, workarounds, problems, notes and undos; a quarter
/// of the notes carry a phone number and an MRN (for redaction). For benchmarks and
/// property tests: the same seed gives the same session.
pub fn random_shift(rng: &mut fastrand::Rng, events: usize) -> Session {
    let mut session = Session::new(header());
    let mut at_ms = 0u64;
    let mut open_interruptions = 0;
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
    for seq in 1..=events as Seq {
        at_ms += rng.u64(200..4_000);
        let kind = match rng.u8(0..100) {
            0..=7 => EventKind::StepStart {
                step: MED_REC_STEPS[rng.usize(0..MED_REC_STEPS.len())].into(),
            },
            8..=55 => EventKind::Clicks { delta: 1 },
            56..=70 => EventKind::Screen,
            71..=75 => EventKind::Reentry,
            76..=80 if open_interruptions < 3 => {
                open_interruptions += 1;
                EventKind::InterruptionStart {
                    source: InterruptionSource::ALL[rng.usize(..InterruptionSource::ALL.len())],
                    note: note(rng),
                }
            }
            81..=86 if open_interruptions > 0 => {
                open_interruptions -= 1;
                EventKind::InterruptionEnd
            }
            87..=90 => EventKind::Workaround {
                kind: WorkaroundKind::ALL[rng.usize(..WorkaroundKind::ALL.len())],
                note: note(rng),
            },
            91..=93 => EventKind::SystemProblem {
                kind: ProblemKind::ALL[rng.usize(..ProblemKind::ALL.len())],
                note: note(rng),
            },
            94..=95 => EventKind::Note { text: note(rng) },
            96 if seq > 1 => EventKind::Undo { target: seq - 1 },
            _ => EventKind::Clicks { delta: 1 },
        };
        session.events.push(Event { seq, at_ms, kind });
    }
    session.events.push(Event {
        seq: events as Seq + 1,
        at_ms: at_ms + 1_000,
        kind: EventKind::Finish,
    });
    session
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_random_shift_is_well_formed_and_repeatable() {
        let a = random_shift(&mut fastrand::Rng::with_seed(3), 2_000);
        let b = random_shift(&mut fastrand::Rng::with_seed(3), 2_000);
        assert_eq!(a, b);
        assert_eq!(a.events.len(), 2_001);
        assert!(a.is_finished());
        for (i, pair) in a.events.windows(2).enumerate() {
            assert_eq!(pair[0].seq, i as Seq + 1);
            assert!(pair[0].at_ms < pair[1].at_ms);
        }
        // Every kind of mark shows up in a shift this long.
        let timeline = a.timeline();
        assert!(!timeline.steps.is_empty());
        assert!(!timeline.interruptions.is_empty());
        assert!(
            a.events
                .iter()
                .any(|e| matches!(e.kind, EventKind::Undo { .. }))
        );
    }
}
