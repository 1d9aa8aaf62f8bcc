//! The offer to continue or finish an unfinished session, before capture. Key ->
//! [`ResumeAction`] (`keys.rs`) -> [`update`] (`update.rs`, pure) -> a [`ResumeOutcome`] the
//! capture command acts on -> [`draw`] (`draw.rs`, reads only).

mod draw;
pub mod keys;
mod update;

use chrono::{DateTime, FixedOffset};

pub use draw::draw;
pub use keys::key_to_action;
pub use update::update;

/// An unfinished session found at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub id: String,
    pub started_at: DateTime<FixedOffset>,
    pub clinician: String,
    pub pathway_id: String,
    pub events: usize,
    /// Recovery dropped damage (a torn last record) from its journal.
    pub recovered: bool,
    /// Another running shadowmap holds its writer lock: it is being captured right now.
    pub in_use: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeMenu {
    pub sessions: Vec<Unfinished>,
    pub selected: usize,
    /// Why the last choice was refused (a session another shadowmap is capturing).
    pub message: Option<String>,
}

/// What a key on the menu means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResumeAction {
    Up,
    Down,
    /// Select the n-th session shown (0-based).
    Select(usize),
    Continue,
    FinishAsIs,
    New,
    Quit,
}

/// What the capture command does after an action (the menu's effect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResumeOutcome {
    Choosing,
    Continue(String),
    FinishAsIs(String),
    New,
    Quit,
}

/// What the resume menu says of a session another running shadowmap is capturing.
pub fn in_use_message(id: &str) -> String {
    format!(
        "another shadowmap is capturing session {id} right now: go on there, or close it \
         (q, or Ctrl-C) and come back"
    )
}

impl ResumeMenu {
    pub fn new(sessions: Vec<Unfinished>) -> ResumeMenu {
        ResumeMenu {
            sessions,
            selected: 0,
            message: None,
        }
    }
}

#[cfg(test)]
mod tests;
