//! Source files and locations: byte spans turned into the file, line and column
//! a person can find.

use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

/// One definition file as read from disk, with a line index.
///
/// `path` is relative to the estate directory and uses `/` on every platform, so
/// that diagnostics and generated comments never contain an absolute path.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: Arc<str>,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }

    /// A [`Location`] for a byte span in this file.
    pub fn location(&self, span: Range<usize>) -> Location {
        let (line, column) = self.line_col(span.start);
        Location {
            file: self.path.clone(),
            line,
            column,
            span: (span.start, span.end),
        }
    }
}

/// Where a value came from: a file relative to the estate directory, a 1-based line
/// and column, and the byte span (for renderers that underline).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
    #[serde(skip)]
    #[schemars(skip)]
    pub span: (usize, usize),
}

impl Location {
    /// A location that names a file but no position in it.
    pub fn file(path: impl Into<String>) -> Self {
        Self {
            file: path.into(),
            line: 0,
            column: 0,
            span: (0, 0),
        }
    }

    /// A location inside the built-in capability catalogue.
    pub fn builtin(what: &str) -> Self {
        Self::file(format!("<builtin>/{what}"))
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("a.toml", "ab\ncé = 1\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'é' is two bytes; the '=' after it is the fourth character.
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_col(999), (3, 1));
    }
}
