//! Suggestion benchmark: `suggest` over 1,000 traces of a 40-step pathway (target: under 5 s),
//! the search's whole time (candidate edits, each distinct sequence aligned once per candidate),
//! with how many edits were kept and tried.
//!
//! `cargo bench --bench suggest`. The traces are generated here, seeded: a hidden "true"
//! pathway (a step optional in practice, two steps swapped, a group of four done in any order,
//! a repeat step, a common unplanned step) produces them, with 15 % of traces carrying one
//! noise event; the configured pathway is the plain sequence of the 40 steps.

use std::time::Instant;

use shadowmap::model::{Element, Group, Pathway, Step};
use shadowmap::suggest::{Options, Trace, suggest};

const STEPS: usize = 40;
const TRACES: usize = 1_000;

fn step(id: &str) -> Step {
    Step {
        id: id.to_string(),
        label: id.to_string(),
        expected_secs: 30,
        expected_clicks: 3,
        expected_screens: None,
        optional: false,
        repeat: false,
        policy: None,
    }
}

fn pathway(elements: Vec<Element>) -> Pathway {
    Pathway {
        id: "bench".to_string(),
        version: 1,
        name: "bench".to_string(),
        description: String::new(),
        roles: Vec::new(),
        steps: elements,
        tolerance: None,
        vocabulary: Default::default(),
    }
}

fn ids() -> Vec<String> {
    (1..=STEPS).map(|i| format!("s{i:02}")).collect()
}

/// One run of the true pathway, and now and then a noise event.
fn trace(rng: &mut fastrand::Rng, n: usize) -> Trace {
    let ids = ids();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < STEPS {
        match i {
            // optional in practice
            5 if rng.f64() < 0.4 => {}
            // swapped pair
            10 => {
                out.push(ids[11].clone());
                out.push(ids[10].clone());
                i += 1;
            }
            // any-order group of four
            20 => {
                let mut group: Vec<String> = ids[20..24].to_vec();
                rng.shuffle(&mut group);
                out.extend(group);
                i += 3;
            }
            // a redone step
            30 => {
                out.push(ids[30].clone());
                while rng.f64() < 0.3 {
                    out.push(ids[30].clone());
                }
            }
            _ => out.push(ids[i].clone()),
        }
        if i == 34 && rng.f64() < 0.7 {
            out.push("u-call".to_string());
        }
        i += 1;
    }
    if rng.f64() < 0.15 {
        let at = rng.usize(..out.len());
        match rng.u8(..3) {
            0 => out.insert(at, format!("x{:02}", rng.u8(1..6))),
            1 if at + 1 < out.len() => out.swap(at, at + 1),
            _ => {
                out.remove(at);
            }
        }
    }
    let steps: Vec<&str> = out.iter().map(String::as_str).collect();
    Trace::bare(&format!("case-{n:04}"), &steps)
}

fn main() {
    let configured = pathway(ids().iter().map(|id| Element::Step(step(id))).collect());
    let mut rng = fastrand::Rng::with_seed(42);
    let traces: Vec<Trace> = (0..TRACES).map(|n| trace(&mut rng, n)).collect();
    let distinct: std::collections::HashSet<Vec<&str>> = traces
        .iter()
        .map(|t| t.steps.iter().map(|s| s.step.as_str()).collect())
        .collect();
    // The true pathway, for reference.
    let mut truth = configured.clone();
    if let Element::Step(s) = &mut truth.steps[5] {
        s.optional = true;
    }
    if let Element::Step(s) = &mut truth.steps[30] {
        s.repeat = true;
    }
    truth.steps.swap(10, 11);
    let members: Vec<Step> = truth
        .steps
        .drain(20..24)
        .map(|e| match e {
            Element::Step(s) => s,
            Element::AnyOrder(_) => unreachable!("plain steps"),
        })
        .collect();
    truth.steps.insert(
        20,
        Element::AnyOrder(Group {
            id: "g".to_string(),
            label: "g".to_string(),
            steps: members,
        }),
    );
    let mut u = step("u-call");
    u.optional = true;
    truth.steps.insert(32, Element::Step(u));
    let truth_fitness = shadowmap::suggest::Variants::new(&traces)
        .quality(&truth)
        .unwrap()
        .mean_fitness;

    println!(
        "suggest: {TRACES} traces ({} distinct), {STEPS}-step pathway, {} threads available",
        distinct.len(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let s = suggest(&configured, &traces, &Options::default()).unwrap();
        times.push(t.elapsed().as_secs_f64());
        last = Some(s);
    }
    let s = last.unwrap();
    times.sort_by(f64::total_cmp);
    println!(
        "  time: median {:.3} s, best {:.3} s, worst {:.3} s (target: under 5 s)",
        times[1], times[0], times[2]
    );
    println!(
        "  mean fitness {:.4} -> {:.4} (true pathway {:.4}); fully fitting {:.1} % -> {:.1} %; {} edits kept:",
        s.before.mean_fitness,
        s.after.mean_fitness,
        truth_fitness,
        s.before.fitting_share * 100.0,
        s.after.fitting_share * 100.0,
        s.changes.len()
    );
    for c in &s.changes {
        println!("    {:+.4}  {}", c.gain, c.text);
    }
}
