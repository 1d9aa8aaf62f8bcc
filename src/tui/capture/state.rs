//! The capture state: what the screen knows and the questions it answers (the update is in
//! `update.rs`). Pure: no I/O and no clock.

use std::collections::HashSet;

use crate::model::pathway::{Element, Pathway, Step};
use crate::model::session::{Event, EventKind, Seq, Session, SessionHeader};
use crate::model::timeline::{Counts, InterruptionEnding, InterruptionSpan, StepEnding, StepSpan};
use crate::model::vocab::{
    InterruptionSource, ProblemKind, Vocabulary, VocabularyKind, WorkaroundKind,
};
use crate::model::{Timeline, derive_timeline};

use super::live::{Live, LiveMark};
use crate::tui::keymap::Table;

/// How many steps one page of the list holds: keys `1`-`9` and `0`.
pub const PAGE: usize = 10;

/// What a key means, resolved without touching the state (see `keys.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `Space`: start the next expected step of the pathway.
    NextStep,
    /// `1`-`9`, `0`: start entry 0-9 of the page shown.
    StartListed(usize),
    /// `Tab`: the next page of ten.
    NextPage,
    /// `/`: search a step, or add an unplanned one.
    OpenSearch,
    /// `e`: end the current step (idle).
    EndStep,
    /// `c` / `C`.
    Click(i32),
    /// `s`.
    Screen,
    /// `r`.
    Reentry,
    /// `i`: then a source key.
    OpenInterruption,
    /// `I`.
    ResumeInterrupted,
    /// `w`: then a kind key, then an optional note.
    OpenWorkaround,
    /// `x`: then a kind key, then an optional note.
    OpenProblem,
    /// `n`.
    OpenNote,
    /// `u`.
    Undo,
    /// `p`.
    TogglePause,
    /// `q`: asks to confirm.
    AskFinish,
    /// `?`.
    ToggleHelp,
    /// A one-key menu choice, 0-based.
    Pick(usize),
    /// Text typed into a field.
    Type(char),
    Backspace,
    /// `Enter` in a field or in the search.
    Submit,
    /// `Esc`: closes a picker, field, search or help without logging.
    Cancel,
    /// Moves the search selection.
    SelectUp,
    SelectDown,
    /// `y` / `Enter` at the finish question.
    ConfirmFinish,
    /// Any other key at the finish question: back to capture.
    DeclineFinish,
    /// A paste: text for the open field or search, never keys.
    Paste(String),
    /// `R` after a refused append: continue in a new journal segment holding the events not
    /// saved.
    NewSegment,
    /// `v` at the finish question: the clinician's questionnaires, then the finish.
    Voice,
    /// A SUS answer, 1-5.
    Answer(u8),
    /// Moves the TLX slider by this much (steps of 5).
    Slide(i8),
    /// Leaves a questionnaire item unanswered.
    SkipItem,
    /// Back to the item before.
    BackItem,
}

/// What the loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Append the event to the journal (durable on return), then call `mark_saved(seq)`.
    Append(Event),
    /// The finish event is saved: write the snapshot and close.
    Finish,
    /// Leave without finishing (after the question when events are not saved).
    Leave,
    /// After a refused append: start a new journal segment holding these events (the ones not
    /// saved, in order), durable on return; then call `segment_saved`, or `fail` again.
    NewSegment(Vec<Event>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Interruption,
    Workaround,
    Problem,
}

/// How many kinds a picker shows at once (keys 1-9); `Tab` shows the next nine.
pub const PICKER_PAGE: usize = 9;

/// A kind chosen in a picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    Interruption(InterruptionSource),
    Workaround(WorkaroundKind),
    Problem(ProblemKind),
}

impl PickerKind {
    pub fn title(self) -> &'static str {
        match self {
            PickerKind::Interruption => "Interruption: who or what?",
            PickerKind::Workaround => "Workaround: which kind?",
            PickerKind::Problem => "System problem: which kind?",
        }
    }

    /// The entries with their labels, in key order (`1` first): the built-in kinds, then the
    /// site's own from the pathway file.
    pub fn choices(self, vocabulary: &Vocabulary) -> Vec<(Picked, String)> {
        fn with<K: VocabularyKind>(
            vocabulary: &Vocabulary,
            picked: fn(K) -> Picked,
        ) -> Vec<(Picked, String)> {
            vocabulary
                .choices::<K>()
                .into_iter()
                .map(|(kind, label)| (picked(kind), label))
                .collect()
        }
        match self {
            PickerKind::Interruption => with(vocabulary, Picked::Interruption),
            PickerKind::Workaround => with(vocabulary, Picked::Workaround),
            PickerKind::Problem => with(vocabulary, Picked::Problem),
        }
    }

    /// How many pages of [`PICKER_PAGE`] entries the picker has.
    pub fn pages(self, vocabulary: &Vocabulary) -> usize {
        self.choices(vocabulary).len().div_ceil(PICKER_PAGE).max(1)
    }
}

/// What a text field is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPurpose {
    Note,
    Workaround(WorkaroundKind),
    Problem(ProblemKind),
    /// An interruption of source `other`: its note says what it was.
    InterruptionOther,
    /// Why the fresh deviation happened (`n` while one shows): a note that names it.
    Why,
}

impl TextPurpose {
    /// The field's title; a site's kind is named by its label in the pathway file.
    pub fn title(self, vocabulary: &Vocabulary) -> String {
        match self {
            TextPurpose::Note => "Note".to_string(),
            TextPurpose::Workaround(kind) => {
                format!("Workaround: {} (note optional)", vocabulary.label(kind))
            }
            TextPurpose::Problem(kind) => {
                format!("System problem: {} (note optional)", vocabulary.label(kind))
            }
            TextPurpose::InterruptionOther => "Interruption: other (what was it?)".to_string(),
            TextPurpose::Why => "Why did it deviate? (a note)".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    ConfirmFinish,
    /// A one-key menu; `at_ms` is the press of the key that opened it: the event's time.
    Picker {
        kind: PickerKind,
        at_ms: u64,
        /// The page of [`PICKER_PAGE`] entries shown, 0-based.
        page: usize,
    },
    Text {
        purpose: TextPurpose,
        at_ms: u64,
        buffer: String,
    },
    Search {
        at_ms: u64,
        query: String,
        selected: usize,
    },
    /// The clinician answers the questionnaires (the auditor's screen is hidden).
    Survey(Survey),
    /// Finished, or left: the loop is closing.
    Closed,
}

/// Where the clinician is in the questionnaires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyStage {
    Sus,
    Tlx,
    /// Saved: the answers are hidden until the auditor takes the laptop back (Enter).
    HandBack,
}

/// The questionnaires in progress: answers so far, the item shown, the slider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    /// The press of `v` at the finish question: every answer and the finish carry it, so that
    /// answering adds no observed time.
    pub at_ms: u64,
    pub stage: SurveyStage,
    pub item: usize,
    pub sus: Vec<Option<u8>>,
    pub tlx: Vec<Option<u8>>,
    /// The TLX slider's value, 0-100.
    pub slider: u8,
}

impl Survey {
    pub fn new(at_ms: u64) -> Survey {
        Survey {
            at_ms,
            stage: SurveyStage::Sus,
            item: 0,
            sus: vec![None; crate::model::questionnaire::SUS_ITEMS.len()],
            tlx: vec![None; crate::model::questionnaire::TLX_SUBSCALES.len()],
            slider: 50,
        }
    }
}

/// One line of the step list: a pathway step, or an unplanned step added in this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    pub id: String,
    pub label: String,
    /// The pathway element it belongs to; None for an unplanned step.
    pub element: Option<usize>,
    /// The AnyOrder group's label, for members of a group.
    pub group: Option<String>,
}

/// A search result: an existing entry, or the offer to add the query as an unplanned step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchHit {
    Entry(usize),
    AddUnplanned(String),
}

#[derive(Debug, Clone)]
pub struct CaptureState {
    pub header: SessionHeader,
    pub pathway: Pathway,
    /// Every event of the session, saved or about to be.
    pub events: Vec<Event>,
    /// The highest event number known durable.
    pub saved: Seq,
    /// The events' meaning (undo applied), derived again once an added event is saved (see
    /// [`CaptureState::settle`]).
    pub timeline: Timeline,
    /// The latest time seen (key presses and ticks): the clocks run to it.
    pub now_ms: u64,
    pub mode: Mode,
    /// The page of the step list shown.
    pub page: usize,
    /// One line telling what the last key did, or why it did nothing.
    pub status: String,
    /// Set when the journal refused an event: nothing more is written until a new journal
    /// segment is started (`R`); the events not saved stay in `events`, after `saved`.
    pub failed: Option<String>,
    pub(super) entries: Vec<ListEntry>,
    /// The normal mode's keys in force (the defaults, or the user's keymap): matching, the help
    /// and the footer read them.
    pub keys: std::sync::Arc<Table<Action>>,
    /// Where the keys come from, for the help.
    pub keys_summary: String,
    /// The comparator's view of the session so far: the list's marks, the running fitness and
    /// the fresh deviation.
    pub(super) live: Live,
    /// What the screen asks of the timeline on every frame, computed once per event.
    derived: Derived,
    /// How many events the timeline, the list, the live marks and `described` were derived
    /// from: fewer than `events` between logging an event and [`CaptureState::settle`].
    derived_from: usize,
    /// Each event's line in the list of last events (number and time, then what), made once per
    /// event so that a frame formats none.
    described: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default)]
struct Derived {
    paused: bool,
    /// Indices into `timeline.interruptions` of the open ones, outermost first.
    open: Vec<usize>,
    /// The id of the step `Space` starts.
    next: Option<String>,
}

impl CaptureState {
    /// A new session, or one continued: `events` are those already on disk.
    pub fn new(header: SessionHeader, pathway: Pathway, events: Vec<Event>) -> CaptureState {
        let saved = events.last().map_or(0, |e| e.seq);
        let now_ms = events.last().map_or(0, |e| e.at_ms);
        let live = Live::new(&pathway, &header.id);
        let mut state = CaptureState {
            header,
            pathway,
            timeline: Timeline::default(),
            events,
            saved,
            now_ms,
            mode: Mode::Normal,
            page: 0,
            status: String::new(),
            failed: None,
            entries: Vec::new(),
            keys: std::sync::Arc::new(crate::tui::key_config::active().capture_table()),
            keys_summary: crate::tui::key_config::active().summary(),
            live,
            derived: Derived::default(),
            derived_from: 0,
            described: Vec::new(),
        };
        state.refresh();
        // What was there before the reopening is not fresh.
        state.live.fresh = None;
        if let Some(last) = state
            .events
            .last()
            .filter(|e| e.kind == EventKind::Reopened)
        {
            state.status = format!(
                "session continued, {} (counted as a pause, not as work)",
                state.describe_event(last)
            );
        }
        state
    }

    /// The same state with the user's keys in force; `summary` says where they come from.
    pub fn with_keys(mut self, keys: Table<Action>, summary: String) -> CaptureState {
        self.keys = std::sync::Arc::new(keys);
        self.keys_summary = summary;
        self
    }

    /// The session as it stands (for the snapshot written at the finish).
    pub fn session(&self) -> Session {
        Session {
            header: self.header.clone(),
            events: self.events.clone(),
        }
    }

    /// Derives what the screen shows from the events logged since the last time: the timeline,
    /// the step list, the live comparison and the event lines. The capture logs an event and
    /// has it made durable first, then settles before the next key or frame (the driver does it
    /// after running the effects), so the O(events) work never delays the sync. Pure.
    pub fn settle(&mut self) {
        if self.derived_from != self.events.len() {
            self.refresh();
        }
    }

    /// Whether events were logged since the last [`CaptureState::settle`].
    pub fn is_settled(&self) -> bool {
        self.derived_from == self.events.len()
    }

    fn refresh(&mut self) {
        self.derived_from = self.events.len();
        self.timeline = derive_timeline(&self.events);
        let mut entries: Vec<ListEntry> = Vec::new();
        for (index, element) in self.pathway.steps.iter().enumerate() {
            match element {
                Element::Step(step) => entries.push(ListEntry {
                    id: step.id.clone(),
                    label: step.label.clone(),
                    element: Some(index),
                    group: None,
                }),
                Element::AnyOrder(group) => {
                    for step in &group.steps {
                        entries.push(ListEntry {
                            id: step.id.clone(),
                            label: step.label.clone(),
                            element: Some(index),
                            group: Some(group.label.clone()),
                        });
                    }
                }
            }
        }
        for event in &self.events {
            if let EventKind::UnplannedStep { step, label } = &event.kind
                && !entries.iter().any(|e| &e.id == step)
            {
                entries.push(ListEntry {
                    id: step.clone(),
                    label: label.clone(),
                    element: None,
                    group: None,
                });
            }
        }
        // A new list entry may rename what earlier lines said of its step: describe them again.
        if entries.len() != self.entries.len() {
            self.described.clear();
        }
        self.entries = entries;
        for event in &self.events[self.described.len()..] {
            let line = (
                format!(
                    "#{:<3} {} ",
                    event.seq,
                    crate::model::session_time::format_tenths(event.at_ms)
                ),
                self.describe_event(event),
            );
            self.described.push(line);
        }
        if self.page >= self.pages() {
            self.page = 0;
        }
        self.derived = self.derive();
        self.live
            .refresh(&self.timeline, &self.pathway, &self.header.id);
    }

    fn derive(&self) -> Derived {
        let timeline = &self.timeline;
        let paused = timeline
            .effective(&self.events)
            .filter_map(|e| match e.kind {
                EventKind::Pause => Some(true),
                EventKind::Resume => Some(false),
                _ => None,
            })
            .last()
            .unwrap_or(false);
        let open = if timeline.finished {
            Vec::new()
        } else {
            (0..timeline.interruptions.len())
                .filter(|&i| timeline.interruptions[i].ended_by == InterruptionEnding::SessionEnd)
                .collect()
        };
        let started: HashSet<String> = timeline.steps.iter().map(|s| s.step.clone()).collect();
        let next = self.compute_next_expected(&started).map(|s| s.id.clone());
        Derived { paused, open, next }
    }

    // ----- what the screen reads -------------------------------------------------------

    /// The list line of event `index` (of `events`): its number and time, and what it was.
    pub fn event_line(&self, index: usize) -> Option<(&str, &str)> {
        self.described
            .get(index)
            .map(|(at, what)| (at.as_str(), what.as_str()))
    }

    pub fn entries(&self) -> &[ListEntry] {
        &self.entries
    }

    pub fn pages(&self) -> usize {
        self.entries.len().div_ceil(PAGE).max(1)
    }

    /// The entries of the page shown, with their index in `entries()`.
    pub fn page_entries(&self) -> impl Iterator<Item = (usize, &ListEntry)> {
        self.entries
            .iter()
            .enumerate()
            .skip(self.page * PAGE)
            .take(PAGE)
    }

    pub fn is_finished(&self) -> bool {
        self.timeline.finished
    }

    /// The open step, if any.
    pub fn current_step(&self) -> Option<&StepSpan> {
        if self.timeline.finished {
            return None;
        }
        self.timeline
            .steps
            .last()
            .filter(|s| s.ended_by == StepEnding::SessionEnd)
    }

    /// The open interruptions, outermost first.
    pub fn open_interruptions(&self) -> Vec<&InterruptionSpan> {
        self.derived
            .open
            .iter()
            .map(|&i| &self.timeline.interruptions[i])
            .collect()
    }

    /// Whether the auditor's pause is on: the last effective pause or resume was a pause.
    pub fn paused(&self) -> bool {
        self.derived.paused
    }

    /// Time since the last effective event that the running clock adds (none while paused).
    fn running_ms(&self) -> u64 {
        if self.paused() || self.timeline.finished {
            0
        } else {
            self.now_ms.saturating_sub(self.timeline.end_ms)
        }
    }

    /// The open step's active time now: its derived active time plus the running time when no
    /// interruption is open.
    pub fn step_active_ms(&self) -> Option<u64> {
        let step = self.current_step()?;
        let extra = if self.open_interruptions().is_empty() {
            self.running_ms()
        } else {
            0
        };
        Some(step.active_ms + extra)
    }

    /// Each open interruption's own clock now (outermost first); the innermost one runs.
    pub fn interruption_clocks(&self) -> Vec<(&InterruptionSpan, u64)> {
        let open = self.open_interruptions();
        let last = open.len().saturating_sub(1);
        let running = self.running_ms();
        open.into_iter()
            .enumerate()
            .map(|(i, span)| {
                let extra = if i == last { running } else { 0 };
                (span, span.active_ms + extra)
            })
            .collect()
    }

    /// The counters of what is open: the innermost interruption, else the step, else idle.
    pub fn open_counts(&self) -> Counts {
        if let Some(innermost) = self.open_interruptions().last() {
            innermost.counts
        } else if let Some(step) = self.current_step() {
            step.counts
        } else {
            self.timeline.idle_counts
        }
    }

    /// Time observed so far: the session clock minus pauses and gaps.
    pub fn observed_ms(&self) -> u64 {
        let paused: u64 = self
            .timeline
            .pauses
            .iter()
            .map(|p| p.end_ms - p.start_ms)
            .sum();
        // A pause still open is closed by the timeline at its end; it grows until now.
        let open_pause = if self.paused() {
            self.now_ms.saturating_sub(self.timeline.end_ms)
        } else {
            0
        };
        self.now_ms.saturating_sub(paused + open_pause)
    }

    /// The pathway step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.pathway.step(id)
    }

    /// The label of a step id: the pathway's, or the unplanned label.
    pub fn label_of(&self, id: &str) -> String {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .map_or_else(|| id.to_string(), |e| e.label.clone())
    }

    /// The step `Space` starts: after the last planned step started, the next element of the
    /// pathway; inside an AnyOrder group, the first member not yet done, then the element after
    /// the group. A repeatable step is repeated with its own key, not with `Space`.
    pub fn next_expected(&self) -> Option<&Step> {
        self.derived
            .next
            .as_deref()
            .and_then(|id| self.pathway.step(id))
    }

    fn compute_next_expected(&self, started: &HashSet<String>) -> Option<&Step> {
        let last_element = self
            .timeline
            .steps
            .iter()
            .rev()
            .find_map(|s| self.element_of(&s.step));
        let from = match last_element {
            None => 0,
            Some(k) => match &self.pathway.steps[k] {
                Element::AnyOrder(group)
                    if group.steps.iter().any(|m| !started.contains(&m.id)) =>
                {
                    k
                }
                _ => k + 1,
            },
        };
        for element in self.pathway.steps.iter().skip(from) {
            match element {
                Element::Step(step) => return Some(step),
                Element::AnyOrder(group) => {
                    if let Some(step) = group.steps.iter().find(|m| !started.contains(&m.id)) {
                        return Some(step);
                    }
                }
            }
        }
        None
    }

    fn element_of(&self, id: &str) -> Option<usize> {
        self.pathway.steps.iter().position(|element| match element {
            Element::Step(step) => step.id == id,
            Element::AnyOrder(group) => group.steps.iter().any(|m| m.id == id),
        })
    }

    /// The keys in force for a normal-mode action, as the help shows them (`n`, or the user's).
    pub fn keys_for(&self, action: &Action) -> Option<&str> {
        self.keys
            .rows
            .iter()
            .find(|row| row.codes.iter().any(|(_, a)| a == action))
            .map(|row| row.keys.as_str())
    }

    /// How an entry stands as the comparator sees the session so far.
    pub fn mark(&self, entry: &ListEntry) -> LiveMark {
        self.live.mark(&entry.id)
    }

    /// The comparator's view of the session so far.
    pub fn live(&self) -> &Live {
        &self.live
    }

    /// The search results for a query: entries whose label or id contains it (case-insensitive),
    /// then, for a non-empty query that names no entry exactly, the offer to add it.
    pub fn search_hits(&self, query: &str) -> Vec<SearchHit> {
        let q = query.trim().to_lowercase();
        let mut hits: Vec<SearchHit> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                q.is_empty() || e.label.to_lowercase().contains(&q) || e.id.contains(&q)
            })
            .map(|(i, _)| SearchHit::Entry(i))
            .collect();
        let exact = self
            .entries
            .iter()
            .any(|e| e.label.to_lowercase() == q || e.id == q);
        if !q.is_empty() && !exact {
            hits.push(SearchHit::AddUnplanned(query.trim().to_string()));
        }
        hits
    }

    /// The last event an undo would take back: neither an undo nor undone, and not a mark the
    /// program wrote itself (a reopening).
    pub fn undo_target(&self) -> Option<&Event> {
        self.events.iter().rev().find(|e| {
            !matches!(
                e.kind,
                EventKind::Undo { .. } | EventKind::Reopened | EventKind::Finish
            ) && !self.timeline.undone.contains(&e.seq)
        })
    }

    /// One line describing an event of this session: a reopening says how long the gap was.
    pub fn describe_event(&self, event: &Event) -> String {
        if matches!(event.kind, EventKind::Reopened) {
            let before = self
                .events
                .iter()
                .take_while(|e| e.seq < event.seq)
                .last()
                .map_or(0, |e| e.at_ms);
            let gap = crate::model::session_time::format(event.at_ms.saturating_sub(before));
            return format!("reopened: gap of {gap}");
        }
        self.describe(&event.kind)
    }

    /// One line describing an event, for the list of last events.
    pub fn describe(&self, kind: &EventKind) -> String {
        let site = &self.pathway.vocabulary;
        match kind {
            EventKind::StepStart { step } => format!("start {}", self.label_of(step)),
            EventKind::UnplannedStep { label, .. } => format!("unplanned: {label}"),
            EventKind::StepEnd => "end step (idle)".to_string(),
            EventKind::InterruptionStart { source, note } if note.is_empty() => {
                format!("interruption: {}", site.label(*source))
            }
            EventKind::InterruptionStart { source, note } => {
                format!("interruption: {}: {note}", site.label(*source))
            }
            EventKind::InterruptionEnd => "end interruption, resume".to_string(),
            EventKind::Clicks { delta } => format!("click {delta:+}"),
            EventKind::Screen => "screen +1".to_string(),
            EventKind::Reentry => "re-entry +1".to_string(),
            EventKind::Workaround { kind, note } if note.is_empty() => {
                format!("workaround: {}", site.label(*kind))
            }
            EventKind::Workaround { kind, note } => {
                format!("workaround: {}: {note}", site.label(*kind))
            }
            EventKind::SystemProblem { kind, note } if note.is_empty() => {
                format!("problem: {}", site.label(*kind))
            }
            EventKind::SystemProblem { kind, note } => {
                format!("problem: {}: {note}", site.label(*kind))
            }
            EventKind::Note { text } => format!("note: {text}"),
            EventKind::Undo { target } => {
                let what = self
                    .events
                    .iter()
                    .find(|e| e.seq == *target)
                    .map(|e| self.describe(&e.kind))
                    .unwrap_or_default();
                format!("undo #{target} ({what})")
            }
            EventKind::Pause => "pause".to_string(),
            EventKind::Resume => "resume after pause".to_string(),
            EventKind::Reopened => "reopened after a gap".to_string(),
            // The clinician's answers stay hidden on the auditor's screen.
            EventKind::Questionnaire { instrument, .. } => {
                format!("questionnaire {} saved", instrument.name())
            }
            EventKind::Finish => "finish".to_string(),
        }
    }

    // ----- the loop's reports -------------------------------------------------------------

    /// The journal made event `seq` durable: the screen may now show it as saved.
    pub fn mark_saved(&mut self, seq: Seq) {
        self.saved = self.saved.max(seq);
    }

    /// The journal refused an event (or a new segment): it was not saved. Nothing more is
    /// written until a new segment is started; every event not saved stays in memory (shown
    /// without the saved mark) for that segment.
    pub fn fail(&mut self, message: String) {
        self.failed = Some(message);
        self.mode = Mode::Normal;
        let pending = self.pending();
        self.status = match (pending.first(), pending.last()) {
            (Some(first), Some(last)) if first.seq != last.seq => format!(
                "events #{}-#{} NOT SAVED: R continues in a new journal segment",
                first.seq, last.seq
            ),
            (Some(first), _) => format!(
                "event #{} NOT SAVED: R continues in a new journal segment",
                first.seq
            ),
            _ => "NOT SAVED: R continues in a new journal segment".to_string(),
        };
    }

    /// The events not known durable (after a refused append), in order.
    pub fn pending(&self) -> &[Event] {
        let saved = self.saved;
        let from = self.events.partition_point(|e| e.seq <= saved);
        &self.events[from..]
    }

    /// One line per pending event (number, time, what), for the message printed when the
    /// capture is left with events not saved.
    pub fn unsaved_lines(&self) -> Vec<String> {
        self.pending()
            .iter()
            .map(|e| {
                format!(
                    "NOT SAVED #{} at {}: {}",
                    e.seq,
                    crate::model::session_time::format_tenths(e.at_ms),
                    self.describe_event(e)
                )
            })
            .collect()
    }

    /// A new journal segment holds every pending event, up to `last`: they are saved, and
    /// writing goes on. A pending finish finishes now.
    pub fn segment_saved(&mut self, last: Option<Seq>) -> Vec<Effect> {
        self.settle();
        let first = self.pending().first().map(|e| e.seq);
        if let Some(last) = last {
            self.mark_saved(last);
        }
        self.failed = None;
        self.status = match (first, last) {
            (Some(a), Some(b)) if a != b => {
                format!("continued in a new journal segment: events #{a}-#{b} saved")
            }
            (Some(a), _) => format!("continued in a new journal segment: event #{a} saved"),
            _ => "continued in a new journal segment".to_string(),
        };
        if self.is_finished() {
            self.mode = Mode::Closed;
            return vec![Effect::Finish];
        }
        Vec::new()
    }

    /// A clock tick: the clocks run to `at_ms`.
    pub fn tick(&mut self, at_ms: u64) {
        self.now_ms = self.now_ms.max(at_ms);
    }
}

/// A file-name and export safe id for an unplanned step's label: lower case ASCII letters and
/// digits joined by `-` ("Call the pharmacy!" -> "call-the-pharmacy").
pub fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "unplanned".to_string()
    } else {
        out
    }
}
