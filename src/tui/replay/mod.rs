//! The replay screen: a saved session on a timeline, with the comparator's view beside it.
//!
//! Key -> [`Action`] ([`key_to_action`], reads the state only) -> [`update`] (pure: the clock
//! reading comes in as `now_ms`) -> [`draw`] (reads only). The session is never written:
//! the screen holds a copy of its events and nothing here opens a file.

pub mod data;
mod draw;
pub mod playback;
mod run;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use data::{Expected, ReplayData, ReplayDeviation};
pub use draw::draw;
pub use playback::{Playback, SPEEDS};
pub use run::{FRAME, run};

use data::{clock, parse_time, parse_wall_time};

/// Seek steps of the arrow keys.
pub const SHORT_SEEK_MS: i64 = 10_000;
pub const LONG_SEEK_MS: i64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    TogglePlay,
    Faster,
    Slower,
    SeekBy(i64),
    SeekTo(u64),
    Start,
    End,
    NextEvent,
    PreviousEvent,
    NextDeviation,
    PreviousDeviation,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    /// Opens the "go to time" prompt.
    GoTo,
    Type(char),
    Backspace,
    Submit,
    Cancel,
    Help,
    /// The clock moved: advance the playhead.
    Tick,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Leave the replay (to the browser, or out of the program).
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a time to go to.
    GoTo(String),
    Help,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplayState {
    pub data: ReplayData,
    pub playback: Playback,
    pub mode: Mode,
    /// A one-line message: what the last action could not do, or did.
    pub status: String,
}

impl ReplayState {
    pub fn new(data: ReplayData) -> ReplayState {
        let playback = Playback::new(data.end_ms());
        ReplayState {
            data,
            playback,
            mode: Mode::Normal,
            status: String::new(),
        }
    }

    pub fn position_ms(&self) -> u64 {
        self.playback.position_ms
    }

    pub fn current_step(&self) -> Option<usize> {
        self.data.step_at(self.position_ms())
    }

    pub fn current_deviation(&self) -> Option<usize> {
        self.data
            .deviation_for(self.position_ms(), self.current_step())
    }
}

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
        Mode::Normal => {
            let shift = key.modifiers.contains(KeyModifiers::SHIFT);
            Some(match key.code {
                KeyCode::Char(' ') | KeyCode::Char('k') => Action::TogglePlay,
                KeyCode::Char(']') | KeyCode::Char('>') => Action::Faster,
                KeyCode::Char('[') | KeyCode::Char('<') => Action::Slower,
                KeyCode::Left if shift => Action::SeekBy(-LONG_SEEK_MS),
                KeyCode::Right if shift => Action::SeekBy(LONG_SEEK_MS),
                KeyCode::Left | KeyCode::Char('h') => Action::SeekBy(-SHORT_SEEK_MS),
                KeyCode::Right | KeyCode::Char('l') => Action::SeekBy(SHORT_SEEK_MS),
                KeyCode::Down => Action::SeekBy(-LONG_SEEK_MS),
                KeyCode::Up => Action::SeekBy(LONG_SEEK_MS),
                KeyCode::Home => Action::Start,
                KeyCode::End => Action::End,
                KeyCode::Char('.') => Action::NextEvent,
                KeyCode::Char(',') => Action::PreviousEvent,
                KeyCode::Char('d') | KeyCode::Tab => Action::NextDeviation,
                KeyCode::Char('D') | KeyCode::BackTab => Action::PreviousDeviation,
                KeyCode::Char('+') | KeyCode::Char('=') | KeyCode::Char('z') => Action::ZoomIn,
                KeyCode::Char('-') | KeyCode::Char('Z') => Action::ZoomOut,
                KeyCode::Char('0') => Action::ZoomReset,
                KeyCode::Char('g') | KeyCode::Char('t') => Action::GoTo,
                KeyCode::Char('?') => Action::Help,
                KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
                _ => return None,
            })
        }
    }
}

/// Applies an action at clock reading `now_ms`. No I/O, no clock read.
pub fn update(state: &mut ReplayState, action: Action, now_ms: u64) -> Vec<Effect> {
    state.playback.advance(now_ms);
    if action != Action::Tick {
        state.status.clear();
    }
    let position = state.position_ms();
    match action {
        Action::Tick => {}
        Action::TogglePlay => state.playback.toggle(now_ms),
        Action::Faster => state.playback.faster(now_ms),
        Action::Slower => state.playback.slower(now_ms),
        Action::SeekBy(delta) => state.playback.seek_by(delta, now_ms),
        Action::SeekTo(at) => state.playback.seek_to(at, now_ms),
        Action::Start => state.playback.seek_to(0, now_ms),
        Action::End => state.playback.seek_to(u64::MAX, now_ms),
        Action::NextEvent => match state.data.next_event_ms(position) {
            Some(at) => state.playback.seek_to(at, now_ms),
            None => state.status = "no event after this one".into(),
        },
        Action::PreviousEvent => match state.data.previous_event_ms(position) {
            Some(at) => state.playback.seek_to(at, now_ms),
            None => state.status = "no event before this one".into(),
        },
        Action::NextDeviation => match state.data.next_deviation_ms(position) {
            Some(at) => {
                state.playback.seek_to(at, now_ms);
                state.playback.playing = false;
            }
            None => state.status = no_deviation(state, "after"),
        },
        Action::PreviousDeviation => match state.data.previous_deviation_ms(position) {
            Some(at) => {
                state.playback.seek_to(at, now_ms);
                state.playback.playing = false;
            }
            None => state.status = no_deviation(state, "before"),
        },
        Action::ZoomIn => {
            state.playback.zoom_in();
            if state.playback.zoom == state.playback.max_zoom() {
                state.status = format!("zoom {}x is the closest", state.playback.zoom_factor());
            }
        }
        Action::ZoomOut => state.playback.zoom_out(),
        Action::ZoomReset => state.playback.zoom_reset(),
        Action::GoTo => state.mode = Mode::GoTo(String::new()),
        Action::Type(c) => {
            if let Mode::GoTo(text) = &mut state.mode
                && text.len() < 12
            {
                text.push(c);
            }
        }
        Action::Backspace => {
            if let Mode::GoTo(text) = &mut state.mode {
                text.pop();
            }
        }
        Action::Submit => {
            if let Mode::GoTo(text) = &state.mode {
                let at = if text.starts_with('@') {
                    parse_wall_time(text, state.data.header.started_at)
                } else {
                    parse_time(text, position)
                };
                match at {
                    Some(at) => {
                        state.playback.seek_to(at, now_ms);
                        state.mode = Mode::Normal;
                    }
                    None => {
                        state.status = format!(
                            "`{text}` is not a time: type 4:12, 1:02:03, 90, +30, -1:00 or @09:22"
                        );
                    }
                }
            }
        }
        Action::Cancel => state.mode = Mode::Normal,
        Action::Help => state.mode = Mode::Help,
        Action::Quit => return vec![Effect::Quit],
    }
    Vec::new()
}

fn no_deviation(state: &ReplayState, direction: &str) -> String {
    if state.data.deviations.is_empty() {
        match &state.data.comparison_note {
            Some(note) => note.clone(),
            None => "no deviation in this session".into(),
        }
    } else {
        format!("no deviation {direction} {}", clock(state.position_ms()))
    }
}

#[cfg(test)]
pub(crate) mod testdata;
#[cfg(test)]
mod tests;
