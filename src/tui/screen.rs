//! The screen contract and the one loop every screen runs in.
//!
//! ```text
//!  input thread ──(stamped key, paste, resize; end of input; SIGTERM/SIGHUP)──▶ run()
//!                                                                               │
//!   Ctrl-C, end of input, a signal ─────────────▶ Ended::Interrupted            │
//!   key ──keys.rs──▶ Action ──update.rs──▶ Vec<Effect> ──Screen::run_effects──▶ │ drain the
//!   paste ─────────▶ Action    (no I/O,       (journal append, overrides       │ queue, then
//!                               no clock)      file, another screen)           ▼ draw once
//!                                                                   draw.rs(&state, frame)
//! ```
//!
//! A screen lives in `src/tui/<screen>/`: `keys.rs` (one key table: matching, help, footer),
//! `update.rs` (`update(&mut State, Action, now) -> Vec<Effect>`, pure) and `draw.rs`
//! (`draw(&State, frame, area)`, reads only). Its `mod.rs` implements [`Screen`]: it converts
//! the receipt instant to the screen's own clock and runs the effects, in one place.

use std::collections::VecDeque;
use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Size;

use super::terminal::{self, Input, Interruption, Received, Tui};

/// A screen as the loop drives it.
pub trait Screen {
    type Action;
    type Effect;
    /// How the screen ends when the user leaves it.
    type Exit;

    /// What a key press means now: the screen's key table, reading the state only. Ctrl-C
    /// never gets here.
    fn action(&self, key: KeyEvent) -> Option<Self::Action>;

    /// What a paste means now: text, never keys. Nothing, unless a text field is open.
    fn paste(&self, _text: &str) -> Option<Self::Action> {
        None
    }

    /// `update(state, action, now)`, with `at` (the key's receipt) on the screen's clock.
    fn update(&mut self, action: Self::Action, at: Instant) -> Vec<Self::Effect>;

    /// Runs the effects, in order (I/O happens here and nowhere else); Some to leave (a screen
    /// opened by an effect may have been interrupted: pass that on).
    fn run_effects(
        &mut self,
        effects: Vec<Self::Effect>,
        console: &mut Console,
    ) -> io::Result<Option<Ended<Self::Exit>>>;

    fn draw(&self, frame: &mut Frame);

    /// Moves the screen's clocks on to `now`; Some(wait): wake after it even without input.
    fn tick(&mut self, _now: Instant) -> Option<Duration> {
        None
    }

    /// The terminal's size before each draw (a page of rows follows it).
    fn resized(&mut self, _size: Size) {}
}

/// How a screen ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended<T> {
    /// The user left it.
    Done(T),
    /// Ctrl-C, the end of input, or a signal: leave shadowmap now (everything shown as saved is
    /// on disk). A screen that opened this one passes it on.
    Interrupted(Interruption),
}

/// Ctrl-C: the same on every screen, so the loop takes it before any key table.
pub fn is_interrupt(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('C'))
}

/// What one input event means for a screen: an interruption, an action, or nothing.
pub enum Meaning<A> {
    Interrupt,
    Act(A),
    Nothing,
}

/// Ctrl-C interrupts; a key goes through the screen's key table; a paste is text.
pub fn meaning<S: Screen + ?Sized>(screen: &S, event: &Event) -> Meaning<S::Action> {
    let action = match event {
        Event::Key(key) if is_interrupt(key) => return Meaning::Interrupt,
        Event::Key(key) => screen.action(*key),
        Event::Paste(text) => screen.paste(text),
        // A resize needs only the redraw that follows every batch.
        _ => None,
    };
    action.map_or(Meaning::Nothing, Meaning::Act)
}

/// The terminal and its input, shared by the screens of one run of the program. Dropping it
/// restores the terminal, then says on standard error why the program was interrupted (end
/// of input, a signal).
pub struct Console {
    tui: Option<Tui>,
    input: Input,
    /// Events read in a batch after the screen that was handling it ended: typed ahead for
    /// the next screen (Enter on the start form, then Space at once), so they are given to it
    /// first instead of being dropped.
    held: VecDeque<Received>,
    interrupted: Option<Interruption>,
}

impl Console {
    /// Raw mode, the alternate screen, bracketed paste, and the input thread.
    pub fn open() -> io::Result<Console> {
        let tui = terminal::enter()?;
        Ok(Console {
            tui: Some(tui),
            input: Input::spawn(),
            held: VecDeque::new(),
            interrupted: None,
        })
    }

    /// The terminal, entered again after [`Console::step_out`].
    fn tui(&mut self) -> io::Result<&mut Tui> {
        if self.tui.is_none() {
            self.tui = Some(terminal::enter()?);
        }
        Ok(self.tui.as_mut().expect("entered just now"))
    }

    pub fn draw(&mut self, render: impl FnOnce(&mut Frame)) -> io::Result<()> {
        self.tui()?.draw(render)?;
        Ok(())
    }

    pub fn size(&mut self) -> io::Result<Size> {
        self.tui()?.size()
    }

    /// Runs `work` on the normal screen (it may print), then comes back to a fresh alternate
    /// screen at the next draw.
    pub fn step_out<T>(&mut self, work: impl FnOnce() -> T) -> T {
        drop(self.tui.take());
        work()
    }

    /// The next event, waiting at most `wait` (None: until there is one). Remembers an
    /// interruption so that it is reported when the console closes.
    fn next(&mut self, wait: Option<Duration>) -> Option<Received> {
        if let Some(held) = self.held.pop_front() {
            return Some(held);
        }
        let received = self.input.next(wait);
        self.remember(received.as_ref());
        received
    }

    fn drain(&mut self) -> Vec<Received> {
        let mut batch: Vec<Received> = self.held.drain(..).collect();
        let queued = self.input.drain();
        for received in &queued {
            self.remember(Some(received));
        }
        batch.extend(queued);
        batch
    }

    /// Keeps what is left of a batch for the next screen.
    fn hold(&mut self, rest: impl Iterator<Item = Received>) {
        let mut rest: VecDeque<Received> = rest.collect();
        rest.append(&mut self.held);
        self.held = rest;
    }

    fn remember(&mut self, received: Option<&Received>) {
        if let Some(Received::Ended(why)) = received
            && self.interrupted.is_none()
        {
            self.interrupted = Some(why.clone());
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        drop(self.tui.take());
        match &self.interrupted {
            None | Some(Interruption::CtrlC) => {}
            Some(why) => eprintln!("{why}"),
        }
    }
}

/// The loop: wait for input (or the screen's next tick), drain every queued event, apply each
/// (key -> action -> update -> effects), then draw once. Ends when the screen's effects say
/// so, or at the first interruption.
pub fn run<S: Screen>(screen: &mut S, console: &mut Console) -> io::Result<Ended<S::Exit>> {
    let mut wait = screen.tick(Instant::now());
    redraw(screen, console)?;
    loop {
        let first = console.next(wait);
        let rest = if first.is_some() {
            console.drain()
        } else {
            Vec::new()
        };
        let mut batch = first.into_iter().chain(rest);
        while let Some(received) = batch.next() {
            let (at, event) = match received {
                Received::Event(stamped) => stamped,
                Received::Ended(why) => return Ok(Ended::Interrupted(why)),
            };
            match meaning(screen, &event) {
                Meaning::Interrupt => return Ok(Ended::Interrupted(Interruption::CtrlC)),
                Meaning::Nothing => {}
                Meaning::Act(action) => {
                    let effects = screen.update(action, at);
                    if let Some(ended) = screen.run_effects(effects, console)? {
                        console.hold(batch);
                        return Ok(ended);
                    }
                }
            }
        }
        wait = screen.tick(Instant::now());
        redraw(screen, console)?;
    }
}

fn redraw<S: Screen>(screen: &mut S, console: &mut Console) -> io::Result<()> {
    let size = console.size()?;
    screen.resized(size);
    console.draw(|frame| screen.draw(frame))
}
