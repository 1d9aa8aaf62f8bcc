//! `shadowmap bundle` and `shadowmap import` as a user runs them: two data folders, one bundle.

mod support {
    pub mod cli;
}

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;

const SAMPLES: [&str; 3] = [
    "20261116-0805-north-RN-07",
    "20261117-1405-river-RN-12",
    "20261118-0950-lake-MD-09",
];

/// The kit's command with `data` as the data folder.
fn shadowmap(data: &Path) -> Command {
    let mut cmd = support::cli::shadowmap();
    cmd.env("SHADOWMAP_DATA_DIR", data);
    cmd
}

fn sample(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-sessions")
        .join(format!("{id}.ron"))
}

/// A data folder holding the given sample sessions.
fn data_folder(root: &Path, ids: &[&str]) -> PathBuf {
    let sessions = root.join("sessions");
    fs::create_dir_all(&sessions).unwrap();
    for id in ids {
        fs::copy(sample(id), sessions.join(format!("{id}.ron"))).unwrap();
    }
    root.to_path_buf()
}

/// Every file under `dir` with its bytes, sorted: "nothing changed" means this is equal.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(tree(&path));
        } else {
            let bytes = fs::read(&path).unwrap();
            out.push((path, bytes));
        }
    }
    out.sort();
    out
}

const OVERRIDES: &str = r#"Overrides(
    format_version: 1,
    overrides: [
        Override(finding: "F-00a1b2c3d4", cause: training, who: "ak",
                 why: "new starters", when: "2026-11-25T10:12:00+01:00"),
    ],
)
"#;

#[test]
fn a_bundle_moves_sessions_byte_for_byte_and_a_second_import_skips_them() {
    let tmp = tempfile::tempdir().unwrap();
    let a = data_folder(&tmp.path().join("a"), &SAMPLES);
    fs::write(a.join("overrides.ron"), OVERRIDES).unwrap();
    let b = data_folder(&tmp.path().join("b"), &[SAMPLES[0]]);
    let file = tmp.path().join("north.smb");
    shadowmap(&a)
        .args(["bundle", "--who", "ak", "--out"])
        .arg(&file)
        .assert()
        .success()
        .stderr(contains(
            "bundled 3 sessions (3 finished, 0 unfinished) with the overrides",
        ));
    shadowmap(&b)
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stderr(contains(
            "imported 2 new sessions, skipped 1 already here, added 1 override",
        ));
    for id in SAMPLES {
        assert_eq!(
            fs::read(b.join("sessions").join(format!("{id}.ron"))).unwrap(),
            fs::read(sample(id)).unwrap()
        );
    }
    assert!(
        fs::read_to_string(b.join("overrides.ron"))
            .unwrap()
            .contains("F-00a1b2c3d4")
    );
    let before = tree(&b);
    shadowmap(&b)
        .arg("import")
        .arg(&file)
        .assert()
        .success()
        .stderr(contains("imported 0 new sessions, skipped 3 already here"));
    assert_eq!(tree(&b), before);
    // The imported sessions are sessions like any other.
    shadowmap(&b)
        .arg("sessions")
        .assert()
        .success()
        .stdout(contains(SAMPLES[2]));
}

#[test]
fn a_conflict_is_refused_with_nothing_written() {
    let tmp = tempfile::tempdir().unwrap();
    let a = data_folder(&tmp.path().join("a"), &SAMPLES);
    let b = data_folder(&tmp.path().join("b"), &[]);
    let theirs = b.join("sessions").join(format!("{}.ron", SAMPLES[1]));
    let text = fs::read_to_string(sample(SAMPLES[1])).unwrap();
    fs::write(
        &theirs,
        text.replacen("site: \"river\"", "site: \"riverside\"", 1),
    )
    .unwrap();
    let file = tmp.path().join("a.smb");
    shadowmap(&a)
        .args(["bundle", "--out"])
        .arg(&file)
        .assert()
        .success();
    let before = tree(&b);
    shadowmap(&b)
        .arg("import")
        .arg(&file)
        .assert()
        .failure()
        .stderr(contains("nothing was imported: 1 conflict"))
        .stderr(contains(SAMPLES[1]))
        .stderr(contains(theirs.to_string_lossy().as_ref()))
        .stderr(contains("hint:"));
    assert_eq!(tree(&b), before);
}

#[test]
fn a_flipped_byte_is_refused_naming_the_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let a = data_folder(&tmp.path().join("a"), &SAMPLES);
    let b = data_folder(&tmp.path().join("b"), &[]);
    let file = tmp.path().join("a.smb");
    shadowmap(&a)
        .args(["bundle", "--out"])
        .arg(&file)
        .assert()
        .success();
    let mut bytes = fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    fs::write(&file, &bytes).unwrap();
    let before = tree(&b);
    shadowmap(&b)
        .arg("import")
        .arg(&file)
        .assert()
        .failure()
        .stderr(contains(file.to_string_lossy().as_ref()));
    assert_eq!(tree(&b), before);
}

#[test]
fn bad_arguments_are_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let a = data_folder(&tmp.path().join("a"), &SAMPLES);
    shadowmap(&a)
        .args(["bundle", "no-such-session", "--out"])
        .arg(tmp.path().join("x.smb"))
        .assert()
        .failure()
        .stderr(contains("no-such-session"));
    shadowmap(&a)
        .arg("import")
        .arg(tmp.path())
        .assert()
        .failure()
        .stderr(contains("not a regular file"));
    fs::write(tmp.path().join("plain.txt"), "hello").unwrap();
    shadowmap(&a)
        .arg("import")
        .arg(tmp.path().join("plain.txt"))
        .assert()
        .failure()
        .stderr(contains("not a readable shadowmap bundle"));
}
