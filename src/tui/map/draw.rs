//! Drawing the map screen: reads the state only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::keys::{KEY_TABLE, footer_for};
use super::{Focus, MapState, Mode};
use crate::map::draw::{Pace, clip, counted, pace, percent};
use crate::map::{END, Node, START};
use crate::tui::capture::draw::wrap_words;

fn node_style(node: &Node) -> Style {
    if !node.observed {
        return Style::default().fg(Color::DarkGray);
    }
    if !node.planned {
        return Style::default().fg(Color::Magenta);
    }
    match pace(node) {
        Pace::OnTime => Style::default().fg(Color::Green),
        Pace::Over => Style::default().fg(Color::Yellow),
        Pace::FarOver => Style::default().fg(Color::Red),
        Pace::Unknown => Style::default(),
    }
}

fn secs(v: Option<f64>) -> String {
    v.map_or("-".into(), |v| format!("{v:.0} s"))
}

fn name(state: &MapState, id: &str) -> String {
    match id {
        START => "(start)".into(),
        END => "(end)".into(),
        other => state
            .map
            .node(other)
            .map_or(other.to_string(), |n| n.label.clone()),
    }
}

fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{}:{:02}", s / 60, s % 60)
}

pub fn draw(state: &MapState, frame: &mut Frame, area: Rect) {
    let [title, body, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let map = &state.map;
    let what = match state.mode {
        Mode::Suggestion { .. } => "What the work suggests ",
        Mode::Map | Mode::Sessions { .. } => "Shadow map ",
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(what, Style::default().add_modifier(Modifier::BOLD)),
            Span::raw(format!(
                "{} ({})",
                map.pathway_name,
                counted(map.sessions, "session", "sessions")
            )),
        ])),
        title,
    );
    match state.mode {
        Mode::Suggestion { scroll } => draw_suggestion(state, scroll, frame, body),
        Mode::Map | Mode::Sessions { .. } => draw_map(state, frame, body),
    }
    frame.render_widget(
        Paragraph::new(state.status.as_str()).style(Style::default().fg(Color::Yellow)),
        status,
    );
    frame.render_widget(
        Paragraph::new(footer_for(&state.mode)).style(Style::default().fg(Color::DarkGray)),
        keys,
    );
    if state.help {
        draw_help(frame, area);
    }
}

/// The suggestion's text, from line `scroll`, with where it is in the title.
fn draw_suggestion(state: &MapState, scroll: usize, frame: &mut Frame, body: Rect) {
    let lines = state.suggestion_lines();
    let page = usize::from(body.height.saturating_sub(2));
    let shown: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(page)
        .map(|line| Line::raw(line.as_str()))
        .collect();
    let title = if lines.len() > page {
        format!(
            " Lines {}-{} of {} (j/k, PageUp/PageDown; Esc back to the map) ",
            scroll + 1,
            (scroll + page).min(lines.len()),
            lines.len()
        )
    } else {
        " Esc back to the map ".to_string()
    };
    frame.render_widget(
        Paragraph::new(shown).block(Block::default().borders(Borders::ALL).title(title)),
        body,
    );
}

/// The key table, over the screen.
fn draw_help(frame: &mut Frame, area: Rect) {
    let width = 76.min(area.width);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    for row in KEY_TABLE {
        let text = format!("{:<16} {}", row.keys, row.help);
        for (i, part) in wrap_words(&text, inner).into_iter().enumerate() {
            let lead = if i == 0 { "" } else { "                 " };
            lines.push(Line::raw(format!("{lead}{part}")));
        }
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Map keys (any key closes) ")),
        rect,
    );
}

/// The steps on the left; the selected step and its flows, or a flow's sessions, on the right.
#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
fn draw_map(state: &MapState, frame: &mut Frame, body: Rect) {
    let map = &state.map;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);

    let items: Vec<ListItem> = state
        .steps
        .iter()
        .map(|&i| {
            let node = &map.nodes[i];
            let mark = if !node.observed {
                " never done"
            } else if !node.planned {
                " unplanned"
            } else {
                ""
            };
            ListItem::new(Line::from(vec![
                Span::styled(clip(&node.label, 30), node_style(node)),
                Span::styled(
                    format!("  {}×{mark}", node.count),
                    Style::default().fg(Color::DarkGray),
                ),
            ]))
        })
        .collect();
    let steps_focused = state.focus == Focus::Steps && state.mode == Mode::Map;
    let mut list_state = ListState::default().with_selected(Some(state.selected));
    frame.render_stateful_widget(
        List::new(items)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(" Steps, in the pathway's order "),
            )
            .highlight_style(if steps_focused {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default().add_modifier(Modifier::BOLD)
            })
            .highlight_symbol("> "),
        left,
        &mut list_state,
    );

    let mut lines: Vec<Line> = Vec::new();
    match &state.mode {
        Mode::Sessions { edge, selected } => {
            let e = &map.edges[*edge];
            lines.push(Line::from(Span::styled(
                format!(
                    "{} -> {}: leaves the pathway",
                    name(state, &e.from),
                    name(state, &e.to)
                ),
                Style::default().add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(format!(
                "{} in {} ({}); r replays one at that moment",
                counted(e.count, "time", "times"),
                counted(e.sessions, "session", "sessions"),
                percent(e.share)
            )));
            lines.push(Line::from(""));
            for (k, (session, at_ms)) in e.taken_by.iter().enumerate() {
                let style = if k == *selected {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default()
                };
                lines.push(Line::styled(
                    format!(
                        "{} {session}  at {}",
                        if k == *selected { ">" } else { " " },
                        clock(*at_ms)
                    ),
                    style,
                ));
            }
        }
        Mode::Map | Mode::Suggestion { .. } => {
            if let Some(&i) = state.steps.get(state.selected) {
                let node = &map.nodes[i];
                lines.push(Line::from(Span::styled(
                    format!("{} ({})", node.label, node.id),
                    node_style(node).add_modifier(Modifier::BOLD),
                )));
                lines.push(Line::from(format!(
                    "{} times in {} of {} sessions; median {}, p90 {}, expected {}",
                    node.count,
                    node.sessions,
                    map.sessions,
                    secs(node.median_active_secs),
                    secs(node.p90_active_secs),
                    node.expected_secs.map_or("-".into(), |e| format!("{e} s"))
                )));
                let (incoming, outgoing) = state.flows();
                let selected = state.selected_flow();
                let flow_line = |edge: usize, other: &str, arrow: &str| {
                    let e = &map.edges[edge];
                    let tag = if e.conforming { "  " } else { "! " };
                    let style = if selected == Some(edge) {
                        Style::default().add_modifier(Modifier::REVERSED)
                    } else if e.conforming {
                        Style::default()
                    } else {
                        Style::default().fg(Color::Red)
                    };
                    Line::styled(
                        format!(
                            "{tag}{arrow} {}  {} ({})",
                            clip(&name(state, other), 34),
                            e.count,
                            percent(e.share)
                        ),
                        style,
                    )
                };
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(
                    "Comes from",
                    Style::default().add_modifier(Modifier::UNDERLINED),
                )));
                for &edge in &incoming {
                    let from = map.edges[edge].from.clone();
                    lines.push(flow_line(edge, &from, "<-"));
                }
                lines.push(Line::from(Span::styled(
                    "Goes next to",
                    Style::default().add_modifier(Modifier::UNDERLINED),
                )));
                for &edge in &outgoing {
                    let to = map.edges[edge].to.clone();
                    lines.push(flow_line(edge, &to, "->"));
                }
                lines.push(Line::from(""));
                lines.push(Line::styled(
                    "! leaves the pathway (Enter: its sessions)",
                    Style::default().fg(Color::DarkGray),
                ));
            }
        }
    }
    let right_title = match state.mode {
        Mode::Sessions { .. } => " Sessions that took the flow ",
        Mode::Map | Mode::Suggestion { .. } => " The step and its flows ",
    };
    frame.render_widget(
        {
            let panel = Paragraph::new(lines)
                .block(Block::default().borders(Borders::ALL).title(right_title));
            // The step's figures wrap (their line runs past the panel at 80-100 columns); a
            // session list keeps one row per session.
            match state.mode {
                Mode::Map | Mode::Suggestion { .. } => panel.wrap(Wrap { trim: false }),
                Mode::Sessions { .. } => panel,
            }
        },
        right,
    );
}
