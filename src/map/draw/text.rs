//! The map as text: steps in the pathway's order with their figures, the flows (deviating ones
//! marked), what was never done or never taken, and the top variants as rows of step chips.

use std::fmt::Write;

use super::super::{END, START, ShadowMap};
use super::{clip, counted, node_share, percent};

fn secs(value: Option<f64>) -> String {
    value.map_or("-".to_string(), |v| format!("{v:.0}"))
}

#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
pub fn text(map: &ShadowMap, min_share: f64, top_variants: usize) -> String {
    let mut out = String::new();
    let versions: Vec<String> = map.pathway_versions.iter().map(u32::to_string).collect();
    let _ = writeln!(
        out,
        "Shadow map: {} ({}, version {}), {}",
        map.pathway_name,
        map.pathway,
        versions.join(", "),
        counted(map.sessions, "session", "sessions")
    );
    if !map.filter.is_empty() {
        let clauses: Vec<String> = map
            .filter
            .iter()
            .map(|(k, v)| format!("{k}={}", v.join("|")))
            .collect();
        let _ = writeln!(out, "where {}", clauses.join(", "));
    }
    if min_share > 0.0 {
        let _ = writeln!(
            out,
            "(steps and flows in fewer than {} of sessions left out; --format json has all)",
            percent(min_share)
        );
    }
    let _ = writeln!(
        out,
        "\nSteps                            count  sessions  median s  p90 s  expected s"
    );
    for node in map.nodes.iter().filter(|n| !n.is_end()) {
        if !node.planned && node_share(map, node) < min_share {
            continue;
        }
        let mark = if !node.observed {
            "  never done"
        } else if !node.planned {
            "  unplanned"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<30} {:>5}  {:>8}  {:>8}  {:>5}  {:>10}{mark}",
            clip(&node.label, 30),
            node.count,
            node.sessions,
            secs(node.median_active_secs),
            secs(node.p90_active_secs),
            node.expected_secs
                .map_or("-".to_string(), |e| e.to_string()),
        );
    }
    let name = |id: &str| -> String {
        match id {
            START => "(start)".into(),
            END => "(end)".into(),
            other => other.to_string(),
        }
    };
    let _ = writeln!(
        out,
        "\nFlows (! leaves the pathway)                           count  sessions  share  gap s"
    );
    for edge in map
        .edges
        .iter()
        .filter(|e| e.count > 0 && e.share >= min_share)
    {
        let flow = format!("{} -> {}", name(&edge.from), name(&edge.to));
        let _ = writeln!(
            out,
            "{} {:<52} {:>5}  {:>8}  {:>5}  {:>5}",
            if edge.conforming { " " } else { "!" },
            clip(&flow, 52),
            edge.count,
            edge.sessions,
            percent(edge.share),
            secs(edge.median_gap_secs)
        );
    }
    let never_done: Vec<&str> = map
        .nodes
        .iter()
        .filter(|n| !n.observed && !n.is_end())
        .map(|n| n.id.as_str())
        .collect();
    if !never_done.is_empty() {
        let _ = writeln!(out, "\nPlanned steps never done: {}", never_done.join(", "));
    }
    let untaken: Vec<String> = map
        .edges
        .iter()
        .filter(|e| e.count == 0)
        .map(|e| format!("{} -> {}", name(&e.from), name(&e.to)))
        .collect();
    if !untaken.is_empty() {
        let _ = writeln!(out, "Configured flows never taken: {}", untaken.join(", "));
    }
    let _ = writeln!(
        out,
        "\nVariants ({} distinct; the top {})",
        map.variants.len(),
        top_variants.min(map.variants.len())
    );
    for (k, variant) in map.variants.iter().take(top_variants).enumerate() {
        let _ = writeln!(
            out,
            "{:>3}. {} ({}), fitness {:.3}, median {:.1} min{}",
            k + 1,
            counted(variant.count, "session", "sessions"),
            percent(variant.share),
            variant.fitness,
            variant.median_observed_min,
            if variant.fits() {
                "  [pathway run]"
            } else {
                ""
            }
        );
        let chips: Vec<String> = variant.steps.iter().map(|s| format!("[{s}]")).collect();
        let chips = if chips.is_empty() {
            "(no step)".to_string()
        } else {
            chips.join(" ")
        };
        let _ = writeln!(out, "     {chips}");
        if !variant.fits() {
            let deviations: Vec<String> = variant
                .deviations
                .iter()
                .map(|(kind, step)| format!("{} {step}", kind.replace('_', " ")))
                .collect();
            let _ = writeln!(out, "     deviations: {}", deviations.join("; "));
        }
    }
    out
}
