//! Terminal escape injection: a crafted session and pathway set (ESC, BEL, CSI, OSC, C1
//! controls, a lone carriage return, NUL in every free-text field, a file name with an OSC)
//! drives the real binary through every command that prints or writes text, and no raw
//! control character reaches standard output, standard error or a written file: each is
//! shown as a visible escape (`\u{1b}`, or `\u001b` inside JSON).

use std::path::PathBuf;

use assert_cmd::Command;
use shadowmap::model::{ProblemKind, WorkaroundKind};
use shadowmap::testing::{as_expected, header_for, session_of_steps, step};

/// OSC 0 (set the window title) ended by BEL, CSI 2J (clear the screen), C1 CSI and OSC with
/// ST, a lone carriage return (overwrite the line), backspace, DEL and NUL.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{9d}0;x\u{9c}\rX\u{8}\u{7f}\0";

/// A raw control character that is not layout (line feed, tab, CRLF), with its place.
fn first_raw_control(text: &str) -> Option<(usize, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let layout = matches!(c, '\n' | '\t') || (c == '\r' && chars.get(i + 1) == Some(&'\n'));
        (c.is_control() && !layout).then_some((i, c))
    })
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some((i, c)) = first_raw_control(&text) {
        let around: String = text.chars().skip(i.saturating_sub(40)).take(80).collect();
        panic!(
            "{what}: raw {:?} at char {i}, around {:?}",
            c,
            around.escape_debug().to_string()
        );
    }
}

struct World {
    _dir: tempfile::TempDir,
    data: PathBuf,
    sessions: PathBuf,
    a: PathBuf,
    b: PathBuf,
    pathway: PathBuf,
    broken_pathway: PathBuf,
    broken_session: PathBuf,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let sessions = data.join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let mut paths = Vec::new();
    for (auditor, clinician) in [("ak", "RN-07"), ("jb", "RN-08")] {
        let id = format!("20261125-0800-north-{clinician}-{auditor}");
        let mut h = header_for(
            &id,
            "med-rec-admission",
            &format!("north{HOSTILE}"),
            &format!("RN{HOSTILE}"),
            &format!("{clinician}{HOSTILE}"),
        );
        h.auditor = format!("{auditor}{HOSTILE}");
        let mut steps = as_expected();
        for s in &mut steps {
            if s.step == "pharmacy-record" {
                *s = s
                    .clone()
                    .workaround(WorkaroundKind::CopyPaste, &format!("copied{HOSTILE}"))
                    .problem(ProblemKind::MissingData, &format!("gone{HOSTILE}"))
                    .note(&format!("note{HOSTILE}"));
            }
        }
        steps.push(step(&format!("call{HOSTILE}gp"), 120, 2).unplanned(&format!("Call{HOSTILE}")));
        let path = sessions.join(format!("{id}.ron"));
        std::fs::write(&path, session_of_steps(h, &steps).to_ron()).unwrap();
        paths.push(path);
    }
    // A session file the readers refuse, whose name and content carry escapes: the warnings
    // and errors that quote them.
    // The data folder lists only files named as its sessions are, so the listing's warning
    // is about a well-named file with hostile content.
    let broken_session = sessions.join("broken\u{1b}]0;name\u{7}.ron");
    for path in [&broken_session, &sessions.join("20261125-0900-broken.ron")] {
        std::fs::write(
            path,
            format!("Session(header: SessionHeader(id: \"x{HOSTILE}\", site: {HOSTILE}"),
        )
        .unwrap();
    }
    let pathway = dir.path().join("hostile-pathway.ron");
    let esc = |s: &str| s.escape_debug().to_string();
    std::fs::write(
        &pathway,
        format!(
            "Pathway(id: \"med-rec-admission{h}\", version: 3, name: \"Med rec{h}\", description: \"d{h}\", roles: [\"RN{h}\"], steps: [\n\
             Step(id: \"open-chart\", label: \"Open{h}\", expected_secs: 20, expected_clicks: 4),\n\
             Step(id: \"check{h}\", label: \"Check{h}\", expected_secs: 20, expected_clicks: 1),\n\
             AnyOrder(id: \"group{h}\", label: \"Group{h}\", steps: [\n\
               Step(id: \"review-allergies\", label: \"Allergies{h}\", expected_secs: 25, expected_clicks: 3),\n\
               Step(id: \"ask-patient\", label: \"Ask{h}\", expected_secs: 170, expected_clicks: 0),\n\
             ]),\n\
             Step(id: \"sign\", label: \"Sign{h}\", expected_secs: 14, expected_clicks: 3),\n\
             ])\n",
            h = esc(HOSTILE)
        ),
    )
    .unwrap();
    // Raw control bytes in a file with a syntax error: the error quotes the file.
    let broken_pathway = dir.path().join("broken\u{1b}[2J-pathway.ron");
    std::fs::write(
        &broken_pathway,
        format!("Pathway(id: \"p{HOSTILE}\", version: {HOSTILE}oops)\n"),
    )
    .unwrap();
    World {
        _dir: dir,
        data,
        sessions,
        a: paths[0].clone(),
        b: paths[1].clone(),
        pathway,
        broken_pathway,
        broken_session,
    }
}

/// Runs shadowmap with `args` and checks standard output and standard error; returns both.
fn run(world: &World, args: &[&std::ffi::OsStr], should_succeed: bool) -> (String, String) {
    let out = Command::cargo_bin("shadowmap")
        .unwrap()
        .env("SHADOWMAP_DATA_DIR", &world.data)
        .args(args)
        .output()
        .unwrap();
    let what = format!("shadowmap {args:?}");
    assert_eq!(
        out.status.success(),
        should_succeed,
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr).escape_debug()
    );
    assert_clean(&format!("{what} (stdout)"), &out.stdout);
    assert_clean(&format!("{what} (stderr)"), &out.stderr);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn no_raw_control_character_reaches_output_or_files() {
    let w = world();
    let (a, b) = (w.a.as_os_str(), w.b.as_os_str());

    // sessions: the table, JSON, and the warning about the unreadable file.
    let (table, warnings) = run(&w, &[os("sessions")], true);
    assert!(table.contains("north\\u{1b}"), "{table}");
    assert!(warnings.contains("20261125-0900-broken.ron"), "{warnings}");
    let (json, _) = run(&w, &[os("sessions"), os("--format"), os("json")], true);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(rows.to_string().contains("north"), "{json}");

    // compare: text and JSON, against the built-in pathway; the hostile pathway file is
    // refused (a pathway's texts may not hold control characters), quoted with escapes.
    for format in ["text", "json"] {
        let (out, _) = run(&w, &[os("compare"), a, os("--format"), os(format)], true);
        assert!(out.contains("call"), "{out}");
        if format == "json" {
            serde_json::from_str::<serde_json::Value>(&out).unwrap();
        }
    }
    let (_, error) = run(
        &w,
        &[os("compare"), a, os("--pathway"), w.pathway.as_os_str()],
        false,
    );
    assert!(
        error.contains(
            "hostile-pathway.ron:1:13: the pathway id holds the control character U+001B (ESC)"
        ),
        "{error}"
    );

    // report: every format, printed and written, over a folder with the unreadable file.
    let written = w.data.join("report.out");
    for format in ["text", "md", "html", "csv", "json"] {
        let (out, warnings) = run(
            &w,
            &[
                os("report"),
                w.sessions.as_os_str(),
                os("--format"),
                os(format),
            ],
            true,
        );
        assert!(out.contains("Call"), "{format}: {out}");
        assert!(warnings.contains("skipped"), "{warnings}");
        if format == "json" {
            serde_json::from_str::<serde_json::Value>(&out).unwrap();
        } else {
            assert!(
                out.contains("\\u{1b}"),
                "{format}: the escape is visible: {out}"
            );
        }
        run(
            &w,
            &[
                os("report"),
                w.sessions.as_os_str(),
                os("--format"),
                os(format),
                os("--out"),
                written.as_os_str(),
            ],
            true,
        );
        assert_clean(
            &format!("report --format {format} --out"),
            &std::fs::read(&written).unwrap(),
        );
    }

    // agree: text and JSON, with the warning that quotes both clinicians.
    for format in ["text", "json"] {
        let (out, warnings) = run(&w, &[os("agree"), a, b, os("--format"), os(format)], true);
        assert!(out.contains("RN-07"), "{out}");
        assert!(warnings.contains("RN-08\\u{1b}"), "{warnings}");
    }

    // pathways check and show refuse the hostile file, and the broken one.
    for command in ["check", "show"] {
        let (_, error) = run(
            &w,
            &[os("pathways"), os(command), w.pathway.as_os_str()],
            false,
        );
        assert!(
            error.contains("the pathway id holds the control character"),
            "{error}"
        );
    }
    let (_, error) = run(
        &w,
        &[os("pathways"), os("check"), w.broken_pathway.as_os_str()],
        false,
    );
    assert!(error.contains("broken\\u{1b}[2J-pathway.ron"), "{error}");

    // A session the reader refuses: the error names and quotes it.
    let (_, error) = run(&w, &[os("compare"), w.broken_session.as_os_str()], false);
    assert!(error.contains("broken\\u{1b}]0;name\\u{7}.ron"), "{error}");

    // export: every format, printed and written.
    for (format, table) in [
        ("json", "events"),
        ("ron", "events"),
        ("xes", "events"),
        ("csv", "events"),
        ("csv", "steps"),
        ("ocel", "events"),
    ] {
        let mut args = vec![os("export"), a, os("--format"), os(format)];
        if format == "csv" {
            args.extend([os("--csv"), os(table)]);
        }
        let (out, _) = run(&w, &args, true);
        assert!(out.contains("north"), "{out}");
        // A new file each time: `--out` refuses to replace a file that holds a session.
        let exported = w.data.join(format!("export-{format}-{table}.out"));
        args.extend([os("--out"), exported.as_os_str()]);
        run(&w, &args, true);
        assert_clean(
            &format!("export --format {format} --csv {table} --out"),
            &std::fs::read(&exported).unwrap(),
        );
    }
}

#[test]
fn escaped_exports_still_read_back() {
    let w = world();
    // JSON stays JSON and carries the original text; XES stays well-formed XML for the
    // comparator's own XES reader.
    let (json, _) = run(
        &w,
        &[os("export"), w.a.as_os_str(), os("--format"), os("json")],
        true,
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["site"], format!("north{HOSTILE}"));
    let xes = w.data.join("a.xes");
    run(
        &w,
        &[
            os("export"),
            w.a.as_os_str(),
            os("--format"),
            os("xes"),
            os("--out"),
            xes.as_os_str(),
        ],
        true,
    );
    let (out, _) = run(
        &w,
        &[
            os("compare"),
            xes.as_os_str(),
            os("--pathway"),
            os("med-rec-admission"),
        ],
        true,
    );
    assert!(out.contains("fitness"), "{out}");
}
