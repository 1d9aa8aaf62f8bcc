//! The map screen on the shared loop ([`crate::tui::screen::run`]): its effects with I/O run
//! here: the replay of a session at the moment it took a flow, and the suggestion for the
//! map's sessions (read and computed on a thread; the loop's tick collects it).

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Size;

use super::draw::draw;
use super::keys::key_to_action;
use super::update::update;
use super::{Action, Effect, MapState};
use crate::map::ShadowMap;
use crate::model::{Pathway, Session};
use crate::suggest::{Options, Suggestion, Trace, suggest};
use crate::tui::replay::{self, ReplayData, ReplayScreen, ReplayState};
use crate::tui::screen::{Console, Ended, Screen, run as run_screen};

pub struct MapScreen {
    pub state: MapState,
    pathway: Pathway,
    /// Each session id on the map and its file, for the replay and the suggestion.
    sessions: HashMap<String, PathBuf>,
    /// Mask what the sessions wrote in the suggestion, as the map itself was masked.
    redact: bool,
    /// The suggestion being computed, until it arrives.
    computing: Option<Receiver<Result<Box<Suggestion>, String>>>,
}

/// How often the loop looks for the suggestion while it is computed.
const POLL: Duration = Duration::from_millis(50);

impl MapScreen {
    pub fn new(map: ShadowMap, pathway: Pathway, sessions: HashMap<String, PathBuf>) -> MapScreen {
        MapScreen {
            state: MapState::new(map),
            pathway,
            sessions,
            redact: false,
            computing: None,
        }
    }

    /// Its suggestion masks what the sessions wrote (`--redact`).
    pub fn redacted(mut self, redact: bool) -> MapScreen {
        self.redact = redact;
        self
    }

    /// Starts computing the suggestion on a thread.
    fn start_suggestion(&mut self) {
        let mut files: Vec<PathBuf> = self.sessions.values().cloned().collect();
        // In file order, as `shadowmap suggest` reads a folder.
        files.sort();
        let pathway = self.pathway.clone();
        let redact = self.redact;
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            // The screen may be gone by then: nobody to tell.
            _ = send.send(suggestion_for(&pathway, &files, redact));
        });
        self.computing = Some(receive);
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
                Effect::Suggest => self.start_suggestion(),
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

    fn tick(&mut self, _now: Instant) -> Option<Duration> {
        let receive = self.computing.as_ref()?;
        let result = match receive.try_recv() {
            Ok(result) => result,
            Err(TryRecvError::Empty) => return Some(POLL),
            Err(TryRecvError::Disconnected) => Err("the computation stopped".to_string()),
        };
        self.computing = None;
        update(&mut self.state, Action::Suggested(result));
        None
    }

    fn resized(&mut self, size: Size) {
        self.state.size = (size.width, size.height);
    }
}

/// The suggestion `shadowmap suggest` makes with its default options for these session
/// files against `pathway`; Err says which file could not be read, or why none was made.
pub fn suggestion_for(
    pathway: &Pathway,
    files: &[PathBuf],
    redact: bool,
) -> Result<Box<Suggestion>, String> {
    let traces = files
        .iter()
        .map(|file| {
            Session::load(file)
                .map(|session| Trace::from_session(&session))
                .map_err(|e| format!("{}: {e}", file.display()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut suggestion =
        suggest(pathway, &traces, &Options::default()).map_err(|e| e.to_string())?;
    if redact {
        suggestion.redact(&crate::report::render::mask);
    }
    Ok(Box::new(suggestion))
}

/// The map screen on a console already open (browse and the report screen open it this way),
/// with `step` selected when given.
pub fn show(
    console: &mut Console,
    map: ShadowMap,
    pathway: Pathway,
    sessions: HashMap<String, PathBuf>,
    step: Option<&str>,
    redact: bool,
) -> io::Result<Ended<()>> {
    let mut screen = MapScreen::new(map, pathway, sessions).redacted(redact);
    if let Some(step) = step {
        screen.state.select_step(step);
    }
    run_screen(&mut screen, console)
}

/// `map --tui`: the map screen on its own console.
pub fn run(map: ShadowMap, pathway: Pathway, sessions: HashMap<String, PathBuf>) -> io::Result<()> {
    let mut console = Console::open()?;
    show(&mut console, map, pathway, sessions, None, false)?;
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
    // Without `--pathway` the sessions' own pathways are used, a site pathway file among
    // the inputs first (as `map` reads them); then the map of `pathway_id` is taken.
    let options = MapOptions {
        pathway: against.map(str::to_string),
        every_session: against.is_some(),
        ..MapOptions::default()
    };
    let prepared = build_maps(&source.files, &options)
        .map_err(|e| e.to_string())
        .and_then(|set| {
            let wanted = match against {
                Some(_) => set
                    .maps
                    .first()
                    .map(|m| m.pathway.clone())
                    .unwrap_or_default(),
                None => pathway_id.to_string(),
            };
            let (mut map, pathway, files) = set
                .take(&wanted)
                .ok_or_else(|| format!("{pathway_id}: no session to map"))?;
            if source.redact {
                map.redact(&crate::report::render::mask);
            }
            Ok((map, pathway, files.into_iter().collect()))
        });
    match prepared {
        Ok((map, pathway, sessions)) => {
            show(console, map, pathway, sessions, step, source.redact).map(Ok)
        }
        Err(why) => Ok(Err(why)),
    }
}
