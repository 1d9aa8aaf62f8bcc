//! An edge of the map conforms exactly when some complete run of the pathway has its two steps
//! one right after the other: checked against brute force. Small pathways (optional steps,
//! any-order groups, repeats) are generated; their runs are enumerated straight from the
//! pathway's definition (each repeat done at most twice, which already shows every pair a
//! longer run could), independently of the comparator's compiled model the map reads.

use std::collections::BTreeSet;

use proptest::prelude::*;
use shadowmap::map::{END, Follows, START, Trace, build_map};
use shadowmap::model::Pathway;

#[derive(Debug, Clone)]
struct GenStep {
    optional: bool,
    repeat: bool,
}

#[derive(Debug, Clone)]
enum GenElement {
    Step(GenStep),
    Group(Vec<GenStep>),
}

fn gen_step() -> impl Strategy<Value = GenStep> {
    (any::<bool>(), any::<bool>()).prop_map(|(optional, repeat)| GenStep { optional, repeat })
}

fn gen_element() -> impl Strategy<Value = GenElement> {
    prop_oneof![
        3 => gen_step().prop_map(GenElement::Step),
        1 => prop::collection::vec(gen_step(), 1..=3).prop_map(GenElement::Group),
    ]
}

/// The pathway's RON text and its elements with step ids (`s0`, `s1`, ...).
fn pathway_of(elements: &[GenElement]) -> (Pathway, Vec<Vec<(String, GenStep)>>) {
    let mut n = 0;
    let mut next_id = || {
        n += 1;
        format!("s{}", n - 1)
    };
    let step_ron = |id: &str, s: &GenStep| {
        format!(
            "Step(id: \"{id}\", label: \"{id}\", expected_secs: 10, expected_clicks: 1, optional: {}, repeat: {})",
            s.optional, s.repeat
        )
    };
    let mut parts = Vec::new();
    let mut ids = Vec::new();
    for (g, element) in elements.iter().enumerate() {
        match element {
            GenElement::Step(s) => {
                let id = next_id();
                parts.push(step_ron(&id, s));
                ids.push(vec![(id, s.clone())]);
            }
            GenElement::Group(members) => {
                let named: Vec<(String, GenStep)> =
                    members.iter().map(|m| (next_id(), m.clone())).collect();
                let inner: Vec<String> = named.iter().map(|(id, s)| step_ron(id, s)).collect();
                parts.push(format!(
                    "AnyOrder(id: \"g{g}\", label: \"g{g}\", steps: [{}])",
                    inner.join(", ")
                ));
                ids.push(named);
            }
        }
    }
    let ron = format!(
        "Pathway(id: \"gen\", version: 1, name: \"gen\", steps: [{}])",
        parts.join(", ")
    );
    let pathway = Pathway::from_ron_str(&ron, std::path::Path::new("gen.ron")).unwrap();
    (pathway, ids)
}

/// Every distinct ordering of a multiset.
fn permutations(items: &[String]) -> BTreeSet<Vec<String>> {
    if items.is_empty() {
        return BTreeSet::from([Vec::new()]);
    }
    let mut out = BTreeSet::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first.clone());
            out.insert(tail);
        }
    }
    out
}

/// How often a step may occur in a run, up to twice.
fn occurrences(s: &GenStep) -> Vec<usize> {
    let low = if s.optional { 0 } else { 1 };
    let high = if s.repeat { 2 } else { 1 };
    (low..=high).collect()
}

/// The runs of one element.
fn fragments(element: &[(String, GenStep)], group: bool) -> BTreeSet<Vec<String>> {
    if !group {
        let (id, s) = &element[0];
        return occurrences(s)
            .into_iter()
            .map(|k| vec![id.clone(); k])
            .collect();
    }
    let mut multisets: Vec<Vec<String>> = vec![Vec::new()];
    for (id, s) in element {
        multisets = multisets
            .into_iter()
            .flat_map(|m| {
                occurrences(s).into_iter().map(move |k| {
                    let mut m = m.clone();
                    m.extend(std::iter::repeat_n(id.clone(), k));
                    m
                })
            })
            .collect();
    }
    multisets.iter().flat_map(|m| permutations(m)).collect()
}

fn brute_force(
    elements: &[GenElement],
    ids: &[Vec<(String, GenStep)>],
) -> BTreeSet<(String, String)> {
    let mut runs: BTreeSet<Vec<String>> = BTreeSet::from([Vec::new()]);
    for (element, named) in elements.iter().zip(ids) {
        let group = matches!(element, GenElement::Group(_));
        let parts = fragments(named, group);
        runs = runs
            .iter()
            .flat_map(|run| {
                parts.iter().map(move |part| {
                    let mut r = run.clone();
                    r.extend(part.iter().cloned());
                    r
                })
            })
            .collect();
    }
    let mut pairs = BTreeSet::new();
    for run in runs {
        let mut path = vec![START.to_string()];
        path.extend(run);
        path.push(END.to_string());
        for w in path.windows(2) {
            pairs.insert((w[0].clone(), w[1].clone()));
        }
    }
    pairs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_overlay_allows_exactly_the_pairs_of_the_runs(elements in prop::collection::vec(gen_element(), 1..=4)) {
        let (pathway, ids) = pathway_of(&elements);
        let follows = Follows::of(&pathway).unwrap();
        let ours: BTreeSet<(String, String)> =
            follows.pairs().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        prop_assert_eq!(ours, brute_force(&elements, &ids));
    }

    #[test]
    fn every_edge_of_a_map_is_conforming_exactly_when_a_run_has_it(
        elements in prop::collection::vec(gen_element(), 1..=4),
        picks in prop::collection::vec(prop::collection::vec(0usize..12, 0..8), 1..6),
    ) {
        let (pathway, ids) = pathway_of(&elements);
        let mut steps: Vec<String> = ids.iter().flatten().map(|(id, _)| id.clone()).collect();
        steps.push("unplanned".to_string());
        let traces: Vec<Trace> = picks
            .iter()
            .enumerate()
            .map(|(i, pick)| {
                let seq: Vec<&str> = pick.iter().map(|&k| steps[k % steps.len()].as_str()).collect();
                Trace::bare(&format!("t{i}"), &seq)
            })
            .collect();
        let map = build_map(&pathway, &traces);
        let truth = brute_force(&elements, &ids);
        for edge in &map.edges {
            prop_assert_eq!(
                edge.conforming,
                truth.contains(&(edge.from.clone(), edge.to.clone())),
                "{} -> {}", edge.from, edge.to
            );
        }
        // Every configured pair is on the map, taken or not.
        for (from, to) in &truth {
            prop_assert!(map.edge(from, to).is_some(), "{} -> {} missing", from, to);
        }
    }
}
