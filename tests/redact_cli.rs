//! `--redact` is one behaviour: `report --redact` masks the header's site, role, clinician and
//! auditor wherever the report shows them, and the paths of skipped files, exactly as
//! `export --redact` masks a session's header.

mod support {
    pub mod cli;
}

use std::path::Path;

use shadowmap::testing::{as_expected, header_for, session_of_steps};

const SITE: &str = "north ward 555-867-5309";
const AUDITOR: &str = "jane.doe@example.org";
/// What must not survive anywhere in a redacted output.
const PLANTED: [&str; 4] = ["555-867-5309", "jane.doe", "00482913", "1956"];

/// Four sessions at one site whose header fields carry identifiers, and a file the report
/// skips whose name carries a record number.
fn write_sessions(dir: &Path) {
    for n in 0..4 {
        let id = format!("2026-11-25-north-RN-{n}");
        let mut h = header_for(
            &id,
            "med-rec-admission",
            SITE,
            "RN DOB 03/04/1956",
            &format!("RN-0{n} MRN 00482913"),
        );
        h.auditor = AUDITOR.to_string();
        let s = session_of_steps(h, &as_expected());
        std::fs::write(dir.join(format!("{id}.ron")), s.to_ron()).unwrap();
    }
    std::fs::write(dir.join("MRN 00482913 notes.ron"), "not a session").unwrap();
}

fn shadowmap(args: &[&str]) -> (String, String) {
    let out = support::cli::shadowmap().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// No planted identifier in a redacted output or its warnings; the skipped file named masked.
fn assert_masked(format: &str, out: &str, err: &str) {
    for planted in PLANTED {
        assert!(!out.contains(planted), "{format} leaks {planted}:\n{out}");
        assert!(
            !err.contains(planted),
            "{format} warns with {planted}:\n{err}"
        );
    }
    assert!(err.contains("MRN [id] notes.ron"), "{err}");
}

#[test]
fn report_redact_masks_the_header_and_skipped_paths_as_export_does() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_sessions(dir);
    let folder = dir.to_str().unwrap();
    let by = "site,role,clinician,auditor";
    // Without --redact the header's identifiers are there to leak.
    let (plain, _) = shadowmap(&["report", folder, "--by", by, "--format", "md"]);
    for planted in ["555-867-5309", "00482913", "jane.doe"] {
        assert!(plain.contains(planted), "{planted}: {plain}");
    }
    for format in ["text", "md", "html", "csv", "json"] {
        let (out, err) = shadowmap(&["report", folder, "--by", by, "--format", format, "--redact"]);
        assert_masked(format, &out, &err);
    }
    let (json, _) = shadowmap(&["report", folder, "--by", by, "--format", "json", "--redact"]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let session = dir.join("2026-11-25-north-RN-1.ron");
    let (exported, _) = shadowmap(&[
        "export",
        session.to_str().unwrap(),
        "--format",
        "json",
        "--redact",
    ]);
    let exported: serde_json::Value = serde_json::from_str(&exported).unwrap();
    // The same masking of the same fields.
    assert_eq!(exported["site"], "north ward [phone]");
    assert_eq!(exported["auditor"], "[email]");
    let pathway = &report["pathways"][0];
    assert_eq!(pathway["sites"], serde_json::json!([exported["site"]]));
    assert_eq!(pathway["roles"], serde_json::json!([exported["role"]]));
    let groups = pathway["groups"].as_array().unwrap();
    let group = groups
        .iter()
        .find(|g| g["key"][2][1] == exported["clinician"])
        .unwrap_or_else(|| panic!("a group of {}: {groups:?}", exported["clinician"]));
    assert_eq!(
        group["key"],
        serde_json::json!([
            ["site", exported["site"]],
            ["role", exported["role"]],
            ["clinician", exported["clinician"]],
            ["auditor", exported["auditor"]],
        ])
    );
    assert!(
        report["skipped"][0]["path"]
            .as_str()
            .unwrap()
            .ends_with("MRN [id] notes.ron"),
        "{}",
        report["skipped"]
    );
}

/// Every number of a JSON document, in document order: the figures.
fn numbers(value: &serde_json::Value, out: &mut Vec<f64>) {
    match value {
        serde_json::Value::Number(n) => out.push(n.as_f64().unwrap()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| numbers(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| numbers(v, out)),
        _ => {}
    }
}

#[test]
fn rounds_redact_masks_groups_unplanned_steps_and_skipped_paths_and_keeps_the_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let (before, after) = (tmp.path().join("before"), tmp.path().join("after"));
    for (folder, slower) in [(&before, 0), (&after, 40)] {
        std::fs::create_dir(folder).unwrap();
        write_sessions(folder);
        // An unplanned step whose id and label the auditor typed with a phone number.
        for n in 0..5u64 {
            let id = format!("2026-11-26-north-RN-{n}");
            let mut h = header_for(&id, "med-rec-admission", SITE, "RN", "RN-09 MRN 00482913");
            h.auditor = AUDITOR.to_string();
            let mut steps = as_expected();
            steps.push(
                shadowmap::testing::step("call-555-867-5309", 60 + slower + n * 7, 2)
                    .unplanned("Call 555-867-5309"),
            );
            let s = session_of_steps(h, &steps);
            std::fs::write(folder.join(format!("{id}.ron")), s.to_ron()).unwrap();
        }
    }
    let (before, after) = (before.to_str().unwrap(), after.to_str().unwrap());
    let by = "site,role,clinician,auditor";
    let rounds = |format: &str, redact: bool| {
        let mut args = vec!["rounds", before, after, "--split", "folder", "--by", by];
        args.extend(["--format", format]);
        if redact {
            args.push("--redact");
        }
        shadowmap(&args)
    };
    let (plain, _) = rounds("text", false);
    for planted in ["555-867-5309", "00482913", "jane.doe"] {
        assert!(plain.contains(planted), "{planted}: {plain}");
    }
    for format in ["text", "md", "html", "csv", "json"] {
        let (out, err) = rounds(format, true);
        assert_masked(format, &out, &err);
        assert!(
            out.contains("call-[phone]"),
            "{format}: the unplanned step, masked:\n{out}"
        );
    }
    let (plain, _) = rounds("json", false);
    let (redacted, _) = rounds("json", true);
    let (plain, redacted): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&plain).unwrap(),
        serde_json::from_str(&redacted).unwrap(),
    );
    let (mut a, mut b) = (Vec::new(), Vec::new());
    numbers(&plain, &mut a);
    numbers(&redacted, &mut b);
    assert!(a.len() > 100, "the figures: {}", a.len());
    assert_eq!(a, b, "every figure is the same");
    assert_eq!(redacted["redacted"], true);
    let comparison = &redacted["pathways"][0]["comparisons"];
    let groups: Vec<&serde_json::Value> = comparison
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["group"])
        .collect();
    assert!(
        groups.contains(&&serde_json::json!([
            ["site", "north ward [phone]"],
            ["role", "RN"],
            ["clinician", "RN-09 MRN [id]"],
            ["auditor", "[email]"],
        ])),
        "{groups:?}"
    );
}

#[test]
fn export_parquet_and_ocel_redact_mask_skipped_paths_as_report_does() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sessions");
    std::fs::create_dir(&dir).unwrap();
    write_sessions(&dir);
    let folder = dir.to_str().unwrap();
    let tables = tmp.path().join("tables");
    let tables = tables.to_str().unwrap();
    // Without --redact the skipped file's name is there to leak.
    let (_, plain) = shadowmap(&["export", folder, "--format", "ocel"]);
    assert!(
        plain.contains("skipped") && plain.contains("00482913"),
        "{plain}"
    );
    let (ocel, err) = shadowmap(&["export", folder, "--format", "ocel", "--redact"]);
    assert_masked("ocel", &ocel, &err);
    let (out, err) = shadowmap(&[
        "export", folder, "--format", "parquet", "--out", tables, "--redact",
    ]);
    assert_masked("parquet", &out, &err);
    let (_, report) = shadowmap(&["report", folder, "--redact"]);
    let skipped = |err: &str| {
        err.lines()
            .filter(|l| l.starts_with("warning: skipped"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        skipped(&err),
        skipped(&report),
        "the same warning as report's"
    );
}

#[test]
fn the_html_reports_suggestion_box_masks_an_unplanned_steps_typed_id_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path();
    write_sessions(folder);
    // Five of nine sessions do a step the auditor typed with a phone number: the suggestion
    // adds it, so its id is in the change list, the step times and the revised file.
    for n in 0..5u64 {
        let id = format!("2026-11-26-north-RN-{n}");
        let mut h = header_for(&id, "med-rec-admission", SITE, "RN", "RN-09");
        h.auditor = AUDITOR.to_string();
        let mut steps = as_expected();
        steps.push(
            shadowmap::testing::step("call-555-867-5309", 60 + n * 7, 2)
                .unplanned("Call 555-867-5309"),
        );
        let s = session_of_steps(h, &steps);
        std::fs::write(folder.join(format!("{id}.ron")), s.to_ron()).unwrap();
    }
    let folder = folder.to_str().unwrap();
    let (plain, _) = shadowmap(&["report", folder, "--format", "html"]);
    assert!(
        plain.contains("id: &quot;call-555-867-5309&quot;"),
        "the suggestion adds the typed step to the revised file"
    );
    let (html, err) = shadowmap(&["report", folder, "--format", "html", "--redact"]);
    assert_masked("html", &html, &err);
}
