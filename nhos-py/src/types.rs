//! The Python classes of a resolved estate: profiles, settings, origins, and load
//! diagnostics. Frozen, thread-safe views over `nhos_core` values; each delegates
//! to the core. Reports are in `report.rs`, plans and the other results in
//! `results.rs`.

use crate::error::Result;
use crate::plain;
use crate::value_methods;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub(crate) fn json_to_py(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
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
