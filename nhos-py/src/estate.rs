//! `Estate`: the loaded estate, its verbs, and the edits of its directory.

use crate::error::{PyNhosError, Result};
use crate::report::Report;
use crate::results::{self, EditResult, Explanation};
use crate::types::{self, Profile};
use crate::{Day, parse_day, parse_today, path_arg};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// A loaded, resolved estate.
#[pyclass(frozen, module = "nhos._nhos")]
pub(crate) struct Estate {
    pub(crate) inner: Arc<nhos_core::Estate>,
    pub(crate) path: Option<PathBuf>,
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
            move || -> Result<std::result::Result<Vec<String>, Vec<results::Drift>>> {
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
                        .map(results::Drift::from)
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
