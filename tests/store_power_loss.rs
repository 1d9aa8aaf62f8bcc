//! Simulated power loss, in the manner of SQLite's crash tests: scripted sessions run on the
//! simulated disk, the crash point is looped over every I/O operation of each script, and
//! each crash is replayed with many random outcomes (which unsynced writes landed, the last
//! one torn or zero-filled, unsynced creates and renames dropped). After each: every
//! acknowledged event is recovered, in order, nothing is invented, and the session opens and
//! can be continued.

use std::io::ErrorKind;
use std::sync::Arc;

use shadowmap::model::{Event, EventKind, Session};
use shadowmap::store::sim::{Fault, SimIo};
use shadowmap::store::{DamageKind, DataDir, SessionWriter, StoreError};
use shadowmap::testing::{event, finish_event, header_with_id};

const ROOT: &str = "/data";
const SEEDS_PER_CRASH: u64 = 24;

/// What the script was told was saved.
#[derive(Default, Debug)]
struct Track {
    created: bool,
    acked: Vec<Event>,
    /// Every event handed to the store, once each, in order.
    attempted: Vec<Event>,
    finished: bool,
}

impl Track {
    fn attempt(&mut self, e: &Event) {
        if self.attempted.last().is_none_or(|last| last.seq < e.seq) {
            self.attempted.push(e.clone());
        }
    }
}

type Script = fn(&DataDir, &SimIo, &mut Track) -> Result<(), StoreError>;

/// Create, twenty events (the last a Finish), finish.
fn plain(dir: &DataDir, _: &SimIo, t: &mut Track) -> Result<(), StoreError> {
    let mut w = SessionWriter::create(dir, &header_with_id("s"))?;
    t.created = true;
    let mut session = Session::new(header_with_id("s"));
    for seq in 1..=20 {
        let e = if seq == 20 {
            finish_event(20)
        } else {
            event(seq)
        };
        t.attempt(&e);
        w.append(&e)?;
        t.acked.push(e.clone());
        session.events.push(e);
    }
    w.finish(&session)?;
    t.finished = true;
    Ok(())
}

/// A sync fails at event 5: the writer stops, the caller continues in a new segment with the
/// unsaved event, then goes on and finishes.
fn failed_sync(dir: &DataDir, sim: &SimIo, t: &mut Track) -> Result<(), StoreError> {
    let mut w = SessionWriter::create(dir, &header_with_id("s"))?;
    t.created = true;
    let mut session = Session::new(header_with_id("s"));
    let mut pending: Vec<Event> = Vec::new();
    for seq in 1..=10 {
        let e = if seq == 10 {
            finish_event(10)
        } else {
            event(seq)
        };
        t.attempt(&e);
        session.events.push(e.clone());
        if seq == 5 {
            sim.inject(Fault::NextSync(ErrorKind::Other));
        }
        if !pending.is_empty() {
            pending.push(e);
            continue;
        }
        match w.append(&e) {
            Ok(()) => t.acked.push(e),
            Err(err) if sim.has_crashed() => return Err(err),
            Err(_) => {
                pending.push(e);
                // Keep the unsaved events and continue in a new segment at once.
                w.start_new_segment(&pending)?;
                t.acked.append(&mut pending);
            }
        }
    }
    w.finish(&session)?;
    t.finished = true;
    Ok(())
}

/// The disk fills up at event 4: appends fail until space is freed, then a new segment.
fn disk_full(dir: &DataDir, sim: &SimIo, t: &mut Track) -> Result<(), StoreError> {
    let mut w = SessionWriter::create(dir, &header_with_id("s"))?;
    t.created = true;
    let mut pending: Vec<Event> = Vec::new();
    for seq in 1..=9 {
        let e = event(seq);
        t.attempt(&e);
        if seq == 4 {
            sim.inject(Fault::Writes(ErrorKind::StorageFull));
        }
        if seq == 6 {
            sim.clear_faults();
            pending.push(e);
            w.start_new_segment(&pending)?;
            t.acked.append(&mut pending);
            continue;
        }
        if !pending.is_empty() {
            pending.push(e);
            continue;
        }
        match w.append(&e) {
            Ok(()) => t.acked.push(e),
            Err(err) if sim.has_crashed() => return Err(err),
            Err(err) => {
                assert_eq!(err.io_kind(), Some(ErrorKind::StorageFull), "{err}");
                pending.push(e);
            }
        }
    }
    Ok(())
}

/// A session left unfinished by an earlier crash (events 1..=4 on disk) is reopened and
/// continued.
fn reopen(dir: &DataDir, _: &SimIo, t: &mut Track) -> Result<(), StoreError> {
    for seq in 1..=4 {
        t.attempt(&event(seq));
        t.acked.push(event(seq));
    }
    t.created = true;
    let (mut w, session, _) = SessionWriter::reopen(dir, "s")?;
    assert_eq!(session.events, t.acked);
    for seq in 5..=12 {
        let e = if seq == 5 {
            Event {
                seq,
                at_ms: seq * 1_250,
                kind: EventKind::Reopened,
            }
        } else {
            event(seq)
        };
        t.attempt(&e);
        w.append(&e)?;
        t.acked.push(e);
    }
    Ok(())
}

/// The disk `reopen` starts from: an unfinished session with events 1..=4, synced.
fn reopen_setup() -> SimIo {
    let sim = SimIo::new();
    let dir = DataDir::open_with(ROOT, Arc::new(sim.clone())).unwrap();
    let mut w = SessionWriter::create(&dir, &header_with_id("s")).unwrap();
    for seq in 1..=4 {
        w.append(&event(seq)).unwrap();
    }
    drop(w);
    sim.power_loss(0)
}

#[derive(Default, Debug)]
struct Seen {
    crashes: usize,
    torn: usize,
    zero_filled: usize,
    in_flight_kept: usize,
    in_flight_lost: usize,
    snapshot_kept_unacked: usize,
}

fn check(t: &Track, after: SimIo, seen: &mut Seen, context: &str) {
    let dir = DataDir::open_with(ROOT, Arc::new(after.clone()))
        .unwrap_or_else(|e| panic!("{context}: data folder does not open: {e}"));
    let listing = dir
        .scan()
        .unwrap_or_else(|e| panic!("{context}: listing fails: {e}"));
    if !t.created {
        // Nothing was acknowledged: the session may be absent, but nothing may break.
        if let Ok(loaded) = dir.load("s") {
            assert!(
                loaded.session.events.is_empty(),
                "{context}: invented events"
            );
        }
        return;
    }
    let loaded = dir
        .load("s")
        .unwrap_or_else(|e| panic!("{context}: the session does not open: {e}\n{after}"));
    let events = &loaded.session.events;
    assert!(
        events.len() >= t.acked.len(),
        "{context}: lost acknowledged events: {} recovered, {} acknowledged\n{after}",
        events.len(),
        t.acked.len()
    );
    assert_eq!(
        events[..],
        t.attempted[..events.len().min(t.attempted.len())],
        "{context}: recovered events are not what was written"
    );
    assert!(
        events.len() <= t.attempted.len(),
        "{context}: invented events"
    );
    if events.len() > t.acked.len() {
        seen.in_flight_kept += 1;
    } else if t.attempted.len() > t.acked.len() {
        seen.in_flight_lost += 1;
    }
    assert!(
        listing.entries.iter().any(|e| e.id == "s"),
        "{context}: not listed"
    );
    match &loaded.recovery {
        None => {
            // From the snapshot: it was complete before the rename.
            assert_eq!(events[..], t.attempted[..], "{context}: partial snapshot");
            if !t.finished {
                seen.snapshot_kept_unacked += 1;
            }
        }
        Some(report) => {
            assert!(!t.finished, "{context}: finished but no snapshot\n{after}");
            assert_eq!(report.events, events.len());
            for d in &report.damage {
                match d.kind {
                    DamageKind::Torn { .. } => seen.torn += 1,
                    DamageKind::ZeroFilled => seen.zero_filled += 1,
                    _ => {}
                }
            }
            // Capture can go on: reopen, append, and the new event is kept after the others.
            let (mut w, session, _) = SessionWriter::reopen(&dir, "s")
                .unwrap_or_else(|e| panic!("{context}: reopen fails: {e}"));
            assert_eq!(&session.events, events);
            let next = Event {
                seq: session.next_seq(),
                at_ms: events.last().map_or(0, |e| e.at_ms) + 10,
                kind: EventKind::Reopened,
            };
            w.append(&next).unwrap();
            drop(w);
            let again = dir.load("s").unwrap().session.events;
            assert_eq!(again.len(), events.len() + 1, "{context}");
            assert_eq!(again.last(), Some(&next), "{context}");
        }
    }
}

fn run_crashes(name: &str, script: Script, setup: fn() -> SimIo) -> Seen {
    // A clean run counts the operations.
    let sim = setup();
    let dir = DataDir::open_with(ROOT, Arc::new(sim.clone())).unwrap();
    let start = sim.ops();
    let mut t = Track::default();
    script(&dir, &sim, &mut t).unwrap_or_else(|e| panic!("{name}: clean run fails: {e}"));
    let total = sim.ops() - start;
    assert!(total > 15, "{name}: only {total} operations");
    let mut seen = Seen::default();
    // Crash before each operation, and once after the last one.
    for crash in 0..=total {
        for seed in 0..SEEDS_PER_CRASH {
            let sim = setup();
            sim.seed(seed);
            let dir = DataDir::open_with(ROOT, Arc::new(sim.clone())).unwrap();
            sim.crash_at(sim.ops() + crash);
            let mut t = Track::default();
            let result = script(&dir, &sim, &mut t);
            if crash < total {
                assert!(result.is_err(), "{name}: crash at {crash} was not noticed");
            }
            drop(dir);
            let after = sim.power_loss(seed.wrapping_mul(7919) + crash);
            check(
                &t,
                after,
                &mut seen,
                &format!("{name}, crash at op {crash}, seed {seed}"),
            );
            seen.crashes += 1;
        }
    }
    eprintln!("{name}: {total} operations, {seen:?}");
    seen
}

#[test]
fn power_loss_at_every_operation_of_a_plain_session() {
    let seen = run_crashes("plain", plain, SimIo::new);
    assert!(seen.crashes > 1000, "{seen:?}");
    // The test saw what it is meant to see.
    assert!(seen.torn > 0 && seen.zero_filled > 0, "{seen:?}");
    assert!(
        seen.in_flight_kept > 0 && seen.in_flight_lost > 0,
        "{seen:?}"
    );
    assert!(seen.snapshot_kept_unacked > 0, "{seen:?}");
}

#[test]
fn power_loss_at_every_operation_around_a_failed_sync() {
    let seen = run_crashes("failed sync", failed_sync, SimIo::new);
    assert!(seen.crashes > 800, "{seen:?}");
}

#[test]
fn power_loss_at_every_operation_with_a_full_disk() {
    let seen = run_crashes("disk full", disk_full, SimIo::new);
    assert!(seen.crashes > 500, "{seen:?}");
}

#[test]
fn power_loss_at_every_operation_of_a_reopened_session() {
    let seen = run_crashes("reopen", reopen, reopen_setup);
    assert!(seen.crashes > 500, "{seen:?}");
}
