//! The architecture, checked: the pure core never depends on the terminal. `src/model`,
//! `src/store`, `src/compare`, `src/agree` and `src/report` must not mention ratatui or
//! crossterm, so they stay testable without a terminal and usable from any front end.

use std::path::{Path, PathBuf};

const CORE: &[&str] = &["model", "store", "compare", "agree", "report", "map"];
const TERMINAL_CRATES: &[&str] = &["ratatui", "crossterm"];

/// Every `.rs` file under `dir`, recursively, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The places (`file:line: text`) in the given files that name a terminal crate.
fn terminal_mentions(files: &[PathBuf]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            if TERMINAL_CRATES.iter().any(|name| lower.contains(name)) {
                found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_pure_core_never_mentions_the_terminal_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut scanned = 0;
    for module in CORE {
        let dir = src.join(module);
        let mut files = rust_files(&dir);
        // A module may also be a single file beside its folder.
        let single = src.join(format!("{module}.rs"));
        if single.is_file() {
            files.push(single);
        }
        assert!(!files.is_empty(), "src/{module} has no Rust files");
        scanned += files.len();
        let found = terminal_mentions(&files);
        assert!(
            found.is_empty(),
            "the core module `{module}` must not use ratatui or crossterm (move terminal code \
             to src/tui):\n{}",
            found.join("\n")
        );
    }
    assert!(scanned >= CORE.len());
}

#[test]
fn the_scan_finds_a_mention_when_there_is_one() {
    // The check itself can fail: a file that imports crossterm is reported with its line.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.rs");
    std::fs::write(&file, "use std::io;\nuse crossterm::event::KeyEvent;\n").unwrap();
    let found = terminal_mentions(&rust_files(dir.path()));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].ends_with(":2: use crossterm::event::KeyEvent;"),
        "{found:?}"
    );
}

#[test]
fn the_library_root_keeps_the_terminal_out_of_the_core() {
    // lib.rs declares the modules; only `tui` may be the terminal layer.
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    for module in CORE {
        assert!(
            lib.contains(&format!("pub mod {module};")),
            "lib.rs declares {module}"
        );
    }
    let cargo =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    // No networking crate at all (docs/reference.md section 8: the program has no network code).
    for crate_name in ["reqwest", "hyper", "ureq", "tokio", "surf", "curl", "isahc"] {
        assert!(
            !cargo
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{crate_name} ="))),
            "Cargo.toml must not depend on {crate_name}"
        );
    }
}

/// The screens: every folder under `src/tui` except shared helpers.
fn screen_modules() -> Vec<PathBuf> {
    let tui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui");
    let mut screens: Vec<PathBuf> = std::fs::read_dir(&tui)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "snapshots"))
        .collect();
    screens.sort();
    screens
}

/// The lines of an `update.rs` that reach for the store, the file system or the clock.
fn impure_mentions(file: &Path) -> Vec<String> {
    const FORBIDDEN: &[&str] = &[
        "crate::store",
        "shadowmap::store",
        "std::fs",
        "std::io",
        "std::net",
        "std::process",
        "std::env",
        "Instant",
        "SystemTime",
        "Local::now",
        "Utc::now",
        "File::",
        "OpenOptions",
    ];
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, line)| FORBIDDEN.iter().any(|f| line.contains(f)))
        .map(|(i, line)| format!("{}:{}: {}", file.display(), i + 1, line.trim()))
        .collect()
}

#[test]
fn every_screen_has_keys_update_and_draw_and_its_update_is_pure() {
    let screens = screen_modules();
    let names: Vec<String> = screens
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in [
        "browse", "capture", "map", "replay", "report", "resume", "start",
    ] {
        assert!(
            names.contains(&expected.to_string()),
            "no src/tui/{expected}: {names:?}"
        );
    }
    for screen in &screens {
        for part in ["keys.rs", "update.rs", "draw.rs"] {
            assert!(
                screen.join(part).is_file(),
                "{} lacks {part}: every screen has keys.rs, update.rs and draw.rs",
                screen.display()
            );
        }
        let found = impure_mentions(&screen.join("update.rs"));
        assert!(
            found.is_empty(),
            "update.rs does no I/O and reads no clock (effects and `now` come from the loop):\n{}",
            found.join("\n")
        );
    }
}

#[test]
fn the_purity_scan_finds_a_clock_read() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("update.rs");
    std::fs::write(
        &file,
        "use super::State;\nlet now = std::time::Instant::now();\n",
    )
    .unwrap();
    let found = impure_mentions(&file);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(":2:"), "{found:?}");
}
