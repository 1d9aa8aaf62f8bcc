//! The capture screen: one-key shadowing that never loses an event.
//!
//! key -> [`key_to_action`] (`keys.rs`) -> [`update`] (`update.rs`, pure, the offset of the key
//! press passed in) -> effects run by [`Capture`] (journal append, durable on return, then
//! `mark_saved`) -> [`CaptureState::settle`] derives the timeline, the list and the live
//! comparison -> [`draw()`] (`draw.rs`) reads the state. The shared loop
//! ([`crate::tui::screen::run`]) drains every queued event, then draws once. Deriving after the
//! append keeps its O(events) work (the comparator aligns the whole session again on a step
//! event) out of the time between a key and its event on disk.
//!
//! A refused append (a full disk, a failed sync) is never retried on the same journal segment:
//! the state keeps the unsaved events in memory and says so loudly; `R` asks the loop to
//! continue in a new journal segment holding them ([`Journal::start_new_segment`]).

pub mod draw;
pub mod keys;
pub mod live;
pub mod state;
mod update;

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event as TermEvent, KeyEvent};
use ratatui::Frame;

use crate::model::session::Event;

pub use draw::draw;
pub use keys::key_to_action;
pub use state::{Action, CaptureState, Effect, Mode};
pub use update::update;

use super::screen::{Console, Ended, Meaning, Screen, meaning};

/// Where events go to be durable: the store's `SessionWriter` in the program, a vector in tests.
pub trait Journal {
    /// Ok only once the event is durable (appended and synced).
    fn append(&mut self, event: &Event) -> Result<(), String>;
    /// After a refused append: continue in a new segment holding `pending` (the events not
    /// saved, in order). Ok only once they are durable.
    fn start_new_segment(&mut self, pending: &[Event]) -> Result<(), String>;
}

impl Journal for crate::store::SessionWriter {
    fn append(&mut self, event: &Event) -> Result<(), String> {
        crate::store::SessionWriter::append(self, event).map_err(|e| e.to_string())
    }

    fn start_new_segment(&mut self, pending: &[Event]) -> Result<(), String> {
        crate::store::SessionWriter::start_new_segment(self, pending)
            .map_err(|e| format!("the new journal segment could not be written either: {e}"))
    }
}

/// An in-memory journal, for tests and benchmarks of the screen alone.
impl Journal for Vec<Event> {
    fn append(&mut self, event: &Event) -> Result<(), String> {
        self.push(event.clone());
        Ok(())
    }

    fn start_new_segment(&mut self, pending: &[Event]) -> Result<(), String> {
        self.extend_from_slice(pending);
        Ok(())
    }
}

/// What the loop does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// The finish event is saved: write the snapshot.
    Finish,
    /// Ctrl-C: leave the session unfinished (all it holds is saved).
    Leave,
}

/// A capture in progress: the state, its journal and the session's start on the monotonic
/// clock (offsets are key receipt time minus this).
pub struct Capture<J: Journal> {
    pub state: CaptureState,
    pub journal: J,
    start: Instant,
    /// The offset of `start`: 0 for a new session, the reopening's offset for a continued one.
    base_ms: u64,
}

impl<J: Journal> Capture<J> {
    pub fn new(state: CaptureState, journal: J, start: Instant) -> Capture<J> {
        Capture {
            state,
            journal,
            start,
            base_ms: 0,
        }
    }

    /// A continued session: the monotonic clock restarts at `now`, which is offset `at_ms`
    /// (the reopening's) on the session's clock.
    pub fn resumed(state: CaptureState, journal: J, now: Instant, at_ms: u64) -> Capture<J> {
        Capture {
            state,
            journal,
            start: now,
            base_ms: at_ms,
        }
    }

    pub fn into_parts(self) -> (CaptureState, J) {
        (self.state, self.journal)
    }

    pub fn start(&self) -> Instant {
        self.start
    }

    /// Milliseconds from the session's start to `at`.
    pub fn offset(&self, at: Instant) -> u64 {
        self.base_ms + at.saturating_duration_since(self.start).as_millis() as u64
    }

    /// One input event, stamped at receipt, as the shared loop takes it: Ctrl-C leaves; a
    /// key -> action -> update -> effects; a paste is text.
    pub fn handle(&mut self, at: Instant, event: &TermEvent) -> Flow {
        match meaning(self, event) {
            Meaning::Interrupt => Flow::Leave,
            Meaning::Nothing => Flow::Continue,
            Meaning::Act(action) => {
                let effects = Screen::update(self, action, at);
                self.run(effects)
            }
        }
    }

    /// Runs effects in order: an event is marked saved only after the journal made it durable;
    /// a refused append stops all writing (the state keeps what is unsaved) until a new
    /// segment holds the unsaved events. Then derives what the events logged changed.
    pub fn run(&mut self, effects: Vec<Effect>) -> Flow {
        let flow = self.run_in_order(effects);
        self.state.settle();
        flow
    }

    fn run_in_order(&mut self, effects: Vec<Effect>) -> Flow {
        let mut flow = Flow::Continue;
        for effect in effects {
            match effect {
                Effect::Append(event) => match self.journal.append(&event) {
                    Ok(()) => self.state.mark_saved(event.seq),
                    Err(message) => {
                        self.state.fail(message);
                        return Flow::Continue;
                    }
                },
                Effect::NewSegment(pending) => match self.journal.start_new_segment(&pending) {
                    Ok(()) => {
                        let more = self.state.segment_saved(pending.last().map(|e| e.seq));
                        let next = self.run_in_order(more);
                        if next != Flow::Continue {
                            flow = next;
                        }
                    }
                    Err(message) => {
                        self.state.fail(message);
                        return Flow::Continue;
                    }
                },
                Effect::Finish => flow = Flow::Finish,
                Effect::Leave => flow = Flow::Leave,
            }
        }
        flow
    }

    /// Moves the clocks on to `now`.
    pub fn tick(&mut self, now: Instant) {
        let ms = self.offset(now);
        self.state.tick(ms);
    }

    /// The time until the session clock shows its next second.
    fn until_next_second(&self, now: Instant) -> Duration {
        let ms = self.offset(now);
        Duration::from_millis(1000 - ms % 1000)
    }
}

impl<J: Journal> Screen for Capture<J> {
    type Action = Action;
    type Effect = Effect;
    type Exit = Flow;

    fn action(&self, key: KeyEvent) -> Option<Action> {
        key_to_action(&self.state, key)
    }

    fn paste(&self, text: &str) -> Option<Action> {
        keys::paste_to_action(&self.state, text)
    }

    /// The state's update without deriving: that waits until the effects ran (`run`).
    fn update(&mut self, action: Action, at: Instant) -> Vec<Effect> {
        let at_ms = self.offset(at);
        self.state.update(action, at_ms)
    }

    fn run_effects(
        &mut self,
        effects: Vec<Effect>,
        _console: &mut Console,
    ) -> io::Result<Option<Ended<Flow>>> {
        let flow = self.run(effects);
        Ok((flow != Flow::Continue).then_some(Ended::Done(flow)))
    }

    fn draw(&self, frame: &mut Frame) {
        draw(&self.state, frame, frame.area());
    }

    /// The clocks on screen move every second of the session's clock.
    fn tick(&mut self, now: Instant) -> Option<Duration> {
        Capture::tick(self, now);
        Some(self.until_next_second(now))
    }
}

#[cfg(test)]
mod live_tests;
#[cfg(test)]
mod site_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod update_tests;
#[cfg(test)]
mod vocab_tests;
