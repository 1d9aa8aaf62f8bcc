//! End to end in a pseudo-terminal: the real binary replays a sample session (plays, seeks,
//! jumps to a deviation) and the browser opens one; the screen is read with vt100. The
//! session file is never changed.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use shadowmap::model::{Session, resolve_pathway};
use shadowmap::tui::replay::ReplayData;

const ROWS: u16 = 24;
const COLS: u16 = 80;
const WAIT: Duration = Duration::from_secs(20);

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Screen {
    fn spawn(args: &[&str], cwd: &Path) -> Screen {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_shadowmap"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("SHADOWMAP_DATA_DIR");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            ROWS.try_into().unwrap(),
            COLS.try_into().unwrap(),
            0,
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&parser);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        // The master must live as long as the child: leak it into the writer's lifetime.
        std::mem::forget(pair.master);
        Screen {
            parser,
            writer,
            child,
        }
    }

    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `check`; fails with the screen when it does not.
    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let text = self.text();
            if check(&text) {
                return text;
            }
            if started.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {what}; the screen shows:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn wait_text(&self, needle: &str) -> String {
        self.wait_for(&format!("`{needle}`"), |t| t.contains(needle))
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> bool {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            if started.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!(
                    "the program did not exit; the screen shows:\n{}",
                    self.text()
                );
            }
            std::thread::sleep(Duration::from_millis(30));
        }
    }
}

fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions")
}

/// A sample session with a deviation placed in time, and that deviation's time and kind,
/// as the library computes them.
fn sample_with_a_deviation() -> (PathBuf, u64, String) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(sample_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    for path in paths {
        let session = Session::load(&path).unwrap();
        let Ok((pathway, _)) = resolve_pathway(&session.header.pathway_id) else {
            continue;
        };
        let data = ReplayData::compared(&session, &pathway);
        if let Some(&(at, index)) = data.deviation_times.iter().find(|(at, _)| *at > 0) {
            return (path, at, data.deviations[index].kind.clone());
        }
    }
    panic!("no sample session has a deviation placed in time");
}

fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The time shown on the status line: `H:MM:SS / H:MM:SS`.
fn position(text: &str) -> String {
    let line = text.lines().nth(1).unwrap_or_default();
    let at = line.find(" / ").expect("a status line with the position");
    line[..at].rsplit(' ').next().unwrap().to_string()
}

#[test]
fn replay_plays_seeks_and_jumps_to_a_deviation_without_touching_the_file() {
    let (sample, deviation_ms, kind) = sample_with_a_deviation();
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let file = temp.path().join(sample.file_name().unwrap());
    std::fs::copy(&sample, &file).unwrap();
    let before_bytes = std::fs::read(&file).unwrap();
    let before_mtime = std::fs::metadata(&file).unwrap().modified().unwrap();

    let mut screen = Screen::spawn(
        &[
            "--data-dir",
            data_dir.to_str().unwrap(),
            "replay",
            file.to_str().unwrap(),
        ],
        temp.path(),
    );
    let text = screen.wait_text("|| PAUSE");
    assert!(text.contains("0:00:00 / "), "{text}");
    assert!(text.contains("Timeline"), "{text}");

    // Play at 60x: the playhead moves.
    screen.keys("]]]]]");
    screen.wait_text("60x");
    screen.keys(" ");
    screen.wait_text("> PLAY");
    screen.wait_for("the playhead to move", |t| position(t) != "0:00:00");
    screen.keys(" ");
    screen.wait_text("|| PAUSE");

    // Seek by typing a time, then by ten seconds.
    screen.keys("g1:00\r");
    screen.wait_text("0:01:00 / ");
    screen.keys("\x1b[C");
    screen.wait_text("0:01:10 / ");

    // Back to the start, then to the first deviation: the playhead and the panel show it.
    screen.keys("\x1b[H");
    screen.wait_text("0:00:00 / ");
    screen.keys("d");
    let want = format!("{} / ", clock(deviation_ms));
    let text = screen.wait_text(&want);
    assert!(
        text.contains(&format!(" {kind}")),
        "the panel names the {kind} deviation:\n{text}"
    );

    screen.keys("q");
    assert!(screen.wait_exit(), "replay exits cleanly");
    assert_eq!(std::fs::read(&file).unwrap(), before_bytes);
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        before_mtime
    );
}

#[test]
fn browse_filters_and_opens_a_replay() {
    let temp = tempfile::tempdir().unwrap();
    let data_dir = temp.path().join("data");
    let sessions = data_dir.join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let mut copied = Vec::new();
    for entry in std::fs::read_dir(sample_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "ron") {
            let target = sessions.join(path.file_name().unwrap());
            std::fs::copy(&path, &target).unwrap();
            copied.push((target.clone(), std::fs::read(&target).unwrap()));
        }
    }
    let total = copied.len();
    // A damaged file is not listed; the status line says so.
    std::fs::write(sessions.join("broken.ron"), "Session(header: oops").unwrap();
    let mut screen = Screen::spawn(
        &["--data-dir", data_dir.to_str().unwrap(), "browse"],
        temp.path(),
    );
    screen.wait_text(&format!("({total} of {total} shown)"));
    screen.wait_text("1 file(s) could not be read; first:");
    screen.keys("/site:lake role:MD\r");
    let text = screen.wait_for("the filter to apply", |t| {
        t.contains("Filter: site:lake role:MD") && !t.contains(&format!("({total} of"))
    });
    let rows: Vec<&str> = text
        .lines()
        .skip(3)
        .take_while(|l| !l.starts_with(" Selected"))
        .filter(|l| l.trim().len() > 20)
        .collect();
    assert!(!rows.is_empty(), "{text}");
    for row in &rows {
        assert!(row.contains("lake") && row.contains("MD"), "{row}\n{text}");
    }
    // Open the selected one: the replay screen, then back to the list.
    screen.keys("\r");
    screen.wait_text("|| PAUSE");
    screen.keys("q");
    screen.wait_text("Filter: site:lake role:MD");
    let selected = text
        .lines()
        .find(|l| l.starts_with('>'))
        .and_then(|l| l.split_whitespace().nth(3))
        .expect("a selected row with its id")
        .to_string();

    // The comparator's text in a panel, then closed.
    screen.keys("c");
    screen.wait_text(&format!("Compare {selected}"));
    screen.wait_text("fitness");
    screen.keys("x");
    screen.wait_text("Enter replay");

    // Export as JSON: written in the current folder, said on the status line.
    screen.keys("ej");
    screen.wait_text(&format!("wrote {selected}.json"));
    let exported = std::fs::read_to_string(temp.path().join(format!("{selected}.json"))).unwrap();
    assert!(
        exported.contains(&format!("\"id\": \"{selected}\"")),
        "{exported}"
    );
    // The capital letter exports redacted, beside it: no note text survives.
    screen.keys("eJ");
    screen.wait_text(&format!("wrote {selected}-redacted.json"));
    let redacted =
        std::fs::read_to_string(temp.path().join(format!("{selected}-redacted.json"))).unwrap();
    assert!(redacted.contains(&format!("\"id\": \"{selected}\"")));
    let notes: Vec<&str> = exported
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"note\": \""))
        .filter(|n| n.len() > 3)
        .collect();
    assert!(!notes.is_empty(), "the sample has notes: {exported}");
    for note in notes {
        assert!(!redacted.contains(note), "{note} in {redacted}");
    }
    screen.keys("q");
    assert!(screen.wait_exit());
    for (path, bytes) in copied {
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{}", path.display());
    }
}

#[test]
fn replay_of_a_torn_journal_shows_what_recovery_kept_and_leaves_the_journal_alone() {
    let temp = tempfile::tempdir().unwrap();
    let journal = temp.path().join("20261125-1402-east-RN-12.journal");
    std::fs::copy(
        sample_dir().join("recovery/20261125-1402-east-RN-12.journal"),
        &journal,
    )
    .unwrap();
    let before_bytes = std::fs::read(&journal).unwrap();
    let before_mtime = std::fs::metadata(&journal).unwrap().modified().unwrap();
    let mut screen = Screen::spawn(
        &[
            "--data-dir",
            temp.path().join("data").to_str().unwrap(),
            "replay",
            journal.to_str().unwrap(),
        ],
        temp.path(),
    );
    let text = screen.wait_text("|| PAUSE");
    assert!(text.contains("20261125-1402-east-RN-12"), "{text}");
    // To the end: the last whole event recovery kept is under the playhead.
    let recovered = shadowmap::store::DataDir::load_path(&journal)
        .unwrap()
        .session;
    let timeline = recovered.timeline();
    let end = timeline.end_ms;
    let last = timeline.effective(&recovered.events).last().unwrap();
    screen.keys("\x1b[F");
    screen.wait_text(&format!("{} / {}", clock(end), clock(end)));
    screen.wait_text(&format!("#{} at {}", last.seq, clock(last.at_ms)));
    screen.keys("q");
    assert!(screen.wait_exit());
    assert_eq!(std::fs::read(&journal).unwrap(), before_bytes);
    assert_eq!(
        std::fs::metadata(&journal).unwrap().modified().unwrap(),
        before_mtime
    );
    // No lock or snapshot was left beside it.
    let names: Vec<String> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "data")
        .collect();
    assert_eq!(names, ["20261125-1402-east-RN-12.journal"]);
}
