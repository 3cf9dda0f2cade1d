//! One definition file: bytes → TOML → structural check → typed value.

use crate::diagnostic::{Code, Diagnostic};
use crate::schema::{FileKind, schema_for};
use crate::source::SourceFile;
use crate::structure::Walker;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::OnceLock;
use toml::de::DeTable;

fn schema(kind: FileKind) -> &'static Value {
    static SCHEMAS: OnceLock<[Value; 4]> = OnceLock::new();
    let all = SCHEMAS.get_or_init(|| FileKind::ALL.map(schema_for));
    &all[kind as usize]
}

/// Decodes a file's bytes, reporting non-UTF-8 at the first bad byte.
pub(crate) fn decode(path: &str, bytes: Vec<u8>) -> Result<SourceFile, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(path, text)),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]).into_owned();
            let file = SourceFile::new(path, prefix);
            Err(Diagnostic::error(
                Code::NotUtf8,
                Some(file.location(good..good)),
                format!("`{path}` is not valid UTF-8 (first bad byte at offset {good})"),
            )
            .with_hint("save the file as UTF-8"))
        }
    }
}

/// Parses one file of the given kind. Returns the typed value when the file is
/// well-formed, and every diagnostic found either way.
pub(crate) fn parse_file<T: DeserializeOwned>(
    file: &SourceFile,
    kind: FileKind,
) -> (Option<T>, Vec<Diagnostic>) {
    if let Some(at) = too_deep(&file.text, MAX_NESTING) {
        return (
            None,
            vec![
                Diagnostic::error(
                    Code::Syntax,
                    Some(file.location(at..at + 1)),
                    format!("arrays and inline tables are nested more than {MAX_NESTING} deep"),
                )
                .with_hint("a definition never needs this; check the file for stray brackets"),
            ],
        );
    }
    let (table, errors) = DeTable::parse_recoverable(&file.text);
    if !errors.is_empty() {
        let diags = errors
            .into_iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let msg = e.message().trim().trim_end_matches('.').to_owned();
                Diagnostic::error(
                    Code::Syntax,
                    Some(file.location(span)),
                    format!("invalid TOML: {msg}"),
                )
                .with_hint("see https://toml.io for the syntax")
            })
            .collect();
        return (None, diags);
    }
    let mut walker = Walker::new(schema(kind), file);
    walker.check_characters(&table);
    walker.check_table(&table, schema(kind), "");
    if !walker.diagnostics.is_empty() {
        return (None, walker.diagnostics);
    }
    match T::deserialize(toml::de::Deserializer::from(table)) {
        Ok(v) => (Some(v), Vec::new()),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().trim_end_matches('.').to_owned();
            (
                None,
                vec![Diagnostic::error(
                    Code::InvalidValue,
                    Some(file.location(span)),
                    msg,
                )],
            )
        }
    }
}

/// How deep arrays and inline tables may nest (a real definition uses 3).
pub const MAX_NESTING: usize = 64;

/// The offset of the first `[` or `{` nested deeper than `max`, outside strings and
/// comments, if any: a cheap scan before the parser, so that a file of brackets
/// costs nothing. (Brackets of valid TOML balance, table headers included.)
fn too_deep(text: &str, max: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let fence = [q, q, q];
                if b.get(i..i + 3) == Some(&fence[..]) {
                    i += 3;
                    while i < b.len() && b.get(i..i + 3) != Some(&fence[..]) {
                        if q == b'"' && b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                    i += 2;
                } else {
                    i += 1;
                    while i < b.len() && b[i] != q && b[i] != b'\n' {
                        if q == b'"' && b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::too_deep;

    #[test]
    fn nesting_is_counted_outside_strings_and_comments() {
        assert_eq!(too_deep("a = [[[1]]]\n[t]\nb = { c = [1] }\n", 3), None);
        assert_eq!(too_deep("a = [[[[1]]]]\n", 3), Some(7));
        assert_eq!(
            too_deep(
                "a = \"[[[[[\"\n# [[[[[[\nb = '''[[[[[\n[[['''\nc = \"\"\"[[[[\"\"\"\n",
                3
            ),
            None
        );
        assert_eq!(too_deep("a = \"\\\"[[[[\"\n", 3), None);
        assert_eq!(too_deep(&"[".repeat(100), 64), Some(64));
        assert_eq!(too_deep("[[t]]\n[[t]]\n[[t]]\n", 2), None);
    }
}
