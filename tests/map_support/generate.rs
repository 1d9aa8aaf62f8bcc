//! Generated session sets for the map's pm4py check: seeded, so `examples/map_sets.rs` (which
//! writes them for `scripts/map-dfg-pm4py.sh`) and `tests/map_pm4py.rs` (which maps them) see
//! the same sessions. Steps are left out, redone, swapped, undone and joined by unplanned
//! steps; some sessions go idle between steps, a few have no step at all.
#![allow(dead_code)]

use chrono::DateTime;
use shadowmap::model::{
    Event, EventKind, SESSION_FORMAT_VERSION, Session, SessionHeader, resolve_pathway,
};

/// `(set name, pathway id, seed, sessions)`.
pub const SETS: &[(&str, &str, u64, usize)] = &[
    ("gen-med-rec", "med-rec-admission", 11, 60),
    ("gen-triage", "ed-triage", 12, 50),
    ("gen-cpoe", "cpoe-med-order", 13, 40),
];

const UNPLANNED: [(&str, &str); 3] = [
    ("call-gp", "Call the GP surgery"),
    ("fax-pharmacy", "Fax the pharmacy"),
    ("find-scanner", "Look for a working scanner"),
];

fn push(s: &mut Session, at_ms: u64, kind: EventKind) -> u64 {
    let seq = s.next_seq();
    s.events.push(Event { seq, at_ms, kind });
    seq
}

/// The sessions of one set.
pub fn generate(pathway_id: &str, seed: u64, n: usize) -> Vec<Session> {
    let pathway = resolve_pathway(pathway_id).expect("a built-in pathway").0;
    let planned: Vec<String> = pathway.all_steps().map(|s| s.id.clone()).collect();
    let mut rng = fastrand::Rng::with_seed(seed);
    (0..n)
        .map(|i| {
            let header = SessionHeader {
                format_version: SESSION_FORMAT_VERSION,
                id: format!("{pathway_id}-gen{seed}-{i:03}"),
                started_at: DateTime::parse_from_rfc3339("2026-11-20T09:00:00+01:00").unwrap(),
                site: ["north", "river", "lake"][rng.usize(..3)].to_string(),
                role: ["RN", "MD"][rng.usize(..2)].to_string(),
                clinician: format!("RN-{:02}", rng.usize(1..9)),
                auditor: "ak".to_string(),
                pathway_id: pathway_id.to_string(),
                pathway_version: pathway.version,
            };
            let mut sequence: Vec<(String, Option<&str>)> = Vec::new();
            if rng.u8(..40) != 0 {
                for step in &planned {
                    if rng.u8(..100) < 15 {
                        continue;
                    }
                    sequence.push((step.clone(), None));
                    while rng.u8(..100) < 15 {
                        sequence.push((step.clone(), None));
                    }
                    if rng.u8(..100) < 7 {
                        let (id, label) = UNPLANNED[rng.usize(..UNPLANNED.len())];
                        sequence.push((id.to_string(), Some(label)));
                    }
                }
                for k in 1..sequence.len() {
                    if rng.u8(..100) < 10 {
                        sequence.swap(k - 1, k);
                    }
                }
            }
            let mut session = Session::new(header);
            let mut at = 2_000u64;
            for (step, label) in &sequence {
                if rng.u8(..100) < 5 {
                    // A step started by mistake and undone: never observed.
                    let wrong = planned[rng.usize(..planned.len())].clone();
                    let seq = push(&mut session, at, EventKind::StepStart { step: wrong });
                    at += 1_000;
                    push(&mut session, at, EventKind::Undo { target: seq });
                    at += 1_000;
                }
                let kind = match label {
                    Some(label) => EventKind::UnplannedStep {
                        step: step.clone(),
                        label: (*label).to_string(),
                    },
                    None => EventKind::StepStart { step: step.clone() },
                };
                push(&mut session, at, kind);
                at += 1_000 * rng.u64(3..120);
                if rng.u8(..100) < 20 {
                    push(&mut session, at, EventKind::Clicks { delta: 1 });
                    at += 1_000 * rng.u64(1..10);
                }
                if rng.u8(..100) < 10 {
                    push(&mut session, at, EventKind::StepEnd);
                    at += 1_000 * rng.u64(5..60);
                }
            }
            push(&mut session, at, EventKind::Finish);
            session
        })
        .collect()
}
