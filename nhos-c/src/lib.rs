//! # libnhos: the C API of nhos
//!
//! The contract is stated once, in the header comment (`cbindgen.toml`), and the
//! parity with the Python API in `nhos-c/PARITY.md` (checked by a test).
//!
//! `unsafe` lives in `boundary.rs`; the exported functions are in `api.rs`
//! (library, errors, estates, generate), `report.rs`, `plan.rs`, `edit.rs`,
//! `closure.rs` (closure diff, why, SBOM) and,
//! with the `test-hooks` feature only, `hooks.rs`.
#![deny(unsafe_code)]

mod api;
mod boundary;
mod closure;
mod edit;
mod error;
#[cfg(feature = "test-hooks")]
mod hooks;
mod plan;
mod report;

pub use api::*;
pub use closure::*;
pub use edit::*;
pub use error::{nhos_code, nhos_error};
#[cfg(feature = "test-hooks")]
pub use hooks::*;
pub use plan::*;
pub use report::*;
