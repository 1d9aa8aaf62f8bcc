//! Property tests of the model: sessions and pathways survive RON unchanged whatever their
//! text holds, and the derived timeline keeps its invariants for any event sequence.

use std::path::Path;

use chrono::{DateTime, FixedOffset, TimeZone};
use proptest::collection::vec;
use proptest::prelude::*;
use shadowmap::model::pathway::is_bidi_control;
use shadowmap::model::timeline::InterruptionEnding;
use shadowmap::model::{
    Cause, Element, Entry, Event, EventKind, Group, InterruptionSource, Pathway, ProblemKind,
    SESSION_FORMAT_VERSION, Session, SessionHeader, Step, Timeline, Tolerance, Vocabulary,
    VocabularyKind, WorkaroundKind, derive_timeline,
};

// ---- Strategies

/// Free text as auditors and pathway authors type it: quotes, backslashes, RON syntax,
/// newlines, tabs, accents, emoji, and any other character.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9 \"'\\\\(),:\\[\\]{}/#\n\t\r éüßø漢字😀-]{0,24}",
        1 => any::<String>(),
        1 => Just(String::new()),
        1 => Just("\") , Step(id: \"x\"".to_string()),
    ]
}

/// A pathway's text: [`text`] without control characters (bidirectional ones included),
/// which pathway files may not hold.
fn pathway_text() -> impl Strategy<Value = String> {
    text().prop_map(|s| {
        s.chars()
            .filter(|&c| !c.is_control() && !is_bidi_control(c))
            .collect()
    })
}

/// A pathway's description: [`pathway_text`] that may also hold line breaks and tabs.
fn prose() -> impl Strategy<Value = String> {
    text().prop_map(|s| {
        s.chars()
            .filter(|&c| (!c.is_control() || matches!(c, '\n' | '\t')) && !is_bidi_control(c))
            .collect()
    })
}

fn started_at() -> impl Strategy<Value = DateTime<FixedOffset>> {
    // 1990..2100, any millisecond, offsets in whole minutes as real time zones have.
    (
        631_152_000i64..4_102_444_800,
        0u32..1_000,
        -14 * 60..=14 * 60i32,
    )
        .prop_map(|(secs, millis, offset_min)| {
            FixedOffset::east_opt(offset_min * 60)
                .unwrap()
                .timestamp_opt(secs, millis * 1_000_000)
                .unwrap()
        })
}

fn header() -> impl Strategy<Value = SessionHeader> {
    (
        // Readers refuse any other format and ids that are not file names.
        1..=SESSION_FORMAT_VERSION,
        "[A-Za-z0-9_-][A-Za-z0-9._-]{0,40}",
        started_at(),
        (text(), text(), text(), text()),
        text(),
        any::<u32>(),
    )
        .prop_map(
            |(format_version, id, started_at, (site, role, clinician, auditor), pathway_id, v)| {
                SessionHeader {
                    format_version,
                    id,
                    started_at,
                    site,
                    role,
                    clinician,
                    auditor,
                    pathway_id,
                    pathway_version: v,
                }
            },
        )
}

/// A built-in kind, or now and then a site's own id (sessions store it as it is).
fn with_site_kinds<K: VocabularyKind>() -> impl Strategy<Value = K> {
    let mut kinds = K::BUILTIN.to_vec();
    kinds.extend(["fax", "bed_manager", "badge_reader2"].map(|id| K::from_name(id).unwrap()));
    proptest::sample::select(kinds)
}

fn source() -> impl Strategy<Value = InterruptionSource> {
    with_site_kinds()
}

fn workaround() -> impl Strategy<Value = WorkaroundKind> {
    with_site_kinds()
}

fn problem() -> impl Strategy<Value = ProblemKind> {
    with_site_kinds()
}

/// Every event kind, with arbitrary text; an undo targets a number in 1..=`max_target`.
fn kind(step_ids: &'static [&'static str], max_target: u64) -> BoxedStrategy<EventKind> {
    let step = proptest::sample::select(step_ids).prop_map(str::to_string);
    prop_oneof![
        4 => step.clone().prop_map(|step| EventKind::StepStart { step }),
        1 => (step, text()).prop_map(|(step, label)| EventKind::UnplannedStep { step, label }),
        1 => Just(EventKind::StepEnd),
        2 => (source(), text()).prop_map(|(source, note)| EventKind::InterruptionStart { source, note }),
        2 => Just(EventKind::InterruptionEnd),
        3 => prop_oneof![Just(1), Just(-1), any::<i32>()].prop_map(|delta| EventKind::Clicks { delta }),
        1 => Just(EventKind::Screen),
        1 => Just(EventKind::Reentry),
        1 => (workaround(), text()).prop_map(|(kind, note)| EventKind::Workaround { kind, note }),
        1 => (problem(), text()).prop_map(|(kind, note)| EventKind::SystemProblem { kind, note }),
        1 => text().prop_map(|text| EventKind::Note { text }),
        // An undo takes back an earlier event (0 when there is none: undoes nothing).
        1 => (max_target.min(1)..=max_target).prop_map(|target| EventKind::Undo { target }),
        1 => Just(EventKind::Pause),
        1 => Just(EventKind::Resume),
        1 => Just(EventKind::Reopened),
        1 => Just(EventKind::Finish),
    ]
    .boxed()
}

const STEP_IDS: &[&str] = &["a", "b", "c", "open-chart", "Create Fine"];

/// A journal's events: numbered from 1, times never going back (gaps of 0 ms allowed).
fn events(max_len: usize) -> impl Strategy<Value = Vec<Event>> {
    vec((0u64..90_000, any::<u8>()), 0..max_len).prop_flat_map(|slots| {
        let n = slots.len() as u64;
        let kinds: Vec<BoxedStrategy<EventKind>> =
            (1..=n).map(|seq| kind(STEP_IDS, seq - 1)).collect();
        kinds.prop_map(move |kinds| {
            let mut at_ms = 0;
            slots
                .iter()
                .zip(kinds)
                .enumerate()
                .map(|(i, ((dt, _), kind))| {
                    at_ms += dt;
                    Event {
                        seq: i as u64 + 1,
                        at_ms,
                        kind,
                    }
                })
                .collect()
        })
    })
}

fn pathway_step(id: String) -> impl Strategy<Value = Step> {
    (
        pathway_text(),
        any::<u32>(),
        any::<u32>(),
        proptest::option::of(any::<u32>()),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(pathway_text()),
    )
        .prop_map(
            move |(
                label,
                expected_secs,
                expected_clicks,
                expected_screens,
                optional,
                repeat,
                policy,
            )| Step {
                id: id.clone(),
                label,
                expected_secs,
                expected_clicks,
                expected_screens,
                optional,
                repeat,
                policy,
            },
        )
}

/// A valid pathway: unique non-empty ids (any text without control characters), groups
/// holding 1..4 steps.
fn pathway() -> impl Strategy<Value = Pathway> {
    let ids = proptest::collection::hash_set(
        pathway_text().prop_filter("non-empty id", |s| !s.is_empty()),
        1..14,
    );
    let shape = vec(0usize..4, 1..8);
    (ids, shape).prop_flat_map(|(ids, shape)| {
        let ids: Vec<String> = ids.into_iter().collect();
        // Cut the ids into elements: 0 = a step, k > 0 = a group id plus k member steps.
        let mut elements: Vec<BoxedStrategy<Element>> = Vec::new();
        let mut rest = ids.as_slice();
        for k in shape {
            if rest.is_empty() {
                break;
            }
            if k == 0 || rest.len() < 2 {
                elements.push(
                    pathway_step(rest[0].clone())
                        .prop_map(Element::Step)
                        .boxed(),
                );
                rest = &rest[1..];
            } else {
                let take = k.min(rest.len() - 1);
                let group_id = rest[0].clone();
                let members: Vec<_> = rest[1..=take].iter().cloned().map(pathway_step).collect();
                elements.push(
                    (pathway_text(), members)
                        .prop_map(move |(label, steps)| {
                            Element::AnyOrder(Group {
                                id: group_id.clone(),
                                label,
                                steps,
                            })
                        })
                        .boxed(),
                );
                rest = &rest[take + 1..];
            }
        }
        (
            pathway_text(),
            any::<u32>(),
            pathway_text(),
            prose(),
            vec(pathway_text(), 0..4),
            elements,
            proptest::option::of((any::<u32>(), any::<u32>())),
            site_vocabulary(),
        )
            .prop_map(
                |(id, version, name, description, roles, steps, tolerance, vocabulary)| Pathway {
                    id,
                    version,
                    name,
                    description,
                    roles,
                    steps,
                    tolerance: tolerance.map(|(time_pct, clicks_pct)| Tolerance {
                        time_pct,
                        clicks_pct,
                    }),
                    vocabulary,
                },
            )
    })
}

/// A site vocabulary `pathways check` accepts: distinct snake_case ids, labels of any text
/// without control characters.
fn site_vocabulary() -> impl Strategy<Value = Vocabulary> {
    let entries = || {
        (
            proptest::sample::subsequence(vec!["fax", "bed_manager", "badge_reader2", "x"], 0..=4),
            vec(
                (pathway_text(), proptest::option::of(0..Cause::ALL.len())),
                4,
            ),
        )
            .prop_map(|(ids, rest)| {
                ids.into_iter()
                    .zip(rest)
                    .map(|(id, (label, cause))| Entry {
                        id: id.to_string(),
                        label: format!("L {label}"),
                        cause: cause.map(|i| Cause::ALL[i]),
                    })
                    .collect::<Vec<_>>()
            })
    };
    (entries(), entries(), entries()).prop_map(|(interruptions, workarounds, problems)| {
        Vocabulary {
            interruptions,
            workarounds,
            problems,
        }
    })
}

/// The pathway's `n`th step (group members included, in file order), to change.
fn nth_step_mut(pathway: &mut Pathway, n: usize) -> &mut Step {
    pathway
        .steps
        .iter_mut()
        .flat_map(|element| match element {
            Element::Step(step) => std::slice::from_mut(step).iter_mut(),
            Element::AnyOrder(group) => group.steps.iter_mut(),
        })
        .nth(n)
        .expect("the pathway has that many steps")
}

// ---- Round trips

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn sessions_round_trip_through_ron(header in header(), events in events(30)) {
        let session = Session { header, events };
        let text = session.to_ron();
        let back = Session::from_ron_str(&text, Path::new("s.ron"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, session);
    }

    /// A control character in any step's label is refused, at that label's string.
    #[test]
    fn a_control_character_in_a_label_is_refused_where_it_is(
        pathway in pathway(),
        pick in any::<prop::sample::Index>(),
        c in prop_oneof![0u32..0x20, Just(0x7f), 0x80u32..0xa0].prop_map(|u| char::from_u32(u).unwrap()),
    ) {
        let mut hostile = pathway.clone();
        let n = hostile.all_steps().count();
        let k = pick.index(n);
        nth_step_mut(&mut hostile, k).label.push(c);
        let label = &hostile.all_steps().nth(k).unwrap().label;
        let text = hostile.to_ron();
        let written = format!("label: {}", ron::to_string(label).unwrap());
        let places: Vec<usize> = text.match_indices(&written).map(|(i, _)| i).collect();
        prop_assume!(places.len() == 1);
        let e = Pathway::from_ron_str(&text, Path::new("p.ron")).unwrap_err();
        prop_assert!(e.message.contains("holds the control character"), "{}", e);
        let offset = places[0] + "label: ".len();
        let line = text[..offset].matches('\n').count() + 1;
        let column = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
        prop_assert_eq!(e.location, Some(shadowmap::model::Location { line, column }), "{}\n{}", e, text);
    }

    #[test]
    fn pathways_round_trip_through_ron(pathway in pathway()) {
        let text = pathway.to_ron();
        let back = Pathway::from_ron_str(&text, Path::new("p.ron"))
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, pathway);
    }
}

// ---- Timeline invariants

/// Everything but the set of undone numbers, which differs between undoing and dropping.
fn without_undone(mut t: Timeline) -> Timeline {
    t.undone.clear();
    t
}

#[allow(clippy::too_many_lines)] // long before the lint came; split it when next changed
fn check_invariants(events: &[Event], t: &Timeline) -> Result<(), TestCaseError> {
    for (i, s) in t.steps.iter().enumerate() {
        prop_assert!(s.start_ms <= s.end_ms, "step {} ends before it starts", i);
        prop_assert_eq!(
            s.active_ms + s.interrupted_ms + s.paused_ms,
            s.span_ms(),
            "step {}: active + interrupted + paused == span",
            i
        );
        // All time spent in interruptions of this step is the step's interrupted time.
        let interruptions: u64 = t
            .interruptions
            .iter()
            .filter(|x| x.step == Some(i))
            .map(|x| x.active_ms)
            .sum();
        prop_assert_eq!(s.interrupted_ms, interruptions, "step {}", i);
        for &x in &s.interruptions {
            prop_assert_eq!(t.interruptions[x].step, Some(i));
        }
        prop_assert!(s.end_ms <= t.end_ms);
    }
    for pair in t.steps.windows(2) {
        prop_assert!(pair[0].end_ms <= pair[1].start_ms, "steps overlap");
        prop_assert!(pair[0].start_seq < pair[1].start_seq);
    }
    for (i, x) in t.interruptions.iter().enumerate() {
        prop_assert!(x.start_ms <= x.end_ms);
        prop_assert!(x.active_ms <= x.end_ms - x.start_ms);
        match x.parent {
            None => prop_assert_eq!(x.depth, 0),
            Some(p) => {
                prop_assert!(p < i, "a parent opens before its child");
                let parent = &t.interruptions[p];
                prop_assert_eq!(x.depth, parent.depth + 1);
                prop_assert_eq!(x.step, parent.step);
                prop_assert!(parent.start_ms <= x.start_ms && x.end_ms <= parent.end_ms);
            }
        }
        if let Some(step) = x.step {
            let s = &t.steps[step];
            prop_assert!(s.start_ms <= x.start_ms && x.end_ms <= s.end_ms);
        }
        if let InterruptionEnding::TaskSwitch { to_step } = &x.ended_by {
            let next = t
                .steps
                .iter()
                .find(|s| s.start_ms == x.end_ms && &s.step == to_step);
            prop_assert!(next.is_some(), "a task switch names the step started");
        }
    }
    let mut last_end = 0;
    for p in &t.pauses {
        prop_assert!(
            last_end <= p.start_ms && p.start_ms <= p.end_ms,
            "pauses ordered"
        );
        last_end = p.end_ms;
    }
    prop_assert!(last_end <= t.end_ms);
    let paused: u64 = t.pauses.iter().map(|p| p.end_ms - p.start_ms).sum();
    prop_assert_eq!(t.observed_ms(), t.end_ms - paused);

    // What counts: the effective events up to the finish (a finish followed by `Reopened`
    // was cancelled by the reopening).
    let effective: Vec<&Event> = {
        let all: Vec<&Event> = t.effective(events).collect();
        let mut v = Vec::new();
        for (i, e) in all.iter().enumerate() {
            if matches!(e.kind, EventKind::Finish) {
                if all
                    .get(i + 1)
                    .is_some_and(|n| matches!(n.kind, EventKind::Reopened))
                {
                    continue;
                }
                v.push(*e);
                prop_assert_eq!(t.ignored_after_finish, all.len() - i - 1);
                break;
            }
            v.push(*e);
        }
        v
    };
    let started: Vec<&str> = effective
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::StepStart { step } | EventKind::UnplannedStep { step, .. } => {
                Some(step.as_str())
            }
            _ => None,
        })
        .collect();
    prop_assert_eq!(t.observed_steps(), started);
    let count = |f: fn(&EventKind) -> bool| effective.iter().filter(|e| f(&e.kind)).count();
    prop_assert_eq!(
        t.interruptions.len(),
        count(|k| matches!(k, EventKind::InterruptionStart { .. }))
    );
    prop_assert_eq!(
        t.workarounds.len(),
        count(|k| matches!(k, EventKind::Workaround { .. }))
    );
    prop_assert_eq!(
        t.problems.len(),
        count(|k| matches!(k, EventKind::SystemProblem { .. }))
    );
    prop_assert_eq!(
        t.notes.len(),
        count(|k| matches!(k, EventKind::Note { .. }))
    );
    let screens = t.steps.iter().map(|s| s.counts.screens).sum::<u32>()
        + t.interruptions
            .iter()
            .map(|x| x.counts.screens)
            .sum::<u32>()
        + t.idle_counts.screens;
    prop_assert_eq!(screens as usize, count(|k| matches!(k, EventKind::Screen)));
    let reentries = t.steps.iter().map(|s| s.counts.reentries).sum::<u32>()
        + t.interruptions
            .iter()
            .map(|x| x.counts.reentries)
            .sum::<u32>()
        + t.idle_counts.reentries;
    prop_assert_eq!(
        reentries as usize,
        count(|k| matches!(k, EventKind::Reentry))
    );
    prop_assert_eq!(
        t.finished,
        effective
            .iter()
            .any(|e| matches!(e.kind, EventKind::Finish))
    );
    for mark in &t.workarounds {
        if let Some(step) = mark.step {
            let s = &t.steps[step];
            prop_assert!(s.start_ms <= mark.at_ms && mark.at_ms <= s.end_ms);
            prop_assert!(
                s.workarounds.contains(
                    &t.workarounds
                        .iter()
                        .position(|m| m.seq == mark.seq)
                        .unwrap()
                )
            );
        }
        if let Some(x) = mark.interruption {
            let x = &t.interruptions[x];
            prop_assert!(x.start_ms <= mark.at_ms && mark.at_ms <= x.end_ms);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn timeline_invariants_hold_for_any_events(events in events(60)) {
        let t = derive_timeline(&events);
        check_invariants(&events, &t)?;
    }

    /// Undoing an event is the same as never having logged it.
    #[test]
    fn undo_equals_dropping_the_event(events in events(50), pick in any::<prop::sample::Index>()) {
        prop_assume!(!events.is_empty());
        let target = &events[pick.index(events.len())];
        prop_assume!(!matches!(target.kind, EventKind::Undo { .. }));
        let last = events.last().unwrap();
        let mut undone = events.clone();
        undone.push(Event {
            seq: last.seq + 1,
            at_ms: last.at_ms + 500,
            kind: EventKind::Undo { target: target.seq },
        });
        let dropped: Vec<Event> = events.iter().filter(|e| e.seq != target.seq).cloned().collect();
        let with_undo = derive_timeline(&undone);
        check_invariants(&undone, &with_undo)?;
        prop_assert_eq!(without_undone(with_undo), without_undone(derive_timeline(&dropped)));
    }

    /// The undo of the last event, the capture screen's `u`, gives back the timeline from
    /// before that event.
    #[test]
    fn undo_of_the_last_event_restores_the_timeline_before_it(events in events(50)) {
        prop_assume!(!events.is_empty());
        let last = events.last().unwrap();
        prop_assume!(!matches!(last.kind, EventKind::Undo { .. } | EventKind::Finish));
        let before = derive_timeline(&events[..events.len() - 1]);
        let mut undone = events.clone();
        undone.push(Event {
            seq: last.seq + 1,
            at_ms: last.at_ms + 1_200,
            kind: EventKind::Undo { target: last.seq },
        });
        prop_assert_eq!(without_undone(derive_timeline(&undone)), without_undone(before));
    }

    /// Time added before the session starts shifting everything by a constant leaves every
    /// duration unchanged.
    #[test]
    fn durations_do_not_depend_on_the_origin(events in events(40), shift in 0u64..10_000_000) {
        let shifted: Vec<Event> = events
            .iter()
            .map(|e| Event { at_ms: e.at_ms + shift, ..e.clone() })
            .collect();
        let (a, b) = (derive_timeline(&events), derive_timeline(&shifted));
        let durations = |t: &Timeline| -> Vec<(u64, u64, u64, u64)> {
            t.steps.iter().map(|s| (s.span_ms(), s.active_ms, s.interrupted_ms, s.paused_ms)).collect()
        };
        prop_assert_eq!(durations(&a), durations(&b));
        let own: Vec<u64> = a.interruptions.iter().map(|x| x.active_ms).collect();
        let own_b: Vec<u64> = b.interruptions.iter().map(|x| x.active_ms).collect();
        prop_assert_eq!(own, own_b);
    }
}

// ---- Bad input never panics, and says where

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A template cut short or with one character replaced: an error with a place, or a
    /// valid pathway; never a panic.
    #[test]
    fn damaged_pathway_files_give_located_errors(
        which in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        replace in proptest::option::of((any::<prop::sample::Index>(), any::<char>())),
    ) {
        let template = &shadowmap::model::pathway::TEMPLATES[which.index(shadowmap::model::pathway::TEMPLATES.len())];
        let chars: Vec<char> = template.text.chars().collect();
        let mut damaged: Vec<char> = chars[..cut.index(chars.len() + 1)].to_vec();
        if let Some((at, c)) = replace
            && !damaged.is_empty()
        {
            let i = at.index(damaged.len());
            damaged[i] = c;
        }
        let text: String = damaged.into_iter().collect();
        if let Err(e) = Pathway::from_ron_str(&text, Path::new("damaged.ron")) {
            prop_assert!(e.location.is_some(), "{}", e);
            prop_assert!(e.to_string().starts_with("damaged.ron:"), "{}", e);
        }
    }

    #[test]
    fn arbitrary_text_never_panics_the_parsers(text in any::<String>()) {
        let _ = Pathway::from_ron_str(&text, Path::new("x.ron"));
        let _ = Session::from_ron_str(&text, Path::new("x.ron"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// For any valid pathway with one step's id made equal to an earlier one, `check` points
    /// at the second `id:` of that text, whatever the labels, ids and escapes hold.
    #[test]
    fn a_duplicate_id_is_located_at_its_second_occurrence(
        pathway in pathway(),
        pick in any::<(prop::sample::Index, prop::sample::Index)>(),
    ) {
        let n = pathway.all_steps().count();
        prop_assume!(n >= 2);
        let (a, b) = (pick.0.index(n), pick.1.index(n));
        prop_assume!(a != b);
        let (first, second) = (a.min(b), a.max(b));
        let id = pathway.all_steps().nth(first).unwrap().id.clone();
        prop_assume!(pathway.id != id);
        let mut broken = pathway.clone();
        nth_step_mut(&mut broken, second).id = id.clone();
        let text = broken.to_ron();
        let e = Pathway::from_ron_str(&text, Path::new("p.ron")).unwrap_err();
        prop_assert_eq!(&e.message, &format!("duplicate id `{id}`"));
        let written = format!("id: {}", ron::to_string(&id).unwrap());
        let places: Vec<usize> = text.match_indices(&written).map(|(i, _)| i).collect();
        prop_assert_eq!(places.len(), 2, "{}", text);
        let offset = places[1] + "id: ".len();
        let line = text[..offset].matches('\n').count() + 1;
        let column = text[..offset].rsplit('\n').next().unwrap().chars().count() + 1;
        prop_assert_eq!(
            e.location,
            Some(shadowmap::model::Location { line, column }),
            "{}\n{}",
            e,
            text
        );
    }
}
