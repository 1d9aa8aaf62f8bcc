//! Properties of the comparator (docs/reference.md section 5), on random pathways and traces.

use proptest::prelude::*;
use shadowmap::compare::{MoveKind, compare_trace};
use shadowmap::model::{Element, Group, Pathway, Step};

#[derive(Debug, Clone)]
struct Spec {
    /// Per element: the (optional, repeat) flags of its members; one member = a plain step.
    elements: Vec<(bool, Vec<(bool, bool)>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    let member = (any::<bool>(), any::<bool>());
    let element = prop_oneof![
        member.prop_map(|m| (false, vec![m])),
        prop::collection::vec(member, 1..5).prop_map(|ms| (true, ms)),
    ];
    prop::collection::vec(element, 1..7).prop_map(|elements| Spec { elements })
}

fn step(id: String, (optional, repeat): (bool, bool)) -> Step {
    Step {
        label: id.clone(),
        id,
        expected_secs: 0,
        expected_clicks: 0,
        expected_screens: None,
        optional,
        repeat,
        policy: None,
    }
}

fn pathway(spec: &Spec) -> Pathway {
    let mut n = 0;
    let mut next_id = || {
        n += 1;
        format!("s{n:02}")
    };
    let steps = spec
        .elements
        .iter()
        .enumerate()
        .map(|(g, (is_group, members))| {
            if *is_group {
                Element::AnyOrder(Group {
                    id: format!("g{g}"),
                    label: format!("group {g}"),
                    steps: members.iter().map(|m| step(next_id(), *m)).collect(),
                })
            } else {
                Element::Step(step(next_id(), members[0]))
            }
        })
        .collect();
    Pathway {
        id: "prop".into(),
        version: 1,
        name: "prop".into(),
        description: String::new(),
        roles: Vec::new(),
        steps,
        tolerance: None,
        vocabulary: Default::default(),
    }
}

/// A random complete run of the pathway: optional steps left out or not, repeat steps done
/// 1-3 times, each group's occurrences in a random interleaving.
fn run(pathway: &Pathway, seed: u64) -> Vec<String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let occurrences = |rng: &mut fastrand::Rng, s: &Step| -> Vec<String> {
        if s.optional && rng.bool() {
            return Vec::new();
        }
        let times = if s.repeat { 1 + rng.usize(0..3) } else { 1 };
        vec![s.id.clone(); times]
    };
    let mut out = Vec::new();
    for element in &pathway.steps {
        match element {
            Element::Step(s) => out.extend(occurrences(&mut rng, s)),
            Element::AnyOrder(g) => {
                let mut block: Vec<String> = g
                    .steps
                    .iter()
                    .flat_map(|s| occurrences(&mut rng, s))
                    .collect();
                rng.shuffle(&mut block);
                out.extend(block);
            }
        }
    }
    out
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_run_of_the_pathway_costs_nothing(spec in spec(), seed in any::<u64>()) {
        let p = pathway(&spec);
        let trace = run(&p, seed);
        let c = compare_trace("run", &refs(&trace), &p);
        prop_assert_eq!(c.cost, 0, "{:?} {:?}", trace, c.moves);
        prop_assert!(c.deviations.is_empty());
        prop_assert!(c.moves.iter().all(|m| matches!(m.kind, MoveKind::Sync | MoveKind::Skip)));
    }

    #[test]
    fn removing_one_mandatory_step_costs_exactly_one(spec in spec(), seed in any::<u64>(), pick in any::<prop::sample::Index>()) {
        let p = pathway(&spec);
        let trace = run(&p, seed);
        // Mandatory steps that occur exactly once in this run.
        let once: Vec<usize> = (0..trace.len())
            .filter(|&i| {
                let s = p.step(&trace[i]).unwrap();
                !s.optional && trace.iter().filter(|t| **t == trace[i]).count() == 1
            })
            .collect();
        prop_assume!(!once.is_empty());
        let removed = once[pick.index(once.len())];
        let mut shorter = trace.clone();
        let gone = shorter.remove(removed);
        let c = compare_trace("minus-one", &refs(&shorter), &p);
        prop_assert_eq!(c.cost, 1, "{:?} without {}: {:?}", trace, gone, c.moves);
        prop_assert_eq!(c.deviations.len(), 1);
        prop_assert_eq!(&c.deviations[0].step, &gone);
    }

    #[test]
    fn permuting_an_any_order_group_costs_nothing(spec in spec(), seed in any::<u64>(), shuffle_seed in any::<u64>()) {
        let p = pathway(&spec);
        let trace = run(&p, seed);
        // Shuffle each group's stretch of the run again.
        let mut rng = fastrand::Rng::with_seed(shuffle_seed);
        let mut permuted = trace.clone();
        for element in &p.steps {
            if let Element::AnyOrder(g) = element {
                let members: Vec<&str> = g.steps.iter().map(|s| s.id.as_str()).collect();
                let idx: Vec<usize> = (0..permuted.len()).filter(|&i| members.contains(&permuted[i].as_str())).collect();
                let mut block: Vec<String> = idx.iter().map(|&i| permuted[i].clone()).collect();
                rng.shuffle(&mut block);
                for (&i, s) in idx.iter().zip(block) {
                    permuted[i] = s;
                }
            }
        }
        let c = compare_trace("permuted", &refs(&permuted), &p);
        prop_assert_eq!(c.cost, 0, "{:?}", permuted);
    }

    #[test]
    fn cost_is_bounded_consistent_and_deterministic(spec in spec(), words in prop::collection::vec(0usize..30, 0..25)) {
        let p = pathway(&spec);
        let ids: Vec<String> = p.all_steps().map(|s| s.id.clone()).collect();
        let trace: Vec<String> = words
            .iter()
            .map(|&w| if w < 24 { ids[w % ids.len()].clone() } else { format!("x{w}") })
            .collect();
        let c = compare_trace("random", &refs(&trace), &p);
        prop_assert!(c.cost <= c.worst_cost);
        let mandatory = p.all_steps().filter(|s| !s.optional).count() as u32;
        prop_assert_eq!(c.worst_cost, trace.len() as u32 + mandatory);
        let deviating = c.moves.iter().filter(|m| matches!(m.kind, MoveKind::Log | MoveKind::Model)).count();
        prop_assert_eq!(deviating as u32, c.cost);
        // The observed steps appear once each, in order.
        let observed: Vec<usize> = c.moves.iter().filter_map(|m| m.observed).collect();
        prop_assert_eq!(observed, (0..trace.len()).collect::<Vec<_>>());
        // The model side of the alignment is a run: aligning it costs nothing.
        let model_side: Vec<&str> = c.moves.iter().filter(|m| matches!(m.kind, MoveKind::Sync | MoveKind::Model)).map(|m| m.step.as_str()).collect();
        prop_assert_eq!(compare_trace("model-side", &model_side, &p).cost, 0, "{:?}", model_side);
        // The same answer every time.
        let again = compare_trace("random", &refs(&trace), &p.clone());
        prop_assert_eq!(&again, &c);
    }
}
