//! Errors: an operation could not be carried out. Findings are never errors.

use crate::diagnostic::Diagnostic;
use std::fmt;

/// What kind of failure an [`Error`] is. Bindings map each kind to one exception
/// class or C error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io,
    /// The definition could not be loaded; [`Error::diagnostics`] says why.
    Load,
    /// An edit could not be applied.
    Edit,
    /// Generation could not write its output.
    Generate,
    /// Generation was refused: error-level findings remain (and were not allowed).
    Findings,
    /// A git revision could not be read.
    Git,
    /// The caller asked for something invalid (bad argument, unknown name).
    Usage,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Load => "load",
            ErrorKind::Edit => "edit",
            ErrorKind::Generate => "generate",
            ErrorKind::Findings => "findings",
            ErrorKind::Git => "git",
            ErrorKind::Usage => "usage",
        }
    }
}

/// An operation could not be carried out. `Display` is `<kind>: <message>`;
/// `source()` is the underlying I/O error, when there is one.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {message}", kind.as_str())]
pub struct Error {
    kind: ErrorKind,
    message: String,
    io_kind: Option<std::io::ErrorKind>,
    os_error: Option<i32>,
    path: Option<String>,
    diagnostics: Vec<Diagnostic>,
    #[source]
    source: Option<std::sync::Arc<std::io::Error>>,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            io_kind: None,
            os_error: None,
            path: None,
            diagnostics: Vec::new(),
            source: None,
        }
    }

    /// An I/O error on `path` (relative or as the caller gave it).
    pub fn io(path: impl fmt::Display, err: &std::io::Error) -> Self {
        let path = path.to_string();
        Self {
            kind: ErrorKind::Io,
            message: format!("{path}: {err}"),
            io_kind: Some(err.kind()),
            os_error: err.raw_os_error(),
            path: Some(path),
            diagnostics: Vec::new(),
            // io::Error is not Clone: keep an equal one (same OS code or kind and text).
            source: Some(std::sync::Arc::new(match err.raw_os_error() {
                Some(code) => std::io::Error::from_raw_os_error(code),
                None => std::io::Error::new(err.kind(), err.to_string()),
            })),
        }
    }

    /// A load failure carrying every diagnostic (errors and warnings).
    pub fn load(diagnostics: Vec<Diagnostic>) -> Self {
        let n = diagnostics.iter().filter(|d| d.is_error()).count();
        let first = diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(|d| d.to_string())
            .unwrap_or_default();
        let message = if n == 1 {
            format!("the estate could not be loaded: {first}")
        } else {
            format!("the estate could not be loaded: {n} errors; the first: {first}")
        };
        Self {
            kind: ErrorKind::Load,
            message,
            io_kind: None,
            os_error: None,
            path: None,
            diagnostics,
            source: None,
        }
    }

    /// The same error carrying diagnostics.
    pub fn with(mut self, diagnostics: Vec<Diagnostic>) -> Self {
        self.diagnostics = diagnostics;
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    pub fn message(&self) -> &str {
        &self.message
    }
    /// For I/O errors, the underlying [`std::io::ErrorKind`].
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        self.io_kind
    }
    /// For I/O errors from the operating system, its error number (`errno`).
    pub fn os_error(&self) -> Option<i32> {
        self.os_error
    }
    /// For I/O errors, the path involved, as the caller gave it.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }
    /// For load and edit errors, the diagnostics behind them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn io_errors_keep_their_source_path_and_number() {
        let io = std::io::Error::from_raw_os_error(2);
        let e = Error::io("estate/branding.toml", &io);
        assert_eq!(e.kind(), ErrorKind::Io);
        assert_eq!(e.path(), Some("estate/branding.toml"));
        assert_eq!(e.os_error(), Some(2));
        let source = e.source().expect("a source");
        assert_eq!(source.to_string(), io.to_string());
        assert!(e.to_string().starts_with("io: estate/branding.toml: "));
        assert!(Error::new(ErrorKind::Usage, "x").source().is_none());
    }
}
