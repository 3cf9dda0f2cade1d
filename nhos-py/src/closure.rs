//! Closures of built systems: `closure_diff`, `Estate.why` and `Estate.sbom`. The
//! inputs are parsed by the core (`nhos_core::closure::Evidence`), as for the CLI;
//! the work runs with the GIL released.

use crate::error::{PyNhosError, Result};
use crate::estate::Estate;
use crate::types::json_to_py;
use crate::value::to_json;
use crate::{Day, parse_today, path_arg, value_methods, wraps};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Two system closures compared package by package (`nhos closure diff`).
#[pyclass(frozen, module = "nhos._nhos")]
pub struct ClosureDiff {
    pub(crate) inner: nhos_core::closure::ClosureDiff,
}
wraps!(ClosureDiff, nhos_core::closure::ClosureDiff);
value_methods!(ClosureDiff);

#[pymethods]
impl ClosureDiff {
    /// Whether the two closures hold the same paths.
    #[getter]
    fn is_empty(&self) -> bool {
        let t = &self.inner.totals;
        self.inner.packages.is_empty() && t.paths_added == 0 && t.paths_removed == 0
    }
    /// Paths added, paths removed and the size change in bytes.
    #[getter]
    fn totals(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &to_json(&self.inner.totals)?)
    }
    /// The diff as JSON (`schema/closure-diff.schema.json`).
    fn to_json(&self) -> String {
        nhos_core::closure::format::json(&self.inner)
    }
    /// The diff as a dict (the parsed `to_json()`).
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &self.to_json())
    }
    /// The diff as the CLI prints it (no colour): `nix store diff-closures`'s lines
    /// first, then rebuilds by cause and totals.
    fn to_text(&self) -> String {
        nhos_core::closure::format::text(&self.inner)
    }
    /// The diff as Markdown.
    fn to_markdown(&self) -> String {
        nhos_core::closure::format::markdown(&self.inner)
    }
    fn __repr__(&self) -> String {
        let t = &self.inner.totals;
        format!(
            "<ClosureDiff {} packages, +{} -{} paths>",
            self.inner.packages.len(),
            t.paths_added,
            t.paths_removed
        )
    }
}

/// Why a store path or package is in a profile's built system (`Estate.why`).
#[pyclass(frozen, module = "nhos._nhos")]
pub struct Why {
    pub(crate) inner: nhos_core::closure::Why,
}
wraps!(Why, nhos_core::closure::Why);
value_methods!(Why);

#[pymethods]
impl Why {
    /// The store path asked about.
    #[getter]
    fn target(&self) -> &str {
        &self.inner.target
    }
    /// The definition package attribute it comes through, or None (NixOS brings it).
    #[getter]
    fn attribute(&self) -> Option<&str> {
        self.inner.through.as_ref().map(|t| t.attribute.as_str())
    }
    /// The shortest reference chain to the target, store paths, both ends included.
    #[getter]
    fn references(&self) -> Vec<String> {
        self.inner.references.clone()
    }
    /// The answer as JSON (as `nhos why --format json` prints it).
    fn to_json(&self) -> String {
        nhos_core::escape::json_pretty(&self.inner) + "\n"
    }
    /// The answer as a dict.
    fn to_dict(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &self.to_json())
    }
    fn __str__(&self) -> String {
        self.inner.to_string()
    }
    fn __repr__(&self) -> String {
        format!("<Why {} in {}>", self.inner.target, self.inner.profile)
    }
}

/// Compares two system closures: toplevels of the local store (`./result`, store
/// paths) or `nix path-info --json --recursive` files. `db` is the store database
/// (default: Nix's own, from `NIX_STATE_DIR`).
#[pyfunction]
#[pyo3(signature = (old, new, *, db=None))]
pub fn closure_diff(
    py: Python<'_>,
    old: PathBuf,
    new: PathBuf,
    db: Option<PathBuf>,
) -> PyResult<ClosureDiff> {
    let (old, new) = (path_arg(old)?, path_arg(new)?);
    let db = db.map(path_arg).transpose()?;
    let inner = py
        .detach(move || nhos_core::closure::diff_of(&old, &new, db.as_deref()))
        .map_err(PyNhosError)?;
    Ok(ClosureDiff { inner })
}

#[pymethods]
impl Estate {
    /// Why `item` (a store path, package attribute or package name) is in the
    /// built system `closure` of `profile`; `packages` is `nix eval --json
    /// .#nhos.<profile>.packages` of the generated flake, as a file.
    #[pyo3(signature = (profile, item, *, closure, packages, db=None))]
    fn why(
        &self,
        py: Python<'_>,
        profile: String,
        item: String,
        closure: PathBuf,
        packages: PathBuf,
        db: Option<PathBuf>,
    ) -> PyResult<Why> {
        let (closure, packages) = (path_arg(closure)?, path_arg(packages)?);
        let db = db.map(path_arg).transpose()?;
        let e = self.inner.clone();
        let inner = py
            .detach(move || {
                nhos_core::closure::why_of(&e, &profile, &item, &closure, &packages, db.as_deref())
            })
            .map_err(PyNhosError)?;
        Ok(Why { inner })
    }

    /// CycloneDX 1.6 JSON for `profile` (reproducible: no timestamp, a serial made
    /// from the content): from its built system `closure` with `packages` when
    /// given, with VEX statements from `advisories` (OSV or vulnix files or
    /// directories), else from the definition. `today` judges advisories' ages.
    #[pyo3(signature = (profile, *, closure=None, packages=None, advisories=Vec::new(), db=None, today=None))]
    #[allow(clippy::too_many_arguments)]
    fn sbom(
        &self,
        py: Python<'_>,
        profile: String,
        closure: Option<PathBuf>,
        packages: Option<PathBuf>,
        advisories: Vec<PathBuf>,
        db: Option<PathBuf>,
        today: Option<Day>,
    ) -> PyResult<String> {
        let ev = nhos_core::closure::Evidence {
            closure: closure.map(path_arg).transpose()?,
            packages: packages.map(path_arg).transpose()?,
            advisories: advisories
                .into_iter()
                .map(path_arg)
                .collect::<PyResult<_>>()?,
            db: db.map(path_arg).transpose()?,
            today: parse_today(today)?,
        };
        let e = self.inner.clone();
        let dir = self
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| ".".to_owned());
        let r: Result<String> =
            py.detach(move || Ok(nhos_core::closure::sbom_of(&e, &profile, &ev, &dir)?));
        Ok(r?)
    }
}
