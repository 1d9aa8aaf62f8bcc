//! The report screen, tested without a terminal: keys through the key table and update, as
//! the loop feeds them; snapshots of the drawing.

use super::*;
use crate::report::Override;
use crate::report::findings::CellShare;
use crate::report::{Rule, aggregate::Evidence};
use chrono::{DateTime, FixedOffset};
use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
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
    terminal.draw(|f| draw(state, f, f.area())).unwrap();
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
    let Effect::SaveOverrides(saved) = &effects[0] else {
        panic!("{effects:?}")
    };
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

/// The sample sessions as two rounds (the same sessions twice), grouped by site.
fn with_rounds() -> State {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-sessions");
    let options = crate::rounds::RoundsOptions {
        split: crate::rounds::Split::Folder,
        pathway: None,
        by: vec!["site".into()],
        threads: 1,
    };
    let rounds = crate::rounds::build_rounds(&[samples.clone(), samples], &options).unwrap();
    let mut state = state();
    state.rounds = Some(super::RoundsView::new(rounds));
    state.view = super::View::Rounds;
    state
}

#[test]
fn the_rounds_view_moves_between_comparisons_and_back_to_the_findings() {
    let mut plain = state();
    press(&mut plain, "r");
    assert_eq!(plain.view, super::View::Findings);
    assert!(plain.status.contains("--split"), "{}", plain.status);

    let mut state = with_rounds();
    let view = |s: &State| s.rounds.as_ref().unwrap().clone();
    assert!(screen(&state).contains("comparison 1 of"));
    press(&mut state, "jj");
    assert_eq!(view(&state).scroll, 2);
    press(&mut state, "l");
    assert_eq!((view(&state).selected, view(&state).scroll), (1, 0));
    press(&mut state, "hhh");
    assert_eq!(view(&state).selected, 0);
    // j in the rounds view scrolls; the selected finding stays.
    assert_eq!(state.selected, 0);
    press(&mut state, "r");
    assert_eq!(state.view, super::View::Findings);
    press(&mut state, "j");
    assert_eq!(state.selected, 1);
    assert!(screen(&state).contains("findings (* = overridden)"));
}

#[test]
fn the_rounds_view_lists_the_clinicians_voice_among_the_figures() {
    let (pathway, _) = crate::model::resolve_pathway("med-rec-admission").unwrap();
    let mut builder = crate::rounds::RoundsBuilder::new("folder", &[]).unwrap();
    for (order, (name, sessions)) in crate::testing::voice_rounds().into_iter().enumerate() {
        for s in &sessions {
            let digest = crate::report::digest::digest_session(s, &pathway);
            builder.add(order as u64, name, &pathway, &digest);
        }
    }
    let mut state = state();
    state.rounds = Some(super::RoundsView::new(builder.finish()));
    state.view = super::View::Rounds;
    // Only the voice changed: its two figures are the clear changes, listed first.
    let shown = screen(&state);
    let rows: Vec<&str> = shown
        .lines()
        .filter(|l| l.contains("(pathway) sus") || l.contains("(pathway) tlx"))
        .collect();
    assert_eq!(rows.len(), 2, "{shown}");
    assert!(
        rows[0].contains("(pathway) sus") && rows[0].contains("41.2") && rows[0].contains("68.8"),
        "{shown}"
    );
    assert!(rows.iter().all(|r| r.contains("improved")), "{shown}");
    assert!(shown.contains("2 improved, 0 worse"), "{shown}");
}
