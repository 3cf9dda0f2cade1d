//! Closures of built systems: `nhos_closure_diff`, `nhos_estate_why` and
//! `nhos_estate_sbom`. The inputs are parsed by the core
//! (`nhos_core::closure::Evidence`), as for the CLI and Python.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]

use crate::api::{json, nhos_estate, today};
use crate::boundary::{
    guard, into_c_string, opt_str_arg, out_arg, read_sized, ref_arg, sized_arg, str_arg,
    str_array_arg, write_out,
};
use crate::error::{nhos_code, nhos_error};
use std::ffi::c_char;
use std::path::{Path, PathBuf};

/// The format of a closure diff (an integer: an unknown value is NHOS_CODE_USAGE).
pub type nhos_closure_format = i32;
/// JSON (`schema/closure-diff.schema.json`).
pub const NHOS_CLOSURE_FORMAT_JSON: nhos_closure_format = 0;
/// Text as `nhos closure diff` prints it, without colour.
pub const NHOS_CLOSURE_FORMAT_TEXT: nhos_closure_format = 1;
/// Markdown.
pub const NHOS_CLOSURE_FORMAT_MARKDOWN: nhos_closure_format = 2;

/// A profile's built system and what to read with it, for `nhos_estate_sbom`. Set
/// `size` (`NHOS_EVIDENCE_INIT`); NULL fields are absent.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nhos_evidence {
    pub size: u32,
    /// The built system: a toplevel in the local store or a `nix path-info --json
    /// --recursive` file (with `packages`, or neither).
    pub closure: *const c_char,
    /// `nix eval --json .#nhos.<profile>.packages` of the generated flake, a file.
    pub packages: *const c_char,
    /// Advisory files or directories (OSV JSON, vulnix `--json`), `advisories_len`.
    pub advisories: *const *const c_char,
    pub advisories_len: usize,
    /// The store database (NULL: Nix's own, from NIX_STATE_DIR).
    pub db: *const c_char,
    /// The day advisories' ages are judged on, "YYYY-MM-DD" (NULL: today, UTC).
    pub today: *const c_char,
    /// The estate directory the remedies' `nhos edit` commands name (NULL: ".").
    pub dir: *const c_char,
}

/// Compares two system closures: toplevels of the local store or `nix path-info
/// --json --recursive` files. `db` may be NULL. `out` receives the diff in
/// `format` (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_closure_diff(
    old: *const c_char,
    new: *const c_char,
    db: *const c_char,
    format: nhos_closure_format,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let (a, b) = (str_arg(old, "old")?, str_arg(new, "new")?);
        let db = opt_str_arg(db, "db")?.map(Path::new);
        let out = out_arg(out, "out")?;
        use nhos_core::closure::format as f;
        let render: fn(&nhos_core::closure::ClosureDiff) -> String = match format {
            NHOS_CLOSURE_FORMAT_JSON => f::json,
            NHOS_CLOSURE_FORMAT_TEXT => f::text,
            NHOS_CLOSURE_FORMAT_MARKDOWN => f::markdown,
            other => {
                return Err(nhos_error::new(
                    nhos_code::Usage,
                    format!("unknown closure format {other}: use NHOS_CLOSURE_FORMAT_*"),
                ));
            }
        };
        let d = nhos_core::closure::diff_of(Path::new(a), Path::new(b), db)?;
        write_out(out, into_c_string(render(&d)));
        Ok(())
    })
}

/// Why `item` (a store path, package attribute or package name) is in `profile`'s
/// built system `closure`, given its `packages` map; JSON (owned) as `nhos why
/// --format json` prints it. `db` may be NULL.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_why(
    estate: *const nhos_estate,
    profile: *const c_char,
    item: *const c_char,
    closure: *const c_char,
    packages: *const c_char,
    db: *const c_char,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let e = ref_arg(estate, "estate")?;
        let (p, i) = (str_arg(profile, "profile")?, str_arg(item, "item")?);
        let (c, m) = (str_arg(closure, "closure")?, str_arg(packages, "packages")?);
        let db = opt_str_arg(db, "db")?.map(Path::new);
        let out = out_arg(out, "out")?;
        let w = nhos_core::closure::why_of(&e.inner, p, i, Path::new(c), Path::new(m), db)?;
        write_out(out, into_c_string(json(&w)?));
        Ok(())
    })
}

/// CycloneDX 1.6 JSON for `profile` (owned; reproducible): from the built system
/// `evidence` names, with VEX statements from its advisories, or from the
/// definition when `evidence` is NULL or names no built system.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_sbom(
    estate: *const nhos_estate,
    profile: *const c_char,
    evidence: *const nhos_evidence,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let e = ref_arg(estate, "estate")?;
        let p = str_arg(profile, "profile")?;
        let out = out_arg(out, "out")?;
        let (ev, dir) = if evidence.is_null() {
            (
                nhos_core::closure::Evidence::new(today(std::ptr::null())?),
                ".".to_owned(),
            )
        } else {
            let size = sized_arg(evidence, "evidence", std::mem::size_of::<nhos_evidence>())?;
            let given = ref_arg(evidence, "evidence")?;
            let v = read_sized(evidence, size, *given);
            let path =
                |s: *const c_char, name: &str| opt_str_arg(s, name).map(|o| o.map(PathBuf::from));
            let ev = nhos_core::closure::Evidence {
                closure: path(v.closure, "closure")?,
                packages: path(v.packages, "packages")?,
                advisories: str_array_arg(v.advisories, v.advisories_len, "advisories")?
                    .into_iter()
                    .map(PathBuf::from)
                    .collect(),
                db: path(v.db, "db")?,
                today: today(v.today)?,
            };
            (ev, opt_str_arg(v.dir, "dir")?.unwrap_or(".").to_owned())
        };
        let text = nhos_core::closure::sbom_of(&e.inner, p, &ev, &dir)?;
        write_out(out, into_c_string(text));
        Ok(())
    })
}
