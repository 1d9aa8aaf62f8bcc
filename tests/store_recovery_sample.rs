//! `sample-sessions/recovery/`: an unfinished session over `med-rec-admission` whose journal
//! ends in a torn record, as a power cut leaves it. Recovery must accept it and report the
//! tear. The file is generated here; `SHADOWMAP_REGENERATE_SAMPLES=1 cargo test --test
//! store_recovery_sample` rewrites it.

use std::path::{Path, PathBuf};

use shadowmap::model::{
    Event, EventKind, InterruptionSource, ProblemKind, SessionHeader, WorkaroundKind,
};
use shadowmap::store::journal::{encode_event, encode_header};
use shadowmap::store::{DamageKind, DataDir};
use shadowmap::testing;

const ID: &str = "20261125-1402-east-RN-12";

fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-sessions/recovery")
        .join(format!("{ID}.journal"))
}

/// The kit's example header, moved to site `east`, nurse RN-12 and auditor `mb`.
fn header() -> SessionHeader {
    SessionHeader {
        id: ID.into(),
        started_at: chrono::DateTime::parse_from_rfc3339("2026-11-25T14:02:10+01:00").unwrap(),
        site: "east".into(),
        clinician: "RN-12".into(),
        auditor: "mb".into(),
        ..testing::header()
    }
}

/// What the auditor logged before the laptop lost power (the last one only half written).
fn events() -> Vec<Event> {
    use EventKind::*;
    let step = |s: &str| StepStart { step: s.into() };
    let kinds: Vec<(u64, EventKind)> = vec![
        (3_200, step("open-chart")),
        (6_900, Clicks { delta: 1 }),
        (8_100, Clicks { delta: 1 }),
        (9_400, Screen),
        (14_800, Clicks { delta: 1 }),
        (21_500, step("review-allergies")),
        (24_000, Clicks { delta: 1 }),
        (
            31_000,
            SystemProblem {
                kind: ProblemKind::SlowResponse,
                note: "allergy tab took 12 s to load".into(),
            },
        ),
        (58_300, step("ask-patient")),
        (
            101_000,
            InterruptionStart {
                source: InterruptionSource::PhonePager,
                note: String::new(),
            },
        ),
        (139_500, InterruptionEnd),
        (
            162_000,
            Note {
                text: "patient unsure of metoprolol dose; daughter bringing the bottles".into(),
            },
        ),
        (247_800, step("pharmacy-record")),
        (251_300, Clicks { delta: 1 }),
        (254_900, Screen),
        (262_400, Clicks { delta: 1 }),
        (
            281_000,
            Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "copied the pharmacy list onto paper to compare".into(),
            },
        ),
        (330_000, step("enter-home-meds")),
        (334_500, Clicks { delta: 1 }),
        (338_200, Reentry),
        (
            352_700,
            InterruptionStart {
                source: InterruptionSource::Colleague,
                note: "bed 4 asks for a hand".into(),
            },
        ),
        (
            371_900,
            InterruptionStart {
                source: InterruptionSource::EhrAlert,
                note: String::new(),
            },
        ),
        (377_400, InterruptionEnd),
        (409_000, InterruptionEnd),
        (
            415_600,
            Workaround {
                kind: WorkaroundKind::CopyPaste,
                note: "pasted the sig from the pharmacy record".into(),
            },
        ),
        (421_300, Clicks { delta: 1 }),
    ];
    kinds
        .into_iter()
        .enumerate()
        .map(|(i, (at_ms, kind))| Event {
            seq: i as u64 + 1,
            at_ms,
            kind,
        })
        .collect()
}

/// The journal as the power cut left it: every record whole but the last, cut after 23 bytes.
fn generate() -> Vec<u8> {
    let mut buf = Vec::new();
    encode_header(&mut buf, &header(), true);
    let events = events();
    for e in &events[..events.len() - 1] {
        encode_event(&mut buf, e);
    }
    let mut last = Vec::new();
    encode_event(&mut last, events.last().unwrap());
    buf.extend_from_slice(&last[..23]);
    buf
}

#[test]
fn the_committed_sample_is_what_the_generator_makes() {
    let path = sample_path();
    let bytes = generate();
    if std::env::var_os("SHADOWMAP_REGENERATE_SAMPLES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let temp = path.with_extension("journal.tmp");
        std::fs::write(&temp, &bytes).unwrap();
        std::fs::rename(&temp, &path).unwrap();
    }
    let committed = std::fs::read(&path).expect("sample-sessions/recovery journal is committed");
    assert_eq!(
        committed, bytes,
        "regenerate with SHADOWMAP_REGENERATE_SAMPLES=1"
    );
}

#[test]
fn recovery_accepts_the_torn_sample_and_reports_the_tear() {
    let path = sample_path();
    let before = std::fs::read(&path).unwrap();
    let loaded = DataDir::load_path(&path).unwrap();
    let report = loaded.recovery.expect("read from a journal");
    let all = events();
    assert_eq!(loaded.session.header, header());
    assert_eq!(loaded.session.events, all[..all.len() - 1]);
    assert_eq!(report.events, 25);
    assert_eq!(report.records_kept, 26);
    assert_eq!(report.bytes_dropped, 23);
    assert!(report.found_torn_tail());
    assert_eq!(report.damage.len(), 1);
    assert!(matches!(
        report.damage[0].kind,
        DamageKind::Torn { available: 23, .. }
    ));
    assert!(report.to_string().contains("torn last record"), "{report}");
    assert!(!loaded.session.is_finished());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "recovery never changes the file"
    );

    // Copied into a data folder, it is listed as unfinished and recovered.
    let tmp = tempfile::tempdir().unwrap();
    let dir = DataDir::open(tmp.path()).unwrap();
    std::fs::copy(&path, dir.journal_path(ID)).unwrap();
    let unfinished = dir.unfinished().unwrap();
    assert_eq!(unfinished.len(), 1);
    assert_eq!(unfinished[0].events, 25);
    assert!(unfinished[0].recovered);
}
