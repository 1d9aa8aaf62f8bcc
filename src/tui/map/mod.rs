//! The map screen: the steps in the pathway's order, each with where people come from and go
//! next (share, conforming or not) and its figures; `Enter` on a flow that leaves the pathway
//! lists the sessions that took it, and `r` replays one of them at that moment.
//!
//! `keys.rs` (the key table -> [`Action`]), `update.rs` (pure: state, action -> effects),
//! `draw.rs` (reads only).

pub mod draw;
pub mod keys;
pub mod run;
pub mod update;

use crate::map::ShadowMap;

/// Which list the arrows move in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Steps,
    Flows,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Map,
    /// The sessions that took a deviating flow (`edge` indexes the map's edges).
    Sessions {
        edge: usize,
        selected: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    /// Steps <-> flows.
    SwitchFocus,
    /// Into the flows of a step; on a deviating flow, its sessions.
    Open,
    /// Back out one level (leaves the screen from the steps list).
    Back,
    /// Replay the selected session at the moment it took the flow.
    Replay,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open the replay of `session` at `at_ms` (ms from its start).
    Replay {
        session: String,
        at_ms: u64,
    },
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapState {
    pub map: ShadowMap,
    /// Node indices of the steps, in the map's order (pathway order, then unplanned steps).
    pub steps: Vec<usize>,
    pub selected: usize,
    pub focus: Focus,
    /// Index into [`MapState::flows`].
    pub flow: usize,
    pub mode: Mode,
    pub status: String,
}

impl MapState {
    pub fn new(map: ShadowMap) -> MapState {
        let steps = map
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.is_end())
            .map(|(i, _)| i)
            .collect();
        MapState {
            map,
            steps,
            selected: 0,
            focus: Focus::Steps,
            flow: 0,
            mode: Mode::Map,
            status: String::new(),
        }
    }

    /// Selects the step `id` (when it is on the map).
    pub fn select_step(&mut self, id: &str) {
        if let Some(k) = self.steps.iter().position(|&i| self.map.nodes[i].id == id) {
            self.selected = k;
            self.flow = 0;
        }
    }

    /// The selected step's id.
    pub fn step_id(&self) -> Option<&str> {
        self.steps
            .get(self.selected)
            .map(|&i| self.map.nodes[i].id.as_str())
    }

    /// Where people come from (taken flows into the step, most taken first), then where they
    /// go next (out of it): edge indices.
    pub fn flows(&self) -> (Vec<usize>, Vec<usize>) {
        let Some(id) = self.step_id() else {
            return (Vec::new(), Vec::new());
        };
        let by_count = |mut v: Vec<usize>| {
            v.sort_by(|&a, &b| self.map.edges[b].count.cmp(&self.map.edges[a].count));
            v
        };
        let taken = |e: &&crate::map::Edge| e.count > 0;
        let incoming = self
            .map
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.to == id && taken(e))
            .map(|(i, _)| i)
            .collect();
        let outgoing = self
            .map
            .edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.from == id && taken(e))
            .map(|(i, _)| i)
            .collect();
        (by_count(incoming), by_count(outgoing))
    }

    /// The flows in list order: incoming, then outgoing.
    pub fn flow_list(&self) -> Vec<usize> {
        let (incoming, outgoing) = self.flows();
        incoming.into_iter().chain(outgoing).collect()
    }

    /// The selected flow's edge index, when the flows have the focus.
    pub fn selected_flow(&self) -> Option<usize> {
        (self.focus == Focus::Flows)
            .then(|| self.flow_list().get(self.flow).copied())
            .flatten()
    }
}

#[cfg(test)]
mod tests;
