//! The capture screen on the store's simulated disk: a full disk or a failed sync mid-session.
//! The refused event and those after it stay in memory, never shown saved; `R` continues in a
//! new journal segment once the disk takes it; then recovery (`DataDir::load`, live and after a
//! power loss) yields every event of the screen, in order, once each.

use std::io::ErrorKind;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use shadowmap::model::pathway::{DEFAULT_PATHWAY, builtin_pathways};
use shadowmap::model::session::{Event, SessionHeader};
use shadowmap::store::sim::{Fault, SimIo};
use shadowmap::store::{DataDir, SessionWriter};
use shadowmap::testing;
use shadowmap::tui::capture::{Capture, CaptureState, Flow, draw};

const ID: &str = "20261125-0918-north-RN-07";

/// The kit's example header (whose id is [`ID`]) on the default pathway.
fn header() -> SessionHeader {
    SessionHeader {
        pathway_id: DEFAULT_PATHWAY.into(),
        pathway_version: 1,
        ..testing::header()
    }
}

fn start(dir: &DataDir) -> Capture<SessionWriter> {
    let pathway = builtin_pathways()
        .into_iter()
        .find(|p| p.id == DEFAULT_PATHWAY)
        .unwrap();
    let mut header = header();
    header.pathway_version = pathway.version;
    let writer = SessionWriter::create(dir, &header).unwrap();
    let state = CaptureState::new(header, pathway, Vec::new());
    Capture::new(state, writer, Instant::now())
}

fn press(cap: &mut Capture<SessionWriter>, key: char, at_ms: u64) -> Flow {
    let code = KeyCode::Char(key);
    let modifiers = if key.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    let at = cap.start() + Duration::from_millis(at_ms);
    cap.handle(at, &TermEvent::Key(KeyEvent::new(code, modifiers)))
}

fn seqs(events: &[Event]) -> Vec<u64> {
    events.iter().map(|e| e.seq).collect()
}

fn loaded(io: SimIo) -> Vec<Event> {
    let dir = DataDir::open_with("/data", Arc::new(io)).unwrap();
    dir.load(ID).unwrap().session.events
}

/// Keys before, during and after the failure; `fault` is injected after the fourth event.
fn run(seed: u64, fault: Fault) {
    let sim = SimIo::new();
    sim.seed(seed);
    let dir = DataDir::open_with("/data", Arc::new(sim.clone())).unwrap();
    let mut cap = start(&dir);
    let mut t = 0;
    let mut keys = |cap: &mut Capture<SessionWriter>, keys: &str| {
        for key in keys.chars() {
            t += 700;
            assert_eq!(press(cap, key, t), Flow::Continue);
        }
    };
    keys(&mut cap, " cc ");
    assert_eq!(cap.state.saved, 4);
    sim.inject(fault);
    // The refused event: kept in memory, not shown saved, the error says why.
    keys(&mut cap, "s");
    assert_eq!(cap.state.saved, 4, "seed {seed}");
    assert_eq!(seqs(cap.state.pending()), vec![5]);
    let error = cap.state.failed.clone().expect("the append was refused");
    assert!(error.contains("EVENT 5 WAS NOT SAVED"), "{error}");
    assert!(!draw::saved_mark(&cap.state).content.contains("saved #"));
    // Capture goes on in memory.
    keys(&mut cap, "ri1c");
    assert_eq!(seqs(cap.state.pending()), vec![5, 6, 7, 8]);
    if matches!(fault, Fault::Writes(_)) {
        // Still full: the new segment is refused too; the error stays, nothing is lost.
        keys(&mut cap, "R");
        let error = cap.state.failed.clone().expect("still failing");
        assert!(error.contains("new journal segment"), "{error}");
        assert_eq!(seqs(cap.state.pending()), vec![5, 6, 7, 8]);
        assert_eq!(cap.state.saved, 4);
    }
    // Power lost now: the four saved events are there, and nothing else.
    assert_eq!(seqs(&loaded(sim.power_loss(seed))), vec![1, 2, 3, 4]);
    sim.clear_faults();
    keys(&mut cap, "R");
    assert_eq!(cap.state.failed, None, "seed {seed}");
    assert_eq!(cap.state.saved, 8);
    assert!(cap.state.pending().is_empty());
    assert!(cap.journal.segment_path().to_string_lossy().contains(ID));
    keys(&mut cap, "Ic ");
    assert_eq!(cap.state.saved, 11);
    let screen = cap.state.events.clone();
    assert_eq!(seqs(&screen), (1..=11).collect::<Vec<_>>());
    // Every event of the screen, in order, once each: on the live disk and after power loss.
    assert_eq!(loaded(sim.clone()), screen, "seed {seed}: live");
    assert_eq!(loaded(sim.power_loss(seed + 1)), screen, "seed {seed}");
    // The finish writes the snapshot, which holds them all too.
    keys(&mut cap, "q");
    t += 700;
    assert_eq!(press(&mut cap, 'y', t), Flow::Finish);
    let (state, writer) = cap.into_parts();
    writer.finish(&state.session()).unwrap();
    let events = loaded(sim.power_loss(seed + 2));
    assert_eq!(seqs(&events), (1..=12).collect::<Vec<_>>());
    assert_eq!(events[..11], screen[..]);
}

#[test]
fn a_full_disk_then_a_new_segment_loses_and_duplicates_nothing() {
    for seed in 0..40 {
        run(seed, Fault::Writes(ErrorKind::StorageFull));
    }
}

#[test]
fn a_failed_sync_then_a_new_segment_loses_and_duplicates_nothing() {
    for seed in 0..40 {
        run(seed, Fault::NextSync(ErrorKind::Other));
    }
}
