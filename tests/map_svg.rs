//! The drawing shows what the JSON says: every node (planned ones always, others at or above
//! `--min-share`) and every edge at or above it, nothing below it, and no two node boxes
//! overlap. Driven through the binary, on each sample pathway and on the generated sets, at
//! several thresholds; the SVG is read as XML (so it is well-formed too).

#[path = "map_support/generate.rs"]
mod generate;

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;

#[derive(Debug)]
struct Drawn {
    nodes: Vec<(String, [f64; 4])>,
    edges: BTreeSet<(String, String)>,
}

fn run(folder: &Path, pathway: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("shadowmap")
        .unwrap()
        .arg("map")
        .arg(folder)
        .args(["--pathway", pathway])
        .args(args)
        .assert()
        .success();
    out.get_output().stdout.clone()
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned()
        })
}

fn parse(svg: &str) -> Drawn {
    let mut reader = Reader::from_str(svg);
    let mut nodes = Vec::new();
    let mut edges = BTreeSet::new();
    let mut open_node: Option<String> = None;
    loop {
        match reader.read_event().expect("the SVG is well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name();
                if name.as_ref() == "g" {
                    if let Some(id) = attr(&e, "data-id") {
                        open_node = Some(id);
                    }
                    if let (Some(from), Some(to)) = (attr(&e, "data-from"), attr(&e, "data-to")) {
                        edges.insert((from, to));
                    }
                } else if name.as_ref() == "rect"
                    && let Some(id) = open_node.take()
                {
                    let num = |k: &str| attr(&e, k).unwrap().parse::<f64>().unwrap();
                    nodes.push((id, [num("x"), num("y"), num("width"), num("height")]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Drawn { nodes, edges }
}

fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

/// Checks one pathway's drawing against its JSON; returns the number of nodes drawn.
fn check(folder: &Path, pathway: &str, min_share: f64) -> usize {
    let map: Value = serde_json::from_slice(&run(folder, pathway, &["--format", "json"])).unwrap();
    let share = min_share.to_string();
    let svg = String::from_utf8(run(
        folder,
        pathway,
        &["--format", "svg", "--min-share", &share],
    ))
    .unwrap();
    let drawn = parse(&svg);
    let sessions = map["sessions"].as_f64().unwrap();
    let expected_nodes: BTreeSet<String> = map["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["planned"] == true || n["sessions"].as_f64().unwrap() / sessions >= min_share)
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect();
    let drawn_nodes: BTreeSet<String> = drawn.nodes.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(
        drawn_nodes, expected_nodes,
        "{pathway} at {min_share}: nodes"
    );
    assert_eq!(drawn.nodes.len(), drawn_nodes.len(), "each node drawn once");
    let expected_edges: BTreeSet<(String, String)> = map["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["share"].as_f64().unwrap() >= min_share
                && expected_nodes.contains(e["from"].as_str().unwrap())
                && expected_nodes.contains(e["to"].as_str().unwrap())
        })
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_string(),
                e["to"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        drawn.edges, expected_edges,
        "{pathway} at {min_share}: edges"
    );
    for (i, (a, box_a)) in drawn.nodes.iter().enumerate() {
        for (b, box_b) in &drawn.nodes[i + 1..] {
            assert!(!overlap(box_a, box_b), "{pathway}: {a} and {b} overlap");
        }
    }
    drawn.nodes.len()
}

#[test]
fn the_sample_maps_draw_every_node_and_edge_above_the_threshold() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
    for pathway in [
        "med-rec-admission",
        "med-administration",
        "cpoe-med-order",
        "ed-triage",
        "eprescribe-controlled",
        "lab-result-review",
    ] {
        for min_share in [0.0, 0.3] {
            check(&samples, pathway, min_share);
        }
    }
}

#[test]
fn a_generated_map_with_many_steps_draws_without_overlap() {
    let dir = tempfile::tempdir().unwrap();
    for (_, pathway, seed, n) in generate::SETS {
        for session in generate::generate(pathway, *seed, *n) {
            let path = dir.path().join(format!("{}.ron", session.header.id));
            std::fs::write(path, session.to_ron()).unwrap();
        }
    }
    let mut hidden_some = false;
    for (_, pathway, _, _) in generate::SETS {
        let all = check(dir.path(), pathway, 0.0);
        let fewer = check(dir.path(), pathway, 0.1);
        hidden_some |= fewer < all;
    }
    assert!(hidden_some, "a threshold hides some rare step");
}
