//! `shadowmap browse`: the sessions in the data folder, filtered by site, role, pathway and
//! date; replay, compare or export the one selected.

use std::fmt::Write as _;
use std::path::PathBuf;

use color_eyre::Result;
use color_eyre::eyre::WrapErr;
use crossterm::event::{Event, KeyCode, KeyModifiers};
use shadowmap::compare::{Comparison, compare_session};
use shadowmap::model::{Pathway, Session};
use shadowmap::store::{DataDir, SessionEntry};
use shadowmap::tui::browse::{
    Action, BrowseRow, BrowseState, Effect, ExportFormat, draw, key_to_action, update,
};
use shadowmap::tui::terminal::{self, Input, Tui};

use super::replay::{pathway_for, show};

pub fn run(data_dir: Option<PathBuf>) -> Result<()> {
    let dir = DataDir::resolve(data_dir)?;
    let tui = terminal::enter().wrap_err("opening the terminal")?;
    let input = Input::spawn();
    browse_screen(tui, &input, &dir)?;
    Ok(())
}

/// The browser on a terminal already open (the capture start form opens it this way). Returns
/// the terminal when the user leaves the browser: the same one, or a fresh one when an export
/// had to step out of the screen.
pub fn browse_screen(tui: Tui, input: &Input, dir: &DataDir) -> Result<Tui> {
    let mut state = browse_state(dir)?;
    browse_loop(tui, input, dir, &mut state)
}

pub fn row(entry: SessionEntry) -> BrowseRow {
    BrowseRow {
        id: entry.id,
        path: entry.path,
        header: entry.header,
        events: entry.events,
        finished: entry.finished,
        recovered: entry.recovered,
    }
}

/// The browser over the data folder; files that cannot be read are named on the status line.
pub fn browse_state(dir: &DataDir) -> Result<BrowseState> {
    let listing = dir.scan()?;
    let rows = listing.entries.into_iter().map(row).collect();
    let mut state = BrowseState::new(dir.root().display().to_string(), rows);
    if let Some(first) = listing.problems.first() {
        let first = first.to_string();
        state.status = format!(
            "{} file(s) could not be read; first: {}",
            listing.problems.len(),
            first.lines().next().unwrap_or_default()
        );
    }
    Ok(state)
}

fn browse_loop(tui: Tui, input: &Input, dir: &DataDir, state: &mut BrowseState) -> Result<Tui> {
    let mut slot = Some(tui);
    loop {
        let tui = match &mut slot {
            Some(tui) => tui,
            None => slot.insert(terminal::enter().wrap_err("opening the terminal again")?),
        };
        let mut export_now = None;
        let size = tui.size()?;
        state.page = (size.height as usize).saturating_sub(8).max(1);
        tui.draw(|frame| draw(state, frame))?;
        let Ok(first) = input.recv() else {
            return Ok(slot.take().expect("the terminal is open"));
        };
        let batch: Vec<_> = std::iter::once(first).chain(input.drain()).collect();
        for (_, event) in batch {
            let Event::Key(key) = event else { continue };
            let action = if key.code == KeyCode::Char('c')
                && key.modifiers.contains(KeyModifiers::CONTROL)
            {
                Some(Action::Quit)
            } else {
                key_to_action(state, key)
            };
            let Some(action) = action else { continue };
            for effect in update(state, action) {
                match effect {
                    Effect::Quit => return Ok(slot.take().expect("the terminal is open")),
                    Effect::Replay(index) => {
                        let path = state.rows[index].path.clone();
                        match load(&path).and_then(|session| {
                            let pathway = pathway_for(&session, None)?;
                            Ok((session, pathway))
                        }) {
                            Ok((session, pathway)) => show(tui, input, &session, pathway)?,
                            Err(error) => state.show_panel("Cannot replay", &plain(&error)),
                        }
                    }
                    Effect::Compare(index) => {
                        let row = &state.rows[index];
                        let text = match compare_text(&row.path) {
                            Ok(text) => text,
                            Err(error) => plain(&error),
                        };
                        state.show_panel(format!("Compare {}", row.id), &text);
                    }
                    Effect::Export(index, format, redact) => {
                        export_now = Some((index, format, redact));
                    }
                }
            }
        }
        if let Some((index, format, redact)) = export_now {
            // The export may write a note to the terminal: step out of the screen while it
            // runs, and come back to a fresh one.
            drop(slot.take());
            state.status = export(dir, &state.rows[index], format, redact);
        }
    }
}

/// An error and its causes as plain lines (the report's Debug form carries colours and a
/// backtrace section, which a panel cannot show).
fn plain(error: &color_eyre::Report) -> String {
    let mut text = error.to_string();
    for cause in error.chain().skip(1) {
        let _ = write!(text, "\n  caused by: {cause}");
    }
    text
}

fn load(path: &std::path::Path) -> Result<Session> {
    Ok(DataDir::load_path(path)
        .wrap_err_with(|| format!("loading session {}", path.display()))?
        .session)
}

/// The comparator's view of one session, as text for the panel.
fn compare_text(path: &std::path::Path) -> Result<String> {
    let session = load(path)?;
    Ok(match pathway_for(&session, None)? {
        Ok(pathway) => comparison_text(&compare_session(&session, &pathway), &pathway),
        Err(note) => note,
    })
}

/// The comparator's own text (as `shadowmap compare` prints it); the panel wraps long lines.
pub fn comparison_text(comparison: &Comparison, pathway: &Pathway) -> String {
    shadowmap::compare::text::render_text(pathway, std::slice::from_ref(comparison))
}

/// Writes `<id>.<ext>` (`<id>-redacted.<ext>` with `redact`) in the current folder through
/// `shadowmap export`; never over a file that exists. Returns the line for the status bar.
fn export(dir: &DataDir, row: &BrowseRow, format: ExportFormat, redact: bool) -> String {
    let suffix = if redact { "-redacted" } else { "" };
    let out = PathBuf::from(format!("{}{suffix}.{}", row.id, format.extension()));
    if out.exists() {
        return format!(
            "{} exists: not overwritten (move it away first)",
            out.display()
        );
    }
    let args = crate::ExportArgs {
        session: row.path.display().to_string(),
        format: match format {
            ExportFormat::Json => crate::ExportFormat::Json,
            ExportFormat::Csv => crate::ExportFormat::Csv,
            ExportFormat::Xes => crate::ExportFormat::Xes,
            ExportFormat::Ron => crate::ExportFormat::Ron,
        },
        redact,
        out: Some(out.clone()),
        csv: crate::CsvTable::Events,
    };
    match super::export::run(Some(dir.root().to_path_buf()), args) {
        Ok(()) => format!(
            "wrote {} (shadowmap export {} --format {}{})",
            out.display(),
            row.id,
            format.extension(),
            if redact { " --redact" } else { "" }
        ),
        Err(error) => format!("export failed: {error}"),
    }
}
