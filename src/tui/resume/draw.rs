//! Drawing the resume menu: reads the menu only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::ResumeMenu;
use super::keys::KEY_TABLE;
use crate::tui::capture::draw::wrap_words;

/// The two lines under the list, from the key table: the first row's, then the others'.
fn help_lines() -> Vec<Line<'static>> {
    let mut footers = KEY_TABLE.iter().filter_map(|row| row.footer);
    let first = footers.next().unwrap_or_default();
    let rest: Vec<&str> = footers.collect();
    vec![Line::raw(first), Line::raw(rest.join(" · "))]
}

pub fn draw(menu: &ResumeMenu, frame: &mut Frame, area: Rect) {
    let shown = &menu.sessions[..menu.sessions.len().min(9)];
    let rows = shown.len() + shown.iter().filter(|s| s.in_use).count();
    let height = rows as u16 + 8 + u16::from(menu.message.is_some()) * 3;
    let area = area.centered(
        Constraint::Length(76.min(area.width)),
        Constraint::Length(height.min(area.height)),
    );
    let [list, help] = Layout::vertical([Constraint::Min(1), Constraint::Length(4)]).areas(area);
    let mut lines = vec![Line::raw(
        "These sessions were not finished (a crash, a kill or Ctrl-C).",
    )];
    for (i, s) in menu.sessions.iter().enumerate().take(9) {
        let selected = i == menu.selected;
        lines.push(Line::styled(
            format!(
                "{}{} {}  {} events{}  started {}",
                if selected { "> " } else { "  " },
                i + 1,
                s.id,
                s.events,
                if s.recovered {
                    ", torn tail dropped"
                } else {
                    ""
                },
                s.started_at.format("%Y-%m-%d %H:%M"),
            ),
            if selected {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            },
        ));
        if s.in_use {
            lines.push(Line::styled(
                "      IN USE: another shadowmap is capturing it now",
                Style::new().add_modifier(Modifier::BOLD),
            ));
        }
    }
    if let Some(message) = &menu.message {
        lines.push(Line::raw(""));
        let width = usize::from(area.width.saturating_sub(2));
        for part in wrap_words(message, width).into_iter().take(2) {
            lines.push(Line::styled(
                part,
                Style::new().add_modifier(Modifier::BOLD),
            ));
        }
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::TOP | Borders::LEFT | Borders::RIGHT)
                .title(" shadowmap: unfinished sessions "),
        ),
        list,
    );
    frame.render_widget(
        Paragraph::new(help_lines())
            .block(Block::new().borders(Borders::BOTTOM | Borders::LEFT | Borders::RIGHT)),
        help,
    );
}
