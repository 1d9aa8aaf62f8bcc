use super::*;
use crate::compare::{compare_trace, pathway_from_json_str};

fn pathway(json: &str) -> Pathway {
    pathway_from_json_str(json, std::path::Path::new("t.json")).unwrap()
}

/// `n` traces of each sequence, ids `s1`, `s2`, ...
fn traces(groups: &[(usize, &[&str])]) -> Vec<Trace> {
    let mut out = Vec::new();
    for (n, steps) in groups {
        for _ in 0..*n {
            let id = format!("s{}", out.len() + 1);
            out.push(Trace::bare(&id, steps));
        }
    }
    out
}

fn ids(p: &Pathway) -> String {
    p.steps
        .iter()
        .map(|e| match e {
            Element::Step(s) => format!(
                "{}{}{}",
                s.id,
                if s.optional { "?" } else { "" },
                if s.repeat { "+" } else { "" }
            ),
            Element::AnyOrder(g) => format!(
                "{{{}}}",
                g.steps
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const ABCD: &str = r#"{"steps":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d"}]}"#;

#[test]
fn a_step_left_out_often_becomes_optional() {
    let t = traces(&[(6, &["a", "b", "c", "d"]), (4, &["a", "c", "d"])]);
    let s = suggest(&pathway(ABCD), &t, &Options::default()).unwrap();
    assert_eq!(ids(&s.pathway), "a b? c d");
    assert_eq!(s.changes.len(), 1);
    assert_eq!(s.changes[0].evidence.sessions, 4);
    assert_eq!(s.changes[0].evidence.examples, ["s7", "s8", "s9", "s10"]);
    assert!((s.before.mean_fitness - (0.6 + 0.4 * (1.0 - 1.0 / 7.0))).abs() < 1e-9);
    assert_eq!(s.after.mean_fitness, 1.0);
    assert_eq!(s.after.fitting_share, 1.0);
    assert_eq!(s.pathway.version, 2);
}

#[test]
fn swapped_steps_move_and_both_orders_make_a_group() {
    let swapped = traces(&[(10, &["a", "c", "b", "d"])]);
    let s = suggest(&pathway(ABCD), &swapped, &Options::default()).unwrap();
    assert_eq!(s.after.mean_fitness, 1.0);
    assert!(
        matches!(s.changes[0].edit, Edit::Move { .. }),
        "one order only: a move, not a group: {:?}",
        s.changes
    );
    assert!(!ids(&s.pathway).contains('{'));

    let both = traces(&[(5, &["a", "c", "b", "d"]), (5, &["a", "b", "c", "d"])]);
    let s = suggest(&pathway(ABCD), &both, &Options::default()).unwrap();
    assert_eq!(ids(&s.pathway), "a {b,c} d");
    assert_eq!(s.after.mean_fitness, 1.0);
}

#[test]
fn a_frequent_unplanned_step_is_added_where_it_is_done() {
    let t = traces(&[(7, &["a", "b", "x", "c", "d"]), (3, &["a", "b", "c", "d"])]);
    let s = suggest(&pathway(ABCD), &t, &Options::default()).unwrap();
    assert_eq!(ids(&s.pathway), "a b x? c d");
    let rare = traces(&[(1, &["a", "b", "x", "c", "d"]), (9, &["a", "b", "c", "d"])]);
    let s = suggest(&pathway(ABCD), &rare, &Options::default()).unwrap();
    assert!(s.changes.is_empty(), "10 % is below the default min share");
}

#[test]
fn a_step_nobody_does_is_dropped_and_behaviour_nobody_showed_stays_closed() {
    let t = traces(&[(10, &["a", "b", "c"])]);
    let s = suggest(&pathway(ABCD), &t, &Options::default()).unwrap();
    assert_eq!(ids(&s.pathway), "a b c");
    // Nothing here asks for optional or repeatable steps or groups.
    let fitting = traces(&[(10, &["a", "b", "c", "d"])]);
    let s = suggest(&pathway(ABCD), &fitting, &Options::default()).unwrap();
    assert!(s.changes.is_empty());
    assert_eq!(ids(&s.pathway), "a b c d");
}

#[test]
fn the_claimed_fitness_is_the_comparators() {
    let t = traces(&[
        (4, &["a", "c", "b", "b", "d"]),
        (3, &["a", "b", "c", "y", "d"]),
        (2, &["a", "c", "d", "y"]),
        (1, &["d", "a"]),
    ]);
    let s = suggest(&pathway(ABCD), &t, &Options::default()).unwrap();
    assert!(!s.changes.is_empty());
    let mean: f64 = t
        .iter()
        .map(|tr| {
            let steps: Vec<&str> = tr.steps.iter().map(|s| s.step.as_str()).collect();
            compare_trace(&tr.case_id, &steps, &s.pathway).fitness
        })
        .sum::<f64>()
        / t.len() as f64;
    assert!((mean - s.after.mean_fitness).abs() < 1e-9);
    assert!(s.after.mean_fitness > s.before.mean_fitness);
    let last = s.changes.last().unwrap();
    assert!((last.fitness_after - s.after.mean_fitness).abs() < 1e-12);
    // Deterministic: the same input, the same suggestion.
    assert_eq!(s, suggest(&pathway(ABCD), &t, &Options::default()).unwrap());
}

#[test]
fn the_diff_names_each_change() {
    let a = pathway(ABCD);
    let t = traces(&[
        (5, &["a", "c", "b", "x", "d"]),
        (5, &["a", "b", "c", "x", "d"]),
    ]);
    let s = suggest(&a, &t, &Options::default()).unwrap();
    let words = diff::diff(&a, &s.pathway).join("\n");
    assert!(words.contains("Version 1 became version 2."), "{words}");
    assert!(
        words.contains("`b` is now in the any-order group"),
        "{words}"
    );
    assert!(words.contains("Added `x`"), "{words}");
    assert!(diff::diff(&a, &a).is_empty());
}

#[test]
fn the_diff_names_each_change_of_the_site_vocabulary() {
    use crate::model::vocab::{Cause, Entry};
    let entry = |id: &str, label: &str, cause: Option<Cause>| Entry {
        id: id.into(),
        label: label.into(),
        cause,
    };
    let mut a = pathway(ABCD);
    a.vocabulary.interruptions = vec![entry("porter", "Porter", None)];
    a.vocabulary.workarounds = vec![
        entry("fax", "Fax", Some(Cause::Integration)),
        entry("whiteboard", "Ward whiteboard", None),
    ];
    a.vocabulary.problems = vec![entry("badge_reader", "Badge reader", None)];
    let mut b = a.clone();
    b.vocabulary.interruptions.clear();
    b.vocabulary.workarounds = vec![
        entry("fax", "Fax to the GP surgery", Some(Cause::Design)),
        entry("whiteboard", "Ward whiteboard", None),
    ];
    b.vocabulary.problems = vec![
        entry("badge_reader", "Badge reader", Some(Cause::Infrastructure)),
        entry("wifi_dropout", "Wi-Fi drops", Some(Cause::Infrastructure)),
    ];
    assert_eq!(
        diff::diff(&a, &b),
        [
            "Removed the site's interruption source `porter` (\"Porter\"); sessions that name it \
             still read, with no label and no cause.",
            "The site's workaround kind `fax` is now labelled \"Fax to the GP surgery\" (was \"Fax\").",
            "The site's workaround kind `fax` now points to the cause design (was the cause integration).",
            "The site's problem kind `badge_reader` now points to the cause infrastructure (was no cause).",
            "Added the site's problem kind `wifi_dropout` (\"Wi-Fi drops\", the cause infrastructure).",
        ]
    );
    assert!(diff::diff(&b, &b).is_empty());
}

#[test]
fn one_session_is_an_anecdote() {
    let t = traces(&[(2, &["a", "b", "c", "d"]), (1, &["a", "c", "d", "x"])]);
    let s = suggest(&pathway(ABCD), &t, &Options::default()).unwrap();
    assert!(s.changes.is_empty(), "{:?}", s.changes);
    let loose = Options {
        min_sessions: 1,
        ..Options::default()
    };
    let s = suggest(&pathway(ABCD), &t, &loose).unwrap();
    assert!(!s.changes.is_empty());
}

#[test]
fn the_report_box_escapes_what_sessions_wrote() {
    let mut t = traces(&[(6, &["a", "b", "c", "d"]), (4, &["a", "c", "d"])]);
    t[9].case_id = "<script>x</script>".to_string();
    t[9].site = Some("a&b".to_string());
    let s = suggest(&pathway(ABCD), &t, &Options::default()).unwrap();
    let box_html = html::suggestion_box(&s).into_string();
    assert!(box_html.contains("What the work suggests"));
    assert!(box_html.contains("Make `b` optional"), "{box_html}");
    assert!(
        box_html.contains("&lt;script&gt;x&lt;/script&gt;"),
        "{box_html}"
    );
    assert!(box_html.contains("a&amp;b"), "{box_html}");
    assert!(!box_html.contains("<script>"));
}

#[test]
fn the_diff_counts_one_click_in_the_singular() {
    let a = pathway(ABCD);
    let mut b = a.clone();
    let Element::Step(first) = &mut b.steps[0] else {
        panic!("ABCD starts with a step")
    };
    let was = first.expected_clicks;
    first.expected_clicks = 1;
    let words = diff::diff(&a, &b).join("\n");
    assert!(
        words.contains("and 1 click (was ") && words.contains(&format!("and {was} clicks).")),
        "{words}"
    );
}
