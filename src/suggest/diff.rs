//! What changed between two versions of a pathway, in words (`shadowmap pathways diff A B`).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::vocab::{Cause, Entry, VocabularyKind};
use crate::model::{Element, InterruptionSource, Pathway, ProblemKind, Step, WorkaroundKind};

use super::edits::element_id;

/// Where a step sits: its element (a group's id, or None at the top level) and its flags.
struct Place<'a> {
    step: &'a Step,
    group: Option<&'a str>,
}

fn places(pathway: &Pathway) -> BTreeMap<&str, Place<'_>> {
    let mut out = BTreeMap::new();
    for element in &pathway.steps {
        match element {
            Element::Step(s) => {
                out.insert(
                    s.id.as_str(),
                    Place {
                        step: s,
                        group: None,
                    },
                );
            }
            Element::AnyOrder(g) => {
                for s in &g.steps {
                    out.insert(
                        s.id.as_str(),
                        Place {
                            step: s,
                            group: Some(g.id.as_str()),
                        },
                    );
                }
            }
        }
    }
    out
}

/// The longest common subsequence of two id lists (the ids that kept their relative order).
fn lcs<'a>(a: &[&'a str], b: &[&'a str]) -> BTreeSet<&'a str> {
    let (n, m) = (a.len(), b.len());
    let mut t = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            t[i][j] = if a[i] == b[j] {
                t[i + 1][j + 1] + 1
            } else {
                t[i + 1][j].max(t[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, BTreeSet::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.insert(a[i]);
            i += 1;
            j += 1;
        } else if t[i + 1][j] >= t[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The element before a top-level element, as words.
fn after_words(pathway: &Pathway, id: &str) -> String {
    match pathway.steps.iter().position(|e| element_id(e) == id) {
        Some(0) => "at the start".to_string(),
        Some(i) => format!("after `{}`", element_id(&pathway.steps[i - 1])),
        None => "inside a group".to_string(),
    }
}

fn flag(step: &Step) -> &'static str {
    match (step.optional, step.repeat) {
        (false, false) => "mandatory, once",
        (true, false) => "optional",
        (false, true) => "repeatable",
        (true, true) => "optional and repeatable",
    }
}

/// One sentence per difference between `a` and `b`, in `b`'s step order; empty when the two
/// say the same.
pub fn diff(a: &Pathway, b: &Pathway) -> Vec<String> {
    let mut out = Vec::new();
    if a.id != b.id {
        out.push(format!("The id changed from `{}` to `{}`.", a.id, b.id));
    }
    if a.version != b.version {
        out.push(format!(
            "Version {} became version {}.",
            a.version, b.version
        ));
    }
    if a.name != b.name {
        out.push(format!("Renamed from \"{}\" to \"{}\".", a.name, b.name));
    }
    if a.description != b.description {
        out.push(format!("The description now reads: \"{}\"", b.description));
    }
    vocabulary_changes(a, b, &mut out);
    let (pa, pb) = (places(a), places(b));
    for s in a.all_steps() {
        if !pb.contains_key(s.id.as_str()) {
            out.push(format!("Dropped `{}` (\"{}\").", s.id, s.label));
        }
    }
    for s in b.all_steps() {
        let Some(old) = pa.get(s.id.as_str()) else {
            let place = match pb[s.id.as_str()].group {
                Some(g) => format!("in the any-order group `{g}`"),
                None => after_words(b, &s.id),
            };
            out.push(format!(
                "Added `{}` (\"{}\") {place}, {}, expected {} s and {}.",
                s.id,
                s.label,
                flag(s),
                s.expected_secs,
                clicks(s.expected_clicks)
            ));
            continue;
        };
        let new = &pb[s.id.as_str()];
        if old.group != new.group {
            out.push(match (old.group, new.group) {
                (None, Some(g)) => format!("`{}` is now in the any-order group `{g}`.", s.id),
                (Some(g), None) => format!("`{}` left the any-order group `{g}`.", s.id),
                (Some(x), Some(y)) => {
                    format!("`{}` moved from the group `{x}` to the group `{y}`.", s.id)
                }
                (None, None) => unreachable!("the groups differ"),
            });
        }
        let o = old.step;
        if (o.optional, o.repeat) != (s.optional, s.repeat) {
            out.push(format!("`{}` is now {} (was {}).", s.id, flag(s), flag(o)));
        }
        if o.label != s.label {
            out.push(format!(
                "`{}` is now labelled \"{}\" (was \"{}\").",
                s.id, s.label, o.label
            ));
        }
        if (o.expected_secs, o.expected_clicks) != (s.expected_secs, s.expected_clicks) {
            out.push(format!(
                "`{}` now expects {} s and {} (was {} s and {}).",
                s.id,
                s.expected_secs,
                clicks(s.expected_clicks),
                o.expected_secs,
                clicks(o.expected_clicks)
            ));
        }
        if o.expected_screens != s.expected_screens || o.policy != s.policy {
            out.push(format!("`{}` has other screens or policy.", s.id));
        }
    }
    // Order: top-level elements (a group by its id) present in both, in each version's order.
    let order = |p: &Pathway, other: &BTreeMap<&str, Place>| -> Vec<String> {
        p.steps
            .iter()
            .filter(|e| match e {
                Element::Step(s) => other.get(s.id.as_str()).is_some_and(|x| x.group.is_none()),
                Element::AnyOrder(_) => true,
            })
            .map(|e| element_id(e).to_string())
            .collect()
    };
    let (oa, ob) = (order(a, &pb), order(b, &pa));
    let (ra, rb): (Vec<&str>, Vec<&str>) = (
        oa.iter().map(String::as_str).collect(),
        ob.iter().map(String::as_str).collect(),
    );
    let common: BTreeSet<&str> = ra.iter().copied().filter(|x| rb.contains(x)).collect();
    let ra: Vec<&str> = ra.into_iter().filter(|x| common.contains(x)).collect();
    let rb: Vec<&str> = rb.into_iter().filter(|x| common.contains(x)).collect();
    let kept = lcs(&ra, &rb);
    for id in rb.iter().filter(|id| !kept.contains(*id)) {
        out.push(format!(
            "`{id}` moved: now {} (was {}).",
            after_words(b, id),
            after_words(a, id)
        ));
    }
    out
}

/// `the cause integration`, or `no cause`.
fn cause_words(cause: Option<Cause>) -> String {
    cause.map_or_else(
        || "no cause".to_string(),
        |c| format!("the cause {}", c.name()),
    )
}

/// The site vocabulary's changes, list by list: entries removed, added, relabelled, or
/// pointing to another cause (an entry is matched by its id, which sessions store).
fn vocabulary_changes(a: &Pathway, b: &Pathway, out: &mut Vec<String>) {
    let lists: [(&str, &[Entry], &[Entry]); 3] = [
        (
            InterruptionSource::WHAT,
            &a.vocabulary.interruptions,
            &b.vocabulary.interruptions,
        ),
        (
            WorkaroundKind::WHAT,
            &a.vocabulary.workarounds,
            &b.vocabulary.workarounds,
        ),
        (
            ProblemKind::WHAT,
            &a.vocabulary.problems,
            &b.vocabulary.problems,
        ),
    ];
    for (what, old, new) in lists {
        for o in old.iter().filter(|o| !new.iter().any(|n| n.id == o.id)) {
            out.push(format!(
                "Removed the site's {what} `{}` (\"{}\"); sessions that name it still read, \
                 with no label and no cause.",
                o.id, o.label
            ));
        }
        for n in new {
            let Some(o) = old.iter().find(|o| o.id == n.id) else {
                out.push(format!(
                    "Added the site's {what} `{}` (\"{}\", {}).",
                    n.id,
                    n.label,
                    cause_words(n.cause)
                ));
                continue;
            };
            if o.label != n.label {
                out.push(format!(
                    "The site's {what} `{}` is now labelled \"{}\" (was \"{}\").",
                    n.id, n.label, o.label
                ));
            }
            if o.cause != n.cause {
                out.push(format!(
                    "The site's {what} `{}` now points to {} (was {}).",
                    n.id,
                    cause_words(n.cause),
                    cause_words(o.cause)
                ));
            }
        }
    }
}

fn clicks(n: u32) -> String {
    crate::text::counted(u64::from(n), "click", "clicks")
}
