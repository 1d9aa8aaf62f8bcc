//! `shadowmap report` end to end: overrides surviving a re-run, redaction in every format, and
//! the shapes of the CSV and JSON of the findings.

mod support {
    pub mod cli;
}

use std::path::Path;
use support::cli::shadowmap;

use shadowmap::model::{ProblemKind, Session, WorkaroundKind};
use shadowmap::testing::{StepSpec, as_expected, header_for, session_of_steps, step};

/// 12 sessions over 3 sites and 2 roles: `enter-home-meds` is slow everywhere (design),
/// pharmacy-record draws a copy-paste workaround, and every session carries planted
/// identifiers in its notes and in an unplanned step's label.
fn write_sessions(dir: &Path) -> Vec<Session> {
    let mut out = Vec::new();
    for site in ["north", "south", "east"] {
        for role in ["RN", "Pharmacist"] {
            for n in 0..2 {
                let mut steps: Vec<StepSpec> = as_expected();
                for s in &mut steps {
                    if s.step == "enter-home-meds" {
                        *s = step("enter-home-meds", 500, 38)
                            .note("MRN 00482913 called back on 555-867-5309");
                    }
                    if s.step == "pharmacy-record" {
                        *s = s
                            .clone()
                            .workaround(
                                WorkaroundKind::CopyPaste,
                                "copied list for MRN 00482913, DOB 03/04/1956",
                            )
                            .problem(
                                ProblemKind::MissingData,
                                "mail jane.doe@example.org re list",
                            );
                    }
                }
                steps.push(
                    step("call-gp", 120, 0).unplanned("Call GP about 555-867-5309 DOB 1956-04-03"),
                );
                let id = format!("2026-11-25-{site}-{role}-{n}");
                let s = session_of_steps(
                    header_for(&id, "med-rec-admission", site, role, &format!("{role}-{n}")),
                    &steps,
                );
                std::fs::write(dir.join(format!("{id}.ron")), s.to_ron()).unwrap();
                out.push(s);
            }
        }
    }
    out
}

const PLANTED: [&str; 6] = [
    "00482913",
    "555-867-5309",
    "jane.doe@example.org",
    "03/04/1956",
    "1956-04-03",
    "copied list",
];

fn report(dir: &Path, args: &[&str]) -> String {
    let out = shadowmap()
        .arg("report")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn redact_removes_planted_identifiers_from_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write_sessions(dir.path());
    // Without --redact the notes are evidence, so the test can see them leak.
    let plain = report(dir.path(), &["--format", "md"]);
    assert!(plain.contains("MRN 00482913"), "{plain}");
    assert!(plain.contains("555-867-5309"), "{plain}");
    for format in ["text", "md", "html", "csv", "json"] {
        let out = report(dir.path(), &["--format", format, "--redact"]);
        for planted in PLANTED {
            assert!(!out.contains(planted), "{format} leaks {planted}:\n{out}");
        }
        assert!(
            out.contains("call-gp"),
            "{format}: the unplanned step is still there"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&report(dir.path(), &["--format", "json", "--redact"])).unwrap();
    assert_eq!(json["redacted"], true);
    for f in json["findings"].as_array().unwrap() {
        assert_eq!(f["evidence"]["notes"].as_array().unwrap().len(), 0);
    }
}

#[test]
fn an_override_survives_a_re_run_and_shows_as_one() {
    let dir = tempfile::tempdir().unwrap();
    write_sessions(dir.path());
    let json: serde_json::Value =
        serde_json::from_str(&report(dir.path(), &["--format", "json"])).unwrap();
    let slow = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["step"] == "enter-home-meds" && f["kind"] == "slow_step")
        .unwrap();
    assert_eq!(slow["suggested_cause"], "design");
    let id = slow["id"].as_str().unwrap().to_string();
    std::fs::write(
        dir.path().join("overrides.ron"),
        format!(
            "Overrides(format_version: 1, overrides: [\n    Override(finding: \"{id}\", cause: training, who: \"ak\", why: \"north's new starters skip the order set\", when: \"2026-11-25T10:00:00+01:00\"),\n    Override(finding: \"F-0000000000\", cause: policy, who: \"ak\", why: \"old\", when: \"2026-11-25T10:00:00+01:00\"),\n])\n"
        ),
    )
    .unwrap();
    // Two re-runs: the same id, the override applied each time.
    for _ in 0..2 {
        let json: serde_json::Value =
            serde_json::from_str(&report(dir.path(), &["--format", "json"])).unwrap();
        let f = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id.as_str())
            .unwrap();
        assert_eq!(f["cause"], "training");
        assert_eq!(f["suggested_cause"], "design");
        assert_eq!(f["overridden"]["who"], "ak");
        assert_eq!(json["stale_overrides"][0]["finding"], "F-0000000000");
    }
    let text = report(dir.path(), &["--format", "text"]);
    assert!(
        text.contains("training (OVERRIDDEN by ak"),
        "the override shows as one:\n{text}"
    );
    assert!(text.contains("suggested design"), "{text}");
    let csv = report(dir.path(), &["--format", "csv"]);
    let row = csv.lines().find(|l| l.contains(&id)).unwrap();
    assert!(row.contains(",design,design_everywhere,"), "{row}");
    assert!(row.contains(",training,true,ak,"), "{row}");
}

/// Splits one CSV record (RFC 4180, no line breaks inside fields here).
fn split_csv(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[test]
fn csv_and_json_shapes() {
    let dir = tempfile::tempdir().unwrap();
    write_sessions(dir.path());
    let csv = report(dir.path(), &["--format", "csv"]);
    let mut lines = csv.lines();
    let head = split_csv(lines.next().unwrap());
    assert_eq!(head, shadowmap::report::render::CSV_COLUMNS.to_vec());
    let rows: Vec<Vec<String>> = lines.map(split_csv).collect();
    assert!(rows.len() >= 3, "{csv}");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), head.len(), "row {i}: {row:?}");
        assert_eq!(row[0], (i + 1).to_string());
        assert!(row[1].starts_with("F-"));
        assert!(row[7].parse::<f64>().is_ok(), "time_cost_min {}", row[7]);
    }
    let json: serde_json::Value =
        serde_json::from_str(&report(dir.path(), &["--format", "json", "--by", "site"])).unwrap();
    assert_eq!(json["sessions"], 12);
    assert_eq!(json["by"], serde_json::json!(["site"]));
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), rows.len());
    for key in [
        "id",
        "rank",
        "pathway",
        "step",
        "step_label",
        "kind",
        "title",
        "time_cost_min",
        "excess_min_per_occurrence",
        "occurrences",
        "unit",
        "base",
        "rate",
        "suggested_cause",
        "rule",
        "because",
        "confidence",
        "confidence_label",
        "cause",
        "overridden",
        "evidence",
    ] {
        assert!(findings[0].get(key).is_some(), "finding key {key}");
    }
    for key in [
        "sessions",
        "session_ids",
        "sites",
        "roles",
        "clinicians",
        "notes",
    ] {
        assert!(
            findings[0]["evidence"].get(key).is_some(),
            "evidence key {key}"
        );
    }
    let pathway = &json["pathways"][0];
    assert_eq!(pathway["id"], "med-rec-admission");
    assert_eq!(pathway["groups"].as_array().unwrap().len(), 3);
    assert_eq!(
        pathway["groups"][0]["key"],
        serde_json::json!([["site", "east"]])
    );
    let step = &pathway["overall"]["steps"][0];
    for key in [
        "step",
        "label",
        "planned",
        "occurrences",
        "sessions",
        "expected_secs",
        "expected_clicks",
        "median_active_secs",
        "p90_active_secs",
        "median_clicks",
        "p90_clicks",
        "over_time_rate",
        "over_clicks_rate",
        "deviations_per_session",
        "workaround_rate",
        "problem_rate",
        "interruptions_per_hour",
    ] {
        assert!(step.get(key).is_some(), "step key {key}");
    }
    for key in [
        "sessions",
        "mean_fitness",
        "observed_min",
        "active_min",
        "expected_min",
        "time_ratio",
        "click_excess",
        "reentries",
        "workarounds",
        "interruptions",
        "interruptions_per_hour",
        "interrupted_share",
        "problems",
    ] {
        assert!(
            pathway["overall"]["figures"].get(key).is_some(),
            "figure key {key}"
        );
    }
}

#[test]
fn html_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    write_sessions(dir.path());
    let html = report(dir.path(), &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for svg in [
        "class=\"time-chart\"",
        "class=\"deviation-chart\"",
        "class=\"cause-chart\"",
    ] {
        assert!(html.contains(svg), "{svg}");
    }
    // In-page references stay in the file: a finding's link to its step on the map
    // (href="#..."), the map's arrowheads (url(#...)).
    assert!(html.contains("href=\"#map-") && html.contains("url(#"));
    let outside = regex::Regex::new(r##"href="#[^"]*"|url\(#[^)]*\)"##)
        .unwrap()
        .replace_all(&html, "");
    for forbidden in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!outside.contains(forbidden), "{forbidden}");
    }
    // The only URL is the SVG namespace name, which is never fetched.
    let without_ns = html.replace("http://www.w3.org/2000/svg", "");
    assert!(!without_ns.contains("http://") && !without_ns.contains("https://"));
}

#[test]
fn out_file_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    write_sessions(dir.path());
    std::fs::write(dir.path().join("broken.ron"), "Session(header: (id: 3))").unwrap();
    let out_file = dir.path().join("report.md");
    let out = shadowmap()
        .args(["report", "--format", "md", "--out"])
        .arg(&out_file)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.ron:1:"), "{stderr}");
    assert!(
        std::fs::read_to_string(&out_file)
            .unwrap()
            .starts_with("# shadowmap report")
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the report file is owner-only");
    }

    let out = shadowmap()
        .args(["report", "/no/such/folder"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/folder"));

    let out = shadowmap()
        .arg("report")
        .arg(dir.path())
        .args(["--by", "ward"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot group by `ward`"));

    // An empty folder and an unknown pathway: clear errors, no panic.
    let empty = tempfile::tempdir().unwrap();
    let out = shadowmap()
        .arg("report")
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no session files (.ron) in"), "{stderr}");
    assert!(
        stderr.contains("hint:") && !stderr.contains("panicked"),
        "{stderr}"
    );
    let out = shadowmap()
        .arg("report")
        .arg(dir.path())
        .args(["--pathway", "no-such-pathway"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unknown pathway id `no-such-pathway`"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn no_paths_reports_on_the_data_folder_with_its_overrides() {
    let data = tempfile::tempdir().unwrap();
    let dir = shadowmap::store::DataDir::open(data.path()).unwrap();
    let sessions = tempfile::tempdir().unwrap();
    for s in write_sessions(sessions.path()) {
        std::fs::write(dir.snapshot_path(&s.header.id), s.to_ron()).unwrap();
    }
    let run = |args: &[&str]| {
        let out = shadowmap()
            .arg("--data-dir")
            .arg(data.path())
            .arg("report")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let json = run(&["--format", "json"]);
    assert_eq!(json["sessions"], 12);
    let id = json["findings"][0]["id"].as_str().unwrap().to_string();
    std::fs::write(
        dir.root().join("overrides.ron"),
        format!("Overrides(overrides: [Override(finding: \"{id}\", cause: policy, who: \"ak\", why: \"x\", when: \"2026-11-25T10:00:00Z\")])"),
    )
    .unwrap();
    let json = run(&["--format", "json"]);
    assert_eq!(json["findings"][0]["cause"], "policy");
}

/// The HTML report shows each group's mean SUS and raw TLX beside its friction figures, with
/// the published EHR mean SUS (45.9, Melnick et al. 2020) as the reference mark on every SUS bar.
#[test]
fn html_shows_the_clinicians_voice_against_the_published_ehr_mean() {
    use shadowmap::testing::{sus_answers, with_voice};
    let dir = tempfile::tempdir().unwrap();
    // north: SUS 30 and 40, TLX 50 and 60; south: SUS 60, 70 and one with an item skipped
    // (no score), TLX 20, 30 and 40.
    let answered: [(&str, &str, Option<f64>, u8); 5] = [
        ("north", "RN-1", Some(30.0), 50),
        ("north", "RN-2", Some(40.0), 60),
        ("south", "RN-3", Some(60.0), 20),
        ("south", "RN-4", Some(70.0), 30),
        ("south", "RN-5", None, 40),
    ];
    for (i, (site, clinician, sus, tlx)) in answered.into_iter().enumerate() {
        let id = format!("2026-11-25-voice-{i}");
        let mut sus_items = sus_answers(sus.unwrap_or(50.0));
        if sus.is_none() {
            sus_items[3] = None;
        }
        let s = with_voice(
            session_of_steps(
                header_for(&id, "med-rec-admission", site, "RN", clinician),
                &as_expected(),
            ),
            sus_items,
            [Some(tlx); 6],
        );
        std::fs::write(dir.path().join(format!("{id}.ron")), s.to_ron()).unwrap();
    }
    let html = report(dir.path(), &["--by", "site", "--format", "html"]);
    let chart = html
        .split("class=\"voice-chart\"")
        .nth(1)
        .and_then(|rest| rest.split("</svg>").next())
        .expect("the voice chart");
    let bars = |class: &str| -> Vec<(String, String, f64)> {
        regex::Regex::new(&format!(
            r#"<rect class="{class}" data-score="([^"]+)" data-n="(\d+)" x="160" y="[^"]+" width="([^"]+)""#
        ))
        .unwrap()
        .captures_iter(chart)
        .map(|c| (c[1].to_string(), c[2].to_string(), c[3].parse().unwrap()))
        .collect()
    };
    // All sessions, north, south: the means of the complete answers, bars on a 0-100 axis of
    // 270 px from x = 160.
    let sus = bars("sus");
    let expected_sus = [("50.0", "4"), ("35.0", "2"), ("65.0", "2")];
    assert_eq!(sus.len(), 3, "{chart}");
    for ((score, n, width), (want_score, want_n)) in sus.iter().zip(expected_sus) {
        assert_eq!((score.as_str(), n.as_str()), (want_score, want_n));
        let want: f64 = want_score.parse::<f64>().unwrap() / 100.0 * 270.0;
        assert!((width - want).abs() < 0.06, "{width} for SUS {score}");
    }
    let tlx: Vec<(String, String)> = bars("tlx").into_iter().map(|(s, n, _)| (s, n)).collect();
    assert_eq!(
        tlx,
        [("40.0", "5"), ("55.0", "2"), ("30.0", "3")].map(|(s, n)| (s.to_string(), n.to_string()))
    );
    // The reference: one mark per SUS bar at 45.9 on the same axis (160 + 0.459 * 270).
    let marks: Vec<&str> = regex::Regex::new(
        r#"<line class="sus-reference" data-score="45.9" x1="([^"]+)" x2="([^"]+)""#,
    )
    .unwrap()
    .captures_iter(chart)
    .map(|c| {
        assert_eq!(&c[1], &c[2]);
        c.get(1).unwrap().as_str()
    })
    .collect();
    assert_eq!(marks, ["283.9"; 3]);
    assert!(chart.contains("EHR mean 45.9"));
    // Cited under the chart, and beside each group's friction figures.
    assert!(html.contains(
        "the published mean SUS of EHRs, 45.9 (SD 21.9; Melnick et al. 2020, Mayo Clinic Proceedings"
    ));
    assert!(html.contains(
        "Clinicians' voice: SUS 35.0 (n=2; published EHR mean 45.9); raw TLX 55.0 (n=2)."
    ));
    // The report of sessions without answers draws no voice chart.
    let quiet = tempfile::tempdir().unwrap();
    write_sessions(quiet.path());
    assert!(!report(quiet.path(), &["--format", "html"]).contains("voice-chart"));
}
