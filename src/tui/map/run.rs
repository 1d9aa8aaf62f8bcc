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

/// What a map opened from another screen is drawn from: session files, the `--pathway`
/// argument every session is compared with (None: each finding's or session's own pathway),
/// and whether to redact (`--redact`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapSource {
    pub files: Vec<PathBuf>,
    pub against: Option<String>,
    pub redact: bool,
}

/// The map of `source`'s sessions that `pathway_id` (or `source.against`, every session
/// compared with it) covers, opened on `console` with `step` selected. Browse and the report
/// screen open it this way. Err: why there is no map.
pub fn open_for(
    console: &mut Console,
    source: &MapSource,
    pathway_id: &str,
    step: Option<&str>,
) -> io::Result<Result<Ended<()>, String>> {
    use crate::map::load::{MapOptions, build_maps};
    let against = source.against.as_deref();
    let options = MapOptions {
        pathway: Some(against.unwrap_or(pathway_id).to_string()),
        every_session: against.is_some(),
        ..MapOptions::default()
    };
    let prepared = build_maps(&source.files, &options)
        .map_err(|e| e.to_string())
        .and_then(|mut set| {
            let mut map = set.maps.pop().ok_or("no session to map")?;
            if source.redact {
                map.redact(&crate::report::render::mask);
            }
            let pathway = crate::compare::load_pathway(against.unwrap_or(pathway_id))
                .map_err(|e| e.to_string())?;
            Ok((map, pathway, set.files.into_iter().collect()))
        });
    match prepared {
        Ok((map, pathway, sessions)) => show(console, map, pathway, sessions, step).map(Ok),
        Err(why) => Ok(Err(why)),
    }
}
