//! The map as SVG (maud, escaping on), and the HTML page and report section around it: the
//! drawing, a legend, the variants as rows of step chips, the steps' figures.

use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::fmt::Write as _;

use super::super::layout::{Layout, Placed, SIDE_ROOM};
use super::super::{END, Edge, START, ShadowMap, Variant};
use super::{
    CONFORMING_COLOUR, LABEL_CHARS, Shown, UNTAKEN_COLOUR, anchor, clip, deviating_colour,
    edge_width, figures_line, layout_of, node_colours, percent, shown,
};

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const LEGEND_HEIGHT: f64 = 70.0;

/// A point on a cubic Bezier curve at t = 0.5.
fn midpoint(p: [(f64, f64); 4]) -> (f64, f64) {
    (
        (p[0].0 + 3.0 * p[1].0 + 3.0 * p[2].0 + p[3].0) / 8.0,
        (p[0].1 + 3.0 * p[1].1 + 3.0 * p[2].1 + p[3].1) / 8.0,
    )
}

/// The curve of an edge: down to the next layer; round the right of every box on the way when
/// it skips layers; round the left when it goes back up; across when it stays on its layer; a
/// loop on the right for a step redone.
fn curve(from: &Placed, to: &Placed, layout: &Layout) -> [(f64, f64); 4] {
    if std::ptr::eq(from, to) {
        let (x, y) = (from.right(), from.y);
        return [
            (x, y + 10.0),
            (x + 42.0, y - 8.0),
            (x + 42.0, from.bottom() + 8.0),
            (x, from.bottom() - 10.0),
        ];
    }
    let (y0, y1) = (from.y + from.height / 2.0, to.y + to.height / 2.0);
    if to.layer == from.layer {
        let (x0, x1) = if from.x < to.x {
            (from.right(), to.x)
        } else {
            (from.x, to.right())
        };
        // Left to right arcs over, right to left under: a pair both ways stays two lines.
        let lift = if from.x < to.x { 14.0 } else { -14.0 };
        return [
            (x0, y0),
            ((2.0 * x0 + x1) / 3.0, y0 - lift),
            ((x0 + 2.0 * x1) / 3.0, y1 - lift),
            (x1, y1),
        ];
    }
    if to.layer == from.layer + 1 {
        let (x0, y0) = (from.center_x(), from.bottom());
        let (x1, y1) = (to.center_x(), to.y);
        let dy = (y1 - y0) / 2.0;
        return [(x0, y0), (x0, y0 + dy), (x1, y1 - dy), (x1, y1)];
    }
    let (low, high) = (from.layer.min(to.layer), from.layer.max(to.layer));
    let (left, right) = layout.extent(low, high);
    let offset = (16.0 + 8.0 * (high - low) as f64).min(SIDE_ROOM - 10.0);
    if to.layer > from.layer {
        let bulge = right + offset;
        [
            (from.right(), y0),
            (bulge, y0),
            (bulge, y1),
            (to.right(), y1),
        ]
    } else {
        let bulge = left - offset;
        [(from.x, y0), (bulge, y0), (bulge, y1), (to.x, y1)]
    }
}

fn edge_title(map: &ShadowMap, edge: &Edge) -> String {
    let kind = if edge.count == 0 {
        "configured, never taken"
    } else if edge.conforming {
        "conforming"
    } else {
        "deviating"
    };
    let label = |id: &str| map.node(id).map_or(id.to_string(), |n| n.label.clone());
    let mut title = format!(
        "{} → {}: {} times in {} of {} sessions ({}), {kind}",
        label(&edge.from),
        label(&edge.to),
        edge.count,
        edge.sessions,
        map.sessions,
        percent(edge.share)
    );
    if let Some(gap) = edge.median_gap_secs {
        let _ = write!(title, "; median gap {gap:.0} s");
    }
    title
}

/// The map of `map` at `min_share` as an SVG element; `prefix` keeps marker ids unique when a
/// page holds several maps.
pub fn svg(map: &ShadowMap, min_share: f64, prefix: &str) -> Markup {
    let shown = shown(map, min_share);
    svg_of(map, &shown, prefix)
}

fn svg_of(map: &ShadowMap, shown: &Shown, prefix: &str) -> Markup {
    let layout = layout_of(map, shown);
    let place = |id: &str| {
        shown
            .nodes
            .iter()
            .position(|&i| map.nodes[i].id == id)
            .map(|p| &layout.nodes[p])
    };
    let max_count = shown
        .edges
        .iter()
        .map(|&e| map.edges[e].count)
        .max()
        .unwrap_or(1);
    let width = layout.width.max(800.0);
    let height = layout.height + LEGEND_HEIGHT;
    let marker = |kind: &str| format!("{prefix}arrow-{kind}");
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="shadow-map"
            viewBox=(format!("0 0 {width:.0} {height:.0}")) width=(format!("{width:.0}"))
            height=(format!("{height:.0}")) font-family=(FONT) font-size="12"
            role="img" aria-label=(format!("Shadow map of {}", map.pathway_name)) {
            title { "Shadow map of " (map.pathway_name) " (" (map.sessions) " sessions)" }
            defs {
                @for (kind, colour) in [("conforming", CONFORMING_COLOUR), ("deviating", "#c05621"), ("untaken", UNTAKEN_COLOUR)] {
                    marker id=(marker(kind)) viewBox="0 0 10 10" refX="9" refY="5"
                        markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto" {
                        path d="M0,0 L10,5 L0,10 z" fill=(colour) {}
                    }
                }
            }
            rect x="0" y="0" width=(format!("{width:.0}")) height=(format!("{height:.0}")) fill="#ffffff" {}
            g class="edges" fill="none" {
                @for &e in &shown.edges {
                    @let edge = &map.edges[e];
                    @if let (Some(from), Some(to)) = (place(&edge.from), place(&edge.to)) {
                        @let p = curve(from, to, &layout);
                        @let (mx, my) = midpoint(p);
                        @let (class, colour, dash, arrow) = if edge.count == 0 {
                            ("edge untaken", UNTAKEN_COLOUR.to_string(), "2 4", marker("untaken"))
                        } else if edge.conforming {
                            ("edge conforming", CONFORMING_COLOUR.to_string(), "", marker("conforming"))
                        } else {
                            ("edge deviating", deviating_colour(edge.share), "7 4", marker("deviating"))
                        };
                        g class=(class) data-from=(edge.from) data-to=(edge.to) data-count=(edge.count) {
                            title { (edge_title(map, edge)) }
                            path d=(format!("M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", p[0].0, p[0].1, p[1].0, p[1].1, p[2].0, p[2].1, p[3].0, p[3].1))
                                stroke=(colour) stroke-width=(format!("{:.1}", edge_width(edge, max_count)))
                                stroke-dasharray=(dash) stroke-linecap="round" marker-end=(format!("url(#{arrow})")) {}
                            @if edge.count > 0 {
                                text x=(format!("{:.1}", mx + 5.0)) y=(format!("{:.1}", my - 3.0)) style=(format!("fill:{colour}"))
                                    font-size="11" stroke="#ffffff" stroke-width="3" paint-order="stroke" {
                                    (edge.count)
                                    @if !edge.conforming { " · " (percent(edge.share)) }
                                }
                            }
                        }
                    }
                }
            }
            g class="nodes" {
                @for (k, &i) in shown.nodes.iter().enumerate() {
                    @let node = &map.nodes[i];
                    @let at = &layout.nodes[k];
                    @let (fill, stroke) = node_colours(node);
                    @let class = if node.is_end() { "node end" } else if !node.observed { "node never-done" } else if !node.planned { "node unplanned" } else { "node" };
                    g class=(class) id=(anchor(&map.pathway, &node.id)) data-id=(node.id) {
                        title {
                            (node.label) " (" (node.id) "): " (node.count) " times in " (node.sessions) " sessions"
                            @if let Some(m) = node.median_active_secs { "; median active " (format!("{m:.0}")) " s" }
                            @if let Some(p) = node.p90_active_secs { ", p90 " (format!("{p:.0}")) " s" }
                            @if let Some(x) = node.expected_secs { "; expected " (x) " s" }
                        }
                        rect x=(format!("{:.1}", at.x)) y=(format!("{:.1}", at.y)) width=(format!("{:.1}", at.width))
                            height=(format!("{:.1}", at.height)) rx=(if node.is_end() { "14" } else { "6" })
                            fill=(fill) stroke=(stroke) stroke-width=(if node.planned { "1.5" } else { "2" })
                            stroke-dasharray=(if !node.observed || !node.planned { "5 3" } else { "" }) {}
                        @if node.is_end() {
                            text x=(format!("{:.1}", at.center_x())) y=(format!("{:.1}", at.y + 18.0)) text-anchor="middle"
                                style="fill:#ffffff" font-weight="600" { (if node.id == START { "Start" } else if node.id == END { "End" } else { "" }) }
                        } @else {
                            text x=(format!("{:.1}", at.center_x())) y=(format!("{:.1}", at.y + 18.0)) text-anchor="middle"
                                style="fill:#1a202c" font-weight="600" { (clip(&node.label, LABEL_CHARS)) }
                            text x=(format!("{:.1}", at.center_x())) y=(format!("{:.1}", at.y + 34.0)) text-anchor="middle"
                                style="fill:#4a5568" font-size="11" { (figures_line(node)) }
                        }
                    }
                }
            }
            (legend(layout.height + 8.0, &marker("deviating")))
        }
    }
}

fn legend(y: f64, deviating_marker: &str) -> Markup {
    let swatches: [(&str, &str, &str, &str); 5] = [
        ("#def7e5", "#2f855a", "", "at or under expected"),
        ("#fff3cd", "#b7791f", "", "up to 50% over"),
        ("#fde2e1", "#c53030", "", "more than 50% over"),
        ("#ede7f6", "#6b46c1", "5 3", "unplanned step"),
        ("#ffffff", "#718096", "5 3", "planned, never done"),
    ];
    html! {
        g class="legend" transform=(format!("translate(24,{y:.0})")) font-size="11" fill="#2d3748" {
            text x="0" y="10" font-weight="600" { "Step colour: median active time against expected" }
            @for (k, (fill, stroke, dash, label)) in swatches.iter().enumerate() {
                @let x = k as f64 * 150.0;
                rect x=(format!("{x:.0}")) y="18" width="14" height="12" rx="2" fill=(fill) stroke=(stroke) stroke-dasharray=(dash) {}
                text x=(format!("{:.0}", x + 19.0)) y="28" { (label) }
            }
            path d="M0,48 L34,48" stroke=(CONFORMING_COLOUR) stroke-width="3" {}
            text x="40" y="52" { "follows the pathway (thicker: more often)" }
            path d="M270,48 L304,48" stroke=(deviating_colour(0.6)) stroke-width="3" stroke-dasharray="7 4" marker-end=(format!("url(#{deviating_marker})")) {}
            text x="312" y="52" { "leaves it (label: count · share of sessions)" }
            path d="M570,48 L604,48" stroke=(UNTAKEN_COLOUR) stroke-width="1.5" stroke-dasharray="2 4" {}
            text x="610" y="52" { "configured, never taken" }
        }
    }
}

/// The SVG document of a map (`--format svg`).
pub fn svg_document(map: &ShadowMap, min_share: f64) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        svg(map, min_share, "m0-").into_string()
    )
}

/// A variant's steps as chips, and its deviations.
pub fn variants_table(map: &ShadowMap, top: usize) -> Markup {
    html! {
        table class="variants" {
            thead { tr { th { "#" } th { "sessions" } th { "fitness" } th { "median min" } th { "steps and deviations" } } }
            tbody {
                @for (k, variant) in map.variants.iter().take(top).enumerate() {
                    tr class=(if variant.fits() { "fits" } else { "" }) {
                        td { (k + 1) }
                        td { (variant.count) " (" (percent(variant.share)) ")" }
                        td { (format!("{:.3}", variant.fitness)) }
                        td { (format!("{:.1}", variant.median_observed_min)) }
                        td {
                            div class="chips" {
                                @if variant.fits() { span class="badge" { "pathway run" } }
                                @for step in &variant.steps {
                                    @let planned = map.node(step).is_some_and(|n| n.planned);
                                    @let deviates = variant_deviates_at(variant, step);
                                    span class=(chip_class(planned, deviates)) title=(step) {
                                        (map.node(step).map_or(step.as_str(), |n| n.label.as_str()))
                                    }
                                }
                                @if variant.steps.is_empty() { span class="chip empty" { "no step" } }
                            }
                            @if !variant.fits() {
                                div class="deviations" {
                                    (variant.deviations.iter().map(|(kind, step)| format!("{} {step}", kind.replace('_', " "))).collect::<Vec<_>>().join("; "))
                                }
                            }
                        }
                    }
                }
            }
        }
        @if map.variants.len() > top {
            p class="note" { (map.variants.len() - top) " more variants in the JSON (" (format!("--format json")) ")." }
        }
    }
}

fn variant_deviates_at(variant: &Variant, step: &str) -> bool {
    variant.deviations.iter().any(|(_, s)| s == step)
}

fn chip_class(planned: bool, deviates: bool) -> &'static str {
    match (planned, deviates) {
        (false, _) => "chip unplanned",
        (true, true) => "chip deviates",
        (true, false) => "chip",
    }
}

/// The CSS of the map sections (drawing, variants), for a page or the report.
pub const MAP_CSS: &str = "
.shadow-map { max-width: 100%; height: auto; border: 1px solid #e2e8f0; border-radius: 6px; }
.map-section { margin: 1.5em 0; }
table.variants { border-collapse: collapse; margin: .8em 0; font-size: 13px; }
table.variants th, table.variants td { border-bottom: 1px solid #e2e8f0; padding: 4px 8px; text-align: left; vertical-align: top; }
table.variants tr.fits td { background: #f0fff4; }
.chips { display: flex; flex-wrap: wrap; gap: 3px; }
.chip { background: #ebf4ff; border: 1px solid #a3bffa; border-radius: 10px; padding: 1px 7px; font-size: 12px; }
.chip.unplanned { background: #ede7f6; border: 1px dashed #6b46c1; }
.chip.deviates { background: #fff5f5; border-color: #e53e3e; }
.chip.empty { color: #718096; }
.badge { background: #2f855a; color: #fff; border-radius: 10px; padding: 1px 7px; font-size: 12px; }
.deviations { color: #9b2c2c; font-size: 12px; margin-top: 3px; }
";

/// One pathway's map for a page: heading, drawing, variants.
pub fn map_section(map: &ShadowMap, min_share: f64, index: usize) -> Markup {
    html! {
        section class="map-section" id=(format!("{}section", anchor(&map.pathway, ""))) {
            h3 { "How the work flows: " (map.pathway_name) }
            p class="note" {
                (map.sessions) " sessions, pathway version"
                @if map.pathway_versions.len() > 1 { "s" }
                " " (map.pathway_versions.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
                @if min_share > 0.0 { "; steps and flows in fewer than " (percent(min_share)) " of sessions hidden" }
                "."
            }
            (svg(map, min_share, &format!("m{index}-")))
            h4 { "Variants" }
            (variants_table(map, 10))
        }
    }
}

/// A whole HTML page of maps (`--format html`).
pub fn html_page(maps: &[ShadowMap], min_share: f64) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "shadowmap: how the work really flows" }
                style { (PreEscaped("body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 2em; color: #1a202c; } h1 { font-size: 1.5em; } .note { color: #4a5568; font-size: 13px; }")) (PreEscaped(MAP_CSS)) }
            }
            body {
                h1 { "How the work really flows" }
                @for (index, map) in maps.iter().enumerate() {
                    (map_section(map, min_share, index))
                }
            }
        }
    };
    page.into_string()
}

/// One pathway's map inside the report (above its step table); `index` keeps marker ids unique.
pub fn report_section(map: &ShadowMap, index: usize) -> String {
    map_section(map, 0.0, index).into_string()
}

/// A report finding's title (already HTML), linked to its step on the pathway's map when the
/// map shows that step.
pub fn link_to_step(map: Option<&ShadowMap>, step: &str, title_html: &str) -> String {
    match map {
        Some(map) if map.node(step).is_some() => html! {
            a href=(format!("#{}", anchor(&map.pathway, step))) title="this step on the map" {
                (PreEscaped(title_html))
            }
        }
        .into_string(),
        _ => title_html.to_string(),
    }
}
