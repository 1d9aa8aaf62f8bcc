//! The resume menu without a terminal: keys through the key table and update, as the loop
//! feeds them; a snapshot.

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::model::pathway::DEFAULT_PATHWAY;
use crate::tui::keymap::key_named as key_event;
use crate::tui::screen::is_interrupt;

/// A key as the shared loop takes it: Ctrl-C quits, any other goes through the table.
fn press(menu: &mut ResumeMenu, name: &str) -> ResumeOutcome {
    let key = key_event(name);
    if is_interrupt(&key) {
        return ResumeOutcome::Quit;
    }
    match key_to_action(key) {
        Some(action) => update(menu, action),
        None => ResumeOutcome::Choosing,
    }
}

/// An unfinished session of 12 events; `in_use`: another shadowmap holds it.
fn unfinished(id: &str, in_use: bool) -> Unfinished {
    Unfinished {
        id: id.into(),
        started_at: DateTime::parse_from_rfc3339("2026-11-25T09:18:00+01:00").unwrap(),
        clinician: "RN-07".into(),
        pathway_id: DEFAULT_PATHWAY.into(),
        events: 12,
        recovered: false,
        in_use,
    }
}

#[test]
fn the_resume_menu_continues_finishes_or_starts_anew() {
    let one = |id: &str| unfinished(id, false);
    let mut m = ResumeMenu::new(vec![one("a"), one("b")]);
    assert_eq!(press(&mut m, "Down"), ResumeOutcome::Choosing);
    assert_eq!(press(&mut m, "Enter"), ResumeOutcome::Continue("b".into()));
    assert_eq!(press(&mut m, "1"), ResumeOutcome::Choosing);
    assert_eq!(press(&mut m, "f"), ResumeOutcome::FinishAsIs("a".into()));
    assert_eq!(press(&mut m, "n"), ResumeOutcome::New);
    assert_eq!(press(&mut m, "C-c"), ResumeOutcome::Quit);
}

#[test]
fn a_session_another_shadowmap_is_capturing_is_shown_in_use_and_not_taken() {
    let one = unfinished;
    let mut m = ResumeMenu::new(vec![one("busy", true), one("free", false)]);
    for key in ["Enter", "c", "f"] {
        assert_eq!(press(&mut m, key), ResumeOutcome::Choosing);
        assert_eq!(m.message, Some(in_use_message("busy")));
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| draw(&m, frame, frame.area()))
        .unwrap();
    let screen = format!("{:?}", terminal.backend());
    assert!(
        screen.contains("IN USE: another shadowmap is capturing it now"),
        "{screen}"
    );
    assert!(
        screen.contains("another shadowmap is capturing session"),
        "{screen}"
    );
    // The message goes with the next key; the free one is taken as ever.
    assert_eq!(press(&mut m, "Down"), ResumeOutcome::Choosing);
    assert_eq!(m.message, None);
    assert_eq!(
        press(&mut m, "Enter"),
        ResumeOutcome::Continue("free".into())
    );
    assert_eq!(press(&mut m, "n"), ResumeOutcome::New);
}

#[test]
fn snapshot_resume_menu() {
    let started_at = DateTime::parse_from_rfc3339("2026-11-25T09:18:00+01:00").unwrap();
    let m = ResumeMenu::new(vec![Unfinished {
        id: "20261125-0918-north-RN-07".into(),
        started_at,
        clinician: "RN-07".into(),
        pathway_id: DEFAULT_PATHWAY.into(),
        events: 41,
        recovered: true,
        in_use: false,
    }]);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| draw(&m, frame, frame.area()))
        .unwrap();
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn the_menu_draws_at_any_size_without_panicking() {
    let m = ResumeMenu::new(Vec::new());
    for (w, h) in [(1, 1), (10, 4), (40, 12)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|frame| draw(&m, frame, frame.area()))
            .unwrap();
    }
}
