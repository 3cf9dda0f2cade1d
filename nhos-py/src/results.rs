//! Plans, explanations, edit results and generate drift.

use crate::report::Finding;
use crate::types::json_to_py;
use crate::value::to_json;
use crate::value_methods;
use crate::{plain, wraps};
use pyo3::prelude::*;
use serde::{Deserialize, Serialize};

/// A plan: what a change does to the estate.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Plan {
    pub(crate) inner: nhos_core::Plan,
}
wraps!(Plan, nhos_core::Plan);
value_methods!(Plan);

#[pymethods]
impl Plan {
    /// Whether nothing changes.
    #[getter]
    fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
    /// Counts of what changes (profiles, packages, settings, findings, files).
    #[getter]
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &to_json(&self.inner.summary)?)
    }
    /// Names of the profiles that change (present on both sides).
    #[getter]
    fn changed_profiles(&self) -> Vec<String> {
        self.inner.profiles.iter().map(|p| p.name.clone()).collect()
    }
    /// The plan as JSON (schema `nhos-plan/1`).
    fn to_json(&self) -> String {
        nhos_core::plan::format::json(&self.inner)
    }
    /// The plan as a dict (the parsed `to_json()`).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &self.to_json())
    }
    /// The plan as the CLI prints it (no colour).
    fn to_text(&self) -> String {
        nhos_core::plan::format::text(&self.inner)
    }
    /// The plan as Markdown, for a pull-request comment.
    fn to_markdown(&self) -> String {
        nhos_core::plan::format::markdown(&self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Plan {}>",
            nhos_core::plan::format::summary_line(&self.inner)
        )
    }
    /// The notebook view: summary counts and a styled table of every change with
    /// the definition line behind it.
    fn _repr_html_(&self) -> String {
        crate::html::plan(&self.inner)
    }
}

/// The answer of `Estate.explain`.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Explanation {
    pub(crate) inner: nhos_core::Explanation,
}
wraps!(Explanation, nhos_core::Explanation);
value_methods!(Explanation);

#[pymethods]
impl Explanation {
    /// "package", "removed-package", "capability", "setting" or "option".
    #[getter]
    fn kind(&self) -> &str {
        &self.inner.kind
    }
    /// The effective value, for settings and options.
    #[getter]
    fn value(&self) -> Option<&str> {
        self.inner.value.as_deref()
    }
    /// The chain as (what, where) pairs.
    #[getter]
    fn chain(&self) -> Vec<(String, Option<String>)> {
        self.inner
            .chain
            .iter()
            .map(|s| (s.what.clone(), s.at.clone()))
            .collect()
    }
    /// The explanation as a dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &to_json(&self.inner)?)
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!(
            "<Explanation {} {} in {}>",
            self.inner.kind, self.inner.item, self.inner.profile
        )
    }
}

/// What an edit did (or, with dry_run, would do). The `Estate` it was made on
/// stays as loaded: call `Estate.reload()` for the edited one.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct EditResult {
    pub(crate) inner: nhos_core::EditResult,
}
wraps!(EditResult, nhos_core::EditResult);
value_methods!(EditResult);

#[pymethods]
impl EditResult {
    /// The unified diff of the change.
    #[getter]
    fn diff(&self) -> String {
        self.inner.diff()
    }
    /// Files the edit changes, relative to the estate.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.inner.files.keys().cloned().collect()
    }
    /// Open findings the edit adds.
    #[getter]
    fn findings_added(&self) -> Vec<Finding> {
        self.inner
            .findings_added
            .iter()
            .map(|f| Finding { inner: f.clone() })
            .collect()
    }
    /// Open findings the edit fixes.
    #[getter]
    fn findings_removed(&self) -> Vec<Finding> {
        self.inner
            .findings_removed
            .iter()
            .map(|f| Finding { inner: f.clone() })
            .collect()
    }
    fn __repr__(&self) -> String {
        format!(
            "<EditResult {} file(s), +{} / -{} findings>",
            self.inner.files.len(),
            self.inner.findings_added.len(),
            self.inner.findings_removed.len()
        )
    }
}

/// One way the output directory differs from what `generate` would write
/// (`Estate.generate(out, check=True)`).
#[pyclass(frozen, module = "nhos._nhos")]
#[derive(Clone, Serialize, Deserialize)]
pub struct Drift {
    /// "missing", "changed", "no-longer-generated" or "interrupted".
    #[pyo3(get)]
    pub kind: String,
    /// The file, relative to the output directory (None for "interrupted").
    #[pyo3(get)]
    pub path: Option<String>,
}
plain!(Drift);
value_methods!(Drift);

impl From<&nhos_core::generate::Drift> for Drift {
    fn from(d: &nhos_core::generate::Drift) -> Self {
        use nhos_core::generate::Drift as D;
        let (kind, path) = match d {
            D::Missing(p) => ("missing", Some(p.clone())),
            D::Changed(p) => ("changed", Some(p.clone())),
            D::Extra(p) => ("no-longer-generated", Some(p.clone())),
            D::Interrupted => ("interrupted", None),
        };
        Drift {
            kind: kind.to_owned(),
            path,
        }
    }
}

#[pymethods]
impl Drift {
    fn __repr__(&self) -> String {
        match &self.path {
            Some(p) => format!("<Drift {} {p}>", self.kind),
            None => format!("<Drift {}>", self.kind),
        }
    }
}
