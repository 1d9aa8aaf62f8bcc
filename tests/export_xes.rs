//! The XES export read back by our own XES reader (`shadowmap::compare::xes`, the one
//! `shadowmap compare LOG.xes` uses): the same case and the same step sequence, so the same
//! alignment cost, for every sample session and for random journals.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use shadowmap::compare::{compare_session, compare_trace, xes as reader};
use shadowmap::model::{Session, resolve_pathway};
use shadowmap::report::export::{redact_session, xes};
use shadowmap::testing::drawn_events;

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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn our_reader_reads_random_journals_back_to_the_same_steps(
        steps in proptest::collection::vec((any::<u8>(), any::<u8>(), 0u8..4), 0..80)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut session = Session::load(Path::new("sample-sessions/20261116-0912-north-RN-07.ron")).unwrap();
        // A quarter of the events share a millisecond.
        session.events = drawn_events(&steps, 250);
        let traces = round_trip(&session, dir.path());
        prop_assert_eq!(traces.len(), 1);
        let timeline = session.timeline();
        prop_assert_eq!(traces[0].activities(), timeline.observed_steps());
    }
}
