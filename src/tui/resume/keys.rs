//! The resume menu's keys: one table (matching, the help lines under the list, the docs).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::ResumeAction;
use crate::tui::keymap::{Binding, ch, key, lookup};

pub const KEY_TABLE: &[Binding<ResumeAction>] = &[
    Binding {
        keys: "c / Enter",
        help: "continue the selected session (the time away shows as a gap)",
        footer: Some("c/Enter continue it (the time away shows as a gap)"),
        codes: &[
            (key(KeyCode::Enter), ResumeAction::Continue),
            (ch('c'), ResumeAction::Continue),
        ],
    },
    Binding {
        keys: "f",
        help: "finish it as it is",
        footer: Some("f finish it as it is"),
        codes: &[(ch('f'), ResumeAction::FinishAsIs)],
    },
    Binding {
        keys: "n",
        help: "start a new session",
        footer: Some("n new session"),
        codes: &[(ch('n'), ResumeAction::New)],
    },
    Binding {
        keys: "q / Esc",
        help: "quit",
        footer: Some("q quit"),
        codes: &[
            (ch('q'), ResumeAction::Quit),
            (key(KeyCode::Esc), ResumeAction::Quit),
        ],
    },
    Binding {
        keys: "Up Down  k j, 1-9",
        help: "select a session",
        footer: None,
        codes: &[
            (key(KeyCode::Up), ResumeAction::Up),
            (ch('k'), ResumeAction::Up),
            (key(KeyCode::Down), ResumeAction::Down),
            (ch('j'), ResumeAction::Down),
            (ch('1'), ResumeAction::Select(0)),
            (ch('2'), ResumeAction::Select(1)),
            (ch('3'), ResumeAction::Select(2)),
            (ch('4'), ResumeAction::Select(3)),
            (ch('5'), ResumeAction::Select(4)),
            (ch('6'), ResumeAction::Select(5)),
            (ch('7'), ResumeAction::Select(6)),
            (ch('8'), ResumeAction::Select(7)),
            (ch('9'), ResumeAction::Select(8)),
        ],
    },
];

pub fn key_to_action(key: KeyEvent) -> Option<ResumeAction> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    lookup(KEY_TABLE, &key)
}
