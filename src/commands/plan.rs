//! `shadowmap plan PATHS... --step STEP --reduction F [--power 0.8] [--alpha 0.05]`: the
//! sessions a round needs to detect a reduction of a step's median active time, from pilot
//! sessions (Noether's formula, docs/rounds.md).

use std::fmt::Write;

use color_eyre::eyre::eyre;

use shadowmap::rounds::plan::{Plan, plan_from_files};

use super::output::{Protected, write_output};
use crate::{ListFormat, PlanArgs};

pub fn run(args: PlanArgs) -> color_eyre::Result<()> {
    let read = plan_from_files(
        &args.paths,
        args.pathway.as_deref(),
        &args.step,
        args.reduction,
        args.power,
        args.alpha,
    )
    .map_err(|e| eyre!("{e}"))?;
    for after in &read.after_finish {
        super::load::warn_after_finish(after, false);
    }
    let plan = read.plan;
    for (path, error) in &read.skipped {
        super::load::print_skipped_file(path, error);
    }
    let out = match args.format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(&plan)?;
            s.push('\n');
            s
        }
        ListFormat::Text => text(&plan),
    };
    // A pathway's step label is free text from a file: its control characters are escaped.
    let out = match args.format {
        ListFormat::Json => shadowmap::text::escape_json_controls(&out),
        ListFormat::Text => shadowmap::text::escape_controls(&out),
    }
    .into_owned();
    write_output(None, &Protected::default(), &out)
}

fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

fn text(p: &Plan) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Step {} ({}): pilot of {} sessions, {} occurrences ({:.2} per session), median active time {} s.",
        p.step,
        p.label,
        p.pilot_sessions,
        p.pilot_occurrences,
        p.occurrences_per_session,
        p.pilot_median_active_secs
            .map_or_else(|| "-".into(), |m| format!("{m:.0}"))
    );
    let _ = writeln!(
        o,
        "To detect a {} reduction of its median active time (two-sided Mann-Whitney, alpha {}, power {}; P(after < before) = {:.3}):",
        pct(p.reduction),
        p.alpha,
        p.power,
        p.p_lower
    );
    match (p.sessions_per_round, p.occurrences_per_round) {
        (Some(s), Some(n)) => {
            let _ = writeln!(o, "  {s} sessions per round ({n} occurrences per round).");
        }
        _ => {
            let _ = writeln!(
                o,
                "  no number of sessions: the reduction does not change the ranks of the pilot's times."
            );
        }
    }
    let _ = match p.pilot_detects_reduction {
        Some(r) => writeln!(
            o,
            "At its own size ({} sessions a round) the pilot would detect a reduction of {}.",
            p.pilot_sessions,
            pct(r)
        ),
        None => writeln!(
            o,
            "At its own size ({} sessions a round) the pilot would detect no reduction below 99 %.",
            p.pilot_sessions
        ),
    };
    let _ = writeln!(
        o,
        "A rounds verdict adjusts the p-values of all the figures it compares together (Benjamini-Hochberg): to keep this power for the verdict when about m figures are compared, plan with --alpha {}/m.",
        p.alpha
    );
    o
}
