//! Reports and their findings.

use crate::types::json_to_py;
use crate::value::to_json;
use crate::value_methods;
use crate::wraps;
use pyo3::prelude::*;

/// One finding of a validation report.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Finding {
    pub(crate) inner: nhos_core::Finding,
}
wraps!(Finding, nhos_core::Finding);
value_methods!(Finding);

#[pymethods]
impl Finding {
    /// The rule ID, e.g. "R5" (see docs/rules.md).
    #[getter]
    fn rule(&self) -> &str {
        &self.inner.rule
    }
    /// The rule's title.
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }
    /// "error", "warning" or "info".
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }
    /// "open", "waived", "manual" or "not-enforced".
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }
    /// The profile, or None for an estate-wide finding.
    #[getter]
    fn profile(&self) -> Option<&str> {
        self.inner.profile.as_deref()
    }
    /// What the finding is about (a setting key, an asset, a waiver).
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.subject
    }
    /// What is wrong.
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }
    /// What to do about it.
    #[getter]
    fn remediation(&self) -> &str {
        &self.inner.remediation
    }
    /// The definition file of the value behind the finding.
    #[getter]
    fn file(&self) -> Option<&str> {
        self.inner.location.as_ref().map(|l| l.file.as_str())
    }
    /// Its 1-based line (None when the finding points at a whole file or none).
    #[getter]
    fn line(&self) -> Option<u32> {
        self.inner
            .location
            .as_ref()
            .filter(|l| l.line > 0)
            .map(|l| l.line)
    }
    /// Its 1-based column, with `line`.
    #[getter]
    fn column(&self) -> Option<u32> {
        self.inner
            .location
            .as_ref()
            .filter(|l| l.line > 0)
            .map(|l| l.column)
    }
    /// The waiver that covers it.
    #[getter]
    fn waiver(&self) -> Option<&str> {
        self.inner.waiver.as_deref()
    }
    /// Stable across edits that move lines: `rule/profile/subject`.
    #[getter]
    fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }
    /// After `Report.ratchet`: whether the finding is new; otherwise None.
    #[getter]
    #[allow(clippy::new_ret_no_self, clippy::wrong_self_convention)]
    fn new(&self) -> Option<bool> {
        self.inner.new
    }
    /// The finding as a dict (the JSON report's finding object).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &to_json(&self.inner)?)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Finding {} {} {} {}: {}>",
            self.inner.rule,
            self.severity(),
            self.status(),
            self.inner.profile.as_deref().unwrap_or("estate"),
            self.inner.message
        )
    }
}

/// A validation report. Findings are data: a report is returned, never raised.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Report {
    pub(crate) inner: nhos_core::Report,
}
wraps!(Report, nhos_core::Report);
value_methods!(Report);

#[pymethods]
impl Report {
    /// Every finding, in report order.
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.inner
            .findings
            .iter()
            .map(|f| Finding { inner: f.clone() })
            .collect()
    }
    /// Counts: errors, warnings, infos (open, by severity), waived, manual,
    /// not_enforced, and new (after `ratchet`).
    #[getter]
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &to_json(&self.inner.summary)?)
    }
    /// The day waivers were judged on (YYYY-MM-DD).
    #[getter]
    fn today(&self) -> &str {
        &self.inner.today
    }
    /// Open error-level findings (only new ones after `ratchet`).
    fn fails(&self) -> bool {
        self.inner.fails()
    }
    /// A copy of the report with findings marked new or not against `baseline`.
    fn ratchet(&self, baseline: &Report) -> Report {
        let mut r = self.inner.clone();
        r.ratchet(&baseline.inner);
        Report { inner: r }
    }
    /// Reads a report saved with `to_json()`.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Report> {
        nhos_core::Report::from_json(text)
            .map(|inner| Report { inner })
            .map_err(crate::error::UsageError::new_err)
    }
    /// The report as JSON (schema `nhos-report/1`).
    fn to_json(&self) -> String {
        nhos_core::validate::format::json(&self.inner)
    }
    /// The report as a dict (the parsed `to_json()`).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &self.to_json())
    }
    /// The report as the CLI prints it (no colour).
    fn to_text(&self) -> String {
        nhos_core::validate::format::text(&self.inner)
    }
    /// The report as SARIF 2.1.0.
    fn to_sarif(&self) -> String {
        nhos_core::validate::format::sarif(&self.inner)
    }
    /// The report as JUnit XML (one test case per rule and profile).
    fn to_junit(&self) -> String {
        nhos_core::validate::format::junit(&self.inner)
    }
    fn __repr__(&self) -> String {
        let s = &self.inner.summary;
        format!(
            "<Report {} errors, {} warnings, {} waived, {} manual>",
            s.errors, s.warnings, s.waived, s.manual
        )
    }
    /// The notebook view: summary counts and a styled table of findings with
    /// severity, status, location and remediation.
    fn _repr_html_(&self) -> String {
        crate::html::report(&self.inner)
    }
}
