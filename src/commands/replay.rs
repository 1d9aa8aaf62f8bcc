//! `shadowmap replay SESSION [--pathway ID|FILE]`: a saved session on a timeline, with the
//! comparator's view beside it. Reads the session and never writes it.

use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use shadowmap::model::{Pathway, Session, resolve_pathway};
use shadowmap::store::DataDir;
use shadowmap::tui::replay::{ReplayData, ReplayState};
use shadowmap::tui::terminal::{self, Input};

use crate::ReplayArgs;

pub fn run(data_dir: Option<PathBuf>, args: ReplayArgs) -> Result<()> {
    // Everything that can fail on the user's input fails here, before the screen opens.
    let session = load_session(data_dir, &args.session)?;
    let data = replay_data(&session, args.pathway.as_deref())?;
    let mut state = ReplayState::new(data);
    let mut tui = terminal::enter().wrap_err("opening the terminal")?;
    let input = Input::spawn();
    shadowmap::tui::replay::run(&mut tui, &input, &mut state).wrap_err("running the replay")?;
    Ok(())
}

/// SESSION: a session file or journal anywhere, or an id in the data folder. Read only.
pub fn load_session(data_dir: Option<PathBuf>, session: &str) -> Result<Session> {
    let path = Path::new(session);
    let loaded = if path.is_file() {
        DataDir::load_path(path)
    } else {
        DataDir::resolve(data_dir)?.load(session)
    }
    .wrap_err_with(|| format!("loading session `{session}`"))?;
    Ok(loaded.session)
}

/// The pathway to compare against: `--pathway` when given (an error if it cannot be read),
/// else the one the session names (when it is not built in, the replay goes on without a
/// comparison and says why).
pub fn pathway_for(session: &Session, explicit: Option<&str>) -> Result<Result<Pathway, String>> {
    if let Some(pathway) = explicit {
        let (pathway, _) = resolve_pathway(pathway).map_err(|e| eyre!("{e}"))?;
        return Ok(Ok(pathway));
    }
    let id = &session.header.pathway_id;
    Ok(resolve_pathway(id)
        .map(|(p, _)| p)
        .map_err(|_| format!("no comparison: pathway `{id}` is not built in; pass --pathway FILE")))
}

/// The replay of a session: its timeline, and the comparator's deviations when a pathway is
/// at hand.
pub fn replay_data(session: &Session, pathway: Option<&str>) -> Result<ReplayData> {
    let pathway = pathway_for(session, pathway)?;
    Ok(match pathway {
        Ok(pathway) => {
            let mut data = ReplayData::compared(session, &pathway);
            if pathway.version != session.header.pathway_version {
                data.comparison_note = Some(format!(
                    "compared with {} v{}; the session was captured on v{}",
                    pathway.id, pathway.version, session.header.pathway_version
                ));
            }
            data
        }
        Err(note) => {
            let mut data = ReplayData::new(session, None);
            data.comparison_note = Some(note);
            data
        }
    })
}
