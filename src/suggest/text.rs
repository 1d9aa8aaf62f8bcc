//! The suggestion as text: the change list with each change's gain and evidence, the figures
//! before and after, the step times next to the observed medians, and the revised file.
//! `shadowmap suggest` prints it; the map screen shows it (`s`).

use std::fmt::Write as _;

use super::Suggestion;

fn pct(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

fn opt(value: Option<f64>) -> String {
    value.map_or("-".to_string(), |v| format!("{v:.0}"))
}

/// The change list, the figures before and after, the step times and the revised file.
pub fn render_text(s: &Suggestion) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Suggested revision of `{}`: version {} -> {}",
        s.pathway_id, s.from_version, s.pathway.version
    );
    let _ = writeln!(out, "{}", s.pathway.description);
    let _ = writeln!(
        out,
        "Mean fitness {:.3} -> {:.3}; fully fitting sessions {} ({}) -> {} ({})",
        s.before.mean_fitness,
        s.after.mean_fitness,
        s.before.fitting,
        pct(s.before.fitting_share),
        s.after.fitting,
        pct(s.after.fitting_share)
    );
    out.push('\n');
    if s.changes.is_empty() {
        let _ = writeln!(
            out,
            "No change: no edit shown by enough sessions raises the mean fitness enough."
        );
    } else {
        let _ = writeln!(out, "Changes, in the order they were found:");
        for (i, c) in s.changes.iter().enumerate() {
            let _ = writeln!(
                out,
                "{:>2}. {}\n    fitness {:+.3} ({:.3} -> {:.3}); sessions: {}{}; sites: {}; roles: {}",
                i + 1,
                c.text,
                c.gain,
                c.fitness_before,
                c.fitness_after,
                c.evidence.examples.join(", "),
                if c.evidence.sessions > c.evidence.examples.len() {
                    ", ..."
                } else {
                    ""
                },
                none_if_empty(&c.evidence.sites),
                none_if_empty(&c.evidence.roles),
            );
        }
    }
    out.push('\n');
    let width = s
        .steps
        .iter()
        .map(|t| t.step.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let _ = writeln!(
        out,
        "{:<width$}  {:>10} {:>10}  {:>10} {:>10}  {:>5}",
        "STEP", "EXP SECS", "MED SECS", "EXP CLICKS", "MED CLICKS", "SEEN"
    );
    for t in &s.steps {
        let _ = writeln!(
            out,
            "{:<width$}  {:>10} {:>10}  {:>10} {:>10}  {:>5}",
            t.step,
            t.expected_secs,
            opt(t.median_secs),
            t.expected_clicks,
            opt(t.median_clicks),
            t.observed
        );
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "The revised pathway (`shadowmap suggest ... --format ron --out FILE` writes it alone):\n"
    );
    out.push_str(&s.pathway.to_ron());
    out
}

fn none_if_empty(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_string()
    } else {
        items.join(", ")
    }
}
