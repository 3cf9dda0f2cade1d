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
            K::Io => PyErr::from(std::io::Error::new(
                e.io_kind().unwrap_or(std::io::ErrorKind::Other),
                msg,
            )),
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

pub type Result<T> = std::result::Result<T, PyNhosError>;
