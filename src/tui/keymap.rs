//! One key table per screen: each row names its keys as the help and the docs show them, says
//! what they do, gives the footer's short form, and lists the key codes with the action each
//! means. Matching, the help, the footer and the docs check all read the same rows.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key code, with Shift when the row needs it (Shift-Left is not Left). A row without Shift
/// matches the key whether or not the terminal reports Shift (capitals arrive with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
/// `Tab`, `Up`, `Down`, `Bs`, `C-c`) or one character (a capital comes with Shift).
#[cfg(test)]
pub fn key_named(name: &str) -> KeyEvent {
    let (code, modifiers) = match name {
        "Space" => (KeyCode::Char(' '), KeyModifiers::NONE),
        "Enter" => (KeyCode::Enter, KeyModifiers::NONE),
        "Esc" => (KeyCode::Esc, KeyModifiers::NONE),
        "Tab" => (KeyCode::Tab, KeyModifiers::NONE),
        "Up" => (KeyCode::Up, KeyModifiers::NONE),
        "Down" => (KeyCode::Down, KeyModifiers::NONE),
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
