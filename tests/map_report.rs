//! `report --format html` shows each pathway's shadow map above its step table, and each
//! finding links to its step on the map; `--redact` reaches the map's unplanned labels too.

use std::path::Path;

use assert_cmd::Command;

fn report_html(folder: &Path, extra: &[&str]) -> String {
    let out = Command::cargo_bin("shadowmap")
        .unwrap()
        .arg("report")
        .arg(folder)
        .args(["--format", "html"])
        .args(extra)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions")
}

#[test]
fn each_pathway_has_its_map_above_its_step_table() {
    let html = report_html(&samples(), &[]);
    for pathway in [
        "cpoe-med-order",
        "ed-triage",
        "eprescribe-controlled",
        "lab-result-review",
        "med-administration",
        "med-rec-admission",
    ] {
        let heading = html
            .find(&format!("<h2>Pathway <code>{pathway}</code>"))
            .unwrap_or_else(|| panic!("no section for {pathway}"));
        let section = &html[heading..];
        let end = section[4..].find("<h2>").map_or(section.len(), |e| e + 4);
        let section = &section[..end];
        let map = section
            .find("class=\"shadow-map\"")
            .unwrap_or_else(|| panic!("{pathway}: no map"));
        let table = section.find("<table>").expect("a step table");
        assert!(
            map < table,
            "{pathway}: the map comes before the step table"
        );
        assert!(section.contains(&format!("id=\"map-{pathway}-")));
    }
}

#[test]
fn every_finding_links_to_a_step_on_a_map() {
    let html = report_html(&samples(), &[]);
    let findings =
        &html[html.find("<h2>Findings</h2>").unwrap()..html.find("<h2>Pathway").unwrap()];
    let links: Vec<&str> = findings
        .split("href=\"#")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let rows = findings.matches("<tr><td class=\"n\">").count();
    assert!(rows > 5);
    assert_eq!(links.len(), rows, "one link per finding");
    for target in links {
        assert!(
            html.contains(&format!("id=\"{target}\"")),
            "the link #{target} has no target"
        );
    }
}

#[test]
fn redact_masks_unplanned_labels_on_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let source = samples().join("20261117-1405-river-RN-12.ron");
    let text = std::fs::read_to_string(source).unwrap().replace(
        "Phone the outpatient pharmacy for fill history",
        "Call 555-867-5309 about MRN 00482913",
    );
    std::fs::write(dir.path().join("s.ron"), text).unwrap();
    let plain = report_html(dir.path(), &[]);
    assert!(plain.contains("555-867-5309"), "the label is on the map");
    let redacted = report_html(dir.path(), &["--redact"]);
    assert!(!redacted.contains("555-867-5309"));
    assert!(!redacted.contains("00482913"));
    assert!(redacted.contains("class=\"shadow-map\""));
}
