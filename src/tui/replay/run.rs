//! The replay's event loop: stamped input in, actions through `update`, one draw per batch.
//! While playing, the loop wakes every [`FRAME`] to advance the playhead from the clock.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyModifiers};
use std::sync::mpsc::RecvTimeoutError;

use super::{Action, Effect, ReplayState, draw, key_to_action, update};
use crate::tui::terminal::{Input, Stamped, Tui};

/// How often the screen is redrawn while playing.
pub const FRAME: Duration = Duration::from_millis(50);

/// Runs the replay screen until the user leaves it (`q`, `Esc`, `Ctrl-C`) or the input ends.
pub fn run(tui: &mut Tui, input: &Input, state: &mut ReplayState) -> io::Result<()> {
    let origin = Instant::now();
    let since = |at: Instant| at.saturating_duration_since(origin).as_millis() as u64;
    tui.draw(|frame| draw(state, frame))?;
    loop {
        let first = if state.playback.playing {
            match input.recv_timeout(FRAME) {
                Ok(event) => Some(event),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
        } else {
            match input.recv() {
                Ok(event) => Some(event),
                Err(_) => return Ok(()),
            }
        };
        let batch: Vec<Stamped> = first.into_iter().chain(input.drain()).collect();
        for (at, event) in batch {
            let Event::Key(key) = event else { continue };
            let action = if key.code == KeyCode::Char('c')
                && key.modifiers.contains(KeyModifiers::CONTROL)
            {
                Some(Action::Quit)
            } else {
                key_to_action(state, key)
            };
            if let Some(action) = action
                && update(state, action, since(at)).contains(&Effect::Quit)
            {
                return Ok(());
            }
        }
        update(state, Action::Tick, since(Instant::now()));
        tui.draw(|frame| draw(state, frame))?;
    }
}
