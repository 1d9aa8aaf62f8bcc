//! The capture update: pure. No I/O and no clock: every action arrives with the offset (ms
//! since the session start) of the key press that caused it, and what must touch the disk
//! comes back as an [`Effect`] for the loop to run.

use crate::model::pathway::Element;
use crate::model::session::{Event, EventKind};
use crate::model::vocab::InterruptionSource;
use std::fmt::Write as _;

use crate::tui::keymap::pasted_line;

use super::state::{
    Action, CaptureState, Effect, Mode, PAGE, PICKER_PAGE, Picked, PickerKind, SearchHit, Survey,
    SurveyStage, TextPurpose, slug,
};
use crate::model::questionnaire::Instrument;

/// Applies one action and derives what it changed. `at_ms` is the offset of the key press that
/// caused it.
pub fn update(state: &mut CaptureState, action: Action, at_ms: u64) -> Vec<Effect> {
    let effects = state.update(action, at_ms);
    state.settle();
    effects
}

impl CaptureState {
    fn push(&mut self, at_ms: u64, kind: EventKind) -> Effect {
        let seq = self.events.last().map_or(1, |e| e.seq + 1);
        // Offsets never go back, whatever the order keys were read in.
        let at_ms = self.events.last().map_or(at_ms, |e| e.at_ms.max(at_ms));
        let event = Event { seq, at_ms, kind };
        self.status = format!("#{seq} {}", self.describe_event(&event));
        self.events.push(event.clone());
        // The timeline, the list and the live comparison follow once the event is saved.
        Effect::Append(event)
    }

    fn start_step(&mut self, at_ms: u64, id: String) -> Vec<Effect> {
        let kind = match self.entries.iter().find(|e| e.id == id) {
            Some(entry) if entry.element.is_none() => EventKind::UnplannedStep {
                step: entry.id.clone(),
                label: entry.label.clone(),
            },
            _ => EventKind::StepStart { step: id },
        };
        let switched: Vec<String> = self
            .open_interruptions()
            .iter()
            .map(|i| self.pathway.vocabulary.label(i.source))
            .collect();
        let effect = self.push(at_ms, kind);
        if !switched.is_empty() {
            let _ = write!(self.status, " (task switch from {})", switched.join(" > "));
        }
        vec![effect]
    }

    fn add_unplanned(&mut self, at_ms: u64, label: &str) -> Vec<Effect> {
        let label = label.trim().to_string();
        let mut id = slug(&label);
        if self.pathway.step(&id).is_some()
            || self.pathway.steps.iter().any(|e| match e {
                Element::AnyOrder(g) => g.id == id,
                Element::Step(_) => false,
            })
        {
            id = format!("{id}-unplanned");
        }
        vec![self.push(at_ms, EventKind::UnplannedStep { step: id, label })]
    }

    /// Applies one action. `at_ms` is the offset of the key press that caused it. An event it
    /// logs is in `events` at once; what is derived from the events (timeline, step list, live
    /// marks) waits for [`CaptureState::settle`], so that the append is not kept waiting.
    pub fn update(&mut self, action: Action, at_ms: u64) -> Vec<Effect> {
        self.settle();
        self.tick(at_ms);
        if self.mode == Mode::Closed {
            return Vec::new();
        }
        if self.failed.is_some() {
            return self.update_failed(action, at_ms);
        }
        self.update_mode(action, at_ms)
    }

    fn update_mode(&mut self, action: Action, at_ms: u64) -> Vec<Effect> {
        match self.mode.clone() {
            Mode::Normal => self.update_normal(action, at_ms),
            Mode::Help => {
                // Any key closes the help.
                self.mode = Mode::Normal;
                Vec::new()
            }
            Mode::ConfirmFinish => match action {
                Action::ConfirmFinish => {
                    let effect = self.push(at_ms, EventKind::Finish);
                    self.mode = Mode::Closed;
                    vec![effect, Effect::Finish]
                }
                Action::Voice => {
                    self.mode = Mode::Survey(Survey::new(at_ms));
                    Vec::new()
                }
                _ => {
                    self.mode = Mode::Normal;
                    self.status = "finish cancelled".to_string();
                    Vec::new()
                }
            },
            Mode::Picker {
                kind,
                at_ms: t,
                page,
            } => self.update_picker(kind, t, page, action),
            Mode::Text {
                purpose,
                at_ms: t,
                buffer,
            } => self.update_text(purpose, t, buffer, action),
            Mode::Search {
                at_ms: t,
                query,
                selected,
            } => self.update_search(t, query, selected, action),
            Mode::Survey(survey) => self.update_survey(survey, action),
            Mode::Closed => Vec::new(),
        }
    }

    /// The clinician's questionnaires: SUS items take 1-5, TLX subscales a slider in steps of
    /// 5 (Enter takes it); any item may be skipped, Backspace goes back, Esc skips the rest of
    /// a questionnaire. Both are saved at once after the last TLX subscale, then the screen
    /// hides them and waits for the auditor (Enter), who finishes the session.
    fn update_survey(&mut self, mut survey: Survey, action: Action) -> Vec<Effect> {
        let stage = survey.stage;
        let items = match stage {
            SurveyStage::Sus => survey.sus.len(),
            SurveyStage::Tlx => survey.tlx.len(),
            SurveyStage::HandBack => 0,
        };
        let mut advance = false;
        match (stage, action) {
            (SurveyStage::HandBack, Action::Submit) => {
                let effect = self.push(survey.at_ms, EventKind::Finish);
                self.mode = Mode::Closed;
                return vec![effect, Effect::Finish];
            }
            (SurveyStage::HandBack, _) => {}
            (SurveyStage::Sus, Action::Answer(value)) => {
                survey.sus[survey.item] = Some(value);
                advance = true;
            }
            (SurveyStage::Tlx, Action::Slide(delta)) => {
                survey.slider = (i16::from(survey.slider) + i16::from(delta)).clamp(0, 100) as u8;
            }
            (SurveyStage::Tlx, Action::Submit) => {
                survey.tlx[survey.item] = Some(survey.slider);
                advance = true;
            }
            (_, Action::SkipItem) => {
                match stage {
                    SurveyStage::Sus => survey.sus[survey.item] = None,
                    _ => survey.tlx[survey.item] = None,
                }
                advance = true;
            }
            (_, Action::BackItem) => match (stage, survey.item) {
                (SurveyStage::Tlx, 0) => {
                    survey.stage = SurveyStage::Sus;
                    survey.item = survey.sus.len() - 1;
                }
                (_, 0) => {}
                (SurveyStage::Tlx, _) => {
                    survey.item -= 1;
                    // The slider shows the answer given there, as it does going forward.
                    survey.slider = survey.tlx[survey.item].unwrap_or(50);
                }
                _ => survey.item -= 1,
            },
            (_, Action::Cancel) => {
                survey.item = items - 1;
                advance = true;
            }
            _ => {}
        }
        let mut effects = Vec::new();
        if advance {
            survey.item += 1;
            if survey.item >= items {
                survey.item = 0;
                if stage == SurveyStage::Sus {
                    survey.stage = SurveyStage::Tlx;
                } else {
                    survey.stage = SurveyStage::HandBack;
                    effects = self.save_survey(&survey);
                }
            }
            if survey.stage == SurveyStage::Tlx {
                survey.slider = survey.tlx[survey.item].unwrap_or(50);
            }
        }
        self.mode = Mode::Survey(survey);
        effects
    }

    /// One event per questionnaire with at least one answer, at the finish question's time.
    fn save_survey(&mut self, survey: &Survey) -> Vec<Effect> {
        let mut effects = Vec::new();
        for (instrument, answers) in [
            (Instrument::Sus, &survey.sus),
            (Instrument::Tlx, &survey.tlx),
        ] {
            if answers.iter().any(Option::is_some) {
                effects.push(self.push(
                    survey.at_ms,
                    EventKind::Questionnaire {
                        instrument,
                        answers: answers.clone(),
                    },
                ));
            }
        }
        self.status = if effects.is_empty() {
            "questionnaires skipped".to_string()
        } else {
            "the clinician's answers are saved (hidden here)".to_string()
        };
        effects
    }

    /// After a refused append: `R` starts a new journal segment with the pending events; `q`
    /// asks before leaving (the pending events are not on disk); the other keys work as
    /// ever, their events held in memory, pending, until the new segment.
    fn update_failed(&mut self, action: Action, at_ms: u64) -> Vec<Effect> {
        match (&self.mode, action) {
            (_, Action::NewSegment) => {
                self.status = "writing a new journal segment...".to_string();
                vec![Effect::NewSegment(self.pending().to_vec())]
            }
            (Mode::ConfirmFinish, Action::ConfirmFinish) => {
                self.mode = Mode::Closed;
                vec![Effect::Leave]
            }
            (Mode::ConfirmFinish, _) => {
                self.mode = Mode::Normal;
                self.status = "R continues in a new journal segment".to_string();
                Vec::new()
            }
            (Mode::Normal, Action::AskFinish) => {
                self.mode = Mode::ConfirmFinish;
                Vec::new()
            }
            _ if self.is_finished() => {
                self.status =
                    "the finish is NOT SAVED: R saves it in a new journal segment".to_string();
                Vec::new()
            }
            (_, action) => {
                let before = self.events.len();
                let effects = self.update_mode(action, at_ms);
                if self.events.len() > before {
                    self.status
                        .push_str(" (NOT SAVED: held in memory; R saves it)");
                }
                // Nothing is written until the new segment: the events stay pending.
                effects
                    .into_iter()
                    .filter(|e| !matches!(e, Effect::Append(_)))
                    .collect()
            }
        }
    }

    #[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
    fn update_normal(&mut self, action: Action, at_ms: u64) -> Vec<Effect> {
        let paused = self.paused();
        let needs_running = matches!(
            action,
            Action::NextStep
                | Action::StartListed(_)
                | Action::OpenSearch
                | Action::EndStep
                | Action::Click(_)
                | Action::Screen
                | Action::Reentry
                | Action::OpenInterruption
                | Action::ResumeInterrupted
                | Action::OpenWorkaround
                | Action::OpenProblem
        );
        if paused && needs_running {
            self.status = "paused: p resumes".to_string();
            return Vec::new();
        }
        match action {
            Action::Paste(_) => {
                self.status = "a paste is text: open a note (n) or the search (/) first; \
                               nothing logged"
                    .to_string();
                Vec::new()
            }
            Action::NextStep => match self.next_expected() {
                Some(step) => {
                    let id = step.id.clone();
                    self.start_step(at_ms, id)
                }
                None => {
                    self.status = "no step left in the pathway: / adds one".to_string();
                    Vec::new()
                }
            },
            Action::StartListed(i) => match self.entries.get(self.page * PAGE + i) {
                Some(entry) => {
                    let id = entry.id.clone();
                    self.start_step(at_ms, id)
                }
                None => {
                    let shown = self.page_entries().count();
                    let key = if i == 9 { 0 } else { i + 1 };
                    self.status = format!("no step {key} in the list (1-{shown} shown)");
                    Vec::new()
                }
            },
            Action::NextPage => {
                if self.pages() == 1 {
                    self.status = "the whole list is shown: no other page".to_string();
                }
                self.page = (self.page + 1) % self.pages();
                Vec::new()
            }
            Action::OpenSearch => {
                self.mode = Mode::Search {
                    at_ms,
                    query: String::new(),
                    selected: 0,
                };
                Vec::new()
            }
            Action::EndStep => {
                if self.current_step().is_none() {
                    self.status = "no step is open".to_string();
                    return Vec::new();
                }
                vec![self.push(at_ms, EventKind::StepEnd)]
            }
            Action::Click(delta) => {
                if delta < 0 && self.open_counts().clicks == 0 {
                    self.status = "no click to take back".to_string();
                    return Vec::new();
                }
                vec![self.push(at_ms, EventKind::Clicks { delta })]
            }
            Action::Screen => vec![self.push(at_ms, EventKind::Screen)],
            Action::Reentry => vec![self.push(at_ms, EventKind::Reentry)],
            Action::OpenInterruption => {
                self.mode = Mode::Picker {
                    kind: PickerKind::Interruption,
                    at_ms,
                    page: 0,
                };
                Vec::new()
            }
            Action::ResumeInterrupted => {
                if self.open_interruptions().is_empty() {
                    self.status = "no interruption is open".to_string();
                    return Vec::new();
                }
                vec![self.push(at_ms, EventKind::InterruptionEnd)]
            }
            Action::OpenWorkaround => {
                self.mode = Mode::Picker {
                    kind: PickerKind::Workaround,
                    at_ms,
                    page: 0,
                };
                Vec::new()
            }
            Action::OpenProblem => {
                self.mode = Mode::Picker {
                    kind: PickerKind::Problem,
                    at_ms,
                    page: 0,
                };
                Vec::new()
            }
            Action::OpenNote => {
                // While a deviation is fresh, the note says why it happened.
                let purpose = if self.live.fresh.is_some() {
                    TextPurpose::Why
                } else {
                    TextPurpose::Note
                };
                self.mode = Mode::Text {
                    purpose,
                    at_ms,
                    buffer: String::new(),
                };
                Vec::new()
            }
            Action::Undo => match self.undo_target() {
                Some(target) => {
                    let target = target.seq;
                    vec![self.push(at_ms, EventKind::Undo { target })]
                }
                None => {
                    self.status = "nothing to undo".to_string();
                    Vec::new()
                }
            },
            Action::TogglePause => {
                let kind = if paused {
                    EventKind::Resume
                } else {
                    EventKind::Pause
                };
                vec![self.push(at_ms, kind)]
            }
            Action::AskFinish => {
                self.mode = Mode::ConfirmFinish;
                Vec::new()
            }
            Action::ToggleHelp => {
                self.mode = Mode::Help;
                Vec::new()
            }
            // Keys of the menus and fields mean nothing here.
            _ => Vec::new(),
        }
    }

    fn update_picker(
        &mut self,
        kind: PickerKind,
        at_ms: u64,
        page: usize,
        action: Action,
    ) -> Vec<Effect> {
        match action {
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.status = "cancelled".to_string();
                Vec::new()
            }
            Action::NextPage => {
                let pages = kind.pages(&self.pathway.vocabulary);
                let page = (page + 1) % pages;
                self.mode = Mode::Picker { kind, at_ms, page };
                self.status = format!("kinds, page {} of {pages}", page + 1);
                Vec::new()
            }
            Action::Pick(i) if i < PICKER_PAGE => {
                let choices = kind.choices(&self.pathway.vocabulary);
                let Some(&(picked, _)) = choices.get(page * PICKER_PAGE + i) else {
                    return Vec::new();
                };
                let text = |purpose| Mode::Text {
                    purpose,
                    at_ms,
                    buffer: String::new(),
                };
                match picked {
                    Picked::Interruption(InterruptionSource::Other) => {
                        self.mode = text(TextPurpose::InterruptionOther);
                        Vec::new()
                    }
                    Picked::Interruption(source) => {
                        self.mode = Mode::Normal;
                        vec![self.push(
                            at_ms,
                            EventKind::InterruptionStart {
                                source,
                                note: String::new(),
                            },
                        )]
                    }
                    Picked::Workaround(k) => {
                        self.mode = text(TextPurpose::Workaround(k));
                        Vec::new()
                    }
                    Picked::Problem(k) => {
                        self.mode = text(TextPurpose::Problem(k));
                        Vec::new()
                    }
                }
            }
            _ => Vec::new(),
        }
    }

    fn update_text(
        &mut self,
        purpose: TextPurpose,
        at_ms: u64,
        mut buffer: String,
        action: Action,
    ) -> Vec<Effect> {
        match action {
            Action::Type(c) if !c.is_control() => {
                buffer.push(c);
            }
            Action::Paste(text) => buffer.push_str(&pasted_line(&text)),
            Action::Backspace => {
                buffer.pop();
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.status = "cancelled: nothing logged".to_string();
                return Vec::new();
            }
            Action::Submit => {
                let text = buffer.trim().to_string();
                let kind = match purpose {
                    TextPurpose::Note if text.is_empty() => {
                        self.mode = Mode::Normal;
                        self.status = "empty note: nothing logged".to_string();
                        return Vec::new();
                    }
                    TextPurpose::Note => EventKind::Note { text },
                    TextPurpose::Why => match self.live.fresh.take() {
                        Some(deviation) if text.is_empty() => {
                            self.live.fresh = Some(deviation);
                            self.mode = Mode::Normal;
                            self.status = "empty note: nothing logged".to_string();
                            return Vec::new();
                        }
                        Some(deviation) => EventKind::Note {
                            text: format!(
                                "why {} `{}`: {text}",
                                deviation.kind.name(),
                                deviation.step
                            ),
                        },
                        None if text.is_empty() => {
                            self.mode = Mode::Normal;
                            return Vec::new();
                        }
                        None => EventKind::Note { text },
                    },
                    TextPurpose::Workaround(kind) => EventKind::Workaround { kind, note: text },
                    TextPurpose::Problem(kind) => EventKind::SystemProblem { kind, note: text },
                    TextPurpose::InterruptionOther => EventKind::InterruptionStart {
                        source: InterruptionSource::Other,
                        note: text,
                    },
                };
                self.mode = Mode::Normal;
                return vec![self.push(at_ms, kind)];
            }
            _ => {}
        }
        self.mode = Mode::Text {
            purpose,
            at_ms,
            buffer,
        };
        Vec::new()
    }

    fn update_search(
        &mut self,
        at_ms: u64,
        mut query: String,
        mut selected: usize,
        action: Action,
    ) -> Vec<Effect> {
        match action {
            Action::Type(c) if !c.is_control() => {
                query.push(c);
                selected = 0;
            }
            Action::Paste(text) => {
                query.push_str(&pasted_line(&text));
                selected = 0;
            }
            Action::Backspace => {
                query.pop();
                selected = 0;
            }
            Action::SelectUp => selected = selected.saturating_sub(1),
            Action::SelectDown => {
                let n = self.search_hits(&query).len();
                selected = (selected + 1).min(n.saturating_sub(1));
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.status = "search closed".to_string();
                return Vec::new();
            }
            Action::Submit => {
                let hits = self.search_hits(&query);
                let Some(hit) = hits.get(selected.min(hits.len().saturating_sub(1))) else {
                    // An empty list: Enter means nothing yet.
                    self.mode = Mode::Search {
                        at_ms,
                        query,
                        selected,
                    };
                    return Vec::new();
                };
                self.mode = Mode::Normal;
                return match hit.clone() {
                    SearchHit::Entry(i) => {
                        let id = self.entries[i].id.clone();
                        self.start_step(at_ms, id)
                    }
                    SearchHit::AddUnplanned(label) => self.add_unplanned(at_ms, &label),
                };
            }
            _ => {}
        }
        self.mode = Mode::Search {
            at_ms,
            query,
            selected,
        };
        Vec::new()
    }
}
