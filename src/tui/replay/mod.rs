//! The replay screen: a saved session on a timeline, with the comparator's view beside it.
//!
//! Key -> [`Action`] (`keys.rs`, reads the state only) -> [`update`] (`update.rs`, pure: the
//! clock reading comes in as `now_ms`) -> [`draw`] (`draw.rs`, reads only), run by the shared
//! loop ([`crate::tui::screen::run`]). The session is never written: the screen holds a copy
//! of its events and nothing here opens a file.

pub mod data;
mod draw;
pub mod keys;
pub mod playback;
mod update;

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;
use ratatui::Frame;

pub use data::{Expected, ReplayData, ReplayDeviation};
pub use draw::draw;
pub use keys::key_to_action;
pub use playback::{Playback, SPEEDS};
pub use update::update;

use super::screen::{Console, Ended, Screen};

/// How often the screen is redrawn while playing.
pub const FRAME: Duration = Duration::from_millis(50);

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

/// The replay on the shared loop: its clock starts when the screen opens; while playing it
/// wakes every [`FRAME`] to move the playhead.
pub struct ReplayScreen {
    pub state: ReplayState,
    origin: Instant,
}

impl ReplayScreen {
    pub fn new(state: ReplayState) -> ReplayScreen {
        ReplayScreen {
            state,
            origin: Instant::now(),
        }
    }

    fn since(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.origin).as_millis() as u64
    }
}

impl Screen for ReplayScreen {
    type Action = Action;
    type Effect = Effect;
    type Exit = ();

    fn action(&self, key: KeyEvent) -> Option<Action> {
        key_to_action(&self.state, key)
    }

    fn update(&mut self, action: Action, at: Instant) -> Vec<Effect> {
        let now_ms = self.since(at);
        update(&mut self.state, action, now_ms)
    }

    fn run_effects(
        &mut self,
        effects: Vec<Effect>,
        _console: &mut Console,
    ) -> io::Result<Option<Ended<()>>> {
        Ok(effects.contains(&Effect::Quit).then_some(Ended::Done(())))
    }

    fn draw(&self, frame: &mut Frame) {
        draw(&self.state, frame, frame.area());
    }

    fn tick(&mut self, now: Instant) -> Option<Duration> {
        let now_ms = self.since(now);
        update(&mut self.state, Action::Tick, now_ms);
        self.state.playback.playing.then_some(FRAME)
    }
}

#[cfg(test)]
pub(crate) mod testdata;
#[cfg(test)]
mod tests;
