//! The exported C functions for the library itself, errors, strings and estates.
//! Reports, plans, edits and test hooks are in their own files. Bodies hold no
//! `unsafe` blocks: pointers go through `boundary.rs`. (The lint allowance is for
//! `#[unsafe(no_mangle)]` only.)
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]

use crate::boundary::{
    free_c_string, free_handle, guard, guard_or, into_c_string, into_handle, opt_str_arg, out_arg,
    ref_arg, str_arg, write_out,
};
use crate::error::{Result, nhos_code, nhos_error};
use std::ffi::{CString, c_char};
use std::path::PathBuf;

/// The major version of this header and library (0 while the API settles: then
/// the minor version is the ABI version).
pub const NHOS_VERSION_MAJOR: u32 = 0;
/// The minor version.
pub const NHOS_VERSION_MINOR: u32 = 1;
/// The patch version.
pub const NHOS_VERSION_PATCH: u32 = 0;

/// A loaded, resolved estate.
pub struct nhos_estate {
    pub(crate) inner: nhos_core::Estate,
    strings: [CString; 3],
    /// Hashing every file and asset is work a load should not pay for: made on
    /// the first `nhos_estate_definition_hash`.
    definition_hash: std::sync::OnceLock<CString>,
}

impl nhos_estate {
    pub(crate) fn new(inner: nhos_core::Estate) -> Self {
        let strings = [
            c(&inner.organisation.name),
            c(&inner.organisation.ods_code),
            c(&inner.nixpkgs.release),
        ];
        nhos_estate {
            inner,
            strings,
            definition_hash: std::sync::OnceLock::new(),
        }
    }
}

pub(crate) const EMPTY: &std::ffi::CStr = c"";
static VERSION: &std::ffi::CStr = c"0.1.0";

pub(crate) fn c(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

pub(crate) fn today(p: *const c_char) -> Result<nhos_core::Date> {
    match opt_str_arg(p, "today")? {
        Some(s) => day(s),
        None => Ok(nhos_core::Date::today_utc()),
    }
}

pub(crate) fn day(s: &str) -> Result<nhos_core::Date> {
    nhos_core::Date::parse(s).ok_or_else(|| {
        nhos_error::new(
            nhos_code::Usage,
            format!("{s:?} is not a date such as 2026-11-23"),
        )
    })
}

/// JSON text of a value (serialising plain data cannot fail; if it ever did, that
/// is an error, not an empty string).
pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v)
        .map_err(|e| nhos_error::new(nhos_code::Panic, format!("could not serialise: {e}")))
}

/// The library version, e.g. "0.1.0" (static; do not free).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_version() -> *const c_char {
    VERSION.as_ptr()
}

/// Whether this library can serve a program compiled against header version
/// `major.minor.patch`: the same major version (and, for 0.x, the same minor),
/// and not older. Call `NHOS_VERSION_CHECK()` at start-up.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_version_check(major: u32, minor: u32, patch: u32) -> bool {
    let have = (NHOS_VERSION_MAJOR, NHOS_VERSION_MINOR, NHOS_VERSION_PATCH);
    major == have.0 && (major != 0 || minor == have.1) && (minor, patch) <= (have.1, have.2)
}

/// Sets the number of worker threads (0: one per core; the default also honours
/// `RAYON_NUM_THREADS`). The pool starts on the first load and lives until the
/// process exits; call this before it starts, or it is `NHOS_CODE_USAGE`. A child
/// forked after the pool started gets a fresh pool on its first call.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_set_threads(threads: usize) -> *mut nhos_error {
    guard(|| {
        if nhos_core::pool::set_threads(threads) {
            Ok(())
        } else {
            Err(nhos_error::new(
                nhos_code::Usage,
                "the worker pool has already started: call nhos_set_threads before the first load",
            ))
        }
    })
}

/// The code of an error (`NHOS_CODE_OK` for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_error_code(err: *const nhos_error) -> nhos_code {
    guard_or(nhos_code::Panic, || {
        ref_arg(err, "err").map_or(nhos_code::Ok, |e| e.code)
    })
}

/// The message of an error, borrowed until `nhos_error_free` ("" for NULL). It
/// says what failed and what to do; the code says what kind of failure it is.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_error_message(err: *const nhos_error) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(err, "err").map_or(EMPTY.as_ptr(), |e| e.message.as_ptr())
    })
}

/// For load and edit errors, the diagnostics as a JSON array (file, line, column,
/// code, message, hint), borrowed until `nhos_error_free` ("" when none).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_error_diagnostics_json(err: *const nhos_error) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(err, "err").map_or(EMPTY.as_ptr(), |e| e.diagnostics_json.as_ptr())
    })
}

/// Frees an error (NULL is fine).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_error_free(err: *mut nhos_error) {
    guard_or((), || free_handle(err));
}

/// Frees a string this library returned as `char *` (NULL is fine).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_string_free(s: *mut c_char) {
    guard_or((), || free_c_string(s));
}

/// Loads the estate in directory `path`. On a definition with errors the error is
/// `NHOS_CODE_LOAD` and `nhos_error_diagnostics_json` lists them all. To load
/// many estates, call this from several threads (`nhos validate DIR...` does).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_load(
    path: *const c_char,
    out: *mut *mut nhos_estate,
) -> *mut nhos_error {
    guard(|| {
        let path = str_arg(path, "path")?;
        let out = out_arg(out, "out")?;
        let inner = nhos_core::load(path)?;
        write_out(out, into_handle(nhos_estate::new(inner)));
        Ok(())
    })
}

/// Loads the estate in directory `path` as it is at git revision `rev`.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_load_git(
    path: *const c_char,
    rev: *const c_char,
    out: *mut *mut nhos_estate,
) -> *mut nhos_error {
    guard(|| {
        let path = str_arg(path, "path")?;
        let rev = str_arg(rev, "rev")?;
        let out = out_arg(out, "out")?;
        let inner = nhos_core::git_tree(std::path::Path::new(path), rev)
            .and_then(|t| nhos_core::load_tree(&t))?;
        write_out(out, into_handle(nhos_estate::new(inner)));
        Ok(())
    })
}

/// Frees an estate (NULL is fine).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_free(estate: *mut nhos_estate) {
    guard_or((), || free_handle(estate));
}

fn estate_str(estate: *const nhos_estate, i: usize) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(estate, "estate").map_or(EMPTY.as_ptr(), |e| e.strings[i].as_ptr())
    })
}

/// The organisation's name, borrowed from the estate ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_organisation(estate: *const nhos_estate) -> *const c_char {
    estate_str(estate, 0)
}

/// The organisation's ODS code, borrowed from the estate ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_ods_code(estate: *const nhos_estate) -> *const c_char {
    estate_str(estate, 1)
}

/// The pinned nixpkgs release, borrowed from the estate ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_release(estate: *const nhos_estate) -> *const c_char {
    estate_str(estate, 2)
}

/// The hash of the definition files, borrowed from the estate ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_definition_hash(estate: *const nhos_estate) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(estate, "estate").map_or(EMPTY.as_ptr(), |e| {
            (e.definition_hash
                .get_or_init(|| c(&e.inner.definition_hash())))
            .as_ptr()
        })
    })
}

/// Writes owned JSON of something an estate holds.
fn estate_json(
    estate: *const nhos_estate,
    out: *mut *mut c_char,
    f: impl FnOnce(&nhos_core::Estate) -> Result<String>,
) -> *mut nhos_error {
    guard(|| {
        let e = ref_arg(estate, "estate")?;
        let out = out_arg(out, "out")?;
        let text = f(&e.inner)?;
        write_out(out, into_c_string(text));
        Ok(())
    })
}

/// The estate's profile names as a JSON array (owned; free with `nhos_string_free`).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_profiles_json(
    estate: *const nhos_estate,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    estate_json(estate, out, |e| {
        json(&e.profiles.keys().collect::<Vec<_>>())
    })
}

/// The load warnings as a JSON array of diagnostics (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_warnings_json(
    estate: *const nhos_estate,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    estate_json(estate, out, |e| json(&e.warnings))
}

/// The resolved profile `profile` as JSON: its effective packages, capabilities and
/// settings, each with the definition line it came from (owned). An unknown name
/// is `NHOS_CODE_USAGE`, naming the nearest profile.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_profile_json(
    estate: *const nhos_estate,
    profile: *const c_char,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    let name = match str_arg(profile, "profile") {
        Ok(n) => n,
        Err(e) => return into_handle(e),
    };
    estate_json(estate, out, |e| match e.profiles.get(name) {
        Some(p) => json(p),
        None => {
            let hint = nhos_core::nearest(name, e.profiles.keys().map(String::as_str))
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            Err(nhos_error::new(
                nhos_code::Usage,
                format!("no profile `{name}`{hint}"),
            ))
        }
    })
}

/// The whole resolved estate as JSON (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_json(
    estate: *const nhos_estate,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    estate_json(estate, out, json)
}

/// Explains `item` in `profile` as JSON (owned; free with `nhos_string_free`).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_explain(
    estate: *const nhos_estate,
    profile: *const c_char,
    item: *const c_char,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let e = ref_arg(estate, "estate")?;
        let (p, i) = (str_arg(profile, "profile")?, str_arg(item, "item")?);
        let out = out_arg(out, "out")?;
        let ex = nhos_core::explain(&e.inner, p, i)?;
        write_out(out, into_c_string(json(&ex)?));
        Ok(())
    })
}

/// Generates the flake into `out_dir` (or, with `check`, compares without
/// writing). `out_listing` receives one line per file (owned): without `check`,
/// the files written; with `check`, how `out_dir` differs, each line
/// `<kind>\t<path>` with kind `missing`, `changed`, `no-longer-generated` or
/// `interrupted` (empty when up to date). While error-level findings remain —
/// judged on the definition and on the generated configuration — it refuses with
/// `NHOS_CODE_FINDINGS`, unless `allow_findings`, which the manifest records.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_generate(
    estate: *const nhos_estate,
    out_dir: *const c_char,
    today_: *const c_char,
    check: bool,
    allow_findings: bool,
    out_listing: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let e = ref_arg(estate, "estate")?;
        let dir = PathBuf::from(str_arg(out_dir, "out_dir")?);
        let day = today(today_)?;
        let out = out_arg(out_listing, "out_listing")?;
        let opts = nhos_core::GenerateOptions {
            allow_findings,
            ..nhos_core::GenerateOptions::new(day)
        };
        let g = nhos_core::generate(&e.inner, &opts)?;
        let lines: Vec<String> = if check {
            use nhos_core::generate::Drift as D;
            nhos_core::generate::check(&g, &dir)?
                .iter()
                .map(|d| match d {
                    D::Missing(p) => format!("missing\t{p}"),
                    D::Changed(p) => format!("changed\t{p}"),
                    D::Extra(p) => format!("no-longer-generated\t{p}"),
                    D::Interrupted => "interrupted\t".to_owned(),
                })
                .collect()
        } else {
            nhos_core::generate::write(&g, &dir)?;
            g.files.keys().cloned().collect()
        };
        write_out(out, into_c_string(lines.join("\n")));
        Ok(())
    })
}
