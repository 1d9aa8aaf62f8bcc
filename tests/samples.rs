//! The sample sessions in `sample-sessions/`: they load, they are what the generator writes,
//! and together they cover the variety the compare, replay and report work is tested on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use shadowmap::model::pathway::{Element, resolve_pathway};
use shadowmap::model::timeline::InterruptionEnding;
use shadowmap::model::{EventKind, ProblemKind, Session, Timeline, WorkaroundKind};

use shadowmap::testing::samples::all_sessions;

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions")
}

/// The finished sample sessions at the top of `sample-sessions/` (not the recovery or
/// agreement folders, which other tests own), with their file paths, sorted by name.
fn samples() -> Vec<(PathBuf, Session)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(sample_dir())
        .expect("sample-sessions/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "ron"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let session = Session::load(&path).unwrap_or_else(|e| panic!("{e}"));
            (path, session)
        })
        .collect()
}

#[test]
fn every_sample_loads_is_named_by_its_id_and_is_in_order() {
    let samples = samples();
    assert!(samples.len() >= 12, "{} samples", samples.len());
    for (path, session) in &samples {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let header = &session.header;
        assert_eq!(stem, header.id, "file name = id");
        assert!(
            header
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
            "{}",
            header.id
        );
        assert!(session.is_finished(), "{stem} is finished");
        assert!(matches!(
            session.events.last().unwrap().kind,
            EventKind::Finish
        ));
        for (i, event) in session.events.iter().enumerate() {
            assert_eq!(event.seq, i as u64 + 1, "{stem}: events numbered from 1");
        }
        for pair in session.events.windows(2) {
            // The clinician's answers and the finish share the time of the finish question.
            let answered = matches!(pair[1].kind, EventKind::Questionnaire { .. })
                || matches!(pair[0].kind, EventKind::Questionnaire { .. });
            assert!(
                pair[1].at_ms > pair[0].at_ms || (answered && pair[1].at_ms == pair[0].at_ms),
                "{stem}: event {} not after event {}",
                pair[1].seq,
                pair[0].seq
            );
        }
        let (pathway, _) = resolve_pathway(&header.pathway_id).unwrap();
        assert_eq!(header.pathway_version, pathway.version, "{stem}");
        assert!(
            header.clinician.starts_with(&format!("{}-", header.role)),
            "{stem}: clinician code {} of role {}",
            header.clinician,
            header.role
        );
        // Every planned step names a step of its pathway; the rest are unplanned steps.
        let timeline = session.timeline();
        for step in &timeline.steps {
            assert_eq!(
                pathway.step(&step.step).is_some(),
                !step.is_unplanned(),
                "{stem}: {}",
                step.step
            );
        }
    }
}

#[test]
fn committed_samples_are_exactly_what_the_generator_writes() {
    let generated = all_sessions();
    let on_disk = samples();
    assert_eq!(generated.len(), on_disk.len());
    for session in generated {
        let path = sample_dir().join(format!("{}.ron", session.header.id));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text == session.to_ron(),
            "{} differs from `cargo run --example make_samples`",
            path.display()
        );
    }
}

fn timelines() -> Vec<(Session, Timeline)> {
    samples()
        .into_iter()
        .map(|(_, s)| {
            let t = s.timeline();
            (s, t)
        })
        .collect()
}

#[test]
fn samples_cover_sites_roles_pathways_and_every_capture_feature() {
    let all = timelines();
    let set = |f: fn(&Session) -> &str| -> BTreeSet<String> {
        all.iter().map(|(s, _)| f(s).to_string()).collect()
    };
    assert!(set(|s| &s.header.site).len() >= 3);
    assert!(set(|s| &s.header.role).len() >= 4);
    assert!(set(|s| &s.header.pathway_id).len() >= 5);
    assert!(set(|s| &s.header.auditor).len() >= 2);

    let events = || all.iter().flat_map(|(s, _)| &s.events);
    let count = |f: fn(&EventKind) -> bool| events().filter(|e| f(&e.kind)).count();
    assert!(count(|k| matches!(k, EventKind::Undo { .. })) >= 2);
    assert!(count(|k| matches!(k, EventKind::Pause)) >= 2);
    assert!(count(|k| matches!(k, EventKind::Resume)) >= 2);
    assert!(count(|k| matches!(k, EventKind::StepEnd)) >= 2);
    assert!(count(|k| matches!(k, EventKind::Reentry)) >= 20);
    assert!(count(|k| matches!(k, EventKind::Note { .. })) >= 5);
    // The clinicians' voice: a few questionnaires, one with a skipped item.
    assert!(count(|k| matches!(k, EventKind::Questionnaire { .. })) >= 6);
    assert!(
        count(|k| matches!(k, EventKind::Questionnaire { answers, .. } if answers.contains(&None)))
            >= 1
    );

    let timelines = || all.iter().map(|(_, t)| t);
    // Undo applied: one undone step start, one undone click.
    let undone_kinds: BTreeSet<&str> = all
        .iter()
        .flat_map(|(s, t)| s.events.iter().filter(|e| t.undone.contains(&e.seq)))
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(
        undone_kinds,
        BTreeSet::from(["clicks", "step_start"]),
        "undone kinds"
    );
    assert!(timelines().all(|t| t.finished));
    let unplanned = timelines()
        .flat_map(|t| &t.steps)
        .filter(|s| s.is_unplanned())
        .count();
    assert!(unplanned >= 5, "{unplanned} unplanned steps");
    let nested = timelines()
        .flat_map(|t| &t.interruptions)
        .filter(|i| i.depth >= 1)
        .count();
    assert!(nested >= 2, "{nested} nested interruptions");
    let switches = timelines()
        .flat_map(|t| &t.interruptions)
        .filter(|i| matches!(i.ended_by, InterruptionEnding::TaskSwitch { .. }))
        .count();
    assert!(
        switches >= 2,
        "{switches} task switches out of interruptions"
    );
    let sources: BTreeSet<_> = timelines()
        .flat_map(|t| &t.interruptions)
        .map(|i| i.source)
        .collect();
    assert!(sources.len() >= 7, "{sources:?}");

    let workaround_kinds: BTreeSet<_> = timelines()
        .flat_map(|t| &t.workarounds)
        .map(|w| w.kind)
        .collect();
    for kind in [
        WorkaroundKind::PaperNote,
        WorkaroundKind::CopyPaste,
        WorkaroundKind::DuplicateEntry,
        WorkaroundKind::SecondSystem,
        WorkaroundKind::SharedLogin,
    ] {
        assert!(workaround_kinds.contains(&kind), "{kind} missing");
    }
    let problem_kinds: BTreeSet<_> = timelines()
        .flat_map(|t| &t.problems)
        .map(|p| p.kind)
        .collect();
    for kind in [
        ProblemKind::SlowResponse,
        ProblemKind::ErrorMessage,
        ProblemKind::LoginTimeout,
        ProblemKind::MissingData,
        ProblemKind::AlertFatigue,
        ProblemKind::Hardware,
    ] {
        assert!(problem_kinds.contains(&kind), "{kind} missing");
    }
    assert!(
        timelines()
            .flat_map(|t| t.workarounds.iter().map(|w| &w.text))
            .all(|text| !text.is_empty()),
        "every workaround carries a note"
    );
    // One note holds identifier-like text, for the redaction tests.
    let notes: Vec<&str> = events()
        .filter_map(|e| match &e.kind {
            EventKind::Note { text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("MRN 00482913") && n.contains("555-0142")),
        "{notes:?}"
    );
    // A pause counts for nothing: observed time is shorter than the span in those sessions.
    assert!(
        timelines()
            .filter(|t| !t.pauses.is_empty())
            .all(|t| t.observed_ms() + 300_000 <= t.end_ms)
    );
}

#[test]
fn samples_have_out_of_order_missing_and_repeated_steps() {
    let mut out_of_order = Vec::new();
    let mut missing = Vec::new();
    let mut redone = Vec::new();
    for (session, timeline) in timelines() {
        let (pathway, _) = resolve_pathway(&session.header.pathway_id).unwrap();
        // The position of each step's element in the pathway's sequence.
        let mut element_of = BTreeMap::new();
        for (i, element) in pathway.steps.iter().enumerate() {
            match element {
                Element::Step(step) => {
                    element_of.insert(step.id.clone(), i);
                }
                Element::AnyOrder(group) => {
                    for step in &group.steps {
                        element_of.insert(step.id.clone(), i);
                    }
                }
            }
        }
        let observed: Vec<usize> = timeline
            .observed_steps()
            .iter()
            .filter_map(|s| element_of.get(*s).copied())
            .collect();
        if observed.windows(2).any(|w| w[1] < w[0]) {
            out_of_order.push(session.header.id.clone());
        }
        let seen: BTreeSet<&str> = timeline.observed_steps().into_iter().collect();
        if pathway
            .all_steps()
            .any(|s| !s.optional && !seen.contains(s.id.as_str()))
        {
            missing.push(session.header.id.clone());
        }
        if timeline
            .steps
            .windows(2)
            .any(|w| w[0].step == w[1].step && pathway.step(&w[0].step).is_some_and(|s| s.repeat))
        {
            redone.push(session.header.id.clone());
        }
    }
    assert!(out_of_order.len() >= 3, "out of order: {out_of_order:?}");
    assert!(missing.len() >= 3, "missing steps: {missing:?}");
    assert!(redone.len() >= 3, "repeated steps: {redone:?}");
}

/// Active seconds of every occurrence of `step`, by site.
fn active_secs_by_site(pathway: &str, step: &str) -> BTreeMap<String, Vec<f64>> {
    let mut by_site: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (session, timeline) in timelines() {
        if session.header.pathway_id != pathway {
            continue;
        }
        for span in timeline.steps.iter().filter(|s| s.step == step) {
            by_site
                .entry(session.header.site.clone())
                .or_default()
                .push(span.active_ms as f64 / 1000.0);
        }
    }
    by_site
}

#[test]
fn design_like_steps_are_slow_at_every_site() {
    for (pathway, step) in [
        ("med-rec-admission", "enter-home-meds"),
        ("cpoe-med-order", "review-alert"),
        ("eprescribe-controlled", "pdmp-query"),
    ] {
        let expected = f64::from(
            resolve_pathway(pathway)
                .unwrap()
                .0
                .step(step)
                .unwrap()
                .expected_secs,
        );
        let by_site = active_secs_by_site(pathway, step);
        assert_eq!(by_site.len(), 3, "{step} seen at three sites");
        for (site, secs) in by_site {
            let longest = secs.iter().cloned().fold(0.0, f64::max);
            assert!(
                longest > 1.5 * expected,
                "{step} at {site}: {secs:?} vs expected {expected}"
            );
        }
    }
}

#[test]
fn training_like_steps_are_slow_at_one_site_only() {
    for step in ["scan-medication", "document-admin"] {
        let expected = f64::from(
            resolve_pathway("med-administration")
                .unwrap()
                .0
                .step(step)
                .unwrap()
                .expected_secs,
        );
        let by_site = active_secs_by_site("med-administration", step);
        assert_eq!(by_site.len(), 3, "{step}: {by_site:?}");
        for (site, secs) in by_site {
            if site == "river" {
                assert!(
                    secs.iter().all(|s| *s > 2.0 * expected),
                    "{step} at river: {secs:?}"
                );
            } else {
                assert!(
                    secs.iter().all(|s| *s <= 1.5 * expected),
                    "{step} at {site}: {secs:?} vs {expected}"
                );
            }
        }
    }
}

#[test]
fn integration_and_policy_evidence_spans_sites() {
    let mut second_system_sites = BTreeSet::new();
    let mut shared_login_sessions = 0;
    for (session, timeline) in timelines() {
        for w in &timeline.workarounds {
            match w.kind {
                WorkaroundKind::SecondSystem => {
                    second_system_sites.insert(session.header.site.clone());
                }
                WorkaroundKind::SharedLogin => shared_login_sessions += 1,
                _ => {}
            }
        }
    }
    assert_eq!(second_system_sites.len(), 3);
    assert!(shared_login_sessions >= 2);
}
