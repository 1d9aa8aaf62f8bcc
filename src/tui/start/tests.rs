//! The start form without a terminal: keys through the key table and update; a snapshot.

use chrono::DateTime;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::model::pathway::{DEFAULT_PATHWAY, builtin_pathways};
use crate::tui::keymap::key_named as key_event;

#[test]
fn session_ids_are_file_name_safe() {
    let at = DateTime::parse_from_rfc3339("2026-11-25T09:18:40+01:00").unwrap();
    assert_eq!(
        session_id(at, "north", "RN-07"),
        "20261125-0918-north-RN-07"
    );
    assert_eq!(
        session_id(at, "St Mary's / ward 3", " rn 7 "),
        "20261125-0918-St-Mary-s---ward-3-rn-7"
    );
    assert_eq!(session_id(at, "", "../x"), "20261125-0918-x-x");
}

fn form() -> StartForm {
    let mut f = StartForm::new(
        [
            "site-1".into(),
            "RN".into(),
            "C-01".into(),
            "auditor".into(),
        ],
        // The default pathway and one more, so the snapshot does not change as templates
        // are added.
        builtin_pathways()
            .into_iter()
            .filter(|p| p.id == DEFAULT_PATHWAY || p.id == "ed-triage")
            .map(|p| (p.id, p.name))
            .collect(),
        0,
    );
    f.pathway = f
        .pathways
        .iter()
        .position(|(id, _)| id == DEFAULT_PATHWAY)
        .unwrap();
    f
}

#[test]
fn the_start_form_edits_fields_and_starts_on_enter() {
    let mut f = form();
    for _ in 0..6 {
        f.update(FormAction::Backspace);
    }
    for c in "north".chars() {
        f.update(FormAction::Type(c));
    }
    f.update(FormAction::Next);
    f.update(FormAction::Next);
    f.update(FormAction::Backspace);
    f.update(FormAction::Type('7'));
    assert_eq!(f.update(FormAction::Submit), FormOutcome::Start);
    assert_eq!((f.site(), f.role(), f.clinician()), ("north", "RN", "C-07"));
    assert_eq!(f.pathway_id(), DEFAULT_PATHWAY);
    // An emptied field is named and focused.
    f.focus = Field::Role;
    f.update(FormAction::Backspace);
    f.update(FormAction::Backspace);
    assert_eq!(f.update(FormAction::Submit), FormOutcome::Editing);
    assert_eq!(f.error.as_deref(), Some("Role is empty: type one"));
    assert_eq!(f.update(FormAction::Cancel), FormOutcome::Cancel);
}

#[test]
fn f2_or_ctrl_b_on_the_start_form_asks_for_the_browser_and_keeps_the_fields() {
    let mut f = form();
    f.update(FormAction::Type('x'));
    let before = f.clone();
    for key in [
        KeyEvent::new(KeyCode::F(2), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('b'), KeyModifiers::CONTROL),
    ] {
        let action = key_to_action(key).unwrap();
        assert_eq!(f.update(action), FormOutcome::Browse);
        assert_eq!(f, before);
    }
    // A plain `b` is typed into the field.
    f.update(key_to_action(key_event("b")).unwrap());
    assert!(f.values[0].ends_with("xb"), "{:?}", f.values);
}

#[test]
fn snapshot_start_form() {
    let f = form();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| draw(&f, frame, frame.area()))
        .unwrap();
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn the_form_draws_at_any_size_without_panicking() {
    let f = form();
    for (w, h) in [(1, 1), (10, 4), (40, 12)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|frame| draw(&f, frame, frame.area()))
            .unwrap();
    }
}

#[test]
fn a_paste_goes_into_the_focused_field_as_text() {
    let mut f = form();
    f.update(FormAction::Paste("\r\nnorth\nwing".into()));
    assert_eq!(f.values[0], "site-1 north wing");
    f.focus = Field::Pathway;
    let before = f.clone();
    f.update(FormAction::Paste("2".into()));
    assert_eq!(f, before, "a paste is never a key");
}
