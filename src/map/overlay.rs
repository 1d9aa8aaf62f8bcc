//! Which directly-follows edges the pathway allows (docs/map.md, "Overlay").
//!
//! An edge `(a, b)` conforms when some complete run of the pathway has `b` right after `a`;
//! [`START`] and [`END`] stand for the run's ends. The relation is read off the comparator's
//! compiled model (its step table: element, group membership, optional, repeat), so the map and
//! the comparator agree on one reading of the pathway:
//! - inside an element: a repeat step may follow itself; in an `AnyOrder` group any member may
//!   follow any other (each is done once, in any order) and a repeat member itself;
//! - across elements: the last step of element `i` may be followed by the first of element `j > i`
//!   when every element between them may be left out (all its steps optional).

use std::collections::BTreeSet;

use crate::compare::{CompileError, Model};
use crate::model::Pathway;

use super::{END, START};

/// The directly-follows pairs of every complete run of a pathway.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Follows {
    pairs: BTreeSet<(String, String)>,
}

struct ElementSteps<'a> {
    /// `(id, repeat)` of each step of the element (one, or a group's members).
    steps: Vec<(&'a str, bool)>,
    group: bool,
    /// Every step optional: the element may be left out.
    nullable: bool,
}

impl Follows {
    /// The relation of `pathway`, from its compiled model.
    pub fn of(pathway: &Pathway) -> Result<Follows, CompileError> {
        let model = Model::compile(pathway)?;
        Ok(Follows::of_model(&model))
    }

    /// The relation from an already compiled model.
    pub fn of_model(model: &Model) -> Follows {
        let mut elements: Vec<ElementSteps> = Vec::new();
        for info in &model.steps {
            if elements.len() <= info.element {
                elements.push(ElementSteps {
                    steps: Vec::new(),
                    group: info.member.is_some(),
                    nullable: true,
                });
            }
            let element = elements.last_mut().expect("pushed above");
            element.steps.push((&info.id, info.repeat));
            element.nullable &= info.optional;
        }
        let mut pairs = BTreeSet::new();
        let mut add = |a: &str, b: &str| {
            pairs.insert((a.to_string(), b.to_string()));
        };
        for element in &elements {
            for &(a, repeat) in &element.steps {
                if repeat {
                    add(a, a);
                }
                if element.group {
                    for &(b, _) in &element.steps {
                        if a != b {
                            add(a, b);
                        }
                    }
                }
            }
        }
        // From the start (index None) or element i, forward over elements that may be left out.
        let starts = std::iter::once(None).chain((0..elements.len()).map(Some));
        for from in starts {
            let first_next = from.map_or(0, |i| i + 1);
            let sources: Vec<&str> = match from {
                None => vec![START],
                Some(i) => elements[i].steps.iter().map(|&(id, _)| id).collect(),
            };
            let mut reaches_end = true;
            for element in &elements[first_next..] {
                for source in &sources {
                    for &(b, _) in &element.steps {
                        add(source, b);
                    }
                }
                if !element.nullable {
                    reaches_end = false;
                    break;
                }
            }
            if reaches_end {
                for source in &sources {
                    add(source, END);
                }
            }
        }
        Follows { pairs }
    }

    pub fn allows(&self, from: &str, to: &str) -> bool {
        self.pairs.contains(&(from.to_string(), to.to_string()))
    }

    /// Every allowed pair, sorted.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pathway;

    fn pathway(ron: &str) -> Pathway {
        Pathway::from_ron_str(ron, std::path::Path::new("test.ron")).unwrap()
    }

    fn step(id: &str, extra: &str) -> String {
        format!("Step(id: \"{id}\", label: \"{id}\", expected_secs: 10, expected_clicks: 1{extra})")
    }

    fn sorted(f: &Follows) -> Vec<(String, String)> {
        f.pairs().map(|(a, b)| (a.into(), b.into())).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = list
            .iter()
            .map(|(a, b)| ((*a).into(), (*b).into()))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_sequence_with_an_optional_step_allows_skipping_it() {
        let p = pathway(&format!(
            "Pathway(id: \"p\", version: 1, name: \"p\", steps: [{}, {}, {}])",
            step("a", ""),
            step("b", ", optional: true"),
            step("c", "")
        ));
        let f = Follows::of(&p).unwrap();
        assert_eq!(
            sorted(&f),
            pairs(&[(START, "a"), ("a", "b"), ("a", "c"), ("b", "c"), ("c", END)])
        );
        assert!(!f.allows("b", "a"));
        assert!(!f.allows(START, "c"));
    }

    #[test]
    fn a_group_allows_any_order_and_repeat_members_redo() {
        let p = pathway(&format!(
            "Pathway(id: \"p\", version: 1, name: \"p\", steps: [{}, AnyOrder(id: \"g\", label: \"g\", steps: [{}, {}])])",
            step("a", ""),
            step("x", ", repeat: true"),
            step("y", ", optional: true"),
        ));
        let f = Follows::of(&p).unwrap();
        assert_eq!(
            sorted(&f),
            pairs(&[
                (START, "a"),
                ("a", "x"),
                ("a", "y"),
                ("x", "x"),
                ("x", "y"),
                ("y", "x"),
                ("x", END),
                ("y", END),
            ])
        );
    }

    #[test]
    fn an_all_optional_pathway_allows_an_empty_run() {
        let p = pathway(&format!(
            "Pathway(id: \"p\", version: 1, name: \"p\", steps: [{}])",
            step("a", ", optional: true, repeat: true"),
        ));
        let f = Follows::of(&p).unwrap();
        assert_eq!(
            sorted(&f),
            pairs(&[(START, "a"), (START, END), ("a", "a"), ("a", END)])
        );
    }
}
