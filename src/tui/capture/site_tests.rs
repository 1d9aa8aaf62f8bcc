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
