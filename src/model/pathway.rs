//! Pathways: what the EHR was configured to have people do (docs/reference.md section 4).
//! The RON form is fixed by the domain reference; other tools write these files by hand.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use serde::{Deserialize, Serialize};

use super::error::{FileError, Location, locate};
use super::vocab::{
    Entry, InterruptionSource, MAX_CUSTOM_IDS, ProblemKind, Vocabulary, VocabularyKind,
    WorkaroundKind, custom_id_problem,
};

/// The largest `AnyOrder` group a pathway may hold. The comparator aligns a group of `k` steps
/// over its `2^k` subsets; at this size one 200-step trace aligns in well under a second (see
/// docs/compare.md). `pathways check`, capture and compare all refuse larger groups here.
pub const MAX_GROUP_MEMBERS: usize = 16;

/// The longest one-line text of a pathway file, in characters: its id, name and roles, and
/// every step, group and site-vocabulary id and label. Ample for a sentence; a longer text is
/// damaged or hostile, and would be printed whole by capture pickers, reports and maps.
pub const MAX_LINE_CHARS: usize = 200;
/// The longest policy text of a step, in characters: a rule named and cited, not its text.
pub const MAX_POLICY_CHARS: usize = 500;
/// The longest pathway description, in characters: a few paragraphs of prose.
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;

/// What a text of a pathway file is, for the rules it follows ([`text_problem`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// An id, the name, a role or a label: one line, at most [`MAX_LINE_CHARS`].
    Line,
    /// A step's policy: one line, at most [`MAX_POLICY_CHARS`].
    Policy,
    /// The description: prose (line breaks and tabs allowed), at most
    /// [`MAX_DESCRIPTION_CHARS`].
    Description,
}

impl TextKind {
    pub fn max_chars(self) -> usize {
        match self {
            TextKind::Line => MAX_LINE_CHARS,
            TextKind::Policy => MAX_POLICY_CHARS,
            TextKind::Description => MAX_DESCRIPTION_CHARS,
        }
    }
}

/// Over-expected tolerances above which friction becomes a deviation, in percent.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    #[serde(default = "Tolerance::default_time_pct")]
    pub time_pct: u32,
    #[serde(default = "Tolerance::default_clicks_pct")]
    pub clicks_pct: u32,
}

impl Tolerance {
    fn default_time_pct() -> u32 {
        50
    }
    fn default_clicks_pct() -> u32 {
        30
    }
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            time_pct: Self::default_time_pct(),
            clicks_pct: Self::default_clicks_pct(),
        }
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pathway {
    pub id: String,
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub roles: Vec<String>,
    pub steps: Vec<Element>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Tolerance>,
    /// Interruption sources, workaround kinds and problem kinds the site adds to the built-in
    /// ones (docs/pathways.md, "Site vocabulary"); files without it read as before.
    #[serde(default, skip_serializing_if = "Vocabulary::is_empty")]
    pub vocabulary: Vocabulary,
}

/// One element of a pathway's sequence.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub enum Element {
    Step(Step),
    AnyOrder(Group),
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub label: String,
    pub expected_secs: u32,
    pub expected_clicks: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_screens: Option<u32>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub repeat: bool,
    /// The rule (regulation, hospital policy) that forces this step, if one does. Findings
    /// on such a step point to policy rather than design.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// Steps done once each, in any order.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub label: String,
    pub steps: Vec<Step>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// `Step(id: ...)` rather than `Step((id: ...))`: the form docs/reference.md fixes.
fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::UNWRAP_VARIANT_NEWTYPES | Extensions::IMPLICIT_SOME)
}

/// A `name: value` field of a RON text, found by a light scan that skips strings and
/// comments: where validation errors found after parsing point to.
#[derive(Debug)]
struct Field {
    name: String,
    /// Open brackets around it: 1 for the pathway's own fields, 3 for a step's.
    depth: usize,
    /// Where its value starts.
    location: Location,
    /// The value when it is a plain string.
    value: Option<String>,
}

/// The character of an escape after its backslash, and how many chars the escape takes:
/// `n`, `t`, `r`, `0`, `\\`, `"`, `'`, `xHH` and `u{H...}` as RON writes them.
fn unescape(after: &[(usize, char)]) -> (char, usize) {
    let hex = |digits: &[(usize, char)]| {
        let text: String = digits.iter().map(|&(_, c)| c).collect();
        u32::from_str_radix(&text, 16).ok().and_then(char::from_u32)
    };
    match after[0].1 {
        'n' => ('\n', 1),
        't' => ('\t', 1),
        'r' => ('\r', 1),
        '0' => ('\0', 1),
        'x' if after.len() >= 3 => hex(&after[1..3]).map_or(('x', 1), |c| (c, 3)),
        'u' if after.get(1).is_some_and(|&(_, c)| c == '{') => {
            match after.iter().position(|&(_, c)| c == '}') {
                Some(close) => hex(&after[2..close]).map_or(('u', 1), |c| (c, close + 1)),
                None => ('u', 1),
            }
        }
        other => (other, 1),
    }
}

/// A string literal of a RON text (plain or raw): where it opens and what it holds.
#[derive(Debug)]
struct Literal {
    location: Location,
    value: String,
}

/// A raw string `r"..."` or `r#"..."#` starting at `chars[i]` (the `r`): its text and the
/// index just past it; `None` when `r` starts no raw string.
fn raw_string(chars: &[(usize, char)], i: usize) -> Option<(String, usize)> {
    let mut j = i + 1;
    let hashes = chars[j..].iter().take_while(|&&(_, c)| c == '#').count();
    j += hashes;
    if chars.get(j).map(|&(_, c)| c) != Some('"') {
        return None;
    }
    let start = j + 1;
    let mut k = start;
    while k < chars.len() {
        let closes = chars[k].1 == '"'
            && chars[k + 1..]
                .iter()
                .take(hashes)
                .filter(|&&(_, c)| c == '#')
                .count()
                == hashes;
        if closes {
            return Some((
                chars[start..k].iter().map(|&(_, c)| c).collect(),
                k + 1 + hashes,
            ));
        }
        k += 1;
    }
    None
}

/// The `name: value` fields and every string literal of a RON text, in file order.
fn scan(text: &str) -> (Vec<Field>, Vec<Literal>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut fields = Vec::new();
    let mut literals = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut depth = 0usize;
    let mut i = 0;
    // Line and column of every char index, filled as the scan moves on.
    let mut at = Vec::with_capacity(chars.len() + 1);
    for &(_, c) in &chars {
        at.push(Location { line, column });
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    at.push(Location { line, column });
    let read_string = |mut j: usize| -> (Option<String>, usize) {
        // `j` is just after the opening quote.
        let mut value = String::new();
        while j < chars.len() {
            match chars[j].1 {
                '"' => return (Some(value), j + 1),
                '\\' if j + 1 < chars.len() => {
                    let (c, width) = unescape(&chars[j + 1..]);
                    value.push(c);
                    j += 1 + width;
                }
                c => {
                    value.push(c);
                    j += 1;
                }
            }
        }
        (None, j)
    };
    while i < chars.len() {
        let c = chars[i].1;
        let next = chars.get(i + 1).map(|&(_, c)| c);
        match c {
            '"' => {
                let (value, end) = read_string(i + 1);
                if let Some(value) = value {
                    literals.push(Literal {
                        location: at[i],
                        value,
                    });
                }
                i = end;
            }
            'r' if matches!(next, Some('"' | '#')) => match raw_string(&chars, i) {
                Some((value, end)) => {
                    literals.push(Literal {
                        location: at[i],
                        value,
                    });
                    i = end;
                }
                None => i += 1,
            },
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i].1 != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i].1 == '*' && chars[i + 1].1 == '/') {
                    i += 1;
                }
                i += 2;
            }
            '(' | '[' | '{' => {
                depth += 1;
                i += 1;
            }
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].1.is_alphanumeric() || chars[i].1 == '_') {
                    i += 1;
                }
                let name: String = chars[start..i].iter().map(|&(_, c)| c).collect();
                let mut j = i;
                while j < chars.len() && chars[j].1.is_whitespace() {
                    j += 1;
                }
                if j < chars.len() && chars[j].1 == ':' {
                    j += 1;
                    while j < chars.len() && chars[j].1.is_whitespace() {
                        j += 1;
                    }
                    let value = if j < chars.len() && chars[j].1 == '"' {
                        read_string(j + 1).0
                    } else {
                        None
                    };
                    fields.push(Field {
                        name,
                        depth,
                        location: at[j.min(chars.len())],
                        value,
                    });
                }
            }
            _ => i += 1,
        }
    }
    (fields, literals)
}

/// Where each entry of the site vocabulary sits in the text: the `id:` and `label:` fields
/// of `vocabulary: Vocabulary(<list>: [Entry(...)])` (or their JSON keys), by list and
/// position; where one is not known, the vocabulary itself.
#[derive(Default)]
pub(crate) struct VocabularyPlaces {
    ids: std::collections::HashMap<&'static str, Vec<Option<Location>>>,
    labels: std::collections::HashMap<&'static str, Vec<Option<Location>>>,
    vocabulary: Option<Location>,
}

/// The three lists of a site vocabulary: their names in the file, what one entry is called,
/// and the entries.
fn vocabulary_lists(vocabulary: &Vocabulary) -> [(&'static str, &'static str, &[Entry]); 3] {
    [
        (
            "interruptions",
            InterruptionSource::WHAT,
            &vocabulary.interruptions,
        ),
        ("workarounds", WorkaroundKind::WHAT, &vocabulary.workarounds),
        ("problems", ProblemKind::WHAT, &vocabulary.problems),
    ]
}

impl VocabularyPlaces {
    /// Places found by `at`, which gives an entry's id and label places (the JSON form,
    /// whose parser keeps no positions).
    pub(crate) fn found_by(
        vocabulary_at: Option<Location>,
        vocabulary: &Vocabulary,
        mut at: impl FnMut(&Entry) -> (Option<Location>, Option<Location>),
    ) -> VocabularyPlaces {
        let mut places = VocabularyPlaces {
            vocabulary: vocabulary_at,
            ..VocabularyPlaces::default()
        };
        for (list, _, entries) in vocabulary_lists(vocabulary) {
            for entry in entries {
                let (id, label) = at(entry);
                places.ids.entry(list).or_default().push(id);
                places.labels.entry(list).or_default().push(label);
            }
        }
        places
    }

    fn scan(fields: &[Field]) -> VocabularyPlaces {
        let mut places = VocabularyPlaces::default();
        let mut list: Option<&'static str> = None;
        for field in fields {
            match (field.depth, field.name.as_str()) {
                (1, "vocabulary") => places.vocabulary = Some(field.location),
                (1, _) => list = None,
                (2, name) if places.vocabulary.is_some() => {
                    list = ["interruptions", "workarounds", "problems"]
                        .into_iter()
                        .find(|&l| l == name);
                }
                (4, "id") => {
                    if let Some(list) = list {
                        places
                            .ids
                            .entry(list)
                            .or_default()
                            .push(Some(field.location));
                    }
                }
                (4, "label") => {
                    if let Some(list) = list {
                        places
                            .labels
                            .entry(list)
                            .or_default()
                            .push(Some(field.location));
                    }
                }
                _ => {}
            }
        }
        places
    }

    fn id(&self, list: &str, index: usize) -> Option<Location> {
        self.ids
            .get(list)
            .and_then(|l| l.get(index).copied().flatten())
            .or(self.vocabulary)
    }

    fn label(&self, list: &str, index: usize) -> Option<Location> {
        self.labels
            .get(list)
            .and_then(|l| l.get(index).copied().flatten())
            .or(self.vocabulary)
    }
}

/// `step `open-chart``, or `step 3` when the id itself is not fit to quote.
fn named(what: &str, id: &str, position: usize) -> String {
    if id.is_empty() || text_problem("", id, TextKind::Line).is_some() {
        format!("{what} {position}")
    } else {
        format!("{what} `{id}`")
    }
}

/// The first control character of `text` a pathway may not hold: any C0 control, DEL or C1
/// control (U+0080 to U+009F), or a bidirectional control ([`is_bidi_control`]). `prose` (a
/// description) may hold line feeds, tabs and a carriage return directly before a line feed
/// (a file saved with CRLF line ends).
pub fn forbidden_control(text: &str, prose: bool) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let layout =
            prose && (matches!(c, '\n' | '\t') || (c == '\r' && chars.peek() == Some(&'\n')));
        if (c.is_control() && !layout) || is_bidi_control(c) {
            return Some(c);
        }
    }
    None
}

/// Unicode's bidirectional controls (the `Bidi_Control` property): the embeddings and
/// overrides (U+202A to U+202E), the isolates (U+2066 to U+2069) and the marks (U+200E,
/// U+200F, U+061C). Invisible, they change the order in which the text around them is shown
/// (by a browser showing the HTML report, by a terminal that reorders): an override shows a
/// label backwards, an unclosed embedding reorders the rest of a table row, and even a mark
/// moves the digits and dashes beside it, so `5-10 mg` can show other than it reads. A
/// pathway's texts are written once and shown to everyone, so they may hold none
/// (docs/bad-input.md).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'
    )
}

/// What is wrong with one text of a pathway file, as the message after `what` names it, and
/// what to do (the hint): a control character it may not hold ([`forbidden_control`]), or more
/// characters than its kind allows. `None`: the text is fine. Every reader of a pathway (the
/// RON file, the JSON form) refuses its texts through this one rule (docs/bad-input.md).
pub fn text_problem(what: &str, text: &str, kind: TextKind) -> Option<(String, String)> {
    let prose = kind == TextKind::Description;
    if let Some(bad) = forbidden_control(text, prose) {
        let hint = if is_bidi_control(bad) {
            "remove it: a bidirectional control changes the order in which the text around it \
             is shown (a label can show other than it reads, a row can be reordered); write \
             the text in reading order without it, right-to-left scripts included"
        } else if prose {
            "remove it: the description may hold line breaks (\\n) and tabs (\\t), no other \
             control character (a terminal acts on them: an ESC sequence can retitle, clear or \
             redraw the screen of whoever reads the pathway)"
        } else {
            "remove it: this text is one line of plain text, without control characters (a \
             terminal acts on them: an ESC sequence can retitle, clear or redraw the screen of \
             whoever reads the pathway)"
        };
        return Some((
            format!(
                "{what} holds the control character {}",
                describe_control(bad)
            ),
            hint.to_string(),
        ));
    }
    let max = kind.max_chars();
    // Within the limit: fine. (Looking at the first `max + 1` characters only, a text of
    // megabytes is counted only when it is refused.)
    text.chars().nth(max)?;
    let length = text.chars().count();
    let hint = match kind {
        TextKind::Description => {
            "shorten it: the description is a few paragraphs; keep longer documents beside the \
             pathway file and name them in it"
        }
        TextKind::Policy => {
            "shorten it: name the rule and where it is written (`State CS law: two-factor \
             signing`), not its whole text"
        }
        TextKind::Line => {
            "shorten it: an id, name, role or label is one short line, shown in pickers, tables \
             and maps; put the detail in the pathway's description"
        }
    };
    Some((
        format!("{what} is {length} characters long; it may be at most {max}"),
        hint.to_string(),
    ))
}

/// `U+001B (ESC)`: a control character named for a message.
pub fn describe_control(c: char) -> String {
    let name = match c {
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{61c}' => "Arabic letter mark",
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "backspace",
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{9b}' => "CSI",
        '\u{9c}' => "ST",
        '\u{9d}' => "OSC",
        c if u32::from(c) < 0x20 => "C0 control",
        _ => "C1 control",
    };
    format!("U+{:04X} ({name})", u32::from(c))
}

/// One list of the site vocabulary: snake_case ids, none twice, none a built-in name, and a
/// label for each (docs/pathways.md, "Site vocabulary").
fn check_entries<K: VocabularyKind>(
    vocabulary: &Vocabulary,
    places: &VocabularyPlaces,
    list: &str,
    path: &Path,
) -> Result<(), FileError> {
    let entries: &[Entry] = K::entries(vocabulary);
    let mut seen = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let here = places.id(list, index);
        if let Some(problem) = custom_id_problem(&entry.id) {
            return Err(FileError::new(
                path,
                here,
                format!("the {} in `vocabulary.{list}`: {problem}", K::WHAT),
            )
            .with_hint(
                "a site's id is snake_case: starts with a-z, then a-z, 0-9 or _, at most 64 \
                 characters (`bed_manager`); the label says it in words",
            ));
        }
        if K::builtin(&entry.id).is_some() {
            let builtin: Vec<&str> = K::BUILTIN.iter().map(|k| k.name()).collect();
            return Err(FileError::new(
                path,
                here,
                format!("`{}` is already a built-in {}", entry.id, K::WHAT),
            )
            .with_hint(format!(
                "the built-in ones ({}) are always there; remove this entry, or give the site's \
                 own kind another id",
                builtin.join(", ")
            )));
        }
        if !seen.insert(entry.id.as_str()) {
            return Err(FileError::new(
                path,
                here,
                format!(
                    "duplicate {} `{}` in `vocabulary.{list}`",
                    K::WHAT,
                    entry.id
                ),
            )
            .with_hint("each id appears once in its list; remove or rename one of them"));
        }
        if entry.label.trim().is_empty() {
            return Err(FileError::new(
                path,
                places.label(list, index),
                format!("the {} `{}` has an empty label", K::WHAT, entry.id),
            )
            .with_hint("give it a label: the capture picker and the report show it"));
        }
    }
    Ok(())
}

/// The whole site vocabulary fits in the ids one run holds ([`MAX_CUSTOM_IDS`]): past it the
/// capture picker and the readers would silently lose entries, so the file is refused. The
/// error points at the first entry over the cap (in file order).
fn check_vocabulary_size(
    vocabulary: &Vocabulary,
    places: &VocabularyPlaces,
    path: &Path,
) -> Result<(), FileError> {
    let total =
        vocabulary.interruptions.len() + vocabulary.workarounds.len() + vocabulary.problems.len();
    if total <= MAX_CUSTOM_IDS {
        return Ok(());
    }
    let mut ids: Vec<Location> = places.ids.values().flatten().flatten().copied().collect();
    ids.sort_by_key(|l| (l.line, l.column));
    let here = ids.get(MAX_CUSTOM_IDS).copied().or(places.vocabulary);
    Err(FileError::new(
        path,
        here,
        format!(
            "the site vocabulary has {total} entries; a pathway file may add at most \
             {MAX_CUSTOM_IDS} (interruptions, workarounds and problems together)"
        ),
    )
    .with_hint(format!(
        "remove entries until at most {MAX_CUSTOM_IDS} remain; keep those auditors pick, \
         and merge near-duplicates under one id"
    )))
}

/// The site vocabulary's rules ([`check_vocabulary_size`], [`check_entries`]), whichever
/// form the pathway was read from.
pub(crate) fn check_vocabulary(
    vocabulary: &Vocabulary,
    places: &VocabularyPlaces,
    path: &Path,
) -> Result<(), FileError> {
    check_vocabulary_size(vocabulary, places, path)?;
    check_entries::<InterruptionSource>(vocabulary, places, "interruptions", path)?;
    check_entries::<WorkaroundKind>(vocabulary, places, "workarounds", path)?;
    check_entries::<ProblemKind>(vocabulary, places, "problems", path)
}

/// The texts of a site vocabulary, in file order, as [`Pathway::texts`] gives them.
pub(crate) fn vocabulary_texts(vocabulary: &Vocabulary) -> Vec<(String, &str, TextKind)> {
    let mut texts = Vec::new();
    for (list, what, entries) in vocabulary_lists(vocabulary) {
        for (index, entry) in entries.iter().enumerate() {
            let name = format!(
                "{} in `vocabulary.{list}`",
                named(what, &entry.id, index + 1)
            );
            texts.push((
                format!("the id of {name}"),
                entry.id.as_str(),
                TextKind::Line,
            ));
            texts.push((
                format!("the label of {name}"),
                entry.label.as_str(),
                TextKind::Line,
            ));
        }
    }
    texts
}

impl Pathway {
    /// Parses and validates a pathway. `path` names the file in error messages.
    pub fn from_ron_str(text: &str, path: &Path) -> Result<Pathway, FileError> {
        let pathway: Pathway = ron_options().from_str(text).map_err(|e| {
            let mut error = FileError::from_ron(path, &e);
            if error.message.contains("AnyOrder") {
                error.message = format!(
                    "{} (an AnyOrder group holds Step(...) elements only; groups do not nest)",
                    error.message
                );
            }
            error.with_hint("fix the pathway file; `shadowmap pathways show med-rec-admission` prints a valid example")
        })?;
        pathway.validate(text, path)?;
        Ok(pathway)
    }

    pub fn load(path: &Path) -> Result<Pathway, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            let hint = match e.kind() {
                std::io::ErrorKind::InvalidData => {
                    "this is not a text file; a pathway is RON text: \
                     `shadowmap pathways show med-rec-admission` prints an example"
                }
                std::io::ErrorKind::IsADirectory => "that is a folder; give a pathway file (.ron)",
                _ => "check the path and that the file is readable",
            };
            FileError::new(path, None, format!("cannot read the pathway file: {e}")).with_hint(hint)
        })?;
        Pathway::from_ron_str(&text, path)
    }

    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::new()
            .struct_names(true)
            .depth_limit(4)
            .indentor("    ".to_string());
        ron_options()
            .to_string_pretty(self, config)
            .expect("a pathway always serializes")
    }

    fn validate(&self, text: &str, path: &Path) -> Result<(), FileError> {
        let (fields, literals) = scan(text);
        self.check_texts(&literals, path)?;
        // `steps:` of the pathway itself, not the word in a comment or a description.
        let whole_file = || {
            fields
                .iter()
                .find(|f| f.name == "steps" && f.depth == 1)
                .map(|f| f.location)
                .or_else(|| locate(text, "steps", 0))
        };
        if self.steps.is_empty() {
            return Err(
                FileError::new(path, whole_file(), "the pathway has no steps")
                    .with_hint("add at least one Step(...) to `steps`"),
            );
        }
        // Where the nth `id: "..."` of a step or group with this id is: the pathway's own id,
        // labels and comments that happen to hold the same text do not count.
        let element_ids: Vec<&Field> = fields
            .iter()
            // Steps sit at depth 3, group members at 5; 4 is the site vocabulary's entries.
            .filter(|f| f.name == "id" && matches!(f.depth, 3 | 5) && f.value.is_some())
            .collect();
        let place = |id: &str, nth: usize| {
            element_ids
                .iter()
                .filter(|f| f.value.as_deref() == Some(id))
                .nth(nth)
                .map(|f| f.location)
                .or_else(|| locate(text, &format!("\"{id}\""), nth))
        };
        let mut seen = HashSet::new();
        let mut occurrences = std::collections::HashMap::<String, usize>::new();
        let mut check_id = |id: &str| -> Result<(), FileError> {
            let nth = occurrences.entry(id.to_string()).or_default();
            let here = place(id, *nth);
            *nth += 1;
            if id.is_empty() {
                return Err(
                    FileError::new(path, here, "a step or group has an empty id")
                        .with_hint("give every step a non-empty id"),
                );
            }
            if !seen.insert(id.to_string()) {
                return Err(FileError::new(path, here, format!("duplicate id `{id}`"))
                    .with_hint("step and group ids must be unique across the whole pathway"));
            }
            Ok(())
        };
        for element in &self.steps {
            match element {
                Element::Step(step) => check_id(&step.id)?,
                Element::AnyOrder(group) => {
                    check_id(&group.id)?;
                    if group.steps.is_empty() {
                        return Err(FileError::new(
                            path,
                            place(&group.id, 0),
                            format!("the AnyOrder group `{}` has no steps", group.id),
                        )
                        .with_hint("put at least one Step(...) in the group, or remove it"));
                    }
                    if group.steps.len() > MAX_GROUP_MEMBERS {
                        return Err(FileError::new(
                            path,
                            place(&group.id, 0),
                            format!(
                                "the AnyOrder group `{}` has {} steps; a group may hold at most {MAX_GROUP_MEMBERS}",
                                group.id,
                                group.steps.len()
                            ),
                        )
                        .with_hint("split the group into consecutive groups, or make some of its steps ordinary steps"));
                    }
                    for step in &group.steps {
                        check_id(&step.id)?;
                    }
                }
            }
        }
        check_vocabulary(&self.vocabulary, &VocabularyPlaces::scan(&fields), path)
    }

    /// Every text of the pathway in file order: what it is (for a message), the text, and
    /// its kind (the rules it follows).
    fn texts(&self) -> Vec<(String, &str, TextKind)> {
        use TextKind::{Description, Line, Policy};
        let mut texts = vec![
            ("the pathway id".to_string(), self.id.as_str(), Line),
            ("the pathway's name".to_string(), self.name.as_str(), Line),
            (
                "the pathway's description".to_string(),
                self.description.as_str(),
                Description,
            ),
        ];
        for role in &self.roles {
            texts.push(("a role in `roles`".to_string(), role, Line));
        }
        fn step<'a>(texts: &mut Vec<(String, &'a str, TextKind)>, step: &'a Step, position: usize) {
            let name = named("step", &step.id, position);
            texts.push((format!("the id of {name}"), step.id.as_str(), Line));
            texts.push((format!("the label of {name}"), step.label.as_str(), Line));
            if let Some(policy) = &step.policy {
                texts.push((format!("the policy of {name}"), policy.as_str(), Policy));
            }
        }
        let (mut steps, mut groups) = (0, 0);
        for element in &self.steps {
            match element {
                Element::Step(s) => {
                    steps += 1;
                    step(&mut texts, s, steps);
                }
                Element::AnyOrder(group) => {
                    groups += 1;
                    let name = named("AnyOrder group", &group.id, groups);
                    texts.push((format!("the id of {name}"), group.id.as_str(), Line));
                    texts.push((format!("the label of {name}"), group.label.as_str(), Line));
                    for s in &group.steps {
                        steps += 1;
                        step(&mut texts, s, steps);
                    }
                }
            }
        }
        texts.extend(vocabulary_texts(&self.vocabulary));
        texts
    }

    /// Refuses a text of the pathway that breaks its kind's rules ([`text_problem`];
    /// docs/bad-input.md, "Hostile text"): labels, names and policies are shown on screens and
    /// in reports, where an ESC or a C1 control would drive the terminal (retitle it, clear it,
    /// hide lines), a line break would break a one-line row, and a label of megabytes would
    /// be printed whole. Only the description may hold line breaks and tabs (it is prose,
    /// printed as a paragraph), and it may be longer.
    fn check_texts(&self, literals: &[Literal], path: &Path) -> Result<(), FileError> {
        for (what, text, kind) in self.texts() {
            let Some((message, hint)) = text_problem(&what, text, kind) else {
                continue;
            };
            // The string in the file: the literal that reads as this text (its escapes
            // decoded), else the first literal that breaks the same rule.
            let here = literals
                .iter()
                .find(|l| l.value == text)
                .or_else(|| {
                    literals
                        .iter()
                        .find(|l| text_problem("", &l.value, kind).is_some())
                })
                .map(|l| l.location);
            return Err(FileError::new(path, here, message).with_hint(hint));
        }
        Ok(())
    }

    /// Every step, group members included, in file order.
    pub fn all_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().flat_map(|element| match element {
            Element::Step(step) => std::slice::from_ref(step).iter(),
            Element::AnyOrder(group) => group.steps.iter(),
        })
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.all_steps().find(|step| step.id == id)
    }

    pub fn tolerance(&self) -> Tolerance {
        self.tolerance.unwrap_or_default()
    }
}

/// A built-in template: its file name under `templates/` and its text, compiled in.
pub struct Template {
    pub file: &'static str,
    pub text: &'static str,
}

macro_rules! templates {
    ($($file:literal),+ $(,)?) => {
        &[$(Template { file: $file, text: include_str!(concat!("../../templates/", $file)) }),+]
    };
}

/// The templates compiled into the binary, so a laptop without internet has them all.
pub const TEMPLATES: &[Template] = templates![
    "med-rec-admission.ron",
    "ed-triage.ron",
    "cpoe-med-order.ron",
    "eprescribe-controlled.ron",
    "lab-result-review.ron",
    "inpatient-discharge.ron",
    "shift-handoff.ron",
    "med-administration.ron",
    "pharmacist-verification.ron",
];

/// The pathway capture opens when the auditor names none.
pub const DEFAULT_PATHWAY: &str = "med-rec-admission";

impl Template {
    pub fn parse(&self) -> Pathway {
        Pathway::from_ron_str(self.text, &Path::new("templates").join(self.file))
            .expect("built-in templates are checked by the test suite")
    }
}

pub fn builtin_pathways() -> Vec<Pathway> {
    TEMPLATES.iter().map(Template::parse).collect()
}

/// Where a pathway came from, for messages and for sessions that name their pathway.
#[derive(Debug, Clone, PartialEq)]
pub enum PathwaySource {
    Builtin,
    File(PathBuf),
}

/// Resolves a pathway argument: a path to a RON file, or the id of a built-in template.
pub fn resolve_pathway(id_or_file: &str) -> Result<(Pathway, PathwaySource), FileError> {
    let path = Path::new(id_or_file);
    if path.is_file() {
        return Ok((
            Pathway::load(path)?,
            PathwaySource::File(path.to_path_buf()),
        ));
    }
    if let Some(pathway) = builtin_pathways().into_iter().find(|p| p.id == id_or_file) {
        return Ok((pathway, PathwaySource::Builtin));
    }
    let known: Vec<String> = builtin_pathways().into_iter().map(|p| p.id).collect();
    if path.is_dir() {
        return Pathway::load(path).map(|p| (p, PathwaySource::File(path.to_path_buf())));
    }
    let looks_like_file = id_or_file.ends_with(".ron") || id_or_file.contains('/');
    let message = if looks_like_file {
        format!("no pathway file `{id_or_file}`")
    } else {
        format!("unknown pathway id `{id_or_file}`")
    };
    Err(FileError::new(path, None, message).with_hint(format!(
        "use a built-in id ({}) or the path of a pathway file; `shadowmap pathways list` shows them",
        known.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../templates/med-rec-admission.ron");

    fn parse(text: &str) -> Result<Pathway, FileError> {
        Pathway::from_ron_str(text, Path::new("p.ron"))
    }

    #[test]
    fn the_domain_reference_example_parses() {
        let p = parse(EXAMPLE).unwrap();
        assert_eq!(p.id, "med-rec-admission");
        assert!(matches!(&p.steps[2], Element::AnyOrder(g) if g.steps.len() == 2));
        assert!(p.step("review-allergies").unwrap().optional);
        assert!(p.step("enter-home-meds").unwrap().repeat);
    }

    #[test]
    fn written_pathways_read_back_equal() {
        let p = parse(EXAMPLE).unwrap();
        assert_eq!(parse(&p.to_ron()).unwrap(), p);
    }

    #[test]
    fn unknown_field_is_reported_with_line_and_column() {
        let text = "Pathway(id: \"p\", version: 1, name: \"n\",\n  steps: [Step(id: \"a\", label: \"A\", expected_secs: 1, expected_clicks: 1, colour: 3)])";
        let e = parse(text).unwrap_err();
        assert_eq!(e.location.unwrap().line, 2);
        assert!(e.message.contains("colour"), "{e}");
    }

    #[test]
    fn duplicate_ids_point_at_the_second_one() {
        let text = "Pathway(id: \"p\", version: 1, name: \"n\", steps: [\n  Step(id: \"a\", label: \"A\", expected_secs: 1, expected_clicks: 1),\n  Step(id: \"a\", label: \"B\", expected_secs: 1, expected_clicks: 1)])";
        let e = parse(text).unwrap_err();
        assert_eq!(e.message, "duplicate id `a`");
        assert_eq!(e.location.unwrap().line, 3);
    }

    #[test]
    fn duplicate_ids_are_located_past_labels_comments_and_the_pathway_id() {
        // Labels equal to ids (common with activity names from an XES log), the pathway's
        // own id equal to a step id, and a comment naming the id: none of them is the place.
        let text = "// \"a\" is done twice below\nPathway(id: \"a\", version: 1, name: \"n\", steps: [\n  Step(id: \"b\", label: \"a\", expected_secs: 1, expected_clicks: 1),\n  Step(id: \"a\", label: \"a\", expected_secs: 1, expected_clicks: 1),\n  Step(label: \"a\", id: \"a\", expected_secs: 1, expected_clicks: 1)])";
        let e = parse(text).unwrap_err();
        assert_eq!(e.message, "duplicate id `a`");
        assert_eq!(
            e.location,
            Some(Location {
                line: 5,
                column: 24
            }),
            "{e}"
        );
        let escaped = "Pathway(id: \"p\", version: 1, name: \"n\", steps: [\n  Step(id: \"say \\\"hi\\\"\", label: \"A\", expected_secs: 1, expected_clicks: 1),\n  Step(id: \"say \\\"hi\\\"\", label: \"B\", expected_secs: 1, expected_clicks: 1)])";
        let e = parse(escaped).unwrap_err();
        assert_eq!(e.message, "duplicate id `say \"hi\"`");
        assert_eq!(
            e.location,
            Some(Location {
                line: 3,
                column: 12
            }),
            "{e}"
        );
    }

    #[test]
    fn an_empty_pathway_points_at_its_steps_field() {
        let text = "Pathway(id: \"p\", version: 1, name: \"n\",\n  description: \"steps: none yet\", // steps: later\n  steps: [])";
        let e = parse(text).unwrap_err();
        assert_eq!(
            e.location,
            Some(Location {
                line: 3,
                column: 10
            }),
            "{e}"
        );
    }

    #[test]
    fn empty_pathway_and_nested_group_are_errors() {
        let e = parse("Pathway(id: \"p\", version: 1, name: \"n\", steps: [])").unwrap_err();
        assert!(e.message.contains("no steps"));
        let nested = "Pathway(id: \"p\", version: 1, name: \"n\", steps: [\n AnyOrder(id: \"g\", label: \"G\", steps: [\n  AnyOrder(id: \"h\", label: \"H\", steps: [])])])";
        let e = parse(nested).unwrap_err();
        assert!(e.location.is_some());
        assert_eq!(e.location.unwrap().line, 3, "{e}");
    }

    #[test]
    fn every_template_parses_validates_and_round_trips() {
        assert!(TEMPLATES.len() >= 7, "at least 7 built-in templates");
        let mut ids = HashSet::new();
        for template in TEMPLATES {
            let path = Path::new("templates").join(template.file);
            let p = Pathway::from_ron_str(template.text, &path)
                .unwrap_or_else(|e| panic!("template {}: {e}", template.file));
            assert_eq!(format!("{}.ron", p.id), template.file, "file name = id");
            assert!(ids.insert(p.id.clone()), "duplicate template id {}", p.id);
            assert!(p.version >= 1, "{}", p.id);
            assert!(!p.name.is_empty() && !p.description.is_empty(), "{}", p.id);
            assert!(!p.roles.is_empty(), "{} names its roles", p.id);
            assert!(
                p.all_steps().count() >= 4,
                "{} is a realistic pathway",
                p.id
            );
            for step in p.all_steps() {
                assert!(step.expected_secs > 0, "{}/{}", p.id, step.id);
                assert!(!step.label.is_empty(), "{}/{}", p.id, step.id);
                assert!(
                    step.expected_clicks > 0 || step.expected_secs >= 120,
                    "{}/{}: only long talk-only steps have no clicks",
                    p.id,
                    step.id
                );
                if let Some(policy) = &step.policy {
                    assert!(policy.len() > 10, "{}/{}", p.id, step.id);
                }
            }
            let written = p.to_ron();
            assert_eq!(parse(&written).unwrap(), p, "{} round-trips", p.id);
            assert_eq!(resolve_pathway(&p.id).unwrap().0, p);
        }
        assert!(ids.contains(DEFAULT_PATHWAY));
    }

    #[test]
    fn templates_use_the_whole_pathway_language() {
        let all = builtin_pathways();
        let steps = || all.iter().flat_map(super::Pathway::all_steps);
        assert!(steps().any(|s| s.optional && !s.repeat));
        assert!(steps().any(|s| s.repeat && !s.optional));
        assert!(steps().any(|s| s.optional && s.repeat));
        assert!(steps().any(|s| s.expected_screens.is_some()));
        let groups = all
            .iter()
            .flat_map(|p| &p.steps)
            .filter(|e| matches!(e, Element::AnyOrder(_)))
            .count();
        assert!(groups >= 4, "{groups} AnyOrder groups");
        let policy_steps: Vec<&str> = steps()
            .filter(|s| s.policy.is_some())
            .map(|s| s.id.as_str())
            .collect();
        assert!(policy_steps.contains(&"pdmp-query"), "{policy_steps:?}");
        assert!(
            policy_steps.contains(&"two-factor-sign"),
            "{policy_steps:?}"
        );
        let ed = resolve_pathway("eprescribe-controlled").unwrap().0;
        assert!(
            ed.step("pdmp-query")
                .unwrap()
                .policy
                .as_deref()
                .unwrap()
                .contains("PDMP")
        );
        assert!(all.iter().any(|p| p.tolerance.is_some()));
    }

    #[test]
    fn unknown_id_names_the_known_ones() {
        let e = resolve_pathway("no-such-pathway").unwrap_err();
        assert!(e.message.contains("unknown pathway id"));
        assert!(e.hint.contains("med-rec-admission"));
    }

    /// A pathway with one step and the given `vocabulary:` text, so a test can say where an
    /// error must point.
    fn with_vocabulary(vocabulary: &str) -> String {
        format!(
            "Pathway(id: \"p\", version: 1, name: \"n\",\n  steps: [Step(id: \"a\", label: \"A\", expected_secs: 1, expected_clicks: 1)],\n  vocabulary: Vocabulary(\n{vocabulary}\n  ),\n)"
        )
    }

    fn vocabulary_error(vocabulary: &str) -> (Option<Location>, String, String) {
        let e = parse(&with_vocabulary(vocabulary)).unwrap_err();
        (e.location, e.message, e.hint)
    }

    #[test]
    fn a_site_vocabulary_reads_with_labels_and_causes() {
        let p = parse(&with_vocabulary(
            "    interruptions: [Entry(id: \"bed_manager\", label: \"Bed manager\")],\n    workarounds: [Entry(id: \"fax\", label: \"Fax to the pharmacy\", cause: Some(integration))],\n    problems: [Entry(id: \"badge_reader\", label: \"Badge reader fails\", cause: infrastructure)],",
        ))
        .unwrap();
        let fax = WorkaroundKind::from_name("fax").unwrap();
        assert_eq!(p.vocabulary.label(fax), "Fax to the pharmacy");
        assert_eq!(
            p.vocabulary.cause(fax),
            Some(crate::model::vocab::Cause::Integration)
        );
        let badge = ProblemKind::from_name("badge_reader").unwrap();
        assert_eq!(
            p.vocabulary.cause(badge),
            Some(crate::model::vocab::Cause::Infrastructure)
        );
        assert_eq!(p.vocabulary.interruptions[0].cause, None);
        // Written and read back the same; a file without a vocabulary writes none.
        assert_eq!(parse(&p.to_ron()).unwrap(), p);
        assert!(!parse(EXAMPLE).unwrap().to_ron().contains("vocabulary"));
    }

    #[test]
    fn site_vocabulary_errors_point_at_the_entry_and_say_what_to_do() {
        // Line 4 is the first line of the vocabulary text; columns count from 1.
        let (at, message, hint) = vocabulary_error(
            "    workarounds: [Entry(id: \"fax\", label: \"Fax\"),\n      Entry(id: \"fax\", label: \"Fax again\")],",
        );
        assert_eq!(
            at,
            Some(Location {
                line: 5,
                column: 17
            })
        );
        assert_eq!(
            message,
            "duplicate workaround kind `fax` in `vocabulary.workarounds`"
        );
        assert!(hint.contains("once"), "{hint}");

        let (at, message, hint) = vocabulary_error(
            "    problems: [Entry(id: \"badge_reader\", label: \"Badge\"), Entry(id: \"downtime\", label: \"Down\")],",
        );
        assert_eq!(
            at,
            Some(Location {
                line: 4,
                column: 69
            })
        );
        assert_eq!(message, "`downtime` is already a built-in problem kind");
        assert!(hint.contains("slow_response"), "{hint}");

        let (at, message, hint) =
            vocabulary_error("    interruptions: [Entry(id: \"Bed-Manager\", label: \"Bed\")],");
        assert_eq!(
            at,
            Some(Location {
                line: 4,
                column: 31
            })
        );
        assert!(
            message.starts_with("the interruption source in `vocabulary.interruptions`: the id `Bed-Manager` does not start with a lowercase letter"),
            "{message}"
        );
        assert!(hint.contains("snake_case"), "{hint}");

        let (_, message, _) =
            vocabulary_error("    interruptions: [Entry(id: \"bed manager\", label: \"Bed\")],");
        assert!(message.contains("holds ` `"), "{message}");

        let (at, message, hint) =
            vocabulary_error("    workarounds: [Entry(id: \"fax\", label: \"  \")],");
        assert_eq!(
            at,
            Some(Location {
                line: 4,
                column: 43
            })
        );
        assert_eq!(message, "the workaround kind `fax` has an empty label");
        assert!(hint.contains("label"), "{hint}");

        // The same id in two lists is two different kinds: allowed.
        parse(&with_vocabulary(
            "    workarounds: [Entry(id: \"fax\", label: \"Fax\")],\n    problems: [Entry(id: \"fax\", label: \"Fax machine down\")],",
        ))
        .unwrap();

        // serde's own errors (an unknown field, an unknown cause) keep ron's position.
        let (at, message, _) = vocabulary_error(
            "    workarounds: [Entry(id: \"fax\", label: \"Fax\", cause: Some(weather))],",
        );
        assert_eq!(at.map(|l| l.line), Some(4));
        assert!(message.contains("weather"), "{message}");
    }

    /// A pathway whose texts are given: `{label}` is the first step's label and so on.
    fn with_texts(name: &str, description: &str, label: &str, policy: &str, site: &str) -> String {
        format!(
            "Pathway(id: \"p\", version: 1, name: \"{name}\", description: \"{description}\",\n  roles: [\"RN\"],\n  steps: [\n    Step(id: \"a\", label: \"{label}\", expected_secs: 1, expected_clicks: 1, policy: Some(\"{policy}\")),\n    AnyOrder(id: \"g\", label: \"G\", steps: [Step(id: \"b\", label: \"B\", expected_secs: 1, expected_clicks: 1)]),\n  ],\n  vocabulary: Vocabulary(workarounds: [Entry(id: \"fax\", label: \"{site}\")]),\n)"
        )
    }

    #[test]
    fn control_characters_in_texts_are_refused_where_the_string_is() {
        let clean = with_texts("N", "D", "Open chart", "Law", "Fax");
        parse(&clean).unwrap();
        // (name, description, label, policy, site label) with one hostile, where it is, what.
        let osc = r"Open \u{1b}]0;pwned\u{7} chart";
        // Each case: the texts, the string the error points at (its opening quote), and what.
        let cases = [
            (
                with_texts("N", "D", osc, "Law", "Fax"),
                osc,
                "the label of step `a`",
                "U+001B (ESC)",
            ),
            (
                with_texts("N\\x07", "D", "L", "Law", "Fax"),
                "N\\x07",
                "the pathway's name",
                "U+0007 (BEL)",
            ),
            (
                with_texts("N", "D\\u{9b}2J", "L", "Law", "Fax"),
                "D\\u{9b}2J",
                "the pathway's description",
                "U+009B (CSI)",
            ),
            (
                with_texts("N", "D", "L", "Law\\rX", "Fax"),
                "Law\\rX",
                "the policy of step `a`",
                "U+000D (carriage return)",
            ),
            (
                with_texts("N", "D", "L", "Law", "Fax\\u{7f}"),
                "Fax\\u{7f}",
                "the label of workaround kind `fax` in `vocabulary.workarounds`",
                "U+007F (DEL)",
            ),
            (
                with_texts("N", "D", "L\\nM", "Law", "Fax"),
                "L\\nM",
                "the label of step `a`",
                "U+000A (line feed)",
            ),
            (
                with_texts("N", "D", "L\\tM", "Law", "Fax"),
                "L\\tM",
                "the label of step `a`",
                "U+0009 (tab)",
            ),
            (
                with_texts("N", "D", "L", "Law", "Fax\\u{202e}"),
                "Fax\\u{202e}",
                "the label of workaround kind `fax` in `vocabulary.workarounds`",
                "U+202E (right-to-left override)",
            ),
            (
                with_texts("N\\u{2066}", "D", "L", "Law", "Fax"),
                "N\\u{2066}",
                "the pathway's name",
                "U+2066 (left-to-right isolate)",
            ),
            (
                with_texts("N", "D\\u{202a}", "L", "Law", "Fax"),
                "D\\u{202a}",
                "the pathway's description",
                "U+202A (left-to-right embedding)",
            ),
            (
                with_texts("N", "D", "L", "5\\u{200f}-10 mg", "Fax"),
                "5\\u{200f}-10 mg",
                "the policy of step `a`",
                "U+200F (right-to-left mark)",
            ),
            (
                with_texts("N", "D", "L\\u{61c}", "Law", "Fax"),
                "L\\u{61c}",
                "the label of step `a`",
                "U+061C (Arabic letter mark)",
            ),
        ];
        for (text, string, what, char) in cases {
            let e = parse(&text).unwrap_err();
            let at = locate(&text, &format!("\"{string}\""), 0).unwrap();
            assert_eq!(e.location, Some(at), "{e}\n{text}");
            assert_eq!(
                e.message,
                format!("{what} holds the control character {char}")
            );
            assert!(e.hint.starts_with("remove it"), "{}", e.hint);
        }
        assert_eq!(
            locate(&with_texts("N", "D", osc, "Law", "Fax"), osc, 0),
            Some(Location {
                line: 4,
                column: 27
            }),
            "the label's string opens at 4:26"
        );
        // A raw control character (not an escape) in the file is found the same way.
        let raw = with_texts("N", "D", "Open \u{1b}[2J chart", "Law", "Fax");
        let e = parse(&raw).unwrap_err();
        assert_eq!(
            e.location,
            Some(Location {
                line: 4,
                column: 26
            })
        );
        // A raw string, and a hostile id (named by its place, not quoted).
        let e = parse("Pathway(id: \"p\", version: 1, name: r#\"a\u{9d}b\"#, steps: [Step(id: \"a\", label: \"A\", expected_secs: 1, expected_clicks: 1)])").unwrap_err();
        assert_eq!(
            (e.location, e.message.as_str()),
            (
                Some(Location {
                    line: 1,
                    column: 36
                }),
                "the pathway's name holds the control character U+009D (OSC)"
            )
        );
        let e = parse("Pathway(id: \"p\", version: 1, name: \"n\", steps: [Step(id: \"a\\u{1b}\", label: \"A\", expected_secs: 1, expected_clicks: 1)])").unwrap_err();
        assert_eq!(
            e.message,
            "the id of step 1 holds the control character U+001B (ESC)"
        );
    }

    #[test]
    fn the_twelve_bidirectional_controls_are_refused_and_right_to_left_text_is_not() {
        // Unicode's Bidi_Control property (PropList.txt): exactly these twelve.
        let controls: Vec<char> = ('\u{0}'..=char::MAX)
            .filter(|&c| is_bidi_control(c))
            .collect();
        assert_eq!(
            controls,
            [
                '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}',
                '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'
            ]
        );
        for c in controls {
            assert_eq!(forbidden_control(&format!("a{c}b"), true), Some(c));
            assert!(
                !describe_control(c).contains("control)"),
                "{}",
                describe_control(c)
            );
        }
        // Right-to-left scripts themselves are text, and so are the zero-width joiners.
        let hebrew = "\u{5d1}\u{5d3}\u{5d9}\u{5e7}\u{5d4} (2)";
        let arabic = "\u{645}\u{631}\u{627}\u{62c}\u{639}\u{629} \u{200d}";
        let pathway = parse(&with_texts("N", "D", hebrew, "Law", arabic)).unwrap();
        assert_eq!(pathway.all_steps().next().unwrap().label, hebrew);
    }

    #[test]
    fn a_description_may_hold_line_breaks_and_tabs_only() {
        for ok in [
            r"one\ntwo",
            r"one\ttwo",
            r"one\r\ntwo",
            "one\ntwo (a raw line break)",
        ] {
            let pathway = parse(&with_texts("N", ok, "L", "Law", "Fax")).unwrap();
            assert!(pathway.description.starts_with("one"));
        }
        for bad in [r"one\rtwo", r"one\u{1b}[2Jtwo", r"\u{85}"] {
            let e = parse(&with_texts("N", bad, "L", "Law", "Fax")).unwrap_err();
            assert!(
                e.message.starts_with("the pathway's description holds"),
                "{e}"
            );
            assert!(e.hint.contains("line breaks"), "{}", e.hint);
        }
    }

    #[test]
    fn texts_longer_than_their_kind_allows_are_refused_where_the_string_is() {
        let line = |n: usize| "x".repeat(n);
        // At the limit: read. Non-ASCII letters count as one character each.
        let fits = with_texts(
            &line(MAX_LINE_CHARS),
            &line(MAX_DESCRIPTION_CHARS),
            &"\u{e9}".repeat(MAX_LINE_CHARS),
            &line(MAX_POLICY_CHARS),
            &line(MAX_LINE_CHARS),
        );
        let pathway = parse(&fits).unwrap();
        assert_eq!(
            pathway.all_steps().next().unwrap().label.chars().count(),
            200
        );
        // One over, each text: refused at its string, saying its length and the limit.
        let (name, desc, label, policy, site) = (
            line(MAX_LINE_CHARS + 1),
            line(MAX_DESCRIPTION_CHARS + 1),
            "\u{e9}".repeat(MAX_LINE_CHARS + 1),
            line(MAX_POLICY_CHARS + 1),
            line(2_000_000),
        );
        let cases = [
            (
                with_texts(&name, "D", "L", "Law", "Fax"),
                name.as_str(),
                "the pathway's name is 201 characters long; it may be at most 200",
            ),
            (
                with_texts("N", &desc, "L", "Law", "Fax"),
                desc.as_str(),
                "the pathway's description is 4001 characters long; it may be at most 4000",
            ),
            (
                with_texts("N", "D", &label, "Law", "Fax"),
                label.as_str(),
                "the label of step `a` is 201 characters long; it may be at most 200",
            ),
            (
                with_texts("N", "D", "L", &policy, "Fax"),
                policy.as_str(),
                "the policy of step `a` is 501 characters long; it may be at most 500",
            ),
            (
                with_texts("N", "D", "L", "Law", &site),
                site.as_str(),
                "the label of workaround kind `fax` in `vocabulary.workarounds` is 2000000 \
                 characters long; it may be at most 200",
            ),
        ];
        for (text, string, message) in cases {
            let e = parse(&text).unwrap_err();
            let at = locate(&text, &format!("\"{string}\""), 0).unwrap();
            assert_eq!(e.location, Some(at), "{message}");
            assert_eq!(e.message, message);
            assert!(e.hint.starts_with("shorten it"), "{}", e.hint);
        }
        // The group's label, a role, the pathway id, and a step id (named by its place, not
        // repeated in the message).
        let long = line(MAX_LINE_CHARS + 1);
        // Each: the text in the file that is made long, and the message.
        for (short, message) in [
            (
                "label: \"G\"",
                "the label of AnyOrder group `g` is 201 characters long; it may be at most 200",
            ),
            (
                "roles: [\"RN\"]",
                "a role in `roles` is 201 characters long; it may be at most 200",
            ),
            (
                "id: \"p\"",
                "the pathway id is 201 characters long; it may be at most 200",
            ),
            (
                "id: \"b\"",
                "the id of step 2 is 201 characters long; it may be at most 200",
            ),
        ] {
            let (field, _) = short.split_once(' ').unwrap();
            let lengthened = if field == "roles:" {
                format!("roles: [\"{long}\"]")
            } else {
                format!("{field} \"{long}\"")
            };
            let text = with_texts("N", "D", "L", "Law", "Fax").replace(short, &lengthened);
            let e = parse(&text).unwrap_err();
            assert_eq!(e.message, message);
            assert_eq!(e.location, locate(&text, &format!("\"{long}\""), 0));
        }
    }

    proptest::proptest! {
        /// Any control character, anywhere in any label, is refused at that label's string;
        /// any other text reads back as written.
        #[test]
        fn a_label_is_refused_exactly_when_it_holds_a_control_character(
            before in "[a-zA-Z ]{0,8}",
            c in proptest::char::any(),
            after in "[a-zA-Z ]{0,8}",
        ) {
            let label = format!("{before}{c}{after}");
            let text = with_texts("N", "D", &label.escape_default().to_string(), "Law", "Fax");
            match parse(&text) {
                Ok(p) => {
                    proptest::prop_assert!(!c.is_control() && !is_bidi_control(c));
                    proptest::prop_assert_eq!(&p.all_steps().next().unwrap().label, &label);
                }
                Err(e) => {
                    proptest::prop_assert!(c.is_control() || is_bidi_control(c), "{}", e);
                    proptest::prop_assert_eq!(e.location, Some(Location { line: 4, column: 26 }));
                }
            }
        }
    }
}
