//! The one pseudo-terminal harness: the real binary in an 80x24 pseudo-terminal, keys typed
//! as helix-style key macros (`"<space>cc<esc>"`), the screen read back with vt100.
//!
//! Key macro names: `<space> <ret> <esc> <tab> <S-tab> <bs> <up> <down> <left> <right>
//! <S-left> <S-right> <home> <end> <pgup> <pgdown> <F2> <C-x>` (Ctrl and a letter), `<lt>` for
//! `<`; any other character is typed as itself.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_shadowmap");
pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;
/// How long a wait lasts before the test fails with the screen.
pub const WAIT: Duration = Duration::from_secs(20);

/// The program's command line, as every test starts it: a known terminal and user, and no data
/// folder from the environment.
pub fn command(args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(args);
    cmd.env("TERM", "xterm-256color");
    cmd.env("USER", "tester");
    cmd.env_remove("SHADOWMAP_DATA_DIR");
    cmd.env_remove("SHADOWMAP_KEYS");
    cmd
}

/// A program running in a pseudo-terminal. Dropping it kills the program if it still runs.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Held for the program's lifetime: closing it hangs up the terminal.
    master: Option<Box<dyn MasterPty + Send>>,
    /// The thread reading the screen, and its stop flag.
    reading: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl Pty {
    /// The program with `args`, in `cwd` when given.
    pub fn spawn(args: &[&str], cwd: Option<&Path>) -> Pty {
        let mut cmd = command(args);
        if let Some(cwd) = cwd {
            cmd.cwd(cwd);
        }
        Pty::run(cmd)
    }

    /// `shadowmap ARGS --data-dir DIR`.
    pub fn in_data_dir(data_dir: &Path, args: &[&str]) -> Pty {
        let mut cmd = command(args);
        cmd.arg("--data-dir");
        cmd.arg(data_dir);
        Pty::run(cmd)
    }

    /// Any command (a shell wrapper, say) in the pseudo-terminal.
    pub fn run(cmd: CommandBuilder) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        // Non-blocking (the reader shares the master's file description), so that the reader
        // thread can stop and let go of its copy of the master when the test hangs up.
        #[cfg(unix)]
        if let Some(fd) = pair.master.as_raw_fd() {
            // SAFETY: fcntl on a descriptor the master owns.
            unsafe {
                let flags = libc::fcntl(fd, libc::F_GETFL);
                libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
            }
        }
        let sink = Arc::clone(&parser);
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let reading = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stopped.load(Ordering::Relaxed) {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sink.lock().unwrap().process(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => break,
                }
            }
        });
        let writer = pair.master.take_writer().unwrap();
        Pty {
            child,
            writer: Some(writer),
            parser,
            master: Some(pair.master),
            reading: Some((stop, reading)),
        }
    }

    /// The screen's text.
    pub fn contents(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Reads the screen's state (modes, cursor) as vt100 sees it.
    pub fn with_screen<T>(&self, read: impl FnOnce(&vt100::Screen) -> T) -> T {
        read(self.parser.lock().unwrap().screen())
    }

    /// Waits until the screen satisfies `check`; fails with the screen when it does not.
    pub fn wait_until(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let screen = self.contents();
            if check(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited {WAIT:?} for {what}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Waits until the screen shows `text`.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Types a key macro. An Esc is sent on its own, so that it is not read as Alt with the
    /// key after it.
    pub fn keys(&mut self, keys: &str) {
        for chunk in key_bytes(keys) {
            self.send_bytes(&chunk);
            if chunk == b"\x1b" {
                std::thread::sleep(Duration::from_millis(30));
            }
        }
    }

    /// Bytes as they are, with no macro names.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let writer = self.writer.as_mut().expect("the terminal is open");
        writer.write_all(bytes).unwrap();
        writer.flush().unwrap();
    }

    /// Pastes `text` as a terminal does: inside bracketed-paste markers when the program turned
    /// that mode on, else as plain typing.
    pub fn paste(&mut self, text: &str) {
        if self.with_screen(vt100::Screen::bracketed_paste) {
            self.send_bytes(format!("\x1b[200~{text}\x1b[201~").as_bytes());
        } else {
            self.send_bytes(text.as_bytes());
        }
    }

    pub fn resize(&self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap()
            .set_size(rows.try_into().unwrap(), cols.try_into().unwrap());
        self.master
            .as_ref()
            .expect("the terminal is open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    /// The terminal's local modes (ICANON, ECHO...): raw mode clears them.
    #[cfg(unix)]
    pub fn local_modes(&self) -> libc::tcflag_t {
        let fd = self
            .master
            .as_ref()
            .and_then(|m| m.as_raw_fd())
            .expect("the terminal is open");
        // SAFETY: tcgetattr fills the zeroed struct for a valid descriptor.
        unsafe {
            let mut termios: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(fd, &mut termios), 0);
            termios.c_lflag
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the program runs")
    }

    /// Sends a signal by name (`TERM`, `HUP`, `KILL`).
    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.pid().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Closes the terminal's master side: the program's terminal is gone.
    pub fn hang_up(&mut self) {
        if let Some((stop, reading)) = self.reading.take() {
            stop.store(true, Ordering::Relaxed);
            reading.join().unwrap();
        }
        self.writer = None;
        self.master = None;
    }

    /// Waits for the program to exit; fails with the screen when it does not.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit; the screen shows:\n{}",
                self.contents()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGKILL, and the exit.
    pub fn sigkill(&mut self) {
        self.signal("KILL");
        self.wait_exit();
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A key macro as the bytes a terminal sends, split so that every Esc stands alone.
pub fn key_bytes(keys: &str) -> Vec<Vec<u8>> {
    let mut chunks: Vec<Vec<u8>> = vec![Vec::new()];
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        let (bytes, len): (Vec<u8>, usize) = match rest.find('>') {
            Some(end) if c == '<' && end > 1 => (named(&rest[1..end]), end + 1),
            _ => (c.to_string().into_bytes(), c.len_utf8()),
        };
        rest = &rest[len..];
        if bytes == b"\x1b" {
            chunks.push(bytes);
            chunks.push(Vec::new());
        } else {
            chunks.last_mut().unwrap().extend(bytes);
        }
    }
    chunks.retain(|c| !c.is_empty());
    chunks
}

fn named(name: &str) -> Vec<u8> {
    let bytes: &[u8] = match name {
        "space" => b" ",
        "ret" | "enter" => b"\r",
        "esc" => b"\x1b",
        "tab" => b"\t",
        "S-tab" => b"\x1b[Z",
        "bs" => b"\x7f",
        "up" => b"\x1b[A",
        "down" => b"\x1b[B",
        "right" => b"\x1b[C",
        "left" => b"\x1b[D",
        "S-right" => b"\x1b[1;2C",
        "S-left" => b"\x1b[1;2D",
        "home" => b"\x1b[H",
        "end" => b"\x1b[F",
        "pgup" => b"\x1b[5~",
        "pgdown" => b"\x1b[6~",
        "F2" => b"\x1bOQ",
        "lt" => b"<",
        "gt" => b">",
        ctrl if ctrl.starts_with("C-") && ctrl.len() == 3 => {
            let letter = ctrl.as_bytes()[2].to_ascii_lowercase();
            return vec![letter - b'a' + 1];
        }
        other => panic!("unknown key <{other}> in a key macro"),
    };
    bytes.to_vec()
}

#[test]
fn key_macros_read_like_the_keys() {
    assert_eq!(
        key_bytes("<space>cc<esc>"),
        vec![b" cc".to_vec(), b"\x1b".to_vec()]
    );
    assert_eq!(key_bytes("g1:00<ret>"), vec![b"g1:00\r".to_vec()]);
    assert_eq!(key_bytes("<C-c>"), vec![vec![3]]);
    assert_eq!(key_bytes("<lt>a<"), vec![b"<a<".to_vec()]);
    assert_eq!(key_bytes("<esc>x"), vec![b"\x1b".to_vec(), b"x".to_vec()]);
}

/// Copies the sample sessions (`sample-sessions/*.ron`) into `to`, made if missing: a folder
/// the screens under test may write beside (overrides) without touching the repository.
pub fn copy_samples(to: &Path) {
    copy_sample_folder("", to);
}

/// Copies the `.ron` files of `sample-sessions/<folder>` ("" for the top) to `to`.
pub fn copy_sample_folder(folder: &str, to: &Path) {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-sessions")
        .join(folder);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(samples).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}
