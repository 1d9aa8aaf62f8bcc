//! The terminal: entering and restoring it (raw mode, alternate screen), a panic hook that
//! restores it before the error report prints, and the input thread that stamps every event
//! with the moment it was received.
//!
//! Every screen uses the same pieces:
//! ```no_run
//! # fn main() -> std::io::Result<()> {
//! let mut term = shadowmap::tui::terminal::enter()?; // restored on drop and on panic
//! let input = shadowmap::tui::terminal::Input::spawn();
//! while let Ok((at, event)) = input.recv() {
//!     // key -> action -> update(state, action, at) -> effects; drain, then draw once
//!     # let _ = (at, event); break;
//! }
//! term.draw(|frame| { /* draw(&state, frame) */ let _ = frame; })?;
//! # Ok(()) }
//! ```

use std::io::{self, Stdout, stdout};
use std::ops::{Deref, DerefMut};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal in raw mode on the alternate screen. Dropping it restores the terminal.
pub struct Tui {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

/// Whether the terminal is currently set up by us (so restoring twice does nothing).
static ENTERED: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Enters raw mode and the alternate screen, and installs the panic hook (once per process).
pub fn enter() -> io::Result<Tui> {
    install_panic_hook();
    enable_raw_mode()?;
    ENTERED.store(true, Ordering::SeqCst);
    if let Err(e) = execute!(stdout(), EnterAlternateScreen) {
        restore();
        return Err(e);
    }
    let terminal = match Terminal::new(CrosstermBackend::new(stdout())) {
        Ok(t) => t,
        Err(e) => {
            restore();
            return Err(e);
        }
    };
    Ok(Tui { terminal })
}

/// Leaves the alternate screen and raw mode. Safe to call more than once, and from a panic.
pub fn restore() {
    if ENTERED.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let _ = execute!(stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
    }
}

/// Chains a hook that restores the terminal in front of the hook already installed (color-eyre's
/// report), so a panic prints readably on a normal screen. Journals are untouched: every event
/// is already durable when the screen shows it.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

impl Deref for Tui {
    type Target = Terminal<CrosstermBackend<Stdout>>;
    fn deref(&self) -> &Self::Target {
        &self.terminal
    }
}

impl DerefMut for Tui {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.terminal
    }
}

/// An input event with the moment it was received from the terminal.
pub type Stamped = (Instant, Event);

/// The input thread: reads crossterm events, stamps each with `Instant::now()` at receipt and
/// sends it on a channel. Keeps only key presses (no repeats or releases) and passes resizes,
/// mouse, focus and paste events through. Stops when dropped.
pub struct Input {
    rx: Receiver<Stamped>,
    stop: Arc<AtomicBool>,
    handle: Mutex<Option<JoinHandle<()>>>,
}

/// How often the thread looks at its stop flag while no input arrives. An event is read as soon
/// as it is available; this only bounds how long dropping `Input` waits.
const STOP_CHECK: Duration = Duration::from_millis(50);

impl Input {
    pub fn spawn() -> Input {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("shadowmap-input".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    match event::poll(STOP_CHECK) {
                        Ok(true) => {}
                        Ok(false) => continue,
                        Err(_) => break,
                    }
                    let Ok(event) = event::read() else { break };
                    let at = Instant::now();
                    if keep(&event) && tx.send((at, event)).is_err() {
                        break;
                    }
                }
            })
            .expect("spawning the input thread");
        Input {
            rx,
            stop,
            handle: Mutex::new(Some(handle)),
        }
    }

    /// Waits for the next event; Err when the input thread has stopped (terminal closed).
    pub fn recv(&self) -> Result<Stamped, mpsc::RecvError> {
        self.rx.recv()
    }

    pub fn recv_timeout(&self, timeout: Duration) -> Result<Stamped, RecvTimeoutError> {
        self.rx.recv_timeout(timeout)
    }

    pub fn try_recv(&self) -> Result<Stamped, TryRecvError> {
        self.rx.try_recv()
    }

    /// Every event already queued, without waiting: the loop applies them all, then draws once.
    pub fn drain(&self) -> Vec<Stamped> {
        self.rx.try_iter().collect()
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Ok(mut handle) = self.handle.lock()
            && let Some(handle) = handle.take()
        {
            let _ = handle.join();
        }
    }
}

/// Key presses only (terminals with the kitty protocol also report repeats and releases);
/// every other event (resize, paste, focus, mouse) passes.
pub fn keep(event: &Event) -> bool {
    match event {
        Event::Key(key) => key.kind == KeyEventKind::Press,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyEventState, KeyModifiers};

    fn key(kind: KeyEventKind) -> Event {
        Event::Key(KeyEvent {
            code: KeyCode::Char('c'),
            modifiers: KeyModifiers::NONE,
            kind,
            state: KeyEventState::NONE,
        })
    }

    #[test]
    fn keeps_presses_and_resizes_only_among_keys() {
        assert!(keep(&key(KeyEventKind::Press)));
        assert!(!keep(&key(KeyEventKind::Release)));
        assert!(!keep(&key(KeyEventKind::Repeat)));
        assert!(keep(&Event::Resize(80, 24)));
    }

    #[test]
    fn restore_without_enter_does_nothing() {
        // Not entered: must not touch the terminal (and must not fail).
        restore();
        assert!(!ENTERED.load(Ordering::SeqCst));
    }
}
