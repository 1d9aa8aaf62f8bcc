//! The session browser: the sessions in the data folder, a filter line (site, role, pathway,
//! date), and for the one selected: replay, compare or export.
//!
//! Key -> [`Action`] (`keys.rs`) -> [`update`] (`update.rs`, pure; returns what the runner must
//! do as [`Effect`]s: loading, comparing and exporting are I/O, run by the browse command) ->
//! [`draw`] (`draw.rs`, reads only).

mod draw;
pub mod filter;
pub mod keys;
mod update;

use std::path::PathBuf;

use crate::model::SessionHeader;

pub use draw::draw;
pub use filter::Filter;
pub use keys::key_to_action;
pub use update::update;

/// One session in the list (the store's `SessionEntry`, as the browser needs it).
#[derive(Debug, Clone, PartialEq)]
pub struct BrowseRow {
    pub id: String,
    pub path: PathBuf,
    pub header: SessionHeader,
    pub events: usize,
    pub finished: bool,
    pub recovered: bool,
}

impl BrowseRow {
    /// The session's start date in its own time zone, `YYYY-MM-DD`.
    pub fn date(&self) -> String {
        self.header.started_at.format("%Y-%m-%d").to_string()
    }
}

/// The formats the browser can export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Json,
    Csv,
    Xes,
    Ron,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Json,
        ExportFormat::Csv,
        ExportFormat::Xes,
        ExportFormat::Ron,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Csv => "csv",
            ExportFormat::Xes => "xes",
            ExportFormat::Ron => "ron",
        }
    }

    pub fn key(self) -> char {
        match self {
            ExportFormat::Json => 'j',
            ExportFormat::Csv => 'c',
            ExportFormat::Xes => 'x',
            ExportFormat::Ron => 'r',
        }
    }
}

/// The text width of the panel on an 80-column terminal (80 minus its margins and border).
pub const PANEL_TEXT_WIDTH: usize = 74;

/// One line as lines of at most `width` characters, broken between words; continuation lines
/// are indented two more than the line, and a word longer than a line is cut.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    if line.chars().count() <= width {
        return vec![line.to_string()];
    }
    let lead = (line.len() - line.trim_start_matches(' ').len()).min(width / 2);
    let indent = " ".repeat((lead + 2).min(width / 2));
    let mut out = Vec::new();
    let mut current = " ".repeat(lead);
    let mut current_len = lead;
    let mut fresh = true; // nothing but indentation in `current` yet
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let gap = usize::from(!fresh);
            if current_len + gap + word.len() <= width {
                if !fresh {
                    current.push(' ');
                }
                current.extend(word.iter());
                current_len += gap + word.len();
                fresh = false;
                break;
            }
            if fresh {
                // A word longer than a whole line: cut it.
                let room = width - current_len;
                current.extend(word.drain(..room));
            }
            out.push(std::mem::replace(&mut current, indent.clone()));
            current_len = indent.len();
            fresh = true;
        }
    }
    if !fresh {
        out.push(current);
    }
    out
}

/// A text panel over the list: the comparator's report, or a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    pub title: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    List,
    /// Typing in the filter line.
    Filter,
    /// Choosing an export format for the selected session.
    Export,
    Panel(Panel),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    EditFilter,
    Type(char),
    Backspace,
    /// Leaves the filter line, keeping the filter.
    FilterDone,
    ClearFilter,
    Open,
    Compare,
    /// The shadow map of the listed sessions of the selected one's pathway.
    Map,
    Export,
    /// Export in this format; `true`: redacted (`--redact`), chosen with the capital letter.
    ExportAs(ExportFormat, bool),
    Close,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open the replay of this row (index into `rows`).
    Replay(usize),
    Compare(usize),
    /// Open the map of the listed sessions of this row's pathway.
    Map(usize),
    /// Export this row in this format; `true`: redacted.
    Export(usize, ExportFormat, bool),
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BrowseState {
    /// Where the sessions come from, for the title.
    pub source: String,
    pub rows: Vec<BrowseRow>,
    pub filter_text: String,
    pub filter: Filter,
    /// Indices into `rows` that pass the filter, in list order.
    pub visible: Vec<usize>,
    /// Index into `visible`.
    pub selected: usize,
    pub mode: Mode,
    pub status: String,
    /// Rows a page moves; the drawing sets nothing, so the runner may adjust it.
    pub page: usize,
}

impl BrowseState {
    pub fn new(source: impl Into<String>, rows: Vec<BrowseRow>) -> BrowseState {
        let mut state = BrowseState {
            source: source.into(),
            visible: (0..rows.len()).collect(),
            rows,
            filter_text: String::new(),
            filter: Filter::default(),
            selected: 0,
            mode: Mode::List,
            status: String::new(),
            page: 10,
        };
        state.refilter();
        state
    }

    pub fn selected_row(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// Shows a panel (the runner's answer to a compare effect, or an error). Lines longer than
    /// the panel holds at 80 columns are wrapped at word boundaries (a deviation's sentence
    /// would otherwise be cut off at the border).
    pub fn show_panel(&mut self, title: impl Into<String>, text: &str) {
        self.mode = Mode::Panel(Panel {
            title: title.into(),
            lines: text
                .lines()
                .flat_map(|line| wrap(line, PANEL_TEXT_WIDTH))
                .collect(),
            scroll: 0,
        });
    }

    pub(crate) fn refilter(&mut self) {
        let keep = self.selected_row();
        let (filter, error) = Filter::parse(&self.filter_text);
        self.filter = filter;
        self.status = error.unwrap_or_default();
        self.visible = (0..self.rows.len())
            .filter(|&i| self.filter.matches(&self.rows[i]))
            .collect();
        self.selected = keep
            .and_then(|row| self.visible.iter().position(|&i| i == row))
            .unwrap_or(0);
    }

    pub(crate) fn move_by(&mut self, delta: isize) {
        if self.visible.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.visible.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }
}

#[cfg(test)]
mod tests;
