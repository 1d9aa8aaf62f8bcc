//! Keys to actions: one table for the normal mode (matching, the help, the docs' key table);
//! the one-key menus and text fields read their keys directly. Reads the state's mode only;
//! changes nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::{Action, CaptureState, Mode, SurveyStage};
use crate::tui::keymap::{Binding, ch, key};

/// What a paste means: text for an open field or search, never keys.
pub fn paste_to_action(state: &CaptureState, text: &str) -> Option<Action> {
    match state.mode {
        Mode::Normal | Mode::Text { .. } | Mode::Search { .. } => Some(Action::Paste(text.into())),
        _ => None,
    }
}

/// What a key means in the state's current mode; None for a key that means nothing now.
pub fn key_to_action(state: &CaptureState, key: KeyEvent) -> Option<Action> {
    // Ctrl-C never gets here: the shared loop takes it (every event shown as saved is on
    // disk already).
    if key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER)
    {
        return None;
    }
    match &state.mode {
        // After a refused append, `R` continues in a new journal segment.
        Mode::Normal if state.failed.is_some() && key.code == KeyCode::Char('R') => {
            Some(Action::NewSegment)
        }
        Mode::Normal => state.keys.lookup(&key),
        Mode::Help => Some(Action::ToggleHelp),
        Mode::ConfirmFinish => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => Some(Action::ConfirmFinish),
            KeyCode::Char('v') | KeyCode::Char('V') if state.failed.is_none() => {
                Some(Action::Voice)
            }
            _ => Some(Action::DeclineFinish),
        },
        Mode::Survey(survey) => match (survey.stage, key.code) {
            (SurveyStage::Sus, KeyCode::Char(c @ '1'..='5')) => {
                Some(Action::Answer(c as u8 - b'0'))
            }
            (SurveyStage::Tlx, KeyCode::Left | KeyCode::Char('h') | KeyCode::Char('-')) => {
                Some(Action::Slide(-5))
            }
            (SurveyStage::Tlx, KeyCode::Right | KeyCode::Char('l') | KeyCode::Char('+')) => {
                Some(Action::Slide(5))
            }
            (SurveyStage::Tlx, KeyCode::Enter) => Some(Action::Submit),
            (SurveyStage::HandBack, KeyCode::Enter) => Some(Action::Submit),
            (SurveyStage::HandBack, _) => None,
            (_, KeyCode::Char('s') | KeyCode::Tab) => Some(Action::SkipItem),
            (_, KeyCode::Backspace) => Some(Action::BackItem),
            (_, KeyCode::Esc) => Some(Action::Cancel),
            _ => None,
        },
        // Nine kinds a page; a site's own kinds follow the built-in ones on the next pages.
        Mode::Picker { .. } => match key.code {
            KeyCode::Char(c @ '1'..='9') => Some(Action::Pick(c as usize - '1' as usize)),
            KeyCode::Tab => Some(Action::NextPage),
            KeyCode::Esc => Some(Action::Cancel),
            _ => None,
        },
        Mode::Text { .. } => match key.code {
            KeyCode::Char(c) => Some(Action::Type(c)),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Cancel),
            _ => None,
        },
        Mode::Search { .. } => match key.code {
            KeyCode::Char(c) => Some(Action::Type(c)),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Up => Some(Action::SelectUp),
            KeyCode::Down | KeyCode::Tab => Some(Action::SelectDown),
            _ => None,
        },
        Mode::Closed => None,
    }
}

/// The capture keys as built: the normal mode's defaults (the user's keymap may move them:
/// [`crate::tui::key_config`]), the help, the key hint under the screen (the footers,
/// `key what`), and the docs' key table.
pub const KEY_TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "Space",
        help: "start the next expected step of the pathway (ends the current one)",
        footer: Some("Spc next"),
        codes: &[(ch(' '), Action::NextStep)],
    },
    Binding {
        keys: "1-9, 0",
        help: "start step 1-10 of the list shown; the last key pages to the next ten",
        footer: Some("1-0 step"),
        codes: &[
            (ch('1'), Action::StartListed(0)),
            (ch('2'), Action::StartListed(1)),
            (ch('3'), Action::StartListed(2)),
            (ch('4'), Action::StartListed(3)),
            (ch('5'), Action::StartListed(4)),
            (ch('6'), Action::StartListed(5)),
            (ch('7'), Action::StartListed(6)),
            (ch('8'), Action::StartListed(7)),
            (ch('9'), Action::StartListed(8)),
            (ch('0'), Action::StartListed(9)),
            (key(KeyCode::Tab), Action::NextPage),
        ],
    },
    Binding {
        keys: "/",
        help: "search steps by name, or add an unplanned step by label",
        footer: Some("/ find"),
        codes: &[(ch('/'), Action::OpenSearch)],
    },
    Binding {
        keys: "e",
        help: "end the current step (idle)",
        footer: Some("e end"),
        codes: &[(ch('e'), Action::EndStep)],
    },
    Binding {
        keys: "c / C",
        help: "click +1 / -1",
        footer: Some("c/C click"),
        codes: &[(ch('c'), Action::Click(1)), (ch('C'), Action::Click(-1))],
    },
    Binding {
        keys: "s",
        help: "screen change +1",
        footer: Some("s screen"),
        codes: &[(ch('s'), Action::Screen)],
    },
    Binding {
        keys: "r",
        help: "re-entry (the same data typed again) +1",
        footer: Some("r re-entry"),
        codes: &[(ch('r'), Action::Reentry)],
    },
    Binding {
        keys: "i",
        help: "interruption: start one (then a source key); nested when one is open",
        footer: Some("i interrupt"),
        codes: &[(ch('i'), Action::OpenInterruption)],
    },
    Binding {
        keys: "I",
        help: "end the innermost interruption and resume (a step key = task switch)",
        footer: Some("I resume"),
        codes: &[(ch('I'), Action::ResumeInterrupted)],
    },
    Binding {
        keys: "w",
        help: "workaround (then a kind key, then an optional note)",
        footer: Some("w workaround"),
        codes: &[(ch('w'), Action::OpenWorkaround)],
    },
    Binding {
        keys: "x",
        help: "system problem (then a kind key, then an optional note)",
        footer: Some("x problem"),
        codes: &[(ch('x'), Action::OpenProblem)],
    },
    Binding {
        keys: "n",
        help: "note (a text field: Enter saves, Esc cancels)",
        footer: Some("n note"),
        codes: &[(ch('n'), Action::OpenNote)],
    },
    Binding {
        keys: "u",
        help: "undo the last event (recorded as an undo; nothing is rewritten)",
        footer: Some("u undo"),
        codes: &[(ch('u'), Action::Undo)],
    },
    Binding {
        keys: "p",
        help: "pause / resume",
        footer: Some("p pause"),
        codes: &[(ch('p'), Action::TogglePause)],
    },
    Binding {
        keys: "q",
        help: "finish the session (y or Enter finishes, any other key goes back)",
        footer: Some("q finish"),
        codes: &[(ch('q'), Action::AskFinish)],
    },
    Binding {
        keys: "?",
        help: "help",
        footer: Some("? help"),
        codes: &[(ch('?'), Action::ToggleHelp)],
    },
    Binding {
        keys: "Ctrl-C",
        help: "leave now: all is saved; the session stays open to continue later",
        footer: None,
        // The shared loop takes Ctrl-C on every screen.
        codes: &[],
    },
    Binding {
        keys: "R",
        help: "after NOT SAVED (a full disk): continue in a new journal segment",
        footer: None,
        // Only after a refused append: see `key_to_action`.
        codes: &[],
    },
];
