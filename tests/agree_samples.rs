//! The agreement sample pairs in `sample-sessions/agreement/`: what the generator writes, two
//! auditors on the same clinician and pathway, and the figures the script behind them plants.

use std::path::{Path, PathBuf};

use shadowmap::agree::{self, Options, StepIssueKind, Verdict};
use shadowmap::model::Session;

use shadowmap::testing::agreement_pairs;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions/agreement")
}

fn load(id: &str) -> Session {
    Session::load(&dir().join(format!("{id}.ron"))).unwrap()
}

#[test]
fn committed_pairs_are_exactly_what_the_generator_writes() {
    let generated = agreement_pairs::all_pairs();
    let on_disk = std::fs::read_dir(dir()).unwrap().count();
    assert_eq!(generated.len(), on_disk);
    for session in generated {
        let path = dir().join(format!("{}.ron", session.header.id));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text == session.to_ron(),
            "{} differs from `cargo run --example make_agreement_pairs`",
            path.display()
        );
    }
}

#[test]
fn each_pair_is_two_auditors_on_one_clinician_and_pathway() {
    let sessions = agreement_pairs::all_pairs();
    assert!(sessions.len() >= 4);
    for pair in sessions.chunks(2) {
        let (a, b) = (&pair[0].header, &pair[1].header);
        assert_eq!(a.clinician, b.clinician);
        assert_eq!(a.pathway_id, "med-rec-admission");
        assert_eq!(a.pathway_id, b.pathway_id);
        assert_ne!(a.auditor, b.auditor);
        assert!(pair[0].is_finished() && pair[1].is_finished());
        // Realistic: a whole shift's worth of med-recs, every step of the pathway seen.
        let steps = pair[0].timeline().observed_steps().len();
        assert!(steps >= 18, "{steps}");
    }
}

#[test]
fn the_calibrated_pair_agrees_well() {
    let a = load("20261125-0918-north-RN-07-ak");
    let b = load("20261125-0918-north-RN-07-jb");
    let g = agree::agree(&a, &b, &Options::default()).unwrap();
    assert_eq!(g.verdicts.overall, Verdict::Good);
    assert!(g.warnings.is_empty());
    // B arrived 38 s late (and A's laptop is 1.2 s ahead of B's).
    assert!((g.window.b_offset_secs - 36.8).abs() < 1e-9);
    // The one short EHR alert B missed.
    assert_eq!(g.interruptions.unmatched_a.len(), 1);
    assert_eq!(g.interruptions.unmatched_a[0].kind, "ehr_alert");
    assert!(g.disagreements[0].text.contains("ehr_alert"));
}

#[test]
fn the_second_pair_needs_its_clock_shift_and_still_disagrees() {
    let a = load("20261126-1405-south-RN-12-ak");
    let b = load("20261126-1403-south-RN-12-mt");
    let unshifted = agree::agree(&a, &b, &Options::default()).unwrap();
    assert_eq!(unshifted.verdicts.time_slice_kappa, Verdict::Poor);
    assert_eq!(unshifted.suggested_shift_b_secs, Some(93.0));
    let g = agree::agree(
        &a,
        &b,
        &Options {
            shift_b_secs: 95.0,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(g.suggested_shift_b_secs, None);
    assert_eq!(g.verdicts.timing_gap_secs, Some(Verdict::Good));
    assert_eq!(g.verdicts.overall, Verdict::Poor);
    // review-allergies folded into open-chart, the swapped ask-patient / pharmacy-record.
    let kinds: Vec<_> = g.step_issues.iter().map(|i| i.kind).collect();
    assert!(kinds.contains(&StepIssueKind::OnlyA), "{kinds:?}");
    assert!(
        g.step_issues
            .iter()
            .any(|i| i.a_step.as_deref() == Some("ask-patient")
                && i.b_step.as_deref() == Some("pharmacy-record"))
    );
    assert!(
        g.disagreements
            .iter()
            .any(|d| d.a_label == "ask-patient" && d.b_label == "pharmacy-record")
    );
    // The break B took, left out of the slices.
    assert_eq!(g.window.paused_slices, 120);
    // Slow response against downtime: no match of system problems.
    assert_eq!(g.system_problems.matched, 0);
    assert_eq!(g.system_problems.unmatched_a[0].kind, "slow_response");
    assert_eq!(g.system_problems.unmatched_b[0].kind, "downtime");
}

#[test]
fn text_report_of_the_second_pair() {
    let a = load("20261126-1405-south-RN-12-ak");
    let b = load("20261126-1403-south-RN-12-mt");
    let options = Options {
        shift_b_secs: 95.0,
        ..Options::default()
    };
    let g = agree::agree(&a, &b, &options).unwrap();
    insta::assert_snapshot!(agree::render_text(&g));
}
