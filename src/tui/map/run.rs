//! The map screen's loop: stamped keys in, actions through `update`, effects run here (the
//! replay of a session at a moment), one draw per drained batch.

use std::collections::HashMap;
use std::io;
use std::path::PathBuf;

use crossterm::event::{Event, KeyCode, KeyModifiers};

use super::draw::draw;
use super::keys::key_to_action;
use super::update::update;
use super::{Effect, MapState};
use crate::map::ShadowMap;
use crate::model::{Pathway, Session};
use crate::tui::replay::{self, ReplayData, ReplayState};
use crate::tui::terminal::{Input, Tui, enter};

/// Runs the map screen until the user leaves it. `sessions`: each session id on the map and its
/// file, for the replay.
pub fn run(map: ShadowMap, pathway: Pathway, sessions: HashMap<String, PathBuf>) -> io::Result<()> {
    let mut state = MapState::new(map);
    let mut tui = enter()?;
    let input = Input::spawn();
    tui.draw(|f| draw(&state, f))?;
    while let Ok(first) = input.recv() {
        let batch: Vec<_> = std::iter::once(first).chain(input.drain()).collect();
        for (_, event) in batch {
            let Event::Key(key) = event else { continue };
            if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
                return Ok(());
            }
            let Some(action) = key_to_action(&state, key) else {
                continue;
            };
            for effect in update(&mut state, action) {
                match effect {
                    Effect::Quit => return Ok(()),
                    Effect::Replay { session, at_ms } => {
                        if let Err(problem) =
                            replay_at(&mut tui, &input, &pathway, sessions.get(&session), at_ms)
                        {
                            state.status = format!("cannot replay {session}: {problem}");
                        }
                    }
                }
            }
        }
        tui.draw(|f| draw(&state, f))?;
    }
    Ok(())
}

/// The replay screen on `file`'s session, at `at_ms`; back to the map when it is left.
fn replay_at(
    tui: &mut Tui,
    input: &Input,
    pathway: &Pathway,
    file: Option<&PathBuf>,
    at_ms: u64,
) -> Result<(), String> {
    let file = file.ok_or("its file is not among the sessions read")?;
    let session = Session::load(file).map_err(|e| e.to_string())?;
    let mut state = ReplayState::new(ReplayData::compared(&session, pathway));
    replay::update(&mut state, replay::Action::SeekTo(at_ms), 0);
    // One terminal for both screens: each draw is diffed against the other's last frame.
    replay::run(tui, input, &mut state).map_err(|e| e.to_string())
}
