//! `shadowmap compare` from the command line: outputs and bad input.

mod support {
    pub mod cli;
}

use predicates::prelude::*;
use shadowmap::model::{EventKind, Session};
use shadowmap::testing::{header_with_id, session_of};
use std::fmt::Write as _;
use support::cli::shadowmap;

fn session(steps: &[(&str, u64)]) -> Session {
    let starts = steps.iter().map(|(step, secs)| {
        let kind = EventKind::StepStart {
            step: step.to_string(),
        };
        (secs * 1000, kind)
    });
    let end = steps.last().map_or(10, |(_, s)| s + 10);
    session_of(
        header_with_id("s-cli-1"),
        starts.chain([(end * 1000, EventKind::Finish)]),
    )
}

#[test]
fn an_xes_log_against_oracle_json_gives_the_json_of_domain_md() {
    let out = shadowmap()
        .args([
            "compare",
            "tests/fixtures/oracle/groups.xes",
            "--pathway",
            "tests/fixtures/oracle/groups.pathway.json",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["pathway"], "groups");
    assert_eq!(doc["traces"].as_array().unwrap().len(), 100);
    let scores: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("tests/fixtures/oracle/groups.scores.json").unwrap(),
    )
    .unwrap();
    for (ours, pm4py) in doc["traces"]
        .as_array()
        .unwrap()
        .iter()
        .zip(scores["traces"].as_array().unwrap())
    {
        assert_eq!(ours["case_id"], pm4py["case_id"]);
        assert_eq!(ours["cost"], pm4py["cost"]);
        assert_eq!(ours["worst_cost"], pm4py["worst_cost"]);
    }
}

#[test]
fn a_session_file_uses_its_own_pathway_and_explains_in_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    let s = session(&[
        ("open-chart", 0),
        ("ask-patient", 30),
        ("x-phone", 200),
        ("pharmacy-record", 260),
        ("enter-home-meds", 320),
    ]);
    std::fs::write(&path, s.to_ron()).unwrap();
    let before = std::fs::read(&path).unwrap();
    shadowmap()
        .args(["compare", path.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "s-cli-1: fitness 0.800 (cost 2 of at most 10)",
        ))
        .stdout(predicate::str::contains(
            "`x-phone` was done at 3:20 (event 3); it is not in the pathway.",
        ))
        .stdout(predicate::str::contains(
            "`sign` (Sign reconciliation) was not done (expected after `enter-home-meds`).",
        ))
        .stdout(predicate::str::contains(
            "Optional steps left out (information): review-allergies",
        ))
        .stdout(predicate::str::contains("interruptions"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the session file is left alone"
    );
}

#[test]
fn bad_input_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // Unknown pathway.
    shadowmap()
        .args([
            "compare",
            "tests/fixtures/oracle/groups.xes",
            "--pathway",
            "no-such-pathway",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "unknown pathway id `no-such-pathway`",
        ));
    // An XES log with no pathway.
    shadowmap()
        .args(["compare", "tests/fixtures/oracle/groups.xes"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--pathway"));
    // Malformed XES: file, line, column.
    let bad = dir.path().join("bad.xes");
    std::fs::write(&bad, "<log>\n <trace>\n  <event></trace>\n</log>\n").unwrap();
    shadowmap()
        .args([
            "compare",
            bad.to_str().unwrap(),
            "--pathway",
            "med-rec-admission",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::is_match(r"bad\.xes:3:\d+: malformed XML").unwrap())
        .stderr(predicate::str::contains("panicked").not());
    // Malformed RON.
    let ron = dir.path().join("bad.ron");
    std::fs::write(&ron, "Session(header: (id: 3))").unwrap();
    shadowmap()
        .args(["compare", ron.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::is_match(r"bad\.ron:1:\d+:").unwrap());
    // A session without steps.
    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, session(&[]).to_ron()).unwrap();
    shadowmap()
        .args(["compare", empty.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("has no steps"));
    // A malformed pathway JSON.
    let pj = dir.path().join("p.pathway.json");
    std::fs::write(&pj, "{\"steps\": [\n {\"id\": \"a\", \"repeat\": 1}]}").unwrap();
    shadowmap()
        .args([
            "compare",
            "tests/fixtures/oracle/groups.xes",
            "--pathway",
            pj.to_str().unwrap(),
        ])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("p.pathway.json:2:")
                .and(predicate::str::contains("\"repeat\" must be true or false")),
        );
}

#[test]
fn an_empty_trace_is_scored_not_refused() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("empty.xes");
    std::fs::write(
        &log,
        "<log><trace><string key=\"concept:name\" value=\"nothing\"/></trace></log>",
    )
    .unwrap();
    let out = shadowmap()
        .args([
            "compare",
            log.to_str().unwrap(),
            "--pathway",
            "med-rec-admission",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let t = &doc["traces"][0];
    assert_eq!(
        (
            t["n_steps"].as_u64(),
            t["cost"].as_u64(),
            t["worst_cost"].as_u64()
        ),
        (Some(0), Some(5), Some(5))
    );
    assert_eq!(t["fitness"], 0.0);
}

#[test]
fn a_session_id_is_found_in_the_data_folder() {
    use shadowmap::store::{DataDir, SessionWriter};
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::open(dir.path()).unwrap();
    let s = session(&[
        ("open-chart", 0),
        ("ask-patient", 30),
        ("pharmacy-record", 90),
        ("enter-home-meds", 150),
        ("sign", 400),
    ]);
    let mut writer = SessionWriter::create(&data, &s.header).unwrap();
    for e in &s.events {
        writer.append(e).unwrap();
    }
    writer.finish(&s).unwrap();
    let mut cmd = shadowmap();
    cmd.env("SHADOWMAP_DATA_DIR", dir.path())
        .args(["compare", "s-cli-1", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"case_id\": \"s-cli-1\""))
        .stdout(predicate::str::contains("\"fitness\": 1.0"));
    let mut cmd = shadowmap();
    cmd.env("SHADOWMAP_DATA_DIR", dir.path())
        .args(["compare", "no-such-session"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no-such-session"));
}

#[test]
fn truncated_gzip_and_logs_without_traces_are_clear_errors() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    // A valid log of many traces, gzipped, then cut in the middle of the stream.
    let mut xml = String::from("<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\">\n");
    for t in 0..400 {
        let _ = write!(
            xml,
            "<trace><string key=\"concept:name\" value=\"c{t}\"/>\n<event><string key=\"concept:name\" value=\"open-chart\"/></event>\n</trace>\n"
        );
    }
    xml.push_str("</log>\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(xml.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let cut = dir.path().join("cut.xes.gz");
    std::fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    let out = shadowmap()
        .arg("compare")
        .arg(&cut)
        .args(["--pathway", "med-rec-admission"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    // file:line:column, what went wrong, what to do.
    let at = format!("{}:", cut.display());
    assert!(stderr.contains(&at), "{stderr}");
    let rest = &stderr[stderr.find(&at).unwrap() + at.len()..];
    let mut parts = rest.splitn(3, ':');
    assert!(
        parts.next().unwrap().parse::<u32>().unwrap() > 1,
        "{stderr}"
    );
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{stderr}");
    assert!(
        stderr.contains("hint:") && !stderr.contains("panicked"),
        "{stderr}"
    );

    for (name, text) in [
        (
            "none.xes",
            "<?xml version=\"1.0\"?>\n<log xes.version=\"1.0\">\n</log>\n",
        ),
        ("notxes.xes", "<html><body>hello</body></html>\n"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = shadowmap()
            .arg("compare")
            .arg(&path)
            .args(["--pathway", "med-rec-admission"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(name), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        if name == "none.xes" {
            assert!(stderr.contains("no traces"), "{stderr}");
        }
    }
}

#[test]
fn a_session_of_a_pathway_file_asks_for_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.ron");
    let mut s = session(&[("open-chart", 0), ("sign", 30)]);
    s.header.pathway_id = "my-med-rec".into();
    std::fs::write(&path, s.to_ron()).unwrap();
    shadowmap()
        .args(["compare", path.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "session `s-cli-1` was captured against pathway `my-med-rec`, which is not built in: give its file with --pathway FILE",
        ));
    // With the file given, it compares.
    let pathway = dir.path().join("my.ron");
    let ron = shadowmap::model::resolve_pathway("med-rec-admission")
        .unwrap()
        .0
        .to_ron()
        .replace("id: \"med-rec-admission\"", "id: \"my-med-rec\"");
    std::fs::write(&pathway, ron).unwrap();
    shadowmap()
        .args(["compare", path.to_str().unwrap(), "--pathway"])
        .arg(&pathway)
        .assert()
        .success()
        .stdout(predicate::str::contains("Against `my-med-rec` version 3"));
}

#[test]
fn a_folder_points_to_report() {
    let dir = tempfile::tempdir().unwrap();
    shadowmap()
        .args(["compare", dir.path().to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "is a folder: compare takes one session (id or file) or one XES log",
        ))
        .stderr(predicate::str::contains("`shadowmap report "));
}

/// A log of 4 MB and more is read in chunks on worker threads: a stamp whose date is ten zero
/// bytes far into it (which was read as 1970-01-01) is refused at its line and column, the
/// zero bytes shown escaped.
#[test]
fn a_stamp_of_zero_bytes_in_a_large_log_is_refused_at_its_place() {
    let mut log = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log>\n");
    let mut trace = 0;
    while log.len() < 5 << 20 {
        let _ = writeln!(
            log,
            "<trace><string key=\"concept:name\" value=\"case {trace}\"/>"
        );
        for (i, step) in ["verify_patient", "review_allergies", "sign_order"]
            .iter()
            .enumerate()
        {
            let _ = writeln!(
                log,
                "<event><string key=\"concept:name\" value=\"{step}\"/><date key=\"time:timestamp\" value=\"2024-05-0{}T10:00:00.000+02:00\"/></event>",
                i + 1
            );
        }
        log.push_str("</trace>\n");
        trace += 1;
    }
    let line = 2 + 5 * (trace - 10) + 3;
    let at = log.match_indices("\n").nth(line - 2).unwrap().0 + 1;
    let stamp_at = at + log[at..].find("2024-05-02").unwrap();
    log.replace_range(stamp_at..stamp_at + 10, "\0\0\0\0\0\0\0\0\0\0");
    log.push_str("</log>\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.xes");
    std::fs::write(&path, &log).unwrap();
    // The place of the attribute element holding the stamp.
    let column = log[at..].find("<date").unwrap() + 1;
    let out = shadowmap()
        .args([
            "compare",
            path.to_str().unwrap(),
            "--pathway",
            "med-rec-admission",
            "--threads",
            "2",
        ])
        .assert()
        .failure();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let place = format!("large.xes:{line}:{column}: time:timestamp `\\u{{0}}\\u{{0}}");
    assert!(stderr.contains(&place), "{place}\n{stderr}");
    assert!(stderr.contains("is not a date and time"), "{stderr}");
    assert!(
        !stderr.contains('\0') && !stderr.contains("panicked"),
        "{stderr}"
    );
}
