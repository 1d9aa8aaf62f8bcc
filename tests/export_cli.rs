//! `shadowmap export` through the real binary: every format, redaction, --out.

mod support {
    pub mod cli;
}

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use support::cli::shadowmap;

use shadowmap::model::{
    Event, EventKind, InterruptionSource, ProblemKind, Session, SessionHeader, WorkaroundKind,
};
use shadowmap::testing::{header, session_of};

const MRN: &str = "00123456";
const PHONE: &str = "555-123-4567";
const EMAIL: &str = "jane.doe@example.org";
const DOB: &str = "03/04/1956";

/// A session with a record number, phone number, e-mail and date of birth planted in its
/// notes and in its other free text (site, auditor, an unplanned step's label and id).
fn planted_session() -> Session {
    let planted = SessionHeader {
        site: format!("north, ward tel {PHONE}"),
        auditor: EMAIL.into(),
        ..header()
    };
    let kinds = vec![
        EventKind::StepStart {
            step: "open-chart".into(),
        },
        EventKind::Clicks { delta: 1 },
        EventKind::InterruptionStart {
            source: InterruptionSource::Family,
            note: format!("daughter, call back on {PHONE}"),
        },
        EventKind::InterruptionEnd,
        EventKind::Workaround {
            kind: WorkaroundKind::PaperNote,
            note: format!("MRN {MRN} on a sticky note"),
        },
        EventKind::SystemProblem {
            kind: ProblemKind::MissingData,
            note: format!("DOB {DOB} missing in the chart"),
        },
        EventKind::Note {
            text: format!("pt e-mail {EMAIL}, \"MRN {MRN}\", DOB {DOB}, tel {PHONE}"),
        },
        EventKind::UnplannedStep {
            step: format!("look-up-{MRN}"),
            label: format!("Look up MRN {MRN}, DOB {DOB}, {EMAIL}, {PHONE}"),
        },
        EventKind::StepStart {
            step: "sign".into(),
        },
        EventKind::Finish,
    ];
    let at_ms = (0..).map(|i| 1_000 + i * 7_000);
    session_of(planted, at_ms.zip(kinds))
}

fn write_session(dir: &Path) -> PathBuf {
    let path = dir.join("planted.ron");
    std::fs::write(&path, planted_session().to_ron()).unwrap();
    path
}

fn export(session: &Path, args: &[&str]) -> String {
    let output = shadowmap()
        .arg("export")
        .arg(session)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

const FORMATS: [&[&str]; 5] = [
    &["--format", "json"],
    &["--format", "ron"],
    &["--format", "xes"],
    &["--format", "csv"],
    &["--format", "csv", "--csv", "steps"],
];

#[test]
fn redact_removes_every_planted_identifier_from_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let session = write_session(dir.path());
    for format in FORMATS {
        let mut args = format.to_vec();
        args.push("--redact");
        let text = export(&session, &args);
        for planted in [MRN, PHONE, EMAIL, DOB, "1956", "jane.doe", "4567", "sticky"] {
            assert!(
                !text.contains(planted),
                "{format:?} --redact leaks {planted}:\n{text}"
            );
        }
        // What is left is still the session: its id and its steps.
        assert!(text.contains("open-chart"), "{format:?}");
        assert!(text.contains("look-up-[id]"), "{format:?}:\n{text}");
        if format[1] != "csv" {
            assert!(text.contains("20261125-0918-north-RN-07"), "{format:?}");
        }
    }
}

#[test]
fn without_redact_the_planted_identifiers_are_exported() {
    let dir = tempfile::tempdir().unwrap();
    let session = write_session(dir.path());
    for format in FORMATS {
        let text = export(&session, format);
        // Every format carries the unplanned step's label.
        for planted in [MRN, EMAIL, DOB, PHONE] {
            assert!(text.contains(planted), "{format:?} lost {planted}");
        }
        // All but the steps table carry the notes.
        if format.len() == 2 {
            assert!(text.contains("on a sticky note"), "{format:?}");
        }
    }
}

#[test]
fn json_export_has_the_session_shape() {
    let dir = tempfile::tempdir().unwrap();
    let session = write_session(dir.path());
    let json: serde_json::Value =
        serde_json::from_str(&export(&session, &["--format", "json"])).unwrap();
    // The store's JSON form: the header's fields, then `events`.
    let object = json.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "auditor",
            "clinician",
            "events",
            "format_version",
            "id",
            "pathway_id",
            "pathway_version",
            "role",
            "site",
            "started_at"
        ]
    );
    assert_eq!(json["started_at"], "2026-11-25T09:18:00+01:00");
    assert_eq!(json["id"], "20261125-0918-north-RN-07");
    let events = json["events"].as_array().unwrap();
    assert_eq!(events.len(), 10);
    assert_eq!(events[0]["seq"], 1);
    assert_eq!(events[0]["at_ms"], 1000);
    assert_eq!(events[0]["kind"]["StepStart"]["step"], "open-chart");
    assert_eq!(events[4]["kind"]["Workaround"]["kind"], "paper_note");
    assert_eq!(events[9]["kind"], "Finish");
    // The events read back as the session's events.
    let back: Vec<Event> = serde_json::from_value(json["events"].clone()).unwrap();
    assert_eq!(back, planted_session().events);
}

#[test]
fn csv_exports_have_the_documented_header() {
    let dir = tempfile::tempdir().unwrap();
    let session = write_session(dir.path());
    let events = export(&session, &["--format", "csv"]);
    assert_eq!(
        events.lines().next().unwrap(),
        "session,seq,at_ms,time,kind,step,detail,delta,text,undone"
    );
    let steps = export(&session, &["--format", "csv", "--csv", "steps"]);
    assert_eq!(
        steps.lines().next().unwrap(),
        "session,occurrence,step,label,unplanned,start,end,ended_by,active_secs,\
         interrupted_secs,paused_secs,clicks,screens,reentries,interruptions,workarounds,problems"
    );
    assert_eq!(steps.lines().count(), 4);
}

#[test]
fn out_writes_an_owner_only_file_and_never_over_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let session = write_session(dir.path());
    let out = dir.path().join("export.xes");
    export(
        &session,
        &[
            "--format",
            "xes",
            "--redact",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("<trace>") && !text.contains(MRN));
    // An existing, world-readable file is replaced by an owner-only one.
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    export(
        &session,
        &["--format", "csv", "--out", out.to_str().unwrap()],
    );
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let before = std::fs::read(&session).unwrap();
    shadowmap()
        .arg("export")
        .arg(&session)
        .args(["--format", "ron", "--redact", "--out"])
        .arg(&session)
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "--out names the session being exported",
        ));
    assert_eq!(std::fs::read(&session).unwrap(), before);
}

#[test]
fn csv_table_option_needs_csv_format() {
    let dir = tempfile::tempdir().unwrap();
    let session = write_session(dir.path());
    shadowmap()
        .arg("export")
        .arg(&session)
        .args(["--format", "json", "--csv", "steps"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("applies only to --format csv"));
}

/// Every sample session: the XES export's complete events (read as `docs/exports.md`
/// says a reader takes XES) are its observed steps, each step a start/complete pair; the CSV tables have
/// a row per event and per step; the planted record number and phone number of the samples'
/// notes leave no trace with --redact.
#[test]
fn every_sample_session_exports_consistently() {
    use quick_xml::Reader;
    use quick_xml::events::Event as Xml;
    use shadowmap::report::export::{csv, redact_session, xes};

    let mut samples: Vec<PathBuf> = std::fs::read_dir("sample-sessions")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    samples.sort();
    assert!(samples.len() >= 10);
    let mut leaked_without_redact = false;
    for path in &samples {
        let session = Session::load(path).unwrap();
        let timeline = session.timeline();
        let xml = xes::to_xes_string([&session]);
        // (name, transition, instance) of every event, in file order.
        let mut events: Vec<[String; 3]> = Vec::new();
        let mut reader = Reader::from_str(&xml);
        let mut in_event = false;
        loop {
            match reader.read_event().unwrap() {
                Xml::Start(e) if e.name().as_ref() == "event" => {
                    in_event = true;
                    events.push(Default::default());
                }
                Xml::End(e) if e.name().as_ref() == "event" => in_event = false,
                Xml::Empty(e) if in_event => {
                    let get = |k: &str| {
                        e.try_get_attribute(k)
                            .unwrap()
                            .unwrap()
                            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned()
                    };
                    let slot = match get("key").as_str() {
                        "concept:name" => 0,
                        "lifecycle:transition" => 1,
                        "concept:instance" => 2,
                        _ => continue,
                    };
                    events.last_mut().unwrap()[slot] = get("value");
                }
                Xml::Eof => break,
                _ => {}
            }
        }
        let complete: Vec<&str> = events
            .iter()
            .filter(|e| e[1] == "complete")
            .map(|e| e[0].as_str())
            .collect();
        assert_eq!(complete, timeline.observed_steps(), "{}", path.display());
        let starts = events.iter().filter(|e| e[1] == "start").count();
        assert_eq!(starts, timeline.steps.len(), "{}", path.display());

        let rows = csv::parse(
            &String::from_utf8(csv::write_events_csv(Vec::new(), &session).unwrap()).unwrap(),
        );
        assert_eq!(rows.len(), 1 + session.events.len());
        let rows = csv::parse(
            &String::from_utf8(csv::write_steps_csv(Vec::new(), &session, None).unwrap()).unwrap(),
        );
        assert_eq!(rows.len(), 1 + timeline.steps.len());

        let plain = session.to_ron();
        leaked_without_redact |= plain.contains("00482913");
        let redacted = redact_session(&session);
        for text in [
            redacted.to_ron(),
            xes::to_xes_string([&redacted]),
            String::from_utf8(csv::write_events_csv(Vec::new(), &redacted).unwrap()).unwrap(),
        ] {
            assert!(!text.contains("00482913") && !text.contains("555-0142"));
        }
    }
    assert!(
        leaked_without_redact,
        "a sample plants MRN 00482913 in a note"
    );
}
