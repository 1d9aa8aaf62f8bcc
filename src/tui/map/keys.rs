//! The map screen's keys: one table (matching, footer, help). Reads the state only.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Action, MapState, Mode};

/// One row: the keys as help shows them, what they do, the footer's short form, the codes.
pub struct Row {
    pub keys: &'static str,
    pub help: &'static str,
    pub footer: Option<&'static str>,
    pub codes: &'static [(KeyCode, Action)],
}

pub const KEY_TABLE: &[Row] = &[
    Row {
        keys: "Up Down  k j",
        help: "select the step (or flow, or session) above / below",
        footer: Some("j/k move"),
        codes: &[
            (KeyCode::Up, Action::Up),
            (KeyCode::Char('k'), Action::Up),
            (KeyCode::Down, Action::Down),
            (KeyCode::Char('j'), Action::Down),
        ],
    },
    Row {
        keys: "Tab / Left Right",
        help: "move between the steps and the selected step's flows",
        footer: Some("Tab steps/flows"),
        codes: &[
            (KeyCode::Tab, Action::SwitchFocus),
            (KeyCode::Left, Action::SwitchFocus),
            (KeyCode::Right, Action::SwitchFocus),
        ],
    },
    Row {
        keys: "Enter",
        help: "a step: its flows; a flow that leaves the pathway: the sessions that took it",
        footer: Some("Enter open"),
        codes: &[(KeyCode::Enter, Action::Open)],
    },
    Row {
        keys: "r",
        help: "replay the selected session at the moment it took the flow",
        footer: Some("r replay"),
        codes: &[(KeyCode::Char('r'), Action::Replay)],
    },
    Row {
        keys: "Esc",
        help: "back (from the steps: leave the map)",
        footer: Some("Esc back"),
        codes: &[(KeyCode::Esc, Action::Back)],
    },
    Row {
        keys: "q",
        help: "leave the map",
        footer: Some("q quit"),
        codes: &[(KeyCode::Char('q'), Action::Quit)],
    },
];

pub fn key_to_action(state: &MapState, key: KeyEvent) -> Option<Action> {
    let action = KEY_TABLE
        .iter()
        .flat_map(|row| row.codes.iter())
        .find(|(code, _)| *code == key.code)
        .map(|(_, action)| *action)?;
    // `r` means something only in a list of sessions.
    match (action, &state.mode) {
        (Action::Replay, Mode::Map) => None,
        _ => Some(action),
    }
}

/// The footer: the short forms, two spaces apart.
pub fn footer() -> String {
    KEY_TABLE
        .iter()
        .filter_map(|row| row.footer)
        .collect::<Vec<_>>()
        .join("  ")
}
