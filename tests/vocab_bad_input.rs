//! Bad site kinds in session files: a name that is no snake_case id, and more distinct site
//! ids than one run holds, are clear errors with file, line and column; never a panic. (Its
//! own test binary: site ids are interned for the life of the process.)

use std::path::Path;

use shadowmap::model::vocab::MAX_CUSTOM_IDS;
use shadowmap::model::{EventKind, Session, WorkaroundKind};
use shadowmap::testing::{header_with_id, session_of};

/// A session file with one workaround per name, one event a line, as capture writes them.
fn session_text(kinds: &[String]) -> String {
    let events = kinds
        .iter()
        .map(|k| {
            (
                1_000,
                EventKind::Workaround {
                    kind: WorkaroundKind::Other,
                    note: format!("KIND={k}"),
                },
            )
        })
        .enumerate()
        .map(|(i, (at, kind))| (at + i as u64 * 1_000, kind));
    let text = session_of(header_with_id("s"), events).to_ron();
    // Each marked line gets its name in place of `other`, in one pass.
    text.lines()
        .map(|line| match line.split_once("kind: other, note: \"KIND=") {
            Some((head, rest)) => {
                let name = rest.split_once('"').map_or(rest, |(name, _)| name);
                let tail = rest.split_once("\")").map_or("", |(_, tail)| tail);
                format!("{head}kind: {name}, note: \"\"){tail}")
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn bad_site_kinds_in_a_session_are_located_and_explained() {
    let text = session_text(&["fax".into(), "Fax".into()]);
    let error = Session::from_ron_str(&text, Path::new("s.ron")).unwrap_err();
    let shown = error.to_string();
    let line = text.lines().position(|l| l.contains("kind: Fax")).unwrap() + 1;
    assert!(shown.starts_with(&format!("s.ron:{line}:")), "{shown}");
    assert!(
        shown.contains(
            "`Fax` is not a workaround kind: the id `Fax` does not start with a lowercase letter"
        ),
        "{shown}"
    );
    // The valid one alone reads, as the site's id.
    let text = session_text(&["fax".into()]);
    let session = Session::from_ron_str(&text, Path::new("s.ron")).unwrap();
    assert_eq!(
        session.events[0].kind,
        EventKind::Workaround {
            kind: WorkaroundKind::from_name("fax").unwrap(),
            note: String::new()
        }
    );
    // One test, in this order: the interner of this process fills up below.
    more_distinct_site_ids_than_a_run_holds_is_an_error_not_unbounded_memory();
}

fn more_distinct_site_ids_than_a_run_holds_is_an_error_not_unbounded_memory() {
    let kinds: Vec<String> = (0..=MAX_CUSTOM_IDS).map(|i| format!("k{i}")).collect();
    let text = session_text(&kinds);
    let error = Session::from_ron_str(&text, Path::new("s.ron")).unwrap_err();
    let shown = error.to_string();
    assert!(
        shown.contains(&format!("more than {MAX_CUSTOM_IDS} distinct site ids")),
        "{}",
        &shown[..shown.len().min(400)]
    );
    assert!(error.location.is_some());
}
