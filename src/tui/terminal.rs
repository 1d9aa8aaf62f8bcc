//! The terminal: entering and restoring it (raw mode, alternate screen, bracketed paste), a
//! panic hook that restores it before the error report prints, the input thread that stamps
//! every event with the moment it was received, and the end of input and SIGTERM/SIGHUP as
//! interruptions. Screens do not use these pieces directly: [`super::screen::Console`] holds
//! them and [`super::screen::run`] is the one loop.

use std::io::{self, Stdout, stdout};
use std::ops::{Deref, DerefMut};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
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
    // Bracketed paste: a paste arrives as one text, never as keys.
    if let Err(e) = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste) {
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
        let _ = execute!(
            stdout(),
            DisableBracketedPaste,
            LeaveAlternateScreen,
            crossterm::cursor::Show
        );
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

/// Why a screen stopped before the user chose to leave it. Every case ends the screen as
/// Ctrl-C does: every event the screen showed as saved is on disk already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Interruption {
    /// Ctrl-C, on any screen.
    CtrlC,
    /// The terminal's input ended or failed (a closed or deleted terminal): the reason.
    InputEnded(String),
    /// SIGTERM or SIGHUP: its name.
    Signal(&'static str),
}

impl std::fmt::Display for Interruption {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self {
            Interruption::CtrlC => "Ctrl-C".to_string(),
            Interruption::InputEnded(reason) => format!("the terminal's input ended ({reason})"),
            Interruption::Signal(name) => format!("{name} received"),
        };
        write!(
            f,
            "shadowmap: {why}: left as Ctrl-C leaves; every event shown as saved is on disk"
        )
    }
}

/// What the input thread hands to the loop.
#[derive(Debug)]
pub enum Received {
    Event(Stamped),
    Ended(Interruption),
}

/// The input thread: reads crossterm events, stamps each with `Instant::now()` at receipt and
/// sends it on a channel. Keeps only key presses (no repeats or releases) and passes resizes,
/// mouse, focus and paste events through. When the terminal hangs up or its input fails it
/// sends [`Received::Ended`] and stops (crossterm's own reader would spin on a dead terminal);
/// SIGTERM and SIGHUP arrive on the same channel. Stops when dropped.
pub struct Input {
    rx: Receiver<Received>,
    stop: Arc<AtomicBool>,
    /// Set when the terminal hung up: crossterm's reader may then be stuck in its own loop,
    /// so the input thread is not waited for.
    hung_up: Arc<AtomicBool>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// How often the threads look at their stop flag while no input arrives. An event is read as
/// soon as it is available; this only bounds how long dropping `Input` waits.
const STOP_CHECK: Duration = Duration::from_millis(50);

impl Input {
    pub fn spawn() -> Input {
        let (tx, rx) = mpsc::channel();
        signals::forward_to(tx.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let hung_up = Arc::new(AtomicBool::new(false));
        let reader = {
            let (stop, tx) = (Arc::clone(&stop), tx.clone());
            std::thread::Builder::new()
                .name("shadowmap-input".into())
                .spawn(move || {
                    if let Err(ended) = read_events(&stop, &tx) {
                        let _ = tx.send(Received::Ended(ended));
                    }
                })
                .expect("spawning the input thread")
        };
        let watcher = {
            let (stop, hung_up) = (Arc::clone(&stop), Arc::clone(&hung_up));
            std::thread::Builder::new()
                .name("shadowmap-hangup".into())
                .spawn(move || {
                    let watch = hangup::Watch::open();
                    while !stop.load(Ordering::Relaxed) {
                        if let Err(ended) = watch.check(STOP_CHECK) {
                            hung_up.store(true, Ordering::SeqCst);
                            let _ = tx.send(Received::Ended(ended));
                            break;
                        }
                    }
                })
                .expect("spawning the hang-up watch")
        };
        Input {
            rx,
            stop,
            hung_up,
            threads: Mutex::new(vec![watcher, reader]),
        }
    }

    /// Waits for the next event, at most `wait` (None: as long as it takes). None on timeout;
    /// an interruption when the input thread has stopped.
    pub fn next(&self, wait: Option<Duration>) -> Option<Received> {
        let received = match wait {
            None => self.rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(wait) => self.rx.recv_timeout(wait),
        };
        match received {
            Ok(received) => Some(received),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Received::Ended(Interruption::InputEnded(
                "the input thread stopped".into(),
            ))),
        }
    }

    /// Every event already queued, without waiting: the loop applies them all, then draws once.
    pub fn drain(&self) -> Vec<Received> {
        self.rx.try_iter().collect()
    }
}

/// Reads until stopped; Err with the reason when reading fails.
fn read_events(stop: &AtomicBool, tx: &mpsc::Sender<Received>) -> Result<(), Interruption> {
    let failed = |e: io::Error| Interruption::InputEnded(format!("reading it failed: {e}"));
    while !stop.load(Ordering::Relaxed) {
        if !event::poll(STOP_CHECK).map_err(failed)? {
            continue;
        }
        let event = event::read().map_err(failed)?;
        let at = Instant::now();
        if keep(&event) && tx.send(Received::Event((at, event))).is_err() {
            break;
        }
    }
    Ok(())
}

impl Drop for Input {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        signals::stop_forwarding();
        let hung_up = self.hung_up.load(Ordering::SeqCst);
        if let Ok(mut threads) = self.threads.lock() {
            let watcher = threads.drain(..1).next();
            if let Some(watcher) = watcher {
                let _ = watcher.join();
            }
            // After a hang-up crossterm's reader may spin in its own loop: the process ends
            // without waiting for it.
            if !hung_up {
                for thread in threads.drain(..) {
                    let _ = thread.join();
                }
            }
        }
    }
}

/// Watching the terminal for a hang-up with poll(2): crossterm's reader never returns from a
/// terminal that hung up (its every read ends at once with nothing), so the end of input is
/// seen here, beside it.
#[cfg(unix)]
mod hangup {
    use std::os::fd::RawFd;
    use std::time::Duration;

    use super::Interruption;

    /// The descriptor crossterm reads: standard input when it is a terminal, else `/dev/tty`
    /// (kept open here so that the descriptor stays valid).
    pub struct Watch {
        fd: Option<RawFd>,
        _tty: Option<std::fs::File>,
    }

    impl Watch {
        pub fn open() -> Watch {
            // SAFETY: isatty only inspects the descriptor.
            if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
                return Watch {
                    fd: Some(libc::STDIN_FILENO),
                    _tty: None,
                };
            }
            let tty = std::fs::File::open("/dev/tty").ok();
            Watch {
                fd: tty.as_ref().map(std::os::fd::AsRawFd::as_raw_fd),
                _tty: tty,
            }
        }

        /// Waits up to `wait`; Err when the terminal hung up or failed. Bytes to read do not
        /// wake it (no events asked for: only a hang-up or an error is reported).
        pub fn check(&self, wait: Duration) -> Result<(), Interruption> {
            let Some(fd) = self.fd else {
                std::thread::sleep(wait);
                return Ok(());
            };
            let mut poll = libc::pollfd {
                fd,
                events: 0,
                revents: 0,
            };
            let millis = libc::c_int::try_from(wait.as_millis()).unwrap_or(libc::c_int::MAX);
            // SAFETY: one valid pollfd, its count, a timeout.
            let n = unsafe { libc::poll(&mut poll, 1, millis) };
            if n < 0 {
                let error = std::io::Error::last_os_error();
                if error.kind() == std::io::ErrorKind::Interrupted {
                    return Ok(());
                }
                return Err(Interruption::InputEnded(format!(
                    "polling it failed: {error}"
                )));
            }
            if poll.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
                return Err(Interruption::InputEnded("the terminal hung up".into()));
            }
            Ok(())
        }
    }
}

#[cfg(not(unix))]
mod hangup {
    use std::time::Duration;

    use super::Interruption;

    pub struct Watch;

    impl Watch {
        pub fn open() -> Watch {
            Watch
        }

        pub fn check(&self, wait: Duration) -> Result<(), Interruption> {
            std::thread::sleep(wait);
            Ok(())
        }
    }
}

/// SIGTERM and SIGHUP end the screen as Ctrl-C does: the signal goes to the input channel, the
/// loop leaves and the terminal is restored on the way out. If the program has not ended
/// within [`SIGNAL_GRACE`] (a long computation between screens), the terminal is restored
/// here and the process exits: every event is already saved.
#[cfg(unix)]
mod signals {
    use std::sync::mpsc::Sender;
    use std::sync::{Mutex, Once};

    use signal_hook::consts::{SIGHUP, SIGTERM};
    use signal_hook::iterator::Signals;

    use super::{Interruption, Received, SIGNAL_GRACE, restore};

    static FORWARD: Mutex<Option<Sender<Received>>> = Mutex::new(None);
    static INSTALL: Once = Once::new();

    /// Whether the program was started with `sig` ignored (`nohup`): it stays ignored.
    fn inherited_ignore(sig: libc::c_int) -> bool {
        // SAFETY: a query only (no new action); `old` is plain data.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut old) == 0
                && old.sa_sigaction == libc::SIG_IGN
        }
    }

    pub fn forward_to(tx: Sender<Received>) {
        if let Ok(mut slot) = FORWARD.lock() {
            *slot = Some(tx);
        }
        INSTALL.call_once(|| {
            let wanted: Vec<libc::c_int> = [SIGTERM, SIGHUP]
                .into_iter()
                .filter(|&sig| !inherited_ignore(sig))
                .collect();
            let Ok(mut signals) = Signals::new(wanted) else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("shadowmap-signals".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        let name = if sig == SIGHUP { "SIGHUP" } else { "SIGTERM" };
                        let sent = FORWARD.lock().ok().and_then(|slot| {
                            slot.as_ref()
                                .map(|tx| tx.send(Received::Ended(Interruption::Signal(name))))
                        });
                        if matches!(sent, Some(Ok(()))) {
                            std::thread::sleep(SIGNAL_GRACE);
                        }
                        restore();
                        eprintln!("{}", Interruption::Signal(name));
                        std::process::exit(128 + sig);
                    }
                });
        });
    }

    pub fn stop_forwarding() {
        if let Ok(mut slot) = FORWARD.lock() {
            *slot = None;
        }
    }
}

#[cfg(not(unix))]
mod signals {
    use std::sync::mpsc::Sender;

    use super::Received;

    pub fn forward_to(_tx: Sender<Received>) {}
    pub fn stop_forwarding() {}
}

/// How long a signal waits for the screen to end by itself before the process restores the
/// terminal and exits.
pub const SIGNAL_GRACE: Duration = Duration::from_secs(2);

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
