//! Prints the slice labels `time_slice_kappa` is computed on, as JSON, for checking the
//! kappa against scikit-learn (`scripts/regen-kappa-fixture.sh`).
//!
//!     cargo run --example agree_slice_labels -- A.ron B.ron [SHIFT_B_SECS]
//!
//! Output: {"slices": [k...], "a": [label...], "b": [label...]}, paused slices left out.

use std::path::Path;
use std::process::ExitCode;

use shadowmap::agree::{self, Options};
use shadowmap::model::Session;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 || args.len() > 3 {
        eprintln!("usage: agree_slice_labels A.ron B.ron [SHIFT_B_SECS]");
        return ExitCode::FAILURE;
    }
    let load = |p: &str| Session::load(Path::new(p));
    let (a, b) = match (load(&args[0]), load(&args[1])) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let shift_b_secs = match args.get(2).map(|s| s.parse::<f64>()) {
        None => 0.0,
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            eprintln!("error: SHIFT_B_SECS: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = Options {
        shift_b_secs,
        ..Options::default()
    };
    match agree::slice_labels(&a, &b, &options) {
        Ok(labels) => {
            println!(
                "{}",
                serde_json::to_string(&labels).expect("labels serialize")
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
