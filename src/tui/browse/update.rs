//! The browser's update: an action changes the state and names the I/O to run as effects.
//! No I/O here.

use super::{Action, BrowseState, Effect, Mode};

pub fn update(state: &mut BrowseState, action: Action) -> Vec<Effect> {
    if let Mode::Panel(panel) = &mut state.mode {
        match action {
            Action::Up => panel.scroll = panel.scroll.saturating_sub(1),
            Action::Down => {
                panel.scroll = (panel.scroll + 1).min(panel.lines.len().saturating_sub(1));
            }
            Action::PageUp => panel.scroll = panel.scroll.saturating_sub(state.page),
            Action::PageDown => {
                panel.scroll = (panel.scroll + state.page).min(panel.lines.len().saturating_sub(1));
            }
            _ => state.mode = Mode::List,
        }
        return Vec::new();
    }
    let selected = state.selected_row();
    match action {
        Action::Up => state.move_by(-1),
        Action::Down => state.move_by(1),
        Action::PageUp => state.move_by(-(state.page as isize)),
        Action::PageDown => state.move_by(state.page as isize),
        Action::First => state.selected = 0,
        Action::Last => state.move_by(isize::MAX / 2),
        Action::EditFilter => state.mode = Mode::Filter,
        Action::Type(c) => {
            state.filter_text.push(c);
            state.refilter();
        }
        Action::Backspace => {
            state.filter_text.pop();
            state.refilter();
        }
        Action::FilterDone => state.mode = Mode::List,
        Action::ClearFilter => {
            state.filter_text.clear();
            state.refilter();
            state.mode = Mode::List;
        }
        Action::Open | Action::Compare | Action::Map | Action::Export => match selected {
            None => state.status = "no session selected: clear the filter (Esc)".into(),
            Some(row) => match action {
                Action::Open => return vec![Effect::Replay(row)],
                Action::Compare => return vec![Effect::Compare(row)],
                Action::Map => return vec![Effect::Map(row)],
                _ => state.mode = Mode::Export,
            },
        },
        Action::ExportAs(format, redact) => {
            state.mode = Mode::List;
            if let Some(row) = selected {
                return vec![Effect::Export(row, format, redact)];
            }
        }
        Action::Close => state.mode = Mode::List,
        Action::Quit => return vec![Effect::Quit],
    }
    Vec::new()
}
