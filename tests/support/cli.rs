//! The one way CLI tests run the binary. A test includes it with
//! `mod support { pub mod cli; }` and calls [`shadowmap`].

use assert_cmd::Command;

/// The `shadowmap` binary this test run built, ready for arguments. It never sees the
/// developer's data: `SHADOWMAP_DATA_DIR` names a folder that does not exist (a test that
/// needs one passes `--data-dir` or sets the variable again), and `NO_COLOR` keeps output
/// plain.
pub fn shadowmap() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_shadowmap"));
    cmd.env(
        "SHADOWMAP_DATA_DIR",
        std::env::temp_dir().join("shadowmap-tests-no-data-folder"),
    )
    .env("NO_COLOR", "1");
    cmd
}
