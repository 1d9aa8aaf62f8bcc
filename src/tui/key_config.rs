//! The user's keymap: a RON file (`keys.ron` in the platform's config folder, or `--keys FILE`)
//! that gives capture and replay actions other keys, as gitui's key_config does. Each screen's
//! actions have stable snake_case names; a file names only the actions it moves:
//!
//! ```ron
//! KeyMap(
//!     capture: { "click": ["k"], "unclick": ["K"] },
//!     replay: { "play": ["p", "Space"] },
//! )
//! ```
//!
//! Checked when read: an unknown screen or action, a key no terminal sends (or one with Ctrl or
//! Alt, which never reach a screen), a key used by two actions of one screen: each an error with
//! file, line and column.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::capture::Action as CaptureAction;
use super::capture::keys::KEY_TABLE as CAPTURE_TABLE;
use super::keymap::{Binding, Key, Table, ch, key_label, parse_key, same_key};
use super::replay::Action as ReplayAction;
use super::replay::keys::KEY_TABLE as REPLAY_TABLE;
use crate::model::{FileError, Location};

/// The file's name in the config folder.
pub const FILE_NAME: &str = "keys.ron";

/// The name of a capture action in keymap files.
pub fn capture_action_name(action: &CaptureAction) -> &'static str {
    const STEPS: [&str; 10] = [
        "step_1", "step_2", "step_3", "step_4", "step_5", "step_6", "step_7", "step_8", "step_9",
        "step_10",
    ];
    match action {
        CaptureAction::NextStep => "next_step",
        CaptureAction::StartListed(i) => STEPS.get(*i).copied().unwrap_or("step"),
        CaptureAction::NextPage => "next_page",
        CaptureAction::OpenSearch => "search",
        CaptureAction::EndStep => "end_step",
        CaptureAction::Click(delta) if *delta < 0 => "unclick",
        CaptureAction::Click(_) => "click",
        CaptureAction::Screen => "screen",
        CaptureAction::Reentry => "reentry",
        CaptureAction::OpenInterruption => "interrupt",
        CaptureAction::ResumeInterrupted => "resume",
        CaptureAction::OpenWorkaround => "workaround",
        CaptureAction::OpenProblem => "problem",
        CaptureAction::OpenNote => "note",
        CaptureAction::Undo => "undo",
        CaptureAction::TogglePause => "pause",
        CaptureAction::AskFinish => "finish",
        CaptureAction::ToggleHelp => "help",
        // Not in the normal mode's table.
        _ => "",
    }
}

/// The name of a replay action in keymap files.
pub fn replay_action_name(action: &ReplayAction) -> &'static str {
    match action {
        ReplayAction::TogglePlay => "play",
        ReplayAction::Faster => "faster",
        ReplayAction::Slower => "slower",
        ReplayAction::SeekBy(ms) if ms.unsigned_abs() >= 60_000 && *ms < 0 => "back_1m",
        ReplayAction::SeekBy(ms) if ms.unsigned_abs() >= 60_000 => "forward_1m",
        ReplayAction::SeekBy(ms) if *ms < 0 => "back_10s",
        ReplayAction::SeekBy(_) => "forward_10s",
        ReplayAction::Start => "start",
        ReplayAction::End => "end",
        ReplayAction::NextEvent => "next_event",
        ReplayAction::PreviousEvent => "previous_event",
        ReplayAction::NextDeviation => "next_deviation",
        ReplayAction::PreviousDeviation => "previous_deviation",
        ReplayAction::ZoomIn => "zoom_in",
        ReplayAction::ZoomOut => "zoom_out",
        ReplayAction::ZoomReset => "zoom_reset",
        ReplayAction::GoTo => "go_to",
        ReplayAction::Help => "help",
        ReplayAction::Quit => "quit",
        _ => "",
    }
}

/// Keys a screen keeps for itself whatever the file says, with what they do.
fn reserved(screen: &str) -> Vec<(Key, &'static str)> {
    match screen {
        // After a refused append, `R` continues in a new journal segment.
        "capture" => vec![(ch('R'), "new_segment (after NOT SAVED)")],
        _ => Vec::new(),
    }
}

/// Each action of a table by name, with its default keys, in table order.
fn actions<A>(
    table: &[Binding<A>],
    name: impl Fn(&A) -> &'static str,
) -> Vec<(&'static str, Vec<Key>)> {
    let mut out: Vec<(&'static str, Vec<Key>)> = Vec::new();
    for (k, action) in table.iter().flat_map(|row| row.codes.iter()) {
        let n = name(action);
        match out.iter_mut().find(|(m, _)| *m == n) {
            Some((_, keys)) => keys.push(*k),
            None => out.push((n, vec![*k])),
        }
    }
    out
}

fn capture_actions() -> Vec<(&'static str, Vec<Key>)> {
    actions(CAPTURE_TABLE, capture_action_name)
}

fn replay_actions() -> Vec<(&'static str, Vec<Key>)> {
    actions(REPLAY_TABLE, replay_action_name)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "KeyMap")]
struct KeyFile {
    #[serde(default)]
    capture: Actions,
    #[serde(default)]
    replay: Actions,
}

/// A screen's `{ "action": [keys] }` map, in file order. An action given twice is an error
/// where the second one is (a map type would keep the last without a word).
#[derive(Default)]
struct Actions(Vec<(String, Vec<String>)>);

impl<'de> Deserialize<'de> for Actions {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Actions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of action names to lists of keys")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Actions, A::Error> {
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                while let Some((action, keys)) = map.next_entry::<String, Vec<String>>()? {
                    if !seen.insert(action.clone()) {
                        return Err(serde::de::Error::custom(format!(
                            "the action `{action}` is given twice; keep one entry with all its keys"
                        )));
                    }
                    out.push((action, keys));
                }
                Ok(Actions(out))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The keys in force: the actions each screen moves, and where that came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyMap {
    pub capture: Vec<(String, Vec<Key>)>,
    pub replay: Vec<(String, Vec<Key>)>,
    /// The file read; None: the defaults.
    pub source: Option<PathBuf>,
}

/// The 1-based line and column of a byte offset.
fn location_at(text: &str, offset: usize) -> Location {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Location {
        line,
        column: before[line_start..].chars().count() + 1,
    }
}

/// Where `needle` is first found after `from` (a byte offset), if at all.
fn find_after(text: &str, from: usize, needle: &str) -> Option<usize> {
    text[from..].find(needle).map(|i| from + i)
}

impl KeyMap {
    /// Reads and checks a keymap file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<KeyMap, FileError> {
        let file: KeyFile = ron::from_str(text).map_err(|e| {
            FileError::from_ron(path, &e).with_hint(
                "fix the keymap file; `shadowmap keys --default` prints one to start from",
            )
        })?;
        let capture = Self::check_screen(text, path, "capture", &file.capture, &capture_actions())?;
        let replay = Self::check_screen(text, path, "replay", &file.replay, &replay_actions())?;
        let map = KeyMap {
            capture,
            replay,
            source: Some(path.to_path_buf()),
        };
        map.check_conflicts(text, path)?;
        Ok(map)
    }

    fn check_screen(
        text: &str,
        path: &Path,
        screen: &str,
        entries: &Actions,
        known: &[(&'static str, Vec<Key>)],
    ) -> Result<Vec<(String, Vec<Key>)>, FileError> {
        let section = find_after(text, 0, &format!("{screen}:")).unwrap_or(0);
        let mut out = Vec::new();
        for (action, keys) in &entries.0 {
            let quoted = format!("\"{action}\"");
            let at = find_after(text, section, &quoted);
            let here = at.map(|o| location_at(text, o));
            if !known.iter().any(|(n, _)| n == action) {
                let names: Vec<&str> = known.iter().map(|(n, _)| *n).collect();
                return Err(FileError::new(
                    path,
                    here,
                    format!("unknown {screen} action `{action}`"),
                )
                .with_hint(format!("the {screen} actions are: {}", names.join(", "))));
            }
            if keys.is_empty() {
                return Err(FileError::new(
                    path,
                    here,
                    format!("the {screen} action `{action}` has no key"),
                )
                .with_hint("give it at least one key, or leave it out to keep its default"));
            }
            let mut parsed = Vec::new();
            for name in keys {
                let key_at = at
                    .and_then(|o| find_after(text, o + quoted.len(), &format!("\"{name}\"")))
                    .map(|o| location_at(text, o))
                    .or(here);
                let key = parse_key(name).map_err(|why| {
                    FileError::new(
                        path,
                        key_at,
                        format!(
                            "`{name}` for the {screen} action `{action}` cannot be typed: {why}"
                        ),
                    )
                    .with_hint("`shadowmap keys` lists the keys in force and the key names")
                })?;
                parsed.push(key);
            }
            out.push((action.clone(), parsed));
        }
        Ok(out)
    }

    /// A key used by two actions of one screen (after the file's changes) is an error at the
    /// place of the file's key.
    fn check_conflicts(&self, text: &str, path: &Path) -> Result<(), FileError> {
        for (screen, remap, defaults) in [
            ("capture", &self.capture, capture_actions()),
            ("replay", &self.replay, replay_actions()),
        ] {
            let mut taken: Vec<(Key, String)> = reserved(screen)
                .into_iter()
                .map(|(k, what)| (k, what.to_string()))
                .collect();
            // The file's keys come after the defaults so that an error points into the file.
            let unmoved = defaults
                .iter()
                .filter(|(n, _)| !remap.iter().any(|(m, _)| m == n))
                .map(|(n, keys)| (n.to_string(), keys.clone(), false));
            let moved = remap
                .iter()
                .map(|(n, keys)| (n.clone(), keys.clone(), true));
            for (action, keys, from_file) in unmoved.chain(moved) {
                for k in keys {
                    if let Some((_, other)) = taken
                        .iter()
                        .find(|(t, other)| same_key(t, &k) && other != &action)
                    {
                        let section = find_after(text, 0, &format!("{screen}:")).unwrap_or(0);
                        let here = from_file
                            .then(|| find_after(text, section, &format!("\"{action}\"")))
                            .flatten()
                            .map(|o| location_at(text, o));
                        let label = key_label(&k);
                        return Err(FileError::new(
                            path,
                            here,
                            format!(
                                "`{label}` is used twice on the {screen} screen: by `{action}` and by `{other}`"
                            ),
                        )
                        .with_hint(format!(
                            "give `{other}` another key too, or choose another key for `{action}`"
                        )));
                    }
                    taken.push((k, action.clone()));
                }
            }
        }
        Ok(())
    }

    /// The capture keys in force.
    pub fn capture_table(&self) -> Table<CaptureAction> {
        Table::remapped(CAPTURE_TABLE, capture_action_name, &self.capture)
    }

    /// The replay keys in force.
    pub fn replay_table(&self) -> Table<ReplayAction> {
        Table::remapped(REPLAY_TABLE, replay_action_name, &self.replay)
    }

    /// One line for the start form and the help: where the keys come from.
    pub fn summary(&self) -> String {
        match &self.source {
            None => "keys: the defaults (`shadowmap keys` shows them)".to_string(),
            Some(path) => {
                let moved: Vec<String> = self
                    .capture
                    .iter()
                    .map(|(action, keys)| {
                        let keys: Vec<String> = keys.iter().map(key_label).collect();
                        format!("{action} {}", keys.join("/"))
                    })
                    .collect();
                let moved = if moved.is_empty() {
                    "no capture key moved".to_string()
                } else {
                    moved.join(", ")
                };
                format!("keys: {} ({moved})", path.display())
            }
        }
    }

    /// What `shadowmap keys` prints: where the keys come from, and each screen's actions with
    /// the keys in force.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        match &self.source {
            Some(path) => _ = writeln!(out, "Keys in force: {}", path.display()),
            None => out.push_str("Keys in force: the defaults\n"),
        }
        for (screen, actions) in [
            ("capture", self.capture_in_force()),
            ("replay", self.replay_in_force()),
        ] {
            _ = writeln!(out, "\n{screen}:");
            for (action, keys, moved) in actions {
                let keys: Vec<String> = keys.iter().map(key_label).collect();
                let mark = if moved { "  (moved)" } else { "" };
                _ = writeln!(out, "  {action:<20} {}{mark}", keys.join(" "));
            }
        }
        out
    }

    fn in_force(
        defaults: Vec<(&'static str, Vec<Key>)>,
        remap: &[(String, Vec<Key>)],
    ) -> Vec<(String, Vec<Key>, bool)> {
        defaults
            .into_iter()
            .map(|(name, keys)| match remap.iter().find(|(n, _)| n == name) {
                Some((_, moved)) => (name.to_string(), moved.clone(), moved != &keys),
                None => (name.to_string(), keys, false),
            })
            .collect()
    }

    fn capture_in_force(&self) -> Vec<(String, Vec<Key>, bool)> {
        Self::in_force(capture_actions(), &self.capture)
    }

    fn replay_in_force(&self) -> Vec<(String, Vec<Key>, bool)> {
        Self::in_force(replay_actions(), &self.replay)
    }
}

/// A keymap file with every action at its default keys, to copy and edit.
pub fn default_file() -> String {
    let mut out = String::from(
        "// shadowmap keymap: give an action other keys. Leave out the actions you keep.\n\
         // Keys: one character (k, K, ?), or Space, Enter, Tab, Esc, Backspace, Up, Down, Left,\n\
         // Right, Home, End, PageUp, PageDown, Insert, Delete, F1-F12, S-Left (Shift + a named key).\n\
         KeyMap(\n",
    );
    for (screen, actions) in [("capture", capture_actions()), ("replay", replay_actions())] {
        _ = writeln!(out, "    {screen}: {{");
        for (action, keys) in actions {
            let keys: Vec<String> = keys.iter().map(|k| format!("{:?}", key_label(k))).collect();
            _ = writeln!(out, "        {:?}: [{}],", action, keys.join(", "));
        }
        out.push_str("    },\n");
    }
    out.push_str(")\n");
    out
}

static ACTIVE: std::sync::OnceLock<KeyMap> = std::sync::OnceLock::new();

/// Puts `map` in force for the screens of this run of the program (once, before the first
/// screen opens; a second call changes nothing).
pub fn install(map: KeyMap) {
    let _ = ACTIVE.set(map);
}

/// The keymap in force: the one installed, else the defaults (the screens' tests).
pub fn active() -> &'static KeyMap {
    ACTIVE.get_or_init(KeyMap::default)
}

/// Where the keymap file is looked for when `--keys` is not given.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "shadowmap").map(|d| d.config_dir().join(FILE_NAME))
}

/// The keymap in force: `explicit` (which must exist), else the config folder's file if there
/// is one, else the defaults.
pub fn load(explicit: Option<&Path>) -> Result<KeyMap, FileError> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match default_path().filter(|p| p.is_file()) {
            Some(path) => path,
            None => return Ok(KeyMap::default()),
        },
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        FileError::new(&path, None, format!("cannot read the keymap file: {e}")).with_hint(
            "check the path; `shadowmap keys --default` prints a keymap file to start from",
        )
    })?;
    KeyMap::parse(&text, &path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::key_named;

    fn parse(text: &str) -> Result<KeyMap, FileError> {
        KeyMap::parse(text, Path::new("keys.ron"))
    }

    #[test]
    fn the_default_file_reads_back_as_the_defaults() {
        let map = parse(&default_file()).unwrap();
        assert_eq!(
            map.capture_table().footer("  "),
            KeyMap::default().capture_table().footer("  ")
        );
        assert_eq!(
            map.capture_table().lookup(&key_named("c")),
            Some(CaptureAction::Click(1))
        );
        assert_eq!(
            map.replay_table().lookup(&key_named("k")),
            Some(ReplayAction::TogglePlay)
        );
    }

    #[test]
    fn a_moved_action_answers_its_new_key_only_and_the_footer_says_so() {
        let map = parse("KeyMap(capture: {\"click\": [\"k\"], \"unclick\": [\"K\"]})").unwrap();
        let table = map.capture_table();
        assert_eq!(table.lookup(&key_named("k")), Some(CaptureAction::Click(1)));
        assert_eq!(
            table.lookup(&key_named("K")),
            Some(CaptureAction::Click(-1))
        );
        assert_eq!(table.lookup(&key_named("c")), None);
        assert!(
            table.footer("  ").contains("k/K click"),
            "{}",
            table.footer("  ")
        );
        assert!(table.rows.iter().any(|r| r.keys == "k / K"));
        assert!(map.summary().contains("click k"), "{}", map.summary());
    }

    #[test]
    fn an_unknown_action_is_told_with_its_line_and_column() {
        let e = parse("KeyMap(\n  capture: {\n    \"clik\": [\"k\"],\n  },\n)").unwrap_err();
        assert_eq!(e.location, Some(Location { line: 3, column: 5 }));
        assert!(e.message.contains("unknown capture action `clik`"), "{e}");
        assert!(e.hint.contains("click"), "{e}");
    }

    #[test]
    fn a_key_used_twice_on_one_screen_is_an_error_at_the_files_key() {
        let e = parse("KeyMap(\n  capture: {\n    \"click\": [\"s\"],\n  },\n)").unwrap_err();
        assert_eq!(e.location, Some(Location { line: 3, column: 5 }));
        assert!(
            e.message
                .contains("`s` is used twice on the capture screen"),
            "{e}"
        );
        assert!(e.message.contains("`screen`"), "{e}");
        // Moving the other action too makes it fine.
        parse("KeyMap(capture: {\"click\": [\"s\"], \"screen\": [\"S\"]})").unwrap();
        // The same key on two screens is fine.
        parse("KeyMap(capture: {\"click\": [\"k\"]}, replay: {\"play\": [\"Space\"]})").unwrap();
        // A screen's own key counts too.
        let e = parse("KeyMap(capture: {\"undo\": [\"R\"]})").unwrap_err();
        assert!(e.message.contains("new_segment"), "{e}");
    }

    #[test]
    fn a_key_that_cannot_be_typed_is_an_error_at_the_key() {
        let e = parse("KeyMap(\n  replay: {\"play\": [\"Space\", \"Ctrl-p\"]},\n)").unwrap_err();
        assert_eq!(
            e.location,
            Some(Location {
                line: 2,
                column: 30
            })
        );
        assert!(e.message.contains("cannot be typed"), "{e}");
        let e = parse("KeyMap(capture: {\"note\": [\"Hyper\"]})").unwrap_err();
        assert!(e.message.contains("not a key a terminal sends"), "{e}");
        let e = parse("KeyMap(capture: {\"note\": [\"S-n\"]})").unwrap_err();
        assert!(e.message.contains("`N`"), "{e}");
    }

    #[test]
    fn malformed_ron_and_unknown_screens_name_the_place() {
        let e = parse("KeyMap(\n  capture: {\"click\" [\"k\"]},\n)").unwrap_err();
        assert_eq!(e.location.map(|l| l.line), Some(2));
        let e = parse("KeyMap(\n  browse: {},\n)").unwrap_err();
        assert_eq!(e.location.map(|l| l.line), Some(2));
    }

    #[test]
    fn an_action_given_twice_is_an_error_at_the_second() {
        let e = parse(
            "KeyMap(\n  capture: {\n    \"click\": [\"k\"],\n    \"click\": [\"j\"],\n  },\n)",
        )
        .unwrap_err();
        assert_eq!(e.location.map(|l| l.line), Some(4), "{e}");
        assert!(e.to_string().contains("`click` is given twice"), "{e}");
    }

    #[test]
    fn key_names_read_back_as_they_print() {
        for name in [
            "k", "K", "?", "Space", "Enter", "Tab", "Esc", "F5", "S-Left", "PageUp",
        ] {
            let key = parse_key(name).unwrap();
            assert_eq!(parse_key(&key_label(&key)).unwrap(), key, "{name}");
        }
    }
}
