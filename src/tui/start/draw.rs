//! Drawing the start form: reads the form only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::keys::{FOOTER_SEPARATOR, KEY_TABLE};
use super::{Field, StartForm};
use crate::tui::keymap;

pub fn draw(form: &StartForm, frame: &mut Frame, area: Rect) {
    let area = area.centered(
        Constraint::Length(70.min(area.width)),
        Constraint::Length(14.min(area.height)),
    );
    let mut lines = Vec::new();
    for (i, field) in Field::TEXT.into_iter().enumerate() {
        let name = field.label();
        let focused = form.focus == field;
        lines.push(Line::from(vec![
            Span::raw(if focused { "> " } else { "  " }),
            Span::raw(format!("{name:<15}")),
            Span::styled(
                format!("{}{}", form.values[i], if focused { "_" } else { "" }),
                if focused {
                    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                } else {
                    Style::new()
                },
            ),
        ]));
    }
    let focused = form.focus == Field::Pathway;
    let (id, name) = form.pathways.get(form.pathway).cloned().unwrap_or_default();
    lines.push(Line::from(vec![
        Span::raw(if focused { "> " } else { "  " }),
        Span::raw(format!("{:<15}", Field::Pathway.label())),
        Span::styled(
            format!("< {id} >"),
            if focused {
                Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
            } else {
                Style::new()
            },
        ),
        Span::raw(format!(" {}/{}", form.pathway + 1, form.pathways.len())),
    ]));
    lines.push(Line::raw(format!("{:17}{name}", "")));
    lines.push(Line::raw(""));
    lines.push(match &form.error {
        Some(e) => Line::styled(e.clone(), Style::new().add_modifier(Modifier::BOLD)),
        None => Line::raw("The clinician is recorded by a code, never a name."),
    });
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        keymap::footer(KEY_TABLE, FOOTER_SEPARATOR),
        Style::new().add_modifier(Modifier::DIM),
    ));
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::ALL)
                .title(" shadowmap: new capture session "),
        ),
        area,
    );
}
