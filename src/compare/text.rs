//! The comparator's text for people (`shadowmap compare --format text`, and the browser's
//! compare panel): per trace the fitness line, a table of the alignment with expected against
//! observed time and clicks, each deviation explained, and the session figures.

use std::fmt::Write as _;

use super::{Comparison, MoveKind, SessionFigures, StepFriction};
use crate::model::Pathway;
use crate::model::session_time;

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
    let frictions: std::collections::HashMap<usize, &StepFriction> =
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
            .map(session_time::format)
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

/// The title line of a comparison text.
pub fn header(pathway: &Pathway) -> String {
    format!(
        "Against `{}` version {} ({})\n\n",
        pathway.id, pathway.version, pathway.name
    )
}

/// The text of one comparison, with its blank line after.
pub fn render_one(pathway: &Pathway, c: &Comparison) -> String {
    let mut out = String::new();
    render_comparison(&mut out, pathway, c);
    out.push('\n');
    out
}

/// The text of one or more comparisons against `pathway` (a summary line when more than one),
/// as `compare` writes it trace by trace.
pub fn render_text(pathway: &Pathway, comparisons: &[Comparison]) -> String {
    use super::output::{Document, Format, render};
    let mut document = Document::new(Format::Text, pathway, Vec::new());
    for c in comparisons {
        document
            .push(&render(Format::Text, pathway, c))
            .expect("writing to memory cannot fail");
    }
    // Counted as the engine counts them: steps outside the pathway alike.
    let distinct: std::collections::HashSet<Vec<Option<&str>>> = comparisons
        .iter()
        .map(|c| {
            c.observed
                .iter()
                .map(|o| pathway.step(&o.step).map(|s| s.id.as_str()))
                .collect()
        })
        .collect();
    let bytes = document
        .finish(distinct.len())
        .expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the text is UTF-8")
}
