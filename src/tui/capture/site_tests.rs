//! The capture screen fitted to a site: the user's keys.

use super::tests::{capture, kinds, press, render};
use super::*;
use crate::model::session::EventKind;
use crate::tui::key_config::KeyMap;

fn remapped(file: &str) -> Capture<Vec<Event>> {
    let map = KeyMap::parse(file, std::path::Path::new("keys.ron")).unwrap();
    let cap = capture();
    let state = cap.state.with_keys(map.capture_table(), map.summary());
    Capture::new(state, Vec::new(), std::time::Instant::now())
}

#[test]
fn a_remapped_key_does_the_action_and_the_old_key_does_nothing() {
    let mut cap = remapped(r#"KeyMap(capture: {"click": ["k"], "note": ["F2"], "help": ["h"]})"#);
    press(&mut cap, "Space", 1000);
    press(&mut cap, "k", 2000);
    press(&mut cap, "c", 3000);
    assert_eq!(
        kinds(&cap)[1..],
        [EventKind::Clicks { delta: 1 }],
        "c no longer clicks"
    );
    press(&mut cap, "h", 4000);
    assert_eq!(cap.state.mode, Mode::Help);
    press(&mut cap, "Esc", 4000);
    press(&mut cap, "?", 4500);
    assert_eq!(cap.state.mode, Mode::Normal);
    let f2 = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::F(2),
        crossterm::event::KeyModifiers::NONE,
    );
    assert_eq!(key_to_action(&cap.state, f2), Some(Action::OpenNote));
    // The menus keep their own keys: the picker still takes digits.
    press(&mut cap, "w", 5000);
    press(&mut cap, "1", 5000);
    press(&mut cap, "Enter", 5000);
    assert!(matches!(
        kinds(&cap).last(),
        Some(EventKind::Workaround { .. })
    ));
}

#[test]
fn the_footer_and_the_help_show_the_keys_in_force() {
    let cap = remapped(r#"KeyMap(capture: {"click": ["k"], "unclick": ["K"]})"#);
    let pairs = draw::hint_pairs(&cap.state);
    assert!(
        pairs.contains(&("k/K".to_string(), "click".to_string())),
        "{pairs:?}"
    );
    let mut state = cap.state.clone();
    state.mode = Mode::Help;
    let screen = format!("{:?}", render(&state, 80, 24).backend());
    assert!(screen.contains("  k / K click +1 / -1"), "{screen}");
    assert!(
        screen.contains("keys: keys.ron (click k, unclick K)"),
        "{screen}"
    );
}

// ----- the clinician's voice ------------------------------------------------------------------

use super::state::{Survey, SurveyStage};
use super::tests::script;
use crate::model::questionnaire::Instrument;

fn survey(cap: &Capture<Vec<Event>>) -> Survey {
    match &cap.state.mode {
        Mode::Survey(s) => s.clone(),
        other => panic!("not in the questionnaires: {other:?}"),
    }
}

/// A capture at the finish question after one step.
fn at_the_finish() -> Capture<Vec<Event>> {
    let mut cap = capture();
    press(&mut cap, "Space", 1000);
    press(&mut cap, "q", 60_000);
    cap
}

#[test]
fn v_at_the_finish_question_hands_over_and_answers_are_stored_at_the_finish_time() {
    let mut cap = at_the_finish();
    press(&mut cap, "v", 61_000);
    assert_eq!(survey(&cap).stage, SurveyStage::Sus);
    // SUS: 1-5 answers and moves on; s skips; Backspace goes back and answers again.
    let keys = ["5", "1", "4", "s", "Bs", "2", "5", "1", "3", "4", "4", "3"];
    for (i, key) in keys.iter().enumerate() {
        press(&mut cap, key, 70_000 + i as u64 * 1000);
    }
    // The tenth answer opened the TLX.
    let s = survey(&cap);
    assert_eq!(s.stage, SurveyStage::Tlx);
    let sus: Vec<Option<u8>> = [5, 1, 4, 2, 5, 1, 3, 4, 4, 3].map(Some).to_vec();
    assert_eq!(s.sus, sus);
    assert_eq!(Instrument::Sus.score(&sus), Some(75.0));
    // TLX: the slider starts at 50 and moves by 5, clamped; Enter takes it; s skips.
    press(&mut cap, "Left", 90_000);
    press(&mut cap, "Left", 90_000);
    assert_eq!(survey(&cap).slider, 40);
    press(&mut cap, "Enter", 91_000);
    for _ in 0..12 {
        press(&mut cap, "Right", 92_000);
    }
    assert_eq!(survey(&cap).slider, 100);
    press(&mut cap, "Enter", 93_000);
    press(&mut cap, "s", 94_000);
    assert!(cap.journal.len() == 1, "nothing saved before the end");
    press(&mut cap, "Esc", 95_000); // skips the rest: saves both
    assert_eq!(survey(&cap).stage, SurveyStage::HandBack);
    let saved: Vec<&Event> = cap.journal.iter().skip(1).collect();
    assert_eq!(saved.len(), 2);
    assert!(saved.iter().all(|e| e.at_ms == 61_000), "the time of v");
    assert_eq!(
        saved[1].kind,
        EventKind::Questionnaire {
            instrument: Instrument::Tlx,
            answers: vec![Some(40), Some(100), None, None, None, None],
        }
    );
    // Hidden: the auditor's screen says only that they are saved.
    assert!(cap.state.status.contains("hidden"), "{}", cap.state.status);
    let screen = format!("{:?}", render(&cap.state, 80, 24).backend());
    assert!(!screen.contains("100"), "{screen}");
    // Keys other than Enter do nothing; Enter (the auditor) finishes at the same time.
    assert_eq!(press(&mut cap, "q", 99_000), Flow::Continue);
    assert_eq!(press(&mut cap, "Enter", 100_000), Flow::Finish);
    let last = cap.journal.last().unwrap();
    assert_eq!((last.kind.clone(), last.at_ms), (EventKind::Finish, 61_000));
    // The session ends when the auditor chose to finish: answering added nothing.
    assert_eq!(cap.state.timeline.end_ms, 61_000);
}

#[test]
fn skipping_everything_saves_nothing_and_still_finishes() {
    let mut cap = at_the_finish();
    press(&mut cap, "v", 61_000);
    press(&mut cap, "Esc", 62_000);
    assert_eq!(survey(&cap).stage, SurveyStage::Tlx);
    press(&mut cap, "Esc", 63_000);
    assert_eq!(survey(&cap).stage, SurveyStage::HandBack);
    assert_eq!(cap.journal.len(), 1);
    // Nothing was answered: the clinician is thanked, not told that answers were saved.
    let screen = format!("{:?}", render(&cap.state, 80, 24).backend());
    assert!(screen.contains("Thank you."), "{screen}");
    assert!(!screen.contains("answers are saved"), "{screen}");
    press(&mut cap, "Enter", 64_000);
    assert_eq!(cap.journal.last().unwrap().kind, EventKind::Finish);
}

#[test]
fn backspace_on_the_first_tlx_item_returns_to_the_last_sus_item() {
    let mut cap = at_the_finish();
    press(&mut cap, "v", 61_000);
    press(&mut cap, "Esc", 62_000);
    press(&mut cap, "Bs", 63_000);
    let s = survey(&cap);
    assert_eq!((s.stage, s.item), (SurveyStage::Sus, 9));
    // A digit outside 1-5 means nothing.
    press(&mut cap, "7", 64_000);
    assert_eq!(survey(&cap).item, 9);
}

#[test]
fn snapshot_survey_screens() {
    let sus = script(
        &[("Space", 1000), ("q", 5000), ("v", 6000), ("4", 7000)],
        8000,
    );
    insta::assert_snapshot!("survey_sus", render(&sus, 80, 24).backend());
    let tlx = script(
        &[
            ("Space", 1000),
            ("q", 5000),
            ("v", 6000),
            ("Esc", 7000),
            ("Right", 7500),
        ],
        8000,
    );
    insta::assert_snapshot!("survey_tlx", render(&tlx, 80, 24).backend());
    // One answer, the rest skipped: the answers saved are thanked for.
    let back = script(
        &[
            ("Space", 1000),
            ("q", 5000),
            ("v", 6000),
            ("4", 6500),
            ("Esc", 7000),
            ("Esc", 7500),
        ],
        8000,
    );
    insta::assert_snapshot!("survey_hand_back", render(&back, 80, 24).backend());
}
