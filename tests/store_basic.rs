//! The store's API on a real folder and on the simulated disk: create, append, finish, list,
//! load, reopen; the lock; permissions; a full disk; a failed sync; bad files.

use std::io::ErrorKind;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use shadowmap::model::{EventKind, Session};
use shadowmap::store::sim::{Fault, SimIo};
use shadowmap::store::{DataDir, SessionWriter, StoreError};
use shadowmap::testing::{event, header_with_id};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn create_append_finish_then_list_and_load() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path().join("data")).unwrap();
    let mut writer = SessionWriter::create(&dir, &header_with_id("s1")).unwrap();
    let mut session = Session::new(header_with_id("s1"));
    for seq in 1..=20 {
        writer.append(&event(seq)).unwrap();
        session.events.push(event(seq));
    }
    // Unfinished: listed as such, loaded from the journal.
    let unfinished = dir.unfinished().unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].id, "s1");
    assert_eq!(unfinished[0].events, 20);
    assert!(!unfinished[0].finished);
    assert!(!unfinished[0].recovered);
    let loaded = dir.load("s1").unwrap();
    assert_eq!(loaded.session, session);
    assert!(loaded.recovery.as_ref().unwrap().is_clean());

    session.events.push(shadowmap::model::Event {
        seq: 21,
        at_ms: 99_000,
        kind: EventKind::Finish,
    });
    writer.append(&session.events[20]).unwrap();
    let snapshot = writer.finish(&session).unwrap();
    assert_eq!(snapshot, dir.snapshot_path("s1"));
    assert!(
        !dir.lock_path("s1").exists(),
        "the lock file goes with the writer"
    );

    let list = dir.list().unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].finished);
    assert_eq!(list[0].events, 21);
    assert!(dir.unfinished().unwrap().is_empty());
    let loaded = dir.load("s1").unwrap();
    assert_eq!(loaded.session, session);
    assert!(loaded.recovery.is_none());
    // By path, too.
    let by_path = dir.load(snapshot.to_str().unwrap()).unwrap();
    assert_eq!(by_path.session, session);
    let journal = dir.journal_path("s1");
    let by_journal = dir.load(journal.to_str().unwrap()).unwrap();
    assert_eq!(by_journal.session, session);
}

#[test]
fn files_are_0600_and_folders_0700_whatever_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("a").join("data");
    let dir = DataDir::open(&root).unwrap();
    let mut writer = SessionWriter::create(&dir, &header_with_id("p1")).unwrap();
    assert_eq!(mode(&dir.lock_path("p1")), 0o600);
    writer.append(&event(1)).unwrap();
    writer.start_new_segment(&[]).unwrap();
    writer.append(&event(2)).unwrap();
    let mut session = Session::new(header_with_id("p1"));
    session.events = vec![event(1), event(2)];
    writer.finish(&session).unwrap();
    for folder in [
        tmp.path().join("a"),
        root.clone(),
        dir.sessions_dir().to_path_buf(),
    ] {
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
    }
    let mut files = 0;
    for entry in std::fs::read_dir(dir.sessions_dir()).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        files += 1;
    }
    assert_eq!(files, 3, "journal, its second segment and the snapshot");
}

#[test]
fn a_second_writer_gets_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    let mut writer = SessionWriter::create(&dir, &header_with_id("l1")).unwrap();
    writer.append(&event(1)).unwrap();
    let err = SessionWriter::reopen(&dir, "l1").unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(err.to_string().contains("another shadowmap"), "{err}");
    let err = SessionWriter::create(&dir, &header_with_id("l1")).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    drop(writer);
    // Released: reopening works and continues after event 1.
    let (mut writer, session, report) = SessionWriter::reopen(&dir, "l1").unwrap();
    assert_eq!(session.events, vec![event(1)]);
    assert!(report.is_clean());
    writer.append(&event(2)).unwrap();
    drop(writer);
    let loaded = dir.load("l1").unwrap();
    assert_eq!(loaded.session.events, vec![event(1), event(2)]);
    let entry = &dir.list().unwrap()[0];
    assert!(entry.recovered, "two segments: it went through a reopen");
}

#[test]
fn a_second_writer_in_another_process_is_refused_too() {
    // The lock is a real OS lock (flock): another process holding it blocks this one.
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    drop(SessionWriter::create(&dir, &header_with_id("l2")).unwrap());
    let lock = dir.lock_path("l2");
    let child = std::process::Command::new("flock")
        .arg(&lock)
        .args(["-c", "echo locked; sleep 10"])
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        // No flock(1) on this system: the in-process test above covers the lock.
        return;
    };
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line.trim(), "locked");
    let result = SessionWriter::reopen(&dir, "l2");
    child.kill().unwrap();
    child.wait().unwrap();
    let err = result.unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
}

#[test]
fn reopening_a_finished_or_missing_session_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    let writer = SessionWriter::create(&dir, &header_with_id("f1")).unwrap();
    writer.finish(&Session::new(header_with_id("f1"))).unwrap();
    let err = SessionWriter::reopen(&dir, "f1").unwrap_err();
    assert!(matches!(err, StoreError::Finished { .. }), "{err}");
    let err = SessionWriter::reopen(&dir, "nope").unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let err = SessionWriter::create(&dir, &header_with_id("f1")).unwrap_err();
    assert!(matches!(err, StoreError::Exists { .. }), "{err}");
    let err = SessionWriter::create(&dir, &header_with_id("../x")).unwrap_err();
    assert!(matches!(err, StoreError::BadId { .. }), "{err}");
}

#[test]
fn events_must_follow_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    let mut writer = SessionWriter::create(&dir, &header_with_id("o1")).unwrap();
    writer.append(&event(1)).unwrap();
    let err = writer.append(&event(3)).unwrap_err();
    assert!(
        matches!(err, StoreError::OutOfOrder { last: 1, got: 3 }),
        "{err}"
    );
    writer.append(&event(2)).unwrap();
}

fn sim_dir() -> (SimIo, DataDir) {
    let sim = SimIo::new();
    let dir = DataDir::open_with("/data", Arc::new(sim.clone())).unwrap();
    (sim, dir)
}

#[test]
fn a_full_disk_keeps_every_event_saved_before_it() {
    for seed in 0..50 {
        let (sim, dir) = sim_dir();
        sim.seed(seed);
        let mut writer = SessionWriter::create(&dir, &header_with_id("full")).unwrap();
        for seq in 1..=10 {
            writer.append(&event(seq)).unwrap();
        }
        sim.inject(Fault::Writes(ErrorKind::StorageFull));
        let err = writer.append(&event(11)).unwrap_err();
        assert_eq!(err.io_kind(), Some(ErrorKind::StorageFull));
        let text = err.to_string();
        assert!(text.contains("EVENT 11 WAS NOT SAVED"), "{text}");
        assert!(text.contains("disk is full"), "{text}");
        // The writer refuses to go on in this segment.
        let err = writer.append(&event(11)).unwrap_err();
        assert!(matches!(err, StoreError::Stopped { .. }), "{err}");
        // A new segment cannot be made while the disk is full either.
        assert!(writer.start_new_segment(&[event(11)]).is_err());
        // Power is lost now: the ten saved events are all there.
        let after = sim.power_loss(seed);
        let dir2 = DataDir::open_with("/data", Arc::new(after)).unwrap();
        let loaded = dir2.load("full").unwrap();
        assert_eq!(
            loaded.session.events,
            (1..=10).map(event).collect::<Vec<_>>()
        );
        // Or space is freed: the unsaved event goes into a new segment and capture goes on.
        sim.clear_faults();
        writer.start_new_segment(&[event(11)]).unwrap();
        writer.append(&event(12)).unwrap();
        let after = sim.power_loss(seed + 1000);
        let dir3 = DataDir::open_with("/data", Arc::new(after)).unwrap();
        let loaded = dir3.load("full").unwrap();
        assert_eq!(
            loaded.session.events,
            (1..=12).map(event).collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_failed_sync_is_never_trusted_and_a_new_segment_keeps_the_events() {
    for seed in 0..50 {
        let (sim, dir) = sim_dir();
        let mut writer = SessionWriter::create(&dir, &header_with_id("eio")).unwrap();
        for seq in 1..=5 {
            writer.append(&event(seq)).unwrap();
        }
        sim.inject(Fault::NextSync(ErrorKind::Other));
        let err = writer.append(&event(6)).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Append {
                    seq: 6,
                    stage: "sync",
                    ..
                }
            ),
            "{err}"
        );
        assert!(writer.is_stopped());
        // The caller keeps 6 and 7 in memory and continues in a new segment.
        writer.start_new_segment(&[event(6)]).unwrap();
        assert!(!writer.is_stopped());
        writer.append(&event(7)).unwrap();
        let after = sim.power_loss(seed);
        let dir2 = DataDir::open_with("/data", Arc::new(after)).unwrap();
        let loaded = dir2.load("eio").unwrap();
        assert_eq!(
            loaded.session.events,
            (1..=7).map(event).collect::<Vec<_>>()
        );
        assert_eq!(loaded.recovery.unwrap().segments, 2);
    }
}

#[test]
fn a_malformed_snapshot_names_file_line_and_column_and_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    let bad = dir.snapshot_path("bad");
    let text = "Session(\n    header: (\n        format_version: 1,\n        id: 3,\n";
    std::fs::write(&bad, text).unwrap();
    let err = dir.load("bad").unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:4:", bad.display())),
        "{message}"
    );
    assert!(message.contains("hint:"), "{message}");
    assert_eq!(
        std::fs::read_to_string(&bad).unwrap(),
        text,
        "never changed"
    );
    // The listing reports it and still lists the good sessions.
    let writer = SessionWriter::create(&dir, &header_with_id("good")).unwrap();
    drop(writer);
    let listing = dir.scan().unwrap();
    assert_eq!(listing.entries.len(), 1);
    assert_eq!(listing.problems.len(), 1);
    assert!(listing.problems[0].to_string().contains("bad.ron:4:"));
}

#[test]
fn a_missing_session_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    let err = dir.load("nope").unwrap_err();
    assert!(err.to_string().contains("shadowmap sessions"), "{err}");
}

#[test]
fn a_folder_given_as_a_session_says_so_and_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path().join("data")).unwrap();
    let folder = tmp.path().join("looks-like.ron");
    std::fs::create_dir(&folder).unwrap();
    let err = dir.load(folder.to_str().unwrap()).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("looks-like.ron"), "{text}");
    assert!(text.contains("that is a folder"), "{text}");
}

#[test]
fn a_file_where_the_data_folder_should_be_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let err = DataDir::open(&file).unwrap_err().to_string();
    assert!(err.contains("not-a-folder"), "{err}");
    assert!(err.contains("it is a file, not a folder"), "{err}");
    assert!(err.contains("--data-dir"), "{err}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"x",
        "the file is left alone"
    );
}
