//! `nhos._nhos`: the Python extension module. Registration and the `Estate` class;
//! the other classes are in `types.rs`, the exceptions in `error.rs`. The contract:
//! every object is immutable and safe to share between threads; heavy work runs
//! with the GIL released; findings are returned, never raised; Rust panics surface
//! as `pyo3_runtime.PanicException` and never abort the interpreter.

mod error;
mod html;
mod types;
mod value;

use error::{PyNhosError, Result};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
use types::{EditResult, Explanation, Plan, Profile, Report};

/// A day from Python: "YYYY-MM-DD" or a `datetime.date` (a `datetime.datetime`
/// is refused: which day it is depends on a time zone).
#[derive(Clone)]
struct Day(String);

impl<'a, 'py> FromPyObject<'a, 'py> for Day {
    type Error = PyErr;
    fn extract(ob: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if let Ok(s) = ob.extract::<String>() {
            return Ok(Day(s));
        }
        let datetime = ob.py().import("datetime")?;
        if ob.is_instance(&datetime.getattr("datetime")?)? {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "a day is a datetime.date or \"YYYY-MM-DD\", not a datetime (call .date() in the time zone you mean)",
            ));
        }
        if ob.is_instance(&datetime.getattr("date")?)? {
            let iso: String = ob.call_method0("isoformat")?.extract()?;
            return Ok(Day(iso));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(
            "a day is a datetime.date or a string \"YYYY-MM-DD\"",
        ))
    }
}

fn parse_day(day: &Day) -> Result<nhos_core::Date> {
    nhos_core::Date::parse(&day.0).ok_or_else(|| {
        PyNhosError(nhos_core::Error::new(
            nhos_core::ErrorKind::Usage,
            format!("{:?} is not a date such as 2026-11-23", day.0),
        ))
    })
}

fn parse_today(today: Option<Day>) -> Result<nhos_core::Date> {
    match today {
        Some(d) => parse_day(&d),
        None => Ok(nhos_core::Date::today_utc()),
    }
}

/// A path argument: a NUL in it is a `ValueError`, as in Python's own `open`.
fn path_arg(p: PathBuf) -> PyResult<PathBuf> {
    if p.as_os_str().as_encoded_bytes().contains(&0) {
        Err(pyo3::exceptions::PyValueError::new_err(
            "embedded null byte",
        ))
    } else {
        Ok(p)
    }
}

/// A loaded, resolved estate.
#[pyclass(frozen, module = "nhos._nhos")]
struct Estate {
    inner: Arc<nhos_core::Estate>,
    path: Option<PathBuf>,
}

/// A value a waiver accepts, from Python: bool, int or str.
#[derive(FromPyObject)]
enum Accepted {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl Accepted {
    /// As TOML text for the edit.
    fn toml(&self) -> String {
        match self {
            Accepted::Bool(b) => b.to_string(),
            Accepted::Int(i) => i.to_string(),
            Accepted::Str(s) => toml_basic_string(s),
        }
    }
}

/// A TOML basic string.
fn toml_basic_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[pymethods]
impl Estate {
    /// The organisation's name.
    #[getter]
    fn organisation(&self) -> &str {
        &self.inner.organisation.name
    }
    /// The organisation's ODS code.
    #[getter]
    fn ods_code(&self) -> &str {
        &self.inner.organisation.ods_code
    }
    /// The pinned nixpkgs release.
    #[getter]
    fn release(&self) -> &str {
        &self.inner.nixpkgs.release
    }
    /// Profile names, sorted.
    #[getter]
    fn profiles(&self) -> Vec<String> {
        self.inner.profiles.keys().cloned().collect()
    }
    /// Load warnings.
    #[getter]
    fn warnings(&self) -> Vec<types::Diagnostic> {
        self.inner
            .warnings
            .iter()
            .map(types::Diagnostic::from)
            .collect()
    }
    /// A hash of the definition files.
    #[getter]
    fn definition_hash(&self) -> String {
        self.inner.definition_hash()
    }
    /// The resolved profile `name` (UsageError, with the nearest name, if none).
    fn profile(&self, name: &str) -> Result<Profile> {
        types::profile(&self.inner, name)
    }
    /// Validates the estate against the NHS desktop baseline; `today` (YYYY-MM-DD)
    /// fixes the day waivers are judged on.
    #[pyo3(signature = (today=None))]
    fn validate(&self, py: Python<'_>, today: Option<Day>) -> Result<Report> {
        let today = parse_today(today)?;
        let e = self.inner.clone();
        Ok(Report {
            inner: py
                .detach(move || nhos_core::validate(&e, &nhos_core::ValidateOptions { today })),
        })
    }
    /// Why `item` (a package, capability, setting key, option path or dconf key) is
    /// in `profile`.
    fn explain(&self, profile: &str, item: &str) -> Result<Explanation> {
        Ok(Explanation {
            inner: nhos_core::explain(&self.inner, profile, item)?,
        })
    }
    /// Generates the flake into `out` and returns the files written (a `list[str]`,
    /// relative to `out`). With `check=True` it writes nothing and returns how `out`
    /// differs (a `list[Drift]`, empty when up to date). Refuses (FindingsError)
    /// while error-level findings remain, unless `allow_findings=True`, which the
    /// manifest records.
    #[pyo3(signature = (out, check=false, today=None, allow_findings=false))]
    fn generate(
        &self,
        py: Python<'_>,
        out: PathBuf,
        check: bool,
        today: Option<Day>,
        allow_findings: bool,
    ) -> PyResult<Py<PyAny>> {
        let out = path_arg(out)?;
        let today = parse_today(today)?;
        let e = self.inner.clone();
        let r = py.detach(
            move || -> Result<std::result::Result<Vec<String>, Vec<types::Drift>>> {
                let g = nhos_core::generate(
                    &e,
                    &nhos_core::GenerateOptions {
                        today,
                        allow_findings,
                    },
                )?;
                if check {
                    Ok(Err(nhos_core::generate::check(&g, &out)?
                        .iter()
                        .map(types::Drift::from)
                        .collect()))
                } else {
                    nhos_core::generate::write(&g, &out)?;
                    Ok(Ok(g.files.keys().cloned().collect()))
                }
            },
        )?;
        Ok(match r {
            Ok(files) => files.into_pyobject(py)?.into_any().unbind(),
            Err(drift) => drift.into_pyobject(py)?.into_any().unbind(),
        })
    }
    /// Loads the estate again from its directory: the new `Estate` after an edit
    /// (this one stays as it was loaded).
    fn reload(&self, py: Python<'_>) -> Result<Estate> {
        let dir = self.dir()?;
        let inner = py.detach(|| nhos_core::load(&dir))?;
        Ok(Estate {
            inner: Arc::new(inner),
            path: Some(dir),
        })
    }
    /// The resolved estate as JSON (every profile with its provenance).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&*self.inner)
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("nhos: {e}")))
    }
    /// The resolved estate as a dict (the parsed `to_json()`).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(py
            .import("json")?
            .call_method1("loads", (self.to_json()?,))?
            .unbind())
    }

    /// Adds `package` to `profile`'s file. Every edit keeps comments and layout,
    /// refuses a result that does not load or (unless `allow_errors`) gains
    /// error-level findings judged on `today`, and writes nothing with `dry_run`.
    #[pyo3(signature = (profile, package, *, dry_run=false, allow_errors=false, today=None))]
    fn add_package(
        &self,
        py: Python<'_>,
        profile: String,
        package: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::AddPackage { profile, package },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Removes `package` from `profile` (or records its removal when inherited).
    #[pyo3(signature = (profile, package, *, dry_run=false, allow_errors=false, today=None))]
    fn remove_package(
        &self,
        py: Python<'_>,
        profile: String,
        package: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::RemovePackage { profile, package },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Adds `capability` to `profile`.
    #[pyo3(signature = (profile, capability, *, dry_run=false, allow_errors=false, today=None))]
    fn add_capability(
        &self,
        py: Python<'_>,
        profile: String,
        capability: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::AddCapability {
                profile,
                capability,
            },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Removes `capability` from `profile`.
    #[pyo3(signature = (profile, capability, *, dry_run=false, allow_errors=false, today=None))]
    fn remove_capability(
        &self,
        py: Python<'_>,
        profile: String,
        capability: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::RemoveCapability {
                profile,
                capability,
            },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Sets a setting; `value` is TOML text (`"300"`, `"true"`, `"blocked"`).
    #[pyo3(signature = (profile, key, value, *, dry_run=false, allow_errors=false, today=None))]
    fn set_setting(
        &self,
        py: Python<'_>,
        profile: String,
        key: String,
        value: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::SetSetting {
                profile,
                key,
                value,
            },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Removes `key` from `profile`'s settings (the inherited value applies).
    #[pyo3(signature = (profile, key, *, dry_run=false, allow_errors=false, today=None))]
    fn unset_setting(
        &self,
        py: Python<'_>,
        profile: String,
        key: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::UnsetSetting { profile, key },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Sets branding `field` (e.g. `palette.primary`) to `value`.
    #[pyo3(signature = (field, value, *, dry_run=false, allow_errors=false, today=None))]
    fn set_branding(
        &self,
        py: Python<'_>,
        field: String,
        value: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::SetBranding { field, value },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Adds waiver `id` for `rule` on `profiles` to policy.toml; `accepts` limits
    /// it to the values it accepts, `expires`/`approved` are days.
    #[pyo3(signature = (id, rule, profiles, justification, approver, expires, *, approved=None, accepts=None, dry_run=false, allow_errors=false, today=None))]
    #[allow(clippy::too_many_arguments)]
    fn add_waiver(
        &self,
        py: Python<'_>,
        id: String,
        rule: String,
        profiles: Vec<String>,
        justification: String,
        approver: String,
        expires: Day,
        approved: Option<Day>,
        accepts: Option<std::collections::BTreeMap<String, Accepted>>,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        let expires = parse_day(&expires)?;
        let approved = approved.map(|a| parse_day(&a)).transpose()?;
        let accepts = accepts
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.toml()))
            .collect();
        self.edit(
            py,
            nhos_core::Edit::AddWaiver {
                id,
                rule,
                profiles,
                justification,
                approver,
                approved,
                expires,
                accepts,
            },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Writes `profiles/<name>.toml` inheriting `inherits`, with `role` if given.
    #[pyo3(signature = (name, inherits, role=None, *, dry_run=false, allow_errors=false, today=None))]
    fn add_profile(
        &self,
        py: Python<'_>,
        name: String,
        inherits: Vec<String>,
        role: Option<String>,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::AddProfile {
                name,
                role,
                inherits,
            },
            dry_run,
            allow_errors,
            today,
        )
    }
    /// Renames profile `old` to `new`, with every reference to it, all or nothing.
    #[pyo3(signature = (old, new, *, dry_run=false, allow_errors=false, today=None))]
    fn rename_profile(
        &self,
        py: Python<'_>,
        old: String,
        new: String,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        self.edit(
            py,
            nhos_core::Edit::RenameProfile { from: old, to: new },
            dry_run,
            allow_errors,
            today,
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "<Estate {} ({}): {} profiles>",
            self.inner.organisation.name,
            self.inner.organisation.ods_code,
            self.inner.profiles.len()
        )
    }
}

impl Estate {
    /// The directory the estate was loaded from.
    fn dir(&self) -> Result<PathBuf> {
        self.path.clone().ok_or_else(|| {
            PyNhosError(nhos_core::Error::new(
                nhos_core::ErrorKind::Usage,
                "this estate was loaded from a git revision, not a directory",
            ))
        })
    }
    /// Edits the estate's directory (the `Estate` object itself stays as loaded:
    /// load again to see the change).
    fn edit(
        &self,
        py: Python<'_>,
        edit: nhos_core::Edit,
        dry_run: bool,
        allow_errors: bool,
        today: Option<Day>,
    ) -> Result<EditResult> {
        let dir = self.dir()?;
        let opts = nhos_core::EditOptions {
            allow_errors,
            today: parse_today(today)?,
        };
        py.detach(move || -> Result<EditResult> {
            let tree = nhos_core::edit::read_dir_tree(&dir)?;
            let r = nhos_core::edit::prepare(&tree, &edit, &opts)?;
            if !dry_run {
                r.write(&dir)?;
            }
            Ok(EditResult { inner: r })
        })
    }
}

/// Loads the estate in directory `path`. Raises `LoadError` (with `.diagnostics`)
/// when the definition has errors.
#[pyfunction]
fn load(py: Python<'_>, path: PathBuf) -> PyResult<Estate> {
    let path = path_arg(path)?;
    let p = path.clone();
    let inner = py
        .detach(move || nhos_core::load(&p))
        .map_err(PyNhosError)?;
    Ok(Estate {
        inner: Arc::new(inner),
        path: Some(path),
    })
}

/// Loads several estates in parallel (the GIL released), sharing nhos's catalogue.
/// Returns one entry per path, in order: the `Estate`, or the exception its load
/// would have raised (returned, not raised, so one bad estate does not stop a
/// national run).
#[pyfunction]
fn load_many(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<Vec<Py<PyAny>>> {
    use rayon::prelude::*;
    let paths = paths
        .into_iter()
        .map(path_arg)
        .collect::<PyResult<Vec<_>>>()?;
    let loaded: Vec<nhos_core::Result<nhos_core::Estate>> = py.detach(|| {
        nhos_core::pool::install(|| paths.par_iter().map(|p| nhos_core::load(p)).collect())
    });
    loaded
        .into_iter()
        .zip(paths)
        .map(|(r, path)| match r {
            Ok(inner) => Ok(Py::new(
                py,
                Estate {
                    inner: Arc::new(inner),
                    path: Some(path),
                },
            )?
            .into_any()),
            Err(e) => Ok(PyErr::from(PyNhosError(e)).into_value(py).into_any()),
        })
        .collect()
}

/// Loads the estate in `path` as it is at git revision `rev`.
#[pyfunction]
fn load_git(py: Python<'_>, path: PathBuf, rev: String) -> PyResult<Estate> {
    let path = path_arg(path)?;
    let inner = py
        .detach(move || nhos_core::git_tree(&path, &rev).and_then(|t| nhos_core::load_tree(&t)))
        .map_err(PyNhosError)?;
    Ok(Estate {
        inner: Arc::new(inner),
        path: None,
    })
}

/// Plans the change from `old` to `new`.
#[pyfunction]
#[pyo3(signature = (old, new, today=None, nix_diff=true))]
fn plan(
    py: Python<'_>,
    old: &Estate,
    new: &Estate,
    today: Option<Day>,
    nix_diff: bool,
) -> Result<Plan> {
    let today = parse_today(today)?;
    let (a, b) = (old.inner.clone(), new.inner.clone());
    Ok(Plan {
        inner: py.detach(move || {
            nhos_core::plan(
                &a,
                &b,
                &nhos_core::PlanOptions {
                    today,
                    findings: true,
                    nix_diff,
                },
            )
        }),
    })
}

/// Benchmark support: load + validate `paths` `iterations` times entirely in Rust
/// (in parallel over the paths, as Python callers would with threads) and return the
/// median seconds of one round, for side-by-side comparison with the Python calls.
#[pyfunction]
fn _bench_rust(py: Python<'_>, paths: Vec<PathBuf>, today: Day, iterations: usize) -> Result<f64> {
    let today = parse_day(&today)?;
    py.detach(move || -> Result<f64> {
        let mut times = Vec::with_capacity(iterations);
        for _ in 0..iterations.max(1) {
            let t = std::time::Instant::now();
            for p in &paths {
                let e = nhos_core::load(p)?;
                std::hint::black_box(nhos_core::validate(
                    &e,
                    &nhos_core::ValidateOptions { today },
                ));
            }
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        Ok(times[times.len() / 2])
    })
}

/// Benchmark support: writes synthetic trust `i` (see `nhos_core::synthetic`).
#[pyfunction]
fn _write_synthetic(dir: PathBuf, i: usize, variant: bool) -> Result<()> {
    nhos_core::synthetic::write_trust(&dir, i, variant)
        .map_err(|e| PyNhosError(nhos_core::Error::io(dir.display(), &e)))
}

#[pymodule]
fn _nhos(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", nhos_core::VERSION)?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(load_git, m)?)?;
    m.add_function(wrap_pyfunction!(load_many, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(_bench_rust, m)?)?;
    m.add_function(wrap_pyfunction!(_write_synthetic, m)?)?;
    m.add_class::<Estate>()?;
    m.add_class::<Profile>()?;
    m.add_class::<types::Setting>()?;
    m.add_class::<types::Origin>()?;
    m.add_class::<types::Diagnostic>()?;
    m.add_class::<Report>()?;
    m.add_class::<types::Finding>()?;
    m.add_class::<Plan>()?;
    m.add_class::<Explanation>()?;
    m.add_class::<EditResult>()?;
    m.add_class::<types::Drift>()?;
    m.add("Error", py.get_type::<error::Error>())?;
    m.add("LoadError", py.get_type::<error::LoadError>())?;
    m.add("EditError", py.get_type::<error::EditError>())?;
    m.add("GenerateError", py.get_type::<error::GenerateError>())?;
    m.add("FindingsError", py.get_type::<error::FindingsError>())?;
    m.add("GitError", py.get_type::<error::GitError>())?;
    m.add("UsageError", py.get_type::<error::UsageError>())?;
    Ok(())
}
