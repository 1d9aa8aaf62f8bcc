//! End to end: `shadowmap report BASELINE AFTER --tui --split folder` in a pseudo-terminal
//! (80x24): the rounds view comes first, moves between comparisons, goes to the findings and
//! back, and quits.

mod support;

use std::path::Path;

use support::pty::Pty;

#[test]
fn the_report_screen_shows_the_rounds_view_with_split() {
    let dir = tempfile::tempdir().unwrap();
    // The sample sessions twice, as two rounds named by their folders.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
    let (before, after) = (dir.path().join("baseline"), dir.path().join("after"));
    std::os::unix::fs::symlink(&samples, &before).unwrap();
    std::os::unix::fs::symlink(&samples, &after).unwrap();
    let mut s = Pty::spawn(
        &[
            "report",
            before.to_str().unwrap(),
            after.to_str().unwrap(),
            "--tui",
            "--split",
            "folder",
            "--by",
            "site",
        ],
        None,
    );
    s.wait_for("baseline -> after");
    // The footer is drawn last: the whole frame is there.
    let screen = s.wait_for("h/l comparison");
    assert!(screen.contains("[all]"), "{screen}");
    assert!(screen.contains("comparison 1 of"), "{screen}");
    assert!(screen.contains("figures (clear changes first)"), "{screen}");
    // The same sessions twice: nothing can have changed.
    assert!(screen.contains("0 improved, 0 worse"), "{screen}");
    s.keys("l");
    let screen = s.wait_for("comparison 2 of");
    assert!(screen.contains("[site="), "{screen}");
    s.keys("r");
    s.wait_for("findings (* = overridden)");
    s.keys("<tab>");
    s.wait_for("comparison 2 of");
    s.keys("q");
    assert!(s.wait_exit().success(), "the screen quits");
}

#[test]
fn split_needs_the_screen() {
    let out = std::process::Command::new(support::pty::BIN)
        .args(["report", "sample-sessions", "--split", "folder"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tui"));
}
