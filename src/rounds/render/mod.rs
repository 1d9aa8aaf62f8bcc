//! The forms of `shadowmap rounds`: text, Markdown, HTML (self-contained, inline SVG), CSV
//! (a row per test) and JSON (keys in docs/rounds.md).

mod html;

use std::fmt::Write;

use crate::text::{escape_controls, escape_json_controls};

use super::{Comparison, PathwayRounds, Rounds, Test, Verdict};
/// The same forms as the report's.
pub use crate::report::Format;

pub use html::html;

/// The rounds in `format`, with the control characters of their free text (sites, step
/// labels from pathway and session files) escaped as the report's are ([`crate::text`]).
pub fn render(rounds: &Rounds, format: Format) -> String {
    let out = match format {
        Format::Text => text(rounds),
        Format::Markdown => markdown(rounds),
        Format::Html => html(rounds),
        Format::Csv => csv(rounds),
        Format::Json => json(rounds),
    };
    let escaped = if format == Format::Json {
        escape_json_controls(&out)
    } else {
        escape_controls(&out)
    };
    escaped.into_owned()
}

pub fn json(rounds: &Rounds) -> String {
    let mut s = serde_json::to_string_pretty(rounds).expect("rounds always serialize");
    s.push('\n');
    s
}

/// A figure for people: `-` when absent.
pub fn figure(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.digits$}"))
}

/// A p-value for people: `<0.001` below a thousandth.
pub fn p_text(p: Option<f64>) -> String {
    match p {
        None => "-".into(),
        Some(p) if p < 0.001 => "<0.001".into(),
        Some(p) => format!("{p:.3}"),
    }
}

/// The test's metric with its step: `enter-home-meds active_secs`, `fitness`.
pub fn test_name(test: &Test) -> String {
    match &test.step {
        Some(step) => format!("{step} {}", test.metric),
        None => format!("(pathway) {}", test.metric),
    }
}

/// Before, after and the change, in the test's unit (seconds or counts; rates in %).
pub fn test_cells(test: &Test) -> [String; 4] {
    let scale = if test.is_values() { 1.0 } else { 100.0 };
    let digits = if test.metric == "fitness" { 3 } else { 1 };
    let unit = if test.is_values() { "" } else { " %" };
    let show = |v: Option<f64>| {
        v.map_or_else(
            || "-".to_string(),
            |v| format!("{:.digits$}{unit}", v * scale),
        )
    };
    let interval = match (test.ci_low, test.ci_high) {
        (Some(l), Some(h)) => format!("[{:.digits$}, {:.digits$}]", l * scale, h * scale),
        _ => "unbounded".to_string(),
    };
    [
        format!("{} (n {})", show(test.before.value()), test.before.n()),
        format!("{} (n {})", show(test.after.value()), test.after.n()),
        show(test.estimate),
        interval,
    ]
}

/// Tests worth a line: every test of the whole pathway; in a group, the clear changes.
fn shown_tests(c: &Comparison) -> impl Iterator<Item = &Test> {
    let whole = c.group.is_empty();
    c.tests
        .iter()
        .filter(move |t| whole || t.verdict.is_clear())
}

fn verdict_counts(c: &Comparison) -> String {
    let count = |v: Verdict| c.tests.iter().filter(|t| t.verdict == v).count();
    format!(
        "{} improved, {} worse, {} no clear change, {} too few",
        count(Verdict::Improved),
        count(Verdict::Worse),
        count(Verdict::NoClearChange),
        count(Verdict::TooFew)
    )
}

fn header(rounds: &Rounds) -> String {
    format!(
        "split {}; {} round(s): {}{}",
        rounds.split,
        rounds.rounds.len(),
        rounds
            .rounds
            .iter()
            .map(|r| format!("{} ({} sessions)", r.name, r.sessions))
            .collect::<Vec<_>>()
            .join(", "),
        if rounds.redacted {
            " (redacted: identifiers masked)"
        } else {
            ""
        }
    )
}

pub fn text(rounds: &Rounds) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Audit rounds: {}", header(rounds));
    for p in &rounds.pathways {
        let _ = writeln!(o, "\n== {} ({}) ==", p.name, p.id);
        let _ = writeln!(
            o,
            "{:<24} {:>8} {:>7} {:>8}  sites / roles",
            "round", "sessions", "hours", "fitness"
        );
        for r in &p.rounds {
            let _ = writeln!(
                o,
                "{:<24} {:>8} {:>7.1} {:>8.3}  {} / {}",
                r.name,
                r.sessions,
                r.hours_observed,
                r.mean_fitness,
                r.sites.join(", "),
                r.roles.join(", ")
            );
        }
        for c in &p.comparisons {
            let _ = writeln!(
                o,
                "\n-- {} -> {} [{}]: {}",
                c.from,
                c.to,
                c.group_label(),
                verdict_counts(c)
            );
            for t in shown_tests(c) {
                let [before, after, change, interval] = test_cells(t);
                let _ = writeln!(
                    o,
                    "  {:<44} {:>16} {:>16} {:>9} {:>18} p {:>6} adj {:>6}  {}",
                    test_name(t),
                    before,
                    after,
                    change,
                    interval,
                    p_text(t.p_value),
                    p_text(t.p_adjusted),
                    t.verdict.name()
                );
            }
            for f in &c.findings {
                let _ = writeln!(
                    o,
                    "  finding {:<10} {} [{}] time cost min per round: {}",
                    f.status.name(),
                    f.title,
                    f.id,
                    costs(&f.time_cost_min)
                );
            }
        }
    }
    skipped_note(&mut o, rounds);
    o
}

fn costs(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v:.1}"))
        .collect::<Vec<_>>()
        .join(" -> ")
}

fn skipped_note(o: &mut String, rounds: &Rounds) {
    if !rounds.skipped.is_empty() {
        let _ = writeln!(o, "\n{} file(s) skipped:", rounds.skipped.len());
        for s in &rounds.skipped {
            let _ = writeln!(o, "  {}: {}", s.path.display(), s.error);
        }
    }
}

/// Markdown cell text: pipes and line breaks would break the table.
fn md(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub fn markdown(rounds: &Rounds) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# Audit rounds\n\n{}", md(&header(rounds)));
    for p in &rounds.pathways {
        markdown_pathway(&mut o, p);
    }
    skipped_note(&mut o, rounds);
    o
}

fn markdown_pathway(o: &mut String, p: &PathwayRounds) {
    let _ = writeln!(o, "\n## {} (`{}`)\n", md(&p.name), md(&p.id));
    let _ = writeln!(
        o,
        "| round | sessions | hours observed | mean fitness | sites | roles |\n|---|---:|---:|---:|---|---|"
    );
    for r in &p.rounds {
        let _ = writeln!(
            o,
            "| {} | {} | {:.1} | {:.3} | {} | {} |",
            md(&r.name),
            r.sessions,
            r.hours_observed,
            r.mean_fitness,
            md(&r.sites.join(", ")),
            md(&r.roles.join(", "))
        );
    }
    for c in &p.comparisons {
        let _ = writeln!(
            o,
            "\n### {} → {} ({})\n\n{}\n",
            md(&c.from),
            md(&c.to),
            md(&c.group_label()),
            verdict_counts(c)
        );
        let _ = writeln!(
            o,
            "| test | before | after | change | 95 % CI | p | p adj. | verdict |\n|---|---:|---:|---:|---|---:|---:|---|"
        );
        for t in shown_tests(c) {
            let [before, after, change, interval] = test_cells(t);
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | **{}** |",
                md(&test_name(t)),
                before,
                after,
                change,
                interval,
                p_text(t.p_value),
                p_text(t.p_adjusted),
                t.verdict.name()
            );
        }
        if !c.findings.is_empty() {
            let _ = writeln!(
                o,
                "\n| finding | status | time cost (min) per round |\n|---|---|---|"
            );
            for f in &c.findings {
                let _ = writeln!(
                    o,
                    "| {} `{}` | {} | {} |",
                    md(&f.title),
                    md(&f.id),
                    f.status.name(),
                    costs(&f.time_cost_min)
                );
            }
        }
    }
}

/// The CSV columns: one row per test of every comparison.
pub const CSV_COLUMNS: [&str; 19] = [
    "pathway",
    "from",
    "to",
    "group",
    "step",
    "metric",
    "before_n",
    "before_k",
    "before_value",
    "after_n",
    "after_k",
    "after_value",
    "estimate",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "verdict",
    "unit",
];

pub fn csv(rounds: &Rounds) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let k = |s: &super::Side| match s {
        super::Side::Rate { k, .. } => k.to_string(),
        super::Side::Values { .. } => String::new(),
    };
    w.write_record(CSV_COLUMNS).expect("writing to memory");
    for p in &rounds.pathways {
        for c in &p.comparisons {
            for t in &c.tests {
                let unit = if !t.is_values() {
                    "rate"
                } else if t.metric == "fitness" {
                    "fitness"
                } else if matches!(t.metric.as_str(), "sus" | "tlx") {
                    "score"
                } else if t.metric == "active_secs" {
                    "seconds"
                } else {
                    "count"
                };
                w.write_record([
                    p.id.clone(),
                    c.from.clone(),
                    c.to.clone(),
                    c.group_label(),
                    t.step.clone().unwrap_or_default(),
                    t.metric.clone(),
                    t.before.n().to_string(),
                    k(&t.before),
                    cell(t.before.value()),
                    t.after.n().to_string(),
                    k(&t.after),
                    cell(t.after.value()),
                    cell(t.estimate),
                    cell(t.ci_low),
                    cell(t.ci_high),
                    cell(t.p_value),
                    cell(t.p_adjusted),
                    t.verdict.name().to_string(),
                    unit.to_string(),
                ])
                .expect("writing to memory");
            }
        }
    }
    String::from_utf8(w.into_inner().expect("writing to memory")).expect("CSV of UTF-8 text")
}
