//! Live conformance: the list's marks, the running fitness and the fresh deviation come from the
//! comparator, and once the session is finished they are `compare`'s deviations.

use proptest::prelude::*;

use super::live::LiveMark;
use super::state::TextPurpose;
use super::tests::{capture, default_pathway, kinds, press, render, script, type_text};
use super::*;
use crate::compare::{DeviationKind, compare_session, compare_timeline};
use crate::model::session::EventKind;

fn mark_of(cap: &Capture<Vec<Event>>, step: &str) -> LiveMark {
    cap.state.live().mark(step)
}

#[test]
fn marks_follow_the_comparator_as_steps_are_started() {
    let mut cap = capture();
    // The comparator's fitness of the session so far: every mandatory step is still missing.
    assert_eq!(cap.state.live().fitness(), 0.0);
    assert_eq!(mark_of(&cap, "open-chart"), LiveMark::Expected);
    press(&mut cap, "Space", 1000);
    assert_eq!(mark_of(&cap, "open-chart"), LiveMark::Done);
    // Nothing is missing yet: the steps after it are still expected.
    assert_eq!(cap.state.live().shown_deviations().count(), 0);
    assert_eq!(mark_of(&cap, "sign"), LiveMark::Expected);
    assert!(cap.state.live().fresh.is_none());
    // Straight to `sign` (key 6): the group's steps and the home medications are passed over.
    press(&mut cap, "6", 2000);
    assert_eq!(mark_of(&cap, "sign"), LiveMark::Done);
    for step in ["ask-patient", "pharmacy-record", "enter-home-meds"] {
        assert_eq!(mark_of(&cap, step), LiveMark::Skipped, "{step}");
    }
    assert_eq!(mark_of(&cap, "review-allergies"), LiveMark::SkippedOptional);
    // Cost 3 (three mandatory steps not done) of the worst 7 (2 observed + 5 mandatory).
    assert!((cap.state.live().fitness() - (1.0 - 3.0 / 7.0)).abs() < 1e-9);
    let fresh = cap.state.live().fresh.clone().expect("a fresh deviation");
    assert_eq!(fresh.kind, DeviationKind::Missing);
    // Doing one late: out of order, and no longer missing.
    press(&mut cap, "3", 3000);
    assert_eq!(mark_of(&cap, "ask-patient"), LiveMark::OutOfOrder);
    let fresh = cap.state.live().fresh.clone().expect("a fresh deviation");
    assert_eq!(
        (fresh.kind, fresh.step.as_str()),
        (DeviationKind::OutOfOrder, "ask-patient")
    );
    // `sign` again: repeated.
    press(&mut cap, "6", 4000);
    assert_eq!(mark_of(&cap, "sign"), LiveMark::Repeated);
    // An unplanned step.
    press(&mut cap, "/", 5000);
    type_text(&mut cap, "call pharmacy", 5000);
    press(&mut cap, "Enter", 5000);
    assert_eq!(mark_of(&cap, "call-pharmacy"), LiveMark::Unplanned);
    let fresh = cap.state.live().fresh.clone().expect("a fresh deviation");
    assert_eq!(fresh.kind, DeviationKind::Unplanned);
}

#[test]
fn an_open_any_order_group_keeps_its_other_members_expected() {
    let mut cap = capture();
    for (key, at) in [("Space", 1000), ("Space", 2000), ("4", 3000)] {
        press(&mut cap, key, at);
    }
    // `pharmacy-record` first, `ask-patient` may still come: the comparator is asked.
    assert_eq!(mark_of(&cap, "pharmacy-record"), LiveMark::Done);
    assert_eq!(mark_of(&cap, "ask-patient"), LiveMark::Expected);
    assert_eq!(cap.state.live().shown_deviations().count(), 0);
    assert!(cap.state.live().fresh.is_none());
    // Leaving the group without it passes it over.
    press(&mut cap, "5", 4000);
    assert_eq!(mark_of(&cap, "ask-patient"), LiveMark::Skipped);
}

#[test]
fn undo_takes_back_the_marks_and_the_fresh_deviation() {
    let mut cap = capture();
    press(&mut cap, "Space", 1000);
    press(&mut cap, "6", 2000);
    assert!(cap.state.live().fresh.is_some());
    press(&mut cap, "u", 3000);
    assert!(cap.state.live().fresh.is_none());
    assert_eq!(cap.state.live().shown_deviations().count(), 0);
    assert_eq!(mark_of(&cap, "ask-patient"), LiveMark::Expected);
    assert_eq!(mark_of(&cap, "sign"), LiveMark::Expected);
}

#[test]
fn n_while_a_deviation_is_fresh_notes_why_and_names_it() {
    let mut cap = capture();
    press(&mut cap, "Space", 1000);
    press(&mut cap, "6", 2000);
    press(&mut cap, "n", 3000);
    assert!(matches!(
        cap.state.mode,
        Mode::Text {
            purpose: TextPurpose::Why,
            ..
        }
    ));
    // Esc keeps the deviation fresh; an empty note logs nothing.
    press(&mut cap, "Esc", 3000);
    assert!(cap.state.live().fresh.is_some());
    press(&mut cap, "n", 3500);
    press(&mut cap, "Enter", 3500);
    assert_eq!(cap.journal.len(), 2);
    press(&mut cap, "n", 4000);
    type_text(&mut cap, "patient asleep", 4000);
    press(&mut cap, "Enter", 4500);
    let fresh_step = "enter-home-meds";
    assert_eq!(
        kinds(&cap).last(),
        Some(&EventKind::Note {
            text: format!("why missing `{fresh_step}`: patient asleep")
        })
    );
    // Noted: the next `n` is a plain note.
    assert!(cap.state.live().fresh.is_none());
    press(&mut cap, "n", 5000);
    assert!(matches!(
        cap.state.mode,
        Mode::Text {
            purpose: TextPurpose::Note,
            ..
        }
    ));
}

#[test]
fn a_continued_session_shows_its_marks_but_nothing_fresh() {
    let mut cap = capture();
    press(&mut cap, "Space", 1000);
    press(&mut cap, "6", 2000);
    let events = cap.journal.clone();
    let pathway = default_pathway();
    let state = CaptureState::new(super::tests::header(&pathway), pathway, events);
    assert!(state.live().fresh.is_none());
    assert_eq!(state.live().mark("ask-patient"), LiveMark::Skipped);
}

#[test]
fn snapshot_live_deviation() {
    let keys = [("Space", 1000), ("6", 2000), ("3", 3000)];
    insta::assert_snapshot!(render(&script(&keys, 9_000), 80, 24).backend());
}

#[test]
fn snapshot_why_note() {
    let keys = [("Space", 1000), ("6", 2000), ("n", 3000), ("o", 3100)];
    insta::assert_snapshot!(render(&script(&keys, 9_000), 80, 24).backend());
}

/// Keys of a random session: steps in any order, ends, undo, clicks, pauses, interruptions,
/// unplanned steps, and stray menu keys.
fn key_strategy() -> impl Strategy<Value = Vec<&'static str>> {
    let keys = prop::sample::select(vec![
        "Space", "Space", "1", "2", "3", "4", "5", "6", "e", "u", "u", "c", "p", "i", "I", "Esc",
        "/x", "/y", "n",
    ]);
    prop::collection::vec(keys, 0..40)
}

fn press_token(cap: &mut Capture<Vec<Event>>, token: &str, at_ms: u64) {
    match token.strip_prefix('/') {
        Some(label) if token.len() > 1 => {
            press(cap, "/", at_ms);
            type_text(cap, label, at_ms);
            press(cap, "Enter", at_ms);
        }
        _ => {
            press(cap, token, at_ms);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn live_marks_at_the_end_of_a_random_session_are_compares_deviations(
        keys in key_strategy()
    ) {
        let pathway = default_pathway();
        let mut cap = capture();
        let mut at = 0u64;
        for token in &keys {
            at += 1000;
            press_token(&mut cap, token, at);
            // Never stale: after every key, the live view is the comparator's on the events so far.
            let timeline = crate::model::derive_timeline(&cap.state.events);
            let mut now = compare_timeline("x", &timeline, &pathway, None);
            // Time and clicks are the Now panel's: the live view aligns the steps only.
            now.deviations.retain(|d| !matches!(d.kind, DeviationKind::OverTime | DeviationKind::OverClicks));
            prop_assert_eq!(&cap.state.live().comparison.deviations, &now.deviations);
            prop_assert!((cap.state.live().fitness() - now.fitness).abs() < 1e-12);
        }
        for key in ["Esc", "Esc", "q", "y"] {
            at += 1000;
            press(&mut cap, key, at);
        }
        prop_assert!(cap.state.is_finished());
        let compared = compare_session(&cap.state.session(), &pathway);
        let live = cap.state.live();
        prop_assert!((live.fitness() - compared.fitness).abs() < 1e-12);
        let mut steps: Vec<String> = cap.state.entries().iter().map(|e| e.id.clone()).collect();
        steps.extend(compared.deviations.iter().map(|d| d.step.clone()));
        for step in steps {
            let mut want: Vec<&str> = compared
                .deviations
                .iter()
                .filter(|d| d.step == step)
                .filter(|d| !matches!(d.kind, DeviationKind::OverTime | DeviationKind::OverClicks))
                .map(|d| d.kind.name())
                .collect();
            let mut got: Vec<&str> = live.kinds_of(&step).iter().map(|k| k.name()).collect();
            want.sort();
            got.sort();
            prop_assert_eq!(&got, &want, "step {}", step);
            let mark = live.mark(&step);
            prop_assert_eq!(mark.is_deviation(), !want.is_empty(), "step {} {:?}", step, mark);
            let synced = compared.moves.iter().any(|m| m.step == step && m.kind == crate::compare::MoveKind::Sync);
            if want.is_empty() {
                let expected = if synced { LiveMark::Done } else if compared.skipped_optional.contains(&step) { LiveMark::SkippedOptional } else { LiveMark::Expected };
                prop_assert_eq!(mark, expected, "step {}", step);
            }
        }
    }
}
