//! `export --format parquet` and `--format ocel` over the sample sessions, read back: the
//! Parquet tables with the `parquet` crate (schema and values), the OCEL log as JSON. The
//! expected values come from the library's own reading of the same sessions.

use std::collections::BTreeSet;
use std::fs::File;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use parquet::basic::{LogicalType, TimeUnit};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row};
use shadowmap::exchange::parquet::tables;
use shadowmap::model::{EventKind, Session, derive_timeline, resolve_pathway};
use shadowmap::report::digest::digest_session;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions")
}

fn sessions() -> Vec<Session> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files.iter().map(|p| Session::load(p).unwrap()).collect()
}

fn export(format: &str, out: &Path, redact: bool) {
    let mut cmd = Command::cargo_bin("shadowmap").unwrap();
    cmd.arg("export")
        .arg(samples())
        .args(["--format", format, "--out"])
        .arg(out);
    if redact {
        cmd.arg("--redact");
    }
    cmd.assert().success();
}

fn rows(path: &Path) -> Vec<Row> {
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn field<'a>(row: &'a Row, name: &str) -> &'a Field {
    row.get_column_iter()
        .find(|(n, _)| n.as_str() == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .1
}

fn text(row: &Row, name: &str) -> Option<String> {
    match field(row, name) {
        Field::Str(s) => Some(s.clone()),
        Field::Null => None,
        other => panic!("{name} is {other:?}"),
    }
}

fn long(row: &Row, name: &str) -> i64 {
    match field(row, name) {
        Field::Long(n) => *n,
        Field::Int(n) => i64::from(*n),
        Field::TimestampMicros(n) => *n,
        other => panic!("{name} is {other:?}"),
    }
}

fn double(row: &Row, name: &str) -> f64 {
    match field(row, name) {
        Field::Double(x) => *x,
        other => panic!("{name} is {other:?}"),
    }
}

fn boolean(row: &Row, name: &str) -> bool {
    match field(row, name) {
        Field::Bool(b) => *b,
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn the_parquet_tables_have_the_documented_schema_and_the_sessions_values() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("tables");
    export("parquet", &out, false);
    let sessions = sessions();

    for (name, columns) in tables() {
        let reader = SerializedFileReader::new(File::open(out.join(name)).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr();
        let names: Vec<&str> = schema.columns().iter().map(|c| c.name()).collect();
        let expected: Vec<&str> = columns.iter().map(|c| c.name.as_ref()).collect();
        assert_eq!(names, expected, "{name}");
        for (i, column) in schema.columns().iter().enumerate() {
            match column.name() {
                "started_at" | "time" => match column.logical_type_ref() {
                    Some(LogicalType::Timestamp(t)) => {
                        assert!(t.is_adjusted_to_u_t_c, "{name}.{} is UTC", column.name());
                        assert!(matches!(t.unit, TimeUnit::MICROS), "{name}: {t:?}");
                    }
                    other => panic!("{name}.{} is {other:?}", column.name()),
                },
                "session_id" | "site" | "step" | "kind" => {
                    assert_eq!(
                        column.logical_type_ref(),
                        Some(&LogicalType::String),
                        "{name}.{i}"
                    );
                }
                _ => {}
            }
        }
    }

    let session_rows = rows(&out.join("sessions.parquet"));
    assert_eq!(session_rows.len(), sessions.len());
    let step_rows = rows(&out.join("steps.parquet"));
    let event_rows = rows(&out.join("events.parquet"));
    for session in &sessions {
        let h = &session.header;
        let pathway = resolve_pathway(&h.pathway_id).unwrap().0;
        let digest = digest_session(session, &pathway);
        let row = session_rows
            .iter()
            .find(|r| text(r, "session_id").as_deref() == Some(h.id.as_str()))
            .unwrap();
        assert_eq!(long(row, "started_at"), h.started_at.timestamp_micros());
        assert_eq!(long(row, "events"), session.events.len() as i64);
        assert_eq!(text(row, "clinician").unwrap(), h.clinician);
        assert_eq!(long(row, "pathway_version"), i64::from(h.pathway_version));
        assert!(boolean(row, "finished"));
        assert!((double(row, "fitness") - digest.fitness).abs() < 1e-12);
        assert!((double(row, "observed_min") - digest.observed_secs / 60.0).abs() < 1e-9);

        let steps: Vec<&Row> = step_rows
            .iter()
            .filter(|r| text(r, "session_id").as_deref() == Some(h.id.as_str()))
            .collect();
        let timeline = derive_timeline(&session.events);
        assert_eq!(steps.len(), timeline.steps.len(), "{}", h.id);
        for ((row, step), span) in steps.iter().zip(&digest.steps).zip(&timeline.steps) {
            assert_eq!(text(row, "step").unwrap(), step.step);
            assert_eq!(
                text(row, "move").unwrap(),
                if step.synced { "sync" } else { "log" }
            );
            assert_eq!(long(row, "clicks"), i64::from(step.clicks));
            assert!((double(row, "active_secs") - step.active_secs).abs() < 1e-12);
            assert_eq!(boolean(row, "over_time"), step.over_time);
            assert_eq!(
                long(row, "started_at"),
                session.wall_clock(span.start_ms).timestamp_micros()
            );
            let expected_secs = field(row, "expected_secs");
            if step.planned {
                assert_eq!(*expected_secs, Field::Int(step.expected_secs as i32));
            } else {
                assert_eq!(
                    *expected_secs,
                    Field::Null,
                    "an unplanned step has no expectation"
                );
            }
        }
        // Occurrences count 1, 2, ... per step id.
        let mut seen = std::collections::HashMap::new();
        for row in &steps {
            let n = seen.entry(text(row, "step").unwrap()).or_insert(0);
            *n += 1;
            assert_eq!(long(row, "occurrence"), *n);
        }

        let events: Vec<&Row> = event_rows
            .iter()
            .filter(|r| text(r, "session_id").as_deref() == Some(h.id.as_str()))
            .collect();
        assert_eq!(events.len(), session.events.len());
        for (row, event) in events.iter().zip(&session.events) {
            assert_eq!(long(row, "seq"), event.seq as i64);
            assert_eq!(long(row, "at_ms"), event.at_ms as i64);
            assert_eq!(
                long(row, "time"),
                session.wall_clock(event.at_ms).timestamp_micros()
            );
            assert_eq!(text(row, "kind").unwrap(), event.kind.name());
            assert_eq!(
                text(row, "note"),
                event
                    .kind
                    .text()
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
            );
        }
    }
}

#[test]
fn a_redacted_parquet_export_has_no_note_text() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("tables");
    export("parquet", &out, true);
    let events = rows(&out.join("events.parquet"));
    let notes: Vec<String> = events
        .iter()
        .filter(|r| text(r, "kind").as_deref() != Some("unplanned_step"))
        .filter_map(|r| text(r, "note"))
        .collect();
    assert!(notes.is_empty(), "notes left: {notes:?}");
    // The figures are those of the unredacted export.
    let plain = tmp.path().join("plain");
    export("parquet", &plain, false);
    let a = rows(&out.join("sessions.parquet"));
    let b = rows(&plain.join("sessions.parquet"));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(double(x, "fitness"), double(y, "fitness"));
        assert_eq!(long(x, "events"), long(y, "events"));
    }
}

#[test]
fn the_ocel_log_has_every_session_clinician_site_step_occurrence_and_event() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("samples.ocel.json");
    export("ocel", &out, false);
    let log: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let sessions = sessions();
    let count = |kind: &str| {
        log["objects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["type"] == kind)
            .count()
    };
    let clinicians: BTreeSet<&str> = sessions
        .iter()
        .map(|s| s.header.clinician.as_str())
        .collect();
    let sites: BTreeSet<&str> = sessions.iter().map(|s| s.header.site.as_str()).collect();
    let occurrences: usize = sessions
        .iter()
        .map(|s| derive_timeline(&s.events).steps.len())
        .sum();
    let events: usize = sessions
        .iter()
        .map(|s| {
            let undone = derive_timeline(&s.events).undone;
            s.events
                .iter()
                .filter(|e| !undone.contains(&e.seq) && !matches!(e.kind, EventKind::Undo { .. }))
                .count()
        })
        .sum();
    assert_eq!(count("session"), sessions.len());
    assert_eq!(count("clinician"), clinicians.len());
    assert_eq!(count("site"), sites.len());
    assert_eq!(count("step_occurrence"), occurrences);
    assert_eq!(log["events"].as_array().unwrap().len(), events);
    // Every relationship points at an object of the log.
    let ids: BTreeSet<&str> = log["objects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    for e in log["events"].as_array().unwrap() {
        for r in e["relationships"].as_array().unwrap() {
            assert!(ids.contains(r["objectId"].as_str().unwrap()), "{r}");
        }
        assert!(e["time"].as_str().unwrap().ends_with('Z'));
    }
}

#[test]
fn parquet_needs_a_folder_and_single_formats_one_session() {
    let tmp = tempfile::tempdir().unwrap();
    Command::cargo_bin("shadowmap")
        .unwrap()
        .arg("export")
        .arg(samples())
        .args(["--format", "parquet"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("--out DIR"));
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    Command::cargo_bin("shadowmap")
        .unwrap()
        .arg("export")
        .arg(samples())
        .args(["--format", "parquet", "--out"])
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicates::str::contains("must name a folder"));
    Command::cargo_bin("shadowmap")
        .unwrap()
        .args(["export", "a", "b", "--format", "json"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("takes one session (2 given)"));
}
