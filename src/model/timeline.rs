//! The observed timeline: what a session's events mean once undo is applied (docs/reference.md
//! section 3). A pure function of the events, so capture, compare, replay, report and agree
//! all see the same steps, clocks and counts.

use std::collections::HashSet;

use super::session::{Event, EventKind, Seq, Session};
use super::vocab::{InterruptionSource, ProblemKind, WorkaroundKind};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub clicks: u32,
    pub screens: u32,
    pub reentries: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepEnding {
    /// Another step (planned or not) started.
    NextStep,
    /// The auditor marked the clinician idle.
    StepEnd,
    /// The session finished, or its events stop, with the step open.
    SessionEnd,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepSpan {
    /// The step id: a pathway step, or an unplanned step's id.
    pub step: String,
    /// An unplanned step's label as the auditor typed it.
    pub unplanned_label: Option<String>,
    pub start_seq: Seq,
    pub start_ms: u64,
    pub end_ms: u64,
    pub ended_by: StepEnding,
    /// The span minus interruptions that began inside it and minus pauses.
    pub active_ms: u64,
    pub interrupted_ms: u64,
    pub paused_ms: u64,
    pub counts: Counts,
    /// Indices into `Timeline::interruptions` of those that began while this step was open.
    pub interruptions: Vec<usize>,
    /// Indices into `Timeline::workarounds`, `problems` and `notes` logged during it.
    pub workarounds: Vec<usize>,
    pub problems: Vec<usize>,
    pub notes: Vec<usize>,
}

impl StepSpan {
    pub fn is_unplanned(&self) -> bool {
        self.unplanned_label.is_some()
    }

    pub fn span_ms(&self) -> u64 {
        self.end_ms - self.start_ms
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterruptionEnding {
    /// `I`: the clinician went back to what was interrupted.
    Resumed,
    /// A step was started instead of resuming: a task switch, to this step id.
    TaskSwitch {
        to_step: String,
    },
    /// The auditor ended the step (idle) with the interruption open.
    StepEnded,
    SessionEnd,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InterruptionSpan {
    pub source: InterruptionSource,
    pub note: String,
    pub start_seq: Seq,
    pub start_ms: u64,
    pub end_ms: u64,
    pub ended_by: InterruptionEnding,
    /// 0 for an interruption of the step, 1 for one that interrupted an interruption, ...
    pub depth: usize,
    /// The interruption this one interrupted.
    pub parent: Option<usize>,
    /// Index into `Timeline::steps` of the step that was open when it began.
    pub step: Option<usize>,
    /// Time this interruption was the innermost open one, pauses excluded: its own clock.
    pub active_ms: u64,
    pub counts: Counts,
}

/// A workaround, system problem or note, with what was open when it was logged.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark<K> {
    pub seq: Seq,
    pub at_ms: u64,
    pub kind: K,
    pub text: String,
    pub step: Option<usize>,
    pub interruption: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseSpan {
    pub start_ms: u64,
    pub end_ms: u64,
    /// A gap left by a crash or kill (a `Reopened` event), rather than the auditor's pause.
    pub gap: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    pub steps: Vec<StepSpan>,
    pub interruptions: Vec<InterruptionSpan>,
    pub workarounds: Vec<Mark<WorkaroundKind>>,
    pub problems: Vec<Mark<ProblemKind>>,
    pub notes: Vec<Mark<()>>,
    pub pauses: Vec<PauseSpan>,
    /// Counts logged while nothing was open.
    pub idle_counts: Counts,
    /// The finish event's offset, or the last event's when the session is unfinished.
    pub end_ms: u64,
    pub finished: bool,
    /// Event numbers taken back by an undo.
    pub undone: HashSet<Seq>,
    /// Events after the finish (not cancelled by a `Reopened`), which the timeline ignores.
    pub ignored_after_finish: usize,
}

impl Timeline {
    /// Time from start to end minus pauses and gaps: the time actually observed.
    pub fn observed_ms(&self) -> u64 {
        let paused: u64 = self.pauses.iter().map(|p| p.end_ms - p.start_ms).sum();
        self.end_ms.saturating_sub(paused)
    }

    /// The observed step ids in start order: the comparator's input.
    pub fn observed_steps(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.step.as_str()).collect()
    }

    /// The events that count: neither undos nor undone.
    pub fn effective<'a>(&'a self, events: &'a [Event]) -> impl Iterator<Item = &'a Event> {
        events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Undo { .. }) && !self.undone.contains(&e.seq))
    }
}

impl Session {
    pub fn timeline(&self) -> Timeline {
        derive_timeline(&self.events)
    }
}

/// Derives the timeline of a session's events (in journal order).
pub fn derive_timeline(events: &[Event]) -> Timeline {
    let mut builder = Builder::default();
    builder.timeline.undone = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Undo { target } => Some(target),
            _ => None,
        })
        .collect();
    let effective: Vec<&Event> = events
        .iter()
        .filter(|e| {
            !matches!(e.kind, EventKind::Undo { .. }) && !builder.timeline.undone.contains(&e.seq)
        })
        .collect();
    for (i, event) in effective.iter().enumerate() {
        if matches!(event.kind, EventKind::Finish) {
            // A finish followed by `Reopened` was cut short and the session continued (an
            // older shadowmap offered that): the reopening cancels it, so nothing after it
            // is dropped. Any other event after a finish is ignored, and counted so readers
            // can say so.
            if effective
                .get(i + 1)
                .is_some_and(|next| matches!(next.kind, EventKind::Reopened))
            {
                continue;
            }
            builder.apply(event);
            builder.timeline.finished = true;
            builder.timeline.ignored_after_finish = effective.len() - i - 1;
            break;
        }
        builder.apply(event);
    }
    builder.finish()
}

#[derive(Default)]
struct Builder {
    timeline: Timeline,
    current_step: Option<usize>,
    /// Open interruptions, innermost last.
    open: Vec<usize>,
    paused_since: Option<u64>,
    last_ms: u64,
}

impl Builder {
    /// Runs the clocks from the last event to `to_ms`: the innermost open item's clock runs,
    /// unless the session is paused (or `as_gap`), when only paused time grows.
    fn advance(&mut self, to_ms: u64, as_gap: bool) {
        let dt = to_ms.saturating_sub(self.last_ms);
        self.last_ms = self.last_ms.max(to_ms);
        if dt == 0 {
            return;
        }
        let paused = as_gap || self.paused_since.is_some();
        if paused {
            if let Some(step) = self.current_step {
                self.timeline.steps[step].paused_ms += dt;
            }
        } else if let Some(&innermost) = self.open.last() {
            self.timeline.interruptions[innermost].active_ms += dt;
            if let Some(step) = self.current_step {
                self.timeline.steps[step].interrupted_ms += dt;
            }
        } else if let Some(step) = self.current_step {
            self.timeline.steps[step].active_ms += dt;
        }
    }

    fn counts(&mut self) -> &mut Counts {
        if let Some(&innermost) = self.open.last() {
            &mut self.timeline.interruptions[innermost].counts
        } else if let Some(step) = self.current_step {
            &mut self.timeline.steps[step].counts
        } else {
            &mut self.timeline.idle_counts
        }
    }

    fn close_interruptions(&mut self, at_ms: u64, ended_by: InterruptionEnding) {
        while let Some(index) = self.open.pop() {
            let span = &mut self.timeline.interruptions[index];
            span.end_ms = at_ms;
            span.ended_by = ended_by.clone();
        }
    }

    fn close_step(&mut self, at_ms: u64, ended_by: StepEnding) {
        if let Some(index) = self.current_step.take() {
            let step = &mut self.timeline.steps[index];
            step.end_ms = at_ms;
            step.ended_by = ended_by;
        }
    }

    fn open_step(&mut self, event: &Event, step: &str, unplanned_label: Option<&str>) {
        self.close_interruptions(
            event.at_ms,
            InterruptionEnding::TaskSwitch {
                to_step: step.to_string(),
            },
        );
        self.close_step(event.at_ms, StepEnding::NextStep);
        self.timeline.steps.push(StepSpan {
            step: step.to_string(),
            unplanned_label: unplanned_label.map(str::to_string),
            start_seq: event.seq,
            start_ms: event.at_ms,
            end_ms: event.at_ms,
            ended_by: StepEnding::SessionEnd,
            active_ms: 0,
            interrupted_ms: 0,
            paused_ms: 0,
            counts: Counts::default(),
            interruptions: Vec::new(),
            workarounds: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
        });
        self.current_step = Some(self.timeline.steps.len() - 1);
    }

    fn mark<K>(&self, event: &Event, kind: K, text: &str) -> Mark<K> {
        Mark {
            seq: event.seq,
            at_ms: event.at_ms,
            kind,
            text: text.to_string(),
            step: self.current_step,
            interruption: self.open.last().copied(),
        }
    }

    fn end_pause(&mut self, at_ms: u64, gap: bool) {
        if let Some(start_ms) = self.paused_since.take() {
            self.timeline.pauses.push(PauseSpan {
                start_ms,
                end_ms: at_ms,
                gap,
            });
        }
    }

    fn apply(&mut self, event: &Event) {
        let at = event.at_ms;
        let is_gap = matches!(event.kind, EventKind::Reopened);
        let gap_start = self.last_ms;
        self.advance(at, is_gap);
        match &event.kind {
            EventKind::StepStart { step } => self.open_step(event, step, None),
            EventKind::UnplannedStep { step, label } => self.open_step(event, step, Some(label)),
            EventKind::StepEnd => {
                self.close_interruptions(at, InterruptionEnding::StepEnded);
                self.close_step(at, StepEnding::StepEnd);
            }
            EventKind::InterruptionStart { source, note } => {
                let index = self.timeline.interruptions.len();
                self.timeline.interruptions.push(InterruptionSpan {
                    source: *source,
                    note: note.clone(),
                    start_seq: event.seq,
                    start_ms: at,
                    end_ms: at,
                    ended_by: InterruptionEnding::SessionEnd,
                    depth: self.open.len(),
                    parent: self.open.last().copied(),
                    step: self.current_step,
                    active_ms: 0,
                    counts: Counts::default(),
                });
                if let Some(step) = self.current_step {
                    self.timeline.steps[step].interruptions.push(index);
                }
                self.open.push(index);
            }
            EventKind::InterruptionEnd => {
                if let Some(index) = self.open.pop() {
                    let span = &mut self.timeline.interruptions[index];
                    span.end_ms = at;
                    span.ended_by = InterruptionEnding::Resumed;
                }
            }
            EventKind::Clicks { delta } => {
                let counts = self.counts();
                counts.clicks = counts.clicks.saturating_add_signed(*delta);
            }
            EventKind::Screen => self.counts().screens += 1,
            EventKind::Reentry => self.counts().reentries += 1,
            EventKind::Workaround { kind, note } => {
                let mark = self.mark(event, *kind, note);
                let index = self.timeline.workarounds.len();
                if let Some(step) = self.current_step {
                    self.timeline.steps[step].workarounds.push(index);
                }
                self.timeline.workarounds.push(mark);
            }
            EventKind::SystemProblem { kind, note } => {
                let mark = self.mark(event, *kind, note);
                let index = self.timeline.problems.len();
                if let Some(step) = self.current_step {
                    self.timeline.steps[step].problems.push(index);
                }
                self.timeline.problems.push(mark);
            }
            EventKind::Note { text } => {
                let mark = self.mark(event, (), text);
                let index = self.timeline.notes.len();
                if let Some(step) = self.current_step {
                    self.timeline.steps[step].notes.push(index);
                }
                self.timeline.notes.push(mark);
            }
            EventKind::Pause => {
                if self.paused_since.is_none() {
                    self.paused_since = Some(at);
                }
            }
            EventKind::Resume => self.end_pause(at, false),
            EventKind::Reopened => {
                // The gap runs from the last event before the crash; a pause open then
                // simply goes on.
                if self.paused_since.is_none() {
                    self.timeline.pauses.push(PauseSpan {
                        start_ms: gap_start,
                        end_ms: at,
                        gap: true,
                    });
                }
            }
            // The clinician's answers at the end take no time and change no span.
            EventKind::Finish | EventKind::Undo { .. } | EventKind::Questionnaire { .. } => {}
        }
    }

    fn finish(mut self) -> Timeline {
        let end = self.last_ms;
        self.timeline.end_ms = end;
        self.close_interruptions(end, InterruptionEnding::SessionEnd);
        self.close_step(end, StepEnding::SessionEnd);
        self.end_pause(end, false);
        self.timeline
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::kinds::{interrupt, start};

    fn ev(seq: Seq, at_s: f64, kind: EventKind) -> Event {
        Event {
            seq,
            at_ms: (at_s * 1000.0) as u64,
            kind,
        }
    }

    #[test]
    fn steps_run_to_the_next_start_end_or_session_end() {
        let t = derive_timeline(&[
            ev(1, 0.0, start("a")),
            ev(2, 10.0, start("b")),
            ev(3, 25.0, EventKind::StepEnd),
            ev(4, 30.0, start("c")),
            ev(5, 42.0, EventKind::Finish),
        ]);
        let spans: Vec<_> = t
            .steps
            .iter()
            .map(|s| (s.step.as_str(), s.start_ms, s.end_ms, s.active_ms))
            .collect();
        assert_eq!(
            spans,
            [
                ("a", 0, 10_000, 10_000),
                ("b", 10_000, 25_000, 15_000),
                ("c", 30_000, 42_000, 12_000)
            ]
        );
        assert_eq!(t.steps[1].ended_by, StepEnding::StepEnd);
        assert_eq!(t.steps[2].ended_by, StepEnding::SessionEnd);
        assert!(t.finished);
        assert_eq!(t.observed_ms(), 42_000);
    }

    #[test]
    fn nested_interruptions_pause_the_step_and_each_other() {
        let t = derive_timeline(&[
            ev(1, 0.0, start("a")),
            ev(2, 10.0, interrupt(InterruptionSource::Colleague)),
            ev(3, 14.0, EventKind::Clicks { delta: 1 }),
            ev(4, 15.0, interrupt(InterruptionSource::PhonePager)),
            ev(5, 16.0, EventKind::Clicks { delta: 1 }),
            ev(6, 20.0, EventKind::InterruptionEnd),
            ev(7, 30.0, EventKind::InterruptionEnd),
            ev(8, 31.0, EventKind::Clicks { delta: 1 }),
            ev(9, 40.0, EventKind::Finish),
        ]);
        let a = &t.steps[0];
        assert_eq!(a.span_ms(), 40_000);
        assert_eq!(a.interrupted_ms, 20_000);
        assert_eq!(a.active_ms, 20_000);
        assert_eq!(a.counts.clicks, 1);
        assert_eq!(a.interruptions, [0, 1]);
        let (outer, inner) = (&t.interruptions[0], &t.interruptions[1]);
        assert_eq!(
            (outer.start_ms, outer.end_ms, outer.active_ms),
            (10_000, 30_000, 15_000)
        );
        assert_eq!(
            (inner.depth, inner.parent, inner.active_ms),
            (1, Some(0), 5_000)
        );
        assert_eq!(outer.counts.clicks, 1);
        assert_eq!(inner.counts.clicks, 1);
        assert_eq!(inner.ended_by, InterruptionEnding::Resumed);
    }

    #[test]
    fn starting_a_step_inside_interruptions_is_a_task_switch() {
        let t = derive_timeline(&[
            ev(1, 0.0, start("a")),
            ev(2, 5.0, interrupt(InterruptionSource::Patient)),
            ev(3, 6.0, interrupt(InterruptionSource::AlarmDevice)),
            ev(4, 9.0, start("b")),
        ]);
        for span in &t.interruptions {
            assert_eq!(span.end_ms, 9_000);
            assert_eq!(
                span.ended_by,
                InterruptionEnding::TaskSwitch {
                    to_step: "b".into()
                }
            );
        }
        assert_eq!(t.steps[0].active_ms, 5_000);
        assert_eq!(t.steps[1].start_ms, 9_000);
        assert!(!t.finished);
    }

    #[test]
    fn pauses_and_gaps_count_for_nothing() {
        let t = derive_timeline(&[
            ev(1, 0.0, start("a")),
            ev(2, 10.0, EventKind::Pause),
            ev(3, 70.0, EventKind::Resume),
            ev(4, 80.0, EventKind::Clicks { delta: 1 }),
            ev(5, 200.0, EventKind::Reopened),
            ev(6, 205.0, EventKind::Finish),
        ]);
        let a = &t.steps[0];
        assert_eq!(a.active_ms, 25_000);
        assert_eq!(a.paused_ms, 180_000);
        assert_eq!(
            t.pauses,
            [
                PauseSpan {
                    start_ms: 10_000,
                    end_ms: 70_000,
                    gap: false
                },
                PauseSpan {
                    start_ms: 80_000,
                    end_ms: 200_000,
                    gap: true
                }
            ]
        );
        assert_eq!(t.observed_ms(), 25_000);
    }

    #[test]
    fn undo_takes_back_any_event_kind() {
        let t = derive_timeline(&[
            ev(1, 0.0, start("a")),
            ev(2, 1.0, EventKind::Clicks { delta: 1 }),
            ev(3, 2.0, EventKind::Clicks { delta: 1 }),
            ev(4, 3.0, EventKind::Undo { target: 3 }),
            ev(5, 4.0, start("b")),
            ev(6, 5.0, EventKind::Undo { target: 5 }),
            ev(7, 6.0, interrupt(InterruptionSource::Family)),
            ev(8, 7.0, EventKind::Undo { target: 7 }),
            ev(9, 10.0, EventKind::Finish),
        ]);
        assert_eq!(t.observed_steps(), ["a"]);
        assert_eq!(t.steps[0].counts.clicks, 1);
        assert_eq!(t.steps[0].active_ms, 10_000);
        assert!(t.interruptions.is_empty());
    }

    #[test]
    fn clicks_never_go_below_zero_and_idle_counts_are_kept_apart() {
        let t = derive_timeline(&[
            ev(1, 0.0, EventKind::Clicks { delta: 1 }),
            ev(2, 1.0, start("a")),
            ev(3, 2.0, EventKind::Clicks { delta: -1 }),
            ev(4, 3.0, EventKind::Screen),
            ev(5, 4.0, EventKind::Reentry),
        ]);
        assert_eq!(t.idle_counts.clicks, 1);
        assert_eq!(
            t.steps[0].counts,
            Counts {
                clicks: 0,
                screens: 1,
                reentries: 1
            }
        );
    }

    #[test]
    fn marks_know_what_was_open() {
        let t = derive_timeline(&[
            ev(1, 0.0, start("a")),
            ev(2, 1.0, interrupt(InterruptionSource::EhrAlert)),
            ev(
                3,
                2.0,
                EventKind::SystemProblem {
                    kind: ProblemKind::AlertFatigue,
                    note: String::new(),
                },
            ),
            ev(4, 3.0, EventKind::InterruptionEnd),
            ev(
                5,
                4.0,
                EventKind::Workaround {
                    kind: WorkaroundKind::PaperNote,
                    note: "dose on glove".into(),
                },
            ),
        ]);
        assert_eq!(t.problems[0].interruption, Some(0));
        assert_eq!(t.problems[0].step, Some(0));
        assert_eq!(t.workarounds[0].interruption, None);
        assert_eq!(t.steps[0].workarounds, [0]);
        assert_eq!(t.steps[0].problems, [0]);
    }
}
