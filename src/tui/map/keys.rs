//! The map screen's keys: one table (matching, footer, help, docs). Reads the state only.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Action, MapState, Mode};
use crate::tui::keymap::{Binding, ch, key, lookup};

pub const KEY_TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "Up Down  k j",
        help: "select the step (or flow, or session) above / below",
        footer: Some("j/k move"),
        codes: &[
            (key(KeyCode::Up), Action::Up),
            (ch('k'), Action::Up),
            (key(KeyCode::Down), Action::Down),
            (ch('j'), Action::Down),
        ],
    },
    Binding {
        keys: "Tab / Left Right",
        help: "move between the steps and the selected step's flows",
        footer: Some("Tab steps/flows"),
        codes: &[
            (key(KeyCode::Tab), Action::SwitchFocus),
            (key(KeyCode::Left), Action::SwitchFocus),
            (key(KeyCode::Right), Action::SwitchFocus),
        ],
    },
    Binding {
        keys: "Enter",
        help: "a step: its flows; a flow that leaves the pathway: the sessions that took it",
        footer: Some("Enter open"),
        codes: &[(key(KeyCode::Enter), Action::Open)],
    },
    Binding {
        keys: "r",
        help: "replay the selected session at the moment it took the flow (`q` in the replay comes back)",
        footer: Some("r replay"),
        codes: &[(ch('r'), Action::Replay)],
    },
    Binding {
        keys: "Esc",
        help: "back (from the steps: leave the map)",
        footer: Some("Esc back"),
        codes: &[(key(KeyCode::Esc), Action::Back)],
    },
    Binding {
        keys: "q",
        help: "leave the map",
        footer: Some("q quit"),
        codes: &[(ch('q'), Action::Quit)],
    },
];

pub fn key_to_action(state: &MapState, key: KeyEvent) -> Option<Action> {
    let action = lookup(KEY_TABLE, &key)?;
    // `r` means something only in a list of sessions.
    match (action, &state.mode) {
        (Action::Replay, Mode::Map) => None,
        _ => Some(action),
    }
}
