//! Errors about a file the user gave us: they always name the file, the line and the column,
//! say what is wrong, and say what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A position in a text file, both 1-based, as editors show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Something wrong inside a file the user can open and fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FileError {
    pub path: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    /// What the user can do about it.
    pub hint: String,
}

impl FileError {
    pub fn new(path: &Path, location: Option<Location>, message: impl Into<String>) -> Self {
        FileError {
            path: path.to_path_buf(),
            location,
            message: message.into(),
            hint: String::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// Wraps ron's parse error, which carries the position of the bad token.
    pub fn from_ron(path: &Path, error: &ron::error::SpannedError) -> Self {
        let location = Location {
            line: error.span.start.line.max(1),
            column: error.span.start.col.max(1),
        };
        FileError::new(path, Some(location), error.code.to_string())
    }

    /// Wraps serde_json's parse error, which carries the position of the bad token.
    pub fn from_json(path: &Path, error: &serde_json::Error) -> Self {
        let location = (error.line() > 0).then(|| Location {
            line: error.line(),
            column: error.column().max(1),
        });
        FileError::new(path, location, error.to_string())
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(at) = self.location {
            write!(f, ":{}:{}", at.line, at.column)?;
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// Finds the 1-based line and column of the `nth` (0-based) occurrence of `needle`, for
/// errors found after parsing, when the parser's positions are gone.
pub fn locate(text: &str, needle: &str, nth: usize) -> Option<Location> {
    let offset = text.match_indices(needle).nth(nth)?.0;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Some(Location { line, column })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_columns_from_one() {
        let text = "a\n  bb\n  bb";
        assert_eq!(locate(text, "bb", 0), Some(Location { line: 2, column: 3 }));
        assert_eq!(locate(text, "bb", 1), Some(Location { line: 3, column: 3 }));
        assert_eq!(locate(text, "bb", 2), None);
    }

    #[test]
    fn display_names_file_line_column_and_hint() {
        let e = FileError::new(
            Path::new("x.ron"),
            Some(Location { line: 4, column: 9 }),
            "unknown field `foo`",
        )
        .with_hint("remove it");
        assert_eq!(
            e.to_string(),
            "x.ron:4:9: unknown field `foo`\n  hint: remove it"
        );
    }
}
