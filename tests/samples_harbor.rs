//! Harbor, the sample site with its own vocabulary (`sample-sessions/harbor/`): the committed
//! files are what the generator writes, the report classes its kinds by their `cause:`, a
//! session whose pathway file no longer lists a kind still reads, and the same id in two sites'
//! files stays two kinds.

use std::path::{Path, PathBuf};

use shadowmap::model::pathway::resolve_pathway;
use shadowmap::model::{Cause, EventKind, Pathway, Session, WorkaroundKind};
use shadowmap::report::overrides::Overrides;
use shadowmap::report::stream::{ReportOptions, build_report, collect_session_files};
use shadowmap::report::{Report, Rule};
use shadowmap::testing::SessionBuilder;
use shadowmap::testing::samples::{
    HARBOR_PATHWAY, HARBOR_PATHWAY_FILE, harbor_pathway, harbor_sessions,
};

fn harbor_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions/harbor")
}

fn report(paths: &[PathBuf]) -> Report {
    let files = collect_session_files(paths).unwrap();
    build_report(&files, &ReportOptions::default(), &Overrides::default()).unwrap()
}

#[test]
fn the_committed_harbor_files_are_what_the_generator_writes() {
    let dir = harbor_dir();
    assert_eq!(
        std::fs::read_to_string(dir.join(HARBOR_PATHWAY_FILE)).unwrap(),
        HARBOR_PATHWAY
    );
    let sessions = harbor_sessions();
    assert!((4..=6).contains(&sessions.len()));
    let mut voiced = 0;
    for session in &sessions {
        let path = dir.join(format!("{}.ron", session.header.id));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            session.to_ron(),
            "{} is what the generator writes: run `cargo run --example make_samples`",
            path.display()
        );
        voiced += usize::from(
            session
                .events
                .iter()
                .any(|e| matches!(e.kind, EventKind::Questionnaire { .. })),
        );
    }
    assert_eq!(voiced, 2, "two clinicians answer the questionnaires");
    // Harbor's file is not built in: its id is its own.
    assert!(resolve_pathway("harbor-med-rec").is_err());
}

#[test]
fn the_harbor_report_names_site_kinds_by_id_and_classes_them_by_their_cause() {
    // The folder holds the pathway file beside the sessions: the report takes it as theirs.
    let report = report(&[harbor_dir()]);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(report.pathways.len(), 1);
    let harbor = &report.pathways[0];
    assert_eq!(harbor.id, "harbor-med-rec");
    let figures = &harbor.overall.figures;
    assert_eq!(figures.workarounds["fax"], 5);
    assert_eq!(figures.workarounds["ward_whiteboard"], 1);
    assert_eq!(figures.workarounds["paper_note"], 1);
    assert_eq!(figures.problems["badge_reader"], 2);
    assert_eq!(figures.problems["wifi_dropout"], 1);
    let fax = report
        .findings
        .iter()
        .find(|f| f.kind == "workaround:fax")
        .expect("a finding for the fax workaround");
    assert_eq!((fax.rule, fax.cause), (Rule::SiteKind, Cause::Integration));
    assert!(
        fax.because
            .contains("classes workaround `fax` as integration")
    );
    // The slow GP list carries the fax on every occurrence: a co-integration finding.
    let slow = report
        .findings
        .iter()
        .find(|f| f.step == "gp-list" && f.kind == "slow_step")
        .unwrap();
    assert_eq!(
        (slow.rule, slow.cause),
        (Rule::CoIntegration, Cause::Integration)
    );
    // The text report names the kinds by id and gives the legend with the labels.
    let text = shadowmap::report::render::render(&report, shadowmap::report::render::Format::Text);
    assert!(text.contains("workarounds: fax 5"), "{text}");
    assert!(
        text.contains(
            "site kinds: interruption bed_manager: Bed manager; interruption porter: Porter / transport; workaround fax: Fax to or from the GP surgery (cause integration)"
        ),
        "{text}"
    );
}

/// Copies Harbor's sessions into `to`, with `pathway` as their pathway file.
fn harbor_copy(to: &Path, pathway: &str) {
    std::fs::create_dir_all(to).unwrap();
    for session in harbor_sessions() {
        std::fs::write(
            to.join(format!("{}.ron", session.header.id)),
            session.to_ron(),
        )
        .unwrap();
    }
    std::fs::write(to.join(HARBOR_PATHWAY_FILE), pathway).unwrap();
}

#[test]
fn a_session_whose_pathway_file_no_longer_lists_a_kind_still_reads_and_shows_the_id() {
    let dir = tempfile::tempdir().unwrap();
    // The file lost its whole vocabulary since the sessions were captured.
    let start = HARBOR_PATHWAY.find("    vocabulary:").unwrap();
    let end = HARBOR_PATHWAY.rfind("    ),\n").unwrap() + "    ),\n".len();
    let trimmed = format!("{}{}", &HARBOR_PATHWAY[..start], &HARBOR_PATHWAY[end..]);
    assert!(
        Pathway::from_ron_str(&trimmed, Path::new("p.ron"))
            .unwrap()
            .vocabulary
            .is_empty()
    );
    harbor_copy(dir.path(), &trimmed);
    // Each session reads on its own.
    for session in harbor_sessions() {
        let path = dir.path().join(format!("{}.ron", session.header.id));
        assert_eq!(Session::load(&path).unwrap(), session);
    }
    let report = report(&[dir.path().to_path_buf()]);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let figures = &report.pathways[0].overall.figures;
    assert_eq!(figures.workarounds["fax"], 5);
    // No `cause:` any more: the fax finding falls to the general rules.
    let fax = report
        .findings
        .iter()
        .find(|f| f.kind == "workaround:fax")
        .unwrap();
    assert_ne!(fax.rule, Rule::SiteKind);
    let text = shadowmap::report::render::render(&report, shadowmap::report::render::Format::Text);
    assert!(!text.contains("site kinds:"), "{text}");
    assert!(text.contains("fax 5"), "{text}");
}

#[test]
fn the_same_id_in_two_sites_files_is_two_kinds_kept_apart_by_pathway() {
    let dir = tempfile::tempdir().unwrap();
    let harbor = dir.path().join("harbor");
    harbor_copy(&harbor, HARBOR_PATHWAY);
    // Quay's file also has a `fax`, meaning something else, with no cause.
    let quay_text = HARBOR_PATHWAY
        .replace("harbor-med-rec", "quay-med-rec")
        .replace(
            "Entry(id: \"fax\", label: \"Fax to or from the GP surgery\", cause: Some(integration))",
            "Entry(id: \"fax\", label: \"Fax the discharge letter\")",
        );
    let quay_pathway = Pathway::from_ron_str(&quay_text, Path::new("quay.ron")).unwrap();
    let quay = dir.path().join("quay");
    std::fs::create_dir_all(&quay).unwrap();
    std::fs::write(quay.join("quay-med-rec.ron"), &quay_text).unwrap();
    let mut b = SessionBuilder::on_pathway(
        "2026-11-26T09:00:00+00:00",
        "quay",
        "RN-50",
        "mt",
        &quay_pathway,
    );
    b.work("open-chart", 20.0, 4, 1);
    b.work("ask-patient", 150.0, 0, 0);
    b.work("gp-list", 80.0, 6, 1);
    b.step("enter-home-meds").act(200.0, 38, 2, 0);
    b.workaround(
        WorkaroundKind::from_name("fax").unwrap(),
        "discharge letter faxed",
    );
    b.act(20.0, 2, 0, 0);
    b.work("sign", 15.0, 3, 0);
    let session = b.finish();
    std::fs::write(
        quay.join(format!("{}.ron", session.header.id)),
        session.to_ron(),
    )
    .unwrap();

    let report = report(&[harbor, quay]);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let by_id = |id: &str| report.pathways.iter().find(|p| p.id == id).unwrap();
    assert_eq!(
        by_id("harbor-med-rec").overall.figures.workarounds["fax"],
        5
    );
    assert_eq!(by_id("quay-med-rec").overall.figures.workarounds["fax"], 1);
    assert_eq!(
        by_id("quay-med-rec").vocabulary.workarounds[0].label,
        "Fax the discharge letter"
    );
    // Harbor's fax is integration by its file; Quay's fax is not classed by Harbor's entry.
    for finding in report
        .findings
        .iter()
        .filter(|f| f.kind == "workaround:fax")
    {
        match finding.pathway.as_str() {
            "harbor-med-rec" => assert_eq!(finding.rule, Rule::SiteKind),
            "quay-med-rec" => assert_ne!(finding.rule, Rule::SiteKind),
            other => panic!("a fax finding of {other}"),
        }
    }
    assert_eq!(harbor_pathway().vocabulary.workarounds.len(), 2);
}

#[test]
fn pathway_files_among_the_inputs_are_split_off_by_id_and_version() {
    use shadowmap::report::stream::split_pathway_files;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let first = write("a.ron", HARBOR_PATHWAY);
    // A copy (another round's folder): the same pathway, not a conflict.
    let copy = write("b.ron", HARBOR_PATHWAY);
    // Version 2 of the file: kept beside version 1.
    let v2 = write(
        "c.ron",
        &HARBOR_PATHWAY.replace("version: 1,", "version: 2,"),
    );
    // Version 1 again but changed: refused, with why.
    let changed = write(
        "d.ron",
        &HARBOR_PATHWAY.replace("Bed manager", "Bed manager (days)"),
    );
    // A broken pathway file: refused with its line and column.
    let broken = write("e.ron", "// a site file\nPathway(id: \"x\", version: 1)\n");
    let session = dir.path().join("s.ron");
    std::fs::write(&session, harbor_sessions()[0].to_ron()).unwrap();
    let split = split_pathway_files(&[
        first.clone(),
        copy,
        v2,
        session.clone(),
        changed.clone(),
        broken.clone(),
    ]);
    assert_eq!(split.sessions, [session]);
    assert_eq!(split.pathways["harbor-med-rec"].len(), 2);
    assert_eq!(split.pathway_for("harbor-med-rec", 2).unwrap().version, 2);
    assert_eq!(split.pathway_for("harbor-med-rec", 1).unwrap().version, 1);
    assert_eq!(split.pathway_for("harbor-med-rec", 7).unwrap().version, 1);
    assert!(split.pathway_for("quay-med-rec", 1).is_none());
    assert_eq!(split.refused.len(), 2, "{:?}", split.refused);
    assert_eq!(split.refused[0].0, changed);
    assert!(split.refused[0].1.contains(&format!(
        "differs from the file of the same id and version, {}",
        first.display()
    )));
    assert_eq!(split.refused[1].0, broken);
    assert!(
        split.refused[1].1.contains("e.ron:2:"),
        "{}",
        split.refused[1].1
    );
}

#[test]
fn rounds_read_each_rounds_copy_of_the_site_file_and_count_site_kinds_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("round-1"), dir.path().join("round-2"));
    harbor_copy(&one, HARBOR_PATHWAY);
    harbor_copy(&two, HARBOR_PATHWAY);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shadowmap"))
        .args(["rounds", "--split", "folder", "--format", "json"])
        .arg(&one)
        .arg(&two)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("skipped"), "{stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rounds = json["pathways"][0]["rounds"].as_array().unwrap();
    let sessions: Vec<u64> = rounds
        .iter()
        .map(|r| r["sessions"].as_u64().unwrap())
        .collect();
    assert_eq!(sessions, [5, 5], "{text}");
    assert!(text.contains("workaround:fax"), "{text}");
}

#[test]
fn markdown_html_and_ocel_name_the_site_kinds_too() {
    use shadowmap::report::render::{Format, render};
    let report = report(&[harbor_dir()]);
    let md = render(&report, Format::Markdown);
    assert!(
        md.contains("Site kinds: interruption bed_manager: Bed manager"),
        "{md}"
    );
    assert!(
        md.contains("| workarounds | fax 5, paper_note 1, ward_whiteboard 1 |"),
        "{md}"
    );
    let html = render(&report, Format::Html);
    assert!(
        html.contains("Site kinds: interruption bed_manager: Bed manager"),
        "{html}"
    );
    assert!(html.contains("Workarounds: fax 5, paper_note 1"), "{html}");
    // The command's HTML (with each pathway's map and suggestion) reads the site's file too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shadowmap"))
        .args(["report", "--format", "html"])
        .arg(harbor_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains("Site kinds: interruption bed_manager"));
    // OCEL over the folder (the pathway file beside the sessions): the events carry the id.
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("harbor.ocel.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shadowmap"))
        .args(["export", "--format", "ocel", "--out"])
        .arg(&out_file)
        .arg(harbor_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ocel: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    let details: Vec<&str> = ocel["events"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["attributes"].as_array().into_iter().flatten())
        .filter(|a| a["name"] == "detail")
        .filter_map(|a| a["value"].as_str())
        .collect();
    assert_eq!(details.iter().filter(|d| **d == "fax").count(), 5);
    assert!(details.contains(&"bed_manager"));
    assert!(details.contains(&"badge_reader"));
}
