//! Drawing the report screen: reads the state only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::keys::{KEY_TABLE, ROUNDS_KEY_TABLE};
use super::rounds::draw_rounds;
use super::{CAUSE_KEYS, Mode, State, View};
use crate::model::Cause;
use crate::tui::keymap;

fn cause_style(cause: Cause) -> Style {
    let color = match cause {
        Cause::Training => Color::Yellow,
        Cause::Design => Color::Magenta,
        Cause::Integration => Color::Cyan,
        Cause::Infrastructure => Color::Red,
        Cause::Policy => Color::Gray,
    };
    Style::default().fg(color)
}

/// The findings, or the rounds view when it is on.
pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    match (state.view, &state.rounds) {
        (View::Rounds, Some(view)) => {
            let footer = Line::from(format!(
                "{}  {}",
                keymap::footer(ROUNDS_KEY_TABLE, "  "),
                state.status
            ));
            draw_rounds(view, frame, area, footer);
        }
        _ => draw_findings(state, frame, area),
    }
}

#[allow(clippy::too_many_lines)] // split when next changed
fn draw_findings(state: &State, frame: &mut Frame, area: Rect) {
    let [head, list, detail, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(9),
        Constraint::Length(2),
    ])
    .areas(area);

    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                "shadowmap report",
                Style::default().add_modifier(Modifier::BOLD),
            ),
            Span::raw(format!(
                "  {} findings, ranked by time cost",
                state.findings.len()
            )),
        ])),
        head,
    );

    let items: Vec<ListItem> = state
        .findings
        .iter()
        .map(|f| {
            let cause = if f.overridden.is_some() {
                format!("{}*", f.cause)
            } else {
                f.cause.to_string()
            };
            ListItem::new(Line::from(vec![
                Span::raw(format!("{:>2} {:>6.1}m ", f.rank, f.time_cost_min)),
                Span::styled(format!("{cause:<15}"), cause_style(f.cause)),
                Span::raw(f.title.replace('`', "")),
            ]))
        })
        .collect();
    let mut list_state = ListState::default().with_selected(Some(state.selected));
    frame.render_stateful_widget(
        List::new(items)
            .block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(" findings (* = overridden) "),
            )
            .highlight_style(Style::default().add_modifier(Modifier::REVERSED))
            .highlight_symbol("> "),
        list,
        &mut list_state,
    );

    if let Some(f) = state.current() {
        let e = &f.evidence;
        let mut lines = vec![Line::from(vec![
            Span::styled(f.id.clone(), Style::default().add_modifier(Modifier::BOLD)),
            Span::raw(format!(
                "  {} of {} {}s, {:.2} min each",
                f.occurrences, f.base, f.unit, f.excess_min_per_occurrence
            )),
        ])];
        // The cause in force first: the suggested cause's reasons can fill the panel.
        if let Some(o) = &f.overridden {
            lines.push(Line::from(Span::styled(
                format!(
                    "OVERRIDDEN: {} by {} on {}: {}",
                    o.cause,
                    o.who,
                    o.when.format("%Y-%m-%d %H:%M"),
                    o.why
                ),
                cause_style(o.cause).add_modifier(Modifier::BOLD),
            )));
        }
        lines.push(Line::from(format!(
            "suggested {} by {} ({} {:.2}): {}",
            f.suggested_cause, f.rule, f.confidence_label, f.confidence, f.because
        )));
        let cells = |c: &[crate::report::findings::CellShare]| {
            c.iter()
                .map(|c| format!("{} {}/{}", c.name, c.affected, c.base))
                .collect::<Vec<_>>()
                .join(", ")
        };
        lines.push(Line::from(format!(
            "{} sessions; sites {}; roles {}",
            e.sessions,
            cells(&e.sites),
            cells(&e.roles)
        )));
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::TOP).title(" evidence ")),
            detail,
        );
    }

    let help = match &state.mode {
        Mode::List => &keymap::footer(KEY_TABLE, "  "),
        Mode::PickCause => "t d i f p (or 1-5) pick  Esc cancel",
        Mode::Who { .. } | Mode::Why { .. } => "type, Enter next, Esc cancel",
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(
                state.status.clone(),
                Style::default().add_modifier(Modifier::BOLD),
            )),
            Line::from(format!("{help}  | {}", state.overrides_path.display())),
        ]),
        foot,
    );

    match &state.mode {
        Mode::PickCause => {
            let popup = area.centered(Constraint::Length(34), Constraint::Length(9));
            frame.render_widget(Clear, popup);
            let lines: Vec<Line> = CAUSE_KEYS
                .iter()
                .enumerate()
                .map(|(i, (k, c))| {
                    Line::from(vec![
                        Span::styled(
                            format!(" {k} / {} ", i + 1),
                            Style::default().add_modifier(Modifier::BOLD),
                        ),
                        Span::styled(c.label(), cause_style(*c)),
                    ])
                })
                .collect();
            frame.render_widget(
                Paragraph::new(lines).block(Block::bordered().title(" cause ")),
                popup,
            );
        }
        Mode::Who { cause } | Mode::Why { cause, .. } => {
            let popup = area.centered(Constraint::Length(60), Constraint::Length(3));
            frame.render_widget(Clear, popup);
            let title = if matches!(state.mode, Mode::Who { .. }) {
                format!(" {cause}: who? ")
            } else {
                format!(" {cause}: why? ")
            };
            frame.render_widget(
                Paragraph::new(format!("{}_", state.input)).block(Block::bordered().title(title)),
                popup,
            );
        }
        Mode::List => {}
    }
}
