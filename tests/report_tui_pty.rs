//! End to end: `shadowmap report DIR --tui` in a pseudo-terminal (80x24): pick a cause for the
//! top finding with the one-key menu, type who and why, quit; the override is in
//! `overrides.ron` and the next text report shows it as one.

mod support;

use support::pty::{BIN, Pty, copy_samples};

#[test]
fn override_a_cause_in_the_report_screen() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path());
    let mut s = Pty::spawn(&["report", dir.path().to_str().unwrap(), "--tui"], None);
    let screen = s.wait_for("findings (* = overridden)");
    assert!(
        screen.contains("enter-home-meds takes longer than expected"),
        "{screen}"
    );
    s.keys("c");
    s.wait_for("Infrastructure");
    s.keys("t");
    s.wait_for("training: who?");
    s.keys("ak<ret>");
    s.wait_for("training: why?");
    s.keys("north new starters<ret>");
    s.wait_for("saved");
    let screen = s.wait_for("training*");
    assert!(screen.contains("OVERRIDDEN: training by ak"), "{screen}");
    s.keys("q");
    assert!(s.wait_exit().success(), "the screen quits");

    let saved = std::fs::read_to_string(dir.path().join("overrides.ron")).unwrap();
    assert!(saved.contains("cause: training"), "{saved}");
    assert!(saved.contains("why: \"north new starters\""), "{saved}");
    let out = std::process::Command::new(BIN)
        .arg("report")
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("training (OVERRIDDEN by ak"), "{text}");
}
