//! The report screen: the ranked findings; select one, press `c` to pick a cause from a
//! one-key menu, type who and why, and the override is saved (atomically) to the overrides
//! file beside the sessions. Key -> action (`keys.rs`) -> [`update`] (`update.rs`, pure, the
//! clock passed in) -> effects (the overrides file, written here by [`ReportScreen`]) ->
//! [`draw`] (`draw.rs`, reads only).

mod draw;
pub mod keys;
pub mod rounds;
mod update;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crossterm::event::KeyEvent;
use ratatui::Frame;

use crate::model::Cause;
use crate::report::{Finding, Overrides};
use crate::rounds::Rounds;

pub use draw::draw;
pub use keys::key_to_action;
pub use rounds::RoundsView;
pub use update::update;

use super::screen::{Console, Ended, Screen};

/// The one-key cause menu: key, cause.
pub const CAUSE_KEYS: [(char, Cause); 5] = [
    ('t', Cause::Training),
    ('d', Cause::Design),
    ('i', Cause::Integration),
    ('f', Cause::Infrastructure),
    ('p', Cause::Policy),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    List,
    PickCause,
    Who { cause: Cause },
    Why { cause: Cause, who: String },
}

/// What the screen shows: the findings, or (given `--split`) the audit rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Findings,
    Rounds,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub findings: Vec<Finding>,
    /// The rounds, when the screen was started with `--split`.
    pub rounds: Option<RoundsView>,
    pub view: View,
    pub overrides: Overrides,
    pub overrides_path: PathBuf,
    pub selected: usize,
    pub mode: Mode,
    /// The text being typed (who, then why).
    pub input: String,
    /// The last name typed, offered again.
    pub last_who: String,
    pub status: String,
    pub quit: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    OpenCauseMenu,
    PickCause(Cause),
    /// Remove the selected finding's override (back to the suggested cause).
    RemoveOverride,
    /// The shadow map of the selected finding's pathway, at its step.
    OpenMap,
    Char(char),
    /// A paste: text for the open field, never keys.
    Paste(String),
    Backspace,
    Submit,
    Cancel,
    Quit,
    /// Between the findings and the rounds view.
    ToggleRounds,
    /// The rounds view: the previous / next comparison.
    PreviousComparison,
    NextComparison,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the overrides file (atomically), then call [`State::saved`].
    SaveOverrides(Overrides),
    /// Open the map of this finding's pathway (index into `findings`) at its step.
    OpenMap(usize),
}

impl State {
    pub fn new(findings: Vec<Finding>, overrides: Overrides, overrides_path: &Path) -> State {
        State {
            findings,
            rounds: None,
            view: View::Findings,
            overrides,
            overrides_path: overrides_path.to_path_buf(),
            selected: 0,
            mode: Mode::List,
            input: String::new(),
            last_who: String::new(),
            status: String::new(),
            quit: false,
        }
    }

    pub fn current(&self) -> Option<&Finding> {
        self.findings.get(self.selected)
    }

    /// What the effect runner reports after writing the file.
    pub fn saved(&mut self, result: Result<(), String>) {
        self.status = match result {
            Ok(()) => format!("saved {}", self.overrides_path.display()),
            Err(e) => format!(
                "could not save {}: {e} (the override is kept on screen; try again)",
                self.overrides_path.display()
            ),
        };
    }

    /// Applies the overrides to the findings on screen.
    pub(crate) fn apply_overrides(&mut self) {
        for f in &mut self.findings {
            match self.overrides.get(&f.id) {
                Some(o) => {
                    f.cause = o.cause;
                    f.overridden = Some(o.clone());
                }
                None => {
                    f.cause = f.suggested_cause;
                    f.overridden = None;
                }
            }
        }
    }
}

/// The report screen on the shared loop; it writes the overrides file, and nothing else does.
pub struct ReportScreen {
    pub state: State,
    /// What the map of a finding is drawn from: the report's sessions and options.
    pub map_source: crate::tui::map::run::MapSource,
}

impl Screen for ReportScreen {
    type Action = Action;
    type Effect = Effect;
    type Exit = ();

    fn action(&self, key: KeyEvent) -> Option<Action> {
        key_to_action(&self.state, key)
    }

    fn paste(&self, text: &str) -> Option<Action> {
        matches!(self.state.mode, Mode::Who { .. } | Mode::Why { .. })
            .then(|| Action::Paste(text.to_string()))
    }

    /// An override is stamped with the wall clock of the moment it is saved.
    fn update(&mut self, action: Action, _at: Instant) -> Vec<Effect> {
        update(&mut self.state, action, chrono::Local::now().fixed_offset())
    }

    fn run_effects(
        &mut self,
        effects: Vec<Effect>,
        console: &mut Console,
    ) -> io::Result<Option<Ended<()>>> {
        for effect in effects {
            match effect {
                Effect::OpenMap(index) => {
                    let finding = &self.state.findings[index];
                    match crate::tui::map::run::open_for(
                        console,
                        &self.map_source,
                        &finding.pathway,
                        Some(&finding.step),
                    )? {
                        Ok(Ended::Interrupted(why)) => return Ok(Some(Ended::Interrupted(why))),
                        Ok(Ended::Done(())) => {}
                        Err(why) => self.state.status = format!("no map: {why}"),
                    }
                }
                Effect::SaveOverrides(overrides) => {
                    let result = overrides
                        .save(&self.state.overrides_path)
                        .map_err(|e| e.to_string());
                    self.state.saved(result);
                }
            }
        }
        Ok(self.state.quit.then_some(Ended::Done(())))
    }

    fn draw(&self, frame: &mut Frame) {
        draw(&self.state, frame, frame.area());
    }
}

/// Runs the screen until the auditor quits. Saves the overrides file on each change.
/// `map_source`: what the map of a finding (`m`) is drawn from. With `rounds` (`--split`),
/// the rounds view is one key away and shown first.
pub fn run(
    findings: Vec<Finding>,
    overrides: Overrides,
    path: &Path,
    map_source: crate::tui::map::run::MapSource,
    rounds: Option<Rounds>,
) -> io::Result<()> {
    let mut console = Console::open()?;
    let mut state = State::new(findings, overrides, path);
    if let Some(rounds) = rounds {
        state.rounds = Some(RoundsView::new(rounds));
        state.view = View::Rounds;
    }
    let mut screen = ReportScreen { state, map_source };
    super::screen::run(&mut screen, &mut console)?;
    Ok(())
}

#[cfg(test)]
mod tests;
