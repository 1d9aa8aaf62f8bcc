//! The oracle's pathway JSON (`*.pathway.json`, docs/pathways.md, "The pathway JSON form") read into a
//! [`Pathway`], so the fixtures the oracle scores can be compared with the same pathway.
//!
//! `{"steps": [{"id", "optional", "repeat"} | {"group", "steps": [step, ...]}]}`; other keys
//! of a step (expected seconds, clicks) are ignored, as the oracle ignores them. Labels are the
//! ids; expected seconds and clicks are 0 (no expectation). The pathway's `"id"`, `"version"`
//! and site `"vocabulary"` may come with it (the oracle ignores them).

use std::path::Path;

use serde_json::Value;

use crate::model::pathway::{
    MAX_GROUP_MEMBERS, MAX_LINE_CHARS, TextKind, VocabularyPlaces, check_vocabulary,
    forbidden_control, text_problem, vocabulary_texts,
};
use crate::model::vocab::Cause;
use crate::model::{Element, Entry, FileError, Group, Pathway, Step, Vocabulary, error::locate};

fn step(obj: &Value, where_: &str, text: &str, path: &Path) -> Result<Step, FileError> {
    let err = |msg: String| {
        FileError::new(path, None, format!("{where_}: {msg}"))
            .with_hint("see docs/pathways.md, section \"The pathway JSON form\"")
    };
    let map = obj
        .as_object()
        .ok_or_else(|| err(format!("a step must be an object, got {obj}")))?;
    let id = match map.get("id") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        _ => return Err(err("a step needs a non-empty string \"id\"".into())),
    };
    refuse_unfit_id(&id, text, path)?;
    let flag = |name: &str| -> Result<bool, FileError> {
        match map.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(err(format!("({id}): \"{name}\" must be true or false"))
                .with_location(locate(text, &format!("\"{id}\""), 0))),
        }
    };
    Ok(Step {
        optional: flag("optional")?,
        repeat: flag("repeat")?,
        label: id.clone(),
        id,
        expected_secs: 0,
        expected_clicks: 0,
        expected_screens: None,
        policy: None,
    })
}

/// Refuses an id that holds a control character or has more than [`MAX_LINE_CHARS`]
/// characters, as the RON form refuses its texts: the ids are the labels too, shown on
/// screens and in reports (docs/bad-input.md).
fn refuse_unfit_id(id: &str, text: &str, path: &Path) -> Result<(), FileError> {
    // Quoted when short enough to quote; a runaway id is not repeated in the message.
    let what = if id.chars().nth(MAX_LINE_CHARS).is_some() {
        "an id".to_string()
    } else {
        format!("the id `{}`", id.escape_debug())
    };
    let Some((message, hint)) = text_problem(&what, id, TextKind::Line) else {
        return Ok(());
    };
    let here = if forbidden_control(id, false).is_some() {
        json_control_escape(text)
    } else {
        locate(text, &format!("\"{id}\""), 0)
    };
    Err(FileError::new(path, here, message).with_hint(hint))
}

/// Where the first `\u00XX` escape of a control character is in a JSON text (JSON strings
/// cannot hold one raw).
fn json_control_escape(text: &str) -> Option<crate::model::Location> {
    let is_control_escape = |at: usize| {
        text.get(at + 2..at + 6)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32)
            .is_some_and(char::is_control)
    };
    let nth = text
        .match_indices("\\u")
        .take_while(|&(at, _)| !is_control_escape(at))
        .count();
    locate(text, "\\u", nth)
}

trait WithLocation {
    fn with_location(self, location: Option<crate::model::Location>) -> Self;
}

impl WithLocation for FileError {
    fn with_location(mut self, location: Option<crate::model::Location>) -> Self {
        if location.is_some() {
            self.location = location;
        }
        self
    }
}

/// Parses an oracle pathway document; the pathway's id is the file name without
/// `.pathway.json` (or `.json`), its version 1.
pub fn pathway_from_json_str(text: &str, path: &Path) -> Result<Pathway, FileError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| {
        FileError::from_json(path, &e).with_hint("the pathway JSON is not valid JSON")
    })?;
    let hint = "see docs/pathways.md, section \"The pathway JSON form\"";
    let Some(list) = doc.get("steps").and_then(Value::as_array) else {
        return Err(
            FileError::new(path, None, "expected an object with a \"steps\" list").with_hint(hint),
        );
    };
    if list.is_empty() {
        return Err(FileError::new(
            path,
            locate(text, "\"steps\"", 0),
            "the pathway has no steps",
        )
        .with_hint(hint));
    }
    let mut steps = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut check = |id: &str| -> Result<(), FileError> {
        if seen.insert(id.to_string()) {
            Ok(())
        } else {
            Err(FileError::new(
                path,
                locate(text, &format!("\"{id}\""), 1),
                format!("duplicate id `{id}`"),
            )
            .with_hint("step and group ids must be unique across the whole pathway"))
        }
    };
    for (i, obj) in list.iter().enumerate() {
        let where_ = format!("steps[{i}]");
        if let Some(gid) = obj.get("group") {
            let Some(gid) = gid.as_str().filter(|g| !g.is_empty()) else {
                return Err(FileError::new(
                    path,
                    None,
                    format!("{where_}: \"group\" must be a non-empty string"),
                )
                .with_hint(hint));
            };
            if obj.get("id").is_some() {
                return Err(FileError::new(
                    path,
                    locate(text, &format!("\"{gid}\""), 0),
                    format!(
                        "{where_}: an element is a step (\"id\") or a group (\"group\"), not both"
                    ),
                )
                .with_hint(hint));
            }
            let members = obj
                .get("steps")
                .and_then(Value::as_array)
                .filter(|m| !m.is_empty());
            let Some(members) = members else {
                return Err(FileError::new(
                    path,
                    locate(text, &format!("\"{gid}\""), 0),
                    format!("{where_} (group {gid}): needs a non-empty \"steps\" list"),
                )
                .with_hint(hint));
            };
            if members.len() > MAX_GROUP_MEMBERS {
                return Err(FileError::new(
                    path,
                    locate(text, &format!("\"{gid}\""), 0),
                    format!(
                        "{where_} (group {gid}) has {} steps; a group may hold at most {MAX_GROUP_MEMBERS}",
                        members.len()
                    ),
                )
                .with_hint("split the group into consecutive groups, or make some of its steps ordinary steps"));
            }
            refuse_unfit_id(gid, text, path).and_then(|()| check(gid))?;
            let mut group = Group {
                id: gid.to_string(),
                label: gid.to_string(),
                steps: Vec::new(),
            };
            for (j, m) in members.iter().enumerate() {
                if m.get("group").is_some() {
                    return Err(FileError::new(
                        path,
                        None,
                        format!("{where_}.steps[{j}]: groups cannot be nested"),
                    )
                    .with_hint(hint));
                }
                let s = step(m, &format!("{where_}.steps[{j}]"), text, path)?;
                check(&s.id)?;
                group.steps.push(s);
            }
            steps.push(Element::AnyOrder(group));
        } else {
            let s = step(obj, &where_, text, path)?;
            check(&s.id)?;
            steps.push(Element::Step(s));
        }
    }
    let (id, version) = identity(&doc, text, path, hint)?;
    let vocabulary = site_vocabulary(&doc, text, path)?;
    Ok(Pathway {
        name: id.clone(),
        id,
        version,
        description: String::new(),
        roles: Vec::new(),
        steps,
        tolerance: None,
        vocabulary,
    })
}

/// The optional `"vocabulary"`: `{"interruptions"|"workarounds"|"problems": [{"id", "label",
/// "cause"}]}`, each list optional, `"cause"` null or left out for none. Its entries follow
/// the RON form's rules (docs/pathways.md, "Site vocabulary"), refused the same way.
fn site_vocabulary(doc: &Value, text: &str, path: &Path) -> Result<Vocabulary, FileError> {
    let Some(value) = doc.get("vocabulary") else {
        return Ok(Vocabulary::default());
    };
    let key = text.find("\"vocabulary\"");
    let vocabulary_at = key.and_then(|_| locate(text, "\"vocabulary\"", 0));
    let vocabulary: Vocabulary = serde_json::from_value(value.clone()).map_err(|e| {
        FileError::new(path, vocabulary_at, format!("the \"vocabulary\": {e}")).with_hint(
            "it is an object of \"interruptions\", \"workarounds\" and \"problems\" lists, each \
             entry {\"id\": \"snake_case\", \"label\": \"...\", \"cause\": null or a cause}; see \
             docs/pathways.md, section \"The pathway JSON form\"",
        )
    })?;
    // Where a string is: its JSON form, counted from the `"vocabulary"` key on (the same text
    // may be a step's id before it); the nth time for a text met again.
    let from = key.unwrap_or(0);
    let mut met = std::collections::HashMap::<String, usize>::new();
    let mut place = |value: &str| {
        let needle = serde_json::to_string(value).ok()?;
        let nth = met.entry(needle.clone()).or_default();
        let before = text[..from].matches(needle.as_str()).count();
        let at = locate(text, &needle, before + *nth);
        *nth += 1;
        at
    };
    for (what, value, kind) in vocabulary_texts(&vocabulary) {
        if let Some((message, hint)) = text_problem(&what, value, kind) {
            let here = if forbidden_control(value, false).is_some() {
                json_control_escape(text)
            } else {
                place(value)
            };
            return Err(FileError::new(path, here.or(vocabulary_at), message).with_hint(hint));
        }
    }
    let places = VocabularyPlaces::found_by(vocabulary_at, &vocabulary, |entry: &Entry| {
        (place(&entry.id), place(&entry.label))
    });
    check_vocabulary(&vocabulary, &places, path)?;
    Ok(vocabulary)
}

/// A pathway in the oracle's pathway JSON (the exchange form other tools read):
/// `{"id", "version", "steps": [{"id", "optional", "repeat"} | {"group", "steps": [...]}]}`,
/// and `"vocabulary"` when the pathway has a site vocabulary (left out otherwise, so a
/// pathway without one is written as before).
pub fn pathway_to_json(pathway: &Pathway) -> Value {
    fn step(s: &Step) -> Value {
        serde_json::json!({"id": s.id, "optional": s.optional, "repeat": s.repeat})
    }
    let steps: Vec<Value> = pathway
        .steps
        .iter()
        .map(|element| match element {
            Element::Step(s) => step(s),
            Element::AnyOrder(g) => {
                serde_json::json!({"group": g.id, "steps": g.steps.iter().map(step).collect::<Vec<_>>()})
            }
        })
        .collect();
    let mut doc = serde_json::json!({"id": pathway.id, "version": pathway.version, "steps": steps});
    if !pathway.vocabulary.is_empty() {
        let list = |entries: &[Entry]| -> Vec<Value> {
            entries
                .iter()
                .map(|e| {
                    serde_json::json!({"id": e.id, "label": e.label, "cause": e.cause.map(Cause::name)})
                })
                .collect()
        };
        let v = &pathway.vocabulary;
        doc["vocabulary"] = serde_json::json!({
            "interruptions": list(&v.interruptions),
            "workarounds": list(&v.workarounds),
            "problems": list(&v.problems),
        });
    }
    doc
}

/// The id and version `pathways show --format json` writes, so that the form reads back as the
/// same pathway; a document without them (the oracle's) is named by its file, version 1.
fn identity(doc: &Value, text: &str, path: &Path, hint: &str) -> Result<(String, u32), FileError> {
    let id = match doc.get("id") {
        None => {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("pathway");
            name.strip_suffix(".pathway.json")
                .or_else(|| name.strip_suffix(".json"))
                .unwrap_or(name)
                .to_string()
        }
        Some(Value::String(id)) if !id.trim().is_empty() => {
            refuse_unfit_id(id, text, path)?;
            id.clone()
        }
        Some(_) => {
            return Err(FileError::new(
                path,
                locate(text, "\"id\"", 0),
                "the pathway's \"id\" must be a non-empty string",
            )
            .with_hint(hint));
        }
    };
    let version = match doc.get("version") {
        None => 1,
        Some(v) => match v.as_u64().and_then(|v| u32::try_from(v).ok()) {
            Some(v) if v >= 1 => v,
            _ => {
                return Err(FileError::new(
                    path,
                    locate(text, "\"version\"", 0),
                    "the pathway's \"version\" must be a whole number from 1",
                )
                .with_hint(hint));
            }
        },
    };
    Ok((id, version))
}

pub fn load_pathway_json(path: &Path) -> Result<Pathway, FileError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        FileError::new(path, None, format!("cannot read the pathway file: {e}"))
            .with_hint("check the path and that the file is readable")
    })?;
    pathway_from_json_str(&text, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Pathway, FileError> {
        pathway_from_json_str(text, Path::new("demo.pathway.json"))
    }

    #[test]
    fn the_oracle_example_reads() {
        let p = parse(
            r#"{"steps": [
  {"id": "triage"},
  {"id": "allergy-check", "optional": true},
  {"group": "vitals", "steps": [
    {"id": "bp"}, {"id": "pulse", "repeat": true}, {"id": "temp", "optional": true}]},
  {"id": "note", "repeat": true, "optional": true, "expected_s": 30}
]}"#,
        )
        .unwrap();
        assert_eq!(p.id, "demo");
        assert_eq!(p.steps.len(), 4);
        assert!(
            matches!(&p.steps[2], Element::AnyOrder(g) if g.steps.len() == 3 && g.steps[1].repeat)
        );
        let note = p.step("note").unwrap();
        assert!(note.optional && note.repeat);
        assert_eq!(note.expected_secs, 0);
    }

    #[test]
    fn the_form_pathways_show_writes_reads_back_with_its_id_and_version() {
        let mut original = crate::model::pathway::builtin_pathways()
            .into_iter()
            .find(|p| p.id == "med-administration")
            .unwrap();
        original.version = 3;
        let text = pathway_to_json(&original).to_string();
        let back = pathway_from_json_str(&text, Path::new("h.json")).unwrap();
        assert_eq!((back.id.as_str(), back.version), ("med-administration", 3));
        assert_eq!(pathway_to_json(&back), pathway_to_json(&original));
        for (doc, needle) in [
            (r#"{"id": 7, "steps": [{"id": "a"}]}"#, "\"id\" must be"),
            (r#"{"id": "", "steps": [{"id": "a"}]}"#, "\"id\" must be"),
            (
                r#"{"version": 0, "steps": [{"id": "a"}]}"#,
                "\"version\" must be",
            ),
            (
                r#"{"version": "2", "steps": [{"id": "a"}]}"#,
                "\"version\" must be",
            ),
        ] {
            let e = parse(doc).unwrap_err();
            assert!(e.to_string().contains(needle), "{doc}: {e}");
        }
    }

    #[test]
    fn an_id_longer_than_a_line_of_text_is_refused_as_in_the_ron_form() {
        let fits = "x".repeat(crate::model::pathway::MAX_LINE_CHARS);
        parse(&format!(r#"{{"steps": [{{"id": "{fits}"}}]}}"#)).unwrap();
        let long = "x".repeat(2_000_000);
        for doc in [
            format!("{{\"steps\": [{{\"id\": \"a\"}},\n {{\"id\": \"{long}\"}}]}}"),
            format!(
                "{{\"steps\": [{{\"id\": \"a\"}},\n {{\"group\": \"{long}\", \"steps\": [{{\"id\": \"b\"}}]}}]}}"
            ),
            format!("{{\"steps\": [{{\"id\": \"a\"}}],\n \"id\": \"{long}\"}}"),
        ] {
            let e = parse(&doc).unwrap_err();
            assert_eq!(
                e.message,
                "an id is 2000000 characters long; it may be at most 200"
            );
            assert_eq!(e.location.map(|l| l.line), Some(2));
            assert!(e.hint.starts_with("shorten it"), "{}", e.hint);
        }
    }

    #[test]
    fn the_site_vocabulary_goes_into_the_json_form_and_reads_back() {
        let harbor = crate::testing::samples::harbor_pathway();
        assert!(!harbor.vocabulary.is_empty());
        let doc = pathway_to_json(&harbor);
        assert_eq!(
            doc["vocabulary"]["workarounds"],
            serde_json::json!([
                {"id": "fax", "label": "Fax to or from the GP surgery", "cause": "integration"},
                {"id": "ward_whiteboard", "label": "Ward whiteboard", "cause": null},
            ])
        );
        let back = parse(&doc.to_string()).unwrap();
        assert_eq!(back.vocabulary, harbor.vocabulary);
        // A pathway without one is written as before: no key.
        let plain = crate::model::pathway::builtin_pathways().remove(0);
        assert!(plain.vocabulary.is_empty());
        assert_eq!(pathway_to_json(&plain).get("vocabulary"), None);
        // Lists may be left out, and a cause too.
        let short = parse(
            r#"{"steps": [{"id": "a"}], "vocabulary": {"problems": [{"id": "badge_reader", "label": "Badge reader"}]}}"#,
        )
        .unwrap();
        assert_eq!(short.vocabulary.problems.len(), 1);
        assert_eq!(short.vocabulary.problems[0].cause, None);
        assert!(short.vocabulary.interruptions.is_empty());
    }

    #[test]
    fn a_json_site_vocabulary_is_checked_as_the_ron_form_is() {
        let doc = |entries: &str| {
            format!(
                "{{\"steps\": [{{\"id\": \"fax\"}}],\n \"vocabulary\": {{\"workarounds\": [\n  {entries}]}}}}"
            )
        };
        let long = "L".repeat(201);
        for (entries, message, line) in [
            (
                r#"{"id": "fax", "label": "Fax"}, {"id": "fax", "label": "Again"}"#.to_string(),
                "duplicate workaround kind `fax` in `vocabulary.workarounds`",
                3,
            ),
            (
                r#"{"id": "Fax", "label": "Fax"}"#.to_string(),
                "the workaround kind in `vocabulary.workarounds`: the id `Fax` does not start with a lowercase letter a-z",
                3,
            ),
            (
                r#"{"id": "copy_paste", "label": "Copy"}"#.to_string(),
                "`copy_paste` is already a built-in workaround kind",
                3,
            ),
            (
                r#"{"id": "fax", "label": " "}"#.to_string(),
                "the workaround kind `fax` has an empty label",
                3,
            ),
            (
                format!(r#"{{"id": "fax", "label": "{long}"}}"#),
                "the label of workaround kind `fax` in `vocabulary.workarounds` is 201 characters long; it may be at most 200",
                3,
            ),
            (
                r#"{"id": "fax", "label": "F\u001b]0;x"}"#.to_string(),
                "the label of workaround kind `fax` in `vocabulary.workarounds` holds the control character U+001B (ESC)",
                3,
            ),
            (
                r#"{"id": "fax", "label": "Fax", "cause": "weather"}"#.to_string(),
                "the \"vocabulary\": unknown variant `weather`",
                2,
            ),
        ] {
            let text = doc(&entries);
            let e = parse(&text).unwrap_err();
            assert!(e.message.starts_with(message), "{e}\n{text}");
            assert_eq!(e.location.map(|l| l.line), Some(line), "{e}\n{text}");
            assert!(!e.hint.is_empty(), "{e}");
        }
        // The place of the second `fax`: its id in the vocabulary, not the step's.
        let text = doc(r#"{"id": "fax", "label": "Fax"}, {"id": "fax", "label": "Again"}"#);
        let e = parse(&text).unwrap_err();
        assert_eq!(e.location, locate(&text, "\"fax\"", 2));
    }

    #[test]
    fn the_oracle_invalid_pathways_are_rejected() {
        for (doc, needle) in [
            (r#"{"steps": []}"#, "no steps"),
            (r#"{"stepz": [{"id": "a"}]}"#, "\"steps\" list"),
            (r#"{"steps": [{"optional": true}]}"#, "\"id\""),
            (
                r#"{"steps": [{"id": "a", "optional": "yes"}]}"#,
                "\"optional\" must be true or false",
            ),
            (
                r#"{"steps": [{"id": "a", "repeat": 1}]}"#,
                "\"repeat\" must be true or false",
            ),
            (
                r#"{"steps": [{"group": "g", "steps": []}]}"#,
                "non-empty \"steps\"",
            ),
            (
                r#"{"steps": [{"group": "g", "steps": [{"group": "h", "steps": [{"id": "a"}]}]}]}"#,
                "nested",
            ),
            (
                r#"{"steps": [{"group": "g", "id": "a", "steps": [{"id": "a"}]}]}"#,
                "not both",
            ),
            (r#"{"steps": [{"id": "a"}, {"id": "a"}]}"#, "duplicate id"),
            ("{\"steps\": [\n  {\"id\": \"a\",}]}", "trailing comma"),
        ] {
            let e = parse(doc).unwrap_err();
            assert!(e.message.contains(needle), "{doc}: {e}");
        }
        let e = parse("{\"steps\": [\n  {\"id\": \"a\",}]}").unwrap_err();
        assert_eq!(e.location.map(|l| l.line), Some(2));
    }
}
