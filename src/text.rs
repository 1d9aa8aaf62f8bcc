//! Text that leaves the program (standard output, standard error, written reports and exports)
//! with its control characters made visible: a session or pathway file is hostile input, and a
//! raw ESC, BEL, CSI or OSC from it would let the file drive the reader's terminal (set its
//! title, clear the screen, hide lines) when the output is printed or a written file is `cat`.
//!
//! Every C0 control, DEL and C1 control becomes a visible Rust-style escape (`\u{1b}`), except
//! the three layout characters every output needs: line feed, tab, and a carriage return
//! directly before a line feed (CSV rows end with CRLF). A lone carriage return is escaped: it
//! would let later text overwrite a line on the screen.
//!
//! JSON output has its own spelling (`\u001b`, [`escape_json_controls`]): `serde_json` escapes
//! C0 controls itself but writes DEL and C1 controls (U+0080 to U+009F, CSI and OSC among
//! them) raw.

use std::borrow::Cow;
use std::fmt::{self, Display, Write};

/// True for a character that is written as an escape. `cr_before_lf`: the character is a
/// carriage return followed by a line feed.
fn must_escape(c: char, cr_before_lf: bool) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t') && !(c == '\r' && cr_before_lf)
}

/// False when no control character can be in `bytes`: none starts with a byte below 0x20
/// (line feed and tab aside), 0x7f or 0xc2. Checked 64 bytes at a time without branching
/// inside, which the compiler turns into vector instructions.
pub fn may_hold_controls(bytes: &[u8]) -> bool {
    let flag = |b: u8| ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7f) | (b == 0xc2);
    let mut chunks = bytes.chunks_exact(64);
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | flag(b)) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| flag(b))
}

/// The text with its control characters escaped (see the module's comment); borrowed when
/// there is nothing to escape, so the common case costs one scan.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape(text, Spelling::Rust)
}

/// JSON text (as `serde_json` writes it) with the control characters it leaves raw written as
/// JSON escapes (`\u009b`): every such character is inside a string, where the escape means
/// the same character to a JSON reader.
pub fn escape_json_controls(text: &str) -> Cow<'_, str> {
    escape(text, Spelling::Json)
}

/// How an escaped character is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spelling {
    /// `\u{1b}`, as Rust and RON write it: for text people read.
    Rust,
    /// `\u001b`: inside JSON strings.
    Json,
}

fn escape(text: &str, spelling: Spelling) -> Cow<'_, str> {
    // Every control character's UTF-8 starts with a byte below 0x20, 0x7f (DEL) or 0xc2 (the
    // C1 controls, U+0080 to U+009F): text without those is returned as it is after one byte
    // scan (the common case, and a fast one: `compare` passes every trace's output here).
    if !may_hold_controls(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let mut chars = text.char_indices().peekable();
    let first = loop {
        match chars.next() {
            None => return Cow::Borrowed(text),
            Some((i, c)) if must_escape(c, c == '\r' && text[i + 1..].starts_with('\n')) => {
                break i;
            }
            Some(_) => {}
        }
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    let mut writer = EscapingWriter {
        out: &mut out,
        pending_cr: false,
        spelling,
    };
    // Writing into a String never fails.
    let _ = writer.write_str(&text[first..]);
    let _ = writer.finish();
    Cow::Owned(out)
}

/// Displays its value with control characters escaped: `println!("{}", Escaped(&site))`,
/// `eprintln!("error: {}", Escaped(&error))`. Works for anything that implements `Display`.
#[derive(Debug, Clone, Copy)]
pub struct Escaped<T>(pub T);

impl<T: Display> Display for Escaped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_some() || f.precision().is_some() {
            // `{:<28}`: pad the escaped text, as the reader sees it.
            return f.pad(&escape_controls(&self.0.to_string()));
        }
        let mut writer = EscapingWriter {
            out: f,
            pending_cr: false,
            spelling: Spelling::Rust,
        };
        write!(writer, "{}", self.0)?;
        writer.finish()
    }
}

/// Escapes as it writes. A carriage return at the end of one piece waits for the next piece
/// to tell whether a line feed follows it.
struct EscapingWriter<W: Write> {
    out: W,
    pending_cr: bool,
    spelling: Spelling,
}

impl<W: Write> EscapingWriter<W> {
    fn escape(&mut self, c: char) -> fmt::Result {
        match self.spelling {
            Spelling::Rust => write!(self.out, "\\u{{{:x}}}", u32::from(c)),
            Spelling::Json => write!(self.out, "\\u{:04x}", u32::from(c)),
        }
    }

    fn finish(&mut self) -> fmt::Result {
        if std::mem::take(&mut self.pending_cr) {
            self.escape('\r')?;
        }
        Ok(())
    }
}

impl<W: Write> Write for EscapingWriter<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if s.is_empty() {
            return Ok(());
        }
        if std::mem::take(&mut self.pending_cr) {
            if s.starts_with('\n') {
                self.out.write_char('\r')?;
            } else {
                self.escape('\r')?;
            }
        }
        let mut plain_from = 0;
        for (i, c) in s.char_indices() {
            if !c.is_control() {
                continue;
            }
            let next = &s[i + c.len_utf8()..];
            if c == '\r' && next.is_empty() {
                self.out.write_str(&s[plain_from..i])?;
                self.pending_cr = true;
                return Ok(());
            }
            if must_escape(c, next.starts_with('\n')) {
                self.out.write_str(&s[plain_from..i])?;
                self.escape(c)?;
                plain_from = i + c.len_utf8();
            }
        }
        self.out.write_str(&s[plain_from..])
    }
}

/// `1 session`, `2 sessions`: a count with its noun.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_become_visible_escapes() {
        // OSC 0 (window title) ended by BEL, then CSI 2J (clear screen).
        assert_eq!(
            escape_controls("north\u{1b}]0;pwned\u{7}\u{1b}[2J"),
            "north\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"
        );
        // C1 CSI and OSC, DEL, NUL, a lone carriage return, backspace.
        assert_eq!(
            escape_controls("a\u{9b}2J\u{9d}0;x\u{7f}\0b\rc\u{8}"),
            "a\\u{9b}2J\\u{9d}0;x\\u{7f}\\u{0}b\\u{d}c\\u{8}"
        );
        assert_eq!(escape_controls("ends with\r"), "ends with\\u{d}");
    }

    #[test]
    fn json_gets_json_escapes_that_read_back_as_the_same_text() {
        let value = serde_json::json!({ "site": "a\u{9b}2J\u{7f}\u{1b}]0;t\u{7}" });
        let written = serde_json::to_string_pretty(&value).unwrap();
        assert!(
            written.contains('\u{9b}'),
            "serde_json leaves C1 raw: {written:?}"
        );
        let safe = escape_json_controls(&written);
        assert!(
            !safe.chars().any(|c| c.is_control() && c != '\n'),
            "{safe:?}"
        );
        assert!(safe.contains("\\u009b2J\\u007f"), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn layout_characters_and_ordinary_text_are_kept_borrowed() {
        for text in [
            "",
            "plain",
            "two\nlines\n",
            "a\tb",
            "row,1\r\nrow,2\r\n",
            "naïve café 東京 🙂",
        ] {
            assert!(
                matches!(escape_controls(text), Cow::Borrowed(_)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_display_wrapper_escapes_the_same_across_pieces() {
        struct Pieces;
        impl Display for Pieces {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a\r")?;
                f.write_str("\nb\r")?;
                f.write_str("c\u{1b}[31m")?;
                f.write_str("\r")
            }
        }
        assert_eq!(
            Escaped(Pieces).to_string(),
            "a\r\nb\\u{d}c\\u{1b}[31m\\u{d}"
        );
        assert_eq!(
            Escaped("x\u{1b}[2Jy\r\n").to_string(),
            escape_controls("x\u{1b}[2Jy\r\n")
        );
        // Padding applies to the escaped text.
        assert_eq!(format!("{:>8}|", Escaped("\u{7}")), "   \\u{7}|");
        assert_eq!(format!("{:<3}|", Escaped("ab")), "ab |");
    }

    mod random {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn no_raw_control_character_survives(text in "\\PC{0,20}[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{0,5}\\PC{0,20}") {
                let out = escape_controls(&text);
                let bytes: Vec<char> = out.chars().collect();
                for (i, c) in bytes.iter().enumerate() {
                    let allowed = matches!(c, '\n' | '\t')
                        || (*c == '\r' && bytes.get(i + 1) == Some(&'\n'));
                    prop_assert!(!c.is_control() || allowed, "{text:?} -> {out:?}");
                }
                prop_assert_eq!(Escaped(&text).to_string(), out.into_owned());
            }
        }
    }
}
