//! `shadowmap browse`: the sessions in the data folder, filtered by site, role, pathway and
//! date; replay, compare or export the one selected.

use std::fmt::Write as _;
use std::path::PathBuf;

use color_eyre::Result;
use color_eyre::eyre::WrapErr;
use std::time::Instant;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Size;
use shadowmap::compare::{Comparison, compare_session};
use shadowmap::model::{Pathway, Session};
use shadowmap::store::{DataDir, SessionEntry};
use shadowmap::tui::browse::{
    Action, BrowseRow, BrowseState, Effect, ExportFormat, draw, key_to_action, update,
};
use shadowmap::tui::screen::{Console, Ended, Screen, run as run_screen};

use super::replay::{pathway_for, show};

pub fn run(data_dir: Option<PathBuf>) -> Result<()> {
    let dir = DataDir::resolve(data_dir)?;
    let mut console = Console::open().wrap_err("opening the terminal")?;
    browse_screen(&mut console, &dir)?;
    Ok(())
}

/// The browser on a console already open (the capture start form opens it this way); ends
/// when the user leaves it, or interrupted (Ctrl-C in it or in a replay it opened).
pub fn browse_screen(console: &mut Console, dir: &DataDir) -> Result<Ended<()>> {
    let mut screen = BrowseScreen {
        state: browse_state(dir)?,
        dir,
    };
    Ok(run_screen(&mut screen, console)?)
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

/// The browser on the shared loop. Its effects (loading and replaying a session, comparing,
/// exporting) run here, and nowhere else.
struct BrowseScreen<'d> {
    state: BrowseState,
    dir: &'d DataDir,
}

impl Screen for BrowseScreen<'_> {
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
    ) -> std::io::Result<Option<Ended<()>>> {
        let state = &mut self.state;
        for effect in effects {
            match effect {
                Effect::Quit => return Ok(Some(Ended::Done(()))),
                Effect::Replay(index) => {
                    let path = state.rows[index].path.clone();
                    match load(&path).and_then(|session| {
                        let pathway = pathway_for(&session, None)?;
                        Ok((session, pathway))
                    }) {
                        Ok((session, pathway)) => {
                            if let Ended::Interrupted(why) = show(console, &session, pathway)? {
                                return Ok(Some(Ended::Interrupted(why)));
                            }
                        }
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
                Effect::Map(index) => {
                    let pathway_id = &state.rows[index].header.pathway_id;
                    let files: Vec<PathBuf> = state
                        .visible
                        .iter()
                        .map(|&i| &state.rows[i])
                        .filter(|row| row.finished && &row.header.pathway_id == pathway_id)
                        .map(|row| row.path.clone())
                        .collect();
                    let source = shadowmap::tui::map::run::MapSource {
                        files,
                        ..Default::default()
                    };
                    match shadowmap::tui::map::run::open_for(console, &source, pathway_id, None)? {
                        Ok(Ended::Interrupted(why)) => return Ok(Some(Ended::Interrupted(why))),
                        Ok(Ended::Done(())) => {}
                        Err(why) => state.show_panel("No map", &why),
                    }
                }
                Effect::Export(index, format, redact) => {
                    // The export may write a note to the terminal: step out of the screen
                    // while it runs, and come back to a fresh one.
                    let row = &state.rows[index];
                    state.status = console.step_out(|| export(self.dir, row, format, redact));
                }
            }
        }
        Ok(None)
    }

    fn draw(&self, frame: &mut Frame) {
        draw(&self.state, frame, frame.area());
    }

    /// A page of the list is as many rows as the terminal shows.
    fn resized(&mut self, size: Size) {
        self.state.page = (size.height as usize).saturating_sub(8).max(1);
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

/// The selected session, read as every command reads one.
fn load(path: &std::path::Path) -> Result<Session> {
    Ok(super::load::load_quietly(None, &path.display().to_string())?.session)
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
        sessions: vec![row.path.display().to_string()],
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
