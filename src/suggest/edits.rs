//! The candidate edits of a pathway, the evidence for each, and how each is applied.
//!
//! A candidate is only proposed when at least `min_share` of the sessions show the behaviour
//! it opens the pathway to (an any-order group: both orders): that is what keeps the
//! suggestion from allowing what nobody did. Whether it is kept is the search's business.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::compare::MAX_GROUP_MEMBERS;
use crate::model::{Element, Group, Pathway, Step};

use super::fitness::{Variant, Variants};
use super::{Options, Trace};

/// The largest any-order group the search builds: a bigger one says little about order.
pub const MAX_SUGGESTED_GROUP: usize = 8;

/// One edit of a pathway.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    MakeOptional {
        step: String,
    },
    MakeRepeatable {
        step: String,
    },
    /// Move a step to just after the element `after` (None: to the start).
    Move {
        step: String,
        after: Option<String>,
    },
    /// Merge two neighbouring elements (steps or groups) into one any-order group.
    AnyOrder {
        first: String,
        second: String,
        group: String,
    },
    /// Add a step the pathway does not have, just after the element `after`.
    AddStep {
        step: String,
        label: String,
        after: Option<String>,
        optional: bool,
        repeat: bool,
        expected_secs: u32,
        expected_clicks: u32,
    },
    Drop {
        step: String,
    },
}

/// The sessions that show an edit's behaviour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Share (0..1) of all sessions.
    pub share: f64,
    pub sessions: usize,
    /// Up to five session (case) ids, in input order.
    pub examples: Vec<String>,
    pub sites: Vec<String>,
    pub roles: Vec<String>,
}

impl Evidence {
    fn of(shown: &[usize], traces: &[Trace]) -> Evidence {
        let set = |f: &dyn Fn(&Trace) -> Option<&String>| -> Vec<String> {
            shown
                .iter()
                .filter_map(|&t| f(&traces[t]).cloned())
                .filter(|s| !s.is_empty())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        Evidence {
            share: if traces.is_empty() {
                0.0
            } else {
                shown.len() as f64 / traces.len() as f64
            },
            sessions: shown.len(),
            examples: shown
                .iter()
                .take(5)
                .map(|&t| traces[t].case_id.clone())
                .collect(),
            sites: set(&|t| t.site.as_ref()),
            roles: set(&|t| t.role.as_ref()),
        }
    }

    /// `45 % of the sessions (9 of 20)`.
    pub fn phrase(&self, total: usize) -> String {
        format!(
            "{:.0} % of the sessions ({} of {total})",
            self.share * 100.0,
            self.sessions
        )
    }
}

pub(crate) fn element_id(element: &Element) -> &str {
    match element {
        Element::Step(s) => &s.id,
        Element::AnyOrder(g) => &g.id,
    }
}

fn members(element: &Element) -> Vec<&Step> {
    match element {
        Element::Step(s) => vec![s],
        Element::AnyOrder(g) => g.steps.iter().collect(),
    }
}

/// The interned ids of each element's steps (ids no trace has are left out).
fn element_ids(elements: &[Element], variants: &Variants) -> Vec<Vec<u32>> {
    elements
        .iter()
        .map(|e| {
            members(e)
                .iter()
                .filter_map(|s| variants.id(&s.id))
                .collect()
        })
        .collect()
}

/// Where an element is first done in a variant.
fn first_of(variant: &Variant, ids: &[u32]) -> Option<usize> {
    ids.iter()
        .filter_map(|id| variant.first.get(id))
        .min()
        .copied()
}

/// For a variant that has `s`: per insertion index `i` into `elements` (0..=len), how many
/// of the elements done in the variant sit on the side of `s` they were done on.
fn agreement(variant: &Variant, s: u32, elements: &[Vec<u32>]) -> Option<Vec<i64>> {
    let at = *variant.first.get(&s)?;
    let sides: Vec<Option<bool>> = elements
        .iter()
        .map(|ids| first_of(variant, ids).map(|f| f < at))
        .collect();
    let mut score = sides.iter().filter(|b| **b == Some(false)).count() as i64;
    let mut out = Vec::with_capacity(elements.len() + 1);
    out.push(score);
    for side in &sides {
        match side {
            Some(true) => score += 1,
            Some(false) => score -= 1,
            None => {}
        }
        out.push(score);
    }
    Some(out)
}

/// The insertion index into `elements` that most sessions agree with (ties: the one nearest
/// `prefer`), its total, and every index's total.
fn best_place(
    variants: &Variants,
    s: u32,
    elements: &[Vec<u32>],
    prefer: usize,
) -> (usize, Vec<i64>) {
    let mut totals = vec![0i64; elements.len() + 1];
    for v in &variants.variants {
        if let Some(scores) = agreement(v, s, elements) {
            let n = v.traces.len() as i64;
            for (t, x) in totals.iter_mut().zip(scores) {
                *t += n * x;
            }
        }
    }
    let best = (0..totals.len())
        .max_by(|&a, &b| {
            totals[a]
                .cmp(&totals[b])
                .then_with(|| prefer.abs_diff(b).cmp(&prefer.abs_diff(a)))
                .then_with(|| b.cmp(&a))
        })
        .unwrap_or(prefer);
    (best, totals)
}

fn after_id(elements: &[Element], index: usize) -> Option<String> {
    index
        .checked_sub(1)
        .map(|i| element_id(&elements[i]).to_string())
}

/// A fresh id for a new group made of `a` and `b`, unique in `pathway`.
fn group_id(pathway: &Pathway, a: &str, b: &str) -> String {
    let taken: BTreeSet<&str> = pathway
        .steps
        .iter()
        .map(element_id)
        .chain(pathway.all_steps().map(|s| s.id.as_str()))
        .collect();
    let base = format!("{a}-or-{b}");
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(id.as_str()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// The candidate edits of `pathway`, each with its evidence, in a fixed order.
#[allow(clippy::too_many_lines)] // split when next changed
pub fn candidates(
    pathway: &Pathway,
    variants: &Variants,
    traces: &[Trace],
    options: &Options,
) -> Vec<(Edit, Evidence)> {
    let total = variants.n_traces.max(1) as f64;
    let enough = |shown: &[usize]| {
        shown.len() >= options.min_sessions.max(1)
            && shown.len() as f64 / total >= options.min_share
    };
    let mut out = Vec::new();
    let n_steps = pathway.all_steps().count();

    for step in pathway.all_steps() {
        let id = variants.id(&step.id);
        let Some(id) = id else {
            if n_steps > 1 {
                let all: Vec<usize> = (0..variants.n_traces).collect();
                out.push((
                    Edit::Drop {
                        step: step.id.clone(),
                    },
                    Evidence::of(&all, traces),
                ));
            }
            continue;
        };
        if !step.optional {
            let shown = variants.traces_where(|v| !v.counts.contains_key(&id));
            if enough(&shown) {
                out.push((
                    Edit::MakeOptional {
                        step: step.id.clone(),
                    },
                    Evidence::of(&shown, traces),
                ));
            }
        }
        if !step.repeat {
            let shown = variants.traces_where(|v| v.counts.get(&id).is_some_and(|&n| n > 1));
            if enough(&shown) {
                out.push((
                    Edit::MakeRepeatable {
                        step: step.id.clone(),
                    },
                    Evidence::of(&shown, traces),
                ));
            }
        }
    }

    // Moves of top-level steps to where most sessions do them.
    for (cur, element) in pathway.steps.iter().enumerate() {
        let Element::Step(step) = element else {
            continue;
        };
        let Some(id) = variants.id(&step.id) else {
            continue;
        };
        let mut rest = pathway.steps.clone();
        rest.remove(cur);
        let ids = element_ids(&rest, variants);
        let (best, totals) = best_place(variants, id, &ids, cur);
        if best == cur || totals[best] <= totals[cur] {
            continue;
        }
        let shown = variants.traces_where(|v| {
            agreement(v, id, &ids).is_some_and(|scores| scores[best] > scores[cur])
        });
        if enough(&shown) {
            out.push((
                Edit::Move {
                    step: step.id.clone(),
                    after: after_id(&rest, best),
                },
                Evidence::of(&shown, traces),
            ));
        }
    }

    // Neighbours done in either order.
    let ids = element_ids(&pathway.steps, variants);
    for i in 0..pathway.steps.len().saturating_sub(1) {
        let (a, b) = (&pathway.steps[i], &pathway.steps[i + 1]);
        let size = members(a).len() + members(b).len();
        if size > MAX_SUGGESTED_GROUP.min(MAX_GROUP_MEMBERS) {
            continue;
        }
        let order = |v: &Variant| match (first_of(v, &ids[i]), first_of(v, &ids[i + 1])) {
            (Some(x), Some(y)) => Some(x < y),
            _ => None,
        };
        let planned = variants.traces_where(|v| order(v) == Some(true));
        let reversed = variants.traces_where(|v| order(v) == Some(false));
        if enough(&planned) && enough(&reversed) {
            let group = match (a, b) {
                (Element::AnyOrder(g), _) | (_, Element::AnyOrder(g)) => g.id.clone(),
                _ => group_id(pathway, element_id(a), element_id(b)),
            };
            out.push((
                Edit::AnyOrder {
                    first: element_id(a).to_string(),
                    second: element_id(b).to_string(),
                    group,
                },
                Evidence::of(&reversed, traces),
            ));
        }
    }

    // Frequent unplanned steps, where most sessions do them.
    for (name, _) in variants.unplanned(pathway) {
        let Some(id) = variants.id(&name) else {
            continue;
        };
        let shown = variants.traces_where(|v| v.counts.contains_key(&id));
        if !enough(&shown) {
            continue;
        }
        let (best, _) = best_place(variants, id, &ids, pathway.steps.len());
        let left_out = variants.n_traces - shown.len();
        let repeated = variants.traces_where(|v| v.counts.get(&id).is_some_and(|&n| n > 1));
        let timing = super::step_timings(&single_step_pathway(&name), traces);
        let timing = timing.first();
        out.push((
            Edit::AddStep {
                step: name.clone(),
                label: unplanned_label(&name, traces),
                after: after_id(&pathway.steps, best),
                optional: left_out > 0 && left_out as f64 / total >= options.min_share,
                repeat: enough(&repeated),
                expected_secs: timing
                    .and_then(|t| t.median_secs)
                    .map_or(0, |s| s.round().max(0.0) as u32),
                expected_clicks: timing
                    .and_then(|t| t.median_clicks)
                    .map_or(0, |c| c.round().max(0.0) as u32),
            },
            Evidence::of(&shown, traces),
        ));
    }
    out
}

fn single_step_pathway(id: &str) -> Pathway {
    Pathway {
        id: String::new(),
        version: 0,
        name: String::new(),
        description: String::new(),
        roles: Vec::new(),
        steps: vec![Element::Step(new_step(id, id, 0, 0))],
        tolerance: None,
        vocabulary: Default::default(),
    }
}

fn new_step(id: &str, label: &str, secs: u32, clicks: u32) -> Step {
    Step {
        id: id.to_string(),
        label: label.to_string(),
        expected_secs: secs,
        expected_clicks: clicks,
        expected_screens: None,
        optional: false,
        repeat: false,
        policy: None,
    }
}

/// The label auditors typed most often for an unplanned step (ties: the first in order),
/// else its id. Control characters and bidirectional controls are dropped from the typed
/// labels and a runaway label is cut ([`fit_label`]): the suggestion must pass
/// `pathways check`.
fn unplanned_label(id: &str, traces: &[Trace]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for step in traces.iter().flat_map(|t| &t.steps) {
        if step.step != id {
            continue;
        }
        let Some(label) = step.label.as_deref().map(fit_label) else {
            continue;
        };
        if label.trim().is_empty() {
            continue;
        }
        match counts.iter_mut().find(|(l, _)| *l == label) {
            Some((_, n)) => *n += 1,
            None => counts.push((label, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    counts
        .into_iter()
        .find(|(_, n)| *n == best)
        .map_or_else(|| id.to_string(), |(l, _)| l)
}

/// `text` as a pathway's label may hold it: a tab or line break becomes a space (so that the
/// words it separated stay apart), other control characters are dropped, and the text is cut
/// at [`MAX_LINE_CHARS`](crate::model::pathway::MAX_LINE_CHARS) characters.
fn fit_label(text: &str) -> String {
    let label: String = text
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() || crate::model::pathway::is_bidi_control(c) => None,
            c => Some(c),
        })
        .take(crate::model::pathway::MAX_LINE_CHARS)
        .collect();
    label.trim_end().to_string()
}

fn step_mut<'a>(pathway: &'a mut Pathway, id: &str) -> Option<&'a mut Step> {
    pathway.steps.iter_mut().find_map(|e| match e {
        Element::Step(s) if s.id == id => Some(s),
        Element::AnyOrder(g) => g.steps.iter_mut().find(|s| s.id == id),
        Element::Step(_) => None,
    })
}

fn position(pathway: &Pathway, element: &str) -> Option<usize> {
    pathway.steps.iter().position(|e| element_id(e) == element)
}

fn insertion(pathway: &Pathway, after: &Option<String>) -> Option<usize> {
    match after {
        None => Some(0),
        Some(id) => position(pathway, id).map(|i| i + 1),
    }
}

impl Edit {
    /// The pathway with this edit made; None when it does not apply.
    pub fn apply(&self, pathway: &Pathway) -> Option<Pathway> {
        let mut p = pathway.clone();
        match self {
            Edit::MakeOptional { step } => step_mut(&mut p, step)?.optional = true,
            Edit::MakeRepeatable { step } => step_mut(&mut p, step)?.repeat = true,
            Edit::Move { step, after } => {
                let i = position(&p, step)?;
                let element = p.steps.remove(i);
                if !matches!(element, Element::Step(_)) {
                    return None;
                }
                let at = insertion(&p, after)?;
                p.steps.insert(at, element);
            }
            Edit::AnyOrder {
                first,
                second,
                group,
            } => {
                let i = position(&p, first)?;
                if position(&p, second)? != i + 1 {
                    return None;
                }
                let b = p.steps.remove(i + 1);
                let a = p.steps.remove(i);
                let label = match (&a, &b) {
                    (Element::AnyOrder(g), _) | (_, Element::AnyOrder(g)) => g.label.clone(),
                    (Element::Step(x), Element::Step(y)) => {
                        format!("{} and {}, in any order", x.label, y.label)
                    }
                };
                let steps: Vec<Step> = members(&a)
                    .into_iter()
                    .chain(members(&b))
                    .cloned()
                    .collect();
                p.steps.insert(
                    i,
                    Element::AnyOrder(Group {
                        id: group.clone(),
                        label,
                        steps,
                    }),
                );
            }
            Edit::AddStep {
                step,
                label,
                after,
                optional,
                repeat,
                expected_secs,
                expected_clicks,
            } => {
                if p.step(step).is_some() {
                    return None;
                }
                let at = insertion(&p, after)?;
                let mut new = new_step(step, label, *expected_secs, *expected_clicks);
                new.optional = *optional;
                new.repeat = *repeat;
                p.steps.insert(at, Element::Step(new));
            }
            Edit::Drop { step } => {
                p.step(step)?;
                p.steps = p
                    .steps
                    .into_iter()
                    .filter_map(|e| match e {
                        Element::Step(s) if s.id == *step => None,
                        Element::Step(s) => Some(Element::Step(s)),
                        Element::AnyOrder(mut g) => {
                            g.steps.retain(|s| s.id != *step);
                            match g.steps.len() {
                                0 => None,
                                1 => Some(Element::Step(g.steps.remove(0))),
                                _ => Some(Element::AnyOrder(g)),
                            }
                        }
                    })
                    .collect();
                if p.steps.is_empty() {
                    return None;
                }
            }
        }
        Some(p)
    }

    /// One sentence: what changes, and the evidence for it.
    pub fn describe(&self, pathway: &Pathway, evidence: &Evidence, total: usize) -> String {
        let shown = evidence.phrase(total);
        let place = |after: &Option<String>| match after {
            None => "to the start".to_string(),
            Some(a) => format!("after `{a}`"),
        };
        match self {
            Edit::MakeOptional { step } => {
                format!("Make `{step}` optional: left out in {shown}.")
            }
            Edit::MakeRepeatable { step } => {
                format!("Make `{step}` repeatable: done more than once in {shown}.")
            }
            Edit::Move { step, after } => {
                let from = position(pathway, step)
                    .and_then(|i| after_id(&pathway.steps, i))
                    .map_or("the start".to_string(), |a| format!("after `{a}`"));
                format!(
                    "Move `{step}` {} (it was {from}): done there in {shown}.",
                    place(after)
                )
            }
            Edit::AnyOrder {
                first,
                second,
                group,
            } => format!(
                "Let `{first}` and `{second}` be done in any order (group `{group}`): \
                 done the other way round in {shown}."
            ),
            Edit::AddStep {
                step,
                label,
                after,
                optional,
                repeat,
                ..
            } => {
                let mut kind = Vec::new();
                if *optional {
                    kind.push("optional");
                }
                if *repeat {
                    kind.push("repeatable");
                }
                let kind = if kind.is_empty() {
                    String::new()
                } else {
                    format!(", {}", kind.join(" and "))
                };
                let label = if label != step {
                    format!(" (\"{label}\")")
                } else {
                    String::new()
                };
                format!(
                    "Add the unplanned step `{step}`{label} {}{kind}: done in {shown}.",
                    place(after)
                )
            }
            Edit::Drop { step } => {
                format!("Drop `{step}`: no session did it ({total} sessions).")
            }
        }
    }
}
