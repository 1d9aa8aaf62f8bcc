//! The report screen: the ranked findings; select one, press `c` to pick a cause from a
//! one-key menu, type who and why, and the override is saved (atomically) to the overrides
//! file beside the sessions. Key -> action -> update (pure, clock passed in) -> effects;
//! draw only reads.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::model::Cause;
use crate::report::{Finding, Override, Overrides};

/// The one-key cause menu: key, cause.
pub const CAUSE_KEYS: [(char, Cause); 5] = [
    ('t', Cause::Training),
    ('d', Cause::Design),
    ('i', Cause::Integration),
    ('f', Cause::Infrastructure),
    ('p', Cause::Policy),
];

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    List,
    PickCause,
    Who { cause: Cause },
    Why { cause: Cause, who: String },
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub findings: Vec<Finding>,
    pub overrides: Overrides,
    pub overrides_path: PathBuf,
    pub selected: usize,
    pub mode: Mode,
    /// The text being typed (who, then why).
    pub input: String,
    /// The last name typed, offered again.
    pub last_who: String,
    pub status: String,
    pub quit: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    OpenCauseMenu,
    PickCause(Cause),
    /// Remove the selected finding's override (back to the suggested cause).
    RemoveOverride,
    Char(char),
    Backspace,
    Submit,
    Cancel,
    Quit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Write the overrides file (atomically), then call [`State::saved`].
    SaveOverrides(Overrides),
}

impl State {
    pub fn new(findings: Vec<Finding>, overrides: Overrides, overrides_path: &Path) -> State {
        State {
            findings,
            overrides,
            overrides_path: overrides_path.to_path_buf(),
            selected: 0,
            mode: Mode::List,
            input: String::new(),
            last_who: String::new(),
            status: String::new(),
            quit: false,
        }
    }

    pub fn current(&self) -> Option<&Finding> {
        self.findings.get(self.selected)
    }

    /// What the effect runner reports after writing the file.
    pub fn saved(&mut self, result: Result<(), String>) {
        self.status = match result {
            Ok(()) => format!("saved {}", self.overrides_path.display()),
            Err(e) => format!(
                "could not save {}: {e} (the override is kept on screen; try again)",
                self.overrides_path.display()
            ),
        };
    }

    /// Applies the overrides to the findings on screen.
    fn apply_overrides(&mut self) {
        for f in &mut self.findings {
            match self.overrides.get(&f.id) {
                Some(o) => {
                    f.cause = o.cause;
                    f.overridden = Some(o.clone());
                }
                None => {
                    f.cause = f.suggested_cause;
                    f.overridden = None;
                }
            }
        }
    }
}

pub fn key_to_action(state: &State, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return Some(Action::Quit);
    }
    match &state.mode {
        Mode::List => match key.code {
            KeyCode::Up | KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
            KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
            KeyCode::Char('c') | KeyCode::Enter => Some(Action::OpenCauseMenu),
            KeyCode::Char('x') => Some(Action::RemoveOverride),
            KeyCode::Char('q') | KeyCode::Esc => Some(Action::Quit),
            _ => None,
        },
        Mode::PickCause => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Char(c) => {
                let by_letter = CAUSE_KEYS.iter().find(|(k, _)| *k == c).map(|(_, v)| *v);
                let by_digit = c
                    .to_digit(10)
                    .and_then(|d| CAUSE_KEYS.get((d as usize).wrapping_sub(1)))
                    .map(|(_, v)| *v);
                by_letter.or(by_digit).map(Action::PickCause)
            }
            _ => None,
        },
        Mode::Who { .. } | Mode::Why { .. } => match key.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Backspace => Some(Action::Backspace),
            KeyCode::Char(c) => Some(Action::Char(c)),
            _ => None,
        },
    }
}

pub fn update(state: &mut State, action: Action, now: DateTime<FixedOffset>) -> Vec<Effect> {
    let last = state.findings.len().saturating_sub(1);
    match (state.mode.clone(), action) {
        (_, Action::Quit) => state.quit = true,
        (Mode::List, Action::Up) => state.selected = state.selected.saturating_sub(1),
        (Mode::List, Action::Down) => state.selected = (state.selected + 1).min(last),
        (Mode::List, Action::Top) => state.selected = 0,
        (Mode::List, Action::Bottom) => state.selected = last,
        (Mode::List, Action::OpenCauseMenu) if state.current().is_some() => {
            state.mode = Mode::PickCause;
            state.status = "pick a cause".into();
        }
        (Mode::List, Action::RemoveOverride) => {
            let Some(id) = state.current().map(|f| f.id.clone()) else {
                return vec![];
            };
            if state.overrides.remove(&id) {
                state.apply_overrides();
                state.status = format!("override of {id} removed");
                return vec![Effect::SaveOverrides(state.overrides.clone())];
            }
            state.status = format!("{id} has no override");
        }
        (Mode::PickCause, Action::PickCause(cause)) => {
            state.mode = Mode::Who { cause };
            state.input = state.last_who.clone();
            state.status = format!("cause {cause}: who decides? (Enter)");
        }
        (Mode::Who { .. } | Mode::Why { .. }, Action::Char(c)) => state.input.push(c),
        (Mode::Who { .. } | Mode::Why { .. }, Action::Backspace) => {
            state.input.pop();
        }
        (Mode::Who { cause }, Action::Submit) => {
            let who = state.input.trim().to_string();
            if who.is_empty() {
                state.status = "who: type your name or code".into();
            } else {
                state.last_who = who.clone();
                state.mode = Mode::Why { cause, who };
                state.input.clear();
                state.status = "why? (Enter saves)".into();
            }
        }
        (Mode::Why { cause, who }, Action::Submit) => {
            let why = state.input.trim().to_string();
            if why.is_empty() {
                state.status = "why: say what the evidence shows".into();
                return vec![];
            }
            let Some(id) = state.current().map(|f| f.id.clone()) else {
                return vec![];
            };
            state.overrides.set(Override {
                finding: id.clone(),
                cause,
                who,
                why,
                when: now,
            });
            state.apply_overrides();
            state.mode = Mode::List;
            state.input.clear();
            state.status = format!("{id}: cause set to {cause}; saving");
            return vec![Effect::SaveOverrides(state.overrides.clone())];
        }
        (_, Action::Cancel) => {
            state.mode = Mode::List;
            state.input.clear();
            state.status = "cancelled".into();
        }
        _ => {}
    }
    vec![]
}

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

#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
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
        let mut lines = vec![
            Line::from(vec![
                Span::styled(f.id.clone(), Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(format!(
                    "  {} of {} {}s, {:.2} min each",
                    f.occurrences, f.base, f.unit, f.excess_min_per_occurrence
                )),
            ]),
            Line::from(format!(
                "suggested {} by {} ({} {:.2}): {}",
                f.suggested_cause, f.rule, f.confidence_label, f.confidence, f.because
            )),
        ];
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
        Mode::List => "j/k move  c cause  x remove override  q quit",
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
            let popup = centered(area, 34, 9);
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
            let popup = centered(area, 60, 3);
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

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Runs the screen until the auditor quits. Saves the overrides file on each change.
pub fn run(findings: Vec<Finding>, overrides: Overrides, path: &Path) -> std::io::Result<()> {
    use super::terminal::{Input, enter};
    let mut state = State::new(findings, overrides, path);
    let mut term = enter()?;
    let input = Input::spawn();
    term.draw(|f| draw(&state, f))?;
    while let Ok(first) = input.recv() {
        let mut events = vec![first];
        events.extend(input.drain());
        for (_, event) in events {
            let crossterm::event::Event::Key(key) = event else {
                continue;
            };
            let Some(action) = key_to_action(&state, key) else {
                continue;
            };
            let now = chrono::Local::now().fixed_offset();
            for effect in update(&mut state, action, now) {
                match effect {
                    Effect::SaveOverrides(o) => {
                        let result = o.save(&state.overrides_path).map_err(|e| e.to_string());
                        state.saved(result);
                    }
                }
            }
        }
        if state.quit {
            break;
        }
        term.draw(|f| draw(&state, f))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::findings::CellShare;
    use crate::report::{Rule, aggregate::Evidence};
    use crossterm::event::KeyEventKind;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn finding(rank: usize, id: &str, title: &str, cost: f64, cause: Cause, rule: Rule) -> Finding {
        Finding {
            id: id.into(),
            rank,
            pathway: "med-rec-admission".into(),
            step: "enter-home-meds".into(),
            step_label: "Enter home medications".into(),
            kind: "slow_step".into(),
            title: title.into(),
            time_cost_min: cost,
            excess_min_per_occurrence: cost / 4.0,
            occurrences: 4,
            unit: "occurrence",
            base: 5,
            rate: 0.8,
            suggested_cause: cause,
            rule,
            because: "seen at every site".into(),
            confidence: 0.6,
            confidence_label: "medium",
            cause,
            overridden: None,
            evidence: Evidence {
                sessions: 4,
                session_ids: vec!["s1".into()],
                sites: vec![CellShare::new("north", 2, 2), CellShare::new("river", 1, 2)],
                roles: vec![CellShare::new("RN", 3, 4)],
                clinicians: vec![],
                pathway_versions: vec![3],
                expected_secs: Some(240),
                median_active_secs: Some(450.0),
                p90_active_secs: Some(490.0),
                expected_clicks: Some(40),
                median_clicks: Some(66.0),
                notes: vec![],
            },
        }
    }

    fn state() -> State {
        State::new(
            vec![
                finding(
                    1,
                    "F-3602e8de98",
                    "`enter-home-meds` takes longer than expected",
                    14.7,
                    Cause::Design,
                    Rule::DesignEverywhere,
                ),
                finding(
                    2,
                    "F-0f1eb328f4",
                    "workaround `second_system` during `pdmp-query`",
                    4.6,
                    Cause::Integration,
                    Rule::IntegrationKind,
                ),
                finding(
                    3,
                    "F-1f74fef205",
                    "`scan-medication` takes longer than expected",
                    2.5,
                    Cause::Training,
                    Rule::TrainingConcentrated,
                ),
            ],
            Overrides::default(),
            Path::new("/data/overrides.ron"),
        )
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-25T10:30:00+01:00").unwrap()
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new_with_kind(code, KeyModifiers::NONE, KeyEventKind::Press)
    }

    /// Feeds keys through the keymap and update, as the loop does; returns the effects.
    fn press(state: &mut State, keys: &str) -> Vec<Effect> {
        let mut effects = vec![];
        for c in keys.chars() {
            let code = match c {
                '\n' => KeyCode::Enter,
                '\x1b' => KeyCode::Esc,
                '\x08' => KeyCode::Backspace,
                c => KeyCode::Char(c),
            };
            if let Some(action) = key_to_action(state, key(code)) {
                effects.extend(update(state, action, now()));
            }
        }
        effects
    }

    fn screen(state: &State) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal.draw(|f| draw(state, f)).unwrap();
        terminal.backend().to_string()
    }

    #[test]
    fn moving_stays_in_the_list() {
        let mut s = state();
        press(&mut s, "k");
        assert_eq!(s.selected, 0);
        press(&mut s, "jjjj");
        assert_eq!(s.selected, 2);
        press(&mut s, "g");
        assert_eq!(s.selected, 0);
        press(&mut s, "G");
        assert_eq!(s.selected, 2);
    }

    #[test]
    fn picking_a_cause_with_who_and_why_saves_an_override() {
        let mut s = state();
        press(&mut s, "j");
        assert!(press(&mut s, "c").is_empty());
        assert_eq!(s.mode, Mode::PickCause);
        // An unknown key in the menu does nothing.
        press(&mut s, "z");
        assert_eq!(s.mode, Mode::PickCause);
        press(&mut s, "t");
        assert_eq!(
            s.mode,
            Mode::Who {
                cause: Cause::Training
            }
        );
        // An empty name is refused.
        assert!(press(&mut s, "\n").is_empty());
        press(&mut s, "akk\x08\n");
        assert_eq!(
            s.mode,
            Mode::Why {
                cause: Cause::Training,
                who: "ak".into()
            }
        );
        let effects = press(&mut s, "only river\n");
        let expected = Override {
            finding: "F-0f1eb328f4".into(),
            cause: Cause::Training,
            who: "ak".into(),
            why: "only river".into(),
            when: now(),
        };
        assert_eq!(effects.len(), 1);
        let Effect::SaveOverrides(saved) = &effects[0];
        assert_eq!(saved.overrides, vec![expected.clone()]);
        assert_eq!(s.mode, Mode::List);
        assert_eq!(s.findings[1].cause, Cause::Training);
        assert_eq!(s.findings[1].suggested_cause, Cause::Integration);
        assert_eq!(s.findings[1].overridden, Some(expected));
        s.saved(Ok(()));
        assert_eq!(s.status, "saved /data/overrides.ron");
        // The name is offered again; a digit picks from the menu too.
        press(&mut s, "k c2");
        assert_eq!(s.input, "ak");
        assert_eq!(
            s.mode,
            Mode::Who {
                cause: Cause::Design
            }
        );
    }

    #[test]
    fn escape_cancels_and_x_removes_an_override() {
        let mut s = state();
        press(&mut s, "cd\x1b");
        assert_eq!(s.mode, Mode::List);
        assert!(s.overrides.overrides.is_empty());
        press(&mut s, "cp");
        press(&mut s, "me\nrule\n");
        assert_eq!(s.findings[0].cause, Cause::Policy);
        let effects = press(&mut s, "x");
        assert_eq!(effects, vec![Effect::SaveOverrides(Overrides::default())]);
        assert_eq!(s.findings[0].cause, Cause::Design);
        assert!(s.findings[0].overridden.is_none());
        assert!(press(&mut s, "x").is_empty());
        s.saved(Err("disk full".into()));
        assert!(s.status.contains("could not save"), "{}", s.status);
        press(&mut s, "q");
        assert!(s.quit);
    }

    #[test]
    fn snapshot_list_with_an_override() {
        let mut s = state();
        press(&mut s, "cijo\nnightly interface drops the list\n");
        s.saved(Ok(()));
        insta::assert_snapshot!("report_list", screen(&s));
    }

    #[test]
    fn snapshot_cause_menu() {
        let mut s = state();
        press(&mut s, "jjc");
        insta::assert_snapshot!("report_cause_menu", screen(&s));
    }
}
