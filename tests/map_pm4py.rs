//! The shadow map's directly-follows counts equal pm4py's `discover_dfg` (edges, start and end
//! activities) and its activity counts, on the XES export of the same sessions: the sample
//! sessions (one set per pathway) and seeded generated sets. The fixture is written by
//! `scripts/map-dfg-pm4py.sh`.

#[path = "map_support/generate.rs"]
mod generate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use shadowmap::map::load::{MapOptions, build_maps};
use shadowmap::map::{END, START, ShadowMap, Trace, build_map};
use shadowmap::model::resolve_pathway;

fn fixture() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/map/pm4py-dfg.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// What pm4py gives, read off our map: `(edges, start, end, activities, empty sessions)`.
type Dfg = (
    Vec<(String, String, u64)>,
    BTreeMap<String, u64>,
    BTreeMap<String, u64>,
    BTreeMap<String, u64>,
    u64,
);

fn ours(map: &ShadowMap) -> Dfg {
    let mut edges = Vec::new();
    let (mut start, mut end) = (BTreeMap::new(), BTreeMap::new());
    let mut empty = 0;
    for e in map.edges.iter().filter(|e| e.count > 0) {
        match (e.from.as_str(), e.to.as_str()) {
            (START, END) => empty = e.count,
            (START, to) => {
                start.insert(to.to_string(), e.count);
            }
            (from, END) => {
                end.insert(from.to_string(), e.count);
            }
            (from, to) => edges.push((from.to_string(), to.to_string(), e.count)),
        }
    }
    edges.sort();
    let activities = map
        .nodes
        .iter()
        .filter(|n| !n.is_end() && n.count > 0)
        .map(|n| (n.id.clone(), n.count))
        .collect();
    (edges, start, end, activities, empty)
}

fn theirs(set: &Value) -> Dfg {
    let counts = |v: &Value| -> BTreeMap<String, u64> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
            .collect()
    };
    let mut edges: Vec<(String, String, u64)> = set["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap().to_string(),
                e[1].as_str().unwrap().to_string(),
                e[2].as_u64().unwrap(),
            )
        })
        .collect();
    edges.sort();
    (
        edges,
        counts(&set["start"]),
        counts(&set["end"]),
        counts(&set["activities"]),
        set["empty_sessions"].as_u64().unwrap(),
    )
}

fn sets(kind: &str) -> Vec<Value> {
    let all: Vec<Value> = fixture()["sets"].as_array().unwrap().clone();
    let picked: Vec<Value> = all.into_iter().filter(|s| s.get(kind).is_some()).collect();
    assert!(!picked.is_empty(), "the fixture has no {kind} set");
    picked
}

#[test]
fn the_sample_sessions_map_as_pm4py_discovers_them() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    let set = build_maps(&files, &MapOptions::default()).unwrap();
    let expected = sets("folder");
    assert_eq!(set.maps.len(), expected.len(), "one map per pathway");
    for pm4py in expected {
        let pathway = pm4py["pathway"].as_str().unwrap();
        let map = set.maps.iter().find(|m| m.pathway == pathway).unwrap();
        assert_eq!(
            map.sessions,
            pm4py["sessions"].as_u64().unwrap(),
            "{pathway}"
        );
        assert_eq!(ours(map), theirs(&pm4py), "{pathway}");
    }
}

#[test]
fn generated_sets_map_as_pm4py_discovers_them() {
    let expected = sets("generated");
    assert_eq!(expected.len(), generate::SETS.len());
    for (name, pathway_id, seed, n) in generate::SETS {
        let pm4py = expected.iter().find(|s| s["name"] == *name).unwrap();
        let pathway = resolve_pathway(pathway_id).unwrap().0;
        let traces: Vec<Trace> = generate::generate(pathway_id, *seed, *n)
            .iter()
            .map(Trace::from_session)
            .collect();
        let map = build_map(&pathway, &traces);
        assert_eq!(map.sessions, pm4py["sessions"].as_u64().unwrap(), "{name}");
        let (edges, start, end, activities, empty) = ours(&map);
        assert!(
            edges.len() > 20,
            "{name}: a generated set exercises many edges"
        );
        assert!(
            empty > 0 || *name != "gen-med-rec",
            "{name}: some session has no step"
        );
        assert_eq!(
            (edges, start, end, activities, empty),
            theirs(pm4py),
            "{name}"
        );
    }
}
