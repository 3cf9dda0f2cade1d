//! `nhos._nhos`: the Python extension module. Registration, the module functions and
//! the argument types they share (days, paths); `Estate` is in `estate.rs`, the
//! value classes in `types.rs`, `report.rs` and `results.rs`, the exceptions in
//! `error.rs`. The contract:
//! every object is immutable and safe to share between threads; heavy work runs
//! with the GIL released; findings are returned, never raised; Rust panics surface
//! as `pyo3_runtime.PanicException` and never abort the interpreter.

mod closure;
mod error;
mod estate;
mod html;
mod report;
mod results;
mod types;
mod value;

use error::{PyNhosError, Result};
use estate::Estate;
use pyo3::prelude::*;
use report::Report;
use results::{EditResult, Explanation, Plan};
use std::path::PathBuf;
use std::sync::Arc;
use types::Profile;

/// A day from Python: "YYYY-MM-DD" or a `datetime.date` (a `datetime.datetime`
/// is refused: which day it is depends on a time zone).
#[derive(Clone)]
pub(crate) struct Day(String);

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

pub(crate) fn parse_day(day: &Day) -> Result<nhos_core::Date> {
    nhos_core::Date::parse(&day.0).ok_or_else(|| {
        PyNhosError(nhos_core::Error::new(
            nhos_core::ErrorKind::Usage,
            format!("{:?} is not a date such as 2026-11-23", day.0),
        ))
    })
}

pub(crate) fn parse_today(today: Option<Day>) -> Result<nhos_core::Date> {
    match today {
        Some(d) => parse_day(&d),
        None => Ok(nhos_core::Date::today_utc()),
    }
}

/// A path argument: a NUL in it is a `ValueError`, as in Python's own `open`.
pub(crate) fn path_arg(p: PathBuf) -> PyResult<PathBuf> {
    if p.as_os_str().as_encoded_bytes().contains(&0) {
        Err(pyo3::exceptions::PyValueError::new_err(
            "embedded null byte",
        ))
    } else {
        Ok(p)
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
        inner: py
            .detach(move || nhos_core::plan(&a, &b, &nhos_core::PlanOptions::new(today, nix_diff))),
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
    m.add_function(wrap_pyfunction!(closure::closure_diff, m)?)?;
    m.add_function(wrap_pyfunction!(_bench_rust, m)?)?;
    m.add_function(wrap_pyfunction!(_write_synthetic, m)?)?;
    m.add_class::<Estate>()?;
    m.add_class::<Profile>()?;
    m.add_class::<types::Setting>()?;
    m.add_class::<types::Origin>()?;
    m.add_class::<types::Diagnostic>()?;
    m.add_class::<Report>()?;
    m.add_class::<report::Finding>()?;
    m.add_class::<Plan>()?;
    m.add_class::<Explanation>()?;
    m.add_class::<closure::ClosureDiff>()?;
    m.add_class::<closure::Why>()?;
    m.add_class::<EditResult>()?;
    m.add_class::<results::Drift>()?;
    m.add("Error", py.get_type::<error::Error>())?;
    m.add("LoadError", py.get_type::<error::LoadError>())?;
    m.add("EditError", py.get_type::<error::EditError>())?;
    m.add("GenerateError", py.get_type::<error::GenerateError>())?;
    m.add("FindingsError", py.get_type::<error::FindingsError>())?;
    m.add("GitError", py.get_type::<error::GitError>())?;
    m.add("UsageError", py.get_type::<error::UsageError>())?;
    Ok(())
}
