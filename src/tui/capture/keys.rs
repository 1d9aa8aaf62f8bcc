//! Keys to actions (domain.md section 10). Reads the state's mode only; changes nothing.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::{Action, CaptureState, Mode};

/// What a key means in the state's current mode; None for a key that means nothing now.
pub fn key_to_action(state: &CaptureState, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // Ctrl-C leaves at once: every event shown as saved is on disk already.
        return match key.code {
            KeyCode::Char('c') | KeyCode::Char('C') => Some(Action::Leave),
            _ => None,
        };
    }
    if key
        .modifiers
        .intersects(KeyModifiers::ALT | KeyModifiers::SUPER)
    {
        return None;
    }
    match &state.mode {
        // After a refused append, `R` continues in a new journal segment.
        Mode::Normal if state.failed.is_some() && key.code == KeyCode::Char('R') => {
            Some(Action::NewSegment)
        }
        Mode::Normal => normal(key.code),
        Mode::Help => Some(Action::ToggleHelp),
        Mode::ConfirmFinish => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => Some(Action::ConfirmFinish),
            _ => Some(Action::DeclineFinish),
        },
        Mode::Picker { .. } => match key.code {
            KeyCode::Char(c @ '1'..='9') => Some(Action::Pick(c as usize - '1' as usize)),
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

fn normal(code: KeyCode) -> Option<Action> {
    Some(match code {
        KeyCode::Char(' ') => Action::NextStep,
        KeyCode::Char(c @ '1'..='9') => Action::StartListed(c as usize - '1' as usize),
        KeyCode::Char('0') => Action::StartListed(9),
        KeyCode::Tab => Action::NextPage,
        KeyCode::Char('/') => Action::OpenSearch,
        KeyCode::Char('e') => Action::EndStep,
        KeyCode::Char('c') => Action::Click(1),
        KeyCode::Char('C') => Action::Click(-1),
        KeyCode::Char('s') => Action::Screen,
        KeyCode::Char('r') => Action::Reentry,
        KeyCode::Char('i') => Action::OpenInterruption,
        KeyCode::Char('I') => Action::ResumeInterrupted,
        KeyCode::Char('w') => Action::OpenWorkaround,
        KeyCode::Char('x') => Action::OpenProblem,
        KeyCode::Char('n') => Action::OpenNote,
        KeyCode::Char('u') => Action::Undo,
        KeyCode::Char('p') => Action::TogglePause,
        KeyCode::Char('q') => Action::AskFinish,
        KeyCode::Char('?') => Action::ToggleHelp,
        _ => return None,
    })
}

/// The key table shown by the help and the README: (keys, what they do).
pub const KEY_TABLE: &[(&str, &str)] = &[
    (
        "Space",
        "start the next expected step of the pathway (ends the current one)",
    ),
    (
        "1-9, 0",
        "start step 1-10 of the list shown; Tab pages to the next ten",
    ),
    (
        "/",
        "search steps by name, or add an unplanned step by label",
    ),
    ("e", "end the current step (idle)"),
    ("c / C", "click +1 / -1"),
    ("s", "screen change +1"),
    ("r", "re-entry (the same data typed again) +1"),
    (
        "i",
        "interruption: start one (then a source key); nested when one is open",
    ),
    (
        "I",
        "end the innermost interruption and resume (a step key = task switch)",
    ),
    ("w", "workaround (then a kind key, then an optional note)"),
    (
        "x",
        "system problem (then a kind key, then an optional note)",
    ),
    ("n", "note (a text field: Enter saves, Esc cancels)"),
    (
        "u",
        "undo the last event (recorded as an undo; nothing is rewritten)",
    ),
    ("p", "pause / resume"),
    (
        "q",
        "finish the session (y or Enter finishes, any other key goes back)",
    ),
    ("?", "help"),
    (
        "Ctrl-C",
        "leave now: all is saved; the session stays open to continue later",
    ),
    (
        "R",
        "after NOT SAVED (a full disk): continue in a new journal segment",
    ),
];
