//! The replay's keys: one table for matching, the help and the footer. Reads the state's mode
//! only; changes nothing.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Action, LONG_SEEK_MS, Mode, ReplayState, SHORT_SEEK_MS};
use crate::tui::keymap::{Binding, ch, key, lookup, shift};

/// The keys while watching (the help lists them in this order; the footer shows the short forms).
pub const KEY_TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "Space",
        help: "play / pause",
        footer: Some("Spc play"),
        codes: &[(ch(' '), Action::TogglePlay), (ch('k'), Action::TogglePlay)],
    },
    Binding {
        keys: "] [  > <",
        help: "faster / slower (1x-60x)",
        footer: Some("[ ] speed"),
        codes: &[
            (ch(']'), Action::Faster),
            (ch('>'), Action::Faster),
            (ch('['), Action::Slower),
            (ch('<'), Action::Slower),
        ],
    },
    Binding {
        keys: "-> <-  l h",
        help: "+/- 10 seconds",
        footer: Some("<- -> 10s"),
        codes: &[
            (shift(KeyCode::Left), Action::SeekBy(-LONG_SEEK_MS)),
            (shift(KeyCode::Right), Action::SeekBy(LONG_SEEK_MS)),
            (key(KeyCode::Left), Action::SeekBy(-SHORT_SEEK_MS)),
            (ch('h'), Action::SeekBy(-SHORT_SEEK_MS)),
            (key(KeyCode::Right), Action::SeekBy(SHORT_SEEK_MS)),
            (ch('l'), Action::SeekBy(SHORT_SEEK_MS)),
        ],
    },
    Binding {
        keys: "Up Down",
        help: "+/- 1 minute (also S-Right/Left)",
        footer: Some("up/dn 1m"),
        codes: &[
            (key(KeyCode::Down), Action::SeekBy(-LONG_SEEK_MS)),
            (key(KeyCode::Up), Action::SeekBy(LONG_SEEK_MS)),
        ],
    },
    Binding {
        keys: "Home End",
        help: "start / end",
        footer: None,
        codes: &[
            (key(KeyCode::Home), Action::Start),
            (key(KeyCode::End), Action::End),
        ],
    },
    Binding {
        keys: ". ,",
        help: "next / previous event",
        footer: Some(", . event"),
        codes: &[
            (ch('.'), Action::NextEvent),
            (ch(','), Action::PreviousEvent),
        ],
    },
    Binding {
        keys: "d D  Tab",
        help: "next / previous deviation",
        footer: Some("d/D dev"),
        codes: &[
            (ch('d'), Action::NextDeviation),
            (key(KeyCode::Tab), Action::NextDeviation),
            (ch('D'), Action::PreviousDeviation),
            (key(KeyCode::BackTab), Action::PreviousDeviation),
        ],
    },
    Binding {
        keys: "+ -  z Z",
        help: "zoom in / out",
        footer: Some("+/- zoom"),
        codes: &[
            (ch('+'), Action::ZoomIn),
            (ch('='), Action::ZoomIn),
            (ch('z'), Action::ZoomIn),
            (ch('-'), Action::ZoomOut),
            (ch('Z'), Action::ZoomOut),
        ],
    },
    Binding {
        keys: "0",
        help: "whole session",
        footer: None,
        codes: &[(ch('0'), Action::ZoomReset)],
    },
    Binding {
        keys: "g t",
        help: "go to: 4:12 +30 -1:00, @09:22 wall clock",
        footer: Some("g time"),
        codes: &[(ch('g'), Action::GoTo), (ch('t'), Action::GoTo)],
    },
    Binding {
        keys: "?",
        help: "this help",
        footer: Some("? help"),
        codes: &[(ch('?'), Action::Help)],
    },
    Binding {
        keys: "q Esc",
        help: "quit replay",
        footer: Some("q quit"),
        codes: &[(ch('q'), Action::Quit), (key(KeyCode::Esc), Action::Quit)],
    },
];

/// What a key means in the state's current mode; None for a key that means nothing now.
pub fn key_to_action(state: &ReplayState, key: KeyEvent) -> Option<Action> {
    match &state.mode {
        Mode::GoTo(_) => match key.code {
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char(c) if c.is_ascii_digit() || matches!(c, ':' | '+' | '-' | '@') => {
                Some(Action::Type(c))
            }
            _ => None,
        },
        Mode::Help => Some(match key.code {
            KeyCode::Char('q') => Action::Quit,
            _ => Action::Cancel,
        }),
        Mode::Normal => lookup(KEY_TABLE, &key),
    }
}
