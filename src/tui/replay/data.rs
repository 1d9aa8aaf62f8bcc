//! What a replay shows, computed once when the session opens: the effective events, the
//! derived timeline, what the pathway expects of each observed step, and the comparator's
//! deviations placed in time. Read-only afterwards; the playback state moves over it.

use crate::compare::{Comparison, compare_session};
use crate::model::timeline::{InterruptionSpan, StepSpan};
use crate::model::{
    Event, EventKind, Pathway, Session, SessionHeader, Timeline, derive_timeline, session_time,
};

/// What the pathway expects of one observed step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub label: String,
    pub secs: u32,
    pub clicks: u32,
}

/// A comparator deviation as the replay shows it (the comparator's `Deviation`, decoupled).
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayDeviation {
    /// The comparator's snake_case kind: `missing`, `unplanned`, `over_time`, ...
    pub kind: String,
    pub step: String,
    pub text: String,
    /// Index into the timeline's steps, when the deviation concerns an observed step.
    pub observed: Option<usize>,
    pub at_ms: Option<u64>,
}

impl ReplayDeviation {
    /// A one-letter tag, so kinds are told apart without colour.
    pub fn letter(&self) -> char {
        match self.kind.as_str() {
            "missing" => 'M',
            "unplanned" => 'U',
            "out_of_order" => 'O',
            "repeated" => 'R',
            "over_time" => 'T',
            "over_clicks" => 'K',
            _ => '!',
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReplayData {
    pub header: SessionHeader,
    /// The events that count (no undo, nothing undone), in order.
    pub events: Vec<Event>,
    /// Their offsets, for binary search.
    pub event_ms: Vec<u64>,
    /// Offsets and deltas of the effective click events.
    pub clicks: Vec<(u64, i32)>,
    pub timeline: Timeline,
    /// What the pathway expects of each observed step (None: not in the pathway, or no pathway).
    pub expected: Vec<Option<Expected>>,
    /// The pathway the comparison is against: id and version.
    pub pathway: Option<(String, u32)>,
    pub deviations: Vec<ReplayDeviation>,
    /// (time, index into `deviations`), sorted: the deviations the playhead can jump to.
    pub deviation_times: Vec<(u64, usize)>,
    pub fitness: Option<f64>,
    /// Why there is no comparison, when there is none.
    pub comparison_note: Option<String>,
    /// How many events were taken back by an undo (not shown).
    pub undone: usize,
}

impl ReplayData {
    pub fn new(session: &Session, pathway: Option<&Pathway>) -> ReplayData {
        let timeline = derive_timeline(&session.events);
        let events: Vec<Event> = timeline.effective(&session.events).cloned().collect();
        let event_ms = events.iter().map(|e| e.at_ms).collect();
        let clicks = events
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::Clicks { delta } => Some((e.at_ms, delta)),
                _ => None,
            })
            .collect();
        let expected = timeline
            .steps
            .iter()
            .map(|span| {
                pathway
                    .and_then(|p| p.step(&span.step))
                    .map(|step| Expected {
                        label: step.label.clone(),
                        secs: step.expected_secs,
                        clicks: step.expected_clicks,
                    })
            })
            .collect();
        ReplayData {
            header: session.header.clone(),
            undone: timeline.undone.len(),
            events,
            event_ms,
            clicks,
            timeline,
            expected,
            pathway: pathway.map(|p| (p.id.clone(), p.version)),
            deviations: Vec::new(),
            deviation_times: Vec::new(),
            fitness: None,
            comparison_note: None,
        }
    }

    /// The replay with the comparator's view of the session against `pathway`.
    pub fn compared(session: &Session, pathway: &Pathway) -> ReplayData {
        let mut data = ReplayData::new(session, Some(pathway));
        data.set_comparison(&compare_session(session, pathway));
        data
    }

    /// Takes the comparator's deviations and fitness.
    pub fn set_comparison(&mut self, comparison: &Comparison) {
        let deviations = comparison
            .deviations
            .iter()
            .map(|d| ReplayDeviation {
                kind: d.kind.name().to_string(),
                step: d.step.clone(),
                text: d.text.clone(),
                observed: d.observed,
                at_ms: d.at_ms,
            })
            .collect();
        self.set_deviations(deviations, Some(comparison.fitness));
    }

    /// Places the comparator's deviations: at their own time, else at the start of the
    /// observed step they concern; those with neither (a missing step) are listed only.
    pub fn set_deviations(&mut self, deviations: Vec<ReplayDeviation>, fitness: Option<f64>) {
        let mut times: Vec<(u64, usize)> = deviations
            .iter()
            .enumerate()
            .filter_map(|(index, d)| self.deviation_ms(d).map(|at| (at, index)))
            .collect();
        times.sort_unstable();
        self.deviations = deviations;
        self.deviation_times = times;
        self.fitness = fitness;
    }

    pub fn deviation_ms(&self, deviation: &ReplayDeviation) -> Option<u64> {
        deviation.at_ms.or_else(|| {
            deviation
                .observed
                .and_then(|i| self.timeline.steps.get(i))
                .map(|s| s.start_ms)
        })
    }

    pub fn end_ms(&self) -> u64 {
        self.timeline.end_ms
    }

    /// The index of the last event at or before `at_ms`.
    pub fn event_at(&self, at_ms: u64) -> Option<usize> {
        self.event_ms
            .partition_point(|&t| t <= at_ms)
            .checked_sub(1)
    }

    /// The offset of the first event after `at_ms`.
    pub fn next_event_ms(&self, at_ms: u64) -> Option<u64> {
        let i = self.event_ms.partition_point(|&t| t <= at_ms);
        self.event_ms.get(i).copied()
    }

    /// The offset of the last event before `at_ms`.
    pub fn previous_event_ms(&self, at_ms: u64) -> Option<u64> {
        let i = self.event_ms.partition_point(|&t| t < at_ms);
        i.checked_sub(1).map(|i| self.event_ms[i])
    }

    /// The index into `timeline.steps` of the step open at `at_ms` (a step's end belongs to
    /// the next one; the last step keeps its end).
    pub fn step_at(&self, at_ms: u64) -> Option<usize> {
        let steps = &self.timeline.steps;
        let i = steps
            .partition_point(|s| s.start_ms <= at_ms)
            .checked_sub(1)?;
        let span = &steps[i];
        let last_moment = at_ms == span.end_ms && at_ms == self.timeline.end_ms;
        (at_ms < span.end_ms
            || last_moment
            || span.start_ms == span.end_ms && at_ms == span.start_ms)
            .then_some(i)
    }

    /// The interruptions open at `at_ms`, outermost first.
    pub fn interruptions_at(&self, at_ms: u64) -> Vec<usize> {
        let list = &self.timeline.interruptions;
        let upto = list.partition_point(|s| s.start_ms <= at_ms);
        let mut open: Vec<usize> = (0..upto).filter(|&i| at_ms < list[i].end_ms).collect();
        open.sort_by_key(|&i| list[i].depth);
        open
    }

    pub fn step(&self, index: usize) -> &StepSpan {
        &self.timeline.steps[index]
    }

    pub fn interruption(&self, index: usize) -> &InterruptionSpan {
        &self.timeline.interruptions[index]
    }

    /// The deviation shown beside the playhead: one placed exactly here, else the first one
    /// about the step under the playhead.
    pub fn deviation_for(&self, at_ms: u64, step: Option<usize>) -> Option<usize> {
        let i = self.deviation_times.partition_point(|&(t, _)| t < at_ms);
        if let Some(&(t, index)) = self.deviation_times.get(i)
            && t == at_ms
        {
            return Some(index);
        }
        let step = step?;
        self.deviations
            .iter()
            .position(|d| d.observed == Some(step))
    }

    /// The next deviation strictly after `at_ms`: its time.
    pub fn next_deviation_ms(&self, at_ms: u64) -> Option<u64> {
        let i = self.deviation_times.partition_point(|&(t, _)| t <= at_ms);
        self.deviation_times.get(i).map(|&(t, _)| t)
    }

    pub fn previous_deviation_ms(&self, at_ms: u64) -> Option<u64> {
        let i = self.deviation_times.partition_point(|&(t, _)| t < at_ms);
        i.checked_sub(1).map(|i| self.deviation_times[i].0)
    }
}

/// A short description of an event for the side panel.
pub fn describe(event: &Event, data: &ReplayData) -> String {
    let with_note = |name: &str, note: &str| {
        if note.is_empty() {
            name.to_string()
        } else {
            format!("{name}: {note}")
        }
    };
    match &event.kind {
        EventKind::StepStart { step } => {
            let label = data
                .timeline
                .steps
                .iter()
                .position(|s| s.start_seq == event.seq)
                .and_then(|i| data.expected[i].as_ref());
            match label {
                Some(expected) => format!("step {step} ({})", expected.label),
                None => format!("step {step}"),
            }
        }
        EventKind::UnplannedStep { step, label } => format!("unplanned step {step} ({label})"),
        EventKind::StepEnd => "step end (idle)".into(),
        EventKind::InterruptionStart { source, note } => {
            with_note(&format!("interruption {}", source.name()), note)
        }
        EventKind::InterruptionEnd => "interruption end (resume)".into(),
        EventKind::Clicks { delta } => format!("clicks {delta:+}"),
        EventKind::Screen => "screen +1".into(),
        EventKind::Reentry => "re-entry +1".into(),
        EventKind::Workaround { kind, note } => {
            with_note(&format!("workaround {}", kind.name()), note)
        }
        EventKind::SystemProblem { kind, note } => {
            with_note(&format!("problem {}", kind.name()), note)
        }
        EventKind::Note { text } => format!("note: {text}"),
        EventKind::Undo { target } => format!("undo #{target}"),
        EventKind::Pause => "pause".into(),
        EventKind::Resume => "resume".into(),
        EventKind::Reopened => "reopened after a crash".into(),
        EventKind::Finish => "finish".into(),
    }
}

/// A duration as a session time is written (`m:ss`, `h:mm:ss` from an hour), to the nearest
/// second.
pub fn duration(ms: u64) -> String {
    session_time::format((ms + 500) / 1000 * 1000)
}

/// Parses a time typed by the user: `4:12`, `1:02:03`, `90` (seconds), or relative to
/// `current_ms` with a sign: `+30`, `-1:00`.
pub fn parse_time(text: &str, current_ms: u64) -> Option<u64> {
    let text = text.trim();
    let (sign, rest) = match text.chars().next()? {
        '+' => (1, &text[1..]),
        '-' => (-1, &text[1..]),
        _ => (0, text),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut secs: u64 = 0;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let value: u64 = part.parse().ok()?;
        if i > 0 && value >= 60 {
            return None;
        }
        secs = secs.checked_mul(60)?.checked_add(value)?;
    }
    let ms = secs.checked_mul(1000)?;
    Some(match sign {
        1 => current_ms.saturating_add(ms),
        -1 => current_ms.saturating_sub(ms),
        _ => ms,
    })
}

/// Parses a wall-clock time `@HH:MM` or `@HH:MM:SS` as an offset from the session start
/// `start` (the next such moment at or after it, so a night shift crosses midnight).
pub fn parse_wall_time(text: &str, start: chrono::DateTime<chrono::FixedOffset>) -> Option<u64> {
    use chrono::Timelike;
    let text = text.trim().strip_prefix('@')?;
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (h, m, s) = (numbers[0], numbers[1], numbers.get(2).copied().unwrap_or(0));
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    const DAY_MS: u64 = 86_400_000;
    let wanted = (h * 3600 + m * 60 + s) * 1000;
    let begun = u64::from(start.num_seconds_from_midnight()) * 1000
        + u64::from(start.nanosecond() / 1_000_000);
    Some((wanted + DAY_MS - begun) % DAY_MS)
}
