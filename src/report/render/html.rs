//! The HTML report: one self-contained file with inline CSS and inline SVG charts (per-step
//! time against expected, deviation rates, causes). No script, font, image or link that
//! reaches the network: it opens offline.
//!
//! Written with maud: every value is escaped unless it is marked `PreEscaped` (only the
//! style sheet and the named character references below are). The `"\n"` literals keep the
//! file's line breaks where they have always been, so the output reads and diffs well.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{STEP_COLUMNS, cells, coverage, nonzero_counts, pct, secs, step_values};
use crate::map::ShadowMap;
use crate::map::draw::svg;
use crate::model::Cause;
use crate::model::questionnaire::{EHR_SUS_MEAN, EHR_SUS_SD, EHR_SUS_SOURCE};
use crate::report::aggregate::{Finding, GroupReport, PathwayReport, Report};

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

/// The Content-Security-Policy that keeps the page offline: inline style and data images only.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const NBSP: PreEscaped<&str> = PreEscaped("&nbsp;");
const TIMES: PreEscaped<&str> = PreEscaped("&times;");
const HELLIP: PreEscaped<&str> = PreEscaped("&hellip;");
const LDQUO: PreEscaped<&str> = PreEscaped("&ldquo;");
const RDQUO: PreEscaped<&str> = PreEscaped("&rdquo;");

/// One decimal, as the charts' coordinates are written.
fn f1(value: f64) -> String {
    format!("{value:.1}")
}

/// A title with its `step` names shown as code.
fn title(s: &str) -> Markup {
    html! {
        @for (i, part) in s.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
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
pub fn html_with_maps(report: &Report, maps: &[ShadowMap]) -> String {
    let map_of = |pathway: &str| maps.iter().position(|m| m.pathway == pathway);
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            head {
                meta charset="utf-8"; "\n"
                meta http-equiv="Content-Security-Policy" content=(CSP); "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                title { "shadowmap report" } "\n"
                style {
                    (PreEscaped(STYLE))
                    @if !maps.is_empty() { (PreEscaped(svg::MAP_CSS)) }
                }
            }
            body {
                "\n"
                h1 { "shadowmap report" } "\n"
                (summary(report))
                h2 { "Findings" } "\n"
                div.charts { "\n" (causes_chart(report)) } "\n"
                @if report.findings.is_empty() {
                    p { "None: every step is within its tolerance." } "\n"
                } @else {
                    (findings_table(&report.findings, |pathway| map_of(pathway).map(|i| &maps[i])))
                }
                @for p in &report.pathways {
                    (pathway(report, p, map_of(&p.id).map(|i| (i, &maps[i]))))
                }
            }
        }
        "\n"
    };
    page.into_string()
}

/// What the report covers, and the files it skipped.
fn summary(report: &Report) -> Markup {
    html! {
        p.muted {
            (coverage(report)) ". " (report.generated_by)
            @if report.redacted { ". Redacted: note text removed, identifiers masked." }
        } "\n"
        @for s in &report.skipped {
            p.muted { "Skipped " code { (s.path.display().to_string()) } ": " (s.error) } "\n"
        }
    }
}

fn findings_table<'m>(
    findings: &[Finding],
    map_of: impl Fn(&str) -> Option<&'m ShadowMap>,
) -> Markup {
    html! {
        table {
            tr {
                th { "#" } th { "finding" } th { "time cost" } th { "occurrences" }
                th { "cause" } th { "rule" } th { "confidence" } th { "id" }
            } "\n"
            @for f in findings { (finding_row(f, map_of(&f.pathway))) "\n" }
        } "\n"
    }
}

/// One finding; its title links to its step on `map` when the map shows that step.
fn finding_row(f: &Finding, map: Option<&ShadowMap>) -> Markup {
    let e = &f.evidence;
    let title = svg::link_to_step(map, &f.step, &title(&f.title).into_string());
    html! {
        tr {
            td.n { (f.rank) }
            td {
                (PreEscaped(title)) br; span.muted { (f.step_label) }
                details {
                    summary { "evidence" }
                    (f.because) br;
                    (e.sessions) " sessions: " (e.session_ids.join(", "))
                    @if (e.session_ids.len() as u32) < e.sessions { ", " (HELLIP) }
                    br; "sites: " (cells(&e.sites))
                    br; "roles: " (cells(&e.roles))
                    br; "clinicians: " (cells(&e.clinicians))
                    br; "median " (secs(e.median_active_secs)) " (p90 " (secs(e.p90_active_secs))
                    ") against " (secs(e.expected_secs.map(f64::from))) " expected"
                    @for note in &e.notes { br; "note: " (LDQUO) (note) (RDQUO) }
                }
            }
            td.n {
                (f1(f.time_cost_min)) (NBSP) "min" br;
                span.muted { (format!("{:.2}", f.excess_min_per_occurrence)) " " (TIMES) " " (f.occurrences) }
            }
            td.n { (f.occurrences) " of " (f.base) " " (f.unit) "s (" (pct(f.rate)) ")" }
            td { (cause(f)) }
            td { code { (f.rule) } }
            td { (f.confidence_label) " " (format!("{:.2}", f.confidence)) }
            td { code { (f.id) } }
        }
    }
}

/// The cause badge, and who overrode it and why.
fn cause(f: &Finding) -> Markup {
    let class = if f.overridden.is_some() {
        "cause ov"
    } else {
        "cause"
    };
    html! {
        span class=(class) style={ "background:" (cause_color(f.cause)) } { (f.cause) }
        @if let Some(o) = &f.overridden {
            " overridden by " (o.who) " (" (o.when.format("%Y-%m-%d")) "): " (o.why)
            "; suggested " (f.suggested_cause)
        }
    }
}

fn pathway(report: &Report, p: &PathwayReport, map: Option<(usize, &ShadowMap)>) -> Markup {
    html! {
        h2 { "Pathway " code { (p.id) } ": " (p.name) } "\n"
        p.muted {
            (p.sessions) " sessions; version(s) " (super::versions(p)) "; sites "
            (p.sites.join(", ")) "; roles " (p.roles.join(", ")) "; " (p.clinicians) " clinicians."
        } "\n"
        @let site = super::site_kinds(p);
        @if !site.is_empty() {
            p.muted { "Site kinds: " (site.join("; ")) "." } "\n"
        }
        @if let Some((index, map)) = map { (svg::map_section(map, 0.0, index)) }
        div.charts {
            "\n" (time_chart(&p.overall)) (deviation_chart(&p.overall))
            (voice_chart(&super::shown_groups(report, p).collect::<Vec<_>>()))
        } "\n"
        @for g in super::shown_groups(report, p) {
            (group(g))
        }
    }
}

fn group(g: &GroupReport) -> Markup {
    let f = &g.figures;
    html! {
        h3 { (g.label()) " (" (super::sessions(f.sessions)) ")" } "\n"
        p {
            "Fitness " (format!("{:.3}", f.mean_fitness))
            "; active " (f1(f.active_min)) " min of " (f1(f.observed_min)) " observed"
            "; synced steps took " (format!("{:.2}", f.time_ratio)) (TIMES) " expected"
            "; clicks " (format!("{:+.1}", f.click_excess_per_session)) " per session"
            "; re-entries " (f.reentries)
            "; interruptions " (f1(f.interruptions_per_hour)) " per hour, "
            (pct(f.interrupted_share)) " of time interrupted."
            br; "Workarounds: " (nonzero_counts(&f.workarounds))
            ". System problems: " (nonzero_counts(&f.problems)) "."
            @if let Some(voice) = f.voice.line() { br; "Clinicians' voice: " (voice) "." }
        } "\n"
        table {
            tr { @for (heading, _) in &STEP_COLUMNS { th { (heading) } } } "\n"
            @for s in &g.steps {
                tr {
                    td { @if !s.planned { em { "unplanned" } " " } (s.label) }
                    @for (value, (_, numeric)) in step_values(s).iter().zip(&STEP_COLUMNS[1..]) {
                        @if *numeric { td.n { (value) } } @else { td { (value) } }
                    }
                }
                "\n"
            }
        } "\n"
    }
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

/// An inline SVG chart, `width` by `height`: `class` names it for the checks, `label` says
/// what it shows to a screen reader.
fn svg(class: &str, label: &str, width: f64, height: f64, body: Markup) -> Markup {
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class=(class) width=(width) height=(height)
            viewBox={ "0 0 " (width) " " (height) } role="img" aria-label=(label) {
            "\n" (body)
        }
    }
}

/// Median active time per step (bar), to p90 (whisker), against expected (black tick).
fn time_chart(g: &GroupReport) -> Markup {
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
    let x = |v: f64| LABEL_W + v / max * BAR_W;
    let rows = html! {
        @for (i, s) in steps.iter().enumerate() {
            @let y = 10.0 + ROW_H * i as f64;
            @let median = s.median_active_secs.unwrap_or(0.0);
            @let p90 = s.p90_active_secs.unwrap_or(median);
            @let over = s.expected_secs.is_some_and(|e| median > f64::from(e));
            @let color = if !s.planned { "#64748b" } else if over { "#f97316" } else { "#3b82f6" };
            text x=(f1(LABEL_W - 6.0)) y=(f1(y + 14.0)) text-anchor="end" { (short(&s.label, 25)) } "\n"
            rect x=(LABEL_W) y=(f1(y + 3.0)) width=(f1((x(median) - LABEL_W).max(1.0))) height="14" fill=(color) {
                title { (s.label) ": median " (secs(Some(median))) " p90 " (secs(Some(p90))) }
            } "\n"
            line x1=(f1(x(median))) x2=(f1(x(p90))) y1=(f1(y + 10.0)) y2=(f1(y + 10.0)) stroke="#1d2733" stroke-width="1" {} "\n"
            @if let Some(e) = s.expected_secs {
                line x1=(f1(x(f64::from(e)))) x2=(f1(x(f64::from(e)))) y1=(f1(y + 1.0)) y2=(f1(y + 19.0)) stroke="#000" stroke-width="3" {} "\n"
            }
            text x=(f1(x(p90.max(f64::from(s.expected_secs.unwrap_or(0)))) + 5.0)) y=(f1(y + 14.0)) { (secs(Some(median))) } "\n"
        }
    };
    let ly = 14.0 + ROW_H * steps.len() as f64 + 6.0;
    let legend = html! {
        rect x="10" y=(f1(ly)) width="10" height="10" fill="#3b82f6" {}
        text x="24" y=(f1(ly + 9.0)) { "median" }
        rect x="90" y=(f1(ly)) width="10" height="10" fill="#f97316" {}
        text x="104" y=(f1(ly + 9.0)) { "median over expected" }
        line x1="250" x2="250" y1=(f1(ly - 1.0)) y2=(f1(ly + 11.0)) stroke="#000" stroke-width="3" {}
        text x="256" y=(f1(ly + 9.0)) { "expected" }
        line x1="320" x2="345" y1=(f1(ly + 5.0)) y2=(f1(ly + 5.0)) stroke="#1d2733" {}
        text x="350" y=(f1(ly + 9.0)) { "to p90" }
        "\n"
    };
    let label = "Median active time per step against expected";
    html! {
        div.chart {
            h3 { "Active time per step against expected" } "\n"
            (svg("time-chart", label, w, h, html! { (rows) (legend) }))
        } "\n"
    }
}

/// Per step, stacked: share of occurrences over time / over clicks, and missing, out of
/// order, repeated and unplanned per session.
fn deviation_chart(g: &GroupReport) -> Markup {
    let rows: Vec<(&str, [f64; 6])> = g
        .steps
        .iter()
        .map(|s| {
            let v = DEV_COLORS.map(|(k, _)| match k {
                "over_time" => s.over_time_rate,
                "over_clicks" => s.over_clicks_rate,
                other => s.deviations_per_session.get(other).copied().unwrap_or(0.0),
            });
            (s.label.as_str(), v)
        })
        .collect();
    let max = rows
        .iter()
        .map(|(_, v)| v.iter().sum::<f64>())
        .fold(0.05f64, f64::max);
    let h = 30.0 + ROW_H * rows.len() as f64 + 34.0;
    let w = LABEL_W + BAR_W + 60.0;
    let bars = html! {
        @for (i, (label, values)) in rows.iter().enumerate() {
            @let y = 10.0 + ROW_H * i as f64;
            text x=(f1(LABEL_W - 6.0)) y=(f1(y + 14.0)) text-anchor="end" { (short(label, 25)) } "\n"
            @let (segments, end) = stacked(values, max);
            @for bar in segments {
                rect x=(f1(bar.x)) y=(f1(y + 3.0)) width=(f1(bar.width)) height="14" fill=(bar.color) {
                    title { (bar.kind) ": " (format!("{:.2}", bar.value)) }
                } "\n"
            }
            text x=(f1(end + 5.0)) y=(f1(y + 14.0)) { (format!("{:.2}", values.iter().sum::<f64>())) } "\n"
        }
    };
    let ly = 14.0 + ROW_H * rows.len() as f64 + 4.0;
    let legend = html! {
        @for (i, (kind, color)) in DEV_COLORS.iter().enumerate() {
            @let lx = 10.0 + (i % 3) as f64 * 170.0;
            @let yy = ly + (i / 3) as f64 * 15.0;
            rect x=(f1(lx)) y=(f1(yy)) width="10" height="10" fill=(color) {}
            text x=(f1(lx + 14.0)) y=(f1(yy + 9.0)) { (kind) } "\n"
        }
    };
    let label = "Deviation rates per step";
    html! {
        div.chart {
            h3 { (label) } "\n"
            (svg("deviation-chart", label, w, h, html! { (bars) (legend) }))
            p.muted { "over_time, over_clicks: share of occurrences; others: per session." }
        } "\n"
    }
}

const SUS_COLOR: &str = "#7c3aed";
const TLX_COLOR: &str = "#0891b2";

/// Where a score (0-100) sits on the voice chart's axis.
fn voice_x(score: f64) -> f64 {
    LABEL_W + score.clamp(0.0, 100.0) / 100.0 * BAR_W
}

/// The clinicians' voice per group: mean SUS and mean raw NASA-TLX (both 0-100), with the
/// published EHR mean SUS as a dashed mark on each SUS bar (not across the TLX). Nothing when no
/// clinician of the pathway answered.
fn voice_chart(groups: &[&GroupReport]) -> Markup {
    let answered: Vec<&GroupReport> = groups
        .iter()
        .copied()
        .filter(|g| g.figures.voice.sus_sessions + g.figures.voice.tlx_sessions > 0)
        .collect();
    if answered.is_empty() {
        return html! {};
    }
    const BLOCK_H: f64 = 2.0 * ROW_H + 8.0;
    let top = 22.0;
    let bottom = top + BLOCK_H * answered.len() as f64;
    let h = bottom + 34.0;
    let w = LABEL_W + BAR_W + 130.0;
    let reference = voice_x(EHR_SUS_MEAN);
    let bar = |class: &'static str,
               color: &'static str,
               y: f64,
               name: &str,
               score: Option<f64>,
               n: u32| {
        html! {
            @if let Some(score) = score {
                rect class=(class) data-score=(f1(score)) data-n=(n) x=(LABEL_W) y=(f1(y + 3.0))
                    width=(f1((voice_x(score) - LABEL_W).max(1.0))) height="14" fill=(color) {
                    title { (name) " " (f1(score)) " (n=" (n) ")" }
                } "\n"
                text x=(f1(LABEL_W + BAR_W + 6.0)) y=(f1(y + 14.0)) { (name) " " (f1(score)) " (n=" (n) ")" } "\n"
            } @else {
                text x=(f1(LABEL_W + 4.0)) y=(f1(y + 14.0)) style="fill:#5d6b7a" { (name) ": not answered" } "\n"
            }
        }
    };
    let rows = html! {
        @for (i, g) in answered.iter().enumerate() {
            @let v = &g.figures.voice;
            @let y = top + BLOCK_H * i as f64;
            text x=(f1(LABEL_W - 6.0)) y=(f1(y + 14.0)) text-anchor="end" { (short(&g.label(), 25)) } "\n"
            (bar("sus", SUS_COLOR, y, "SUS", v.sus_mean, v.sus_sessions))
            // The reference crosses the SUS bar only: it says nothing about the TLX.
            @if v.sus_mean.is_some() {
                line class="sus-reference" data-score=(f1(EHR_SUS_MEAN)) x1=(f1(reference)) x2=(f1(reference))
                    y1=(f1(y)) y2=(f1(y + 20.0)) stroke="#1d2733" stroke-width="2" stroke-dasharray="4 2" {
                    title { "published EHR mean SUS " (f1(EHR_SUS_MEAN)) " (" (EHR_SUS_SOURCE) ")" }
                } "\n"
            }
            (bar("tlx", TLX_COLOR, y + ROW_H, "raw TLX", v.tlx_mean, v.tlx_sessions))
        }
    };
    let ly = bottom + 10.0;
    let axis_and_legend = html! {
        @if answered.iter().any(|g| g.figures.voice.sus_mean.is_some()) {
            text x=(f1(reference)) y=(f1(top - 8.0)) text-anchor="middle" { "EHR mean " (f1(EHR_SUS_MEAN)) } "\n"
        }
        line x1=(f1(LABEL_W)) x2=(f1(LABEL_W + BAR_W)) y1=(f1(bottom)) y2=(f1(bottom)) stroke="#8a94a0" {} "\n"
        @for tick in [0.0, 50.0, 100.0] {
            text x=(f1(voice_x(tick))) y=(f1(bottom + 12.0)) text-anchor="middle" { (tick) } "\n"
        }
        rect x="10" y=(f1(ly + 14.0)) width="10" height="10" fill=(SUS_COLOR) {}
        text x="24" y=(f1(ly + 23.0)) { "SUS (higher is better)" }
        rect x="180" y=(f1(ly + 14.0)) width="10" height="10" fill=(TLX_COLOR) {}
        text x="194" y=(f1(ly + 23.0)) { "raw TLX (higher is more workload)" } "\n"
    };
    let label =
        "The clinicians' SUS and raw NASA-TLX per group, against the published EHR mean SUS";
    html! {
        div.chart.voice {
            h3 { "The clinicians' voice" } "\n"
            (svg("voice-chart", label, w, h + 14.0, html! { (rows) (axis_and_legend) }))
            p.muted style={ "max-width:" (w) "px" } {
                "Means of the sessions whose clinician answered in full (0-100). Dashed mark: the published mean SUS of EHRs, "
                (f1(EHR_SUS_MEAN)) " (SD " (f1(EHR_SUS_SD)) "; " (EHR_SUS_SOURCE) ")."
            }
        } "\n"
    }
}

/// One kind's part of a stacked bar.
struct Segment {
    x: f64,
    width: f64,
    kind: &'static str,
    color: &'static str,
    value: f64,
}

/// The segments of one stacked bar (kinds without a value left out), and where it ends.
fn stacked(values: &[f64; 6], max: f64) -> (Vec<Segment>, f64) {
    let mut x = LABEL_W;
    let mut segments = Vec::new();
    for (&(kind, color), &value) in DEV_COLORS.iter().zip(values) {
        if value > 0.0 {
            let width = value / max * BAR_W;
            segments.push(Segment {
                x,
                width,
                kind,
                color,
                value,
            });
            x += width;
        }
    }
    (segments, x)
}

/// Time cost of the findings by cause in force (overrides applied).
fn causes_chart(report: &Report) -> Markup {
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
    let bars = html! {
        @for (i, (cause, minutes, n)) in totals.iter().enumerate() {
            @let y = 8.0 + ROW_H * i as f64;
            @let width = minutes / max * BAR_W;
            text x="114" y=(f1(y + 14.0)) text-anchor="end" { (cause.label()) }
            rect x="120" y=(f1(y + 3.0)) width=(f1(if *minutes > 0.0 { width.max(1.0) } else { 0.0 }))
                height="14" fill=(cause_color(*cause)) {}
            text x=(f1(120.0 + width + 6.0)) y=(f1(y + 14.0)) { (f1(*minutes)) " min, " (n) " finding(s)" } "\n"
        }
    };
    let label = "Time cost by cause";
    html! {
        div.chart {
            h3 { (label) } "\n"
            (svg("cause-chart", label, w, h, bars))
        } "\n"
    }
}
