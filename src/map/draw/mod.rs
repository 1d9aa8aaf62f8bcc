//! Drawing a map: what is shown at a `--min-share`, the colours that carry meaning, and the
//! forms ([`svg`] and its HTML page, [`dot`], [`text`]).

pub mod dot;
pub mod svg;
pub mod text;

use super::layout::{Layout, LayoutNode, layout};
use super::{Edge, Node, ShadowMap};

/// What the drawing shows at `min_share`: node and edge indices into the map. The JSON always
/// has everything; the drawing hides steps and flows taken by fewer sessions than `min_share`
/// (Disco's paths slider). The ends and every planned step stay, so a step never done still
/// shows as one.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub nodes: Vec<usize>,
    pub edges: Vec<usize>,
}

pub fn node_share(map: &ShadowMap, node: &Node) -> f64 {
    node.sessions as f64 / map.sessions.max(1) as f64
}

/// Indices of the nodes and edges shown at `min_share`.
pub fn shown(map: &ShadowMap, min_share: f64) -> Shown {
    let nodes: Vec<usize> = map
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.planned || node_share(map, n) >= min_share)
        .map(|(i, _)| i)
        .collect();
    let visible = |id: &str| nodes.iter().any(|&i| map.nodes[i].id == id);
    let edges = map
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| e.share >= min_share && visible(&e.from) && visible(&e.to))
        .map(|(i, _)| i)
        .collect();
    Shown { nodes, edges }
}

/// Box sizes: wide enough for the label (clipped) and the figures line.
pub const NODE_HEIGHT: f64 = 44.0;
pub const END_HEIGHT: f64 = 28.0;
const CHAR_WIDTH: f64 = 7.0;
pub const LABEL_CHARS: usize = 30;

pub fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The figures line under a step's label: occurrences, median active time against expected.
pub fn figures_line(node: &Node) -> String {
    if node.is_end() {
        return String::new();
    }
    if !node.observed {
        return "never done".to_string();
    }
    let median = node
        .median_active_secs
        .map_or("-".to_string(), |m| format!("{m:.0} s"));
    match node.expected_secs {
        Some(expected) => format!("{}× · median {median} / {expected} s", node.count),
        None => format!("{}× · median {median} · unplanned", node.count),
    }
}

/// The layout of the shown part of a map; `placed[i]` is the place of `shown.nodes[i]`.
pub fn layout_of(map: &ShadowMap, shown: &Shown) -> Layout {
    let nodes: Vec<LayoutNode> = shown
        .nodes
        .iter()
        .map(|&i| {
            let node = &map.nodes[i];
            let chars = clip(&node.label, LABEL_CHARS)
                .chars()
                .count()
                .max(figures_line(node).chars().count());
            let (width, height) = if node.is_end() {
                (90.0, END_HEIGHT)
            } else {
                (
                    (chars as f64 * CHAR_WIDTH + 24.0).clamp(120.0, 260.0),
                    NODE_HEIGHT,
                )
            };
            LayoutNode {
                width,
                height,
                rank: map.ranks.get(&node.id).copied(),
            }
        })
        .collect();
    let at = |id: &str| shown.nodes.iter().position(|&i| map.nodes[i].id == id);
    let edges: Vec<(usize, usize, u64)> = shown
        .edges
        .iter()
        .filter_map(|&e| {
            let edge = &map.edges[e];
            Some((at(&edge.from)?, at(&edge.to)?, edge.count))
        })
        .collect();
    layout(&nodes, &edges)
}

/// How a step's median active time compares with its expected time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// At or under expected.
    OnTime,
    /// Up to 50 % over (the comparator's default time tolerance).
    Over,
    /// More than 50 % over.
    FarOver,
    /// No expected time (unplanned) or no occurrence.
    Unknown,
}

pub fn pace(node: &Node) -> Pace {
    match node.time_ratio() {
        Some(r) if r <= 1.0 => Pace::OnTime,
        Some(r) if r <= 1.5 => Pace::Over,
        Some(_) => Pace::FarOver,
        None => Pace::Unknown,
    }
}

/// Fill and stroke colours of a node.
pub fn node_colours(node: &Node) -> (&'static str, &'static str) {
    if node.is_end() {
        return ("#2d3748", "#2d3748");
    }
    if !node.observed {
        return ("#ffffff", "#718096");
    }
    if !node.planned {
        return ("#ede7f6", "#6b46c1");
    }
    match pace(node) {
        Pace::OnTime => ("#def7e5", "#2f855a"),
        Pace::Over => ("#fff3cd", "#b7791f"),
        Pace::FarOver => ("#fde2e1", "#c53030"),
        Pace::Unknown => ("#edf2f7", "#4a5568"),
    }
}

pub const CONFORMING_COLOUR: &str = "#2b4c7e";
pub const UNTAKEN_COLOUR: &str = "#a0aec0";

/// A deviating edge's colour: from orange (rare) to deep red (every session), by its share.
pub fn deviating_colour(share: f64) -> String {
    let share = share.clamp(0.0, 1.0);
    let hue = 38.0 * (1.0 - share);
    let light = 52.0 - 17.0 * share;
    format!("hsl({hue:.0}, 85%, {light:.0}%)")
}

/// The stroke width of an edge: 1 to 9 px by its count against the busiest edge.
pub fn edge_width(edge: &Edge, max_count: u64) -> f64 {
    if edge.count == 0 {
        return 1.0;
    }
    1.0 + 8.0 * (edge.count as f64 / max_count.max(1) as f64).sqrt()
}

/// The anchor of a step on a pathway's map in HTML (report findings link to it).
pub fn anchor(pathway: &str, step: &str) -> String {
    let slug = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    };
    format!("map-{}-{}", slug(pathway), slug(step))
}

/// A share as a percentage for people.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p > 0.0 && p < 1.0 {
        "<1%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

pub use crate::text::counted;
