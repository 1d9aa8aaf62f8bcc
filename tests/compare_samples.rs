//! The comparator on the sample sessions (sample-sessions/*.ron): friction and figures agree
//! with the sessions' timelines, and one session is checked against values read off its file.

use std::path::Path;

use shadowmap::compare::{DeviationKind, MoveKind, compare_session};
use shadowmap::model::{ProblemKind, Session, WorkaroundKind, derive_timeline, resolve_pathway};

fn samples() -> Vec<Session> {
    let mut paths: Vec<_> = std::fs::read_dir("sample-sessions")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "sample sessions present");
    paths.iter().map(|p| Session::load(p).unwrap()).collect()
}

#[test]
fn friction_and_figures_agree_with_every_sample_timeline() {
    for session in samples() {
        let (pathway, _) = resolve_pathway(&session.header.pathway_id).unwrap();
        let timeline = derive_timeline(&session.events);
        let c = compare_session(&session, &pathway);
        let id = &session.header.id;
        assert_eq!(c.case_id, *id);
        assert_eq!(c.n_steps, timeline.steps.len(), "{id}");
        let synced: Vec<usize> = c
            .moves
            .iter()
            .filter(|m| m.kind == MoveKind::Sync)
            .map(|m| m.observed.unwrap())
            .collect();
        assert_eq!(
            c.frictions.iter().map(|f| f.observed).collect::<Vec<_>>(),
            synced,
            "{id}"
        );
        let tol = pathway.tolerance();
        for f in &c.frictions {
            let span = &timeline.steps[f.observed];
            let step = pathway.step(&span.step).unwrap();
            assert_eq!(f.step, span.step);
            assert_eq!(
                f.active_secs,
                span.active_ms as f64 / 1000.0,
                "{id} {}",
                f.step
            );
            assert_eq!(
                (f.clicks, f.screens, f.reentries),
                (
                    span.counts.clicks,
                    span.counts.screens,
                    span.counts.reentries
                )
            );
            assert_eq!(
                (f.expected_secs, f.expected_clicks),
                (step.expected_secs, step.expected_clicks)
            );
            assert_eq!(
                (f.interruptions, f.workarounds, f.problems),
                (
                    span.interruptions.len(),
                    span.workarounds.len(),
                    span.problems.len()
                )
            );
            let over_time = f.active_secs
                > f64::from(step.expected_secs) * (1.0 + f64::from(tol.time_pct) / 100.0);
            assert_eq!(
                f.over_time,
                over_time && step.expected_secs > 0,
                "{id} {}",
                f.step
            );
            let over_clicks = f64::from(f.clicks)
                > f64::from(step.expected_clicks) * (1.0 + f64::from(tol.clicks_pct) / 100.0);
            assert_eq!(f.over_clicks, over_clicks, "{id} {}", f.step);
            // Each over is a deviation of the same step.
            for (flag, kind) in [
                (f.over_time, DeviationKind::OverTime),
                (f.over_clicks, DeviationKind::OverClicks),
            ] {
                let n = c
                    .deviations
                    .iter()
                    .filter(|d| d.kind == kind && d.observed == Some(f.observed))
                    .count();
                assert_eq!(n, usize::from(flag), "{id} {} {kind:?}", f.step);
            }
        }
        let fig = &c.figures;
        assert_eq!(fig.fitness, c.fitness);
        let observed_min = timeline.observed_ms() as f64 / 60_000.0;
        assert!((fig.observed_minutes - observed_min).abs() < 1e-9, "{id}");
        let active: u64 = timeline.steps.iter().map(|s| s.active_ms).sum();
        assert!(
            (fig.active_minutes - active as f64 / 60_000.0).abs() < 1e-9,
            "{id}"
        );
        let clicks: u32 = synced
            .iter()
            .map(|&j| timeline.steps[j].counts.clicks)
            .sum();
        assert_eq!(fig.clicks, clicks, "{id}");
        assert_eq!(
            fig.workarounds.iter().map(|(_, n)| n).sum::<usize>(),
            timeline.workarounds.len()
        );
        assert_eq!(
            fig.problems.iter().map(|(_, n)| n).sum::<usize>(),
            timeline.problems.len()
        );
        assert_eq!(fig.interruptions, timeline.interruptions.len());
        let share = fig.interrupted_share.unwrap();
        assert!((0.0..=1.0).contains(&share), "{id}: {share}");
        // Every deviation text carries its evidence.
        for d in &c.deviations {
            if d.observed.is_some() {
                assert!(d.text.contains("(event "), "{id}: {}", d.text);
            }
        }
    }
}

#[test]
fn river_rn_12_med_rec_read_off_the_file() {
    let session =
        Session::load(Path::new("sample-sessions/20261117-1405-river-RN-12.ron")).unwrap();
    let (pathway, _) = resolve_pathway("med-rec-admission").unwrap();
    let c = compare_session(&session, &pathway);
    // 7 observed steps (one unplanned call), review-allergies left out.
    assert_eq!((c.cost, c.worst_cost, c.n_steps), (1, 12, 7));
    assert_eq!(c.skipped_optional, ["review-allergies"]);
    let unplanned: Vec<_> = c
        .deviations
        .iter()
        .filter(|d| d.kind == DeviationKind::Unplanned)
        .collect();
    assert_eq!(unplanned.len(), 1);
    assert_eq!(
        unplanned[0].text,
        "`call-pharmacy` (\"Phone the outpatient pharmacy for fill history\") was done at 2:25 (event 24); it is not in the pathway."
    );
    // pharmacy-record: events 7..23, 23.000 s to 145.082 s, 12 clicks, 2 screens, one
    // missing_data problem and one second_system workaround.
    let pharmacy = c
        .frictions
        .iter()
        .find(|f| f.step == "pharmacy-record")
        .unwrap();
    assert_eq!(pharmacy.active_secs, 122.082);
    assert_eq!(
        (
            pharmacy.clicks,
            pharmacy.screens,
            pharmacy.workarounds,
            pharmacy.problems
        ),
        (12, 2, 1, 1)
    );
    assert!(pharmacy.over_time && pharmacy.over_clicks);
    assert_eq!(c.figures.workarounds, [(WorkaroundKind::SecondSystem, 1)]);
    assert_eq!(
        c.figures.problems,
        [
            (ProblemKind::SlowResponse, 1),
            (ProblemKind::MissingData, 1)
        ]
    );
    assert_eq!(c.figures.interruptions, 0);
}
