//! The update of the capture's newer keys and modes, action by action: deriving after the append,
//! the questionnaires (SUS keys 1-5, the TLX slider, skip, back, the hand-back), every remapped
//! action, and snapshots of the live-marked list, the deviation flash and the remapped note key.

use std::time::Instant;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};

use super::keys::KEY_TABLE;
use super::live::LiveMark;
use super::state::{Survey, SurveyStage, TextPurpose};
use super::tests::{capture, default_pathway, header, kinds, press, render, script, type_text};
use super::*;
use crate::model::questionnaire::Instrument;
use crate::model::session::EventKind;
use crate::tui::key_config::{KeyMap, capture_action_name};
use crate::tui::keymap::key_named;

fn survey_of(state: &CaptureState) -> Survey {
    match &state.mode {
        Mode::Survey(s) => s.clone(),
        other => panic!("not in the questionnaires: {other:?}"),
    }
}

/// A state in the questionnaires (after one step and `q`, `v` at 60 s), driven by `update` alone.
fn in_survey() -> CaptureState {
    let pathway = default_pathway();
    let mut state = CaptureState::new(header(&pathway), pathway, Vec::new());
    update(&mut state, Action::NextStep, 1000);
    update(&mut state, Action::AskFinish, 59_000);
    assert!(update(&mut state, Action::Voice, 60_000).is_empty());
    state
}

/// Answers or skips every SUS item with `update`, landing on the first TLX subscale.
fn to_tlx(state: &mut CaptureState) {
    update(state, Action::Cancel, 61_000);
    assert_eq!(survey_of(state).stage, SurveyStage::Tlx);
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

// ----- deriving after the append --------------------------------------------------------------

#[test]
fn the_event_is_appended_before_the_timeline_and_the_live_marks_are_derived() {
    let mut cap = capture();
    // The loop's update: the event is logged, nothing derived from it yet.
    let start = cap.start();
    let effects = Screen::update(&mut cap, Action::NextStep, start);
    let [Effect::Append(event)] = effects.as_slice() else {
        panic!("one append: {effects:?}");
    };
    assert_eq!(
        event.kind,
        EventKind::StepStart {
            step: "open-chart".into()
        }
    );
    assert_eq!(cap.state.events.len(), 1);
    assert!(!cap.state.is_settled());
    assert!(cap.state.timeline.steps.is_empty());
    assert_eq!(cap.state.live().mark("open-chart"), LiveMark::Expected);
    // Running the effects saves it, then derives.
    assert_eq!(cap.run(effects), Flow::Continue);
    assert_eq!((cap.journal.len(), cap.state.saved), (1, 1));
    assert!(cap.state.is_settled());
    assert_eq!(
        cap.state.current_step().map(|s| s.step.as_str()),
        Some("open-chart")
    );
    assert_eq!(cap.state.live().mark("open-chart"), LiveMark::Done);
    assert_eq!(
        cap.state.event_line(0),
        Some(("#1   0:00.0 ", "start Open the patient's chart"))
    );
}

#[test]
fn the_update_function_derives_before_it_returns() {
    let pathway = default_pathway();
    let mut state = CaptureState::new(header(&pathway), pathway, Vec::new());
    update(&mut state, Action::NextStep, 1000);
    update(&mut state, Action::StartListed(5), 2000);
    assert!(state.is_settled());
    assert_eq!(state.live().mark("sign"), LiveMark::Done);
    assert_eq!(state.live().mark("ask-patient"), LiveMark::Skipped);
    // The next key works on the derived state: Space starts what follows `sign`: nothing.
    assert!(update(&mut state, Action::NextStep, 3000).is_empty());
    assert!(state.status.contains("no step left"), "{}", state.status);
}

#[test]
fn event_lines_are_the_events_described_and_follow_undo_and_new_entries() {
    let mut cap = capture();
    press(&mut cap, "Space", 1000);
    press(&mut cap, "c", 1500);
    press(&mut cap, "u", 2000);
    press(&mut cap, "/", 3000);
    type_text(&mut cap, "fax", 3000);
    press(&mut cap, "Enter", 3000);
    let lines: Vec<(String, String)> = (0..cap.state.events.len())
        .map(|i| {
            let (at, what) = cap.state.event_line(i).expect("a line per event");
            (at.to_string(), what.to_string())
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("#1   0:01.0 ", "start Open the patient's chart"),
            ("#2   0:01.5 ", "click +1"),
            ("#3   0:02.0 ", "undo #2 (click +1)"),
            ("#4   0:03.0 ", "unplanned: fax"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(cap.state.event_line(4), None);
    // A continued session describes the events it starts from.
    let pathway = default_pathway();
    let again = CaptureState::new(header(&pathway), pathway, cap.journal.clone());
    assert_eq!(
        again.event_line(3),
        Some(("#4   0:03.0 ", "unplanned: fax"))
    );
}

#[test]
fn the_note_key_while_a_deviation_is_fresh_asks_why_and_names_it() {
    let pathway = default_pathway();
    let mut state = CaptureState::new(header(&pathway), pathway, Vec::new());
    update(&mut state, Action::NextStep, 1000);
    update(&mut state, Action::StartListed(5), 2000);
    let fresh = state.live().fresh.clone().expect("a fresh deviation");
    assert_eq!(
        (fresh.kind.name(), fresh.step.as_str()),
        ("missing", "enter-home-meds")
    );
    assert!(update(&mut state, Action::OpenNote, 3000).is_empty());
    assert!(matches!(
        state.mode,
        Mode::Text {
            purpose: TextPurpose::Why,
            at_ms: 3000,
            ..
        }
    ));
    for c in "no ".chars() {
        update(&mut state, Action::Type(c), 3100);
    }
    update(&mut state, Action::Paste("home\nlist".into()), 3200);
    let effects = update(&mut state, Action::Submit, 3300);
    let [Effect::Append(event)] = effects.as_slice() else {
        panic!("one note: {effects:?}");
    };
    // Saved at the press of the note key, naming the deviation.
    assert_eq!(event.at_ms, 3000);
    assert_eq!(
        event.kind,
        EventKind::Note {
            text: "why missing `enter-home-meds`: no home list".into()
        }
    );
    assert!(state.live().fresh.is_none());
    assert_eq!(state.mode, Mode::Normal);
    // Without a fresh deviation the same key opens a plain note.
    update(&mut state, Action::OpenNote, 4000);
    assert!(matches!(
        state.mode,
        Mode::Text {
            purpose: TextPurpose::Note,
            ..
        }
    ));
}

// ----- the questionnaires ---------------------------------------------------------------------

#[test]
fn sus_keys_1_to_5_store_their_value_and_move_on() {
    for value in 1..=5u8 {
        let mut state = in_survey();
        let c = char::from(b'0' + value);
        assert_eq!(
            key_to_action(&state, key(KeyCode::Char(c))),
            Some(Action::Answer(value))
        );
        assert!(update(&mut state, Action::Answer(value), 62_000).is_empty());
        let s = survey_of(&state);
        assert_eq!((s.stage, s.item), (SurveyStage::Sus, 1));
        assert_eq!(s.sus[0], Some(value));
        assert!(s.sus[1..].iter().all(Option::is_none));
    }
    // Outside 1-5, a digit means nothing.
    let state = in_survey();
    for c in ['0', '6', '9'] {
        assert_eq!(key_to_action(&state, key(KeyCode::Char(c))), None, "{c}");
    }
}

#[test]
fn the_tlx_slider_moves_by_5_within_0_and_100_and_enter_takes_it() {
    let mut state = in_survey();
    to_tlx(&mut state);
    assert_eq!(survey_of(&state).slider, 50);
    for (code, delta) in [
        (KeyCode::Left, -5),
        (KeyCode::Char('h'), -5),
        (KeyCode::Char('-'), -5),
        (KeyCode::Right, 5),
        (KeyCode::Char('l'), 5),
        (KeyCode::Char('+'), 5),
    ] {
        assert_eq!(key_to_action(&state, key(code)), Some(Action::Slide(delta)));
    }
    let mut seen = Vec::new();
    for _ in 0..12 {
        update(&mut state, Action::Slide(-5), 62_000);
        seen.push(survey_of(&state).slider);
    }
    assert_eq!(seen, [45, 40, 35, 30, 25, 20, 15, 10, 5, 0, 0, 0]);
    for _ in 0..25 {
        update(&mut state, Action::Slide(5), 62_000);
    }
    assert_eq!(survey_of(&state).slider, 100);
    update(&mut state, Action::Slide(-5), 62_000);
    update(&mut state, Action::Slide(-5), 62_000);
    assert!(update(&mut state, Action::Submit, 62_000).is_empty());
    let s = survey_of(&state);
    assert_eq!((s.item, s.tlx[0], s.slider), (1, Some(90), 50));
    // Back to the answered subscale: the slider shows its answer again.
    update(&mut state, Action::BackItem, 62_000);
    let s = survey_of(&state);
    assert_eq!((s.item, s.slider), (0, 90));
}

#[test]
fn skip_leaves_an_item_unanswered_even_one_answered_before() {
    let mut state = in_survey();
    update(&mut state, Action::Answer(4), 62_000);
    update(&mut state, Action::BackItem, 62_000);
    assert_eq!(survey_of(&state).sus[0], Some(4));
    assert_eq!(
        key_to_action(&state, key(KeyCode::Char('s'))),
        Some(Action::SkipItem)
    );
    assert_eq!(
        key_to_action(&state, key(KeyCode::Tab)),
        Some(Action::SkipItem)
    );
    update(&mut state, Action::SkipItem, 62_000);
    let s = survey_of(&state);
    assert_eq!((s.item, s.sus[0]), (1, None));
    // Back on the first item stays there.
    update(&mut state, Action::BackItem, 62_000);
    update(&mut state, Action::BackItem, 62_000);
    assert_eq!(survey_of(&state).item, 0);
    to_tlx(&mut state);
    update(&mut state, Action::Slide(5), 62_000);
    update(&mut state, Action::SkipItem, 62_000);
    let s = survey_of(&state);
    assert_eq!((s.item, s.tlx[0], s.slider), (1, None, 50));
}

/// The questionnaires answered with values the screen must not show again: SUS all 2, TLX
/// mental demand 85.
fn handed_back() -> CaptureState {
    let mut state = in_survey();
    for _ in 0..10 {
        update(&mut state, Action::Answer(2), 62_000);
    }
    for _ in 0..7 {
        update(&mut state, Action::Slide(5), 63_000);
    }
    update(&mut state, Action::Submit, 63_000);
    let effects = update(&mut state, Action::Cancel, 64_000);
    assert_eq!(effects.len(), 2, "both questionnaires saved: {effects:?}");
    assert_eq!(survey_of(&state).stage, SurveyStage::HandBack);
    state
}

#[test]
fn the_saved_answers_stay_hidden_and_only_enter_takes_the_laptop_back() {
    let mut state = handed_back();
    let tlx = state.events.last().unwrap().clone();
    assert_eq!(
        tlx.kind,
        EventKind::Questionnaire {
            instrument: Instrument::Tlx,
            answers: vec![Some(85), None, None, None, None, None],
        }
    );
    assert_eq!(tlx.at_ms, 60_000, "the time of v");
    let before = (state.events.len(), state.mode.clone());
    for action in [
        Action::Answer(3),
        Action::Slide(5),
        Action::SkipItem,
        Action::BackItem,
        Action::Cancel,
        Action::AskFinish,
    ] {
        assert!(
            update(&mut state, action.clone(), 65_000).is_empty(),
            "{action:?}"
        );
        assert_eq!(
            (state.events.len(), state.mode.clone()),
            before,
            "{action:?}"
        );
    }
    for code in [
        KeyCode::Char('1'),
        KeyCode::Char('q'),
        KeyCode::Esc,
        KeyCode::Backspace,
    ] {
        assert_eq!(key_to_action(&state, key(code)), None, "{code:?}");
    }
    for (width, height) in [(80, 24), (200, 60)] {
        let screen = format!("{:?}", render(&state, width, height).backend());
        assert!(screen.contains("Your answers are saved"), "{screen}");
        assert!(!screen.contains("85"), "{screen}");
        assert!(!screen.contains("Question"), "{screen}");
    }
    // The auditor's Enter finishes; the auditor's screen names the questionnaires, not answers.
    let effects = update(&mut state, Action::Submit, 90_000);
    assert!(matches!(
        effects.as_slice(),
        [Effect::Append(_), Effect::Finish]
    ));
    assert_eq!(state.mode, Mode::Closed);
    state.mode = Mode::Normal;
    let screen = format!("{:?}", render(&state, 200, 60).backend());
    assert!(screen.contains("questionnaire sus saved"), "{screen}");
    assert!(screen.contains("questionnaire tlx saved"), "{screen}");
    assert!(!screen.contains("85"), "{screen}");
    assert!(!screen.contains("Some("), "{screen}");
}

#[test]
fn only_v_at_the_finish_question_opens_the_questionnaires() {
    let mut cap = capture();
    press(&mut cap, "Space", 1000);
    press(&mut cap, "q", 2000);
    assert_eq!(
        key_to_action(&cap.state, key_named("v")),
        Some(Action::Voice)
    );
    press(&mut cap, "x", 3000);
    assert_eq!(cap.state.mode, Mode::Normal);
    // In the normal mode `v` means nothing.
    press(&mut cap, "v", 4000);
    assert_eq!(
        (cap.state.mode.clone(), cap.journal.len()),
        (Mode::Normal, 1)
    );
    press(&mut cap, "q", 5000);
    press(&mut cap, "v", 6000);
    let s = survey_of(&cap.state);
    assert_eq!((s.stage, s.item, s.at_ms), (SurveyStage::Sus, 0, 6000));
}

// ----- the user's keys ------------------------------------------------------------------------

/// A capture with one step open and one click, keys as `keymap` says.
fn prepared(keymap: Option<&str>) -> Capture<Vec<Event>> {
    let mut cap = capture();
    press(&mut cap, "Space", 1000);
    press(&mut cap, "c", 2000);
    let state = match keymap {
        Some(file) => {
            let map = KeyMap::parse(file, std::path::Path::new("keys.ron")).unwrap();
            cap.state
                .clone()
                .with_keys(map.capture_table(), map.summary())
        }
        None => cap.state.clone(),
    };
    let mut out = Capture::new(state, cap.journal.clone(), Instant::now());
    out.state.tick(2000);
    out
}

fn press_event(cap: &mut Capture<Vec<Event>>, event: KeyEvent) -> Flow {
    let at = cap.start() + std::time::Duration::from_millis(3000);
    cap.handle(at, &TermEvent::Key(event))
}

#[test]
fn every_capture_action_remapped_does_what_its_default_key_did() {
    let f9 = key(KeyCode::F(9));
    let mut checked = 0;
    for (default_key, action) in KEY_TABLE.iter().flat_map(|row| row.codes.iter()) {
        let name = capture_action_name(action);
        let file = format!(r#"KeyMap(capture: {{"{name}": ["F9"]}})"#);
        let default_event = KeyEvent::new(
            default_key.code,
            if default_key.shift {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            },
        );
        let mut by_default = prepared(None);
        let mut by_user = prepared(Some(&file));
        assert_eq!(
            key_to_action(&by_user.state, f9),
            Some(action.clone()),
            "{name}"
        );
        press_event(&mut by_default, default_event);
        press_event(&mut by_user, f9);
        assert_eq!(kinds(&by_user), kinds(&by_default), "{name}");
        assert_eq!(by_user.state.mode, by_default.state.mode, "{name}");
        assert_eq!(by_user.state.page, by_default.state.page, "{name}");
        // The default key no longer does it.
        let mut old_key = prepared(Some(&file));
        let before = (kinds(&old_key), old_key.state.mode.clone());
        press_event(&mut old_key, default_event);
        assert_eq!(
            (kinds(&old_key), old_key.state.mode.clone()),
            before,
            "{name}"
        );
        checked += 1;
    }
    // Space, ten step keys, Tab, / e c C s r i I w x n u p q ?
    assert_eq!(checked, 27);
}

// ----- snapshots ------------------------------------------------------------------------------

/// The marks the list shows: done, skip (optional), SKIP!, AGAIN, EXTRA on the open unplanned
/// step (ORDER: the flash test below); the flash says what just happened.
fn every_mark() -> CaptureState {
    let mut cap = capture();
    for (k, at) in [("Space", 1000), ("6", 2000), ("3", 3000), ("6", 4000)] {
        press(&mut cap, k, at);
    }
    press(&mut cap, "/", 5000);
    type_text(&mut cap, "call pharmacy", 5000);
    press(&mut cap, "Enter", 5000);
    cap.tick(cap.start() + std::time::Duration::from_millis(9000));
    cap.state
}

#[test]
fn the_list_shows_the_marks_the_comparator_gives() {
    let state = every_mark();
    let marks: Vec<(String, LiveMark)> = state
        .entries()
        .iter()
        .map(|e| (e.id.clone(), state.mark(e)))
        .collect();
    assert_eq!(
        marks,
        [
            ("open-chart", LiveMark::Done),
            ("review-allergies", LiveMark::SkippedOptional),
            // Done again after `sign`: the alignment takes the second `sign` as the planned
            // one and the first as the repeat.
            ("ask-patient", LiveMark::Done),
            ("pharmacy-record", LiveMark::Skipped),
            ("enter-home-meds", LiveMark::Skipped),
            ("sign", LiveMark::Repeated),
            ("call-pharmacy", LiveMark::Unplanned),
        ]
        .map(|(id, m)| (id.to_string(), m))
    );
    let screen = format!("{:?}", render(&state, 200, 60).backend());
    for tag in ["done ", "skip ", "SKIP!", "AGAIN", "EXTRA", "(n: note why)"] {
        assert!(screen.contains(tag), "{tag}: {screen}");
    }
    insta::assert_snapshot!("live_every_mark_200x60", render(&state, 200, 60).backend());
}

#[test]
fn the_flash_keeps_the_note_key_in_force_on_its_last_line() {
    // 80x24: the explanation is cut, what to do is not.
    let state = script(&[("Space", 1000), ("6", 2000), ("3", 3000)], 9_000);
    assert_eq!(state.live().mark("ask-patient"), LiveMark::OutOfOrder);
    let screen = format!("{:?}", render(&state, 80, 24).backend());
    assert!(screen.contains("ORDER"), "{screen}");
    assert!(screen.contains("(n: note why)"), "{screen}");
    let map = KeyMap::parse(
        r#"KeyMap(capture: {"note": ["F2"]})"#,
        std::path::Path::new("keys.ron"),
    )
    .unwrap();
    let state = state.with_keys(map.capture_table(), map.summary());
    let screen = format!("{:?}", render(&state, 80, 24).backend());
    assert!(screen.contains("(F2: note why)"), "{screen}");
    assert!(!screen.contains("(n: note why)"), "{screen}");
}
