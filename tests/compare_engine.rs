//! The comparator's engine: the same output on one thread and many, with the variant cache and
//! without, streamed in the document form it had before; and the bounds that keep a runaway
//! input (a group too large, a trace too long for its pathway, an XES bomb) from running for
//! hours or eating memory.

mod support {
    pub mod cli;
}

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use shadowmap::compare::engine::{Engine, Trace};
use shadowmap::compare::output::{Document, Format, comparisons_json, render};
use shadowmap::compare::{Comparison, Model, compare_with_model, load_pathway_json, xes};
use shadowmap::model::Pathway;

/// The kit's command, with more time: some runs here align on purpose runaway traces.
fn shadowmap() -> Command {
    let mut cmd = support::cli::shadowmap();
    cmd.timeout(Duration::from_secs(120));
    cmd
}

fn traces(log: &str) -> Vec<Trace> {
    xes::read_all(Path::new(log))
        .unwrap()
        .into_iter()
        .map(|t| Trace {
            observed: t.observed(),
            case_id: t.case_id,
        })
        .collect()
}

/// The document the engine streams, with `threads` workers.
fn streamed(engine: &Engine, traces: &[Trace], format: Format, threads: usize) -> Vec<u8> {
    let pathway = engine.pathway();
    let mut document = Document::new(format, pathway, Vec::new());
    engine
        .compare_in_order(
            traces.iter().cloned().map(Ok::<_, std::io::Error>),
            threads,
            |result| render(format, pathway, &result.unwrap()),
            |rendered| document.push(&rendered),
        )
        .unwrap();
    document.finish(engine.distinct_sequences()).unwrap()
}

const FIXTURES: &[(&str, &str)] = &[
    ("tests/fixtures/oracle/groups.xes", "groups"),
    ("tests/fixtures/oracle/mixed.xes", "mixed"),
    ("tests/fixtures/oracle/repeat.xes", "repeat"),
    ("tests/fixtures/oracle/big-group.xes", "big-group"),
];

fn pathway(name: &str) -> Pathway {
    load_pathway_json(Path::new(&format!(
        "tests/fixtures/oracle/{name}.pathway.json"
    )))
    .unwrap()
}

#[test]
fn the_streamed_json_is_the_document_of_before_plus_the_distinct_count() {
    for (log, name) in FIXTURES {
        let pathway = pathway(name);
        // The log, then its first 30 traces again under other case ids: repeated sequences.
        let mut traces = traces(log);
        let again: Vec<Trace> = traces[..30]
            .iter()
            .map(|t| Trace {
                case_id: format!("{}-again", t.case_id),
                observed: t.observed.clone(),
            })
            .collect();
        traces.extend(again);
        traces.push(Trace {
            case_id: "empty".into(),
            observed: Vec::new(),
        });
        // Before: every trace aligned on its own, the whole document built, then printed.
        let model = Model::compile(&pathway).unwrap();
        let before: Vec<Comparison> = traces
            .iter()
            .map(|t| compare_with_model(&t.case_id, &t.observed, &pathway, &model))
            .collect();
        let before = serde_json::to_string_pretty(&comparisons_json(&pathway, &before)).unwrap();
        let engine = Engine::new(&pathway).unwrap();
        let after = String::from_utf8(streamed(&engine, &traces, Format::Json, 1)).unwrap();
        let distinct = engine.distinct_sequences();
        assert_eq!(
            after,
            format!(
                "{}],\n  \"distinct_sequences\": {distinct}\n}}\n",
                before.strip_suffix("]\n}").unwrap()
            ),
            "{log}"
        );
        let sequences: std::collections::HashSet<Vec<Option<&str>>> = traces
            .iter()
            .map(|t| {
                t.observed
                    .iter()
                    .map(|o| pathway.step(&o.step).map(|s| s.id.as_str()))
                    .collect()
            })
            .collect();
        assert_eq!(distinct, sequences.len(), "{log}");
        assert!(distinct <= traces.len() - 30, "{log}");
        assert!(after.contains("\"case_id\": \"empty\""), "{log}");
    }
}

#[test]
fn one_thread_or_many_with_the_cache_or_without_give_the_same_bytes() {
    for (log, name) in FIXTURES {
        let pathway = pathway(name);
        let traces = traces(log);
        for format in [Format::Json, Format::Text] {
            let one = streamed(&Engine::new(&pathway).unwrap(), &traces, format, 1);
            let many = streamed(&Engine::new(&pathway).unwrap(), &traces, format, 4);
            assert!(one == many, "{log} {format:?}: one thread against four");
            let uncached = Engine::new(&pathway).unwrap().without_variant_cache();
            let uncached = streamed(&uncached, &traces, format, 3);
            // Without the cache every trace is aligned: only the count in the closing line
            // differs.
            let cut = |bytes: &[u8]| -> String {
                let text = String::from_utf8(bytes.to_vec()).unwrap();
                let end = text
                    .rfind("distinct_sequences")
                    .or_else(|| text.rfind(" distinct step sequences"))
                    .unwrap();
                text[..text[..end].rfind('\n').unwrap()].to_string()
            };
            assert_eq!(
                cut(&one),
                cut(&uncached),
                "{log} {format:?}: cache on and off"
            );
        }
    }
}

#[test]
fn the_command_gives_the_same_bytes_on_one_thread_and_many() {
    for (log, pathway) in [
        (
            "tests/fixtures/oracle/groups.xes",
            "tests/fixtures/oracle/groups.pathway.json",
        ),
        ("tests/fixtures/xes/helpdesk.xes.gz", "med-rec-admission"),
    ] {
        for format in ["json", "text"] {
            let run = |threads: &str| {
                shadowmap()
                    .args(["compare", log, "--pathway", pathway, "--format", format])
                    .args(["--threads", threads])
                    .assert()
                    .success()
                    .get_output()
                    .stdout
                    .clone()
            };
            let one = run("1");
            assert!(one == run("4"), "{log} {format}");
            assert!(one == run("0"), "{log} {format}");
        }
    }
    let text = shadowmap()
        .args(["compare", "tests/fixtures/oracle/groups.xes"])
        .args(["--pathway", "tests/fixtures/oracle/groups.pathway.json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("100 traces (") && text.contains(" distinct step sequences): mean fitness"),
        "{}",
        &text[text.len().saturating_sub(300)..]
    );
}

#[test]
fn the_output_comes_trace_by_trace() {
    // A log whose second trace is malformed: the first trace is already out when the error
    // stops the run (before, nothing was written until the whole log was read).
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("half.xes");
    std::fs::write(
        &log,
        "<log>\n<trace><string key=\"concept:name\" value=\"first\"/><event><string key=\"concept:name\" value=\"open-chart\"/></event></trace>\n<trace><event><date key=\"time:timestamp\" value=\"soon\"/></event></trace>\n</log>\n",
    )
    .unwrap();
    // On worker threads too: the traces before the bad one are all written first.
    for threads in ["1", "2"] {
        let out = shadowmap()
            .arg("compare")
            .arg(&log)
            .args(["--pathway", "med-rec-admission", "--format", "json"])
            .args(["--threads", threads])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("\"case_id\": \"first\""),
            "{threads}: {stdout}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("half.xes:3:") && stderr.contains("soon"),
            "{stderr}"
        );
    }
}

// ------------------------------------------------------------------ the any-order group limit

/// A RON pathway of `groups` any-order groups of `size` steps each, after one ordinary step;
/// members are `g{group}m{member}`.
fn ron_pathway(groups: usize, size: usize) -> String {
    let mut text = String::from(
        "Pathway(\n    id: \"wide\",\n    version: 1,\n    name: \"Wide groups\",\n    steps: [\n        Step(id: \"start\", label: \"Start\", expected_secs: 10, expected_clicks: 1),\n",
    );
    for g in 0..groups {
        _ = writeln!(
            text,
            "        AnyOrder(id: \"g{g}\", label: \"Group {g}\", steps: ["
        );
        for i in 0..size {
            _ = writeln!(
                text,
                "            Step(id: \"g{g}m{i}\", label: \"Member {i}\", expected_secs: 10, expected_clicks: 1),"
            );
        }
        text.push_str("        ]),\n");
    }
    text.push_str("    ],\n)\n");
    text
}

#[test]
fn pathways_check_and_compare_refuse_a_group_over_the_limit_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let ok = dir.path().join("ok.ron");
    std::fs::write(&ok, ron_pathway(1, 16)).unwrap();
    shadowmap()
        .args(["pathways", "check"])
        .arg(&ok)
        .assert()
        .success();
    let big = dir.path().join("big.ron");
    std::fs::write(&big, ron_pathway(2, 17)).unwrap();
    let out = shadowmap()
        .args(["pathways", "check"])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // The first group's `id: "g0"` is on line 7, column 22.
    assert!(
        stderr.contains(&format!("{}:7:22", big.display()))
            && stderr.contains("group `g0` has 17 steps; a group may hold at most 16"),
        "{stderr}"
    );
    // capture refuses it before its screen opens, with the same words.
    let data = tempfile::tempdir().unwrap();
    let out = shadowmap()
        .env("SHADOWMAP_DATA_DIR", data.path())
        .args(["capture", "--pathway"])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:7:22", big.display())) && stderr.contains("at most 16"),
        "{stderr}"
    );
    // compare reads the same file with the same verdict.
    let out = shadowmap()
        .args(["compare", "tests/fixtures/oracle/groups.xes", "--pathway"])
        .arg(&big)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:7:22", big.display())) && stderr.contains("at most 16"),
        "{stderr}"
    );
    // And the oracle's pathway JSON too.
    let members: Vec<String> = (0..17).map(|i| format!("{{\"id\":\"m{i}\"}}")).collect();
    let json = dir.path().join("big.pathway.json");
    std::fs::write(
        &json,
        format!(
            "{{\n\"steps\": [\n  {{\"group\": \"g\", \"steps\": [{}]}}\n]}}\n",
            members.join(", ")
        ),
    )
    .unwrap();
    let out = shadowmap()
        .args(["compare", "tests/fixtures/oracle/groups.xes", "--pathway"])
        .arg(&json)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:13", json.display())) && stderr.contains("at most 16"),
        "{stderr}"
    );
}

/// A pathway JSON of `groups` groups of 16 steps, and an XES log of one ordinary trace and one
/// trace of `events` events.
fn runaway(dir: &Path, groups: usize, events: usize) -> (std::path::PathBuf, std::path::PathBuf) {
    let elements: Vec<String> = (0..groups)
        .map(|g| {
            let members: Vec<String> = (0..16)
                .map(|i| format!("{{\"id\":\"g{g}m{i}\"}}"))
                .collect();
            format!("{{\"group\":\"g{g}\",\"steps\":[{}]}}", members.join(","))
        })
        .collect();
    let pathway = dir.join("wide.pathway.json");
    std::fs::write(&pathway, format!("{{\"steps\":[{}]}}", elements.join(","))).unwrap();
    let event = |a: &str| format!("<event><string key=\"concept:name\" value=\"{a}\"/></event>");
    let mut xml = String::from("<log>\n<trace><string key=\"concept:name\" value=\"small\"/>");
    xml.push_str(&event("g0m3"));
    xml.push_str("</trace>\n<trace><string key=\"concept:name\" value=\"runaway\"/>\n");
    for i in 0..events {
        xml.push_str(&event(&format!("g{}m{}", (i / 7) % groups, (i * 5) % 16)));
        xml.push('\n');
    }
    xml.push_str("</trace>\n</log>\n");
    let log = dir.join("long.xes");
    std::fs::write(&log, xml).unwrap();
    (pathway, log)
}

#[test]
fn a_trace_beyond_the_work_bound_is_a_clear_error_naming_it_not_hours() {
    let dir = tempfile::tempdir().unwrap();
    let (pathway, log) = runaway(dir.path(), 20, 3_000);
    let out = shadowmap()
        .arg("compare")
        .arg(&log)
        .arg("--pathway")
        .arg(&pathway)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("trace `runaway`: aligning its 3000 steps")
            && stderr.contains("split the trace"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"case_id\": \"small\""), "{stdout}");
}

#[test]
fn report_skips_a_session_beyond_the_work_bound_with_a_warning() {
    use chrono::DateTime;
    use shadowmap::model::{Event, EventKind, SESSION_FORMAT_VERSION, Session, SessionHeader};
    let dir = tempfile::tempdir().unwrap();
    let pathway = dir.path().join("wide.ron");
    std::fs::write(&pathway, ron_pathway(20, 16)).unwrap();
    let sessions = dir.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    let session = |id: &str, steps: usize| {
        let mut events: Vec<Event> = (0..steps)
            .map(|i| Event {
                seq: i as u64 + 1,
                at_ms: i as u64 * 1000,
                kind: EventKind::StepStart {
                    step: format!("g{}m{}", (i / 7) % 20, (i * 5) % 16),
                },
            })
            .collect();
        events.push(Event {
            seq: steps as u64 + 1,
            at_ms: steps as u64 * 1000 + 1000,
            kind: EventKind::Finish,
        });
        Session {
            header: SessionHeader {
                format_version: SESSION_FORMAT_VERSION,
                id: id.into(),
                started_at: DateTime::parse_from_rfc3339("2026-11-25T09:00:00+01:00").unwrap(),
                site: "north".into(),
                role: "RN".into(),
                clinician: "RN-07".into(),
                auditor: "ak".into(),
                pathway_id: "wide".into(),
                pathway_version: 1,
            },
            events,
        }
    };
    std::fs::write(sessions.join("a-small.ron"), session("a-small", 5).to_ron()).unwrap();
    std::fs::write(
        sessions.join("b-long.ron"),
        session("b-long", 3_000).to_ron(),
    )
    .unwrap();
    let out = shadowmap()
        .arg("report")
        .arg(&sessions)
        .arg("--pathway")
        .arg(&pathway)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: skipped")
            && stderr.contains("b-long.ron")
            && stderr.contains("session `b-long` not compared: aligning its 3000 steps"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 session"), "{stdout}");
}

// ------------------------------------------------------------------------------- XES bombs

fn gzip(xml: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(xml).unwrap();
    gz.finish().unwrap()
}

#[test]
fn an_xes_bomb_is_refused_at_its_line_without_eating_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 64 MB of one attribute value, a few dozen KB compressed.
    let mut xml = b"<log>\n<trace>\n<event>\n<string key=\"note\" value=\"".to_vec();
    xml.resize(xml.len() + (64 << 20), b'a');
    xml.extend_from_slice(b"\"/></event></trace></log>\n");
    let bomb = dir.path().join("bomb.xes.gz");
    std::fs::write(&bomb, gzip(&xml)).unwrap();
    drop(xml);
    let out = shadowmap()
        .arg("compare")
        .arg(&bomb)
        .args(["--pathway", "med-rec-admission"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:4:1", bomb.display())) && stderr.contains("longer than 16 MB"),
        "{stderr}"
    );

    // An activity name of 100 KB is refused too (a kept value has a smaller bound).
    let long = format!(
        "<log>\n<trace>\n<event><string key=\"concept:name\" value=\"{}\"/></event></trace></log>\n",
        "b".repeat(100 << 10)
    );
    let long_name = dir.path().join("long-name.xes");
    std::fs::write(&long_name, long).unwrap();
    let out = shadowmap()
        .arg("compare")
        .arg(&long_name)
        .args(["--pathway", "med-rec-admission"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:3:", long_name.display()))
            && stderr.contains("concept:name")
            && stderr.contains("at most 65536"),
        "{stderr}"
    );
}

#[test]
fn a_session_streams_the_json_of_before_too() {
    use shadowmap::model::{Session, derive_timeline, resolve_pathway};
    let mut files: Vec<_> = std::fs::read_dir("sample-sessions")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    for file in files {
        let session = Session::load(&file).unwrap();
        let pathway = resolve_pathway(&session.header.pathway_id).unwrap().0;
        let before = shadowmap::compare::compare_session(&session, &pathway);
        let before = serde_json::to_string_pretty(&comparisons_json(&pathway, &[before])).unwrap();
        let engine = Engine::new(&pathway).unwrap();
        let comparison = engine
            .compare_timeline(&session.header.id, &derive_timeline(&session.events))
            .unwrap();
        let mut document = Document::new(Format::Json, &pathway, Vec::new());
        document
            .push(&render(Format::Json, &pathway, &comparison))
            .unwrap();
        let after = String::from_utf8(document.finish(1).unwrap()).unwrap();
        assert_eq!(
            after,
            format!(
                "{}],\n  \"distinct_sequences\": 1\n}}\n",
                before.strip_suffix("]\n}").unwrap()
            ),
            "{}",
            file.display()
        );
        assert!(after.contains("\"observed_minutes\""));
    }
}
