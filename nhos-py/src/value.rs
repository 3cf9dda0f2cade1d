//! What every value object shares: pickling (and so `copy`/`deepcopy` and process
//! pools) through its JSON state, value equality and hashing.
//!
//! Each class implements [`State`]; its `#[pymethods]` then forward `__reduce__`,
//! `__eq__` and `__hash__` here (equality is of the state, as pickled). Unpickling calls the class's `_from_state`
//! static method with the JSON the object was pickled as.

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::{Serialize, de::DeserializeOwned};
use std::hash::{Hash, Hasher};

/// A value with a serialisable state.
pub trait State: Sized {
    type Inner: Serialize + DeserializeOwned;
    fn state(&self) -> &Self::Inner;
    fn from_inner(inner: Self::Inner) -> Self;
}

/// The JSON state (serialising plain data cannot fail; an error would be a bug,
/// reported as a Python exception, never swallowed).
pub fn to_json<T: Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("nhos: {e}")))
}

/// `__reduce__`: `(cls._from_state, (json,))`.
pub fn reduce<'py, T>(slf: &Bound<'py, T>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)>
where
    T: State + pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
{
    let py = slf.py();
    let json = to_json(slf.get().state())?;
    let ctor = slf.as_any().get_type().getattr("_from_state")?;
    Ok((ctor, PyTuple::new(py, [json])?))
}

/// `_from_state`: the object back from its JSON.
pub fn from_state<T: State>(json: &str) -> PyResult<T> {
    serde_json::from_str(json).map(T::from_inner).map_err(|e| {
        pyo3::exceptions::PyValueError::new_err(format!("not a pickled nhos value: {e}"))
    })
}

/// `__hash__`: of the JSON state, so equal values hash equally.
pub fn hash<T: State>(v: &T) -> PyResult<u64> {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    to_json(v.state())?.hash(&mut h);
    Ok(h.finish())
}

/// The value protocol of a [`State`] class, as a second `#[pymethods]` block
/// (pyo3's `multiple-pymethods`).
#[macro_export]
macro_rules! value_methods {
    ($t:ty) => {
        #[pyo3::pymethods]
        impl $t {
            fn __reduce__<'py>(
                slf: &pyo3::Bound<'py, Self>,
            ) -> pyo3::PyResult<(
                pyo3::Bound<'py, pyo3::PyAny>,
                pyo3::Bound<'py, pyo3::types::PyTuple>,
            )> {
                $crate::value::reduce(slf)
            }
            /// Rebuilds the object from the state `__reduce__` gave (used by pickle).
            #[staticmethod]
            fn _from_state(state: &str) -> pyo3::PyResult<$t> {
                $crate::value::from_state(state)
            }
            fn __eq__(&self, other: &Self) -> pyo3::PyResult<bool> {
                use $crate::value::State;
                // The JSON state, as pickled and hashed: source spans do not count.
                Ok($crate::value::to_json(self.state())? == $crate::value::to_json(other.state())?)
            }
            fn __hash__(&self) -> pyo3::PyResult<u64> {
                $crate::value::hash(self)
            }
        }
    };
}

/// Implements [`State`] for a class that wraps a core value in `inner`.
#[macro_export]
macro_rules! wraps {
    ($t:ident, $inner:ty) => {
        impl $crate::value::State for $t {
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
#[macro_export]
macro_rules! plain {
    ($t:ident) => {
        impl $crate::value::State for $t {
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
