use chrono::DateTime;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;

fn row(id: &str, when: &str, site: &str, role: &str, clinician: &str, pathway: &str) -> BrowseRow {
    let mut header = crate::testing::header_with_id(id);
    header.started_at = DateTime::parse_from_rfc3339(when).unwrap();
    header.site = site.into();
    header.role = role.into();
    header.clinician = clinician.into();
    header.pathway_id = pathway.into();
    BrowseRow {
        id: id.into(),
        path: format!("/data/sessions/{id}.ron").into(),
        header,
        events: id.len() * 7,
        finished: !id.contains("ward"),
        recovered: id.contains("ward"),
    }
}

fn rows() -> Vec<BrowseRow> {
    vec![
        row(
            "20261126-1402-south-MD-02",
            "2026-11-26T14:02:00+01:00",
            "south",
            "MD",
            "MD-02",
            "discharge",
        ),
        row(
            "20261125-0918-north-RN-07",
            "2026-11-25T09:18:00+01:00",
            "north",
            "RN",
            "RN-07",
            "med-rec-admission",
        ),
        row(
            "20261124-1130-north-PH-01",
            "2026-11-24T11:30:00+01:00",
            "north",
            "PH",
            "PH-01",
            "med-rec-admission",
        ),
        row(
            "20261120-0700-ward-RN-03",
            "2026-11-20T07:00:00+01:00",
            "north",
            "RN",
            "RN-03",
            "med-rec-admission",
        ),
        row(
            "20261015-2200-south-RN-11",
            "2026-10-15T22:00:00+02:00",
            "south",
            "RN",
            "RN-11",
            "med-rec-admission",
        ),
    ]
}

fn ids(state: &BrowseState) -> Vec<&str> {
    state
        .visible
        .iter()
        .map(|&i| state.rows[i].id.as_str())
        .collect()
}

fn type_filter(state: &mut BrowseState, text: &str) {
    update(state, Action::EditFilter);
    for c in text.chars() {
        update(state, Action::Type(c));
    }
    update(state, Action::FilterDone);
}

#[test]
fn filters_by_site_role_pathway_and_date() {
    let mut s = BrowseState::new("/data", rows());
    type_filter(&mut s, "site:north role:rn");
    assert_eq!(
        ids(&s),
        ["20261125-0918-north-RN-07", "20261120-0700-ward-RN-03"]
    );
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "date:2026-11");
    assert_eq!(s.visible.len(), 4);
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "date:2026-11-20..2026-11-25");
    assert_eq!(
        ids(&s),
        [
            "20261125-0918-north-RN-07",
            "20261124-1130-north-PH-01",
            "20261120-0700-ward-RN-03"
        ]
    );
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "pathway:discharge");
    assert_eq!(ids(&s), ["20261126-1402-south-MD-02"]);
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "RN-1");
    assert_eq!(ids(&s), ["20261015-2200-south-RN-11"]);
    update(&mut s, Action::ClearFilter);
    assert_eq!(s.visible.len(), 5);
}

#[test]
fn a_keyed_filter_names_the_whole_value_and_a_free_word_any_part() {
    let mut all = rows();
    all.push(row(
        "20261118-1120-lake-PharmD-06",
        "2026-11-18T11:30:00+01:00",
        "lake",
        "PharmD",
        "PharmD-06",
        "med-rec-admission",
    ));
    all.push(row(
        "20261118-1200-northeast-RN-40",
        "2026-11-18T12:00:00+01:00",
        "northeast",
        "RN",
        "RN-40",
        "med-rec",
    ));
    let mut s = BrowseState::new("/data", all);
    // `role:MD` is the role MD, not PharmD (which holds "md"); case aside.
    type_filter(&mut s, "role:md");
    assert_eq!(ids(&s), ["20261126-1402-south-MD-02"]);
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "role:PHARMD");
    assert_eq!(ids(&s), ["20261118-1120-lake-PharmD-06"]);
    update(&mut s, Action::ClearFilter);
    // `site:north` is not northeast; `pathway:med-rec` is not med-rec-admission.
    type_filter(&mut s, "site:north");
    assert_eq!(s.visible.len(), 3, "{:?}", ids(&s));
    assert!(!ids(&s).contains(&"20261118-1200-northeast-RN-40"));
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "pathway:med-rec");
    assert_eq!(ids(&s), ["20261118-1200-northeast-RN-40"]);
    update(&mut s, Action::ClearFilter);
    // Clinician and auditor codes too: `clinician:RN-0` names no one.
    type_filter(&mut s, "clinician:RN-0");
    assert!(ids(&s).is_empty(), "{:?}", ids(&s));
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "clinician:rn-07 auditor:AK");
    assert_eq!(ids(&s), ["20261125-0918-north-RN-07"]);
    update(&mut s, Action::ClearFilter);
    // A free word is still found inside a field.
    type_filter(&mut s, "pharm");
    assert_eq!(ids(&s), ["20261118-1120-lake-PharmD-06"]);
    update(&mut s, Action::ClearFilter);
    type_filter(&mut s, "md");
    assert_eq!(s.visible.len(), 2, "{:?}", ids(&s));
}

#[test]
fn an_unknown_filter_key_says_which_keys_exist_and_keeps_the_last_filter() {
    let mut s = BrowseState::new("/data", rows());
    type_filter(&mut s, "site:south colour:red");
    assert!(
        s.status.contains("unknown filter `colour:` (left out)"),
        "{}",
        s.status
    );
    assert!(s.status.contains("pathway:"), "{}", s.status);
    assert_eq!(s.visible.len(), 2);
}

#[test]
fn selection_follows_the_filter_and_effects_name_the_row() {
    let mut s = BrowseState::new("/data", rows());
    update(&mut s, Action::Down);
    update(&mut s, Action::Down);
    assert_eq!(s.selected_row(), Some(2));
    type_filter(&mut s, "north");
    // The selected session is still listed: it stays selected.
    assert_eq!(s.selected_row(), Some(2));
    assert_eq!(update(&mut s, Action::Open), [Effect::Replay(2)]);
    assert_eq!(update(&mut s, Action::Compare), [Effect::Compare(2)]);
    assert!(update(&mut s, Action::Export).is_empty());
    assert_eq!(s.mode, Mode::Export);
    assert_eq!(
        update(&mut s, Action::ExportAs(ExportFormat::Csv, false)),
        [Effect::Export(2, ExportFormat::Csv, false)]
    );
    update(&mut s, Action::Export);
    assert_eq!(
        update(&mut s, Action::ExportAs(ExportFormat::Xes, true)),
        [Effect::Export(2, ExportFormat::Xes, true)]
    );
    update(&mut s, Action::Last);
    assert_eq!(s.selected_row(), Some(3));
    update(&mut s, Action::Down);
    assert_eq!(s.selected_row(), Some(3));
    update(&mut s, Action::First);
    assert_eq!(s.selected_row(), Some(1));
    type_filter(&mut s, " nothing-matches");
    assert_eq!(s.selected_row(), None);
    assert!(update(&mut s, Action::Open).is_empty());
    assert!(s.status.contains("no session selected"));
    assert_eq!(update(&mut s, Action::Quit), [Effect::Quit]);
}

#[test]
fn keys_depend_on_the_mode() {
    let mut s = BrowseState::new("/data", rows());
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    assert_eq!(key_to_action(&s, key(KeyCode::Enter)), Some(Action::Open));
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('c'))),
        Some(Action::Compare)
    );
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('q'))),
        Some(Action::Quit)
    );
    update(&mut s, Action::EditFilter);
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('q'))),
        Some(Action::Type('q'))
    );
    assert_eq!(
        key_to_action(&s, key(KeyCode::Enter)),
        Some(Action::FilterDone)
    );
    update(&mut s, Action::FilterDone);
    update(&mut s, Action::Export);
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('x'))),
        Some(Action::ExportAs(ExportFormat::Xes, false))
    );
    // The capital letter exports redacted.
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('X'))),
        Some(Action::ExportAs(ExportFormat::Xes, true))
    );
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('J'))),
        Some(Action::ExportAs(ExportFormat::Json, true))
    );
    assert_eq!(
        key_to_action(&s, key(KeyCode::Char('z'))),
        Some(Action::Close)
    );
    s.show_panel("Compare", "line 1\nline 2\nline 3");
    update(&mut s, Action::Down);
    assert!(matches!(&s.mode, Mode::Panel(p) if p.scroll == 1));
    update(&mut s, Action::Close);
    assert_eq!(s.mode, Mode::List);
}

fn screen(state: &BrowseState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| draw(state, frame, frame.area()))
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn browser_snapshot_unfiltered() {
    let s = BrowseState::new("/data", rows());
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn browser_snapshot_with_filters() {
    let mut s = BrowseState::new("/data", rows());
    type_filter(&mut s, "site:north date:2026-11-20..");
    update(&mut s, Action::Down);
    update(&mut s, Action::EditFilter);
    let text = screen(&s);
    assert!(text.contains("(3 of 5 shown)"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn browser_snapshot_compare_panel() {
    let mut s = BrowseState::new("/data", rows());
    s.show_panel(
        "Compare 20261126-1402-south-MD-02",
        "fitness 0.80\ncost 2 of 10\n\nmissing sign",
    );
    insta::assert_snapshot!(screen(&s));
}

#[test]
fn long_panel_lines_wrap_between_words_and_nothing_is_cut_off() {
    let sentence = "  missing       `pharmacy-record` (Get the outpatient pharmacy record) was not done (expected after `ask-patient`).";
    let lines = wrap(sentence, PANEL_TEXT_WIDTH);
    assert!(lines.len() > 1, "{lines:?}");
    assert!(
        lines.iter().all(|l| l.chars().count() <= PANEL_TEXT_WIDTH),
        "{lines:?}"
    );
    assert!(
        lines[1..].iter().all(|l| l.starts_with("    ")),
        "{lines:?}"
    );
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(&lines.join(" ")), words(sentence));
    assert_eq!(wrap("short", PANEL_TEXT_WIDTH), ["short"]);
    assert_eq!(wrap("abcdefghij", 4), ["abcd", "  ef", "  gh", "  ij"]);
    for width in 0..20 {
        for line in [
            "",
            " ",
            "a b",
            "       x  y",
            "abc defghijklmno p",
            sentence,
        ] {
            let lines = wrap(line, width);
            assert!(
                lines.iter().all(|l| l.chars().count() <= width.max(1))
                    || line.chars().count() <= width.max(1),
                "{width} {line:?} {lines:?}"
            );
            // Nothing lost or added but spaces (a word longer than a line is cut).
            let letters = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(letters(&lines.join(" ")), letters(line), "{width} {line:?}");
        }
    }

    let mut s = BrowseState::new("/data", rows());
    s.show_panel("Compare", sentence);
    let text = screen(&s);
    assert!(text.contains("(expected after `ask-patient`)."), "{text}");
}

#[test]
fn the_browser_draws_at_any_size_without_panicking() {
    let mut s = BrowseState::new("/data", rows());
    for mode in 0..3 {
        match mode {
            1 => update(&mut s, Action::Export),
            2 => {
                s.show_panel("Compare", "a\nb");
                Vec::new()
            }
            _ => Vec::new(),
        };
        for (w, h) in [(1, 1), (10, 3), (40, 8), (80, 24), (200, 60)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal
                .draw(|frame| draw(&s, frame, frame.area()))
                .unwrap();
            assert_eq!(terminal.backend().to_string().lines().count(), h as usize);
        }
    }
    let empty = BrowseState::new("/data", Vec::new());
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| draw(&empty, frame, frame.area()))
        .unwrap();
    assert!(
        terminal
            .backend()
            .to_string()
            .contains("no sessions here yet")
    );
}
