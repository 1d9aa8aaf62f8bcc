//! The HTML form: one self-contained file (inline CSS and SVG, nothing fetched). Per pathway
//! the rounds side by side: each step's median active time per round with its interval, the
//! findings' time cost per round as small multiples, and mean fitness per round per site.

use std::collections::BTreeMap;

use maud::{DOCTYPE, Markup, PreEscaped, html as markup};

use super::{p_text, shown_tests, test_cells, test_name, verdict_counts};
use crate::rounds::{FindingChange, PathwayRounds, Rounds};

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1d2733;background:#fff;padding:0 16px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 8px;border-bottom:2px solid #dde3ea;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}.muted{color:#5d6b7a}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 14px}
th,td{border-bottom:1px solid #e4e8ee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f6f9;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.improved{color:#15803d;font-weight:600}.worse{color:#b91c1c;font-weight:600}.too_few{color:#8a94a0}
.multiples{display:flex;flex-wrap:wrap;gap:10px}.multiple{border:1px solid #e4e8ee;border-radius:6px;padding:6px;width:200px}
.multiple p{font-size:12px;margin:0 0 4px}.legend span{display:inline-block;margin-right:12px;font-size:12px}
svg text{font-family:inherit;font-size:11px;fill:#1d2733}
";

/// One color per round, in order (cycled).
const ROUND_COLORS: [&str; 6] = [
    "#64748b", "#2563eb", "#d97706", "#15803d", "#7c3aed", "#dc2626",
];

fn round_color(i: usize) -> &'static str {
    ROUND_COLORS[i % ROUND_COLORS.len()]
}

pub fn html(rounds: &Rounds) -> String {
    markup! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "shadowmap audit rounds" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Audit rounds" }
                p.muted {
                    "Split " (rounds.split) "; " (rounds.generated_by) ". Rounds: "
                    @for (i, r) in rounds.rounds.iter().enumerate() {
                        @if i > 0 { ", " }
                        b style={ "color:" (round_color(i)) } { (r.name) }
                        " (" (r.sessions) " sessions)"
                    }
                    @if rounds.redacted { ". Redacted: identifiers masked." }
                }
                @for p in &rounds.pathways { (pathway(p)) }
                @if !rounds.skipped.is_empty() {
                    h2 { "Skipped files" }
                    ul { @for s in &rounds.skipped { li { code { (s.path.display()) } ": " (s.error) } } }
                }
            }
        }
    }
    .into_string()
}

fn pathway(p: &PathwayRounds) -> Markup {
    let names: Vec<&str> = p.rounds.iter().map(|r| r.name.as_str()).collect();
    markup! {
        h2 id=(p.id) { (p.name) " " code { (p.id) } }
        table {
            tr { th { "round" } th { "sessions" } th { "hours observed" } th { "mean fitness" } th { "sites" } th { "roles" } }
            @for (i, r) in p.rounds.iter().enumerate() {
                tr {
                    td { b style={ "color:" (round_color(i)) } { (r.name) } }
                    td.n { (r.sessions) } td.n { (format!("{:.1}", r.hours_observed)) }
                    td.n { (format!("{:.3}", r.mean_fitness)) }
                    td { (r.sites.join(", ")) } td { (r.roles.join(", ")) }
                }
            }
        }
        h3 { "Median active time per step and round (95 % interval)" }
        (legend(&names))
        (step_chart(p))
        @if p.rounds.len() > 1 {
            h3 { "Mean fitness per round and site" }
            (fitness_chart(p))
        }
        (findings_multiples(p))
        @for c in &p.comparisons {
            h3 { (c.from) " → " (c.to) " " span.muted { "(" (c.group_label()) ")" } }
            p.muted { (verdict_counts(c)) }
            @let tests: Vec<_> = shown_tests(c).collect();
            @if !tests.is_empty() {
                table {
                    tr { th { "test" } th { "before" } th { "after" } th { "change" } th { "95 % CI" } th { "p" } th { "p adj." } th { "verdict" } }
                    @for t in tests {
                        @let [before, after, change, interval] = test_cells(t);
                        tr {
                            td { (test_name(t)) }
                            td.n { (before) } td.n { (after) } td.n { (change) } td.n { (interval) }
                            td.n { (p_text(t.p_value)) } td.n { (p_text(t.p_adjusted)) }
                            td class=(t.verdict.name()) { (t.verdict.name()) }
                        }
                    }
                }
            }
            @if !c.findings.is_empty() {
                table {
                    tr { th { "finding" } th { "status" } @for n in &names { th { (n) " (min)" } } }
                    @for f in &c.findings {
                        tr {
                            td { (f.title) " " code { (f.id) } }
                            td { (f.status.name()) }
                            @for v in &f.time_cost_min { td.n { (format!("{v:.1}")) } }
                        }
                    }
                }
            }
        }
    }
}

fn legend(names: &[&str]) -> Markup {
    markup! {
        p.legend {
            @for (i, n) in names.iter().enumerate() {
                span { svg width="10" height="10" { rect width="10" height="10" fill=(round_color(i)) {} } " " (n) }
            }
        }
    }
}

/// A row per step: each round's median as a dot, its interval as a line, on one seconds axis.
fn step_chart(p: &PathwayRounds) -> Markup {
    let steps: Vec<usize> = (0..p.rounds.first().map_or(0, |r| r.steps.len()))
        .filter(|&s| p.rounds.iter().any(|r| r.steps[s].n > 0))
        .collect();
    let max = p
        .rounds
        .iter()
        .flat_map(|r| r.steps.iter())
        .flat_map(|s| [s.median_active_secs, s.median_ci_high])
        .flatten()
        .fold(1.0_f64, f64::max);
    let (left, width, row) = (230.0, 600.0, 14.0 * p.rounds.len().max(1) as f64 + 8.0);
    let height = row * steps.len() as f64 + 30.0;
    let x = |v: f64| left + v / max * width;
    markup! {
        svg width=(left + width + 20.0) height=(height) role="img" aria-label="median active time per step and round" {
            @for (row_index, &s) in steps.iter().enumerate() {
                @let top = row_index as f64 * row + 4.0;
                text x="4" y=(top + row / 2.0) { (truncate(&p.rounds[0].steps[s].label, 34)) }
                @for (i, r) in p.rounds.iter().enumerate() {
                    @let step = &r.steps[s];
                    @let y = top + 7.0 + i as f64 * 14.0;
                    @if let (Some(low), Some(high)) = (step.median_ci_low, step.median_ci_high) {
                        line x1=(x(low)) x2=(x(high)) y1=(y) y2=(y) stroke=(round_color(i)) stroke-width="2" {}
                    }
                    @if let Some(m) = step.median_active_secs {
                        circle cx=(x(m)) cy=(y) r="4" fill=(round_color(i)) {
                            title { (r.name) ": median " (format!("{m:.0}")) " s, n " (step.n) }
                        }
                    }
                }
            }
            @let axis = height - 22.0;
            line x1=(left) x2=(left + width) y1=(axis) y2=(axis) stroke="#8a94a0" {}
            @for k in 0..=4 {
                @let v = max * f64::from(k) / 4.0;
                text x=(x(v) - 10.0) y=(axis + 14.0) { (format!("{v:.0} s")) }
            }
        }
    }
}

/// Mean fitness per round, a line per site (0 to 1).
fn fitness_chart(p: &PathwayRounds) -> Markup {
    let mut sites: BTreeMap<&str, Vec<Option<f64>>> = BTreeMap::new();
    for (i, r) in p.rounds.iter().enumerate() {
        for s in &r.by_site {
            sites
                .entry(&s.site)
                .or_insert_with(|| vec![None; p.rounds.len()])[i] = Some(s.mean_fitness);
        }
    }
    let (left, top, width, height) = (40.0, 10.0, 420.0, 160.0);
    let step = width / (p.rounds.len().max(2) - 1) as f64;
    let x = |i: usize| left + i as f64 * step;
    let y = |v: f64| top + (1.0 - v) * height;
    markup! {
        svg width=(left + width + 160.0) height=(height + 40.0) role="img" aria-label="mean fitness per round and site" {
            @for k in 0..=4 {
                @let v = f64::from(k) / 4.0;
                line x1=(left) x2=(left + width) y1=(y(v)) y2=(y(v)) stroke="#e4e8ee" {}
                text x="4" y=(y(v) + 4.0) { (format!("{v:.2}")) }
            }
            @for (i, r) in p.rounds.iter().enumerate() {
                text x=(x(i) - 10.0) y=(top + height + 18.0) { (truncate(&r.name, 18)) }
            }
            @for (n, (site, values)) in sites.iter().enumerate() {
                @let color = ROUND_COLORS[(n + 1) % ROUND_COLORS.len()];
                @let points: Vec<String> = values.iter().enumerate()
                    .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v)))).collect();
                polyline points=(points.join(" ")) fill="none" stroke=(color) stroke-width="2" {}
                @for (i, v) in values.iter().enumerate() {
                    @if let Some(v) = v {
                        circle cx=(x(i)) cy=(y(*v)) r="3" fill=(color) { title { (site) ": " (format!("{v:.3}")) } }
                    }
                }
                rect x=(left + width + 10.0) y=(top + 14.0 * n as f64 + 1.0) width="10" height="10" fill=(color) {}
                text x=(left + width + 24.0) y=(top + 14.0 * n as f64 + 10.0) { (site) }
            }
        }
    }
}

/// Every finding of the whole pathway, its time cost per round as a small bar chart.
fn findings_multiples(p: &PathwayRounds) -> Markup {
    let mut findings: BTreeMap<&str, &FindingChange> = BTreeMap::new();
    for c in p.comparisons.iter().filter(|c| c.group.is_empty()) {
        for f in &c.findings {
            findings.entry(&f.id).or_insert(f);
        }
    }
    let mut findings: Vec<&FindingChange> = findings.into_values().collect();
    findings.sort_by(|a, b| {
        let peak = |f: &FindingChange| f.time_cost_min.iter().copied().fold(0.0, f64::max);
        peak(b).total_cmp(&peak(a)).then(a.id.cmp(&b.id))
    });
    let max = findings
        .iter()
        .flat_map(|f| f.time_cost_min.iter().copied())
        .fold(0.1_f64, f64::max);
    let bar = 150.0 / p.rounds.len().max(1) as f64;
    markup! {
        @if !findings.is_empty() {
            h3 { "Findings: time cost per round (minutes, same scale)" }
            div.multiples {
                @for f in findings {
                    div.multiple {
                        p { (truncate(&f.title, 60)) }
                        svg width="190" height="80" role="img" aria-label=(f.title) {
                            @for (i, v) in f.time_cost_min.iter().enumerate() {
                                @let h = v / max * 60.0;
                                rect x=(10.0 + i as f64 * bar) y=(64.0 - h) width=(bar - 6.0) height=(h) fill=(round_color(i)) {
                                    title { (p.rounds[i].name) ": " (format!("{v:.1}")) " min" }
                                }
                                text x=(10.0 + i as f64 * bar) y="77" { (format!("{v:.0}")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
