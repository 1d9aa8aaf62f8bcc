//! One key table per screen: each row names its keys as the help and the docs show them, says
//! what they do, gives the footer's short form, and lists the key codes with the action each
//! means. Matching, the help, the footer and the docs check all read the same rows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key code, with Shift when the row needs it (Shift-Left is not Left). A row without Shift
/// matches the key whether or not the terminal reports Shift (capitals arrive with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub shift: bool,
}

/// A key code, Shift or not.
pub const fn key(code: KeyCode) -> Key {
    Key { code, shift: false }
}

/// A character key.
pub const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

/// A key code with Shift held.
pub const fn shift(code: KeyCode) -> Key {
    Key { code, shift: true }
}

impl Key {
    fn matches(&self, event: &KeyEvent) -> bool {
        self.code == event.code && (!self.shift || event.modifiers.contains(KeyModifiers::SHIFT))
    }
}

/// One row of a key table.
#[derive(Debug, Clone, Copy)]
pub struct Binding<A: 'static> {
    /// The keys as the help and the docs show them: `c / C`.
    pub keys: &'static str,
    /// What they do, as the help and the docs say it.
    pub help: &'static str,
    /// The footer's short form, if the footer shows this row.
    pub footer: Option<&'static str>,
    /// The key codes and the action each one means; the first match wins.
    pub codes: &'static [(Key, A)],
}

/// The action of the first row (in table order) with a code matching `key`.
pub fn lookup<A: Clone>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    table
        .iter()
        .flat_map(|row| row.codes.iter())
        .find(|(k, _)| k.matches(key))
        .map(|(_, action)| action.clone())
}

/// The footer: the short forms of the rows that have one, `separator` apart.
pub fn footer<A>(table: &[Binding<A>], separator: &str) -> String {
    table
        .iter()
        .filter_map(|row| row.footer)
        .collect::<Vec<_>>()
        .join(separator)
}

/// The rows as the docs show them: `| `keys` | help |`.
pub fn doc_rows<A>(table: &[Binding<A>]) -> Vec<String> {
    table
        .iter()
        .map(|row| format!("| `{}` | {} |", row.keys, row.help))
        .collect()
}

/// A key as keymap files, the help and `shadowmap keys` name it: one character (`k`, `K`,
/// `?`), or `Space`, `Enter`, `Tab`, `BackTab`, `Esc`, `Backspace`, `Up`, `Down`, `Left`,
/// `Right`, `Home`, `End`, `PageUp`, `PageDown`, `Insert`, `Delete`, `F1`-`F12`, with `S-` for
/// Shift on a named key (`S-Left`). Err says why the key cannot be typed on a screen.
pub fn parse_key(name: &str) -> Result<Key, String> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() {
            return Err("a control character cannot be typed as a key".to_string());
        }
        if c == ' ' {
            return Ok(ch(' '));
        }
        return Ok(ch(c));
    }
    let lower = name.to_ascii_lowercase();
    if ["c-", "ctrl-", "a-", "alt-", "m-", "meta-", "super-", "cmd-"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Err(
            "Ctrl, Alt and other modifiers do not reach the screens (Ctrl-C always leaves); \
             use a plain key or Shift (`S-Left`, a capital letter)"
                .to_string(),
        );
    }
    if let Some(rest) = name
        .strip_prefix("S-")
        .or_else(|| name.strip_prefix("Shift-"))
    {
        let base = parse_key(rest)?;
        return match base.code {
            KeyCode::Char(_) => Err(format!(
                "write a shifted character as itself (`{}` rather than `{name}`)",
                rest.to_uppercase()
            )),
            code => Ok(shift(code)),
        };
    }
    let code = match lower.as_str() {
        "space" | "spc" => KeyCode::Char(' '),
        "enter" | "return" => KeyCode::Enter,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "esc" | "escape" => KeyCode::Esc,
        "backspace" | "bs" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "insert" => KeyCode::Insert,
        "delete" | "del" => KeyCode::Delete,
        f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
            KeyCode::F(f[1..].parse().expect("checked just now"))
        }
        "" => return Err("an empty key name".to_string()),
        _ => {
            return Err(format!(
                "`{name}` is not a key a terminal sends: use one character, Space, Enter, Tab, \
                 Esc, Backspace, Up, Down, Left, Right, Home, End, PageUp, PageDown, Insert, \
                 Delete, F1-F12, or S- with a named key"
            ));
        }
    };
    Ok(key(code))
}

/// A key's name as [`parse_key`] reads it.
pub fn key_label(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => "BackTab".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        code => format!("{code:?}"),
    };
    if key.shift { format!("S-{name}") } else { name }
}

/// Whether two keys are the same key on a table (Shift told apart where a row asks for it).
pub fn same_key(a: &Key, b: &Key) -> bool {
    a.code == b.code && a.shift == b.shift
}

/// One row of a key table as it is in force: the defaults, or the user's keys for its actions.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<A> {
    pub keys: String,
    pub help: &'static str,
    pub footer: Option<String>,
    pub codes: Vec<(Key, A)>,
}

/// A screen's key table in force: its [`Binding`] rows with the keys of some actions replaced.
/// Matching, the help and the footer all read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table<A> {
    pub rows: Vec<Row<A>>,
}

impl<A: Clone> Table<A> {
    /// The table as built, no key replaced.
    pub fn defaults(base: &[Binding<A>]) -> Table<A> {
        Table::remapped(base, |_| "", &[])
    }

    /// The table with the keys of each named action in `remap` replaced by the given keys; a
    /// row that changed shows its keys in force in the help and the footer.
    pub fn remapped(
        base: &[Binding<A>],
        name: impl Fn(&A) -> &'static str,
        remap: &[(String, Vec<Key>)],
    ) -> Table<A> {
        // A remapped action's keys go where its first code was; its other codes go.
        let mut placed: Vec<&'static str> = Vec::new();
        let rows = base
            .iter()
            .map(|row| {
                let mut codes: Vec<(Key, A)> = Vec::new();
                let mut changed = false;
                for (k, action) in row.codes {
                    let action_name = name(action);
                    match remap.iter().find(|(n, _)| n == action_name) {
                        None => codes.push((*k, action.clone())),
                        Some(_) if placed.contains(&action_name) => changed = true,
                        Some((_, keys)) => {
                            placed.push(action_name);
                            changed = true;
                            codes.extend(keys.iter().map(|k| (*k, action.clone())));
                        }
                    }
                }
                // Moved to the keys it had: the row reads as built.
                let same = codes.len() == row.codes.len()
                    && codes.iter().zip(row.codes).all(|((a, _), (b, _))| a == b);
                if !changed || same {
                    return Row {
                        keys: row.keys.to_string(),
                        help: row.help,
                        footer: row.footer.map(str::to_string),
                        codes,
                    };
                }
                let labels: Vec<String> = codes.iter().map(|(k, _)| key_label(k)).collect();
                let what = row
                    .footer
                    .and_then(|f| f.split_once(' '))
                    .map(|(_, what)| what);
                Row {
                    keys: labels.join(" / "),
                    help: row.help,
                    footer: what.map(|what| format!("{} {what}", labels.join("/"))),
                    codes,
                }
            })
            .collect();
        Table { rows }
    }

    /// The action of the first row (in table order) with a code matching `key`.
    pub fn lookup(&self, key: &KeyEvent) -> Option<A> {
        self.rows
            .iter()
            .flat_map(|row| row.codes.iter())
            .find(|(k, _)| k.matches(key))
            .map(|(_, action)| action.clone())
    }

    /// The footer's (key, what) pairs, split at the first space of each short form.
    pub fn footer_pairs(&self) -> Vec<(String, String)> {
        self.rows
            .iter()
            .filter_map(|row| row.footer.as_deref())
            .filter_map(|f| f.split_once(' '))
            .map(|(k, w)| (k.to_string(), w.to_string()))
            .collect()
    }

    /// The footer: the short forms of the rows that have one, `separator` apart.
    pub fn footer(&self, separator: &str) -> String {
        self.rows
            .iter()
            .filter_map(|row| row.footer.as_deref())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// A paste as one line of a text field: each line break (and tab) becomes one space, other
/// control characters are dropped; every other character is kept.
pub fn pasted_line(text: &str) -> String {
    let mut line = String::with_capacity(text.len());
    let mut last_was_break = false;
    for c in text.chars() {
        if c == '\n' && last_was_break {
            // "\r\n" is one line break.
            last_was_break = false;
            continue;
        }
        last_was_break = c == '\r';
        match c {
            '\r' | '\n' | '\t' => line.push(' '),
            c if c.is_control() => {}
            c => line.push(c),
        }
    }
    line
}

/// A key as a terminal sends it, for the screens' tests: a name (`Space`, `Enter`, `Esc`,
/// `Tab`, `Up`, `Down`, `Left`, `Right`, `Bs`, `C-c`) or one character (a capital comes with Shift).
#[cfg(test)]
pub fn key_named(name: &str) -> KeyEvent {
    let (code, modifiers) = match name {
        "Space" => (KeyCode::Char(' '), KeyModifiers::NONE),
        "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
        "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
        "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
        "Up" => (KeyCode::Up, KeyModifiers::NONE),
        "Down" => (KeyCode::Down, KeyModifiers::NONE),
        "Left" => (KeyCode::Left, KeyModifiers::NONE),
        "Right" => (KeyCode::Right, KeyModifiers::NONE),
        "Bs" => (KeyCode::Backspace, KeyModifiers::NONE),
        "C-c" => (KeyCode::Char('c'), KeyModifiers::CONTROL),
        one => {
            let c = one.chars().next().expect("a key name or one character");
            let modifiers = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            (KeyCode::Char(c), modifiers)
        }
    };
    KeyEvent::new(code, modifiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[Binding<u8>] = &[
        Binding {
            keys: "S-Left",
            help: "far back",
            footer: None,
            codes: &[(shift(KeyCode::Left), 1)],
        },
        Binding {
            keys: "Left / h",
            help: "back",
            footer: Some("<- back"),
            codes: &[(key(KeyCode::Left), 2), (ch('h'), 2)],
        },
        Binding {
            keys: "D",
            help: "previous",
            footer: Some("D prev"),
            codes: &[(ch('D'), 3)],
        },
    ];

    #[test]
    fn the_first_matching_row_wins_and_shift_is_told_apart_only_where_asked() {
        let left = KeyEvent::new(KeyCode::Left, KeyModifiers::NONE);
        let shift_left = KeyEvent::new(KeyCode::Left, KeyModifiers::SHIFT);
        let capital = KeyEvent::new(KeyCode::Char('D'), KeyModifiers::SHIFT);
        assert_eq!(lookup(TABLE, &left), Some(2));
        assert_eq!(lookup(TABLE, &shift_left), Some(1));
        assert_eq!(lookup(TABLE, &capital), Some(3));
        assert_eq!(
            lookup(
                TABLE,
                &KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)
            ),
            None
        );
        assert_eq!(footer(TABLE, "  "), "<- back  D prev");
        assert_eq!(doc_rows(TABLE)[1], "| `Left / h` | back |");
    }

    #[test]
    fn a_paste_becomes_one_line_with_every_character_kept() {
        assert_eq!(
            pasted_line("first\r\nsecond\nthird\rfourth"),
            "first second third fourth"
        );
        assert_eq!(pasted_line("a\tb\u{1b}[31mc"), "a b[31mc");
        assert_eq!(pasted_line("dose 5 mg/kg é"), "dose 5 mg/kg é");
    }
}
