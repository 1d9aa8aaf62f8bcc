//! The capture screen with a site's own vocabulary: its kinds follow the built-in ones in the
//! pickers, nine a page, `Tab` to the next page; sessions store the site's id.

use super::state::{PickerKind, TextPurpose};
use super::tests::{capture_on, default_pathway, kinds, press, render, type_text};
use super::*;
use crate::model::session::EventKind;
use crate::model::vocab::{
    Cause, Entry, InterruptionSource, ProblemKind, Vocabulary, WorkaroundKind,
};

fn entry(id: &str, label: &str, cause: Option<Cause>) -> Entry {
    Entry {
        id: id.into(),
        label: label.into(),
        cause,
    }
}

/// The default pathway with a harbour site's vocabulary: 9 + 2 interruption sources (two
/// pages), 7 + 3 workaround kinds (two pages), 8 + 1 problem kinds (one page).
fn site_capture() -> Capture<Vec<Event>> {
    let mut pathway = default_pathway();
    pathway.vocabulary = Vocabulary {
        interruptions: vec![
            entry("bed_manager", "Bed manager", None),
            entry("porter", "Porter", None),
        ],
        workarounds: vec![
            entry("fax", "Fax to the pharmacy", Some(Cause::Integration)),
            entry("whiteboard", "Ward whiteboard", None),
            entry("phone_the_ward", "Phone the ward", None),
        ],
        problems: vec![entry(
            "badge_reader",
            "Badge reader fails",
            Some(Cause::Infrastructure),
        )],
    };
    capture_on(pathway)
}

fn workaround(id: &str) -> WorkaroundKind {
    WorkaroundKind::from_name(id).unwrap()
}

#[test]
fn tab_pages_the_interruption_picker_and_a_site_source_is_stored_by_its_id() {
    let mut cap = site_capture();
    press(&mut cap, "Space", 0);
    press(&mut cap, "i", 1000);
    assert_eq!(
        cap.state.mode,
        Mode::Picker {
            kind: PickerKind::Interruption,
            at_ms: 1000,
            page: 0
        }
    );
    press(&mut cap, "Tab", 1100);
    assert_eq!(
        cap.state.mode,
        Mode::Picker {
            kind: PickerKind::Interruption,
            at_ms: 1000,
            page: 1
        }
    );
    assert_eq!(cap.state.status, "kinds, page 2 of 2");
    // Tab past the last page comes back to the first.
    press(&mut cap, "Tab", 1200);
    assert!(matches!(cap.state.mode, Mode::Picker { page: 0, .. }));
    press(&mut cap, "Tab", 1300);
    // Page 2 holds two entries: 3 is no choice.
    press(&mut cap, "3", 1400);
    assert!(matches!(cap.state.mode, Mode::Picker { page: 1, .. }));
    press(&mut cap, "1", 1500);
    assert_eq!(cap.state.mode, Mode::Normal);
    assert_eq!(
        kinds(&cap)[1..],
        [EventKind::InterruptionStart {
            source: InterruptionSource::from_name("bed_manager").unwrap(),
            note: String::new(),
        }]
    );
    // The event carries the key press that opened the picker.
    assert_eq!(cap.journal[1].at_ms, 1000);
    assert_eq!(cap.state.status, "#2 interruption: Bed manager");
    // The journal holds the id, as any reader sees it.
    assert!(
        ron::to_string(&cap.journal[1])
            .unwrap()
            .contains("source:bed_manager")
    );
}

#[test]
fn a_site_workaround_on_the_first_page_takes_a_note_under_its_label() {
    let mut cap = site_capture();
    press(&mut cap, "Space", 0);
    press(&mut cap, "w", 1000);
    // 1-7 are the built-in kinds; 8 and 9 the first two of the site's.
    press(&mut cap, "8", 1100);
    let Mode::Text { purpose, .. } = cap.state.mode.clone() else {
        panic!("a note field, got {:?}", cap.state.mode);
    };
    assert_eq!(purpose, TextPurpose::Workaround(workaround("fax")));
    assert_eq!(
        purpose.title(&cap.state.pathway.vocabulary),
        "Workaround: Fax to the pharmacy (note optional)"
    );
    type_text(&mut cap, "faxed the list", 1200);
    press(&mut cap, "Enter", 2000);
    press(&mut cap, "w", 3000);
    press(&mut cap, "Tab", 3100);
    press(&mut cap, "1", 3200);
    press(&mut cap, "Enter", 3300);
    assert_eq!(
        kinds(&cap)[1..],
        [
            EventKind::Workaround {
                kind: workaround("fax"),
                note: "faxed the list".into()
            },
            EventKind::Workaround {
                kind: workaround("phone_the_ward"),
                note: String::new()
            },
        ]
    );
    assert_eq!(cap.state.status, "#3 workaround: Phone the ward");
}

#[test]
fn one_page_of_kinds_stays_on_its_page_and_the_built_in_keys_keep_their_place() {
    let mut cap = site_capture();
    press(&mut cap, "Space", 0);
    press(&mut cap, "x", 1000);
    press(&mut cap, "Tab", 1100);
    assert!(matches!(cap.state.mode, Mode::Picker { page: 0, .. }));
    press(&mut cap, "9", 1200);
    press(&mut cap, "Enter", 1300);
    press(&mut cap, "x", 2000);
    press(&mut cap, "1", 2100);
    press(&mut cap, "Enter", 2200);
    // Without a site vocabulary, Tab means nothing to a picker and 9 is no workaround.
    let mut plain = capture_on(default_pathway());
    press(&mut plain, "w", 100);
    press(&mut plain, "Tab", 200);
    press(&mut plain, "9", 300);
    assert!(matches!(plain.state.mode, Mode::Picker { page: 0, .. }));
    assert_eq!(
        kinds(&cap)[1..],
        [
            EventKind::SystemProblem {
                kind: ProblemKind::from_name("badge_reader").unwrap(),
                note: String::new()
            },
            EventKind::SystemProblem {
                kind: ProblemKind::SlowResponse,
                note: String::new()
            },
        ]
    );
}

#[test]
fn the_footer_and_the_help_say_tab_pages_the_kinds() {
    let mut cap = site_capture();
    press(&mut cap, "i", 1000);
    let footer = draw::hint_pairs(&cap.state);
    assert!(
        footer.contains(&("Tab".to_string(), "next nine kinds".to_string())),
        "{footer:?}"
    );
    let mut plain = capture_on(default_pathway());
    press(&mut plain, "i", 1000);
    assert!(
        !draw::hint_pairs(&plain.state)
            .iter()
            .any(|(k, _)| k == "Tab")
    );
    press(&mut cap, "Esc", 1100);
    press(&mut cap, "?", 1200);
    let help = format!("{:?}", render(&cap.state, 100, 40).backend());
    assert!(
        help.contains("Tab the next nine (the site's own kinds)"),
        "{help}"
    );
}

#[test]
fn snapshot_site_pickers() {
    for (keys, name) in [
        (&["i"][..], "site_picker_interruption_page_1"),
        (&["i", "Tab"][..], "site_picker_interruption_page_2"),
        (&["w", "Tab"][..], "site_picker_workaround_page_2"),
        (&["x"][..], "site_picker_problem"),
    ] {
        let mut cap = site_capture();
        press(&mut cap, "Space", 2_000);
        for (i, key) in keys.iter().enumerate() {
            press(&mut cap, key, 10_000 + i as u64 * 100);
        }
        cap.tick(cap.start() + std::time::Duration::from_millis(12_000));
        insta::assert_snapshot!(name, render(&cap.state, 80, 24).backend());
    }
}
