//! The report screen's keys: one table for the list (matching, footer, docs); the cause menu
//! and the text fields read their keys directly. Reads the state only.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Action, CAUSE_KEYS, Mode, State, View};
use crate::tui::keymap::{Binding, Key, ch, key, lookup};

/// Quitting, the same in both views.
const QUIT: Binding<Action> = Binding {
    keys: "q / Esc",
    help: "quit",
    footer: Some("q quit"),
    codes: &[(ch('q'), Action::Quit), (key(KeyCode::Esc), Action::Quit)],
};

const UP_DOWN: &[(Key, Action)] = &[
    (key(KeyCode::Up), Action::Up),
    (ch('k'), Action::Up),
    (key(KeyCode::Down), Action::Down),
    (ch('j'), Action::Down),
];

const TOGGLE_ROUNDS: &[(Key, Action)] = &[
    (ch('r'), Action::ToggleRounds),
    (key(KeyCode::Tab), Action::ToggleRounds),
];

/// The keys of the findings list.
pub const KEY_TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "Up Down  k j",
        help: "select the finding above / below",
        footer: Some("j/k move"),
        codes: UP_DOWN,
    },
    Binding {
        keys: "Home End  g G",
        help: "the first / last finding",
        footer: None,
        codes: &[
            (key(KeyCode::Home), Action::Top),
            (ch('g'), Action::Top),
            (key(KeyCode::End), Action::Bottom),
            (ch('G'), Action::Bottom),
        ],
    },
    Binding {
        keys: "c / Enter",
        help: "pick a cause (t d i f p or 1-5), then who and why: saved to the overrides file",
        footer: Some("c cause"),
        codes: &[
            (ch('c'), Action::OpenCauseMenu),
            (key(KeyCode::Enter), Action::OpenCauseMenu),
        ],
    },
    Binding {
        keys: "x",
        help: "remove the selected finding's override (back to the suggested cause)",
        footer: Some("x remove override"),
        codes: &[(ch('x'), Action::RemoveOverride)],
    },
    Binding {
        keys: "m",
        help: "the shadow map of the finding's pathway, at its step",
        footer: Some("m map"),
        codes: &[(ch('m'), Action::OpenMap)],
    },
    Binding {
        keys: "r / Tab",
        help: "the rounds view (when started with --split)",
        footer: Some("r rounds"),
        codes: TOGGLE_ROUNDS,
    },
    QUIT,
];

/// The keys of the rounds view.
pub const ROUNDS_KEY_TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "Left Right  h l",
        help: "the previous / next comparison (pairs of rounds, the whole pathway and each group)",
        footer: Some("h/l comparison"),
        codes: &[
            (key(KeyCode::Left), Action::PreviousComparison),
            (ch('h'), Action::PreviousComparison),
            (key(KeyCode::Right), Action::NextComparison),
            (ch('l'), Action::NextComparison),
        ],
    },
    Binding {
        keys: "Up Down  k j",
        help: "scroll the figures",
        footer: Some("j/k scroll"),
        codes: UP_DOWN,
    },
    Binding {
        keys: "r / Tab",
        help: "back to the findings",
        footer: Some("r findings"),
        codes: TOGGLE_ROUNDS,
    },
    QUIT,
];

pub fn key_to_action(state: &State, key: KeyEvent) -> Option<Action> {
    match &state.mode {
        Mode::List if state.view == View::Rounds => lookup(ROUNDS_KEY_TABLE, &key),
        Mode::List => lookup(KEY_TABLE, &key),
        Mode::PickCause => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Char(c) => {
                let by_letter = CAUSE_KEYS.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
                let by_digit = c
                    .to_digit(10)
                    .and_then(|d| CAUSE_KEYS.get((d as usize).wrapping_sub(1)))
                    .map(|(_, v)| *v);
                by_letter.or(by_digit).map(Action::PickCause)
            }
            _ => None,
        },
        Mode::Who { .. } | Mode::Why { .. } => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char(c) => Some(Action::Char(c)),
            _ => None,
        },
    }
}
