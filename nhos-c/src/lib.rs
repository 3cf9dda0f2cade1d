//! # libnhos: the C API of nhos
//!
//! The contract, stated once (and in the header):
//!
//! - **Handles** (`nhos_estate`, `nhos_report`, `nhos_plan`, `nhos_error`) are opaque.
//!   They are created by `nhos_<type>_load` / `_new` / a verb, and freed exactly once
//!   with `nhos_<type>_free`, which accepts NULL.
//! - **`const`** means read-only: a `const` handle may be shared between threads.
//! - **Strings in** are NUL-terminated UTF-8; a string that is not UTF-8 is an
//!   `NHOS_CODE_INVALID_UTF8` error. **Strings out** are either owned (`char *`, free
//!   with `nhos_string_free`) or borrowed (`const char *`, valid as long as the
//!   handle they came from).
//! - A **fallible function** returns `nhos_error *`: NULL on success. Results go to
//!   trailing out-parameters, written only on success. Read the error with
//!   `nhos_error_code` and `nhos_error_message`, free it with `nhos_error_free`.
//! - **Every pointer is checked**: NULL where a value is required is an
//!   `NHOS_CODE_NULL_ARGUMENT` error, never a crash.
//! - **Panics never cross the boundary**: every exported body runs inside one guard;
//!   a panic becomes an `NHOS_CODE_PANIC` error (or 0/false/NULL for functions that
//!   cannot fail).
//! - Findings are data: validating a bad estate succeeds and returns a report.
//!
//! `unsafe` lives in `boundary.rs`; `api.rs` holds the exported functions.
#![deny(unsafe_code)]

mod api;
mod boundary;
pub mod cxx;
mod error;

pub use api::*;
pub use error::{nhos_code, nhos_error};
