//! The XES export read back by our own XES reader (`shadowmap::compare::xes`, the one
//! `shadowmap compare LOG.xes` uses): the same case and the same step sequence, so the same
//! alignment cost, for every sample session and for random journals.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use shadowmap::compare::{compare_session, compare_trace, xes as reader};
use shadowmap::model::{
    Event, EventKind, InterruptionSource, ProblemKind, Session, WorkaroundKind, resolve_pathway,
};
use shadowmap::report::export::{redact_session, xes};

fn sessions() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    for dir in ["sample-sessions", "sample-sessions/agreement"] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "ron") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// Writes the session's XES export and reads it back with our reader.
fn round_trip(session: &Session, dir: &Path) -> Vec<reader::XesTrace> {
    let path = dir.join(format!("{}.xes", session.header.id));
    std::fs::write(&path, xes::to_xes_string([session])).unwrap();
    reader::read_all(&path).unwrap()
}

#[test]
fn our_reader_reads_every_sample_export_back_to_the_same_steps_and_cost() {
    let dir = tempfile::tempdir().unwrap();
    let paths = sessions();
    assert!(paths.len() >= 20);
    for path in &paths {
        let session = Session::load(path).unwrap();
        let (pathway, _) = resolve_pathway(&session.header.pathway_id).unwrap();
        let expected = compare_session(&session, &pathway);
        for session in [session.clone(), redact_session(&session)] {
            let traces = round_trip(&session, dir.path());
            assert_eq!(traces.len(), 1, "{}", path.display());
            let trace = &traces[0];
            assert_eq!(trace.case_id, session.header.id);
            assert_eq!(
                trace.activities(),
                session.timeline().observed_steps(),
                "{}",
                path.display()
            );
            let back = compare_trace(&trace.case_id, &trace.activities(), &pathway);
            assert_eq!(
                (back.cost, back.worst_cost, back.n_steps),
                (expected.cost, expected.worst_cost, expected.n_steps),
                "{}",
                path.display()
            );
        }
    }
}

fn kind(choice: u8, arg: u8, seq: u64) -> EventKind {
    let steps = [
        "open-chart",
        "review-allergies",
        "ask-patient",
        "pharmacy-record",
        "sign",
    ];
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
            note: "n & m".into(),
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn our_reader_reads_random_journals_back_to_the_same_steps(
        steps in proptest::collection::vec((any::<u8>(), any::<u8>(), 0u8..4), 0..80)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut session = Session::load(Path::new("sample-sessions/20261116-0912-north-RN-07.ron")).unwrap();
        session.events.clear();
        let mut at = 0;
        for (i, (choice, arg, gap)) in steps.iter().enumerate() {
            let seq = i as u64 + 1;
            at += u64::from(*gap) * 250; // a quarter of the events share a millisecond
            session.events.push(Event { seq, at_ms: at, kind: kind(*choice, *arg, seq) });
        }
        let traces = round_trip(&session, dir.path());
        prop_assert_eq!(traces.len(), 1);
        let timeline = session.timeline();
        prop_assert_eq!(traces[0].activities(), timeline.observed_steps());
    }
}
