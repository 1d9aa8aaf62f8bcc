//! `shadowmap pathways list|show|check` as a user runs them: exit codes, output that the
//! other commands accept, and errors that name the file, line and column and leave it alone.

mod support {
    pub mod cli;
}

use std::path::{Path, PathBuf};
use support::cli::shadowmap;

use predicates::prelude::*;
use shadowmap::model::Pathway;
use shadowmap::model::pathway::{TEMPLATES, builtin_pathways};
use shadowmap::testing::samples::HARBOR_PATHWAY;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn list_shows_every_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["pathways", "list"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        TEMPLATES.len() + 1,
        "a header and one line each:\n{out}"
    );
    for pathway in builtin_pathways() {
        let line = lines
            .iter()
            .find(|l| l.split_whitespace().next() == Some(pathway.id.as_str()))
            .unwrap_or_else(|| panic!("{} not listed:\n{out}", pathway.id));
        assert!(line.contains(&pathway.name), "{line}");
        let steps = pathway.all_steps().count().to_string();
        assert!(line.split_whitespace().any(|w| w == steps), "{line}");
    }
}

#[test]
fn show_prints_ron_that_check_accepts_for_every_template() {
    let dir = tempfile::tempdir().unwrap();
    for pathway in builtin_pathways() {
        let out = shadowmap()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["pathways", "show", &pathway.id])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let file = write(dir.path(), &format!("{}.ron", pathway.id), &text);
        assert_eq!(Pathway::load(&file).unwrap(), pathway);
        shadowmap()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["pathways", "check"])
            .arg(&file)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("ok: `{}`", pathway.id)));
    }
}

#[test]
fn show_and_check_read_a_user_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"// A site's own pathway, written by hand.
Pathway(
    id: "wound-care",
    version: 2,
    name: "Wound care documentation",
    roles: ["RN"],
    steps: [
        Step(id: "Open LDA", label: "Open lines, drains, airways", expected_secs: 20, expected_clicks: 4),
        AnyOrder(id: "assess", label: "Assess", steps: [
            Step(id: "photo", label: "Wound photo", expected_secs: 60, expected_clicks: 6, optional: true),
            Step(id: "measure", label: "Measure", expected_secs: 45, expected_clicks: 5, repeat: true),
        ]),
        Step(id: "sign", label: "Sign", expected_secs: 10, expected_clicks: 2,
             policy: Some("Pressure injury policy: document every shift")),
    ],
    tolerance: Some(time_pct: 80, clicks_pct: 30),
)
"#;
    let file = write(dir.path(), "wound.ron", text);
    let out = shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["pathways", "show"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let shown =
        Pathway::from_ron_str(&String::from_utf8(out).unwrap(), Path::new("shown")).unwrap();
    assert_eq!(shown, Pathway::load(&file).unwrap());
    assert_eq!(shown.step("Open LDA").unwrap().expected_secs, 20);
    assert_eq!(shown.tolerance().time_pct, 80);
    assert_checks(
        dir.path(),
        &file,
        "ok: `wound-care` version 2, 4 steps, 1 any-order group",
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

/// What `pathways show PATHWAY --format json` prints (data folder `data`).
fn show_json(data: &Path, pathway: &str) -> String {
    let out = shadowmap()
        .arg("--data-dir")
        .arg(data)
        .args(["pathways", "show", pathway, "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// `pathways check FILE` (data folder `data`) passes and says `expected`.
fn assert_checks(data: &Path, file: &Path, expected: &str) {
    shadowmap()
        .arg("--data-dir")
        .arg(data)
        .args(["pathways", "check"])
        .arg(file)
        .assert()
        .success()
        .stdout(predicate::str::contains(expected));
}

/// A malformed file: `check` fails with `FILE:LINE:COLUMN: message`, the file untouched.
/// Returns the standard error.
fn assert_rejected(name: &str, text: &str, line: usize, message: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), name, text);
    let before = std::fs::read(&file).unwrap();
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let assert = shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["pathways", "check"])
        .arg(&file)
        .assert()
        .failure()
        .code(1)
        .stdout("");
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    let prefix = format!("error: {}:{line}:", file.display());
    assert!(
        stderr.starts_with(&prefix),
        "{name}: want {prefix}..., got:\n{stderr}"
    );
    let column: String = stderr[prefix.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert!(column.parse::<usize>().unwrap() >= 1, "{stderr}");
    assert!(
        stderr.contains(message),
        "{name}: want {message:?} in:\n{stderr}"
    );
    assert!(
        stderr.contains("hint:"),
        "{name}: says what to do:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "{name} left byte-identical"
    );
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        modified
    );
    stderr
}

#[test]
fn check_rejects_an_unknown_field() {
    assert_rejected(
        "unknown-field.ron",
        "Pathway(\n    id: \"p\",\n    version: 1,\n    name: \"P\",\n    steps: [\n        Step(id: \"a\", label: \"A\", expected_secs: 5, expected_clicks: 1, expected_click: 2),\n    ],\n)\n",
        6,
        "expected_click",
    );
}

#[test]
fn check_rejects_a_duplicate_id() {
    assert_rejected(
        "duplicate.ron",
        "Pathway(\n    id: \"p\",\n    version: 1,\n    name: \"P\",\n    steps: [\n        Step(id: \"a\", label: \"A\", expected_secs: 5, expected_clicks: 1),\n        AnyOrder(id: \"g\", label: \"G\", steps: [\n            Step(id: \"b\", label: \"B\", expected_secs: 5, expected_clicks: 1),\n            Step(id: \"a\", label: \"A again\", expected_secs: 5, expected_clicks: 1),\n        ]),\n    ],\n)\n",
        9,
        "duplicate id `a`",
    );
}

#[test]
fn check_rejects_an_empty_pathway() {
    assert_rejected(
        "empty.ron",
        "Pathway(\n    id: \"p\",\n    version: 1,\n    name: \"P\",\n    steps: [],\n)\n",
        5,
        "no steps",
    );
}

#[test]
fn check_rejects_a_nested_group() {
    assert_rejected(
        "nested.ron",
        "Pathway(\n    id: \"p\",\n    version: 1,\n    name: \"P\",\n    steps: [\n        AnyOrder(id: \"g\", label: \"G\", steps: [\n            AnyOrder(id: \"h\", label: \"H\", steps: [\n                Step(id: \"a\", label: \"A\", expected_secs: 5, expected_clicks: 1),\n            ]),\n        ]),\n    ],\n)\n",
        7,
        "groups do not nest",
    );
}

#[test]
fn check_rejects_a_syntax_error() {
    assert_rejected(
        "syntax.ron",
        "Pathway(\n    id: \"p\",\n    version: 1,\n    name: \"P\"\n    steps: [],\n)\n",
        5,
        "",
    );
    assert_rejected(
        "unclosed.ron",
        "Pathway(\n    id: \"p\",\n    version: 1,\n    name: \"P,\n    steps: [],\n)\n",
        4,
        "",
    );
}

#[test]
fn an_unknown_pathway_id_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["pathways", "show", "no-such-pathway"])
        .assert()
        .failure()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("unknown pathway id `no-such-pathway`")
                .and(predicate::str::contains("med-rec-admission"))
                .and(predicate::str::contains("eprescribe-controlled"))
                .and(predicate::str::contains("shadowmap pathways list"))
                .and(predicate::str::contains("panicked").not()),
        );
    shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["pathways", "show", "missing/pathway.ron"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "no pathway file `missing/pathway.ron`",
        ));
    shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["pathways", "check"])
        .arg(dir.path().join("absent.ron"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("cannot read the pathway file"));
}

#[test]
fn binary_garbage_or_a_folder_as_a_pathway_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.ron");
    std::fs::write(&garbage, [0xff, 0xfe, 0x00, 0x9c, 0x80, 0x01]).unwrap();
    let folder = dir.path().join("folder.ron");
    std::fs::create_dir(&folder).unwrap();
    for cmd in ["check", "show"] {
        shadowmap()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["pathways", cmd])
            .arg(&garbage)
            .assert()
            .failure()
            .code(1)
            .stderr(
                predicate::str::contains("garbage.ron")
                    .and(predicate::str::contains("not a text file"))
                    .and(predicate::str::contains("panicked").not()),
            );
        shadowmap()
            .arg("--data-dir")
            .arg(dir.path())
            .args(["pathways", cmd])
            .arg(&folder)
            .assert()
            .failure()
            .code(1)
            .stderr(
                predicate::str::contains("folder.ron")
                    .and(predicate::str::contains("that is a folder")),
            );
    }
    // The bytes of the user's file are left as they were.
    assert_eq!(
        std::fs::read(&garbage).unwrap(),
        [0xff, 0xfe, 0x00, 0x9c, 0x80, 0x01]
    );
}

/// A pathway with one step and a site vocabulary of the given lines (from line 6 on).
fn with_vocabulary(lines: &str) -> String {
    format!(
        "Pathway(\n    id: \"p\",\n    version: 1,\n    name: \"P\",\n    steps: [Step(id: \"a\", label: \"A\", expected_secs: 5, expected_clicks: 1)],\n    vocabulary: Vocabulary(\n{lines}\n    ),\n)\n"
    )
}

#[test]
fn check_accepts_a_site_vocabulary_and_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "site.ron",
        &with_vocabulary(
            "        interruptions: [Entry(id: \"bed_manager\", label: \"Bed manager\")],\n        workarounds: [Entry(id: \"fax\", label: \"Fax to the pharmacy\", cause: Some(integration))],",
        ),
    );
    assert_checks(
        dir.path(),
        &file,
        "site vocabulary: 1 interruption source, 1 workaround kind, 0 problem kinds",
    );
}

#[test]
fn check_rejects_a_duplicate_site_kind() {
    assert_rejected(
        "duplicate-kind.ron",
        &with_vocabulary(
            "        workarounds: [\n            Entry(id: \"fax\", label: \"Fax\"),\n            Entry(id: \"fax\", label: \"Fax again\"),\n        ],",
        ),
        9,
        "duplicate workaround kind `fax`",
    );
}

#[test]
fn check_rejects_a_site_kind_that_shadows_a_built_in_one() {
    assert_rejected(
        "shadowing.ron",
        &with_vocabulary("        problems: [Entry(id: \"downtime\", label: \"Down again\")],"),
        7,
        "`downtime` is already a built-in problem kind",
    );
}

#[test]
fn check_rejects_a_site_id_with_bad_characters() {
    assert_rejected(
        "bad-id.ron",
        &with_vocabulary("        interruptions: [Entry(id: \"bed-manager\", label: \"Bed\")],"),
        7,
        "holds `-`; ids are snake_case",
    );
}

#[test]
fn check_rejects_a_site_kind_without_a_label() {
    assert_rejected(
        "no-label.ron",
        &with_vocabulary("        workarounds: [Entry(id: \"fax\", label: \"\")],"),
        7,
        "the workaround kind `fax` has an empty label",
    );
}

#[test]
fn diff_tells_the_site_vocabulary_changes_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let harbor = "sample-sessions/harbor/harbor-med-rec.ron";
    let text = std::fs::read_to_string(harbor).unwrap();
    let changed = text
        .replace(
            "            Entry(id: \"porter\", label: \"Porter / transport\"),\n",
            "",
        )
        .replace(
            "label: \"Ward whiteboard\")",
            "label: \"Whiteboard by the nurses' station\", cause: Some(design))",
        )
        .replace(
            "cause: Some(infrastructure)),\n        ],",
            "cause: Some(infrastructure)),\n            Entry(id: \"printer_jam\", label: \"Label printer jams\"),\n        ],",
        );
    assert_ne!(changed, text);
    let b = write(dir.path(), "harbor-v2.ron", &changed);
    let out = shadowmap()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["pathways", "diff", harbor])
        .arg(&b)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "- Removed the site's interruption source `porter` (\"Porter / transport\"); sessions that name it still read, with no label and no cause.\n\
         - The site's workaround kind `ward_whiteboard` is now labelled \"Whiteboard by the nurses' station\" (was \"Ward whiteboard\").\n\
         - The site's workaround kind `ward_whiteboard` now points to the cause design (was no cause).\n\
         - Added the site's problem kind `printer_jam` (\"Label printer jams\", no cause).\n"
    );
}

/// A site vocabulary of `interruptions` and `workarounds` entries, one entry a line: the
/// interruptions from line 8, the workarounds from line `interruptions + 10`.
#[test]
fn check_refuses_a_runaway_label_without_printing_it() {
    let label = "label: \"Open the patient's chart\"";
    assert!(HARBOR_PATHWAY.lines().nth(8).unwrap().contains(label));
    let huge = format!("label: \"{}\"", "Open ".repeat(400_000));
    let stderr = assert_rejected(
        "harbor-med-rec.ron",
        &HARBOR_PATHWAY.replace(label, &huge),
        9,
        ":9:39: the label of step `open-chart` is 2000000 characters long; it may be at most 200\n  hint: shorten it",
    );
    assert!(
        stderr.len() < 1_000,
        "the label is not repeated: {} bytes",
        stderr.len()
    );
    // A site-vocabulary label, the same way.
    let entry = "label: \"Porter / transport\"";
    assert_rejected(
        "harbor-med-rec.ron",
        &HARBOR_PATHWAY.replace(entry, &format!("label: \"{}\"", "p".repeat(201))),
        21,
        "the label of interruption source `porter` in `vocabulary.interruptions` is 201 characters long; it may be at most 200",
    );
}

fn large_vocabulary(interruptions: usize, workarounds: usize) -> String {
    let list = |name: &str, prefix: &str, n: usize| {
        let entries: Vec<String> = (0..n)
            .map(|i| format!("            Entry(id: \"{prefix}_{i}\", label: \"{prefix} {i}\"),"))
            .collect();
        format!("        {name}: [\n{}\n        ],", entries.join("\n"))
    };
    with_vocabulary(&format!(
        "{}\n{}",
        list("interruptions", "source", interruptions),
        list("workarounds", "kind", workarounds)
    ))
}

#[test]
fn check_rejects_a_site_vocabulary_larger_than_a_run_holds() {
    // 10,001 entries: the 4,001st workaround is the first over the cap of 10,000.
    assert_rejected(
        "too-many-kinds.ron",
        &large_vocabulary(6_000, 4_001),
        6_010 + 4_000,
        "the site vocabulary has 10001 entries; a pathway file may add at most 10000",
    );
    // At the cap it is a site vocabulary like any other.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "at-the-cap.ron",
        &large_vocabulary(6_000, 4_000),
    );
    assert_checks(
        dir.path(),
        &file,
        "site vocabulary: 6000 interruption sources, 4000 workaround kinds",
    );
}

#[test]
fn the_json_form_show_writes_checks_and_reads_back_as_the_same_pathway() {
    let dir = tempfile::tempdir().unwrap();
    let out = show_json(dir.path(), "med-administration");
    let json = write(dir.path(), "exchanged.json", &out);
    assert_checks(
        dir.path(),
        &json,
        "ok: `med-administration` version 1, 7 steps",
    );
    // Read where `--pathway` takes it: named by its id, not by the file's name.
    let session =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions/20261117-0800-north-RN-22.ron");
    shadowmap()
        .args(["compare"])
        .arg(&session)
        .arg("--pathway")
        .arg(&json)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Against `med-administration` version 1",
        ));
}

#[test]
fn the_json_form_carries_the_site_vocabulary_and_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let show = |file: &Path| show_json(dir.path(), file.to_str().unwrap());
    let harbor =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions/harbor/harbor-med-rec.ron");
    let text = show(&harbor);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["vocabulary"]["interruptions"],
        serde_json::json!([
            {"id": "bed_manager", "label": "Bed manager", "cause": null},
            {"id": "porter", "label": "Porter / transport", "cause": null},
        ])
    );
    assert_eq!(
        doc["vocabulary"]["problems"][1],
        serde_json::json!({"id": "wifi_dropout", "label": "Wi-Fi drops on the ward", "cause": "infrastructure"})
    );
    // `check` reads it with its vocabulary, and it is written again the same.
    let json = write(dir.path(), "harbor.json", &text);
    assert_checks(
        dir.path(),
        &json,
        "site vocabulary: 2 interruption sources, 2 workaround kinds, 2 problem kinds",
    );
    assert_eq!(show(&json), text);
    let read = shadowmap::compare::load_pathway_json(&json).unwrap();
    assert_eq!(read.vocabulary, Pathway::load(&harbor).unwrap().vocabulary);
    // A pathway without a vocabulary has no key: what it wrote before.
    let plain = show(Path::new("med-administration"));
    assert!(!plain.contains("vocabulary"), "{plain}");
}
