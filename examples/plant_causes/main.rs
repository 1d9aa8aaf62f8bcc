//! Generates audits with a planted cause each (clear cases and the three patterns the cause
//! rules used to get wrong: new starters, a forced step slowed by something else, a small
//! concentrated site), runs `shadowmap report`'s rules on them and writes the accuracy and
//! calibration tables with every scenario's result to a JSON fixture that
//! `tests/report_calibration.rs` reads (and partly recomputes). docs/findings.md shows the tables.
//!
//! cargo run --release --example plant_causes [-- --scenarios N] [--out PATH] [--tables-only]
//! cargo run --release --example plant_causes -- --show SEED   (one scenario's findings)
//!
//! `--tables-only` leaves the per-scenario results out (the fixture of the rules on main before
//! issue 18, `tests/fixtures/planted_causes_before.json`, was written so).

mod scenarios;
use std::path::PathBuf;

use scenarios::{LABELS, Summary, run, summarize};

/// Scenarios written by default: each pattern over 40 seeds.
const DEFAULT_SCENARIOS: u64 = 360;
const DEFAULT_OUT: &str = "tests/fixtures/planted_causes.json";

fn main() -> Result<(), String> {
    let mut count = DEFAULT_SCENARIOS;
    let mut out = PathBuf::from(DEFAULT_OUT);
    let mut tables_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--scenarios" => {
                count = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--scenarios takes a number")?;
            }
            "--tables-only" => tables_only = true,
            "--show" => {
                let seed = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .ok_or("--show takes a seed")?;
                show(seed);
                return Ok(());
            }
            "--out" => out = PathBuf::from(args.next().ok_or("--out takes a path")?),
            other => {
                return Err(format!(
                    "unknown argument `{other}`: use --scenarios N, --out PATH, --tables-only, --show SEED"
                ));
            }
        }
    }
    let mut summary = summarize((0..count).map(run).collect());
    print_tables(&summary);
    if tables_only {
        summary.results.clear();
    }
    let json = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
    std::fs::write(&out, json + "\n").map_err(|e| format!("{}: {e}", out.display()))?;
    println!("wrote {}", out.display());
    Ok(())
}

/// Prints what was planted in scenario `seed` and every finding the report gives.
fn show(seed: u64) {
    let (pattern, sessions, planted) = scenarios::build(seed);
    println!(
        "scenario {seed}: {} over {} sessions",
        pattern.name(),
        sessions.len()
    );
    for t in &planted {
        println!(
            "  planted: {} {} -> {} {:?}",
            t.step, t.kind, t.cause, t.names
        );
    }
    let report = scenarios::report_of(&sessions, &scenarios::pathway());
    for f in &report.findings {
        println!(
            "#{} {} {} {} [{}] {} {:.2}\n    {} of {} {}s: {}",
            f.rank,
            f.id,
            f.step,
            f.kind,
            f.rule,
            f.suggested_cause,
            f.confidence,
            f.occurrences,
            f.base,
            f.unit,
            f.because
        );
    }
}

fn print_tables(s: &Summary) {
    let pct = |t: &scenarios::Tally| format!("{:.1} %", t.share() * 100.0);
    println!(
        "{} scenarios, {} planted findings: {} of {} right ({})",
        s.scenarios,
        s.planted_findings,
        s.overall.right,
        s.overall.all,
        pct(&s.overall)
    );
    println!("\n| cause | right | planted | share |\n| --- | ---: | ---: | ---: |");
    for (cause, t) in &s.by_cause {
        println!("| {cause} | {} | {} | {} |", t.right, t.all, pct(t));
    }
    println!("\n| pattern | right | planted | share |\n| --- | ---: | ---: | ---: |");
    for (pattern, t) in &s.by_pattern {
        println!(
            "| {} | {} | {} | {} |",
            pattern.name(),
            t.right,
            t.all,
            pct(t)
        );
    }
    println!(
        "\ncells named in the reason: {} of {} ({})",
        s.named.right,
        s.named.all,
        pct(&s.named)
    );
    println!("\n| label | findings | right | share right |\n| --- | ---: | ---: | ---: |");
    for (label, t) in &s.calibration {
        println!("| {label} | {} | {} | {} |", t.all, t.right, pct(t));
    }
    println!("\nfindings on steps with nothing planted:");
    for label in LABELS {
        let n = s
            .noise
            .iter()
            .find(|(l, _)| l == label)
            .map_or(0, |(_, n)| *n);
        println!("  {label}: {n}");
    }
}
