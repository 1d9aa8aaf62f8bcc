//! `shadowmap replay SESSION [--pathway ID|FILE]`: a saved session on a timeline, with the
//! comparator's view beside it. Reads the session and never writes it.

use std::path::PathBuf;

use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use shadowmap::compare::{compare_session, load_pathway};
use shadowmap::model::{Pathway, Session, resolve_pathway};
use shadowmap::tui::replay::{ReplayData, ReplayScreen, ReplayState};
use shadowmap::tui::screen::{Console, Ended, Screen, run as run_screen};

use crate::ReplayArgs;

pub fn run(data_dir: Option<PathBuf>, args: ReplayArgs) -> Result<()> {
    // Everything that can fail on the user's input fails here, before the screen opens.
    let session = super::load::load_session(data_dir.as_deref(), &args.session)?.session;
    let pathway = pathway_for(&session, args.pathway.as_deref())?;
    let mut console = Console::open().wrap_err("opening the terminal")?;
    show(&mut console, &session, pathway).wrap_err("running the replay")?;
    Ok(())
}

/// Runs the replay screen on an open terminal. The first frame is drawn from the timeline
/// alone; the comparison follows at once (keys pressed meanwhile wait in the input queue).
pub fn show(
    console: &mut Console,
    session: &Session,
    pathway: Result<Pathway, String>,
) -> std::io::Result<Ended<()>> {
    let mut state = ReplayState::new(ReplayData::new(session, pathway.as_ref().ok()));
    state.data.comparison_note = Some(match &pathway {
        Ok(_) => "comparing with the pathway...".to_string(),
        Err(note) => note.clone(),
    });
    let mut screen = ReplayScreen::new(state);
    console.draw(|frame| screen.draw(frame))?;
    let state = &mut screen.state;
    if let Ok(pathway) = &pathway {
        state
            .data
            .set_comparison(&compare_session(session, pathway));
        state.data.comparison_note = version_note(session, pathway);
    }
    run_screen(&mut screen, console)
}

fn version_note(session: &Session, pathway: &Pathway) -> Option<String> {
    (pathway.version != session.header.pathway_version).then(|| {
        format!(
            "compared with {} v{}; the session was captured on v{}",
            pathway.id, pathway.version, session.header.pathway_version
        )
    })
}

/// The pathway to compare against: `--pathway` when given (an error if it cannot be read),
/// else the one the session names (when it is not built in, the replay goes on without a
/// comparison and says why).
pub fn pathway_for(session: &Session, explicit: Option<&str>) -> Result<Result<Pathway, String>> {
    if let Some(pathway) = explicit {
        let pathway = load_pathway(pathway).map_err(|e| eyre!("{e}"))?;
        return Ok(Ok(pathway));
    }
    let id = &session.header.pathway_id;
    Ok(resolve_pathway(id)
        .map(|(p, _)| p)
        .map_err(|_| format!("no comparison: pathway `{id}` is not built in; pass --pathway FILE")))
}
