//! The browser's keys: one table for the list (matching, footer, docs); the filter line, the
//! export menu and the panel read their few keys directly. Reads the state only.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Action, BrowseState, ExportFormat, Mode};
use crate::tui::keymap::{Binding, ch, key, lookup};

/// The keys of the list.
pub const KEY_TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "Up Down  k j",
        help: "select the session above / below",
        footer: None,
        codes: &[
            (key(KeyCode::Up), Action::Up),
            (ch('k'), Action::Up),
            (key(KeyCode::Down), Action::Down),
            (ch('j'), Action::Down),
        ],
    },
    Binding {
        keys: "PgUp PgDn",
        help: "a page up / down",
        footer: None,
        codes: &[
            (key(KeyCode::PageUp), Action::PageUp),
            (key(KeyCode::PageDown), Action::PageDown),
        ],
    },
    Binding {
        keys: "Home End  g G",
        help: "the first / last session",
        footer: None,
        codes: &[
            (key(KeyCode::Home), Action::First),
            (ch('g'), Action::First),
            (key(KeyCode::End), Action::Last),
            (ch('G'), Action::Last),
        ],
    },
    Binding {
        keys: "Enter r",
        help: "replay the selected session",
        footer: Some("Enter replay"),
        codes: &[(key(KeyCode::Enter), Action::Open), (ch('r'), Action::Open)],
    },
    Binding {
        keys: "c",
        help: "compare it with its pathway",
        footer: Some("c compare"),
        codes: &[(ch('c'), Action::Compare)],
    },
    Binding {
        keys: "m",
        help: "the shadow map of the listed sessions of its pathway",
        footer: Some("m map"),
        codes: &[(ch('m'), Action::Map)],
    },
    Binding {
        keys: "e",
        help: "export it (then j c x r; a capital letter: redacted)",
        footer: Some("e export"),
        codes: &[(ch('e'), Action::Export)],
    },
    Binding {
        keys: "/ f",
        help: "filter: site:, role:, pathway: (a whole value), date: (2026-11 or A..B), or words (found anywhere)",
        footer: Some("/ filter"),
        codes: &[(ch('/'), Action::EditFilter), (ch('f'), Action::EditFilter)],
    },
    Binding {
        keys: "Esc",
        help: "clear the filter (when one is set)",
        footer: Some("Esc clear"),
        // Only while a filter is set: see `key_to_action`.
        codes: &[],
    },
    Binding {
        keys: "q Esc",
        help: "leave the browser",
        footer: Some("q quit"),
        codes: &[(ch('q'), Action::Quit), (key(KeyCode::Esc), Action::Quit)],
    },
];

pub fn key_to_action(state: &BrowseState, key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match &state.mode {
        Mode::Filter => match key.code {
            KeyCode::Enter | KeyCode::Down | KeyCode::Tab => Some(Action::FilterDone),
            KeyCode::Esc => Some(Action::ClearFilter),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char('u') if ctrl => Some(Action::ClearFilter),
            KeyCode::Char(c) if !ctrl => Some(Action::Type(c)),
            _ => None,
        },
        Mode::Export => match key.code {
            KeyCode::Char(c) => ExportFormat::ALL
                .into_iter()
                .find(|f| f.key() == c.to_ascii_lowercase())
                .map(|f| Action::ExportAs(f, c.is_ascii_uppercase()))
                .or(Some(Action::Close)),
            _ => Some(Action::Close),
        },
        Mode::Panel(_) => match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::PageUp => Some(Action::PageUp),
            KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::PageDown),
            _ => Some(Action::Close),
        },
        Mode::List if key.code == KeyCode::Esc && !state.filter_text.is_empty() => {
            Some(Action::ClearFilter)
        }
        Mode::List => lookup(KEY_TABLE, &key),
    }
}
