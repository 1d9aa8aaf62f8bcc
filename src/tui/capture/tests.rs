//! The capture screen without a terminal: keys go through the real key map and update, effects
//! through the driver into an in-memory journal; the clock is fixed by the test.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use crossterm::event::Event as TermEvent;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::live::LiveMark;
use super::state::{PickerKind, TextPurpose, slug};
use super::*;
use crate::model::pathway::{DEFAULT_PATHWAY, Pathway, builtin_pathways};
use crate::model::session::{EventKind, SessionHeader};
use crate::model::timeline::InterruptionEnding;
use crate::model::vocab::{InterruptionSource, ProblemKind, WorkaroundKind};
use crate::tui::keymap::key_named as key_event;

/// The kit's example header on `pathway`.
pub(super) fn header(pathway: &Pathway) -> SessionHeader {
    SessionHeader {
        pathway_id: pathway.id.clone(),
        pathway_version: pathway.version,
        ..crate::testing::header()
    }
}

pub(super) fn default_pathway() -> Pathway {
    builtin_pathways()
        .into_iter()
        .find(|p| p.id == DEFAULT_PATHWAY)
        .unwrap()
}

pub(super) fn capture_on(pathway: Pathway) -> Capture<Vec<Event>> {
    let state = CaptureState::new(header(&pathway), pathway, Vec::new());
    Capture::new(state, Vec::new(), Instant::now())
}

pub(super) fn capture() -> Capture<Vec<Event>> {
    capture_on(default_pathway())
}

/// Presses a key at `at_ms` after the session start.
pub(super) fn press<J: Journal>(cap: &mut Capture<J>, name: &str, at_ms: u64) -> Flow {
    let at = cap.start() + Duration::from_millis(at_ms);
    cap.handle(at, &TermEvent::Key(key_event(name)))
}

/// Types each character of `text` at `at_ms`.
pub(super) fn type_text<J: Journal>(cap: &mut Capture<J>, text: &str, at_ms: u64) {
    for c in text.chars() {
        let name = if c == ' ' {
            "Space".to_string()
        } else {
            c.to_string()
        };
        press(cap, &name, at_ms);
    }
}

pub(super) fn kinds(cap: &Capture<Vec<Event>>) -> Vec<EventKind> {
    cap.journal.iter().map(|e| e.kind.clone()).collect()
}

fn start(step: &str) -> EventKind {
    EventKind::StepStart { step: step.into() }
}

fn current(cap: &Capture<Vec<Event>>) -> Option<String> {
    cap.state.current_step().map(|s| s.step.clone())
}

#[test]
fn space_walks_the_pathway_in_order_through_the_any_order_group() {
    let mut cap = capture();
    let mut started = Vec::new();
    for i in 0..6 {
        press(&mut cap, "Space", 1000 * (i + 1));
        started.push(current(&cap).unwrap());
    }
    assert_eq!(
        started,
        [
            "open-chart",
            "review-allergies",
            "ask-patient",
            "pharmacy-record",
            "enter-home-meds",
            "sign"
        ]
    );
    // The end of the pathway: Space means nothing now.
    press(&mut cap, "Space", 8000);
    assert_eq!(cap.journal.len(), 6);
    assert!(
        cap.state.status.contains("no step left"),
        "{}",
        cap.state.status
    );
    // Every event is saved, in order, with the press time.
    assert_eq!(cap.state.saved, 6);
    assert_eq!(
        cap.journal.iter().map(|e| e.at_ms).collect::<Vec<_>>(),
        [1000, 2000, 3000, 4000, 5000, 6000]
    );
}

#[test]
fn space_inside_a_group_picks_the_member_not_done_then_leaves_the_group() {
    let mut cap = capture();
    press(&mut cap, "1", 1000); // open-chart
    press(&mut cap, "4", 2000); // pharmacy-record (group member, out of its order)
    // The allergies step (optional) was passed over.
    let allergies = cap.state.entries()[1].clone();
    assert_eq!(cap.state.mark(&allergies), LiveMark::SkippedOptional);
    press(&mut cap, "Space", 3000);
    assert_eq!(current(&cap).as_deref(), Some("ask-patient"));
    press(&mut cap, "Space", 4000);
    assert_eq!(current(&cap).as_deref(), Some("enter-home-meds"));
    // A repeatable step repeats with its own key; Space moves on.
    press(&mut cap, "5", 5000);
    assert_eq!(
        kinds(&cap)[3..],
        [start("enter-home-meds"), start("enter-home-meds")]
    );
    press(&mut cap, "Space", 6000);
    assert_eq!(current(&cap).as_deref(), Some("sign"));
}

#[test]
fn digits_start_listed_steps_and_tab_pages_by_ten() {
    let mut text = String::from("Pathway(id: \"long\", version: 1, name: \"Long\", steps: [");
    for i in 1..=12 {
        let _ = write!(
            text,
            "Step(id: \"s{i}\", label: \"Step {i}\", expected_secs: 10, expected_clicks: 1),"
        );
    }
    text.push_str("])");
    let pathway = Pathway::from_ron_str(&text, std::path::Path::new("long.ron")).unwrap();
    let mut cap = capture_on(pathway);
    press(&mut cap, "0", 100);
    assert_eq!(current(&cap).as_deref(), Some("s10"));
    press(&mut cap, "3", 200);
    assert_eq!(current(&cap).as_deref(), Some("s3"));
    press(&mut cap, "Tab", 300);
    assert_eq!(cap.state.page, 1);
    press(&mut cap, "2", 400);
    assert_eq!(current(&cap).as_deref(), Some("s12"));
    // Page 2 has two entries: 3 means nothing.
    press(&mut cap, "3", 500);
    assert_eq!(cap.journal.len(), 3);
    press(&mut cap, "Tab", 600);
    assert_eq!(cap.state.page, 0, "Tab wraps to the first page");
}

#[test]
fn a_digit_without_an_entry_does_nothing_and_says_why() {
    let mut cap = capture();
    press(&mut cap, "8", 100);
    assert_eq!(cap.state.status, "no step 8 in the list (1-6 shown)");
    press(&mut cap, "0", 150);
    assert_eq!(cap.state.status, "no step 0 in the list (1-6 shown)");
    press(&mut cap, "Tab", 200);
    assert_eq!(cap.state.status, "the whole list is shown: no other page");
    assert!(cap.journal.is_empty());
    assert_eq!(cap.state.page, 0);
}

#[test]
fn search_starts_a_step_or_adds_an_unplanned_one() {
    let mut cap = capture();
    press(&mut cap, "/", 1000);
    type_text(&mut cap, "pharm", 1500);
    press(&mut cap, "Enter", 2000);
    assert_eq!(kinds(&cap), [start("pharmacy-record")]);
    // The step's time is the `/` press.
    assert_eq!(cap.journal[0].at_ms, 1000);

    press(&mut cap, "/", 3000);
    type_text(&mut cap, "Call the pharmacy!", 3100);
    // No entry matches: the only hit is to add it.
    press(&mut cap, "Enter", 4000);
    assert_eq!(
        kinds(&cap)[1],
        EventKind::UnplannedStep {
            step: "call-the-pharmacy".into(),
            label: "Call the pharmacy!".into()
        }
    );
    assert_eq!(current(&cap).as_deref(), Some("call-the-pharmacy"));
    // It joins the list after the pathway's steps: key 7 starts it again.
    assert_eq!(cap.state.entries()[6].id, "call-the-pharmacy");
    press(&mut cap, "1", 5000);
    press(&mut cap, "7", 6000);
    assert_eq!(
        kinds(&cap)[3],
        EventKind::UnplannedStep {
            step: "call-the-pharmacy".into(),
            label: "Call the pharmacy!".into()
        }
    );

    // Down selects the next hit; the add offer comes last.
    press(&mut cap, "/", 7000);
    type_text(&mut cap, "re", 7000);
    let hits = cap.state.search_hits("re");
    assert!(matches!(hits.last(), Some(state::SearchHit::AddUnplanned(l)) if l == "re"));
    press(&mut cap, "Down", 7100);
    press(&mut cap, "Enter", 7200);
    let second = match &hits[1] {
        state::SearchHit::Entry(i) => cap.state.entries()[*i].id.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(current(&cap), Some(second));

    // Esc closes without logging; Backspace edits.
    let n = cap.journal.len();
    press(&mut cap, "/", 8000);
    type_text(&mut cap, "xy", 8000);
    press(&mut cap, "Bs", 8000);
    assert!(matches!(&cap.state.mode, Mode::Search { query, .. } if query == "x"));
    press(&mut cap, "Esc", 8100);
    assert_eq!(cap.journal.len(), n);
    assert_eq!(cap.state.mode, Mode::Normal);
}

#[test]
fn an_unplanned_label_that_clashes_with_a_step_id_gets_its_own_id() {
    let mut cap = capture();
    press(&mut cap, "/", 100);
    // "Sign!" matches the label "Sign reconciliation" as a substring; pick the add offer.
    type_text(&mut cap, "sign!", 100);
    let hits = cap.state.search_hits("sign!");
    assert_eq!(hits.len(), 1, "{hits:?}");
    press(&mut cap, "Enter", 200);
    assert_eq!(
        kinds(&cap),
        [EventKind::UnplannedStep {
            step: "sign-unplanned".into(),
            label: "sign!".into()
        }]
    );
}

#[test]
fn e_ends_the_step_and_means_nothing_when_idle() {
    let mut cap = capture();
    press(&mut cap, "e", 100);
    assert!(cap.journal.is_empty());
    press(&mut cap, "Space", 200);
    press(&mut cap, "e", 5200);
    assert_eq!(kinds(&cap), [start("open-chart"), EventKind::StepEnd]);
    assert_eq!(current(&cap), None);
    assert_eq!(cap.state.timeline.steps[0].active_ms, 5000);
}

#[test]
fn counters_go_to_what_is_open() {
    let mut cap = capture();
    press(&mut cap, "Space", 100);
    for k in ["c", "c", "c", "C", "s", "r"] {
        press(&mut cap, k, 200);
    }
    let counts = cap.state.open_counts();
    assert_eq!((counts.clicks, counts.screens, counts.reentries), (2, 1, 1));
    assert_eq!(
        kinds(&cap)[1..],
        [
            EventKind::Clicks { delta: 1 },
            EventKind::Clicks { delta: 1 },
            EventKind::Clicks { delta: 1 },
            EventKind::Clicks { delta: -1 },
            EventKind::Screen,
            EventKind::Reentry
        ]
    );
    // Inside an interruption they count for the interruption; C at zero means nothing.
    press(&mut cap, "i", 300);
    press(&mut cap, "1", 300);
    press(&mut cap, "C", 400);
    assert_eq!(cap.journal.len(), 8, "no click to take back");
    press(&mut cap, "c", 400);
    assert_eq!(cap.state.open_counts().clicks, 1);
    assert_eq!(cap.state.timeline.steps[0].counts.clicks, 2);
}

#[test]
fn nested_interruptions_run_their_own_clocks_and_resume_innermost_first() {
    let mut cap = capture();
    press(&mut cap, "Space", 0);
    press(&mut cap, "i", 10_000);
    // The source key comes later; the interruption began at the `i` press.
    press(&mut cap, "4", 11_000);
    press(&mut cap, "i", 20_000);
    press(&mut cap, "1", 20_500);
    assert_eq!(
        kinds(&cap)[1..],
        [
            EventKind::InterruptionStart {
                source: InterruptionSource::PhonePager,
                note: String::new()
            },
            EventKind::InterruptionStart {
                source: InterruptionSource::Colleague,
                note: String::new()
            }
        ]
    );
    assert_eq!(cap.journal[1].at_ms, 10_000);
    cap.tick(cap.start() + Duration::from_millis(25_000));
    let clocks: Vec<u64> = cap
        .state
        .interruption_clocks()
        .iter()
        .map(|(_, ms)| *ms)
        .collect();
    assert_eq!(clocks, [10_000, 5_000]);
    assert_eq!(cap.state.step_active_ms(), Some(10_000));
    press(&mut cap, "I", 30_000);
    assert_eq!(cap.state.open_interruptions().len(), 1);
    assert_eq!(
        cap.state.open_interruptions()[0].source,
        InterruptionSource::PhonePager
    );
    press(&mut cap, "I", 40_000);
    assert!(cap.state.open_interruptions().is_empty());
    // I with none open means nothing.
    press(&mut cap, "I", 41_000);
    assert_eq!(cap.journal.len(), 5);
    cap.tick(cap.start() + Duration::from_millis(50_000));
    assert_eq!(cap.state.step_active_ms(), Some(20_000));
}

#[test]
fn the_interruption_picker_takes_one_key_and_other_asks_what() {
    let mut cap = capture();
    press(&mut cap, "i", 100);
    assert!(matches!(
        cap.state.mode,
        Mode::Picker {
            kind: PickerKind::Interruption,
            at_ms: 100,
            page: 0
        }
    ));
    // A key that is no choice does nothing.
    press(&mut cap, "z", 200);
    press(&mut cap, "Space", 200);
    assert!(matches!(cap.state.mode, Mode::Picker { .. }));
    assert!(cap.journal.is_empty());
    press(&mut cap, "Esc", 300);
    assert_eq!(cap.state.mode, Mode::Normal);
    assert!(cap.journal.is_empty());
    // 9 = other: a field asks what it was.
    press(&mut cap, "i", 400);
    press(&mut cap, "9", 500);
    assert!(matches!(
        cap.state.mode,
        Mode::Text {
            purpose: TextPurpose::InterruptionOther,
            ..
        }
    ));
    type_text(&mut cap, "fire drill", 600);
    press(&mut cap, "Enter", 700);
    assert_eq!(
        kinds(&cap),
        [EventKind::InterruptionStart {
            source: InterruptionSource::Other,
            note: "fire drill".into()
        }]
    );
    assert_eq!(cap.journal[0].at_ms, 400);
}

#[test]
fn starting_a_step_inside_interruptions_is_one_task_switch_event() {
    let mut cap = capture();
    press(&mut cap, "Space", 0);
    press(&mut cap, "i", 1000);
    press(&mut cap, "2", 1000);
    press(&mut cap, "i", 2000);
    press(&mut cap, "6", 2000);
    press(&mut cap, "5", 3000);
    assert_eq!(kinds(&cap).last(), Some(&start("enter-home-meds")));
    assert_eq!(cap.journal.len(), 4);
    assert!(cap.state.open_interruptions().is_empty());
    let endings: Vec<_> = cap
        .state
        .timeline
        .interruptions
        .iter()
        .map(|i| i.ended_by.clone())
        .collect();
    let switch = InterruptionEnding::TaskSwitch {
        to_step: "enter-home-meds".into(),
    };
    assert_eq!(endings, [switch.clone(), switch]);
    assert_eq!(
        cap.state.status,
        "#4 start Enter home medications (task switch from Patient > EHR alert)"
    );
    assert_eq!(current(&cap).as_deref(), Some("enter-home-meds"));
}

#[test]
fn workaround_and_problem_take_a_kind_then_an_optional_note() {
    let mut cap = capture();
    press(&mut cap, "Space", 0);
    press(&mut cap, "w", 1000);
    press(&mut cap, "1", 1100);
    type_text(&mut cap, "dose on glove", 1200);
    press(&mut cap, "Enter", 3000);
    press(&mut cap, "x", 4000);
    press(&mut cap, "1", 4100);
    press(&mut cap, "Enter", 4200);
    assert_eq!(
        kinds(&cap)[1..],
        [
            EventKind::Workaround {
                kind: WorkaroundKind::PaperNote,
                note: "dose on glove".into()
            },
            EventKind::SystemProblem {
                kind: ProblemKind::SlowResponse,
                note: String::new()
            }
        ]
    );
    assert_eq!(cap.journal[1].at_ms, 1000);
    assert_eq!(cap.journal[2].at_ms, 4000);
    // Esc in the note cancels the whole mark; a kind out of range means nothing.
    press(&mut cap, "x", 5000);
    press(&mut cap, "9", 5000);
    assert!(matches!(cap.state.mode, Mode::Picker { .. }));
    press(&mut cap, "8", 5000);
    assert!(matches!(
        cap.state.mode,
        Mode::Text {
            purpose: TextPurpose::Problem(ProblemKind::Other),
            ..
        }
    ));
    press(&mut cap, "Esc", 5100);
    press(&mut cap, "w", 6000);
    press(&mut cap, "Esc", 6000);
    assert_eq!(cap.journal.len(), 3);
    assert_eq!(cap.state.timeline.workarounds.len(), 1);
    assert_eq!(cap.state.timeline.problems.len(), 1);
}

#[test]
fn a_note_saves_on_enter_and_cancels_on_esc() {
    let mut cap = capture();
    press(&mut cap, "n", 1000);
    // Keys are text in the field: q does not quit, u does not undo.
    type_text(&mut cap, "quiet u", 1100);
    press(&mut cap, "Bs", 1200);
    press(&mut cap, "Enter", 1300);
    assert_eq!(
        kinds(&cap),
        [EventKind::Note {
            text: "quiet".into()
        }]
    );
    assert_eq!(cap.journal[0].at_ms, 1000);
    press(&mut cap, "n", 2000);
    type_text(&mut cap, "never mind", 2000);
    press(&mut cap, "Esc", 2100);
    press(&mut cap, "n", 3000);
    press(&mut cap, "Enter", 3000);
    assert_eq!(cap.journal.len(), 1, "Esc and an empty note log nothing");
}

#[test]
fn undo_takes_back_each_event_kind_as_an_event() {
    // Each script ends with the event the undo must take back.
    let scripts: Vec<(&[&str], &str)> = vec![
        (&["Space"], "step_start"),
        (&["/", "x", "y", "Enter"], "unplanned_step"),
        (&["Space", "e"], "step_end"),
        (&["Space", "i", "3"], "interruption_start"),
        (&["Space", "i", "3", "I"], "interruption_end"),
        (&["Space", "c"], "clicks"),
        (&["Space", "c", "C"], "clicks"),
        (&["s"], "screen"),
        (&["r"], "reentry"),
        (&["w", "2", "Enter"], "workaround"),
        (&["x", "3", "Enter"], "system_problem"),
        (&["n", "h", "i", "Enter"], "note"),
        (&["p"], "pause"),
        (&["p", "p"], "resume"),
    ];
    for (keys, kind) in scripts {
        let mut cap = capture();
        for (i, k) in keys.iter().enumerate() {
            press(&mut cap, k, 1000 * (i as u64 + 1));
        }
        let before = cap.state.timeline.clone();
        let last = cap.journal.last().unwrap().clone();
        assert_eq!(last.kind.name(), kind, "{keys:?}");
        press(&mut cap, "u", 60_000);
        let undo = cap.journal.last().unwrap();
        assert_eq!(undo.kind, EventKind::Undo { target: last.seq }, "{keys:?}");
        assert!(cap.state.timeline.undone.contains(&last.seq));
        assert_ne!(
            cap.state.timeline, before,
            "{keys:?}: the undo changed nothing"
        );
        // The timeline is as if the event never happened.
        let without: Vec<Event> = cap.journal[..cap.journal.len() - 2].to_vec();
        let expected = crate::model::derive_timeline(&without);
        assert_eq!(cap.state.timeline.steps, expected.steps, "{keys:?}");
        assert_eq!(
            cap.state.timeline.interruptions, expected.interruptions,
            "{keys:?}"
        );
        assert_eq!(cap.state.paused(), kind == "resume", "{keys:?}");
    }
}

#[test]
fn repeated_undo_walks_back_and_stops_at_the_start() {
    let mut cap = capture();
    press(&mut cap, "Space", 100);
    press(&mut cap, "c", 200);
    press(&mut cap, "u", 300);
    press(&mut cap, "u", 400);
    assert_eq!(
        kinds(&cap)[2..],
        [EventKind::Undo { target: 2 }, EventKind::Undo { target: 1 }]
    );
    assert_eq!(current(&cap), None);
    press(&mut cap, "u", 500);
    assert_eq!(cap.journal.len(), 4);
    assert_eq!(cap.state.status, "nothing to undo");
}

#[test]
fn pause_stops_the_clocks_and_the_logging_keys() {
    let mut cap = capture();
    press(&mut cap, "Space", 0);
    press(&mut cap, "p", 10_000);
    assert!(cap.state.paused());
    // While paused, step and count keys mean nothing; a note is still taken.
    for k in ["c", "Space", "i", "e", "2"] {
        press(&mut cap, k, 20_000);
    }
    assert_eq!(cap.state.mode, Mode::Normal);
    assert_eq!(cap.journal.len(), 2);
    press(&mut cap, "n", 30_000);
    type_text(&mut cap, "break", 30_000);
    press(&mut cap, "Enter", 30_000);
    assert_eq!(cap.journal.len(), 3);
    cap.tick(cap.start() + Duration::from_millis(40_000));
    assert_eq!(cap.state.step_active_ms(), Some(10_000));
    assert_eq!(cap.state.observed_ms(), 10_000);
    press(&mut cap, "p", 60_000);
    assert_eq!(kinds(&cap).last(), Some(&EventKind::Resume));
    cap.tick(cap.start() + Duration::from_millis(65_000));
    assert_eq!(cap.state.step_active_ms(), Some(15_000));
    assert_eq!(cap.state.observed_ms(), 15_000);
}

#[test]
fn q_asks_and_only_y_or_enter_finish() {
    let mut cap = capture();
    press(&mut cap, "Space", 100);
    assert_eq!(press(&mut cap, "q", 200), Flow::Continue);
    assert_eq!(cap.state.mode, Mode::ConfirmFinish);
    // Any other key goes back, and does not act as itself.
    assert_eq!(press(&mut cap, "c", 300), Flow::Continue);
    assert_eq!(cap.state.mode, Mode::Normal);
    assert_eq!(cap.journal.len(), 1);
    press(&mut cap, "q", 400);
    assert_eq!(press(&mut cap, "y", 500), Flow::Finish);
    assert_eq!(kinds(&cap).last(), Some(&EventKind::Finish));
    assert_eq!(cap.journal.last().unwrap().at_ms, 500);
    assert!(cap.state.is_finished());
    // Closed: nothing more is logged.
    press(&mut cap, "c", 600);
    assert_eq!(cap.journal.len(), 2);

    let mut cap = capture();
    press(&mut cap, "q", 100);
    assert_eq!(press(&mut cap, "Enter", 200), Flow::Finish);
}

#[test]
fn help_opens_on_question_mark_and_any_key_closes_it() {
    let mut cap = capture();
    press(&mut cap, "?", 100);
    assert_eq!(cap.state.mode, Mode::Help);
    press(&mut cap, "Space", 200);
    assert_eq!(cap.state.mode, Mode::Normal);
    assert!(
        cap.journal.is_empty(),
        "the key that closes help does not act"
    );
}

#[test]
fn ctrl_c_leaves_from_any_mode_with_everything_saved() {
    let mut cap = capture();
    press(&mut cap, "Space", 100);
    press(&mut cap, "n", 200);
    type_text(&mut cap, "half", 300);
    assert_eq!(press(&mut cap, "C-c", 400), Flow::Leave);
    assert_eq!(cap.journal.len(), 1);
    assert_eq!(cap.state.saved, 1);
    assert!(!cap.state.is_finished());
}

#[test]
fn keys_that_mean_nothing_do_nothing() {
    let mut cap = capture();
    for k in [
        "z", "Z", "Enter", "Esc", "Up", "Bs", "y", "I", "e", "C", "u",
    ] {
        press(&mut cap, k, 100);
    }
    assert!(cap.journal.is_empty());
    assert_eq!(cap.state.mode, Mode::Normal);
}

#[test]
fn event_times_never_go_back() {
    let mut cap = capture();
    press(&mut cap, "Space", 5000);
    // A key stamped earlier than the last event (cannot happen with one input thread, but the
    // journal's order is the law).
    press(&mut cap, "c", 4000);
    assert_eq!(cap.journal[1].at_ms, 5000);
}

/// A journal whose disk can fill up: while `full`, appends and new segments are refused.
#[derive(Default)]
struct Flaky {
    full: bool,
    events: Vec<Event>,
    segments: usize,
    refused: usize,
}

const DISK_FULL: &str = "EVENT WAS NOT SAVED: write of s.journal failed: No space left on device (os error 28)\n  hint: the disk is full; free some space";

impl Journal for Flaky {
    fn append(&mut self, event: &Event) -> Result<(), String> {
        if self.full {
            self.refused += 1;
            return Err(DISK_FULL.into());
        }
        self.events.push(event.clone());
        Ok(())
    }

    fn start_new_segment(&mut self, pending: &[Event]) -> Result<(), String> {
        if self.full {
            self.refused += 1;
            return Err("the new journal segment could not be written either: disk full".into());
        }
        self.segments += 1;
        self.events.extend_from_slice(pending);
        Ok(())
    }
}

fn flaky() -> Capture<Flaky> {
    let pathway = default_pathway();
    let state = CaptureState::new(header(&pathway), pathway, Vec::new());
    Capture::new(state, Flaky::default(), Instant::now())
}

fn hit(cap: &mut Capture<Flaky>, name: &str, at_ms: u64) -> Flow {
    press(cap, name, at_ms)
}

fn seqs(events: &[Event]) -> Vec<u64> {
    events.iter().map(|e| e.seq).collect()
}

#[test]
fn a_refused_append_keeps_the_event_unsaved_in_memory_and_stops_writing() {
    let mut cap = flaky();
    hit(&mut cap, "Space", 100);
    assert_eq!(cap.state.saved, 1);
    cap.journal.full = true;
    hit(&mut cap, "c", 200);
    // Not saved, never shown saved, but kept.
    assert_eq!(cap.state.saved, 1);
    assert_eq!(seqs(&cap.state.events), vec![1, 2]);
    assert_eq!(seqs(cap.state.pending()), vec![2]);
    assert_eq!(cap.state.failed.as_deref(), Some(DISK_FULL));
    assert_eq!(cap.journal.refused, 1);
    assert!(
        cap.state.status.contains("#2 NOT SAVED"),
        "{}",
        cap.state.status
    );
    let mark = draw::saved_mark(&cap.state).content.to_string();
    assert_eq!(mark, " NOT SAVED #2 ");
    // Later keys are still logged, in memory only: the journal is not asked again.
    hit(&mut cap, "s", 300);
    hit(&mut cap, "i", 400);
    hit(&mut cap, "1", 450);
    assert_eq!(seqs(cap.state.pending()), vec![2, 3, 4]);
    assert!(
        cap.state.status.contains("NOT SAVED"),
        "{}",
        cap.state.status
    );
    assert_eq!(cap.journal.refused, 1);
    assert_eq!(seqs(&cap.journal.events), vec![1]);
    assert_eq!(cap.state.saved, 1);
    assert_eq!(draw::saved_mark(&cap.state).content, " NOT SAVED #2-#4 ");
    // `r` is still a re-entry; `R` means something only now.
    assert_eq!(
        key_to_action(&cap.state, key_event("R")),
        Some(Action::NewSegment)
    );
}

#[test]
fn r_continues_in_a_new_segment_once_the_disk_takes_it_and_nothing_is_lost() {
    let mut cap = flaky();
    // `R` means nothing while all is well.
    assert_eq!(key_to_action(&cap.state, key_event("R")), None);
    hit(&mut cap, "Space", 100);
    hit(&mut cap, "c", 150);
    cap.journal.full = true;
    hit(&mut cap, "c", 200);
    hit(&mut cap, "n", 300);
    type_text(&mut cap, "fax", 310);
    hit(&mut cap, "Enter", 320);
    assert_eq!(seqs(cap.state.pending()), vec![3, 4]);
    // The disk is still full: the error stays (the new one), nothing is lost from memory.
    hit(&mut cap, "R", 400);
    assert_eq!(cap.journal.segments, 0);
    assert_eq!(
        cap.state.failed.as_deref(),
        Some("the new journal segment could not be written either: disk full")
    );
    assert_eq!(seqs(cap.state.pending()), vec![3, 4]);
    assert_eq!(cap.state.saved, 2);
    // Space is freed: the pending events go into the new segment, and are saved.
    cap.journal.full = false;
    hit(&mut cap, "R", 500);
    assert_eq!(cap.journal.segments, 1);
    assert_eq!(cap.state.failed, None);
    assert_eq!(cap.state.saved, 4);
    assert!(cap.state.pending().is_empty());
    assert_eq!(draw::saved_mark(&cap.state).content, "✓ saved #4");
    assert!(
        cap.state.status.contains("events #3-#4 saved"),
        "{}",
        cap.state.status
    );
    // Writing goes on as ever.
    hit(&mut cap, "s", 600);
    assert_eq!(cap.state.saved, 5);
    assert_eq!(seqs(&cap.journal.events), vec![1, 2, 3, 4, 5]);
    assert_eq!(cap.journal.events, cap.state.events);
    assert_eq!(
        cap.journal.events[3].kind,
        EventKind::Note { text: "fax".into() }
    );
}

#[test]
fn a_finish_the_disk_refused_finishes_once_a_new_segment_holds_it() {
    let mut cap = flaky();
    hit(&mut cap, "Space", 100);
    cap.journal.full = true;
    hit(&mut cap, "q", 200);
    assert_eq!(
        hit(&mut cap, "y", 210),
        Flow::Continue,
        "not finished: not saved"
    );
    assert!(cap.state.is_finished());
    assert_eq!(seqs(cap.state.pending()), vec![2]);
    // Nothing can follow the finish; q asks before leaving with an unsaved event.
    hit(&mut cap, "c", 300);
    assert_eq!(seqs(&cap.state.events), vec![1, 2]);
    assert_eq!(hit(&mut cap, "q", 310), Flow::Continue);
    assert_eq!(cap.state.mode, Mode::ConfirmFinish);
    assert_eq!(hit(&mut cap, "x", 320), Flow::Continue);
    assert_eq!(cap.state.mode, Mode::Normal);
    cap.journal.full = false;
    assert_eq!(hit(&mut cap, "R", 400), Flow::Finish);
    assert_eq!(cap.state.saved, 2);
    assert_eq!(cap.journal.events.last().unwrap().kind, EventKind::Finish);
}

#[test]
fn leaving_with_unsaved_events_asks_first() {
    let mut cap = flaky();
    hit(&mut cap, "Space", 100);
    cap.journal.full = true;
    hit(&mut cap, "c", 200);
    assert_eq!(hit(&mut cap, "q", 300), Flow::Continue);
    assert_eq!(hit(&mut cap, "y", 310), Flow::Leave);
    assert_eq!(seqs(cap.state.pending()), vec![2]);
    // What the program prints on leaving: the unsaved events, not lost silently.
    assert_eq!(
        cap.state.unsaved_lines(),
        vec!["NOT SAVED #2 at 0:00.2: click +1".to_string()]
    );
}

#[test]
fn a_continued_session_starts_from_its_saved_events() {
    let pathway = default_pathway();
    let events = vec![
        Event {
            seq: 1,
            at_ms: 1000,
            kind: start("open-chart"),
        },
        Event {
            seq: 2,
            at_ms: 90_000,
            kind: EventKind::Reopened,
        },
    ];
    let state = CaptureState::new(header(&pathway), pathway, events);
    assert_eq!(state.saved, 2);
    assert_eq!(
        state.describe_event(&state.events[1]),
        "reopened: gap of 1:29"
    );
    assert_eq!(
        state.step_active_ms(),
        Some(0),
        "the gap is not active time"
    );
    let mut cap = Capture::new(
        state,
        Vec::new(),
        Instant::now()
            .checked_sub(Duration::from_millis(90_000))
            .unwrap(),
    );
    // The reopening is not undoable; the step start is.
    press(&mut cap, "u", 91_000);
    assert_eq!(cap.journal[0].kind, EventKind::Undo { target: 1 });
    assert_eq!(cap.journal[0].seq, 3);
}

#[test]
fn slugs_are_file_and_export_safe() {
    assert_eq!(slug("Call the pharmacy!"), "call-the-pharmacy");
    assert_eq!(slug("  Fax -- results  "), "fax-results");
    assert_eq!(slug("¿?"), "unplanned");
}

// ----- snapshots: TestBackend 80x24, fixed clock --------------------------------------------

pub(super) fn render(state: &CaptureState, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(state, f, f.area())).unwrap();
    terminal
}

pub(super) fn script(keys: &[(&str, u64)], now_ms: u64) -> CaptureState {
    let mut cap = capture();
    for (k, at) in keys {
        press(&mut cap, k, *at);
    }
    cap.tick(cap.start() + Duration::from_millis(now_ms));
    cap.state
}

fn mid_step_keys() -> Vec<(&'static str, u64)> {
    vec![
        ("Space", 2_000),
        ("c", 5_000),
        ("c", 6_000),
        ("s", 8_000),
        ("Space", 21_000),
        ("Space", 40_000),
        ("c", 50_000),
        ("r", 61_000),
        ("w", 70_000),
        ("1", 71_000),
        ("Enter", 72_000),
    ]
}

#[test]
fn snapshot_empty() {
    insta::assert_snapshot!(render(&script(&[], 0), 80, 24).backend());
}

#[test]
fn snapshot_mid_step() {
    insta::assert_snapshot!(render(&script(&mid_step_keys(), 95_000), 80, 24).backend());
}

#[test]
fn snapshot_nested_interruption() {
    let mut keys = mid_step_keys();
    keys.extend([
        ("i", 100_000),
        ("4", 100_500),
        ("c", 110_000),
        ("i", 130_000),
        ("1", 130_200),
    ]);
    insta::assert_snapshot!(render(&script(&keys, 142_000), 80, 24).backend());
}

#[test]
fn snapshot_overrun() {
    let keys = [
        ("Space", 1_000),
        ("c", 3_000),
        ("c", 4_000),
        ("Space", 10_000),
    ];
    let state = script(&keys, 55_000);
    assert_eq!(state.step_active_ms(), Some(45_000));
    let terminal = render(&state, 80, 24);
    let text = format!("{:?}", terminal.backend());
    assert!(text.contains("+0:15 OVER"), "{text}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn snapshot_pickers() {
    for (key, name) in [
        ("i", "picker_interruption"),
        ("w", "picker_workaround"),
        ("x", "picker_problem"),
    ] {
        let mut keys = mid_step_keys();
        keys.push((key, 90_000));
        insta::assert_snapshot!(name, render(&script(&keys, 90_000), 80, 24).backend());
    }
}

#[test]
fn snapshot_note_field() {
    let mut keys = mid_step_keys();
    keys.extend([
        ("n", 90_000),
        ("c", 90_100),
        ("a", 90_200),
        ("l", 90_300),
        ("l", 90_400),
    ]);
    insta::assert_snapshot!(render(&script(&keys, 91_000), 80, 24).backend());
}

#[test]
fn snapshot_search() {
    let mut keys = mid_step_keys();
    keys.extend([("/", 90_000), ("p", 90_100), ("h", 90_200)]);
    insta::assert_snapshot!(render(&script(&keys, 91_000), 80, 24).backend());
}

#[test]
fn snapshot_help() {
    let mut keys = mid_step_keys();
    keys.push(("?", 90_000));
    insta::assert_snapshot!(render(&script(&keys, 90_000), 80, 24).backend());
}

#[test]
fn snapshot_confirm_finish() {
    let mut keys = mid_step_keys();
    keys.push(("q", 90_000));
    insta::assert_snapshot!(render(&script(&keys, 90_000), 80, 24).backend());
}

#[test]
fn snapshot_paused_with_undo() {
    let mut keys = mid_step_keys();
    keys.extend([("c", 80_000), ("u", 81_000), ("p", 85_000)]);
    insta::assert_snapshot!(render(&script(&keys, 125_000), 80, 24).backend());
}

#[test]
fn snapshot_wide_200x60() {
    let mut keys = mid_step_keys();
    keys.extend([
        ("i", 100_000),
        ("4", 100_500),
        ("i", 130_000),
        ("1", 130_200),
    ]);
    insta::assert_snapshot!(render(&script(&keys, 142_000), 200, 60).backend());
}

#[test]
fn the_key_hint_fits_two_lines_at_80_columns() {
    let state = script(&[], 0);
    let lines = draw::hint_lines(&state, 80);
    let texts: Vec<String> = lines.iter().map(std::string::ToString::to_string).collect();
    assert_eq!(lines.len(), 2, "{texts:?}");
    assert!(texts[1].contains("? help"), "{texts:?}");
}

#[test]
fn every_mode_draws_at_any_size_without_panicking() {
    let mut keys = mid_step_keys();
    keys.extend([
        ("i", 100_000),
        ("4", 100_500),
        ("i", 130_000),
        ("1", 130_200),
    ]);
    let base = script(&keys, 142_000);
    let extra: [&[(&str, u64)]; 10] = [
        &[],
        &[("q", 150_000), ("v", 150_000)],
        &[("q", 150_000), ("v", 150_000), ("Esc", 150_000)],
        &[
            ("q", 150_000),
            ("v", 150_000),
            ("Esc", 150_000),
            ("Esc", 150_000),
        ],
        &[("?", 150_000)],
        &[("q", 150_000)],
        &[("w", 150_000)],
        &[("n", 150_000), ("a", 150_000)],
        &[("/", 150_000), ("z", 150_000)],
        &[("p", 150_000)],
    ];
    for more in extra {
        let mut all = keys.clone();
        all.extend_from_slice(more);
        let state = script(&all, 160_000);
        for (w, h) in [(1, 1), (10, 4), (40, 12), (79, 23), (80, 24), (300, 100)] {
            render(&state, w, h);
        }
    }
    assert!(!base.events.is_empty());
}

#[test]
fn the_capture_docs_key_table_is_the_help_table() {
    let page = include_str!("../../../docs/capture.md");
    for row in crate::tui::keymap::doc_rows(keys::KEY_TABLE) {
        assert!(page.contains(&row), "docs/capture.md lacks the row {row}");
    }
}

#[test]
fn snapshot_continued_after_a_gap() {
    let before = script(&mid_step_keys(), 80_000);
    let mut events = before.events.clone();
    events.push(Event {
        seq: events.len() as u64 + 1,
        at_ms: 72_000 + 5 * 60_000,
        kind: EventKind::Reopened,
    });
    let pathway = default_pathway();
    let mut state = CaptureState::new(header(&pathway), pathway, events);
    state.tick(72_000 + 5 * 60_000 + 4_000);
    // The gap is not active time: 70 s - 40 s before it (the last event), 4 s after.
    assert_eq!(state.step_active_ms(), Some(34_000));
    insta::assert_snapshot!(render(&state, 80, 24).backend());
}

#[test]
fn snapshot_not_saved_after_a_full_disk() {
    let mut cap = flaky();
    for (k, at) in mid_step_keys() {
        hit(&mut cap, k, at);
    }
    cap.journal.full = true;
    hit(&mut cap, "c", 80_000);
    // The store's message, as `SessionWriter::append` words it.
    cap.state.failed = Some(
        "EVENT 10 WAS NOT SAVED: write of /home/ak/.local/share/shadowmap/sessions/\
         20261125-0918-north-RN-07.journal failed: No space left on device (os error 28)\n  \
         hint: the disk is full; free some space\n  hint: every event before it is on disk; \
         keep the unsaved events and continue in a new journal segment"
            .into(),
    );
    hit(&mut cap, "s", 84_000);
    cap.tick(cap.start() + Duration::from_millis(90_000));
    let terminal = render(&cap.state, 80, 24);
    let text = format!("{:?}", terminal.backend());
    assert!(text.contains("EVENTS #10-#11 NOT SAVED"), "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    assert!(text.contains("the disk is full"), "{text}");
    assert!(!text.contains("✓ saved"), "{text}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn words_wrap_at_the_width_and_long_words_are_cut() {
    assert_eq!(
        draw::wrap_words("the disk is full", 8),
        vec!["the disk", "is full"]
    );
    assert_eq!(
        draw::wrap_words("abcdefghij", 4),
        vec!["abcd", "efgh", "ij"]
    );
    assert_eq!(draw::wrap_words("", 4), vec![""]);
}

#[test]
fn a_paste_is_text_for_a_field_and_never_keys() {
    let mut cap = capture();
    press(&mut cap, "Space", 100);
    // In the normal mode a paste logs nothing (its letters are not capture keys).
    let at = cap.start() + Duration::from_millis(200);
    assert_eq!(
        cap.handle(at, &TermEvent::Paste("ic q".into())),
        Flow::Continue
    );
    assert_eq!(cap.journal.len(), 1);
    assert!(
        cap.state.status.contains("open a note"),
        "{}",
        cap.state.status
    );
    // In a note, all of it is the note's text, line breaks as spaces.
    press(&mut cap, "n", 300);
    let at = cap.start() + Duration::from_millis(400);
    cap.handle(at, &TermEvent::Paste("first\r\nsecond\nq".into()));
    press(&mut cap, "Enter", 500);
    assert_eq!(
        kinds(&cap),
        vec![
            start("open-chart"),
            EventKind::Note {
                text: "first second q".into()
            }
        ]
    );
}
