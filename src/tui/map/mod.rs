//! The map screen: the steps in the pathway's order, each with where people come from and go
//! next (share, conforming or not) and its figures; `Enter` on a flow that leaves the pathway
//! lists the sessions that took it, and `r` replays one of them at that moment; `s` shows the
//! pathway the map's sessions suggest (docs/suggest.md), computed by an effect off the draw path.
//!
//! `keys.rs` (the key table -> [`Action`]), `update.rs` (pure: state, action -> effects),
//! `draw.rs` (reads only).

pub mod draw;
pub mod keys;
pub mod run;
pub mod update;

use crate::map::ShadowMap;
use crate::suggest::Suggestion;

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
    /// The suggestion for the map's sessions, scrolled down `scroll` lines.
    Suggestion {
        scroll: usize,
    },
}

/// The suggestion for the map's sessions: asked for once (`s`), then kept.
#[derive(Debug, Clone, PartialEq)]
pub enum Suggested {
    NotAsked,
    Computing,
    Ready(Box<Suggestion>),
    /// Why there is none (a session that cannot be read, a pathway too large to align).
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
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
    /// The pathway the map's sessions suggest.
    Suggest,
    /// A page up / down (the suggestion).
    PageUp,
    PageDown,
    /// The key help, on and off.
    Help,
    /// The suggestion, computed (the loop's effect reports back with it).
    Suggested(Result<Box<Suggestion>, String>),
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open the replay of `session` at `at_ms` (ms from its start).
    Replay {
        session: String,
        at_ms: u64,
    },
    /// Compute the suggestion for the map's sessions (off the draw path; it reports back with
    /// [`Action::Suggested`]).
    Suggest,
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
    pub suggested: Suggested,
    /// The key help is shown over the screen.
    pub help: bool,
    /// The terminal's size (columns, rows), for the suggestion's lines and pages.
    pub size: (u16, u16),
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
            suggested: Suggested::NotAsked,
            help: false,
            size: (100, 30),
        }
    }

    /// The suggestion's text as the screen shows it: the lines `shadowmap suggest` prints,
    /// long ones wrapped to the panel (keeping their indent), or what is happening instead.
    pub fn suggestion_lines(&self) -> Vec<String> {
        let width = self.suggestion_width();
        let text = match &self.suggested {
            Suggested::NotAsked => String::new(),
            Suggested::Computing => format!(
                "Computing the suggestion from {} ...",
                crate::map::draw::counted(self.map.sessions, "session", "sessions")
            ),
            Suggested::Failed(why) => format!("No suggestion: {why}"),
            Suggested::Ready(s) => crate::suggest::text::render_text(s),
        };
        // Ids, sites and labels come from files anyone may have written.
        let text = crate::text::escape_controls(&text);
        let mut lines = Vec::new();
        for line in text.lines() {
            if line.chars().count() <= width {
                lines.push(line.to_string());
                continue;
            }
            let body = line.trim_start_matches(' ');
            let indent = (line.len() - body.len()).min(width / 2);
            let lead = " ".repeat(indent);
            let wrapped = crate::tui::capture::draw::wrap_words(body, width - indent - 2);
            for (i, part) in wrapped.into_iter().enumerate() {
                let more = if i == 0 { "" } else { "  " };
                lines.push(format!("{lead}{more}{part}"));
            }
        }
        lines
    }

    /// The width of the suggestion's text (the panel inside its borders).
    pub fn suggestion_width(&self) -> usize {
        usize::from(self.size.0.saturating_sub(2)).max(20)
    }

    /// The rows of the suggestion's text shown at once.
    pub fn suggestion_page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(5)).max(1)
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
