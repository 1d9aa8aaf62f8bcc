//! A session's trace as XES events, in the order they are written: what happened, read from
//! the derived timeline, each event with a [`SortKey`] that says where it goes.

use std::cmp::Reverse;

use crate::model::session::Seq;
use crate::model::timeline::{
    InterruptionEnding, InterruptionSpan, Mark, PauseSpan, StepEnding, StepSpan,
};
use crate::model::{Event, EventKind, Session, Timeline, derive_timeline};

/// An attribute value, with its XES type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Int(i64),
    Float(f64),
    Boolean(bool),
    /// Milliseconds from the session start: written as the wall-clock time.
    Date(u64),
}

/// One event of a session's XES trace, before it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEvent {
    pub name: String,
    pub instance: String,
    pub transition: &'static str,
    pub at_ms: u64,
    /// Attributes beyond concept, lifecycle, org and time.
    pub attributes: Vec<(&'static str, Value)>,
    order: SortKey,
}

/// Where an event goes in its trace: by time, then by the journal number of the event that
/// caused it, then by what it does among events of the same time and cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    at_ms: u64,
    cause: Seq,
    phase: Phase,
}

/// What an event does, in the order events of the same time and cause are written: what
/// ends goes before what begins; inner interruptions end before outer ones and before the
/// step they interrupted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    /// An interruption resumes; the deeper one first.
    InterruptionEnds(Reverse<usize>),
    StepCompletes,
    PauseBegins,
    PauseEnds,
    /// A step or an interruption begins, or a workaround, problem or note is marked.
    Begins,
}

impl SortKey {
    fn new(at_ms: u64, cause: Seq, phase: Phase) -> SortKey {
        SortKey {
            at_ms,
            cause,
            phase,
        }
    }
}

pub(super) fn secs(ms: u64) -> Value {
    Value::Float(ms as f64 / 1000.0)
}

fn text_attribute(attributes: &mut Vec<(&'static str, Value)>, key: &'static str, text: &str) {
    if !text.is_empty() {
        attributes.push((key, Value::String(text.to_string())));
    }
}

fn is_step_start(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::StepStart { .. } | EventKind::UnplannedStep { .. }
    )
}

/// The events of one session's trace, in the order they are written (time, then cause).
pub fn trace_events(session: &Session) -> Vec<TraceEvent> {
    let timeline = derive_timeline(&session.events);
    trace_events_of(session, &timeline)
}

/// [`trace_events`] with the timeline already derived.
pub(super) fn trace_events_of(session: &Session, timeline: &Timeline) -> Vec<TraceEvent> {
    let trace = Trace {
        timeline,
        effective: timeline.effective(&session.events).collect(),
    };
    let mut out = Vec::new();
    for (index, step) in timeline.steps.iter().enumerate() {
        out.extend(trace.step_events(index, step));
    }
    for (index, span) in timeline.interruptions.iter().enumerate() {
        out.extend(trace.interruption_events(index, span));
    }
    for (index, pause) in timeline.pauses.iter().enumerate() {
        out.extend(trace.pause_events(index, pause));
    }
    out.extend(trace.mark_events());
    out.sort_by_key(|e| e.order);
    out
}

/// A session's timeline and its effective (not undone) events, in journal order.
struct Trace<'t> {
    timeline: &'t Timeline,
    effective: Vec<&'t Event>,
}

impl Trace<'_> {
    /// The journal number of the first effective event after number `after` at time `at_ms`
    /// or later that `pred` accepts; `Seq::MAX` when none (the session ended).
    fn cause(&self, after: Seq, at_ms: u64, pred: impl Fn(&EventKind) -> bool) -> Seq {
        // Events are in increasing number and never decreasing time: start the scan where
        // both conditions first hold, so a long session is not scanned from its start each time.
        let from = self
            .effective
            .partition_point(|e| e.seq <= after)
            .max(self.effective.partition_point(|e| e.at_ms < at_ms));
        self.effective[from..]
            .iter()
            .find(|e| pred(&e.kind))
            .map_or(Seq::MAX, |e| e.seq)
    }

    /// A step occurrence: `start` when it begins, `complete` with its figures when it ends.
    fn step_events(&self, index: usize, step: &StepSpan) -> [TraceEvent; 2] {
        let instance = (index + 1).to_string();
        let mut start_attributes = Vec::new();
        if let Some(label) = &step.unplanned_label {
            start_attributes.push(("unplanned", Value::Boolean(true)));
            text_attribute(&mut start_attributes, "label", label);
        }
        let (ended_by, end_cause) = match step.ended_by {
            StepEnding::NextStep => (
                "next_step",
                self.cause(step.start_seq, step.end_ms, is_step_start),
            ),
            StepEnding::StepEnd => (
                "step_end",
                self.cause(step.start_seq, step.end_ms, |k| {
                    matches!(k, EventKind::StepEnd)
                }),
            ),
            StepEnding::SessionEnd => ("session_end", Seq::MAX),
        };
        let mut attributes = vec![
            ("active_secs", secs(step.active_ms)),
            ("interrupted_secs", secs(step.interrupted_ms)),
            ("paused_secs", secs(step.paused_ms)),
            ("clicks", Value::Int(step.counts.clicks.into())),
            ("screens", Value::Int(step.counts.screens.into())),
            ("reentries", Value::Int(step.counts.reentries.into())),
            ("interruptions", Value::Int(step.interruptions.len() as i64)),
            ("workarounds", Value::Int(step.workarounds.len() as i64)),
            ("problems", Value::Int(step.problems.len() as i64)),
            ("ended_by", Value::String(ended_by.into())),
        ];
        if step.unplanned_label.is_some() {
            attributes.insert(0, ("unplanned", Value::Boolean(true)));
        }
        [
            TraceEvent {
                name: step.step.clone(),
                instance: instance.clone(),
                transition: "start",
                at_ms: step.start_ms,
                attributes: start_attributes,
                order: SortKey::new(step.start_ms, step.start_seq, Phase::Begins),
            },
            TraceEvent {
                name: step.step.clone(),
                instance,
                transition: "complete",
                at_ms: step.end_ms,
                attributes,
                order: SortKey::new(step.end_ms, end_cause, Phase::StepCompletes),
            },
        ]
    }

    /// An interruption: `suspend` when it begins, `resume` (with how it ended and its
    /// figures) when the interrupted work goes on.
    fn interruption_events(&self, index: usize, span: &InterruptionSpan) -> [TraceEvent; 2] {
        let name = format!("interruption:{}", span.source.name());
        let instance = format!("interruption-{}", index + 1);
        let mut attributes = vec![
            ("source", Value::String(span.source.name().into())),
            ("depth", Value::Int(span.depth as i64)),
        ];
        if let Some(step) = span.step {
            attributes.push((
                "interrupted_step",
                Value::String(self.timeline.steps[step].step.clone()),
            ));
        }
        text_attribute(&mut attributes, "note", &span.note);
        let start_attributes = attributes.clone();
        let (ended_by, end_cause) = match &span.ended_by {
            InterruptionEnding::Resumed => (
                "resumed",
                self.cause(span.start_seq, span.end_ms, |k| {
                    matches!(k, EventKind::InterruptionEnd)
                }),
            ),
            InterruptionEnding::TaskSwitch { to_step } => {
                attributes.push(("switched_to", Value::String(to_step.clone())));
                (
                    "task_switch",
                    self.cause(span.start_seq, span.end_ms, is_step_start),
                )
            }
            InterruptionEnding::StepEnded => (
                "step_ended",
                self.cause(span.start_seq, span.end_ms, |k| {
                    matches!(k, EventKind::StepEnd)
                }),
            ),
            InterruptionEnding::SessionEnd => ("session_end", Seq::MAX),
        };
        attributes.extend([
            ("ended_by", Value::String(ended_by.into())),
            ("active_secs", secs(span.active_ms)),
            ("clicks", Value::Int(span.counts.clicks.into())),
            ("screens", Value::Int(span.counts.screens.into())),
            ("reentries", Value::Int(span.counts.reentries.into())),
        ]);
        let ends = Phase::InterruptionEnds(Reverse(span.depth));
        [
            TraceEvent {
                name: name.clone(),
                instance: instance.clone(),
                transition: "suspend",
                at_ms: span.start_ms,
                attributes: start_attributes,
                order: SortKey::new(span.start_ms, span.start_seq, Phase::Begins),
            },
            TraceEvent {
                name,
                instance,
                transition: "resume",
                at_ms: span.end_ms,
                attributes,
                order: SortKey::new(span.end_ms, end_cause, ends),
            },
        ]
    }

    /// A pause or a crash gap: `suspend` and `resume`.
    fn pause_events(&self, index: usize, pause: &PauseSpan) -> [TraceEvent; 2] {
        let name = if pause.gap { "gap" } else { "pause" };
        let instance = format!("{name}-{}", index + 1);
        let start_cause = if pause.gap {
            self.cause(0, pause.start_ms, |_| true)
        } else {
            self.cause(0, pause.start_ms, |k| matches!(k, EventKind::Pause))
        };
        let end_cause = self.cause(0, pause.end_ms, |k| {
            matches!(k, EventKind::Resume | EventKind::Reopened)
        });
        [
            TraceEvent {
                name: name.into(),
                instance: instance.clone(),
                transition: "suspend",
                at_ms: pause.start_ms,
                attributes: Vec::new(),
                order: SortKey::new(pause.start_ms, start_cause, Phase::PauseBegins),
            },
            TraceEvent {
                name: name.into(),
                instance,
                transition: "resume",
                at_ms: pause.end_ms,
                attributes: vec![("paused_secs", secs(pause.end_ms - pause.start_ms))],
                order: SortKey::new(pause.end_ms, end_cause, Phase::PauseEnds),
            },
        ]
    }

    /// Workarounds, problems and notes: one `unknown` event each, with the step they were
    /// marked in.
    fn mark_events(&self) -> impl Iterator<Item = TraceEvent> + '_ {
        let timeline = self.timeline;
        let workarounds = timeline
            .workarounds
            .iter()
            .enumerate()
            .map(|(index, mark)| {
                let kind = mark.kind.name();
                let instance = format!("workaround-{}", index + 1);
                self.mark_event(mark, format!("workaround:{kind}"), instance, Some(kind))
            });
        let problems = timeline.problems.iter().enumerate().map(|(index, mark)| {
            let kind = mark.kind.name();
            let instance = format!("problem-{}", index + 1);
            self.mark_event(mark, format!("problem:{kind}"), instance, Some(kind))
        });
        let notes = timeline.notes.iter().enumerate().map(|(index, mark)| {
            let instance = format!("note-{}", index + 1);
            self.mark_event(mark, "note".into(), instance, None)
        });
        workarounds.chain(problems).chain(notes)
    }

    fn mark_event<K>(
        &self,
        mark: &Mark<K>,
        name: String,
        instance: String,
        kind: Option<&str>,
    ) -> TraceEvent {
        let mut attributes = Vec::new();
        if let Some(kind) = kind {
            attributes.push(("kind", Value::String(kind.into())));
        }
        if let Some(step) = mark.step {
            let step = &self.timeline.steps[step].step;
            attributes.push(("step", Value::String(step.clone())));
        }
        text_attribute(&mut attributes, "note", &mark.text);
        TraceEvent {
            name,
            instance,
            transition: "unknown",
            at_ms: mark.at_ms,
            attributes,
            order: SortKey::new(mark.at_ms, mark.seq, Phase::Begins),
        }
    }
}
