//! Prints a pathway (a built-in id or a pathway file) in the pathway JSON form of the pm4py
//! oracle, as `shadowmap pathways show ID|FILE --format json` does. Used by
//! `scripts/check-xes-pm4py.sh`.
//!
//! cargo run --example pathway_oracle_json -- med-rec-admission

use shadowmap::compare::pathway_to_json;
use shadowmap::model::resolve_pathway;

fn main() -> std::process::ExitCode {
    let Some(id) = std::env::args().nth(1) else {
        eprintln!("usage: pathway_oracle_json ID|FILE");
        return std::process::ExitCode::from(2);
    };
    match resolve_pathway(&id) {
        Ok((pathway, _)) => {
            println!("{}", pathway_to_json(&pathway));
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
