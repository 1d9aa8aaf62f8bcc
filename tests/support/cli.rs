//! The one way CLI tests run the binary. A test includes it with
//! `mod support { pub mod cli; }` and calls [`shadowmap`].

use assert_cmd::Command;

/// The `shadowmap` binary this test run built, ready for arguments. It never sees the
/// developer's data: `SHADOWMAP_DATA_DIR` names a folder that does not exist (a test that
/// needs one passes `--data-dir` or sets the variable again); `NO_COLOR` keeps output plain;
/// and a run that hangs is killed after a minute, so the test fails instead of the whole run
/// hanging (a guard, not a timing check: every command here takes well under a second).
pub fn shadowmap() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shadowmap"));
    cmd.env(
        "SHADOWMAP_DATA_DIR",
        std::env::temp_dir().join("shadowmap-tests-no-data-folder"),
    )
    .env("NO_COLOR", "1")
    .timeout(std::time::Duration::from_secs(60));
    cmd
}
