//! The map in Graphviz's DOT language, for users who have Graphviz (`dot -Tsvg`).

use std::fmt::Write;

use super::super::ShadowMap;
use super::{
    CONFORMING_COLOUR, UNTAKEN_COLOUR, clip, deviating_colour, edge_width, figures_line,
    node_colours, percent, shown,
};

/// A DOT string literal.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn dot(map: &ShadowMap, min_share: f64) -> String {
    let shown = shown(map, min_share);
    let max_count = shown
        .edges
        .iter()
        .map(|&e| map.edges[e].count)
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "digraph {} {{",
        quote(&format!("shadowmap {}", map.pathway))
    );
    let _ = writeln!(
        out,
        "  label={}; labelloc=t; rankdir=TB; fontname=\"Helvetica\";",
        quote(&format!("{} ({} sessions)", map.pathway_name, map.sessions))
    );
    out.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n",
    );
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for &i in &shown.nodes {
        let node = &map.nodes[i];
        let (fill, stroke) = node_colours(node);
        let label = if node.is_end() {
            node.label.clone()
        } else {
            format!("{}\n{}", clip(&node.label, 30), figures_line(node))
        };
        let style = if !node.observed || !node.planned {
            "rounded,filled,dashed"
        } else {
            "rounded,filled"
        };
        let _ = writeln!(
            out,
            "  {} [label={}, fillcolor={}, color={}, fontcolor={}, style={}];",
            quote(&node.id),
            quote(&label),
            quote(fill),
            quote(stroke),
            quote(if node.is_end() { "#ffffff" } else { "#1a202c" }),
            quote(style)
        );
    }
    // The pathway's order: planned steps of one element on one rank.
    let mut by_rank: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
    for &i in &shown.nodes {
        if let Some(&rank) = map.ranks.get(&map.nodes[i].id) {
            by_rank.entry(rank).or_default().push(&map.nodes[i].id);
        }
    }
    for ids in by_rank.values().filter(|ids| ids.len() > 1) {
        let list: Vec<String> = ids.iter().map(|id| quote(id)).collect();
        let _ = writeln!(out, "  {{ rank=same; {}; }}", list.join("; "));
    }
    for &e in &shown.edges {
        let edge = &map.edges[e];
        let (colour, style, label) = if edge.count == 0 {
            (UNTAKEN_COLOUR.to_string(), "dotted", String::new())
        } else if edge.conforming {
            (
                CONFORMING_COLOUR.to_string(),
                "solid",
                edge.count.to_string(),
            )
        } else {
            (
                deviating_colour(edge.share),
                "dashed",
                format!("{} ({})", edge.count, percent(edge.share)),
            )
        };
        let _ = writeln!(
            out,
            "  {} -> {} [label={}, color={}, fontcolor={}, style={}, penwidth={:.1}];",
            quote(&edge.from),
            quote(&edge.to),
            quote(&label),
            quote(&hsl_to_hex(&colour)),
            quote(&hsl_to_hex(&colour)),
            style,
            edge_width(edge, max_count)
        );
    }
    out.push_str("}\n");
    out
}

/// Graphviz knows no `hsl(...)`: converts one to `#rrggbb` (other colours pass through).
fn hsl_to_hex(colour: &str) -> String {
    let Some(inner) = colour
        .strip_prefix("hsl(")
        .and_then(|s| s.strip_suffix(')'))
    else {
        return colour.to_string();
    };
    let parts: Vec<f64> = inner
        .split(',')
        .filter_map(|p| p.trim().trim_end_matches('%').parse().ok())
        .collect();
    let [h, s, l] = parts[..] else {
        return colour.to_string();
    };
    let (s, l) = (s / 100.0, l / 100.0);
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0) % 2.0 - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("#{:02x}{:02x}{:02x}", byte(r), byte(g), byte(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsl_converts_to_hex() {
        assert_eq!(hsl_to_hex("hsl(0, 100%, 50%)"), "#ff0000");
        assert_eq!(hsl_to_hex("hsl(120, 100%, 25%)"), "#008000");
        assert_eq!(hsl_to_hex("#123456"), "#123456");
    }

    #[test]
    fn quotes_are_escaped() {
        assert_eq!(quote("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
