//! The map screen on the shared loop ([`crate::tui::screen::run`]): its one effect with I/O,
//! the replay of a session at the moment it took a flow, runs here.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::time::Instant;

use crossterm::event::KeyEvent;
use ratatui::Frame;

use super::draw::draw;
use super::keys::key_to_action;
use super::update::update;
use super::{Action, Effect, MapState};
use crate::map::ShadowMap;
use crate::model::{Pathway, Session};
use crate::tui::replay::{self, ReplayData, ReplayScreen, ReplayState};
use crate::tui::screen::{Console, Ended, Screen, run as run_screen};

pub struct MapScreen {
    pub state: MapState,
    pathway: Pathway,
    /// Each session id on the map and its file, for the replay.
    sessions: HashMap<String, PathBuf>,
}

impl MapScreen {
    pub fn new(map: ShadowMap, pathway: Pathway, sessions: HashMap<String, PathBuf>) -> MapScreen {
        MapScreen {
            state: MapState::new(map),
            pathway,
            sessions,
        }
    }

    /// The replay screen on `session`, at `at_ms`; back here when it is left.
    fn replay(
        &self,
        console: &mut Console,
        session: &str,
        at_ms: u64,
    ) -> Result<Ended<()>, String> {
        let file = self
            .sessions
            .get(session)
            .ok_or("its file is not among the sessions read")?;
        let session = Session::load(file).map_err(|e| e.to_string())?;
        let mut state = ReplayState::new(ReplayData::compared(&session, &self.pathway));
        replay::update(&mut state, replay::Action::SeekTo(at_ms), 0);
        run_screen(&mut ReplayScreen::new(state), console).map_err(|e| e.to_string())
    }
}

impl Screen for MapScreen {
    type Action = Action;
    type Effect = Effect;
    type Exit = ();

    fn action(&self, key: KeyEvent) -> Option<Action> {
        key_to_action(&self.state, key)
    }

    fn update(&mut self, action: Action, _at: Instant) -> Vec<Effect> {
        update(&mut self.state, action)
    }

    fn run_effects(
        &mut self,
        effects: Vec<Effect>,
        console: &mut Console,
    ) -> io::Result<Option<Ended<()>>> {
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(Some(Ended::Done(()))),
                Effect::Replay { session, at_ms } => match self.replay(console, &session, at_ms) {
                    Ok(Ended::Interrupted(why)) => return Ok(Some(Ended::Interrupted(why))),
                    Ok(Ended::Done(())) => {}
                    Err(problem) => {
                        self.state.status = format!("cannot replay {session}: {problem}");
                    }
                },
            }
        }
        Ok(None)
    }

    fn draw(&self, frame: &mut Frame) {
        draw(&self.state, frame, frame.area());
    }
}

/// The map screen on a console already open (browse and the report screen open it this way),
/// with `step` selected when given.
pub fn show(
    console: &mut Console,
    map: ShadowMap,
    pathway: Pathway,
    sessions: HashMap<String, PathBuf>,
    step: Option<&str>,
) -> io::Result<Ended<()>> {
    let mut screen = MapScreen::new(map, pathway, sessions);
    if let Some(step) = step {
        screen.state.select_step(step);
    }
    run_screen(&mut screen, console)
}

/// `map --tui`: the map screen on its own console.
pub fn run(map: ShadowMap, pathway: Pathway, sessions: HashMap<String, PathBuf>) -> io::Result<()> {
    let mut console = Console::open()?;
    show(&mut console, map, pathway, sessions, None)?;
    Ok(())
}
