//! The Python classes: frozen, thread-safe views over `nhos_core` values. Each
//! delegates to the core; none holds logic of its own beyond conversion.

use crate::error::Result;
use crate::value::{State, to_json};
use crate::value_methods;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

fn json_to_py(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// Implements [`State`] for a class that wraps a core value in `inner`.
macro_rules! wraps {
    ($t:ident, $inner:ty) => {
        impl State for $t {
            type Inner = $inner;
            fn state(&self) -> &$inner {
                &self.inner
            }
            fn from_inner(inner: $inner) -> Self {
                $t { inner }
            }
        }
    };
}

/// Implements [`State`] for a plain class that is its own state.
macro_rules! plain {
    ($t:ident) => {
        impl State for $t {
            type Inner = $t;
            fn state(&self) -> &$t {
                self
            }
            fn from_inner(inner: $t) -> Self {
                inner
            }
        }
    };
}

pub(crate) fn setting_to_py(py: Python<'_>, v: &nhos_core::SettingValue) -> PyResult<Py<PyAny>> {
    use nhos_core::SettingValue as V;
    Ok(match v {
        V::Bool(b) => pyo3::types::PyBool::new(py, *b)
            .to_owned()
            .into_any()
            .unbind(),
        V::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        V::Str(s) => s.into_pyobject(py)?.into_any().unbind(),
        V::List(l) => PyList::new(py, l)?.into_any().unbind(),
        V::Map(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, x)?;
            }
            d.into_any().unbind()
        }
    })
}

/// A load diagnostic: what is wrong with the definition, and where.
#[pyclass(frozen, module = "nhos._nhos")]
#[derive(Clone, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The stable code, e.g. `NHOS101`.
    #[pyo3(get)]
    pub code: String,
    /// "error", "warning" or "info".
    #[pyo3(get)]
    pub severity: String,
    /// What is wrong.
    #[pyo3(get)]
    pub message: String,
    /// What to do about it, when nhos knows.
    #[pyo3(get)]
    pub hint: Option<String>,
    /// The definition file, relative to the estate.
    #[pyo3(get)]
    pub file: Option<String>,
    /// The 1-based line, when the diagnostic points into the file.
    #[pyo3(get)]
    pub line: Option<u32>,
    /// The 1-based column, with `line`.
    #[pyo3(get)]
    pub column: Option<u32>,
}
plain!(Diagnostic);
value_methods!(Diagnostic);

impl From<&nhos_core::Diagnostic> for Diagnostic {
    fn from(d: &nhos_core::Diagnostic) -> Self {
        Diagnostic {
            code: d.code.as_str().to_owned(),
            severity: d.severity.as_str().to_owned(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            file: d.location.as_ref().map(|l| l.file.clone()),
            line: d.location.as_ref().filter(|l| l.line > 0).map(|l| l.line),
            column: d.location.as_ref().filter(|l| l.line > 0).map(|l| l.column),
        }
    }
}

#[pymethods]
impl Diagnostic {
    fn __repr__(&self) -> String {
        let at = match (&self.file, self.line) {
            (Some(f), Some(l)) => format!(" at {f}:{l}:{}", self.column.unwrap_or(0)),
            (Some(f), None) => format!(" in {f}"),
            _ => String::new(),
        };
        format!(
            "<Diagnostic {} {}{at}: {}>",
            self.code, self.severity, self.message
        )
    }
}

/// Where a value came from: the definition line and who set it.
#[pyclass(frozen, module = "nhos._nhos")]
#[derive(Clone, Serialize, Deserialize)]
pub struct Origin {
    /// "profile", "capability", "branding", "policy" or "default".
    #[pyo3(get)]
    pub via: String,
    /// The profile that set it (for "profile" and "capability").
    #[pyo3(get)]
    pub profile: Option<String>,
    /// The capability that set it (for "capability").
    #[pyo3(get)]
    pub capability: Option<String>,
    /// The definition file, relative to the estate.
    #[pyo3(get)]
    pub file: String,
    /// The 1-based line (0 for built-in defaults).
    #[pyo3(get)]
    pub line: u32,
    /// The 1-based column (0 for built-in defaults).
    #[pyo3(get)]
    pub column: u32,
}
plain!(Origin);
value_methods!(Origin);

impl From<&nhos_core::Origin> for Origin {
    fn from(o: &nhos_core::Origin) -> Self {
        use nhos_core::Via;
        let (via, profile, capability) = match &o.via {
            Via::Profile { profile } => ("profile", Some(profile.clone()), None),
            Via::Capability {
                capability,
                profile,
                ..
            } => (
                "capability",
                Some(profile.clone()),
                Some(capability.clone()),
            ),
            Via::Branding => ("branding", None, None),
            Via::Policy => ("policy", None, None),
            Via::Default => ("default", None, None),
        };
        Origin {
            via: via.into(),
            profile,
            capability,
            file: o.location.file.clone(),
            line: o.location.line,
            column: o.location.column,
        }
    }
}

#[pymethods]
impl Origin {
    fn __repr__(&self) -> String {
        format!(
            "<Origin {} at {}:{}:{}>",
            self.via, self.file, self.line, self.column
        )
    }
}

/// An effective setting: its value, where it was set, and what it overrode.
#[pyclass(frozen, module = "nhos._nhos")]
#[derive(Clone, Serialize, Deserialize)]
pub struct Setting {
    /// The dotted setting key, e.g. `screen-lock.idle-delay`.
    #[pyo3(get)]
    pub key: String,
    value: nhos_core::SettingValue,
    /// Where the effective value was set.
    #[pyo3(get)]
    pub origin: Origin,
    overrode: Vec<(nhos_core::SettingValue, Origin)>,
}
plain!(Setting);
value_methods!(Setting);

#[pymethods]
impl Setting {
    /// The value: bool, int, str, list of str or dict of str to str.
    #[getter]
    fn value(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        setting_to_py(py, &self.value)
    }
    /// The values this one overrode, nearest first, as (value, origin) pairs.
    #[getter]
    fn overrode(&self, py: Python<'_>) -> PyResult<Vec<(Py<PyAny>, Origin)>> {
        self.overrode
            .iter()
            .map(|(v, o)| Ok((setting_to_py(py, v)?, o.clone())))
            .collect()
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        let v = setting_to_py(py, &self.value)
            .and_then(|v| v.bind(py).repr().map(|r| r.to_string()))
            .unwrap_or_default();
        format!(
            "<Setting {} = {v} at {}:{}:{}>",
            self.key, self.origin.file, self.origin.line, self.origin.column
        )
    }
}

/// A resolved profile: its effective packages, capabilities and settings, each
/// with the definition line it came from.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Profile {
    estate: Arc<nhos_core::Estate>,
    name: String,
}

impl Profile {
    fn get(&self) -> &nhos_core::Profile {
        &self.estate.profiles[&self.name]
    }
}

#[pymethods]
impl Profile {
    /// The profile's name.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }
    /// "admin", "clinical", "analyst", "dr", "kiosk" or "server"; None when abstract.
    #[getter]
    fn role(&self) -> Option<&'static str> {
        self.get().role.map(|r| r.as_str())
    }
    /// Whether the profile only exists to be inherited (builds no output).
    #[getter]
    fn is_abstract(&self) -> bool {
        self.get().is_abstract
    }
    /// The profiles it inherits, as written.
    #[getter]
    fn parents(&self) -> Vec<String> {
        self.get().parents.clone()
    }
    /// Itself and every ancestor, in the order values are looked up (C3).
    #[getter]
    fn linearization(&self) -> Vec<String> {
        self.get().linearization.clone()
    }
    /// Effective packages: name → origin.
    #[getter]
    fn packages(&self) -> std::collections::BTreeMap<String, Origin> {
        self.get()
            .packages
            .iter()
            .map(|(k, o)| (k.clone(), Origin::from(o)))
            .collect()
    }
    /// Effective capabilities: name → version.
    #[getter]
    fn capabilities(&self) -> std::collections::BTreeMap<String, String> {
        self.get()
            .capabilities
            .iter()
            .map(|(k, u)| (k.clone(), u.version.clone()))
            .collect()
    }
    /// Effective settings: dotted key → Setting.
    #[getter]
    fn settings(&self) -> std::collections::BTreeMap<String, Setting> {
        self.get()
            .settings
            .iter()
            .map(|(k, s)| {
                let overrode = s
                    .overrode
                    .iter()
                    .map(|o| (o.value.clone(), Origin::from(&o.origin)))
                    .collect();
                let setting = Setting {
                    key: k.clone(),
                    value: s.value.clone(),
                    origin: Origin::from(&s.origin),
                    overrode,
                };
                (k.clone(), setting)
            })
            .collect()
    }
    /// Outputs this profile builds, as flake package names.
    #[getter]
    fn outputs(&self) -> Vec<String> {
        self.get()
            .outputs
            .keys()
            .map(|f| format!("{}-{}", self.name, f.as_str()))
            .collect()
    }
    fn __repr__(&self) -> String {
        let p = self.get();
        format!(
            "<Profile {} ({}): {} packages, {} settings>",
            self.name,
            p.role.map_or("abstract", |r| r.as_str()),
            p.packages.len(),
            p.settings.len()
        )
    }
}

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

pub(crate) fn profile(estate: &Arc<nhos_core::Estate>, name: &str) -> Result<Profile> {
    if estate.profiles.contains_key(name) {
        Ok(Profile {
            estate: estate.clone(),
            name: name.to_owned(),
        })
    } else {
        let hint = nhos_core::nearest(name, estate.profiles.keys().map(String::as_str))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        Err(nhos_core::Error::new(
            nhos_core::ErrorKind::Usage,
            format!("no profile `{name}`{hint}"),
        )
        .into())
    }
}
