use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::update::update;
use super::*;
use crate::map::{Trace, build_map};
use crate::model::resolve_pathway;

fn state() -> MapState {
    let pathway = resolve_pathway("med-rec-admission").unwrap().0;
    let mut late = Trace::bare("s2", &["open-chart", "sign"]);
    late.steps[1].start_ms = 75_000;
    let traces = vec![
        Trace::bare(
            "s1",
            &[
                "open-chart",
                "review-allergies",
                "ask-patient",
                "enter-home-meds",
                "sign",
            ],
        ),
        late,
    ];
    MapState::new(build_map(&pathway, &traces))
}

fn screen(state: &MapState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(100, 24)).unwrap();
    terminal.draw(|f| draw::draw(state, f, f.area())).unwrap();
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_step_shows_where_people_come_from_and_go_next() {
    let s = state();
    assert_eq!(s.step_id(), Some("open-chart"));
    let text = screen(&s);
    assert!(text.contains("Comes from"), "{text}");
    assert!(text.contains("<- (start)  2 (100%)"), "{text}");
    assert!(text.contains("! -> Sign reconciliation  1 (50%)"), "{text}");
    assert!(text.contains("-> Review allergies  1 (50%)"), "{text}");
}

#[test]
fn enter_on_a_deviating_flow_lists_its_sessions_and_r_replays_one() {
    let mut s = state();
    assert!(update(&mut s, Action::Open).is_empty());
    assert_eq!(s.focus, Focus::Flows);
    // Flows: (start) -> here, then here -> review-allergies / sign (1 each, file order).
    let deviating = s
        .flow_list()
        .iter()
        .position(|&e| !s.map.edges[e].conforming)
        .unwrap();
    for _ in 0..deviating {
        update(&mut s, Action::Down);
    }
    update(&mut s, Action::Open);
    let Mode::Sessions { edge, selected: 0 } = s.mode else {
        panic!("{:?}", s.mode)
    };
    assert_eq!(s.map.edges[edge].to, "sign");
    assert!(screen(&s).contains("s2  at 1:15"));
    assert_eq!(
        update(&mut s, Action::Replay),
        vec![Effect::Replay {
            session: "s2".into(),
            at_ms: 75_000
        }]
    );
    update(&mut s, Action::Back);
    assert_eq!(s.mode, Mode::Map);
    update(&mut s, Action::Back);
    assert_eq!(s.focus, Focus::Steps);
    assert_eq!(update(&mut s, Action::Back), vec![Effect::Quit]);
}

#[test]
fn a_conforming_flow_says_so_instead_of_listing_sessions() {
    let mut s = state();
    update(&mut s, Action::SwitchFocus);
    update(&mut s, Action::Open);
    assert_eq!(s.mode, Mode::Map);
    assert!(s.status.contains("follows the pathway"));
}

#[test]
fn a_step_never_done_is_marked_and_has_no_flows() {
    let mut s = state();
    let never = s
        .steps
        .iter()
        .position(|&n| s.map.nodes[n].id == "pharmacy-record")
        .unwrap();
    assert!(!s.map.nodes[s.steps[never]].observed);
    for _ in 0..never {
        update(&mut s, Action::Down);
    }
    assert!(screen(&s).contains("Check pharmacy record  0× never done"));
    update(&mut s, Action::Open);
    assert_eq!(s.focus, Focus::Steps);
    assert!(s.status.contains("no flows"));
    // Moving past the end stays on the last step.
    for _ in 0..20 {
        update(&mut s, Action::Down);
    }
    assert_eq!(s.selected, s.steps.len() - 1);
}

#[test]
fn the_key_table_drives_the_footer_and_r_only_acts_in_a_session_list() {
    use crate::tui::keymap::{footer, key_named};
    let mut s = state();
    assert_eq!(keys::key_to_action(&s, key_named("r")), None);
    assert_eq!(
        keys::key_to_action(&s, key_named("Enter")),
        Some(Action::Open)
    );
    s.mode = Mode::Sessions {
        edge: 0,
        selected: 0,
    };
    assert_eq!(
        keys::key_to_action(&s, key_named("r")),
        Some(Action::Replay)
    );
    assert!(footer(keys::KEY_TABLE, "  ").contains("r replay"));
}

#[test]
fn docs_map_md_lists_every_key_of_the_table() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/map.md"),
    )
    .unwrap();
    for row in crate::tui::keymap::doc_rows(keys::KEY_TABLE) {
        assert!(docs.contains(&row), "docs/map.md lacks {row}");
    }
}

/// Three sessions of which two review the allergies after the home medications: their map,
/// and the suggestion they make (one change, a move).
fn suggestion_state() -> (MapState, crate::suggest::Suggestion) {
    use crate::suggest::{Options, Trace as SuggestTrace, suggest};
    let pathway = resolve_pathway("med-rec-admission").unwrap().0;
    let late = [
        "open-chart",
        "pharmacy-record",
        "ask-patient",
        "enter-home-meds",
        "review-allergies",
        "sign",
    ];
    let early = [
        "open-chart",
        "review-allergies",
        "ask-patient",
        "pharmacy-record",
        "enter-home-meds",
        "sign",
    ];
    let sessions = [("s1", &late), ("s2", &early), ("s3", &late)];
    let map = build_map(
        &pathway,
        &sessions
            .iter()
            .map(|(id, steps)| Trace::bare(id, &steps[..]))
            .collect::<Vec<_>>(),
    );
    let traces: Vec<SuggestTrace> = sessions
        .iter()
        .map(|(id, steps)| SuggestTrace::bare(id, &steps[..]))
        .collect();
    let suggestion = suggest(&pathway, &traces, &Options::default()).unwrap();
    let mut state = MapState::new(map);
    state.size = (100, 24);
    (state, suggestion)
}

#[test]
fn s_asks_for_the_suggestion_once_says_computing_then_shows_it() {
    let (mut s, suggestion) = suggestion_state();
    assert_eq!(update(&mut s, Action::Suggest), vec![Effect::Suggest]);
    assert_eq!(s.mode, Mode::Suggestion { scroll: 0 });
    assert_eq!(s.suggested, Suggested::Computing);
    let text = screen(&s);
    assert!(
        text.contains("Computing the suggestion from 3 sessions"),
        "{text}"
    );
    // Asked again while it computes: nothing more to do.
    assert!(update(&mut s, Action::Suggest).is_empty());

    assert_eq!(suggestion.changes.len(), 1);
    update(&mut s, Action::Suggested(Ok(Box::new(suggestion))));
    let text = screen(&s);
    assert!(text.contains("What the work suggests"), "{text}");
    assert!(
        text.contains("Move `review-allergies` after `enter-home-meds`"),
        "{text}"
    );
    // s2 reviews the allergies early: it no longer fits, s1 and s3 now do.
    assert!(text.contains("Mean fitness 0.939 -> 0.970"), "{text}");
    assert!(text.contains("sessions: s1, s3"), "{text}");

    // Esc back to the map; `s` again shows the one already made.
    update(&mut s, Action::Back);
    assert_eq!(s.mode, Mode::Map);
    assert!(update(&mut s, Action::Suggest).is_empty());
    assert!(matches!(s.suggested, Suggested::Ready(_)));
    update(&mut s, Action::Back);
    assert_eq!(update(&mut s, Action::Back), vec![Effect::Quit]);
}

#[test]
fn the_suggestion_scrolls_to_its_last_page_and_no_further() {
    let (mut s, suggestion) = suggestion_state();
    update(&mut s, Action::Suggest);
    update(&mut s, Action::Suggested(Ok(Box::new(suggestion))));
    let lines = s.suggestion_lines();
    let page = s.suggestion_page();
    assert!(lines.len() > page, "{} lines, page {page}", lines.len());
    // The revised file is in it, below the first page.
    assert!(lines.iter().any(|l| l.contains("version: 4,")), "{lines:?}");
    update(&mut s, Action::Down);
    assert_eq!(s.mode, Mode::Suggestion { scroll: 1 });
    update(&mut s, Action::Up);
    update(&mut s, Action::Up);
    assert_eq!(s.mode, Mode::Suggestion { scroll: 0 });
    for _ in 0..50 {
        update(&mut s, Action::PageDown);
    }
    let last = lines.len() - page;
    assert_eq!(s.mode, Mode::Suggestion { scroll: last });
    let text = screen(&s);
    assert!(
        text.contains(&format!(
            "Lines {}-{} of {}",
            last + 1,
            lines.len(),
            lines.len()
        )),
        "{text}"
    );
    assert!(text.contains("    ],"), "{text}");
    update(&mut s, Action::PageUp);
    assert_eq!(
        s.mode,
        Mode::Suggestion {
            scroll: last - page
        }
    );
}

#[test]
fn a_failed_suggestion_says_why_and_s_tries_again() {
    let mut s = state();
    update(&mut s, Action::Suggest);
    update(
        &mut s,
        Action::Suggested(Err("x.ron: line 3, column 1: unexpected end".into())),
    );
    assert!(
        screen(&s).contains("No suggestion: x.ron: line 3, column 1: unexpected end"),
        "{}",
        screen(&s)
    );
    update(&mut s, Action::Back);
    assert_eq!(update(&mut s, Action::Suggest), vec![Effect::Suggest]);
    assert_eq!(s.suggested, Suggested::Computing);
}

#[test]
fn question_mark_shows_the_key_table_and_any_key_closes_it() {
    use crate::tui::keymap::{footer, key_named};
    let mut s = state();
    let help = keys::key_to_action(&s, key_named("?")).unwrap();
    update(&mut s, help);
    assert!(s.help);
    let text = screen(&s);
    assert!(text.contains("Map keys (any key closes)"), "{text}");
    assert!(
        text.contains("the pathway these sessions suggest"),
        "{text}"
    );
    // Any key, even one that means something else, only closes the help.
    assert_eq!(keys::key_to_action(&s, key_named("s")), Some(Action::Help));
    update(&mut s, Action::Help);
    assert!(!s.help);
    assert_eq!(
        keys::key_to_action(&s, key_named("s")),
        Some(Action::Suggest)
    );
    assert!(footer(keys::KEY_TABLE, "  ").contains("s suggest"));
    assert!(footer(keys::KEY_TABLE, "  ").contains("? help"));
}

#[test]
fn the_suggestion_screen_snapshot() {
    let (mut s, suggestion) = suggestion_state();
    update(&mut s, Action::Suggest);
    update(&mut s, Action::Suggested(Ok(Box::new(suggestion))));
    insta::assert_snapshot!("map_suggestion", screen(&s));
}
