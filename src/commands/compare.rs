//! `shadowmap compare INPUT --pathway ID|FILE [--format text|json]`: a session (id or file) or
//! an XES log against a pathway, by optimal alignment, with every deviation explained.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use shadowmap::compare::explain::clock;
use shadowmap::compare::output::comparisons_json;
use shadowmap::compare::{
    self, Comparison, Model, MoveKind, SessionFigures, compare_session, compare_with_model, xes,
};
use shadowmap::model::{Pathway, Session, derive_timeline};
use shadowmap::store::DataDir;

use crate::commands::pathways::user_error;
use crate::{CompareArgs, ListFormat};

pub fn run(data_dir: Option<PathBuf>, args: CompareArgs) -> Result<()> {
    let lower = args.input.to_ascii_lowercase();
    let (pathway, comparisons) = if lower.ends_with(".xes") || lower.ends_with(".xes.gz") {
        compare_log(&args)?
    } else {
        compare_one_session(data_dir, &args)?
    };
    let text = match args.format {
        ListFormat::Json => {
            serde_json::to_string_pretty(&comparisons_json(&pathway, &comparisons))? + "\n"
        }
        ListFormat::Text => render_text(&pathway, &comparisons),
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // `shadowmap compare ... | head` is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A built-in id, a pathway file (RON), or the oracle's pathway JSON, checked for alignment.
fn load_pathway(arg: &str) -> Result<Pathway> {
    let pathway = compare::load_pathway(arg).map_err(user_error)?;
    compare::check_pathway(&pathway).map_err(|e| eyre!("pathway `{}`: {e}", pathway.id))?;
    Ok(pathway)
}

fn compare_log(args: &CompareArgs) -> Result<(Pathway, Vec<Comparison>)> {
    let Some(arg) = args.pathway.as_deref() else {
        return Err(eyre!(
            "{}: an XES log names no pathway; give one with --pathway ID|FILE (`shadowmap pathways list` shows the built-in ones)",
            args.input
        ));
    };
    let pathway = load_pathway(arg)?;
    let model = Model::compile(&pathway)?;
    let mut comparisons = Vec::new();
    for trace in xes::open(Path::new(&args.input)).map_err(user_error)? {
        let trace = trace.map_err(user_error)?;
        comparisons.push(compare_with_model(
            &trace.case_id,
            &trace.observed(),
            &pathway,
            &model,
        ));
    }
    if comparisons.is_empty() {
        return Err(eyre!(
            "{}: the log has no traces: nothing to compare",
            args.input
        ));
    }
    Ok((pathway, comparisons))
}

/// A session file (.ron) or journal anywhere, or a session id in the data folder. Never
/// changes the file; a damaged journal tail is told on stderr.
fn load_session(data_dir: Option<PathBuf>, input: &str) -> Result<Session> {
    let path = Path::new(input);
    if path.is_dir() {
        return Err(eyre!(
            "{input} is a folder: compare takes one session (id or file) or one XES log\n  hint: `shadowmap report {input}` compares every session of a folder and ranks the findings"
        ));
    }
    let loaded = if path.is_file() {
        DataDir::load_path(path)
    } else {
        DataDir::resolve(data_dir)
            .map_err(|e| eyre!("{e}"))?
            .load(input)
    }
    .map_err(|e| eyre!("{e}"))?;
    if let Some(report) = loaded.recovery.as_ref().filter(|r| !r.is_clean()) {
        eprintln!("note: {report}");
    }
    Ok(loaded.session)
}

fn compare_one_session(
    data_dir: Option<PathBuf>,
    args: &CompareArgs,
) -> Result<(Pathway, Vec<Comparison>)> {
    let session = load_session(data_dir, &args.input)?;
    let pathway = match &args.pathway {
        Some(arg) => load_pathway(arg)?,
        // A session captured against a pathway file names an id that is not built in.
        None => load_pathway(&session.header.pathway_id).wrap_err_with(|| {
            format!(
                "session `{}` was captured against pathway `{}`, which is not built in: give its file with --pathway FILE",
                session.header.id, session.header.pathway_id
            )
        })?,
    };
    if pathway.id == session.header.pathway_id && pathway.version != session.header.pathway_version
    {
        eprintln!(
            "note: session `{}` was captured against `{}` version {}; comparing with version {}",
            session.header.id, pathway.id, session.header.pathway_version, pathway.version
        );
    }
    if derive_timeline(&session.events).steps.is_empty() {
        return Err(eyre!(
            "session `{}` has no steps (no step was started, or every start was undone): nothing to compare",
            session.header.id
        ));
    }
    Ok((pathway.clone(), vec![compare_session(&session, &pathway)]))
}

fn pct(x: f64) -> String {
    format!("{:.0} %", x * 100.0)
}

fn render_figures(out: &mut String, f: &SessionFigures) {
    if !f.timed {
        return;
    }
    let _ = writeln!(out, "  Figures");
    let _ = writeln!(
        out,
        "    observed time            {:.1} min (pauses excluded)",
        f.observed_minutes
    );
    let _ = writeln!(
        out,
        "    active time, all steps   {:.1} min",
        f.active_minutes
    );
    let _ = writeln!(
        out,
        "    synced steps             {:.1} min active against {:.1} min expected{}",
        f.synced_active_minutes,
        f.expected_minutes,
        f.time_ratio
            .map(|r| format!(" (ratio {r:.2})"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "    clicks, synced steps     {} against {} expected (excess {:+})",
        f.clicks, f.expected_clicks, f.click_excess
    );
    let _ = writeln!(out, "    re-entries               {}", f.reentries);
    let kinds = |pairs: Vec<(&str, usize)>| {
        if pairs.is_empty() {
            "none".to_string()
        } else {
            pairs
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let _ = writeln!(
        out,
        "    workarounds              {}",
        kinds(f.workarounds.iter().map(|(k, n)| (k.name(), *n)).collect())
    );
    let _ = writeln!(
        out,
        "    interruptions            {}{}{}",
        f.interruptions,
        f.interruptions_per_hour
            .map(|r| format!(", {r:.1} per hour"))
            .unwrap_or_default(),
        f.interrupted_share
            .map(|s| format!(", {} of the time", pct(s)))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "    system problems          {}",
        kinds(f.problems.iter().map(|(k, n)| (k.name(), *n)).collect())
    );
}

fn render_comparison(out: &mut String, pathway: &Pathway, c: &Comparison) {
    let _ = writeln!(
        out,
        "{}: fitness {:.3} (cost {} of at most {}), {} observed step{}",
        c.case_id,
        c.fitness,
        c.cost,
        c.worst_cost,
        c.n_steps,
        if c.n_steps == 1 { "" } else { "s" }
    );
    let frictions: std::collections::HashMap<usize, &compare::StepFriction> =
        c.frictions.iter().map(|f| (f.observed, f)).collect();
    let _ = writeln!(
        out,
        "  {:<6} {:<24} {:>14} {:>14} {:>8}  notes",
        "move", "step", "expected", "observed", "at"
    );
    for m in &c.moves {
        let expected = pathway.step(&m.step).map(|s| {
            if s.expected_secs > 0 || s.expected_clicks > 0 {
                format!(
                    "{}:{:02} {:>3}c",
                    s.expected_secs / 60,
                    s.expected_secs % 60,
                    s.expected_clicks
                )
            } else {
                "-".to_string()
            }
        });
        let friction = m.observed.and_then(|j| frictions.get(&j));
        let observed = match (m.kind, friction) {
            (MoveKind::Model, _) => "not done".to_string(),
            (MoveKind::Skip, _) => "left out".to_string(),
            (_, Some(f)) => {
                let s = f.active_secs.round() as u64;
                format!("{}:{:02} {:>3}c", s / 60, s % 60, f.clicks)
            }
            _ => "done".to_string(),
        };
        let at = m
            .observed
            .and_then(|j| c.observed.get(j).and_then(|o| o.at_ms))
            .map(clock)
            .unwrap_or_default();
        let mut notes = Vec::new();
        if let Some(f) = friction {
            if f.over_time {
                notes.push("over time".to_string());
            }
            if f.over_clicks {
                notes.push("over clicks".to_string());
            }
            for (n, one, many) in [
                (f.screens as usize, "screen", "screens"),
                (f.reentries as usize, "re-entry", "re-entries"),
                (f.interruptions, "interruption", "interruptions"),
                (f.workarounds, "workaround", "workarounds"),
                (f.problems, "problem", "problems"),
            ] {
                if n > 0 {
                    notes.push(format!("{n} {}", if n == 1 { one } else { many }));
                }
            }
        }
        let kind = match m.kind {
            MoveKind::Sync => "ok",
            MoveKind::Log if pathway.step(&m.step).is_none() => "extra",
            MoveKind::Log => "moved",
            MoveKind::Model => "miss",
            MoveKind::Skip => "skip",
        };
        let mut step = m.step.clone();
        if step.chars().count() > 24 {
            step = step.chars().take(23).collect::<String>() + "~";
        }
        let _ = writeln!(
            out,
            "  {:<6} {:<24} {:>14} {:>14} {:>8}  {}",
            kind,
            step,
            expected.unwrap_or_else(|| "(not planned)".to_string()),
            observed,
            at,
            notes.join(", ")
        );
    }
    if c.deviations.is_empty() {
        let _ = writeln!(
            out,
            "  No deviations: the observed steps are a run of the pathway."
        );
    } else {
        let _ = writeln!(out, "  Deviations");
        for d in &c.deviations {
            let _ = writeln!(out, "    {:<13} {}", d.kind.name(), d.text);
        }
    }
    if !c.skipped_optional.is_empty() {
        let _ = writeln!(
            out,
            "  Optional steps left out (information): {}",
            c.skipped_optional.join(", ")
        );
    }
    render_figures(out, &c.figures);
}

fn render_text(pathway: &Pathway, comparisons: &[Comparison]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Against `{}` version {} ({})\n",
        pathway.id, pathway.version, pathway.name
    );
    for c in comparisons {
        render_comparison(&mut out, pathway, c);
        out.push('\n');
    }
    if comparisons.len() > 1 {
        let n = comparisons.len() as f64;
        let mean_fitness = comparisons.iter().map(|c| c.fitness).sum::<f64>() / n;
        let mean_cost = comparisons.iter().map(|c| f64::from(c.cost)).sum::<f64>() / n;
        let fitting = comparisons.iter().filter(|c| c.cost == 0).count();
        let _ = writeln!(
            out,
            "{} traces: mean fitness {:.3}, mean cost {:.2}, {} fit the pathway exactly",
            comparisons.len(),
            mean_fitness,
            mean_cost,
            fitting
        );
    }
    out
}
