//! The replay and browse commands' errors: told plainly before any screen opens, exit 1.

mod support {
    pub mod cli;
}

use predicates::prelude::*;
use support::cli::shadowmap;

#[test]
fn an_unknown_session_names_the_data_folder_and_what_to_do() {
    let temp = tempfile::tempdir().unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(temp.path())
        .args(["replay", "no-such-session"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: loading session `no-such-session`",
        ))
        .stderr(predicate::str::contains("shadowmap sessions"));
}

#[test]
fn a_damaged_session_file_names_its_line_and_column() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("bad.ron");
    std::fs::write(&file, "Session(\n  header: (id: 3),\n)").unwrap();
    let before = std::fs::read(&file).unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(temp.path())
        .arg("replay")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.ron:2:"));
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn an_unknown_pathway_is_an_error_naming_the_built_in_ones() {
    let temp = tempfile::tempdir().unwrap();
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-sessions/20261116-0805-north-RN-07.ron");
    shadowmap()
        .arg("--data-dir")
        .arg(temp.path())
        .arg("replay")
        .arg(&sample)
        .args(["--pathway", "no-such-pathway"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "unknown pathway id `no-such-pathway`",
        ))
        .stderr(predicate::str::contains("med-rec-admission"));
}
