//! Prints a pathway (a built-in id or a pathway file) in the pathway JSON form of the pm4py
//! oracle (`../shared/oracle/README.md`): `{"steps": [{"id", "optional", "repeat"} |
//! {"group", "steps": [...]}]}`. Used by `scripts/check-xes-pm4py.sh`.
//!
//! cargo run --example pathway_oracle_json -- med-rec-admission

use serde_json::{Value, json};
use shadowmap::model::{Element, resolve_pathway};

fn step(s: &shadowmap::model::Step) -> Value {
    json!({"id": s.id, "optional": s.optional, "repeat": s.repeat})
}

fn main() -> std::process::ExitCode {
    let Some(id) = std::env::args().nth(1) else {
        eprintln!("usage: pathway_oracle_json ID|FILE");
        return std::process::ExitCode::from(2);
    };
    let pathway = match resolve_pathway(&id) {
        Ok((pathway, _)) => pathway,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let steps: Vec<Value> = pathway
        .steps
        .iter()
        .map(|element| match element {
            Element::Step(s) => step(s),
            Element::AnyOrder(g) => {
                json!({"group": g.id, "steps": g.steps.iter().map(step).collect::<Vec<_>>()})
            }
        })
        .collect();
    println!(
        "{}",
        json!({"id": pathway.id, "version": pathway.version, "steps": steps})
    );
    std::process::ExitCode::SUCCESS
}
