//! Hand-computed figures on small constructed pairs of sessions.

use chrono::DateTime;

use super::*;
use crate::model::{EventKind, InterruptionSource, ProblemKind, SessionHeader, WorkaroundKind};
use crate::testing;
use crate::testing::kinds::{interrupt, problem, start, workaround};

const T0: &str = "2026-11-25T09:00:00+01:00";

fn session(id: &str, auditor: &str, started_at: &str, events: Vec<(f64, EventKind)>) -> Session {
    let header = SessionHeader {
        started_at: DateTime::parse_from_rfc3339(started_at).unwrap(),
        auditor: auditor.into(),
        ..testing::header_with_id(id)
    };
    let events = events
        .into_iter()
        .map(|(at, kind)| ((at * 1000.0).round() as u64, kind));
    testing::session_of(header, events)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

/// open-chart 0-20, ask-patient 20-80 (a phone call 40-50), sign 80-100, with a workaround
/// and a problem.
fn full_events() -> Vec<(f64, EventKind)> {
    vec![
        (0.0, start("open-chart")),
        (20.0, start("ask-patient")),
        (30.0, workaround(WorkaroundKind::PaperNote)),
        (40.0, interrupt(InterruptionSource::PhonePager)),
        (50.0, EventKind::InterruptionEnd),
        (60.0, problem(ProblemKind::SlowResponse)),
        (80.0, start("sign")),
        (100.0, EventKind::Finish),
    ]
}

fn assert_all_perfect(g: &Agreement) {
    assert_eq!(g.time_slice_kappa, 1.0);
    assert_eq!(g.naming_kappa, Some(1.0));
    assert_eq!(g.duration_ccc, Some(1.0));
    assert_eq!(
        g.timing_gap_secs,
        Some(TimingGap {
            median: 0.0,
            p90: 0.0
        })
    );
    assert_eq!(g.sequence_similarity, 1.0);
    for e in [&g.interruptions, &g.workarounds, &g.system_problems] {
        assert_eq!((e.matched, e.a, e.b), (1, 1, 1));
        assert_eq!((e.precision, e.recall), (1.0, 1.0));
    }
    assert_eq!(g.verdicts.overall, Verdict::Good);
    assert!(g.disagreements.is_empty());
    assert!(g.step_issues.is_empty());
}

#[test]
fn identical_sessions_give_one_everywhere() {
    let a = session("a", "ak", T0, full_events());
    let b = session("b", "jb", T0, full_events());
    let g = agree(&a, &b, &Options::default()).unwrap();
    assert_all_perfect(&g);
    assert_eq!(g.window.slices, 100);
    assert_eq!(g.window.compared_slices, 100);
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    assert_eq!(g.paired_steps.len(), 3);
}

#[test]
fn a_shifted_clock_is_corrected_by_shift_b() {
    // B's laptop clock was 95 s slow: its start reads 95 s early.
    let a = session("a", "ak", T0, full_events());
    let b = session("b", "jb", "2026-11-25T08:58:25+01:00", full_events());
    let off = agree(&a, &b, &Options::default()).unwrap();
    // Unshifted, B spans -95..5 s on A's clock: 5 slices, A in open-chart, B in sign; each
    // used one label, not the same: kappa 0. The one pair (open-chart, sign): kappa 0.
    assert_eq!(off.window.secs, 5.0);
    assert_eq!(off.window.b_offset_secs, -95.0);
    assert_eq!(off.time_slice_kappa, 0.0);
    assert_eq!(off.naming_kappa, Some(0.0));
    assert_eq!(off.verdicts.overall, Verdict::Poor);
    let options = Options {
        shift_b_secs: 95.0,
        ..Options::default()
    };
    let g = agree(&a, &b, &options).unwrap();
    assert_all_perfect(&g);
    assert_eq!(g.window.b_offset_secs, 0.0);
    assert_eq!(g.window.start, "2026-11-25T09:00:00+01:00");
    // A shift far larger than needed leaves no common time at all.
    let options = Options {
        shift_b_secs: 300.0,
        ..Options::default()
    };
    assert!(matches!(
        agree(&a, &b, &options),
        Err(AgreeError::NoOverlap { .. })
    ));
}

#[test]
fn clocks_in_different_time_zones_meet_on_the_wall_clock() {
    // The same moment written with another UTC offset, and B starting 10 s later in reality.
    let a = session("a", "ak", T0, full_events());
    let mut events = full_events();
    for e in &mut events {
        e.0 = (e.0 - 10.0).max(0.0);
    }
    events[0].1 = start("open-chart");
    let b = session("b", "jb", "2026-11-25T08:00:10+00:00", events);
    let g = agree(&a, &b, &Options::default()).unwrap();
    assert_eq!(g.window.b_offset_secs, 10.0);
    assert_eq!(g.window.slices, 90);
    // B's open-chart starts at its own start (10 s on A's clock): 10 s later than A's.
    assert_eq!(g.paired_steps[0].start_gap_secs, 10.0);
    assert_eq!(g.paired_steps[1].start_gap_secs, 0.0);
}

#[test]
fn one_missing_step_by_hand() {
    let a = session(
        "a",
        "ak",
        T0,
        vec![
            (0.0, start("open-chart")),
            (20.0, start("review-allergies")),
            (30.0, start("ask-patient")),
            (90.0, start("sign")),
            (100.0, EventKind::Finish),
        ],
    );
    let b = session(
        "b",
        "jb",
        T0,
        vec![
            (0.0, start("open-chart")),
            (30.0, start("ask-patient")),
            (90.0, start("sign")),
            (100.0, EventKind::Finish),
        ],
    );
    let g = agree(&a, &b, &Options::default()).unwrap();
    // 100 slices, the 10 of review-allergies differ. A: open 20, review 10, ask 60, sign 10;
    // B: open 30, ask 60, sign 10. Σ r c = 600 + 3600 + 100 = 4300.
    // kappa = 1 - 100·10 / (10000 - 4300) = 47/57.
    close(g.time_slice_kappa, 47.0 / 57.0);
    // Pairs open/open, ask/ask, sign/sign; review-allergies against none:
    // kappa = 1 - 4·1 / (16 - 3) = 9/13.
    close(g.naming_kappa.unwrap(), 9.0 / 13.0);
    // x = 20 60 10, y = 30 60 10: s_xy = 1300/3, s_x² = 1400/3, s_y² = 3800/9,
    // (x̄ - ȳ)² = 100/9: ccc = (2600/3) / 900 = 26/27.
    close(g.duration_ccc.unwrap(), 26.0 / 27.0);
    assert_eq!(
        g.timing_gap_secs,
        Some(TimingGap {
            median: 0.0,
            p90: 0.0
        })
    );
    close(g.sequence_similarity, 0.75);
    assert_eq!(g.verdicts.time_slice_kappa, Verdict::Good);
    assert_eq!(g.verdicts.naming_kappa, Some(Verdict::Acceptable));
    assert_eq!(g.verdicts.duration_ccc, Some(Verdict::Good));
    assert_eq!(g.verdicts.sequence_similarity, Verdict::Acceptable);
    assert_eq!(g.verdicts.overall, Verdict::Acceptable);
    // Where they disagree: the review-allergies run, in words.
    assert_eq!(g.disagreements.len(), 1);
    let d = &g.disagreements[0];
    assert_eq!(
        (d.from.as_str(), d.to.as_str(), d.secs),
        ("0:20", "0:30", 10.0)
    );
    assert_eq!(
        (d.a_label.as_str(), d.b_label.as_str()),
        ("review-allergies", "open-chart")
    );
    assert!(d.text.contains("agree which step this is"), "{}", d.text);
    assert_eq!(g.step_issues.len(), 1);
    let issue = &g.step_issues[0];
    assert_eq!(issue.kind, StepIssueKind::OnlyA);
    assert!(
        issue
            .text
            .contains("did B fold `review-allergies` into `open-chart`?"),
        "{}",
        issue.text
    );
}

#[test]
fn swapped_labels_by_hand() {
    let a = session(
        "a",
        "ak",
        T0,
        vec![
            (0.0, start("ask-patient")),
            (60.0, start("pharmacy-record")),
            (100.0, EventKind::Finish),
        ],
    );
    let b = session(
        "b",
        "jb",
        T0,
        vec![
            (0.0, start("pharmacy-record")),
            (60.0, start("ask-patient")),
            (100.0, EventKind::Finish),
        ],
    );
    let g = agree(&a, &b, &Options::default()).unwrap();
    // No slice agrees; Σ r c = 60·40 + 40·60 = 4800: kappa = 1 - 10000/5200 = -12/13.
    close(g.time_slice_kappa, -12.0 / 13.0);
    // Pairs (ask, pharmacy), (pharmacy, ask): kappa = 1 - 2·2 / (4 - 2) = -1.
    close(g.naming_kappa.unwrap(), -1.0);
    // Same durations either way.
    assert_eq!(g.duration_ccc, Some(1.0));
    close(g.sequence_similarity, 0.5);
    assert_eq!(g.verdicts.overall, Verdict::Poor);
    assert_eq!(g.step_issues.len(), 2);
    assert!(
        g.step_issues
            .iter()
            .all(|i| i.kind == StepIssueKind::DifferentStep)
    );
    // One run over the whole window, described by the labels of most of it.
    assert_eq!(g.disagreements.len(), 1);
    assert_eq!(g.disagreements[0].secs, 100.0);
    assert_eq!(g.disagreements[0].a_label, "ask-patient");
    assert_eq!(g.disagreements[0].b_label, "pharmacy-record");
    assert!(
        g.advice
            .iter()
            .any(|a| a.contains("A's `ask-patient` was B's `pharmacy-record` (1x)")),
        "{:?}",
        g.advice
    );
}

#[test]
fn interruptions_label_slices_and_pauses_are_left_out() {
    let a = session(
        "a",
        "ak",
        T0,
        vec![
            (0.0, start("open-chart")),
            (10.0, interrupt(InterruptionSource::Colleague)),
            (20.0, EventKind::InterruptionEnd),
            (25.0, EventKind::Pause),
            (35.0, EventKind::Resume),
            (40.0, EventKind::Finish),
        ],
    );
    let b = session(
        "b",
        "jb",
        T0,
        vec![
            (0.0, start("open-chart")),
            (12.0, interrupt(InterruptionSource::Colleague)),
            (20.0, EventKind::InterruptionEnd),
            (40.0, EventKind::Finish),
        ],
    );
    let labels = slice_labels(&a, &b, &Options::default()).unwrap();
    assert_eq!(labels.slices.len(), 30);
    assert!(!labels.slices.contains(&25) && !labels.slices.contains(&34));
    assert_eq!(labels.a[10], "int:colleague");
    assert_eq!(labels.b[10], "open-chart");
    assert_eq!(labels.b[12], "int:colleague");
    let g = agree(&a, &b, &Options::default()).unwrap();
    assert_eq!(g.window.paused_slices, 10);
    // A: open 20, int 10; B: open 22, int 8; 28 of 30 agree:
    // kappa = 1 - 30·2 / (900 - 520) = 16/19.
    close(g.time_slice_kappa, 16.0 / 19.0);
    assert_eq!(g.interruptions.matched, 1);
    assert!(
        g.disagreements[0]
            .text
            .contains("A logged an interruption that B did not")
    );
    // Within 1 s the two interruptions are different ones.
    let strict = Options {
        tolerance_secs: 1.0,
        ..Options::default()
    };
    let g = agree(&a, &b, &strict).unwrap();
    assert_eq!(
        (g.interruptions.precision, g.interruptions.recall),
        (0.0, 0.0)
    );
    assert_eq!(g.interruptions.unmatched_a[0].at, "0:10");
    assert_eq!(
        g.interruptions.unmatched_b[0].step.as_deref(),
        Some("open-chart")
    );
}

#[test]
fn nested_interruptions_label_the_innermost() {
    let events = vec![
        (0.0, start("ask-patient")),
        (5.0, interrupt(InterruptionSource::Family)),
        (8.0, interrupt(InterruptionSource::PhonePager)),
        (12.0, EventKind::InterruptionEnd),
        (15.0, EventKind::InterruptionEnd),
        (20.0, EventKind::Finish),
    ];
    let a = session("a", "ak", T0, events.clone());
    let b = session("b", "jb", T0, events);
    let labels = slice_labels(&a, &b, &Options::default()).unwrap();
    assert_eq!(labels.a[4], "ask-patient");
    assert_eq!(labels.a[5], "int:family");
    assert_eq!(labels.a[8], "int:phone_pager");
    assert_eq!(labels.a[11], "int:phone_pager");
    assert_eq!(labels.a[12], "int:family");
    assert_eq!(labels.a[15], "ask-patient");
}

#[test]
fn events_match_by_kind_within_the_tolerance() {
    let a = session(
        "a",
        "ak",
        T0,
        vec![
            (0.0, start("enter-home-meds")),
            (30.0, workaround(WorkaroundKind::PaperNote)),
            (50.0, workaround(WorkaroundKind::CopyPaste)),
            (100.0, EventKind::Finish),
        ],
    );
    let b = session(
        "b",
        "jb",
        T0,
        vec![
            (0.0, start("enter-home-meds")),
            (38.0, workaround(WorkaroundKind::PaperNote)),
            (65.0, workaround(WorkaroundKind::CopyPaste)),
            (70.0, workaround(WorkaroundKind::PaperNote)),
            (100.0, EventKind::Finish),
        ],
    );
    let w = agree(&a, &b, &Options::default()).unwrap().workarounds;
    assert_eq!((w.a, w.b, w.matched), (2, 3, 1));
    close(w.recall, 0.5);
    close(w.precision, 1.0 / 3.0);
    let kinds = |l: &[LoggedEvent]| {
        l.iter()
            .map(|e| (e.kind.clone(), e.offset_secs))
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&w.unmatched_a), [("copy_paste".to_string(), 50.0)]);
    assert_eq!(
        kinds(&w.unmatched_b),
        [
            ("copy_paste".to_string(), 65.0),
            ("paper_note".to_string(), 70.0)
        ]
    );
}

#[test]
fn site_kinds_match_by_id_like_built_in_ones() {
    let site = |id: &str| WorkaroundKind::from_name(id).unwrap();
    let source = InterruptionSource::from_name("bed_manager").unwrap();
    let a = session(
        "a",
        "ak",
        T0,
        vec![
            (0.0, start("enter-home-meds")),
            (20.0, interrupt(source)),
            (25.0, EventKind::InterruptionEnd),
            (30.0, workaround(site("fax"))),
            (50.0, workaround(site("fax"))),
            (100.0, EventKind::Finish),
        ],
    );
    let b = session(
        "b",
        "jb",
        T0,
        vec![
            (0.0, start("enter-home-meds")),
            (21.0, interrupt(source)),
            (25.0, EventKind::InterruptionEnd),
            (33.0, workaround(site("fax"))),
            (52.0, workaround(site("ward_whiteboard"))),
            (100.0, EventKind::Finish),
        ],
    );
    let g = agree(&a, &b, &Options::default()).unwrap();
    assert_eq!((g.interruptions.matched, g.interruptions.a), (1, 1));
    let w = g.workarounds;
    assert_eq!((w.a, w.b, w.matched), (2, 2, 1));
    assert_eq!(w.unmatched_a[0].kind, "fax");
    assert_eq!(w.unmatched_b[0].kind, "ward_whiteboard");
}

#[test]
fn event_matching_takes_as_many_as_it_can() {
    // Nearest-first would pair A@5 with B@6 and leave A@14 alone (14 s from B@0); the
    // earliest-available rule pairs both.
    let ev = |t: f64| (t, problem(ProblemKind::LoginTimeout));
    let a = session(
        "a",
        "ak",
        T0,
        vec![
            (0.0, start("sign")),
            ev(5.0),
            ev(14.0),
            (30.0, EventKind::Finish),
        ],
    );
    let b = session(
        "b",
        "jb",
        T0,
        vec![
            ev(0.0),
            (0.5, start("sign")),
            ev(6.0),
            (30.0, EventKind::Finish),
        ],
    );
    let p = agree(&a, &b, &Options::default()).unwrap().system_problems;
    assert_eq!(p.matched, 2);
}

#[test]
fn one_label_each_side() {
    let events = vec![(0.0, start("sign")), (30.0, EventKind::Finish)];
    let a = session("a", "ak", T0, events.clone());
    let b = session("b", "jb", T0, events);
    // Both raters used the single label `sign` for every slice: kappa is 1.0, not NaN.
    let g = agree(&a, &b, &Options::default()).unwrap();
    assert_eq!(g.time_slice_kappa, 1.0);
    assert_eq!(g.naming_kappa, Some(1.0));
    assert_eq!(g.duration_ccc, Some(1.0));
    let other = session(
        "b",
        "jb",
        T0,
        vec![(0.0, start("open-chart")), (30.0, EventKind::Finish)],
    );
    let g = agree(&a, &other, &Options::default()).unwrap();
    assert_eq!(g.time_slice_kappa, 0.0);
}

#[test]
fn bad_input_is_a_clear_error_or_a_warning() {
    let a = session("a", "ak", T0, full_events());
    let later = session("b", "jb", "2026-11-25T11:00:00+01:00", full_events());
    let e = agree(&a, &later, &Options::default()).unwrap_err();
    assert!(e.to_string().contains("never ran at the same time"), "{e}");
    assert!(e.to_string().contains("--shift-b"), "{e}");

    let mut other = session("b", "jb", T0, full_events());
    other.header.pathway_id = "discharge".into();
    let e = agree(&a, &other, &Options::default()).unwrap_err();
    assert!(matches!(e, AgreeError::DifferentPathways { .. }), "{e}");

    let mut other = session("b", "ak", T0, full_events());
    other.header.clinician = "RN-12".into();
    let g = agree(&a, &other, &Options::default()).unwrap();
    assert_eq!(g.warnings.len(), 2, "{:?}", g.warnings);

    let bad = Options {
        shift_b_secs: f64::NAN,
        ..Options::default()
    };
    assert!(matches!(agree(&a, &a, &bad), Err(AgreeError::BadShift(_))));
    let bad = Options {
        tolerance_secs: -1.0,
        ..Options::default()
    };
    assert!(matches!(
        agree(&a, &a, &bad),
        Err(AgreeError::BadTolerance(_))
    ));
    // Huge numbers are refused with the bound, never an overflow (they panicked before).
    for shift in [1e300, -9.2e18, MAX_SHIFT_B_SECS + 1.0] {
        let bad = Options {
            shift_b_secs: shift,
            ..Options::default()
        };
        let e = agree(&a, &a, &bad).unwrap_err();
        assert!(matches!(e, AgreeError::BadShift(_)), "{shift}: {e}");
        assert!(e.to_string().contains("within 100 years"), "{e}");
    }
    for tolerance in [1e308, MAX_TOLERANCE_SECS + 0.5] {
        let bad = Options {
            tolerance_secs: tolerance,
            ..Options::default()
        };
        let e = agree(&a, &a, &bad).unwrap_err();
        assert!(matches!(e, AgreeError::BadTolerance(_)), "{tolerance}: {e}");
    }
    // The bounds themselves run: the largest shift puts B a century away (no overlap, a
    // clear error), the largest tolerance matches every logged event.
    for shift in [MAX_SHIFT_B_SECS, -MAX_SHIFT_B_SECS] {
        let edge = Options {
            shift_b_secs: shift,
            ..Options::default()
        };
        let e = agree(&a, &a, &edge).unwrap_err();
        assert!(matches!(e, AgreeError::NoOverlap { .. }), "{e}");
    }
    let edge = Options {
        tolerance_secs: MAX_TOLERANCE_SECS,
        ..Options::default()
    };
    assert!(agree(&a, &a, &edge).is_ok());
    // Two sessions that both run for more than a week: refused before a slice is made.
    let mut long = full_events();
    long.last_mut().unwrap().0 = 8.0 * 86_400.0;
    let long = session("b", "jb", T0, long);
    let e = agree(&long, &long, &Options::default()).unwrap_err();
    assert!(
        matches!(e, AgreeError::WindowTooLong { max_days: 7, .. }),
        "{e}"
    );

    // Both paused the whole time they overlap.
    let paused = session(
        "b",
        "jb",
        T0,
        vec![(0.0, EventKind::Pause), (100.0, EventKind::Finish)],
    );
    assert!(matches!(
        agree(&a, &paused, &Options::default()),
        Err(AgreeError::NothingInCommon { .. })
    ));
}

#[test]
fn a_steady_clock_offset_is_spotted() {
    let events = |lag: f64| {
        let mut v = vec![];
        for (n, step) in testing::MED_REC_STEPS.iter().enumerate() {
            v.push((n as f64 * 60.0 + lag, start(step)));
        }
        v.push((400.0, EventKind::Finish));
        v
    };
    let a = session("a", "ak", T0, events(0.0));
    // B logged everything 20 s after A.
    let b = session("b", "jb", T0, events(20.0));
    let g = agree(&a, &b, &Options::default()).unwrap();
    assert_eq!(g.suggested_shift_b_secs, Some(-20.0));
    assert!(g.advice[0].contains("--shift-b -20"), "{:?}", g.advice);
    assert_eq!(
        g.timing_gap_secs,
        Some(TimingGap {
            median: 20.0,
            p90: 20.0
        })
    );
    assert_eq!(g.verdicts.timing_gap_secs, Some(Verdict::Poor));
}

#[test]
fn timing_gaps_and_durations_by_hand() {
    let a = session(
        "a",
        "ak",
        T0,
        vec![
            (0.0, start("open-chart")),
            (20.0, start("ask-patient")),
            (40.0, start("sign")),
            (60.0, EventKind::Finish),
        ],
    );
    let b = session(
        "b",
        "jb",
        T0,
        vec![
            (0.0, start("open-chart")),
            (22.0, start("ask-patient")),
            (50.0, start("sign")),
            (60.0, EventKind::Finish),
        ],
    );
    let g = agree(&a, &b, &Options::default()).unwrap();
    // Gaps 0, 2, 10: median 2; p90 at rank 1.8: 2 + 0.8 · 8 = 8.4.
    let gap = g.timing_gap_secs.unwrap();
    assert_eq!(gap.median, 2.0);
    close(gap.p90, 8.4);
    assert_eq!(g.verdicts.timing_gap_secs, Some(Verdict::Good));
    // A's durations do not vary (20 20 20), B's do (22 28 10), equal means: ccc 0.
    assert_eq!(g.duration_ccc, Some(0.0));
    assert_eq!(g.verdicts.duration_ccc, Some(Verdict::Poor));
    assert_eq!(g.naming_kappa, Some(1.0));
    let strict = Options {
        tolerance_secs: 5.0,
        ..Options::default()
    };
    let g = agree(&a, &b, &strict).unwrap();
    assert_eq!(g.verdicts.timing_gap_secs, Some(Verdict::Acceptable));
    assert_eq!(g.step_issues.len(), 1);
    assert_eq!(g.step_issues[0].kind, StepIssueKind::StartGap);
    assert!(
        g.step_issues[0]
            .text
            .starts_with("B started `sign` 10 s later (0:40 against 0:50)"),
        "{}",
        g.step_issues[0].text
    );
}
