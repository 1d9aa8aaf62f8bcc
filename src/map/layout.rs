//! A small layered layout (after Sugiyama): layers from the pathway's order, order within layers
//! by barycentre sweeps, coordinates packed left to right and centred.
//!
//! Written here rather than taken from a layout crate because the layers are not the graph's
//! own: a planned step sits on the layer of its place in the pathway (an `AnyOrder` group's
//! members side by side), whatever the sessions did, so the map reads top to bottom as the
//! pathway does and a deviation shows as an edge going the wrong way. Unplanned steps go half a
//! layer after the step they most often follow.

/// A node to place.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutNode {
    pub width: f64,
    pub height: f64,
    /// The planned layer (the pathway element's place), `None` for an unplanned step.
    pub rank: Option<usize>,
}

/// A node's place: its box's top-left corner and size, and its layer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub layer: usize,
}

impl Placed {
    pub fn center_x(&self) -> f64 {
        self.x + self.width / 2.0
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    /// The boxes share some area (touching edges do not count).
    pub fn overlaps(&self, other: &Placed) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub nodes: Vec<Placed>,
    pub width: f64,
    pub height: f64,
    pub layers: usize,
}

impl Layout {
    /// The leftmost and rightmost box edges on layers `low..=high`.
    pub fn extent(&self, low: usize, high: usize) -> (f64, f64) {
        self.nodes
            .iter()
            .filter(|p| (low..=high).contains(&p.layer))
            .fold((f64::MAX, f64::MIN), |(l, r), p| {
                (l.min(p.x), r.max(p.right()))
            })
    }
}

pub const MARGIN: f64 = 24.0;
pub const GAP_X: f64 = 64.0;
pub const GAP_Y: f64 = 64.0;
/// Room kept on each side of the widest layer: edges that skip layers go round the right,
/// edges that go back up round the left.
pub const SIDE_ROOM: f64 = 110.0;

/// Lays out `nodes` with `edges` (`from`, `to`, weight).
pub fn layout(nodes: &[LayoutNode], edges: &[(usize, usize, u64)]) -> Layout {
    let keys = layer_keys(nodes, edges);
    // Layers: the distinct keys in order.
    let mut distinct: Vec<f64> = keys.clone();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let layer_of: Vec<usize> = keys
        .iter()
        .map(|k| {
            distinct
                .iter()
                .position(|d| d == k)
                .expect("a key of the list")
        })
        .collect();
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); distinct.len()];
    for (node, &layer) in layer_of.iter().enumerate() {
        layers[layer].push(node);
    }
    order_layers(&mut layers, &layer_of, edges);

    // Coordinates: each layer packed and centred on the widest one.
    let row_width = |row: &[usize]| -> f64 {
        row.iter().map(|&n| nodes[n].width).sum::<f64>()
            + GAP_X * row.len().saturating_sub(1) as f64
    };
    let widest = layers.iter().map(|r| row_width(r)).fold(0.0, f64::max);
    let mut placed = vec![
        Placed {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0,
            layer: 0
        };
        nodes.len()
    ];
    let mut y = MARGIN;
    for (layer, row) in layers.iter().enumerate() {
        let height = row.iter().map(|&n| nodes[n].height).fold(0.0, f64::max);
        let mut x = MARGIN + SIDE_ROOM + (widest - row_width(row)) / 2.0;
        for &n in row {
            placed[n] = Placed {
                x,
                y: y + (height - nodes[n].height) / 2.0,
                width: nodes[n].width,
                height: nodes[n].height,
                layer,
            };
            x += nodes[n].width + GAP_X;
        }
        y += height + GAP_Y;
    }
    Layout {
        nodes: placed,
        width: MARGIN * 2.0 + widest + SIDE_ROOM * 2.0,
        height: y - GAP_Y + MARGIN,
        layers: layers.len(),
    }
}

/// A sortable layer key per node: `rank` for a planned node; for an unplanned one, half a layer
/// after its heaviest placed predecessor (else half a layer before its heaviest placed
/// successor, else just after the start).
fn layer_keys(nodes: &[LayoutNode], edges: &[(usize, usize, u64)]) -> Vec<f64> {
    let mut keys: Vec<Option<f64>> = nodes.iter().map(|n| n.rank.map(|r| r as f64)).collect();
    let heaviest = |keys: &[Option<f64>], node: usize, incoming: bool| -> Option<f64> {
        edges
            .iter()
            .filter(|&&(a, b, _)| a != b && if incoming { b == node } else { a == node })
            .filter_map(|&(a, b, w)| {
                let other = if incoming { a } else { b };
                keys[other].map(|k| (w, k))
            })
            .max_by(|x, y| x.0.cmp(&y.0).then_with(|| y.1.total_cmp(&x.1)))
            .map(|(_, k)| k)
    };
    for _ in 0..nodes.len() {
        let mut changed = false;
        for node in 0..nodes.len() {
            if keys[node].is_some() {
                continue;
            }
            if let Some(k) = heaviest(&keys, node, true) {
                keys[node] = Some(k + 0.5);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for node in 0..nodes.len() {
        if keys[node].is_none() {
            keys[node] = Some(heaviest(&keys, node, false).map_or(0.5, |k| k - 0.5));
        }
    }
    keys.into_iter().map(|k| k.unwrap_or(0.5)).collect()
}

/// Orders each layer by the barycentre of its neighbours on other layers, sweeping down then
/// up a few times (a stable sort, so ties keep the given order: the pathway's).
fn order_layers(layers: &mut [Vec<usize>], layer_of: &[usize], edges: &[(usize, usize, u64)]) {
    let n = layer_of.len();
    let mut neighbours: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        if a != b && a < n && b < n {
            let weight = 1.0 + (w as f64).ln_1p();
            neighbours[a].push((b, weight));
            neighbours[b].push((a, weight));
        }
    }
    let mut position = vec![0.0f64; n];
    let place = |layers: &[Vec<usize>], position: &mut [f64]| {
        for row in layers {
            let middle = (row.len() as f64 - 1.0) / 2.0;
            for (i, &node) in row.iter().enumerate() {
                position[node] = i as f64 - middle;
            }
        }
    };
    place(layers, &mut position);
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for layer in range {
            let mut keyed: Vec<(f64, usize)> = layers[layer]
                .iter()
                .map(|&node| {
                    let (sum, weight) = neighbours[node]
                        .iter()
                        .filter(|(other, _)| {
                            if down {
                                layer_of[*other] < layer
                            } else {
                                layer_of[*other] > layer
                            }
                        })
                        .fold((0.0, 0.0), |(s, w), &(other, wt)| {
                            (s + position[other] * wt, w + wt)
                        });
                    let key = if weight > 0.0 {
                        sum / weight
                    } else {
                        position[node]
                    };
                    (key, node)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[layer] = keyed.into_iter().map(|(_, node)| node).collect();
            let middle = (layers[layer].len() as f64 - 1.0) / 2.0;
            for (i, &node) in layers[layer].iter().enumerate() {
                position[node] = i as f64 - middle;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(rank: Option<usize>) -> LayoutNode {
        LayoutNode {
            width: 120.0,
            height: 40.0,
            rank,
        }
    }

    #[test]
    fn planned_nodes_follow_the_pathway_top_to_bottom() {
        let nodes = vec![node(Some(0)), node(Some(1)), node(Some(2)), node(Some(3))];
        let edges = vec![(0, 2, 5), (2, 1, 5), (1, 3, 5)];
        let l = layout(&nodes, &edges);
        assert_eq!(l.layers, 4);
        let ys: Vec<f64> = l.nodes.iter().map(|p| p.y).collect();
        assert!(ys[0] < ys[1] && ys[1] < ys[2] && ys[2] < ys[3], "{ys:?}");
    }

    #[test]
    fn group_members_share_a_layer_and_never_overlap() {
        let nodes = vec![
            node(Some(0)),
            node(Some(1)),
            node(Some(1)),
            node(Some(1)),
            node(Some(2)),
        ];
        let edges = vec![(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 4, 1)];
        let l = layout(&nodes, &edges);
        assert_eq!(l.nodes[1].layer, l.nodes[2].layer);
        assert_eq!(l.nodes[2].layer, l.nodes[3].layer);
        for i in 0..nodes.len() {
            for j in i + 1..nodes.len() {
                assert!(!l.nodes[i].overlaps(&l.nodes[j]), "{i} and {j} overlap");
            }
        }
        assert!(
            l.nodes
                .iter()
                .all(|p| p.right() <= l.width && p.bottom() <= l.height)
        );
    }

    #[test]
    fn an_unplanned_step_goes_after_its_heaviest_predecessor() {
        // 0 -> 1 -> 2 -> 3, and the unplanned 4 mostly after 2, once after 1.
        let nodes = vec![
            node(Some(0)),
            node(Some(1)),
            node(Some(2)),
            node(Some(3)),
            node(None),
        ];
        let edges = vec![
            (0, 1, 9),
            (1, 2, 9),
            (2, 3, 9),
            (2, 4, 6),
            (1, 4, 1),
            (4, 3, 6),
        ];
        let l = layout(&nodes, &edges);
        assert!(l.nodes[4].layer > l.nodes[2].layer);
        assert!(l.nodes[4].layer < l.nodes[3].layer);
    }

    #[test]
    fn barycentre_ordering_untangles_two_chains() {
        // Two parallel chains given crossed on the middle layer: a0->a1, b0->b1 with the
        // middle layer listed as b1, a1.
        let nodes = vec![node(Some(0)), node(Some(0)), node(Some(1)), node(Some(1))];
        let edges = vec![(0, 3, 1), (1, 2, 1)];
        let l = layout(&nodes, &edges);
        let left_first = l.nodes[0].x < l.nodes[1].x;
        assert_eq!(left_first, l.nodes[3].x < l.nodes[2].x, "{:?}", l.nodes);
    }
}
