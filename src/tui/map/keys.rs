//! The map screen's keys: one table (matching, footer, help, docs). Reads the state only.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Action, MapState, Mode};
use crate::tui::keymap::{Binding, ch, key, lookup};

pub const KEY_TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "Up Down  k j",
        help: "select the step (or flow, or session) above / below; in the suggestion, scroll a line",
        footer: Some("j/k move"),
        codes: &[
            (key(KeyCode::Up), Action::Up),
            (ch('k'), Action::Up),
            (key(KeyCode::Down), Action::Down),
            (ch('j'), Action::Down),
        ],
    },
    Binding {
        keys: "PageUp PageDown",
        help: "in the suggestion, scroll a page",
        footer: None,
        codes: &[
            (key(KeyCode::PageUp), Action::PageUp),
            (key(KeyCode::PageDown), Action::PageDown),
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
        keys: "s",
        help: "the pathway these sessions suggest (as `shadowmap suggest` makes it): the changes with their gains and evidence, the fitness before and after, the revised file",
        footer: Some("s suggest"),
        codes: &[(ch('s'), Action::Suggest)],
    },
    Binding {
        keys: "?",
        help: "this help (any key closes it)",
        footer: Some("? help"),
        codes: &[(ch('?'), Action::Help)],
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
    // Any key closes the help.
    if state.help {
        return Some(Action::Help);
    }
    lookup(KEY_TABLE, &key).filter(|action| applies(action, &state.mode))
}

/// Whether an action means something in this mode: `r` only in a list of sessions, a page
/// only in the suggestion, Enter and Tab not in the suggestion.
fn applies(action: &Action, mode: &Mode) -> bool {
    !matches!(
        (action, mode),
        (Action::Replay, Mode::Map | Mode::Suggestion { .. })
            | (
                Action::PageUp | Action::PageDown,
                Mode::Map | Mode::Sessions { .. }
            )
            | (Action::Open | Action::SwitchFocus, Mode::Suggestion { .. })
    )
}

/// The footer for the mode the screen is in: the keys that do something there.
pub fn footer_for(mode: &Mode) -> String {
    KEY_TABLE
        .iter()
        .filter(|row| row.codes.iter().any(|(_, action)| applies(action, mode)))
        .filter_map(|row| row.footer)
        .collect::<Vec<_>>()
        .join("  ")
}
