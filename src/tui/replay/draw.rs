//! Drawing the replay screen. Reads the state only. Every kind is told by a letter or a
//! pattern, never by colour alone, so the screen reads in monochrome and at 80x24.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use std::fmt::Write as _;

use super::data::{ReplayData, describe, duration};
use super::{Mode, ReplayState};
use crate::model::session_time;

const LABEL_WIDTH: usize = 6;
const PANEL_WIDTH: u16 = 28;
/// Interruptions deeper than this share the last lane.
const MAX_INTERRUPTION_LANES: usize = 3;

pub fn draw(state: &ReplayState, frame: &mut Frame, area: Rect) {
    let [title, status, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(title_line(&state.data)), title);
    frame.render_widget(Paragraph::new(status_line(state)), status);
    let panel_width = if body.width >= 60 { PANEL_WIDTH } else { 0 };
    let [left, panel] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(panel_width)]).areas(body);
    let lanes = interruption_lanes(&state.data);
    let timeline_height = (1 + 1 + 1 + lanes + 3) as u16;
    let [timeline, strip] =
        Layout::vertical([Constraint::Length(timeline_height), Constraint::Min(0)]).areas(left);
    draw_timeline(state, frame, timeline, lanes);
    draw_strip(state, frame, strip);
    if panel_width > 0 {
        draw_panel(state, frame, panel);
    }
    frame.render_widget(Paragraph::new(footer_line(state)), footer);
    if state.mode == Mode::Help {
        draw_help(state, frame, area);
    }
}

fn title_line(data: &ReplayData) -> Line<'static> {
    let h = &data.header;
    let mut text = format!("{} · {} {} {}", h.id, h.site, h.role, h.clinician);
    match &data.pathway {
        Some((id, version)) => {
            let _ = write!(text, " · {id} v{version}");
        }
        None => text.push_str(" · no pathway"),
    }
    if let Some(fitness) = data.fitness {
        let _ = write!(text, " · fit {fitness:.2}");
    }
    Line::from(Span::styled(
        text,
        Style::new().add_modifier(Modifier::BOLD),
    ))
}

fn status_line(state: &ReplayState) -> Line<'static> {
    let p = &state.playback;
    let (w0, w1) = p.window();
    let wall = state
        .data
        .header
        .started_at
        .checked_add_signed(chrono::Duration::milliseconds(p.position_ms as i64))
        .map(|t| t.format("%H:%M:%S").to_string())
        .unwrap_or_default();
    let play = if p.playing { "> PLAY " } else { "|| PAUSE" };
    let mut text = format!(
        "{play} {:>2}x  {} / {}  at {wall}  zoom {}x",
        p.speed(),
        session_time::format(p.position_ms),
        session_time::format(p.end_ms),
        p.zoom_factor()
    );
    if p.zoom > 0 {
        let _ = write!(
            text,
            " {}-{}",
            session_time::format(w0),
            session_time::format(w1)
        );
    }
    Line::from(text)
}

fn footer_line(state: &ReplayState) -> Line<'static> {
    match &state.mode {
        Mode::GoTo(text) => {
            let mut line = format!("Go to (4:12 +30 -1:00 @09:22): {text}_  Enter go  Esc back");
            if !state.status.is_empty() {
                line = format!("{}  {line}", state.status);
            }
            Line::from(Span::styled(
                line,
                Style::new().add_modifier(Modifier::BOLD),
            ))
        }
        _ if !state.status.is_empty() => Line::from(Span::styled(
            state.status.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        )),
        _ => Line::from(state.keys.footer("  ")),
    }
}

fn interruption_lanes(data: &ReplayData) -> usize {
    let deepest = data
        .timeline
        .interruptions
        .iter()
        .map(|i| i.depth + 1)
        .max()
        .unwrap_or(1);
    deepest.clamp(1, MAX_INTERRUPTION_LANES)
}

/// Maps session time onto `width` columns of the window `[w0, w1)`.
struct Scale {
    w0: u64,
    w1: u64,
    width: usize,
}

impl Scale {
    fn col(&self, at_ms: u64) -> usize {
        let at = at_ms.clamp(self.w0, self.w1);
        let col =
            u128::from(at - self.w0) * self.width as u128 / u128::from((self.w1 - self.w0).max(1));
        (col as usize).min(self.width.saturating_sub(1))
    }

    /// The columns a span `[start, end)` covers, if it shows in the window.
    fn cols(&self, start: u64, end: u64) -> Option<(usize, usize)> {
        if end < self.w0 || start >= self.w1 || (end == self.w0 && start < end) {
            return None;
        }
        let first = self.col(start);
        let last = self.col(end.saturating_sub(1).max(start));
        Some((first, last.max(first)))
    }

    fn contains(&self, at_ms: u64) -> bool {
        (self.w0..self.w1).contains(&at_ms) || (at_ms == self.w1 && self.w1 > self.w0)
    }
}

/// Paints a bar: `[label===]`, or as much of it as fits.
fn paint_bar(row: &mut [char], (first, last): (usize, usize), label: &str, fill: char) {
    let width = last - first + 1;
    let mut letters = label.chars();
    match width {
        1 => row[first] = letters.next().unwrap_or(fill),
        2 => {
            row[first] = '[';
            row[last] = letters.next().unwrap_or(fill);
        }
        _ => {
            row[first] = '[';
            row[last] = ']';
            for cell in &mut row[first + 1..last] {
                *cell = letters.next().unwrap_or(fill);
            }
        }
    }
}

fn draw_timeline(state: &ReplayState, frame: &mut Frame, area: Rect, lanes: usize) {
    let block = Block::new().borders(Borders::TOP).title(" Timeline ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width as usize <= LABEL_WIDTH + 2 || inner.height == 0 {
        return;
    }
    let data = &state.data;
    let (w0, w1) = state.playback.window();
    let width = inner.width as usize - LABEL_WIDTH;
    let scale = Scale { w0, w1, width };
    let playhead = scale.col(state.position_ms());
    let timeline = &data.timeline;

    let mut rows: Vec<(String, Vec<char>)> = Vec::new();

    // Steps: bars labelled with the step id; `?` fills an unplanned step.
    let mut steps = vec![' '; width];
    let first_step = timeline.steps.partition_point(|s| s.end_ms < w0);
    for span in timeline.steps[first_step..]
        .iter()
        .take_while(|s| s.start_ms < w1)
    {
        if let Some(cols) = scale.cols(span.start_ms, span.end_ms) {
            let fill = if span.is_unplanned() { '?' } else { '=' };
            paint_bar(&mut steps, cols, &span.step, fill);
        }
    }
    rows.push(("Step".into(), steps));

    // Interruptions, one lane per depth, named by their source.
    let mut lanes_rows = vec![vec![' '; width]; lanes];
    let upto = timeline.interruptions.partition_point(|s| s.start_ms < w1);
    for span in &timeline.interruptions[..upto] {
        if let Some(cols) = scale.cols(span.start_ms, span.end_ms) {
            let lane = span.depth.min(lanes - 1);
            paint_bar(&mut lanes_rows[lane], cols, span.source.name(), '~');
        }
    }
    for (depth, row) in lanes_rows.into_iter().enumerate() {
        rows.push((format!("Int{}", depth + 1), row));
    }

    // Marks: pauses `_` and crash gaps `#` underneath; notes N, workarounds W, problems X.
    let mut marks = vec![' '; width];
    for pause in &timeline.pauses {
        if let Some((a, b)) = scale.cols(pause.start_ms, pause.end_ms) {
            let fill = if pause.gap { '#' } else { '_' };
            marks[a..=b].iter_mut().for_each(|c| *c = fill);
        }
    }
    let put = |at: u64, letter: char, marks: &mut Vec<char>| {
        if scale.contains(at) {
            marks[scale.col(at)] = letter;
        }
    };
    for mark in in_window(&timeline.notes, |m| m.at_ms, w0, w1) {
        put(mark.at_ms, 'N', &mut marks);
    }
    for mark in in_window(&timeline.workarounds, |m| m.at_ms, w0, w1) {
        put(mark.at_ms, 'W', &mut marks);
    }
    for mark in in_window(&timeline.problems, |m| m.at_ms, w0, w1) {
        put(mark.at_ms, 'X', &mut marks);
    }
    rows.push(("Marks".into(), marks));

    // Clicks: how many click events fall in each column (a digit, `+` above nine).
    let mut counts = vec![0u32; width];
    for &(at, delta) in in_window(&data.clicks, |c| c.0, w0, w1) {
        if delta > 0 && scale.contains(at) {
            counts[scale.col(at)] += 1;
        }
    }
    let clicks = counts
        .iter()
        .map(|&n| match n {
            0 => ' ',
            1..=9 => char::from_digit(n, 10).unwrap_or('+'),
            _ => '+',
        })
        .collect();
    rows.push(("Click".into(), clicks));

    // Deviations: a letter per kind (T over time, K over clicks, U unplanned, ...).
    let mut devs = vec![' '; width];
    for &(at, index) in in_window(&data.deviation_times, |d| d.0, w0, w1) {
        if scale.contains(at) {
            devs[scale.col(at)] = data.deviations[index].letter();
        }
    }
    rows.push(("Dev".into(), devs));

    let mut lines = vec![axis_line(&scale, playhead)];
    for (label, row) in rows {
        lines.push(lane_line(&label, row, playhead));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The items of a time-sorted list whose time lies in `[w0, w1]`.
fn in_window<T>(items: &[T], at: impl Fn(&T) -> u64, w0: u64, w1: u64) -> &[T] {
    let first = items.partition_point(|item| at(item) < w0);
    let last = items.partition_point(|item| at(item) <= w1);
    &items[first..last.max(first)]
}

fn lane_line(label: &str, mut row: Vec<char>, playhead: usize) -> Line<'static> {
    if row[playhead] == ' ' {
        row[playhead] = '|';
    }
    let before: String = row[..playhead].iter().collect();
    let at: String = row[playhead].to_string();
    let after: String = row[playhead + 1..].iter().collect();
    Line::from(vec![
        Span::styled(
            format!("{label:<LABEL_WIDTH$}"),
            Style::new().add_modifier(Modifier::DIM),
        ),
        Span::raw(before),
        Span::styled(
            at,
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ),
        Span::raw(after),
    ])
}

/// Tick labels on a round interval, and `v` above the playhead.
fn axis_line(scale: &Scale, playhead: usize) -> Line<'static> {
    const TICKS_S: [u64; 16] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800,
    ];
    let span_s = ((scale.w1 - scale.w0) / 1000).max(1);
    let tick_s = TICKS_S
        .iter()
        .copied()
        .find(|&t| (span_s / t) as usize * 10 <= scale.width)
        .unwrap_or(86_400);
    let mut row = vec![' '; scale.width];
    let hours = scale.w1 >= 3_600_000;
    let mut t = scale.w0.div_ceil(tick_s * 1000) * tick_s * 1000;
    let mut free_from = 0;
    while t <= scale.w1 {
        let col = scale.col(t);
        let secs = t / 1000;
        let label = if hours {
            format!("{}:{:02}", secs / 3600, secs / 60 % 60)
        } else {
            format!("{}:{:02}", secs / 60, secs % 60)
        };
        if col >= free_from && col + label.len() <= scale.width {
            for (i, c) in label.chars().enumerate() {
                row[col + i] = c;
            }
            free_from = col + label.len() + 1;
        }
        t += tick_s * 1000;
    }
    row[playhead] = 'v';
    let text: String = row.into_iter().collect();
    Line::from(vec![
        Span::styled(
            format!("{:<LABEL_WIDTH$}", if hours { "h:mm" } else { "m:ss" }),
            Style::new().add_modifier(Modifier::DIM),
        ),
        Span::raw(text),
    ])
}

/// Expected vs observed active time per step: `#` observed within expected, `+` over it,
/// `.` expected but not used, `|` where the expectation ends.
fn draw_strip(state: &ReplayState, frame: &mut Frame, area: Rect) {
    let block = Block::new()
        .borders(Borders::TOP)
        .title(" Steps: observed vs expected active time ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let data = &state.data;
    let steps = &data.timeline.steps;
    if inner.height == 0 || steps.is_empty() {
        return;
    }
    let height = inner.height as usize;
    let current = state.current_step();
    let first = current
        .unwrap_or(0)
        .saturating_sub(height / 2)
        .min(steps.len().saturating_sub(height));
    let scale_ms = steps
        .iter()
        .zip(&data.expected)
        .map(|(s, e)| {
            s.active_ms
                .max(e.as_ref().map_or(0, |e| u64::from(e.secs) * 1000))
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let name_width = 12;
    let figures_width = 11;
    let bar_width =
        (inner.width as usize).saturating_sub(4 + name_width + 1 + 1 + 1 + figures_width);
    let mut lines = Vec::new();
    for (index, span) in steps.iter().enumerate().skip(first).take(height) {
        let expected_ms = data.expected[index]
            .as_ref()
            .map(|e| u64::from(e.secs) * 1000);
        let to_cols =
            |ms: u64| (u128::from(ms) * bar_width as u128 / u128::from(scale_ms)) as usize;
        let observed = to_cols(span.active_ms);
        let mut bar: Vec<char> = (0..bar_width)
            .map(|i| match expected_ms.map(to_cols) {
                Some(e) if i < observed && i < e => '#',
                Some(_) if i < observed => '+',
                Some(e) if i < e => '.',
                None if i < observed => '?',
                _ => ' ',
            })
            .collect();
        if let Some(e) = expected_ms.map(to_cols)
            && bar_width > 0
        {
            bar[e.min(bar_width - 1)] = '|';
        }
        let figures = match expected_ms {
            Some(e) => format!("{}/{}", duration(span.active_ms), duration(e)),
            None => format!("{}/-", duration(span.active_ms)),
        };
        let here = current == Some(index);
        let name: String = span.step.chars().take(name_width).collect();
        let text = format!(
            "{}{:>3} {name:<name_width$} {} {figures:>figures_width$}",
            if here { '>' } else { ' ' },
            index + 1,
            bar.into_iter().collect::<String>(),
        );
        let style = if here {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn heading(text: &str, width: usize) -> Line<'static> {
    let mut line = format!("-- {text} ");
    while line.chars().count() < width {
        line.push('-');
    }
    Line::from(Span::styled(
        line,
        Style::new().add_modifier(Modifier::BOLD),
    ))
}

fn draw_panel(state: &ReplayState, frame: &mut Frame, area: Rect) {
    let block = Block::new().borders(Borders::LEFT);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let data = &state.data;
    let at = state.position_ms();
    let mut lines: Vec<Line> = Vec::new();

    lines.push(heading("Event", width));
    match data.event_at(at) {
        Some(i) => {
            let event = &data.events[i];
            lines.push(Line::from(format!(
                "#{} at {}",
                event.seq,
                session_time::format(event.at_ms)
            )));
            lines.push(Line::from(describe(event, data)));
        }
        None => lines.push(Line::from("(before the first event)")),
    }

    match state.current_step() {
        Some(i) => {
            let span = data.step(i);
            lines.push(heading(
                &format!("Step {}/{}", i + 1, data.timeline.steps.len()),
                width,
            ));
            lines.push(Line::from(span.step.clone()));
            let expected = data.expected[i].as_ref();
            if let Some(label) = &span.unplanned_label {
                lines.push(Line::from(format!("unplanned: {label}")));
            }
            lines.push(Line::from(match expected {
                Some(e) => format!(
                    "time   {} exp {}",
                    duration(span.active_ms),
                    duration(u64::from(e.secs) * 1000)
                ),
                None => format!("time   {} exp -", duration(span.active_ms)),
            }));
            lines.push(Line::from(match expected {
                Some(e) => format!("clicks {} exp {}", span.counts.clicks, e.clicks),
                None => format!("clicks {} exp -", span.counts.clicks),
            }));
            lines.push(Line::from(format!(
                "screens {} re-entry {}",
                span.counts.screens, span.counts.reentries
            )));
        }
        None => {
            lines.push(heading("Step", width));
            lines.push(Line::from("(no step open: idle)"));
        }
    }

    let open = data.interruptions_at(at);
    if !open.is_empty() {
        lines.push(heading("Interrupted", width));
        for index in open {
            let span = data.interruption(index);
            let indent = " ".repeat(span.depth.min(4));
            lines.push(Line::from(format!(
                "{indent}{} {} {}",
                span.depth + 1,
                span.source.name(),
                session_time::format(span.start_ms)
            )));
            if !span.note.is_empty() {
                lines.push(Line::from(format!("{indent}  \"{}\"", span.note)));
            }
        }
    }

    lines.push(heading("Deviation", width));
    match state.current_deviation() {
        Some(index) => {
            let deviation = &data.deviations[index];
            lines.push(Line::from(Span::styled(
                format!(
                    "{} {} {}",
                    deviation.letter(),
                    deviation.kind,
                    deviation.step
                ),
                Style::new().add_modifier(Modifier::BOLD),
            )));
            lines.push(Line::from(deviation.text.clone()));
        }
        None => match &data.comparison_note {
            Some(note) => lines.push(Line::from(note.clone())),
            None if data.deviations.is_empty() => lines.push(Line::from("none in this session")),
            None => {
                let placed = data.deviation_times.len();
                lines.push(Line::from(format!(
                    "none here; {placed} on the timeline (d/D)"
                )));
                // Deviations with no place in time: steps the pathway expected and nobody did.
                for deviation in data
                    .deviations
                    .iter()
                    .filter(|d| data.deviation_ms(d).is_none())
                {
                    lines.push(Line::from(format!(
                        "{} {} {}",
                        deviation.letter(),
                        deviation.kind,
                        deviation.step
                    )));
                }
            }
        },
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn draw_help(state: &ReplayState, frame: &mut Frame, area: Rect) {
    const LEGEND: [(&str, &str); 3] = [
        ("", ""),
        ("Lanes", "[id===] step  [src~~] interruption"),
        ("", "N note W workaround X problem _ pause"),
    ];
    let rows = state
        .keys
        .rows
        .iter()
        .map(|row| (row.keys.as_str(), row.help))
        .chain(LEGEND);
    let width = 60.min(area.width);
    let height = ((state.keys.rows.len() + LEGEND.len()) as u16 + 3).min(area.height);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    let mut lines: Vec<Line> = rows
        .map(|(key, does)| Line::from(format!("{key:<11} {does}")))
        .collect();
    lines.push(Line::from(
        "Dev: T time K clicks U unplanned O order R repeat",
    ));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(" Replay keys (any key closes) ")),
        rect,
    );
}
