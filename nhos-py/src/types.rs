//! The Python classes: frozen, thread-safe views over `nhos_core` values. Each
//! delegates to the core; none holds logic of its own beyond conversion.

use crate::error::Result;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::sync::Arc;

fn json_to_py(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

/// A load diagnostic.
#[pyclass(frozen, module = "nhos._nhos", get_all)]
#[derive(Clone)]
pub struct Diagnostic {
    pub code: String,
    pub severity: String,
    pub message: String,
    pub hint: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

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

/// Where a value came from.
#[pyclass(frozen, module = "nhos._nhos", get_all)]
#[derive(Clone)]
pub struct Origin {
    /// "profile", "capability", "branding", "policy" or "default".
    pub via: String,
    pub profile: Option<String>,
    pub capability: Option<String>,
    pub file: String,
    pub line: u32,
    pub column: u32,
}

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
pub struct Setting {
    #[pyo3(get)]
    pub key: String,
    value: Py<PyAny>,
    #[pyo3(get)]
    pub origin: Origin,
    overrode: Vec<(Py<PyAny>, Origin)>,
}

#[pymethods]
impl Setting {
    #[getter]
    fn value(&self, py: Python<'_>) -> Py<PyAny> {
        self.value.clone_ref(py)
    }
    /// The values this one overrode, nearest first, as (value, origin) pairs.
    #[getter]
    fn overrode(&self, py: Python<'_>) -> Vec<(Py<PyAny>, Origin)> {
        self.overrode
            .iter()
            .map(|(v, o)| (v.clone_ref(py), o.clone()))
            .collect()
    }
    fn __repr__(&self, py: Python<'_>) -> String {
        let v = self
            .value
            .bind(py)
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_default();
        format!(
            "<Setting {} = {v} at {}:{}:{}>",
            self.key, self.origin.file, self.origin.line, self.origin.column
        )
    }
}

/// A resolved profile.
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
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }
    #[getter]
    fn role(&self) -> Option<&'static str> {
        self.get().role.map(|r| r.as_str())
    }
    #[getter]
    fn is_abstract(&self) -> bool {
        self.get().is_abstract
    }
    #[getter]
    fn parents(&self) -> Vec<String> {
        self.get().parents.clone()
    }
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
    fn settings(&self, py: Python<'_>) -> PyResult<std::collections::BTreeMap<String, Setting>> {
        let mut out = std::collections::BTreeMap::new();
        for (k, s) in &self.get().settings {
            let overrode = s
                .overrode
                .iter()
                .map(|o| Ok((setting_to_py(py, &o.value)?, Origin::from(&o.origin))))
                .collect::<PyResult<_>>()?;
            out.insert(
                k.clone(),
                Setting {
                    key: k.clone(),
                    value: setting_to_py(py, &s.value)?,
                    origin: Origin::from(&s.origin),
                    overrode,
                },
            );
        }
        Ok(out)
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

#[pymethods]
impl Finding {
    #[getter]
    fn rule(&self) -> &str {
        &self.inner.rule
    }
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }
    #[getter]
    fn severity(&self) -> &'static str {
        self.inner.severity.as_str()
    }
    #[getter]
    fn status(&self) -> &'static str {
        self.inner.status.as_str()
    }
    #[getter]
    fn profile(&self) -> Option<&str> {
        self.inner.profile.as_deref()
    }
    #[getter]
    fn subject(&self) -> &str {
        &self.inner.subject
    }
    #[getter]
    fn message(&self) -> &str {
        &self.inner.message
    }
    #[getter]
    fn remediation(&self) -> &str {
        &self.inner.remediation
    }
    #[getter]
    fn file(&self) -> Option<&str> {
        self.inner.location.as_ref().map(|l| l.file.as_str())
    }
    #[getter]
    fn line(&self) -> Option<u32> {
        self.inner.location.as_ref().map(|l| l.line)
    }
    #[getter]
    fn waiver(&self) -> Option<&str> {
        self.inner.waiver.as_deref()
    }
    #[getter]
    fn fingerprint(&self) -> &str {
        &self.inner.fingerprint
    }
    #[getter]
    fn new(&self) -> Option<bool> {
        self.inner.new
    }
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &serde_json::to_string(&self.inner).unwrap_or_default())
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

#[pymethods]
impl Report {
    #[getter]
    fn findings(&self) -> Vec<Finding> {
        self.inner
            .findings
            .iter()
            .map(|f| Finding { inner: f.clone() })
            .collect()
    }
    #[getter]
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(
            py,
            &serde_json::to_string(&self.inner.summary).unwrap_or_default(),
        )
    }
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
    fn to_json(&self) -> String {
        nhos_core::validate::format::json(&self.inner)
    }
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &self.to_json())
    }
    fn to_text(&self) -> String {
        nhos_core::validate::format::text(&self.inner)
    }
    fn to_sarif(&self) -> String {
        nhos_core::validate::format::sarif(&self.inner)
    }
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
    fn _repr_html_(&self) -> String {
        let s = &self.inner.summary;
        let mut out = format!(
            "<p><b>nhos report</b> ({}): {} errors, {} warnings, {} info; {} waived, {} manual</p><table><tr><th>rule</th><th>status</th><th>profile</th><th>finding</th><th>where</th></tr>",
            html(&self.inner.today),
            s.errors,
            s.warnings,
            s.infos,
            s.waived,
            s.manual
        );
        for f in &self.inner.findings {
            let at = f
                .location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default();
            let status = Finding { inner: f.clone() }.status().to_owned();
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                html(&f.rule),
                html(if status == "open" {
                    f.severity.as_str()
                } else {
                    &status
                }),
                html(f.profile.as_deref().unwrap_or("estate")),
                html(&f.message),
                html(&at)
            ));
        }
        out.push_str("</table>");
        out
    }
}

/// A plan: what a change does to the estate.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Plan {
    pub(crate) inner: nhos_core::Plan,
}

#[pymethods]
impl Plan {
    #[getter]
    fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
    #[getter]
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(
            py,
            &serde_json::to_string(&self.inner.summary).unwrap_or_default(),
        )
    }
    /// Names of the profiles that change (present on both sides).
    #[getter]
    fn changed_profiles(&self) -> Vec<String> {
        self.inner.profiles.iter().map(|p| p.name.clone()).collect()
    }
    fn to_json(&self) -> String {
        nhos_core::plan::format::json(&self.inner)
    }
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &self.to_json())
    }
    fn to_text(&self) -> String {
        nhos_core::plan::format::text(&self.inner, false)
    }
    fn to_markdown(&self) -> String {
        nhos_core::plan::format::markdown(&self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "<Plan {}>",
            nhos_core::plan::format::summary_line(&self.inner)
        )
    }
    fn _repr_html_(&self) -> String {
        format!("<pre>{}</pre>", html(&self.to_text()))
    }
}

/// The answer of `Estate.explain`.
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Explanation {
    pub(crate) inner: nhos_core::Explanation,
}

#[pymethods]
impl Explanation {
    #[getter]
    fn kind(&self) -> &str {
        &self.inner.kind
    }
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
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &serde_json::to_string(&self.inner).unwrap_or_default())
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

/// What an edit did (or, with dry_run, would do).
#[pyclass(frozen, module = "nhos._nhos")]
pub struct EditResult {
    pub(crate) inner: nhos_core::EditResult,
}

#[pymethods]
impl EditResult {
    /// The unified diff of the change.
    #[getter]
    fn diff(&self) -> String {
        self.inner.diff()
    }
    /// Files the edit changes.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.inner.files.keys().cloned().collect()
    }
    #[getter]
    fn findings_added(&self) -> Vec<Finding> {
        self.inner
            .findings_added
            .iter()
            .map(|f| Finding { inner: f.clone() })
            .collect()
    }
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
