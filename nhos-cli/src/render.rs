//! Renders diagnostics for people (source snippets, colour on a terminal) and for
//! programs (JSON).
//!
//! A snippet shows one line of the definition, cut to a window around the value
//! (a 10 MB line prints a few hundred characters), with control characters and
//! bidirectional overrides shown as `?` / `�`: nothing a file holds can drive the
//! terminal. All diagnostics are drawn into one buffer and written at once.

use codespan_reporting::diagnostic::{Diagnostic as Cs, Label, Severity as CsSeverity};
use codespan_reporting::files::{Error as FilesError, Files};
pub use codespan_reporting::term::termcolor::ColorChoice;
use codespan_reporting::term::{self, termcolor::BufferWriter};
use nhos_core::{Diagnostic, Severity, SourceFile};
use std::collections::BTreeMap;
use std::ops::Range;

pub fn color_choice(stream_is_tty: bool) -> ColorChoice {
    if std::env::var_os("NO_COLOR").is_some() || !stream_is_tty {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    }
}

/// Characters before and after the value that a snippet shows of a long line.
const BEFORE: usize = 80;
const AFTER: usize = 160;

/// What a terminal may be shown of a character: itself, or a placeholder for
/// controls (other than tab), DEL, C1 controls, bidirectional overrides and
/// invisible marks.
pub fn shown(c: char) -> char {
    match c {
        '\t' => '\t',
        '\u{0}'..='\u{1f}' | '\u{7f}' => '?',
        '\u{80}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}' => '\u{fffd}',
        c => c,
    }
}

/// Text safe to print on a terminal (see [`shown`]); line breaks are kept.
pub fn terminal_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\n' { c } else { shown(c) })
        .collect()
}

/// One line of a source file, windowed and made safe, standing in for the file.
struct Snippet {
    name: String,
    /// The line's number in the real file (1-based).
    line: usize,
    /// The characters of the real line cut off before the window.
    skipped: usize,
    text: String,
    /// Where the window's own characters start in `text` (after a leading `…`).
    lead: usize,
}

impl Snippet {
    /// The snippet of `src` around `span`, and the label's range in it.
    fn new(src: &SourceFile, line_no: usize, span: (usize, usize)) -> (Snippet, Range<usize>) {
        let text = &src.text;
        let start = span.0.min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = &text[line_start..line_end];
        let col = text[line_start..start].chars().count();
        let total = line.chars().count();
        let first = col.saturating_sub(BEFORE);
        let last = (col + AFTER).min(total);
        let mut out = String::new();
        if first > 0 {
            out.push('…');
        }
        let lead = out.len();
        let (mut label_start, mut label_end) = (None, None);
        let span_end = span.1.clamp(start, line_end);
        for (i, (byte, c)) in line.char_indices().enumerate() {
            if i < first {
                continue;
            }
            if i >= last {
                break;
            }
            let abs = line_start + byte;
            if abs >= start && label_start.is_none() {
                label_start = Some(out.len());
            }
            if abs >= span_end && label_end.is_none() {
                label_end = Some(out.len());
            }
            out.push(shown(c));
        }
        let label_start = label_start.unwrap_or(out.len());
        let label_end = label_end.unwrap_or(out.len()).max(label_start + 1);
        if last < total {
            out.push('…');
        }
        out.push('\n');
        let label_end = label_end.min(out.len());
        (
            Snippet {
                name: src.path.clone(),
                line: line_no,
                skipped: first,
                text: out,
                lead,
            },
            label_start..label_end,
        )
    }
}

impl<'a> Files<'a> for Snippet {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }
    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }
    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }
    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }
    fn column_number(
        &'a self,
        (): (),
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let i = byte_index.clamp(self.lead, self.text.len());
        let chars = self.text[self.lead..i].chars().count();
        Ok(self.skipped + chars + 1)
    }
    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        if line_index == 0 {
            Ok(0..self.text.len())
        } else {
            Err(FilesError::LineTooLarge {
                given: line_index,
                max: 0,
            })
        }
    }
}

/// Diagnostics drawn for stderr, to be printed later (estates are drawn in
/// parallel and printed in order).
pub struct Drawn {
    color: ColorChoice,
    buffer: codespan_reporting::term::termcolor::Buffer,
}

/// Prints diagnostics with source snippets to stderr, in one write.
pub fn diagnostics(diags: &[Diagnostic], sources: &[SourceFile], color: ColorChoice) {
    print(&draw(diags, sources, color));
}

/// Prints what [`draw`] drew, in one write.
pub fn print(d: &Drawn) {
    let _ = BufferWriter::stderr(d.color).print(&d.buffer);
}

/// Draws diagnostics with source snippets into a buffer.
pub fn draw(diags: &[Diagnostic], sources: &[SourceFile], color: ColorChoice) -> Drawn {
    let by_path: BTreeMap<&str, &SourceFile> =
        sources.iter().map(|s| (s.path.as_str(), s)).collect();
    let writer = BufferWriter::stderr(color);
    let mut buffer = writer.buffer();
    let config = term::Config::default();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Info => CsSeverity::Note,
        };
        let mut cs = Cs::new(sev)
            .with_code(d.code.as_str())
            .with_message(terminal_safe(&d.message));
        let mut notes = Vec::new();
        let snippet = match &d.location {
            Some(loc) if loc.line > 0 => by_path.get(loc.file.as_str()).map(|src| {
                let (snippet, range) = Snippet::new(src, loc.line as usize, loc.span);
                cs = cs.clone().with_labels(vec![Label::primary((), range)]);
                snippet
            }),
            _ => None,
        };
        if let (Some(loc), None) = (&d.location, &snippet) {
            notes.push(format!("in {}", terminal_safe(&loc.to_string())));
        }
        if let Some(h) = &d.hint {
            notes.push(format!("hint: {}", terminal_safe(h)));
        }
        cs = cs.with_notes(notes);
        let drawn = match &snippet {
            Some(s) => term::emit_to_write_style(&mut buffer, &config, s, &cs).is_ok(),
            None => {
                let empty = Snippet {
                    name: String::new(),
                    line: 0,
                    skipped: 0,
                    text: "\n".into(),
                    lead: 0,
                };
                term::emit_to_write_style(&mut buffer, &config, &empty, &cs).is_ok()
            }
        };
        if !drawn {
            use std::io::Write;
            let _ = writeln!(buffer, "{}", terminal_safe(&d.to_string()));
        }
    }
    Drawn { color, buffer }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, span: (usize, usize)) -> String {
        let src = SourceFile::new("profiles/x.toml", text.to_owned());
        let line = text[..span.0].matches('\n').count() + 1;
        let mut d = Diagnostic::error(
            nhos_core::Code::InvalidValue,
            Some(src.location(span.0..span.1)),
            "bad value \u{1b}[31m".to_owned(),
        );
        d.hint = Some("fix \u{202e} it".to_owned());
        assert_eq!(d.location.as_ref().map(|l| l.line as usize), Some(line));
        let writer = BufferWriter::stderr(ColorChoice::Never);
        let mut buffer = writer.buffer();
        let (s, range) = Snippet::new(&src, line, span);
        let cs = Cs::error()
            .with_message(terminal_safe(&d.message))
            .with_labels(vec![Label::primary((), range)])
            .with_notes(vec![terminal_safe(d.hint.as_deref().unwrap_or_default())]);
        term::emit_to_write_style(&mut buffer, &term::Config::default(), &s, &cs).expect("draws");
        String::from_utf8(buffer.into_inner()).expect("utf8")
    }

    #[test]
    fn a_long_line_is_windowed_with_the_right_line_and_column() {
        let long = format!(
            "a = 1\nb = \"{}X{}\"\n",
            "y".repeat(100_000),
            "z".repeat(100_000)
        );
        let x = long.find('X').expect("X");
        let out = render(&long, (x, x + 1));
        assert!(out.len() < 2_000, "{} bytes", out.len());
        assert!(out.contains("profiles/x.toml:2:100006"), "{out}");
        assert!(out.contains('X') && out.contains('…'));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let text = "a = \"\u{1b}]0;owned\u{7}\u{202e}\"\n";
        let out = render(text, (4, text.len() - 1));
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(!out.contains('\u{202e}'));
        assert!(out.contains("profiles/x.toml:1:5"), "{out}");
    }
}

/// Colours a plan's text for a terminal: green `+`, red `-`, yellow `~` lines.
pub fn paint_plan(text: &str, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        let header = t.starts_with("+++") || t.starts_with("---") || t.starts_with("@@");
        let code = match t.chars().next().filter(|_| !header) {
            Some('+') => "32",
            Some('-') => "31",
            Some('~') => "33",
            _ => {
                out.push_str(line);
                continue;
            }
        };
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        out.push_str(&format!("\x1b[{code}m{body}\x1b[0m{end}"));
    }
    out
}

/// Colours a closure diff as `nix store diff-closures` does: a size change that
/// ends a line red (bold) when it grows, green when it shrinks. Only on request.
pub fn paint_sizes(text: &str, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        let size = body
            .strip_suffix(" KiB")
            .and_then(|b| b.rfind(' ').map(|i| i + 1).or(Some(0)))
            .map(|i| &body[i..])
            .filter(|s| s.starts_with(['+', '-']));
        match size {
            Some(s) => {
                let code = if s.starts_with('+') { "31;1" } else { "32;1" };
                let head = &body[..body.len() - s.len()];
                out.push_str(&format!("{head}\x1b[{code}m{s}\x1b[0m"));
                out.push_str(&line[body.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod paint_tests {
    #[test]
    fn closure_sizes_are_painted_like_diff_closures() {
        let text =
            "openssl: 3.0.12 → 3.0.13, +68.5 KiB\ntelnet: 2.1 → ∅, -16.5 KiB\nhello: ∅ → 2.12.1\n";
        assert_eq!(super::paint_sizes(text, false), text);
        assert_eq!(
            super::paint_sizes(text, true),
            "openssl: 3.0.12 → 3.0.13, \x1b[31;1m+68.5 KiB\x1b[0m\n\
             telnet: 2.1 → ∅, \x1b[32;1m-16.5 KiB\x1b[0m\nhello: ∅ → 2.12.1\n"
        );
    }

    #[test]
    fn colours_only_change_lines_and_only_on_request() {
        let text =
            "nhos plan: X\n\n~ profile a\n  + package b\n  - package c\n    --- a/x\n    +++ b/x\n";
        assert_eq!(super::paint_plan(text, false), text);
        let painted = super::paint_plan(text, true);
        assert!(painted.contains("\x1b[33m~ profile a\x1b[0m\n"));
        assert!(painted.contains("\x1b[32m  + package b\x1b[0m\n"));
        assert!(painted.contains("\x1b[31m  - package c\x1b[0m\n"));
        assert!(painted.starts_with("nhos plan: X\n\n"));
        assert!(
            painted.ends_with("    --- a/x\n    +++ b/x\n"),
            "diff headers stay plain"
        );
    }
}
