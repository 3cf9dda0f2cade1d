//! The exception hierarchy and the mapping from `nhos_core::Error`.
//!
//! `nhos.Error` is the base of every nhos exception; each `ErrorKind` has its own
//! subclass, except I/O failures, which raise the matching built-in `OSError`
//! subclass (`FileNotFoundError`, `PermissionError`, …) as polars does. Validation
//! findings are never raised.

use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(
    nhos._nhos,
    Error,
    PyException,
    "Base class of every nhos error."
);
pyo3::create_exception!(
    nhos._nhos,
    LoadError,
    Error,
    "The estate definition could not be loaded; `.diagnostics` says why."
);
pyo3::create_exception!(
    nhos._nhos,
    EditError,
    Error,
    "An edit could not be applied."
);
pyo3::create_exception!(
    nhos._nhos,
    GenerateError,
    Error,
    "The flake could not be generated or written."
);
pyo3::create_exception!(
    nhos._nhos,
    FindingsError,
    GenerateError,
    "Generation was refused: error-level findings remain (the message lists them). Fix or waive them, or pass `allow_findings=True`."
);
pyo3::create_exception!(
    nhos._nhos,
    GitError,
    Error,
    "A git revision could not be read."
);
pyo3::create_exception!(
    nhos._nhos,
    UsageError,
    Error,
    "An argument was invalid (an unknown profile, a bad date)."
);

/// Newtype for the orphan rule: `nhos_core::Error` → `PyErr`.
pub struct PyNhosError(pub nhos_core::Error);

impl From<nhos_core::Error> for PyNhosError {
    fn from(e: nhos_core::Error) -> Self {
        Self(e)
    }
}

impl From<PyNhosError> for PyErr {
    fn from(PyNhosError(e): PyNhosError) -> PyErr {
        use nhos_core::ErrorKind as K;
        let msg = e.message().to_owned();
        match e.kind() {
            K::Io => os_error(&e),
            K::Load | K::Edit => {
                let err = if e.kind() == K::Load {
                    LoadError::new_err(msg)
                } else {
                    EditError::new_err(msg)
                };
                Python::attach(|py| {
                    let diags: Vec<crate::types::Diagnostic> = e
                        .diagnostics()
                        .iter()
                        .map(crate::types::Diagnostic::from)
                        .collect();
                    if let Ok(list) = pyo3::types::PyTuple::new(py, diags) {
                        let _ = err.value(py).setattr("diagnostics", list);
                    }
                });
                err
            }
            K::Generate => GenerateError::new_err(msg),
            K::Findings => FindingsError::new_err(msg),
            K::Git => GitError::new_err(msg),
            _ => UsageError::new_err(msg),
        }
    }
}

/// The built-in `OSError` subclass for an I/O error, built as Python builds its
/// own: `(errno, strerror, filename)`, so `.errno` and `.filename` are set.
fn os_error(e: &nhos_core::Error) -> PyErr {
    use pyo3::exceptions as x;
    use std::io::ErrorKind as I;
    let kind = e.io_kind().unwrap_or(I::Other);
    // The errno the OS gave, or the usual one for the kind.
    let errno = e.os_error().or(match kind {
        I::NotFound => Some(2),
        I::PermissionDenied => Some(13),
        I::AlreadyExists => Some(17),
        I::InvalidInput => Some(22),
        _ => None,
    });
    let path = e.path().map(str::to_owned);
    let strerror = match &path {
        Some(p) => e
            .message()
            .strip_prefix(p.as_str())
            .and_then(|m| m.strip_prefix(": "))
            .unwrap_or(e.message())
            .to_owned(),
        None => e.message().to_owned(),
    };
    let args = (errno, strerror, path);
    match kind {
        I::NotFound => x::PyFileNotFoundError::new_err(args),
        I::PermissionDenied => x::PyPermissionError::new_err(args),
        I::AlreadyExists => x::PyFileExistsError::new_err(args),
        I::IsADirectory => x::PyIsADirectoryError::new_err(args),
        I::NotADirectory => x::PyNotADirectoryError::new_err(args),
        _ => x::PyOSError::new_err(args),
    }
}

pub type Result<T> = std::result::Result<T, PyNhosError>;
