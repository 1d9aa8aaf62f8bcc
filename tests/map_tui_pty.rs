//! End to end: `shadowmap map sample-sessions --pathway med-rec-admission --tui` in a
//! pseudo-terminal: select a step, see where people come from and go next, open the sessions of
//! a flow that leaves the pathway, replay one at that moment, come back, quit; see the pathway
//! the map's sessions suggest (`s`) and the key help (`?`).

mod support;

use std::path::Path;

use support::pty::{Pty, copy_sample_folder, copy_samples};

#[test]
fn walk_the_map_open_a_deviating_flow_and_replay_a_session() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
    let mut s = Pty::spawn(
        &[
            "map",
            samples.to_str().unwrap(),
            "--pathway",
            "med-rec-admission",
            "--tui",
        ],
        None,
    );
    s.wait_for("Steps, in the pathway's order");
    // The second step: where people come from and go next.
    s.keys("j");
    let screen = s.wait_for("Review allergies (review-allergies)");
    assert!(
        screen.contains("<- Open the patient's chart  2 (33%)"),
        "{screen}"
    );
    assert!(
        screen.contains("! <- Enter home medications  3 (50%)"),
        "{screen}"
    );
    assert!(
        screen.contains("-> Ask patient or family  2 (33%)"),
        "{screen}"
    );
    assert!(
        screen.contains("! -> Sign reconciliation  3 (50%)"),
        "{screen}"
    );
    // Into the flows; the first incoming one (the most taken) leaves the pathway: its
    // sessions, the pharmacist at north the third.
    s.keys("<tab><ret>");
    let screen = s.wait_for("Sessions that took the flow");
    assert!(
        screen.contains("Enter home medications -> Review allerg"),
        "{screen}"
    );
    assert!(
        screen.contains("20261119-1010-north-PharmD-02  at 15:53"),
        "{screen}"
    );
    // Replay it at that moment, then back to the map.
    s.keys("jjr");
    let screen = s.wait_for("PAUSE");
    assert!(screen.contains("15:53 /"), "{screen}");
    s.keys("q");
    s.wait_for("Sessions that took the flow");
    s.keys("q");
    assert!(s.wait_exit().success(), "the map screen quits");
}

#[test]
fn the_report_screen_opens_the_map_at_a_findings_step() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path());
    let mut s = Pty::spawn(&["report", dir.path().to_str().unwrap(), "--tui"], None);
    let screen = s.wait_for("findings (* = overridden)");
    assert!(
        screen.contains("enter-home-meds takes longer than expected"),
        "{screen}"
    );
    s.keys("m");
    let screen = s.wait_for("Shadow map Medication reconciliation at admission");
    assert!(
        screen.contains("Enter home medications (enter-home-meds)"),
        "{screen}"
    );
    s.keys("q");
    s.wait_for("findings (* = overridden)");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn map_and_the_report_screen_use_a_site_pathway_file_among_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample_folder("harbor", dir.path());
    let folder = dir.path().to_str().unwrap();
    let mut s = Pty::spawn(&["map", folder, "--tui"], None);
    let screen = s.wait_for("Steps, in the pathway's order");
    assert!(
        screen.contains("Get the GP surgery's medication list (gp-list)")
            || screen.contains("Open the patient's chart (open-chart)"),
        "{screen}"
    );
    s.wait_for("Medication reconciliation at admission (Harbor General)");
    s.keys("q");
    assert!(s.wait_exit().success(), "the map screen quits");

    let mut s = Pty::spawn(&["report", folder, "--tui"], None);
    s.wait_for("findings (* = overridden)");
    s.keys("m");
    s.wait_for("Shadow map Medication reconciliation at admission (Harbor General)");
    s.keys("q");
    s.wait_for("findings (* = overridden)");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn browse_opens_the_map_of_the_listed_sessions_of_a_pathway() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(&dir.path().join("sessions"));
    let mut s = Pty::in_data_dir(dir.path(), &["browse"]);
    // The newest first: a CPOE order at river.
    s.wait_for("20261119-1510-river-MD-30");
    s.keys("/pathway:med-rec-admission<ret>");
    s.wait_until("only med-rec sessions listed", |screen| {
        !screen.contains("20261119-1510-river-MD-30")
    });
    s.keys("m");
    let screen = s.wait_for("Shadow map Medication reconciliation at admission (6 sessions)");
    assert!(screen.contains("Open the patient's chart"), "{screen}");
    s.keys("q");
    // The list's rows may still be on the screen from before the map: wait for the map to go.
    s.wait_until("the map closed", |screen| !screen.contains("Shadow map"));
    s.wait_for("20261116-0912-north-RN-07");
    s.keys("q");
    assert!(s.wait_exit().success());
}

#[test]
fn s_shows_the_pathway_the_sessions_suggest_and_esc_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    copy_samples(dir.path());
    let mut s = Pty::spawn(
        &[
            "map",
            dir.path().to_str().unwrap(),
            "--pathway",
            "med-rec-admission",
            "--tui",
        ],
        None,
    );
    s.wait_for("Steps, in the pathway's order");
    s.wait_for("s suggest");
    s.keys("s");
    // The samples' recurring departure: three sessions review the allergies last. (Each
    // line is waited for: a screen read mid-draw may not have the lines below yet.)
    s.wait_for("What the work suggests");
    s.wait_for("Mean fitness 0.910 -> 0.926; fully fitting sessions 1 (17 %) -> 3 (50 %)");
    s.wait_for("Move `review-allergies` after `enter-home-meds`");
    s.wait_for("fitness +0.015 (0.910 -> 0.926); sessions: 20261117-0940-north-RN-22");
    // A page down: the revised file.
    s.keys("<pgdown>");
    s.wait_for("version: 4,");
    s.keys("<esc>");
    s.wait_for("Steps, in the pathway's order");
    // The key help names `s`; any key closes it.
    s.keys("?");
    s.wait_for("Map keys (any key closes)");
    s.wait_for("the pathway these sessions suggest");
    s.keys("x");
    s.wait_until("the help closed", |screen| !screen.contains("Map keys"));
    // The suggestion is kept: `s` shows it again at once.
    s.keys("s");
    s.wait_for("Move `review-allergies` after `enter-home-meds`");
    s.keys("q");
    assert!(s.wait_exit().success(), "the map screen quits");
}
