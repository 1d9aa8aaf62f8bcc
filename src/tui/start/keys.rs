//! The start form's keys: one table (matching, the footer, the docs); any other character is
//! typed into the focused field. Reads nothing of the form; changes nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::FormAction;
use crate::tui::keymap::{Binding, key, lookup};

pub const KEY_TABLE: &[Binding<FormAction>] = &[
    Binding {
        keys: "Enter",
        help: "start the session",
        footer: Some("Enter start"),
        codes: &[(key(KeyCode::Enter), FormAction::Submit)],
    },
    Binding {
        keys: "Tab / Down, Shift-Tab / Up",
        help: "the next / previous field",
        footer: Some("Tab/↑↓ field"),
        codes: &[
            (key(KeyCode::Tab), FormAction::Next),
            (key(KeyCode::Down), FormAction::Next),
            (key(KeyCode::BackTab), FormAction::Prev),
            (key(KeyCode::Up), FormAction::Prev),
        ],
    },
    Binding {
        keys: "Left / Right",
        help: "another pathway (on the pathway field; Space and 1-9 too)",
        footer: Some("←→ pathway"),
        codes: &[
            (key(KeyCode::Left), FormAction::Left),
            (key(KeyCode::Right), FormAction::Right),
        ],
    },
    Binding {
        keys: "F2, Ctrl-B",
        help: "open the session browser (leaving it comes back here)",
        footer: Some("F2 sessions"),
        // Ctrl-B: see `key_to_action`.
        codes: &[(key(KeyCode::F(2)), FormAction::Browse)],
    },
    Binding {
        keys: "Backspace",
        help: "delete the last character",
        footer: None,
        codes: &[(key(KeyCode::Backspace), FormAction::Backspace)],
    },
    Binding {
        keys: "Esc",
        help: "quit",
        footer: Some("Esc quit"),
        codes: &[(key(KeyCode::Esc), FormAction::Cancel)],
    },
];

/// The footer's separator.
pub const FOOTER_SEPARATOR: &str = " · ";

pub fn key_to_action(key: KeyEvent) -> Option<FormAction> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return (key.code == KeyCode::Char('b')).then_some(FormAction::Browse);
    }
    lookup(KEY_TABLE, &key).or(match key.code {
        KeyCode::Char(c) => Some(FormAction::Type(c)),
        _ => None,
    })
}
