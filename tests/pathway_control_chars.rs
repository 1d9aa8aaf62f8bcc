//! A pathway file whose texts hold control characters (an OSC that retitles the terminal in a
//! step label) is refused by every command that reads pathway files, with the file, line and
//! column of the string and what to do; the file is never changed, and the sessions captured
//! against the site keep reading once the file is fixed.

mod support {
    pub mod cli;
}

use std::path::{Path, PathBuf};

use support::cli::shadowmap;

const HARBOR: &str = "sample-sessions/harbor";
const LABEL: &str = "label: \"Open the patient's chart\"";
const HOSTILE_LABEL: &str = r#"label: "Open \u{1b}]0;pwned\u{7} chart""#;
/// What every command says about the file (after its path).
const ERROR: &str = ":9:39: the label of step `open-chart` holds the control character U+001B (ESC)\n  hint: remove it: this text is one line of plain text";

/// A copy of the Harbor site (its pathway file and five sessions) whose pathway file has the
/// hostile label, and a session of a built-in pathway beside them.
fn harbor_copy(dir: &Path) -> (PathBuf, PathBuf) {
    let site = dir.join("harbor");
    std::fs::create_dir(&site).unwrap();
    for entry in std::fs::read_dir(HARBOR).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, site.join(path.file_name().unwrap())).unwrap();
    }
    let file = site.join("harbor-med-rec.ron");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.lines().nth(8).unwrap().contains(LABEL));
    std::fs::write(&file, text.replace(LABEL, HOSTILE_LABEL)).unwrap();
    std::fs::copy(
        "sample-sessions/20261116-0805-north-RN-07.ron",
        site.join("20261116-0805-north-RN-07.ron"),
    )
    .unwrap();
    (site, file)
}

/// The text of the copy's pathway file with its label as shipped.
fn without_the_hostile_label(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap()
        .replace(HOSTILE_LABEL, LABEL)
}

/// Runs shadowmap in `dir`; returns whether it succeeded, and its standard error, which must
/// never hold a raw control character.
fn run(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = shadowmap()
        .current_dir(dir)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{args:?}: {stderr:?}"
    );
    (out.status.success(), stderr)
}

#[test]
fn every_command_that_reads_the_file_refuses_it_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = harbor_copy(dir.path());
    let before = std::fs::read(&file).unwrap();
    let error = format!("error: harbor/harbor-med-rec.ron{ERROR}");
    let session = "harbor/20261116-0805-north-RN-07.ron";
    let file_arg = "harbor/harbor-med-rec.ron";
    // The commands that take the file itself refuse to run.
    for args in [
        &["pathways", "check", file_arg][..],
        &["pathways", "show", file_arg],
        &["pathways", "show", file_arg, "--format", "json"],
        &["pathways", "diff", "med-rec-admission", file_arg],
        &["capture", "--pathway", file_arg],
        &["compare", session, "--pathway", file_arg],
        &["replay", session, "--pathway", file_arg],
        &["report", "harbor", "--pathway", file_arg],
        &["map", "harbor", "--pathway", file_arg],
        &["suggest", "harbor", "--pathway", file_arg],
        &[
            "rounds",
            "harbor",
            "--split",
            "folder",
            "--pathway",
            file_arg,
        ],
    ] {
        let (ok, stderr) = run(dir.path(), args);
        assert!(!ok, "{args:?} ran");
        assert!(stderr.contains(&error), "{args:?}:\n{stderr}");
    }
    // The commands that find it among their inputs skip it with that warning, and read the
    // rest (the built-in pathway's session).
    let warning =
        format!("warning: skipped harbor/harbor-med-rec.ron: harbor/harbor-med-rec.ron{ERROR}");
    for args in [
        &["report", "harbor"][..],
        &["report", "harbor", "--format", "html"],
        &["map", "harbor"],
        &["suggest", "harbor"],
        &["rounds", "harbor", "harbor", "--split", "folder"],
    ] {
        let (ok, stderr) = run(dir.path(), args);
        assert!(ok, "{args:?}:\n{stderr}");
        assert!(stderr.contains(&warning), "{args:?}:\n{stderr}");
    }
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is never changed"
    );
}

#[test]
fn once_the_label_is_fixed_the_sites_sessions_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = harbor_copy(dir.path());
    let (_, stderr) = run(dir.path(), &["report", "harbor", "--format", "json"]);
    assert!(
        stderr.contains("the session's pathway `harbor-med-rec` is unknown"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace(HOSTILE_LABEL, LABEL)).unwrap();
    let out = shadowmap()
        .current_dir(dir.path())
        .args(["report", "harbor", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("skipped"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["sessions"], 6,
        "five Harbor sessions and the north one"
    );
}

#[test]
fn a_description_may_hold_line_breaks_and_tabs() {
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = harbor_copy(dir.path());
    let text = without_the_hostile_label(&file);
    let description = "description: \"Admitting nurse reconciles home medications;";
    assert!(text.contains(description));
    let prose = text.replace(
        description,
        "description: \"Admitting nurse\\n\\treconciles home medications;",
    );
    std::fs::write(&file, &prose).unwrap();
    let (ok, stderr) = run(
        dir.path(),
        &["pathways", "check", "harbor/harbor-med-rec.ron"],
    );
    assert!(ok, "{stderr}");
    std::fs::write(&file, prose.replace("nurse\\n", "nurse\\r")).unwrap();
    let (ok, stderr) = run(
        dir.path(),
        &["pathways", "check", "harbor/harbor-med-rec.ron"],
    );
    assert!(!ok);
    assert!(
        stderr.contains("the pathway's description holds the control character U+000D (carriage return)\n  hint: remove it: the description may hold line breaks (\\n) and tabs (\\t)"),
        "{stderr}"
    );
}

#[test]
fn a_pathway_json_id_with_a_control_character_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.json"),
        "{\"steps\": [{\"id\": \"a\"},\n {\"id\": \"b\\u001b]0;x\\u0007\"}]}",
    )
    .unwrap();
    let (ok, stderr) = run(dir.path(), &["pathways", "show", "p.json"]);
    assert!(!ok);
    assert!(
        stderr.contains("error: p.json:2:11: the id `b\\u{1b}]0;x\\u{7}` holds the control character U+001B (ESC)"),
        "{stderr}"
    );
}

#[test]
fn bidirectional_controls_are_refused_as_control_characters_are() {
    let dir = tempfile::tempdir().unwrap();
    let (_, file) = harbor_copy(dir.path());
    let text = without_the_hostile_label(&file);
    let file_arg = "harbor/harbor-med-rec.ron";
    // An escape in the label, each kind: an override, an isolate, a mark.
    for (escape, named) in [
        ("\\u{202e}", "U+202E (right-to-left override)"),
        ("\\u{2067}", "U+2067 (right-to-left isolate)"),
        ("\\u{200f}", "U+200F (right-to-left mark)"),
    ] {
        let label = format!("label: \"Open the patient's{escape} chart\"");
        std::fs::write(&file, text.replace(LABEL, &label)).unwrap();
        let error = format!(
            "error: {file_arg}:9:39: the label of step `open-chart` holds the control character \
             {named}\n  hint: remove it: a bidirectional control changes the order"
        );
        let (ok, stderr) = run(dir.path(), &["pathways", "check", file_arg]);
        assert!(!ok, "{escape} passed");
        assert!(stderr.contains(&error), "{escape}:\n{stderr}");
        let (ok, stderr) = run(dir.path(), &["report", "harbor"]);
        assert!(ok, "{stderr}");
        let warning = format!("warning: skipped {file_arg}: {}", &error["error: ".len()..]);
        assert!(stderr.contains(&warning), "{escape}:\n{stderr}");
    }
    // A raw one (not an escape) in the description, which may hold line breaks: refused too.
    let description = "description: \"Admitting nurse reconciles";
    let raw = "description: \"Admitting nurse \u{202d}reconciles";
    std::fs::write(&file, text.replace(description, raw)).unwrap();
    let (ok, stderr) = run(dir.path(), &["pathways", "check", file_arg]);
    assert!(!ok);
    assert!(
        stderr.contains(
            "the pathway's description holds the control character U+202D (left-to-right override)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{202d}'), "shown escaped: {stderr:?}");
}
