//! Drawing the capture screen: reads the state only. Everything colour says is also said in
//! text (OVER, NOW, done, skip, PAUSED), so the screen reads the same in monochrome.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::live::LiveMark;
use super::state::{
    Action, CaptureState, Mode, PICKER_PAGE, PickerKind, SearchHit, Survey, SurveyStage,
    TextPurpose,
};
use crate::model::questionnaire::{SUS_ITEMS, TLX_SUBSCALES};
use crate::model::session_time;

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

fn block(title: impl Into<Line<'static>>) -> Block<'static> {
    Block::new().borders(Borders::ALL).title(title)
}

/// The saved mark: shows the last event number only once the journal has made it durable.
pub fn saved_mark(state: &CaptureState) -> Span<'static> {
    if state.failed.is_some() {
        let pending = state.pending();
        let text = match (pending.first(), pending.last()) {
            (Some(a), Some(b)) if a.seq != b.seq => format!(" NOT SAVED #{}-#{} ", a.seq, b.seq),
            (Some(a), _) => format!(" NOT SAVED #{} ", a.seq),
            _ => " NOT SAVING ".to_string(),
        };
        return Span::styled(
            text,
            Style::new()
                .fg(Color::White)
                .bg(Color::Red)
                .add_modifier(Modifier::BOLD),
        );
    }
    match state.events.last() {
        None => Span::raw("nothing logged yet"),
        Some(last) if last.seq <= state.saved => Span::styled(
            format!("✓ saved #{}", last.seq),
            Style::new().fg(Color::Green),
        ),
        Some(last) => Span::styled(
            format!("… saving #{}", last.seq),
            Style::new().fg(Color::Yellow),
        ),
    }
}

/// The loud banner after a refused append, wrapped at `width`: what was not saved, why (the
/// store's message), and what to do. Empty when all is well.
pub fn failure_lines(state: &CaptureState, width: u16) -> Vec<Line<'static>> {
    let Some(error) = &state.failed else {
        return Vec::new();
    };
    let width = usize::from(width.max(1));
    let loud = Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD);
    let pending = state.pending();
    let what = match (pending.first(), pending.last()) {
        (Some(a), Some(b)) if a.seq != b.seq => format!(
            "!! EVENTS #{}-#{} NOT SAVED: in memory only, not on disk",
            a.seq, b.seq
        ),
        (Some(a), _) => format!("!! EVENT #{} NOT SAVED: in memory only, not on disk", a.seq),
        _ => "!! NOTHING MORE IS SAVED: the journal stopped".to_string(),
    };
    let mut lines: Vec<Line> = wrap_words(&what, width)
        .into_iter()
        .map(|l| Line::styled(format!("{l:<width$}"), loud))
        .collect();
    // The store's message says why; its general advice is the last line here.
    for part in error
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("hint: every event before it is on disk"))
    {
        lines.extend(
            wrap_words(part, width)
                .into_iter()
                .map(|l| Line::styled(l, Style::new().fg(Color::Red))),
        );
    }
    let todo = format!(
        "R: continue in a new journal segment (saves them). Events up to #{} are on disk.",
        state.saved
    );
    lines.extend(
        wrap_words(&todo, width)
            .into_iter()
            .map(|l| Line::styled(l, bold())),
    );
    lines
}

/// Splits `text` into lines of at most `width` characters, at spaces where it can.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        loop {
            let used = line.chars().count();
            let need = word.chars().count() + usize::from(used > 0);
            if used + need <= width {
                if used > 0 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than the line: cut it.
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            lines.push(head);
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn draw(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let mut failure = failure_lines(state, area.width);
    // At most 7 rows: the first and the last (what to do) always show.
    if failure.len() > 7 {
        let last = failure.pop().expect("more than 7 lines");
        failure.truncate(6);
        failure.push(last);
    }
    let hint = hint_lines(state, area.width);
    let [title, banner_area, body, status, hint_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(failure.len() as u16),
        Constraint::Min(8),
        Constraint::Length(1),
        Constraint::Length(hint.len().clamp(1, 2) as u16),
    ])
    .areas(area);
    draw_title(state, frame, title);
    if !failure.is_empty() {
        frame.render_widget(Paragraph::new(failure), banner_area);
    }
    let left_width = (area.width * 11 / 20).max(40).min(area.width);
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_width), Constraint::Min(0)]).areas(body);
    let open = state.open_interruptions().len();
    let [now, stack, events] = Layout::vertical([
        Constraint::Length(6),
        Constraint::Length(2 + open.clamp(1, 5) as u16),
        Constraint::Min(3),
    ])
    .areas(left);
    draw_now(state, frame, now);
    draw_stack(state, frame, stack);
    draw_events(state, frame, events);
    draw_pathway(state, frame, right);
    draw_status(state, frame, status);
    frame.render_widget(Paragraph::new(hint), hint_area);
    match &state.mode {
        Mode::Help => draw_help(state, frame, area),
        Mode::ConfirmFinish if state.failed.is_some() => draw_confirm_leave(state, frame, area),
        Mode::ConfirmFinish => draw_confirm(frame, area),
        Mode::Picker { kind, page, .. } => draw_picker(state, frame, area, *kind, *page),
        Mode::Text {
            purpose, buffer, ..
        } => {
            let lines = vec![
                Line::from(vec![
                    Span::raw("> "),
                    Span::raw(buffer.clone()),
                    Span::raw("_"),
                ]),
                Line::styled("Enter saves · Esc cancels", dim()),
            ];
            let mut lines = lines;
            if let (TextPurpose::Why, Some(fresh)) = (purpose, &state.live().fresh) {
                for (i, line) in wrap_words(&fresh.text, 58).into_iter().enumerate() {
                    lines.insert(i, Line::styled(line, dim()));
                }
            }
            popup(
                frame,
                area,
                &purpose.title(&state.pathway.vocabulary),
                lines,
                60,
            );
        }
        Mode::Search {
            query, selected, ..
        } => draw_search(state, frame, area, query, *selected),
        Mode::Survey(survey) => draw_survey(survey, frame, area),
        Mode::Normal | Mode::Closed => {}
    }
}

/// A kind picker: one page of nine, keys 1-9; the page count in the title when the site's
/// own kinds make more than one.
fn draw_picker(state: &CaptureState, frame: &mut Frame, area: Rect, kind: PickerKind, page: usize) {
    let choices = kind.choices(&state.pathway.vocabulary);
    let pages = choices.len().div_ceil(PICKER_PAGE).max(1);
    let mut lines: Vec<Line> = choices
        .iter()
        .skip(page * PICKER_PAGE)
        .take(PICKER_PAGE)
        .enumerate()
        .map(|(i, (_, label))| {
            Line::from(vec![
                Span::styled(format!(" {} ", i + 1), bold()),
                Span::raw(label.clone()),
            ])
        })
        .collect();
    if pages > 1 {
        lines.push(Line::styled(" Tab next nine · Esc cancel", dim()));
    } else {
        lines.push(Line::styled(" Esc cancel", dim()));
    }
    let title = if pages > 1 {
        format!("{} ({}/{pages})", kind.title(), page + 1)
    } else {
        kind.title().to_string()
    };
    popup(frame, area, &title, lines, 40);
}

/// The clinician's screen: the whole terminal, one item at a time in large clear text; the
/// auditor's screen and the answers given are hidden.
fn draw_survey(survey: &Survey, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    let big = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    let (title, keys) = match survey.stage {
        SurveyStage::Sus => {
            let n = SUS_ITEMS.len();
            lines.push(Line::styled(
                format!("Question {} of {n}", survey.item + 1),
                dim(),
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled(SUS_ITEMS[survey.item], big));
            lines.push(Line::raw(""));
            lines.push(Line::raw(""));
            let scale: Vec<Span> = (1..=5)
                .flat_map(|v| {
                    [
                        Span::styled(
                            format!(" {v} "),
                            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                        ),
                        Span::raw("      "),
                    ]
                })
                .collect();
            lines.push(Line::from(scale).centered());
            lines.push(
                Line::raw("strongly disagree                      strongly agree").centered(),
            );
            (
                " About the system you used: how much do you agree? ",
                "1-5 answer · s skip · Backspace back · Esc skip the rest",
            )
        }
        SurveyStage::Tlx => {
            let (name, question, low, high) = TLX_SUBSCALES[survey.item];
            lines.push(Line::styled(
                format!("{name} ({} of {})", survey.item + 1, TLX_SUBSCALES.len()),
                dim(),
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled(question, big));
            lines.push(Line::raw(""));
            lines.push(Line::raw(""));
            let width = usize::from(area.width.saturating_sub(12)).clamp(21, 61);
            let at = usize::from(survey.slider) * (width - 1) / 100;
            let bar: String = (0..width)
                .map(|i| if i == at { '█' } else { '─' })
                .collect();
            lines.push(Line::from(vec![Span::raw(bar)]).centered());
            lines.push(Line::styled(format!("{}", survey.slider), big).centered());
            lines.push(Line::raw(format!("{low} (0) ... {high} (100)")).centered());
            (
                " How was this work for you? ",
                "<- -> move by 5 · Enter takes it · s skip · Backspace back · Esc skip rest",
            )
        }
        SurveyStage::HandBack => {
            // Every item skipped: nothing was saved, so the screen must not say it was.
            let answered = survey.sus.iter().chain(&survey.tlx).any(Option::is_some);
            let thanks = if answered {
                "Thank you. Your answers are saved."
            } else {
                "Thank you."
            };
            lines.push(Line::styled(thanks, big).centered());
            lines.push(Line::raw(""));
            lines.push(Line::raw("Please hand the laptop back to the auditor.").centered());
            (" Thank you ", "Auditor: Enter finishes the session")
        }
    };
    let rect = area.inner(ratatui::layout::Margin::new(2, 1));
    let height = (lines.len() as u16 + 4).min(rect.height);
    let rect = rect.centered_vertically(Constraint::Length(height));
    let [body, hint] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(block(title).border_style(big)),
        body,
    );
    frame.render_widget(Paragraph::new(Line::styled(keys, dim()).centered()), hint);
}

fn draw_title(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let mut right = vec![
        Span::raw("  session "),
        Span::styled(session_time::format(state.now_ms), bold()),
        Span::raw("  "),
    ];
    if state.paused() {
        right.push(Span::styled(
            " PAUSED ",
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ));
        right.push(Span::raw("  "));
    }
    right.push(saved_mark(state));
    let right = Line::from(right);
    let right_width = right.width() as u16;
    let [l, r] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width + 1)]).areas(area);
    let left = Line::from(vec![
        Span::styled(" shadowmap ", Style::new().add_modifier(Modifier::REVERSED)),
        Span::raw(" "),
        Span::styled(state.header.id.clone(), bold()),
        Span::raw(format!(
            "  {} v{}",
            state.header.pathway_id, state.header.pathway_version
        )),
    ]);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right), r);
}

fn draw_now(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let mut lines = Vec::new();
    match state.current_step() {
        Some(span) => {
            let label = state.label_of(&span.step);
            let mut first = vec![Span::styled(label, bold())];
            if span.is_unplanned() {
                first.push(Span::raw(" (unplanned)"));
            }
            lines.push(Line::from(first));
            let active = state.step_active_ms().unwrap_or(0);
            let mut clock_line = vec![
                Span::raw("active "),
                Span::styled(session_time::format(active), bold()),
            ];
            if let Some(step) = state.step(&span.step) {
                let expected = u64::from(step.expected_secs) * 1000;
                clock_line.push(Span::raw(format!(
                    " / {} expected",
                    session_time::format(expected)
                )));
                if active > expected {
                    clock_line.push(Span::raw("  "));
                    clock_line.push(Span::styled(
                        format!("+{} OVER", session_time::format(active - expected)),
                        Style::new()
                            .fg(Color::Red)
                            .add_modifier(Modifier::BOLD | Modifier::REVERSED),
                    ));
                }
            }
            lines.push(Line::from(clock_line));
        }
        None => {
            lines.push(Line::styled("no step open (idle)", bold()));
            lines.push(Line::raw(""));
        }
    }
    let counts = state.open_counts();
    let open = state.open_interruptions();
    let whose = if !open.is_empty() {
        "interruption"
    } else if state.current_step().is_some() {
        "step"
    } else {
        "idle"
    };
    let expected_clicks = state
        .current_step()
        .filter(|_| open.is_empty())
        .and_then(|s| state.step(&s.step))
        .map(|s| format!("/{}", s.expected_clicks))
        .unwrap_or_default();
    lines.push(Line::from(vec![
        Span::raw("clicks "),
        Span::styled(format!("{}{expected_clicks}", counts.clicks), bold()),
        Span::raw("  screens "),
        Span::styled(counts.screens.to_string(), bold()),
        Span::raw("  re-entries "),
        Span::styled(counts.reentries.to_string(), bold()),
    ]));
    let next = match state.next_expected() {
        Some(step) => format!("Space: {}", step.label),
        None => "Space: end of the pathway".to_string(),
    };
    lines.push(Line::styled(next, dim()));
    frame.render_widget(
        Paragraph::new(lines).block(block(format!(" Now · counting: {whose} "))),
        area,
    );
}

fn draw_stack(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let clocks = state.interruption_clocks();
    let title = format!(" Interruptions ({} open) ", clocks.len());
    let n = clocks.len();
    let mut lines: Vec<Line> = clocks
        .iter()
        .enumerate()
        .skip(n.saturating_sub(5))
        .map(|(i, (span, ms))| {
            let mut text = state.pathway.vocabulary.label(span.source);
            if !span.note.is_empty() {
                text.push_str(": ");
                text.push_str(&span.note);
            }
            let innermost = i + 1 == n;
            Line::from(vec![
                Span::raw(format!("{}{} ", "  ".repeat(i.min(4)), i + 1)),
                Span::styled(text, if innermost { bold() } else { Style::new() }),
                Span::raw("  "),
                Span::styled(session_time::format(*ms), bold()),
                Span::raw(if innermost {
                    "  (running, I resumes)"
                } else {
                    ""
                }),
            ])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled("none", dim()));
    }
    frame.render_widget(Paragraph::new(lines).block(block(title)), area);
}

fn draw_events(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let rows = area.height.saturating_sub(2) as usize;
    let start = state.events.len().saturating_sub(rows);
    let lines: Vec<Line> = state.events[start..]
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let saved = e.seq <= state.saved;
            let undone = state.timeline.undone.contains(&e.seq);
            let mark = match (saved, state.failed.is_some()) {
                (true, _) => Span::raw("✓ "),
                (false, false) => Span::raw("… "),
                (false, true) => Span::styled(
                    "✗ ",
                    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
                ),
            };
            let (at, text) = state.event_line(start + i).unwrap_or_default();
            let mut spans = vec![Span::raw(at), mark];
            if undone {
                spans.push(Span::styled(
                    text,
                    dim().add_modifier(Modifier::CROSSED_OUT),
                ));
                spans.push(Span::styled(
                    " (undone)",
                    dim().add_modifier(Modifier::CROSSED_OUT),
                ));
            } else {
                spans.push(Span::raw(text));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(block(" Last events (✓ = saved) ")),
        area,
    );
}

fn draw_pathway(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let next = state.next_expected().map(|s| s.id.clone());
    let mut lines: Vec<Line> = Vec::new();
    let mut group_shown: Option<String> = None;
    for (slot, (_, entry)) in state.page_entries().enumerate() {
        if entry.group != group_shown {
            if let Some(group) = &entry.group {
                lines.push(Line::styled(format!("  any order: {group}"), dim()));
            }
            group_shown = entry.group.clone();
        }
        let key = if slot == 9 {
            '0'
        } else {
            (b'1' + slot as u8) as char
        };
        let mark = state.mark(entry);
        let current = state.current_step().is_some_and(|s| s.step == entry.id);
        let is_next = next.as_deref() == Some(entry.id.as_str()) && !current;
        let (tag, style) = match mark {
            // A deviation shows even on the open step: it happened at its start.
            _ if current && !mark.is_deviation() => (
                "NOW  ",
                Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ),
            mark if mark.is_deviation() => {
                let style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
                let style = if current {
                    style.add_modifier(Modifier::REVERSED)
                } else {
                    style
                };
                (mark.tag(), style)
            }
            _ if is_next => ("next ", bold()),
            LiveMark::Done => (mark.tag(), dim()),
            LiveMark::SkippedOptional => (mark.tag(), dim().add_modifier(Modifier::ITALIC)),
            _ => (mark.tag(), Style::new()),
        };
        let indent = if entry.group.is_some() { "  " } else { "" };
        let suffix = if entry.element.is_none() {
            " (unplanned)"
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{key} "), bold()),
            Span::styled(format!("{tag} {indent}{}{suffix}", entry.label), style),
        ]));
    }
    if let Some(fresh) = &state.live().fresh {
        let width = usize::from(area.width.saturating_sub(2));
        let room = usize::from(area.height.saturating_sub(2)).saturating_sub(lines.len());
        // What to do stays on the last line whatever the room cuts of the explanation.
        let note = state.keys_for(&Action::OpenNote).unwrap_or("n");
        let hint = format!("({note}: note why)");
        let mut wrapped = wrap_words(&format!("! {}", fresh.text), width);
        if room > 0 {
            wrapped.truncate(room.min(4) - 1);
            lines.extend(std::iter::repeat_n(Line::raw(""), room - wrapped.len() - 1));
            lines.extend(
                wrapped
                    .into_iter()
                    .chain([hint])
                    .map(|l| Line::styled(l, Style::new().fg(Color::Yellow))),
            );
        }
    }
    let title = format!(
        " Pathway {}/{}{} · fitness {:.2} ",
        state.page + 1,
        state.pages(),
        if state.pages() > 1 { " (Tab)" } else { "" },
        state.live().fitness()
    );
    frame.render_widget(Paragraph::new(lines).block(block(title)), area);
}

fn draw_status(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let line = match &state.failed {
        Some(_) => Line::styled(
            state.status.clone(),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        None => Line::raw(state.status.clone()),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The key hint of the mode: (key, what) pairs.
pub fn hint_pairs(state: &CaptureState) -> Vec<(String, String)> {
    let pairs: &[(&str, &str)] = match &state.mode {
        Mode::Normal if state.failed.is_some() => &[
            ("R", "NEW JOURNAL SEGMENT (save)"),
            ("q", "leave"),
            ("?", "help"),
            ("Spc 1-0 / e c s r i I w x n u p", "still logged, in memory"),
        ],
        Mode::Normal => return state.keys.footer_pairs(),
        Mode::Picker { kind, .. } if kind.pages(&state.pathway.vocabulary) > 1 => &[
            ("1-9", "choose"),
            ("Tab", "next nine kinds"),
            ("Esc", "cancel"),
        ],
        Mode::Picker { .. } => &[("1-9", "choose"), ("Esc", "cancel")],
        Mode::Text { .. } => &[("Enter", "save"), ("Esc", "cancel")],
        Mode::Search { .. } => &[
            ("type", "filter"),
            ("Up/Down", "select"),
            ("Enter", "start / add"),
            ("Esc", "close"),
        ],
        Mode::ConfirmFinish => &[
            ("y/Enter", "finish"),
            ("v", "questionnaires for the clinician, then finish"),
            ("other", "go back"),
        ],
        Mode::Survey(_) => &[],
        Mode::Help => &[("any key", "close help")],
        Mode::Closed => &[],
    };
    pairs
        .iter()
        .map(|(k, w)| (k.to_string(), w.to_string()))
        .collect()
}

/// The key hint wrapped into lines of `width`.
pub fn hint_lines(state: &CaptureState, width: u16) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0usize;
    for (key, what) in hint_pairs(state) {
        let len = key.chars().count() + what.chars().count() + 3;
        // The two spaces after the last pair of a line may fall off the edge.
        if used + len - 2 > width as usize && !spans.is_empty() {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        spans.push(Span::styled(
            key,
            Style::new().add_modifier(Modifier::REVERSED),
        ));
        spans.push(Span::raw(format!(" {what}  ")));
        used += len;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

fn popup(frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, width: u16) {
    let rect = area.centered(
        Constraint::Length(width),
        Constraint::Length(lines.len() as u16 + 2),
    );
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(format!(" {title} ")).border_style(bold())),
        rect,
    );
}

fn draw_confirm(frame: &mut Frame, area: Rect) {
    popup(
        frame,
        area,
        "Finish the session?",
        vec![
            Line::raw("y or Enter: finish and save the session."),
            Line::raw("v: the clinician answers SUS and TLX first."),
            Line::raw("Any other key: back to capture."),
        ],
        46,
    );
}

fn draw_confirm_leave(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let n = state.pending().len();
    popup(
        frame,
        area,
        "Leave with events NOT SAVED?",
        vec![
            Line::raw(format!(
                "{n} event(s) are NOT on disk; leaving prints them on exit but cannot save them."
            )),
            Line::raw("y or Enter: leave anyway."),
            Line::raw("Any other key: back (then R: continue in a new journal segment)."),
        ],
        60,
    );
}

fn draw_help(state: &CaptureState, frame: &mut Frame, area: Rect) {
    let mut lines: Vec<Line> = state
        .keys
        .rows
        .iter()
        .map(|row| {
            Line::from(vec![
                Span::styled(format!("{:>7} ", row.keys), bold()),
                Span::raw(row.help),
            ])
        })
        .collect();
    lines.push(Line::styled(
        "While a deviation shows (!), the note key notes why it happened.",
        dim(),
    ));
    lines.push(Line::styled(
        "Kind pickers: 1-9 choose; Tab the next nine (the site's own kinds).",
        dim(),
    ));
    if !state.keys_summary.is_empty() {
        lines.push(Line::styled(state.keys_summary.clone(), dim()));
    }
    lines.push(Line::styled(
        "Every event is saved (✓) before it shows. Any key closes.",
        dim(),
    ));
    let rect = area.centered_vertically(Constraint::Length(lines.len() as u16 + 2));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(block(" Help: capture keys ").border_style(bold())),
        rect,
    );
}

fn draw_search(state: &CaptureState, frame: &mut Frame, area: Rect, query: &str, selected: usize) {
    let hits = state.search_hits(query);
    let selected = selected.min(hits.len().saturating_sub(1));
    let mut lines = vec![Line::from(vec![
        Span::raw("/ "),
        Span::styled(query.to_string(), bold()),
        Span::raw("_"),
    ])];
    let window = 8usize;
    let first = selected.saturating_sub(window - 1);
    for (i, hit) in hits.iter().enumerate().skip(first).take(window) {
        let text = match hit {
            SearchHit::Entry(e) => state.entries()[*e].label.clone(),
            SearchHit::AddUnplanned(label) => format!("+ add unplanned step \"{label}\""),
        };
        let mark = if i == selected { "> " } else { "  " };
        let style = if i == selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(format!("{mark}{text}"), style));
    }
    if hits.is_empty() {
        lines.push(Line::styled(
            "  type a step name or a new step's label",
            dim(),
        ));
    }
    popup(frame, area, "Find a step, or add one", lines, 60);
}
