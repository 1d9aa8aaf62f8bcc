//! The HTML report: one self-contained file with inline CSS and inline SVG charts (per-step
//! time against expected, deviation rates, causes). No script, font, image or link that
//! reaches the network: it opens offline.

use std::fmt::Write;

use super::{STEP_COLUMNS, cells, nonzero_counts, pct, secs, step_values};
use crate::model::Cause;
use crate::report::aggregate::{GroupReport, PathwayReport, Report};

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#1d2733;background:#fff;padding:0 16px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:28px 0 8px;border-bottom:2px solid #dde3ea;padding-bottom:4px}
h3{font-size:16px;margin:20px 0 6px}.muted{color:#5d6b7a}
table{border-collapse:collapse;width:100%;font-size:13px;margin:6px 0 14px}
th,td{border-bottom:1px solid #e4e8ee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f6f9;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.cause{display:inline-block;padding:1px 7px;border-radius:9px;color:#fff;font-size:12px}
.ov{outline:2px solid #1d2733;outline-offset:1px}
.charts{display:flex;flex-wrap:wrap;gap:14px}.chart{border:1px solid #e4e8ee;border-radius:6px;padding:8px}
.chart p{font-size:12px;margin:2px 0}.chart h3{margin:0 0 4px}details{margin:4px 0 10px}code{font-size:12px;white-space:nowrap}
svg text{font-family:inherit;font-size:11px;fill:#1d2733}
";

/// Escapes, then shows `step` names as code.
fn title(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

pub fn cause_color(cause: Cause) -> &'static str {
    match cause {
        Cause::Training => "#d97706",
        Cause::Design => "#7c3aed",
        Cause::Integration => "#0891b2",
        Cause::Infrastructure => "#dc2626",
        Cause::Policy => "#4b5563",
    }
}

const DEV_COLORS: [(&str, &str); 6] = [
    ("over_time", "#f59e0b"),
    ("over_clicks", "#84cc16"),
    ("missing", "#ef4444"),
    ("out_of_order", "#8b5cf6"),
    ("repeated", "#06b6d4"),
    ("unplanned", "#64748b"),
];

pub fn html(report: &Report) -> String {
    html_with_maps(report, &[])
}

/// The report with each pathway's shadow map above its step table, and each finding linked to
/// its step on the map (`maps`: from `crate::map`, one per pathway; none drawn when empty).
pub fn html_with_maps(report: &Report, maps: &[crate::map::ShadowMap]) -> String {
    let map_of = |pathway: &str| maps.iter().position(|m| m.pathway == pathway);
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    o.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    o.push_str("<title>shadowmap report</title>\n<style>");
    o.push_str(STYLE);
    if !maps.is_empty() {
        o.push_str(crate::map::draw::svg::MAP_CSS);
    }
    o.push_str("</style></head><body>\n");
    let _ = writeln!(o, "<h1>shadowmap report</h1>");
    let _ = writeln!(
        o,
        "<p class=\"muted\">{} sessions, {} pathway(s){}. {}{}</p>",
        report.sessions,
        report.pathways.len(),
        if report.by.is_empty() {
            String::new()
        } else {
            format!(", grouped by {}", esc(&report.by.join(", ")))
        },
        esc(&report.generated_by),
        if report.redacted {
            ". Redacted: note text removed, identifiers masked."
        } else {
            ""
        }
    );
    for s in &report.skipped {
        let _ = writeln!(
            o,
            "<p class=\"muted\">Skipped <code>{}</code>: {}</p>",
            esc(&s.path.display().to_string()),
            esc(&s.error)
        );
    }

    let _ = writeln!(o, "<h2>Findings</h2>");
    let _ = writeln!(o, "<div class=\"charts\">");
    causes_chart(&mut o, report);
    let _ = writeln!(o, "</div>");
    if report.findings.is_empty() {
        let _ = writeln!(o, "<p>None: every step is within its tolerance.</p>");
    } else {
        let _ = writeln!(
            o,
            "<table><tr><th>#</th><th>finding</th><th>time cost</th><th>occurrences</th><th>cause</th><th>rule</th><th>confidence</th><th>id</th></tr>"
        );
        for f in &report.findings {
            let badge = format!(
                "<span class=\"cause{}\" style=\"background:{}\">{}</span>",
                if f.overridden.is_some() { " ov" } else { "" },
                cause_color(f.cause),
                f.cause
            );
            let cause = match &f.overridden {
                Some(o) => format!(
                    "{badge} overridden by {} ({}): {}; suggested {}",
                    esc(&o.who),
                    o.when.format("%Y-%m-%d"),
                    esc(&o.why),
                    f.suggested_cause
                ),
                None => badge,
            };
            let e = &f.evidence;
            let notes: String = e
                .notes
                .iter()
                .map(|n| format!("<br>note: &ldquo;{}&rdquo;", esc(n)))
                .collect();
            let _ = writeln!(
                o,
                "<tr><td class=\"n\">{}</td><td>{}<br><span class=\"muted\">{}</span><details><summary>evidence</summary>{}<br>{} sessions: {}{}<br>sites: {}<br>roles: {}<br>clinicians: {}<br>median {} (p90 {}) against {} expected{}</details></td><td class=\"n\">{:.1}&nbsp;min<br><span class=\"muted\">{:.2} &times; {}</span></td><td class=\"n\">{} of {} {}s ({})</td><td>{}</td><td><code>{}</code></td><td>{} {:.2}</td><td><code>{}</code></td></tr>",
                f.rank,
                crate::map::draw::svg::link_to_step(
                    map_of(&f.pathway).map(|i| &maps[i]),
                    &f.step,
                    &title(&f.title)
                ),
                esc(&f.step_label),
                esc(&f.because),
                e.sessions,
                esc(&e.session_ids.join(", ")),
                if (e.session_ids.len() as u32) < e.sessions {
                    ", &hellip;"
                } else {
                    ""
                },
                esc(&cells(&e.sites)),
                esc(&cells(&e.roles)),
                esc(&cells(&e.clinicians)),
                secs(e.median_active_secs),
                secs(e.p90_active_secs),
                secs(e.expected_secs.map(f64::from)),
                notes,
                f.time_cost_min,
                f.excess_min_per_occurrence,
                f.occurrences,
                f.occurrences,
                f.base,
                f.unit,
                pct(f.rate),
                cause,
                f.rule,
                f.confidence_label,
                f.confidence,
                f.id
            );
        }
        let _ = writeln!(o, "</table>");
    }
    for p in &report.pathways {
        pathway(&mut o, report, p, map_of(&p.id).map(|i| (i, &maps[i])));
    }
    o.push_str("</body></html>\n");
    o
}

fn pathway(
    o: &mut String,
    report: &Report,
    p: &PathwayReport,
    map: Option<(usize, &crate::map::ShadowMap)>,
) {
    let _ = writeln!(
        o,
        "<h2>Pathway <code>{}</code>: {}</h2>",
        esc(&p.id),
        esc(&p.name)
    );
    let _ = writeln!(
        o,
        "<p class=\"muted\">{} sessions; version(s) {}; sites {}; roles {}; {} clinicians.</p>",
        p.sessions,
        super::versions(p),
        esc(&p.sites.join(", ")),
        esc(&p.roles.join(", ")),
        p.clinicians
    );
    if let Some((index, map)) = map {
        o.push_str(&crate::map::draw::svg::report_section(map, index));
    }
    let _ = writeln!(o, "<div class=\"charts\">");
    time_chart(o, &p.overall);
    deviation_chart(o, &p.overall);
    let _ = writeln!(o, "</div>");
    for g in super::shown_groups(report, p) {
        group(o, g);
    }
}

fn group(o: &mut String, g: &GroupReport) {
    let f = &g.figures;
    let _ = writeln!(
        o,
        "<h3>{} ({})</h3>",
        esc(&g.label()),
        super::sessions(f.sessions)
    );
    let _ = writeln!(
        o,
        "<p>Fitness {:.3}; active {:.1} min of {:.1} observed; synced steps took {:.2}&times; expected; clicks {:+.1} per session; re-entries {}; interruptions {:.1} per hour, {} of time interrupted.<br>Workarounds: {}. System problems: {}.</p>",
        f.mean_fitness,
        f.active_min,
        f.observed_min,
        f.time_ratio,
        f.click_excess_per_session,
        f.reentries,
        f.interruptions_per_hour,
        pct(f.interrupted_share),
        esc(&nonzero_counts(&f.workarounds)),
        esc(&nonzero_counts(&f.problems))
    );
    let titles: String = STEP_COLUMNS
        .iter()
        .map(|(title, _)| format!("<th>{title}</th>"))
        .collect();
    let _ = writeln!(o, "<table><tr>{titles}</tr>");
    for s in &g.steps {
        let values: String = step_values(s)
            .iter()
            .zip(&STEP_COLUMNS[1..])
            .map(|(value, (_, numeric))| {
                let class = if *numeric { " class=\"n\"" } else { "" };
                format!("<td{class}>{}</td>", esc(value))
            })
            .collect();
        let unplanned = if s.planned { "" } else { "<em>unplanned</em> " };
        let _ = writeln!(o, "<tr><td>{unplanned}{}</td>{values}</tr>", esc(&s.label));
    }
    let _ = writeln!(o, "</table>");
}

const LABEL_W: f64 = 160.0;
const BAR_W: f64 = 270.0;
const ROW_H: f64 = 22.0;

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('\u{2026}');
        t
    }
}

/// Median active time per step (bar), to p90 (whisker), against expected (black tick).
fn time_chart(o: &mut String, g: &GroupReport) {
    let steps: Vec<_> = g
        .steps
        .iter()
        .filter(|s| s.median_active_secs.is_some())
        .collect();
    let max = steps
        .iter()
        .map(|s| {
            s.p90_active_secs
                .unwrap_or(0.0)
                .max(f64::from(s.expected_secs.unwrap_or(0)))
        })
        .fold(1.0f64, f64::max);
    let h = 34.0 + ROW_H * steps.len() as f64 + 34.0;
    let w = LABEL_W + BAR_W + 70.0;
    let _ = writeln!(
        o,
        "<div class=\"chart\"><h3>Active time per step against expected</h3>"
    );
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"time-chart\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Median active time per step against expected\">"
    );
    let x = |v: f64| LABEL_W + v / max * BAR_W;
    for (i, s) in steps.iter().enumerate() {
        let y = 10.0 + ROW_H * i as f64;
        let median = s.median_active_secs.unwrap_or(0.0);
        let p90 = s.p90_active_secs.unwrap_or(median);
        let over = s.expected_secs.is_some_and(|e| median > f64::from(e));
        let color = if !s.planned {
            "#64748b"
        } else if over {
            "#f97316"
        } else {
            "#3b82f6"
        };
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 6.0,
            y + 14.0,
            esc(&short(&s.label, 25))
        );
        let _ = writeln!(
            o,
            "<rect x=\"{LABEL_W}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{color}\"><title>{}: median {} p90 {}</title></rect>",
            y + 3.0,
            (x(median) - LABEL_W).max(1.0),
            esc(&s.label),
            secs(Some(median)),
            secs(Some(p90))
        );
        let _ = writeln!(
            o,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1d2733\" stroke-width=\"1\"/>",
            x(median),
            x(p90),
            y + 10.0,
            y + 10.0
        );
        if let Some(e) = s.expected_secs {
            let _ = writeln!(
                o,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#000\" stroke-width=\"3\"/>",
                x(f64::from(e)),
                y + 1.0,
                y + 19.0
            );
        }
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x(p90.max(f64::from(s.expected_secs.unwrap_or(0)))) + 5.0,
            y + 14.0,
            secs(Some(median))
        );
    }
    let ly = 14.0 + ROW_H * steps.len() as f64 + 6.0;
    let _ = writeln!(
        o,
        "<rect x=\"10\" y=\"{ly:.1}\" width=\"10\" height=\"10\" fill=\"#3b82f6\"/><text x=\"24\" y=\"{:.1}\">median</text>\
         <rect x=\"90\" y=\"{ly:.1}\" width=\"10\" height=\"10\" fill=\"#f97316\"/><text x=\"104\" y=\"{:.1}\">median over expected</text>\
         <line x1=\"250\" x2=\"250\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#000\" stroke-width=\"3\"/><text x=\"256\" y=\"{:.1}\">expected</text>\
         <line x1=\"320\" x2=\"345\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#1d2733\"/><text x=\"350\" y=\"{:.1}\">to p90</text>",
        ly + 9.0,
        ly + 9.0,
        ly - 1.0,
        ly + 11.0,
        ly + 9.0,
        ly + 5.0,
        ly + 5.0,
        ly + 9.0
    );
    let _ = writeln!(o, "</svg></div>");
}

/// Per step, stacked: share of occurrences over time / over clicks, and missing, out of
/// order, repeated and unplanned per session.
fn deviation_chart(o: &mut String, g: &GroupReport) {
    let rows: Vec<(String, Vec<f64>)> = g
        .steps
        .iter()
        .map(|s| {
            let v = DEV_COLORS
                .iter()
                .map(|(k, _)| match *k {
                    "over_time" => s.over_time_rate,
                    "over_clicks" => s.over_clicks_rate,
                    other => s.deviations_per_session.get(other).copied().unwrap_or(0.0),
                })
                .collect();
            (s.label.clone(), v)
        })
        .collect();
    let max = rows
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(0.05f64, f64::max);
    let h = 30.0 + ROW_H * rows.len() as f64 + 34.0;
    let w = LABEL_W + BAR_W + 60.0;
    let _ = writeln!(o, "<div class=\"chart\"><h3>Deviation rates per step</h3>");
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"deviation-chart\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Deviation rates per step\">"
    );
    for (i, (label, values)) in rows.iter().enumerate() {
        let y = 10.0 + ROW_H * i as f64;
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            LABEL_W - 6.0,
            y + 14.0,
            esc(&short(label, 25))
        );
        let mut x = LABEL_W;
        for ((kind, color), v) in DEV_COLORS.iter().zip(values) {
            if *v <= 0.0 {
                continue;
            }
            let width = v / max * BAR_W;
            let _ = writeln!(
                o,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"14\" fill=\"{color}\"><title>{kind}: {v:.2}</title></rect>",
                y + 3.0
            );
            x += width;
        }
        let _ = writeln!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\">{:.2}</text>",
            x + 5.0,
            y + 14.0,
            values.iter().sum::<f64>()
        );
    }
    let ly = 14.0 + ROW_H * rows.len() as f64 + 4.0;
    for (i, (kind, color)) in DEV_COLORS.iter().enumerate() {
        let lx = 10.0 + (i % 3) as f64 * 170.0;
        let yy = ly + (i / 3) as f64 * 15.0;
        let _ = writeln!(
            o,
            "<rect x=\"{lx:.1}\" y=\"{yy:.1}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{:.1}\">{kind}</text>",
            lx + 14.0,
            yy + 9.0
        );
    }
    let _ = writeln!(
        o,
        "</svg><p class=\"muted\">over_time, over_clicks: share of occurrences; others: per session.</p></div>"
    );
}

/// Time cost of the findings by cause in force (overrides applied).
fn causes_chart(o: &mut String, report: &Report) {
    let totals: Vec<(Cause, f64, usize)> = Cause::ALL
        .iter()
        .map(|c| {
            let of: Vec<_> = report.findings.iter().filter(|f| f.cause == *c).collect();
            (
                *c,
                of.iter().map(|f| f.time_cost_min).sum::<f64>() + 0.0,
                of.len(),
            )
        })
        .collect();
    let max = totals.iter().map(|t| t.1).fold(0.1f64, f64::max);
    let h = 10.0 + ROW_H * totals.len() as f64 + 6.0;
    let w = 120.0 + BAR_W + 150.0;
    let _ = writeln!(o, "<div class=\"chart\"><h3>Time cost by cause</h3>");
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cause-chart\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Time cost by cause\">"
    );
    for (i, (cause, minutes, n)) in totals.iter().enumerate() {
        let y = 8.0 + ROW_H * i as f64;
        let width = minutes / max * BAR_W;
        let _ = writeln!(
            o,
            "<text x=\"114\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"120\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{:.1} min, {} finding(s)</text>",
            y + 14.0,
            cause.label(),
            y + 3.0,
            if *minutes > 0.0 { width.max(1.0) } else { 0.0 },
            cause_color(*cause),
            120.0 + width + 6.0,
            y + 14.0,
            minutes,
            n
        );
    }
    let _ = writeln!(o, "</svg></div>");
}
