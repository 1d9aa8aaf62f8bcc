//! A finish cut short, and the first session in a new data folder, on the simulated disk
//! (power cuts at every operation) and with a real child SIGKILLed at the snapshot rename.
//! After each: the journal that ends in `Finish` is completed at the next start (snapshot
//! written, the leftover temporary file removed), and a session acknowledged as started is
//! never lost with its folder.

mod support {
    pub mod cli;
}

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use shadowmap::model::{Event, EventKind, Session};
use shadowmap::store::sim::SimIo;
use shadowmap::store::{DataDir, Io, IoFile, LockGuard, RealIo, SessionWriter};
use shadowmap::testing::{event, finish_event, header_with_id};
use support::cli::shadowmap;

const SEEDS_PER_CRASH: u64 = 12;

/// Five events, a Finish, the snapshot. Returns the events acknowledged (append returned Ok).
fn finish_a_session(dir: &DataDir, acked: &mut Vec<Event>) -> bool {
    let Ok(mut writer) = SessionWriter::create(dir, &header_with_id("s")) else {
        return false;
    };
    let mut session = Session::new(header_with_id("s"));
    for seq in 1..=6 {
        let e = if seq == 6 {
            finish_event(6)
        } else {
            event(seq)
        };
        if writer.append(&e).is_err() {
            return true;
        }
        acked.push(e.clone());
        session.events.push(e);
    }
    let _ = writer.finish(&session);
    true
}

#[test]
fn power_loss_while_finishing_leaves_a_session_the_next_start_completes() {
    // Count the operations of one uninterrupted run.
    let clean = SimIo::new();
    let dir = DataDir::open_with("/data", Arc::new(clean.clone())).unwrap();
    finish_a_session(&dir, &mut Vec::new());
    let ops = clean.ops();
    let mut completed = 0;
    for crash_at in 0..ops {
        let sim = SimIo::new();
        sim.crash_at(crash_at);
        let mut acked = Vec::new();
        let Ok(dir) = DataDir::open_with("/data", Arc::new(sim.clone())) else {
            continue;
        };
        if !finish_a_session(&dir, &mut acked) {
            continue;
        }
        for seed in 0..SEEDS_PER_CRASH {
            let after = sim.power_loss(seed * 7919 + crash_at);
            let context = format!("crash at op {crash_at} of {ops}, seed {seed}");
            let dir = DataDir::open_with("/data", Arc::new(after.clone())).unwrap();
            let tidied = dir.tidy().unwrap();
            assert!(
                tidied.problems.is_empty(),
                "{context}: {:?}",
                tidied.problems
            );
            let temp = Path::new("/data/sessions/s.ron.tmp");
            assert!(after.contents(temp).is_none(), "{context}: temp left");
            let finish_acked = acked.last().is_some_and(|e| e.kind == EventKind::Finish);
            if !finish_acked {
                continue;
            }
            // The Finish was shown as saved: the session is finished, with every event.
            let listing = dir.scan().unwrap();
            let entry = listing.entries.iter().find(|e| e.id == "s");
            let entry = entry.unwrap_or_else(|| panic!("{context}: session gone"));
            assert!(entry.finished, "{context}: still offered as unfinished");
            let loaded = dir.load("s").unwrap();
            assert!(
                loaded.recovery.is_none(),
                "{context}: read from the snapshot"
            );
            assert_eq!(loaded.session.events, acked, "{context}");
            if !tidied.completed.is_empty() {
                assert_eq!(tidied.completed, vec![("s".to_string(), 6)], "{context}");
                completed += 1;
            }
        }
    }
    assert!(
        completed > 0,
        "no crash left a finish cut short: the test tests nothing"
    );
}

#[test]
fn power_loss_after_the_first_session_starts_never_loses_its_folder() {
    // A new data folder several levels deep: every folder made must reach the disk before
    // the journal is acknowledged.
    let root = "/home/auditor/.local/share/shadowmap";
    for seed in 0..200 {
        let sim = SimIo::new();
        // Only the top folder exists, as on a fresh machine.
        sim.put_file(Path::new("/home/auditor/.profile"), b"");
        let dir = DataDir::open_with(root, Arc::new(sim.clone())).unwrap();
        let mut writer = SessionWriter::create(&dir, &header_with_id("first")).unwrap();
        writer.append(&event(1)).unwrap();
        let after = sim.power_loss(seed);
        let dir = DataDir::open_with(root, Arc::new(after)).unwrap();
        let loaded = dir
            .load("first")
            .unwrap_or_else(|e| panic!("seed {seed}: the first session is lost: {e}"));
        assert_eq!(loaded.session.events, vec![event(1)], "seed {seed}");
    }
}

const CHILD_DIR: &str = "SHADOWMAP_FINISH_CHILD";

/// The real disk, except that renaming the snapshot into place says so and waits to be
/// killed.
#[derive(Debug)]
struct StopAtRename;

impl Io for StopAtRename {
    fn create_dir(&self, path: &Path) -> std::io::Result<()> {
        RealIo.create_dir(path)
    }
    fn is_dir(&self, path: &Path) -> std::io::Result<bool> {
        RealIo.is_dir(path)
    }
    fn create_new(&self, path: &Path) -> std::io::Result<Box<dyn IoFile>> {
        RealIo.create_new(path)
    }
    fn create_truncate(&self, path: &Path) -> std::io::Result<Box<dyn IoFile>> {
        RealIo.create_truncate(path)
    }
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        RealIo.read(path)
    }
    fn exists(&self, path: &Path) -> std::io::Result<bool> {
        RealIo.exists(path)
    }
    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<String>> {
        RealIo.read_dir(path)
    }
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        println!("renaming {}", to.display());
        std::thread::sleep(Duration::from_secs(60));
        RealIo.rename(from, to)
    }
    fn remove(&self, path: &Path) -> std::io::Result<()> {
        RealIo.remove(path)
    }
    fn sync_dir(&self, path: &Path) -> std::io::Result<()> {
        RealIo.sync_dir(path)
    }
    fn try_lock(&self, path: &Path) -> std::io::Result<Option<Box<dyn LockGuard>>> {
        RealIo.try_lock(path)
    }
}

/// The child: capture a session to its Finish, then write the snapshot (stopped at the
/// rename, where the parent kills it).
#[test]
fn finish_child_stopped_at_the_rename() {
    let Some(root) = std::env::var_os(CHILD_DIR) else {
        return; // not the child
    };
    let dir = DataDir::open_with(PathBuf::from(root), Arc::new(StopAtRename)).unwrap();
    let mut writer = SessionWriter::create(&dir, &header_with_id("killed")).unwrap();
    let mut session = Session::new(header_with_id("killed"));
    for e in (1..=4).map(event).chain([finish_event(5)]) {
        writer.append(&e).unwrap();
        session.events.push(e);
    }
    writer.finish(&session).unwrap();
}

#[test]
fn sigkill_at_the_snapshot_rename_is_completed_by_the_next_capture_start() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "finish_child_stopped_at_the_rename",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR, tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let renaming = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|l| l.contains("renaming "));
    child.kill().unwrap(); // SIGKILL, at the rename
    child.wait().unwrap();
    assert!(renaming.is_some(), "the child never reached the rename");
    let sessions = tmp.path().join("sessions");
    assert!(sessions.join("killed.ron.tmp").exists());
    assert!(!sessions.join("killed.ron").exists());

    // The next start (here without a terminal, so it stops after tidying) completes it.
    let out = shadowmap()
        .args(["capture", "--data-dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("session killed was finished but writing its snapshot was cut short"),
        "{stderr}"
    );
    assert!(
        stderr.contains("completed now: 5 events saved to"),
        "{stderr}"
    );
    assert!(!sessions.join("killed.ron.tmp").exists(), "temp left");
    let session = Session::load(&sessions.join("killed.ron")).unwrap();
    assert_eq!(session.events.len(), 5);
    assert_eq!(session.events[4].kind, EventKind::Finish);
    let listed = shadowmap()
        .args(["sessions", "--format", "json", "--data-dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows[0]["id"], "killed");
    assert_eq!(rows[0]["finished"], true);
}
