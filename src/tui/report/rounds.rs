//! The report screen's rounds view (`report --tui --split ...`): one comparison at a time
//! (each pair of rounds, for the whole pathway and each group), its figures with their
//! verdicts, clear changes first, and its findings with their time cost per round.
//! Reads only; the view's position lives in [`RoundsView`].

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::rounds::render::{p_text, test_cells, test_name};
use crate::rounds::{Comparison, PathwayRounds, Rounds, Test, Verdict};

/// The rounds and where the view is in them.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundsView {
    pub rounds: Rounds,
    /// Every comparison as (pathway index, comparison index), in the order shown.
    pub order: Vec<(usize, usize)>,
    pub selected: usize,
    /// The first test row shown.
    pub scroll: usize,
}

impl RoundsView {
    pub fn new(rounds: Rounds) -> RoundsView {
        let order = rounds
            .pathways
            .iter()
            .enumerate()
            .flat_map(|(p, pathway)| (0..pathway.comparisons.len()).map(move |c| (p, c)))
            .collect();
        RoundsView {
            rounds,
            order,
            selected: 0,
            scroll: 0,
        }
    }

    pub fn current(&self) -> Option<(&PathwayRounds, &Comparison)> {
        let &(p, c) = self.order.get(self.selected)?;
        let pathway = &self.rounds.pathways[p];
        Some((pathway, &pathway.comparisons[c]))
    }

    /// Moves to the comparison `by` away (clamped), back at its first row.
    pub fn select(&mut self, by: isize) {
        let last = self.order.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(by).min(last);
        self.scroll = 0;
    }

    /// Scrolls the figures `by` rows (clamped).
    pub fn scroll(&mut self, by: isize) {
        let rows = self.current().map_or(0, |(_, c)| c.tests.len());
        self.scroll = self
            .scroll
            .saturating_add_signed(by)
            .min(rows.saturating_sub(1));
    }
}

/// Clear changes first, then no clear change, then too few; the order within kept.
pub fn ordered_tests(c: &Comparison) -> Vec<&Test> {
    let rank = |v: Verdict| match v {
        Verdict::Improved | Verdict::Worse => 0,
        Verdict::NoClearChange => 1,
        Verdict::TooFew => 2,
    };
    let mut tests: Vec<&Test> = c.tests.iter().collect();
    tests.sort_by_key(|t| rank(t.verdict));
    tests
}

/// From this width on the figures show their interval and adjusted p.
const WIDE: u16 = 110;

/// A median, shift or rate in a narrow column: seconds and counts with one decimal, rates in %.
fn short_value(test: &Test, value: Option<f64>) -> String {
    match value {
        None => "-".into(),
        Some(v) if !test.is_values() => format!("{:.0}%", v * 100.0),
        Some(v) if test.metric == "fitness" => format!("{v:.3}"),
        Some(v) => format!("{v:.1}"),
    }
}

fn verdict_style(v: Verdict) -> Style {
    match v {
        Verdict::Improved => Style::default()
            .fg(Color::Green)
            .add_modifier(Modifier::BOLD),
        Verdict::Worse => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        Verdict::NoClearChange => Style::default(),
        Verdict::TooFew => Style::default().fg(Color::DarkGray),
    }
}

/// The view, above a footer the screen supplies.
pub fn draw_rounds(view: &RoundsView, frame: &mut Frame, area: Rect, footer: Line) {
    let [head, rounds_area, tests_area, findings_area, foot] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(view.rounds.rounds.len().min(6) as u16 + 2),
        Constraint::Min(5),
        Constraint::Length(8),
        Constraint::Length(1),
    ])
    .areas(area);
    let Some((pathway, comparison)) = view.current() else {
        frame.render_widget(
            Paragraph::new(vec![
                Line::from(Span::styled(
                    "shadowmap rounds",
                    Style::default().add_modifier(Modifier::BOLD),
                )),
                Line::from(format!(
                    "{} round(s) by {}: nothing to compare (each pathway needs two rounds with sessions)",
                    view.rounds.rounds.len(),
                    view.rounds.split
                )),
            ]),
            head,
        );
        frame.render_widget(Paragraph::new(footer), foot);
        return;
    };
    let count = |v: Verdict| comparison.tests.iter().filter(|t| t.verdict == v).count();
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(
                    format!(
                        "shadowmap rounds  comparison {} of {}",
                        view.selected + 1,
                        view.order.len()
                    ),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!("  [{}]  {}", comparison.group_label(), pathway.id)),
            ]),
            Line::from(format!("{} -> {}", comparison.from, comparison.to)),
            Line::from(format!(
                "{} improved, {} worse, {} no clear change, {} too few",
                count(Verdict::Improved),
                count(Verdict::Worse),
                count(Verdict::NoClearChange),
                count(Verdict::TooFew)
            )),
        ]),
        head,
    );

    round_table(pathway, frame, rounds_area);
    figures(view, comparison, frame, tests_area);
    finding_costs(comparison, frame, findings_area);
    frame.render_widget(Paragraph::new(footer), foot);
}

/// The pathway's rounds, one row each.
fn round_table(pathway: &PathwayRounds, frame: &mut Frame, area: Rect) {
    let round_rows = pathway.rounds.iter().map(|r| {
        Row::new(vec![
            r.name.clone(),
            r.sessions.to_string(),
            format!("{:.1}", r.hours_observed),
            format!("{:.3}", r.mean_fitness),
            r.sites.join(", "),
        ])
    });
    frame.render_widget(
        Table::new(
            round_rows,
            [
                Constraint::Length(24),
                Constraint::Length(8),
                Constraint::Length(7),
                Constraint::Length(8),
                Constraint::Min(10),
            ],
        )
        .header(Row::new(["round", "sessions", "hours", "fitness", "sites"]))
        .block(Block::default().borders(Borders::TOP).title(" rounds ")),
        area,
    );
}

/// The comparison's figures, clear changes first, from the scrolled-to row.
fn figures(view: &RoundsView, comparison: &Comparison, frame: &mut Frame, area: Rect) {
    // The interval and adjusted p need a wide terminal; the verdict always shows.
    let wide = area.width >= WIDE;
    let test_rows = ordered_tests(comparison)
        .into_iter()
        .skip(view.scroll)
        .map(|t| {
            let [before, after, change, interval] = test_cells(t);
            let mut cells = vec![Cell::from(test_name(t))];
            if wide {
                cells.extend(
                    [before, after, change, interval, p_text(t.p_adjusted)].map(Cell::from),
                );
            } else {
                let value = |side: &crate::rounds::Side| short_value(t, side.value());
                cells.extend(
                    [
                        value(&t.before),
                        value(&t.after),
                        short_value(t, t.estimate),
                    ]
                    .map(Cell::from),
                );
            }
            cells.push(Cell::from(Span::styled(
                t.verdict.name(),
                verdict_style(t.verdict),
            )));
            Row::new(cells)
        });
    let (widths, header): (Vec<Constraint>, Vec<&str>) = if wide {
        (
            vec![
                Constraint::Min(30),
                Constraint::Length(16),
                Constraint::Length(16),
                Constraint::Length(9),
                Constraint::Length(18),
                Constraint::Length(6),
                Constraint::Length(15),
            ],
            vec![
                "figure", "before", "after", "change", "95 % CI", "p adj.", "verdict",
            ],
        )
    } else {
        (
            vec![
                Constraint::Min(30),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Length(15),
            ],
            vec!["figure", "before", "after", "change", "verdict"],
        )
    };
    frame.render_widget(
        Table::new(test_rows, widths)
            .header(Row::new(header))
            .block(
                Block::default()
                    .borders(Borders::TOP)
                    .title(" figures (clear changes first) "),
            ),
        area,
    );
}

/// The comparison's findings with their status and time cost per round.
fn finding_costs(comparison: &Comparison, frame: &mut Frame, area: Rect) {
    let finding_lines: Vec<Line> = comparison
        .findings
        .iter()
        .map(|f| {
            let costs = f
                .time_cost_min
                .iter()
                .map(|v| format!("{v:.1}"))
                .collect::<Vec<_>>()
                .join(" -> ");
            Line::from(format!(
                "{:<10} {}  ({} min)",
                f.status.name(),
                f.title.replace('`', ""),
                costs
            ))
        })
        .collect();
    frame.render_widget(
        Paragraph::new(finding_lines).block(
            Block::default()
                .borders(Borders::TOP)
                .title(" findings: time cost per round "),
        ),
        area,
    );
}
