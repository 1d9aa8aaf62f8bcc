//! Before capture: the start form (site, role, clinician code, auditor, pathway; every field has
//! a default, Enter starts) and the offer to continue or finish an unfinished session. Pure
//! state and update, like the capture screen.

use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The text fields of the form, in order; the pathway picker comes after them.
pub const FIELDS: [&str; 4] = ["Site", "Role", "Clinician code", "Auditor"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartForm {
    /// Site, role, clinician code, auditor.
    pub values: [String; 4],
    /// Built-in pathways: (id, name).
    pub pathways: Vec<(String, String)>,
    pub pathway: usize,
    /// 0-3: a text field; 4: the pathway picker.
    pub focus: usize,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Type(char),
    Backspace,
    Next,
    Prev,
    Left,
    Right,
    Submit,
    Cancel,
    /// `F2` or `Ctrl-B`: open the session browser.
    Browse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Editing,
    Start,
    Cancel,
    /// Open the session browser on this terminal; the form comes back when it closes.
    Browse,
}

impl StartForm {
    pub fn new(values: [String; 4], pathways: Vec<(String, String)>, pathway: usize) -> StartForm {
        StartForm {
            values,
            pathway: pathway.min(pathways.len().saturating_sub(1)),
            pathways,
            focus: 0,
            error: None,
        }
    }

    pub fn site(&self) -> &str {
        self.values[0].trim()
    }
    pub fn role(&self) -> &str {
        self.values[1].trim()
    }
    pub fn clinician(&self) -> &str {
        self.values[2].trim()
    }
    pub fn auditor(&self) -> &str {
        self.values[3].trim()
    }
    pub fn pathway_id(&self) -> &str {
        &self.pathways[self.pathway].0
    }

    pub fn key(key: KeyEvent) -> Option<FormAction> {
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return match key.code {
                KeyCode::Char('c') => Some(FormAction::Cancel),
                KeyCode::Char('b') => Some(FormAction::Browse),
                _ => None,
            };
        }
        Some(match key.code {
            KeyCode::F(2) => FormAction::Browse,
            KeyCode::Char(c) => FormAction::Type(c),
            KeyCode::Backspace => FormAction::Backspace,
            KeyCode::Tab | KeyCode::Down => FormAction::Next,
            KeyCode::BackTab | KeyCode::Up => FormAction::Prev,
            KeyCode::Left => FormAction::Left,
            KeyCode::Right => FormAction::Right,
            KeyCode::Enter => FormAction::Submit,
            KeyCode::Esc => FormAction::Cancel,
            _ => return None,
        })
    }

    pub fn update(&mut self, action: FormAction) -> FormOutcome {
        let n = self.pathways.len().max(1);
        match action {
            FormAction::Type(c)
                if self.focus < 4
                    && !c.is_control()
                    && self.values[self.focus].chars().count() < 40 =>
            {
                self.values[self.focus].push(c);
            }
            FormAction::Type(' ') | FormAction::Right if self.focus == 4 => {
                self.pathway = (self.pathway + 1) % n;
            }
            FormAction::Left if self.focus == 4 => self.pathway = (self.pathway + n - 1) % n,
            FormAction::Type(c @ '1'..='9') if self.focus == 4 => {
                let i = c as usize - '1' as usize;
                if i < n {
                    self.pathway = i;
                }
            }
            FormAction::Backspace if self.focus < 4 => {
                self.values[self.focus].pop();
            }
            FormAction::Next => self.focus = (self.focus + 1) % 5,
            FormAction::Prev => self.focus = (self.focus + 4) % 5,
            FormAction::Submit => {
                if let Some(i) = (0..4).find(|&i| self.values[i].trim().is_empty()) {
                    self.error = Some(format!("{} is empty: type one", FIELDS[i]));
                    self.focus = i;
                    return FormOutcome::Editing;
                }
                return FormOutcome::Start;
            }
            FormAction::Cancel => return FormOutcome::Cancel,
            FormAction::Browse => return FormOutcome::Browse,
            _ => {}
        }
        self.error = None;
        FormOutcome::Editing
    }

    pub fn draw(&self, frame: &mut Frame) {
        let area = centered(frame.area(), 70, 14);
        let mut lines = Vec::new();
        for (i, name) in FIELDS.iter().enumerate() {
            let focused = self.focus == i;
            lines.push(Line::from(vec![
                Span::raw(if focused { "> " } else { "  " }),
                Span::raw(format!("{name:<15}")),
                Span::styled(
                    format!("{}{}", self.values[i], if focused { "_" } else { "" }),
                    if focused {
                        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                    } else {
                        Style::new()
                    },
                ),
            ]));
        }
        let focused = self.focus == 4;
        let (id, name) = self.pathways.get(self.pathway).cloned().unwrap_or_default();
        lines.push(Line::from(vec![
            Span::raw(if focused { "> " } else { "  " }),
            Span::raw(format!("{:<15}", "Pathway")),
            Span::styled(
                format!("< {id} >"),
                if focused {
                    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
                } else {
                    Style::new()
                },
            ),
            Span::raw(format!(" {}/{}", self.pathway + 1, self.pathways.len())),
        ]));
        lines.push(Line::raw(format!("{:17}{name}", "")));
        lines.push(Line::raw(""));
        lines.push(match &self.error {
            Some(e) => Line::styled(e.clone(), Style::new().add_modifier(Modifier::BOLD)),
            None => Line::raw("The clinician is recorded by a code, never a name."),
        });
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            "Enter start · Tab/↑↓ field · ←→ pathway · F2 sessions · Esc quit",
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
}

/// An unfinished session found at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfinished {
    pub id: String,
    pub started_at: DateTime<FixedOffset>,
    pub clinician: String,
    pub pathway_id: String,
    pub events: usize,
    /// Recovery dropped damage (a torn last record) from its journal.
    pub recovered: bool,
    /// Another running shadowmap holds its writer lock: it is being captured right now.
    pub in_use: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeMenu {
    pub sessions: Vec<Unfinished>,
    pub selected: usize,
    /// Why the last choice was refused (a session another shadowmap is capturing).
    pub message: Option<String>,
}

/// What the resume menu says of a session another running shadowmap is capturing.
pub fn in_use_message(id: &str) -> String {
    format!(
        "another shadowmap is capturing session {id} right now: go on there, or close it \
         (q, or Ctrl-C) and come back"
    )
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResumeOutcome {
    Choosing,
    Continue(String),
    FinishAsIs(String),
    New,
    Quit,
}

impl ResumeMenu {
    pub fn new(sessions: Vec<Unfinished>) -> ResumeMenu {
        ResumeMenu {
            sessions,
            selected: 0,
            message: None,
        }
    }

    pub fn update(&mut self, key: KeyEvent) -> ResumeOutcome {
        let n = self.sessions.len();
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return if key.code == KeyCode::Char('c') {
                ResumeOutcome::Quit
            } else {
                ResumeOutcome::Choosing
            };
        }
        self.message = None;
        let id = || self.sessions[self.selected].id.clone();
        let in_use = n > 0 && self.sessions[self.selected].in_use;
        match key.code {
            KeyCode::Enter | KeyCode::Char('c') | KeyCode::Char('f') if in_use => {
                self.message = Some(in_use_message(&id()));
            }
            KeyCode::Up | KeyCode::Char('k') => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(n.saturating_sub(1));
            }
            KeyCode::Char(c @ '1'..='9') if (c as usize - '1' as usize) < n => {
                self.selected = c as usize - '1' as usize;
            }
            KeyCode::Enter | KeyCode::Char('c') if n > 0 => return ResumeOutcome::Continue(id()),
            KeyCode::Char('f') if n > 0 => return ResumeOutcome::FinishAsIs(id()),
            KeyCode::Char('n') => return ResumeOutcome::New,
            KeyCode::Esc | KeyCode::Char('q') => return ResumeOutcome::Quit,
            _ => {}
        }
        ResumeOutcome::Choosing
    }

    pub fn draw(&self, frame: &mut Frame) {
        let shown = &self.sessions[..self.sessions.len().min(9)];
        let rows = shown.len() + shown.iter().filter(|s| s.in_use).count();
        let height = rows as u16 + 8 + u16::from(self.message.is_some()) * 3;
        let area = centered(frame.area(), 76, height);
        let [list, help] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(4)]).areas(area);
        let mut lines = vec![Line::raw(
            "These sessions were not finished (a crash, a kill or Ctrl-C).",
        )];
        for (i, s) in self.sessions.iter().enumerate().take(9) {
            let selected = i == self.selected;
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
        if let Some(message) = &self.message {
            lines.push(Line::raw(""));
            let width = usize::from(area.width.saturating_sub(2));
            for part in super::draw::wrap_words(message, width).into_iter().take(2) {
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
            Paragraph::new(vec![
                Line::raw("c/Enter continue it (the time away shows as a gap)"),
                Line::raw("f finish it as it is · n new session · q quit"),
            ])
            .block(Block::new().borders(Borders::BOTTOM | Borders::LEFT | Borders::RIGHT)),
            help,
        );
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// A file-name safe session id: `20261125-0918-north-RN-07` (start minute, site, clinician).
pub fn session_id(started_at: DateTime<FixedOffset>, site: &str, clinician: &str) -> String {
    let safe = |s: &str| -> String {
        let mapped: String = s
            .trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let trimmed = mapped.trim_matches(|c| c == '-' || c == '.').to_string();
        if trimmed.is_empty() {
            "x".to_string()
        } else {
            trimmed
        }
    };
    format!(
        "{}-{}-{}",
        started_at.format("%Y%m%d-%H%M"),
        safe(site),
        safe(clinician)
    )
}
