//! Drawing the session browser (reads the state only).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::keys::KEY_TABLE;
use super::{BrowseRow, BrowseState, ExportFormat, Mode};
use crate::tui::keymap;

pub fn draw(state: &BrowseState, frame: &mut Frame, area: Rect) {
    let [title, filter, list, details, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(3),
        Constraint::Length(1),
    ])
    .areas(area);
    let title_text = format!(
        "Sessions in {} ({} of {} shown)",
        state.source,
        state.visible.len(),
        state.rows.len()
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            title_text,
            Style::new().add_modifier(Modifier::BOLD),
        )),
        title,
    );
    let editing = state.mode == Mode::Filter;
    let filter_text = if editing {
        format!("Filter: {}_", state.filter_text)
    } else if state.filter_text.is_empty() {
        "Filter: (none)  / site: role: pathway: whole value; date:2026-11 or A..B; words".into()
    } else {
        format!("Filter: {}", state.filter_text)
    };
    let filter_style = if editing {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    } else {
        Style::new()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(filter_text, filter_style)),
        filter,
    );
    draw_list(state, frame, list);
    draw_details(state, frame, details);
    let footer_text = match &state.mode {
        _ if !state.status.is_empty() => state.status.clone(),
        Mode::Filter => "type to filter  Enter keep  Esc clear".into(),
        Mode::Export => {
            let keys: Vec<String> = ExportFormat::ALL
                .iter()
                .map(|f| format!("{} {}", f.key(), f.extension().to_uppercase()))
                .collect();
            format!(
                "Export as: {}  (capital: redacted; other key: back)",
                keys.join("  ")
            )
        }
        Mode::Panel(_) => "up/down scroll  any other key closes".into(),
        Mode::List => keymap::footer(KEY_TABLE, "  "),
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            footer_text,
            Style::new().add_modifier(Modifier::BOLD),
        )),
        footer,
    );
    if let Mode::Panel(panel) = &state.mode {
        let rect = Rect {
            x: area.x + 2.min(area.width),
            y: area.y + 1.min(area.height),
            width: area.width.saturating_sub(4),
            height: area.height.saturating_sub(3),
        };
        let height = rect.height.saturating_sub(2) as usize;
        let lines: Vec<Line> = panel
            .lines
            .iter()
            .skip(panel.scroll)
            .take(height)
            .map(|l| Line::from(l.clone()))
            .collect();
        frame.render_widget(Clear, rect);
        frame.render_widget(
            Paragraph::new(lines).block(Block::bordered().title(format!(" {} ", panel.title))),
            rect,
        );
    }
}

/// One letter for the session's state: ` ` finished, `*` unfinished, `R` recovered after a crash.
fn flag(row: &BrowseRow) -> char {
    match (row.finished, row.recovered) {
        (_, true) => 'R',
        (true, false) => ' ',
        (false, false) => '*',
    }
}

fn cut(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(n.saturating_sub(1)).collect();
        short.push('~');
        short
    }
}

fn draw_list(state: &BrowseState, frame: &mut Frame, area: Rect) {
    let width = area.width as usize;
    // Fixed columns; the id takes what is left.
    let fixed = 3 + 11 + 1 + 1 + 7 + 1 + 4 + 1 + 6 + 1 + 13 + 1 + 5;
    let id_width = width.saturating_sub(fixed).max(8);
    let header = format!(
        "   {:<11} {:<id_width$} {:<7} {:<4} {:<6} {:<13} {:>5}",
        "STARTED", "ID", "SITE", "ROLE", "CLIN", "PATHWAY", "EVTS"
    );
    let mut lines = vec![Line::from(Span::styled(
        header,
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    ))];
    let height = (area.height as usize).saturating_sub(1);
    if state.visible.is_empty() {
        lines.push(Line::from(if state.rows.is_empty() {
            "  no sessions here yet: `shadowmap capture` records one".to_string()
        } else {
            "  no session matches the filter (Esc clears it)".to_string()
        }));
    }
    let first = state
        .selected
        .saturating_sub(height.saturating_sub(1))
        .min(state.visible.len().saturating_sub(height.max(1)));
    for (position, &index) in state.visible.iter().enumerate().skip(first).take(height) {
        let row = &state.rows[index];
        let h = &row.header;
        let here = position == state.selected;
        let text = format!(
            "{}{} {:<11} {:<id_width$} {:<7} {:<4} {:<6} {:<13} {:>5}",
            if here { '>' } else { ' ' },
            flag(row),
            h.started_at.format("%m-%d %H:%M"),
            cut(&row.id, id_width),
            cut(&h.site, 7),
            cut(&h.role, 4),
            cut(&h.clinician, 6),
            cut(&h.pathway_id, 13),
            row.events,
        );
        let style = if here {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_details(state: &BrowseState, frame: &mut Frame, area: Rect) {
    let block = Block::new().borders(Borders::TOP).title(" Selected ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = match state.selected_row().map(|i| &state.rows[i]) {
        Some(row) => {
            let h = &row.header;
            vec![
                Line::from(format!(
                    "{}  {} v{}  auditor {}  started {}",
                    row.id,
                    h.pathway_id,
                    h.pathway_version,
                    h.auditor,
                    h.started_at.format("%Y-%m-%d %H:%M %:z")
                )),
                Line::from(format!(
                    "{}  {}",
                    match (row.finished, row.recovered) {
                        (true, false) => "finished",
                        (true, true) => "finished, recovered after a crash (R)",
                        (false, true) => "unfinished, recovered after a crash (R)",
                        (false, false) => "unfinished (*)",
                    },
                    row.path.display()
                )),
            ]
        }
        None => vec![Line::from("nothing selected")],
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
