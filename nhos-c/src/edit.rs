//! Edits of the definition, keeping comments and layout.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]

use crate::api::{EMPTY, c, day, today};
use crate::boundary::{
    guard, guard_or, into_handle, opt_str_arg, out_arg, read_sized, ref_arg, sized_arg, str_arg,
    str_array_arg, write_out,
};
use crate::error::{Result, nhos_code, nhos_error};
use crate::report::{Findings, nhos_finding};
use std::ffi::{CString, c_char};
use std::path::PathBuf;

/// Which edit `nhos_edit` makes: one of the `NHOS_EDIT_OP_*` constants. An
/// integer, not a C enum, so that any value a caller passes is defined behaviour:
/// an unknown one is `NHOS_CODE_USAGE`.
pub type nhos_edit_op = i32;
/// a = profile, b = package.
pub const NHOS_EDIT_OP_ADD_PACKAGE: nhos_edit_op = 0;
/// a = profile, b = package.
pub const NHOS_EDIT_OP_REMOVE_PACKAGE: nhos_edit_op = 1;
/// a = profile, b = capability.
pub const NHOS_EDIT_OP_ADD_CAPABILITY: nhos_edit_op = 2;
/// a = profile, b = capability.
pub const NHOS_EDIT_OP_REMOVE_CAPABILITY: nhos_edit_op = 3;
/// a = profile, b = setting key, c = value (TOML; a bare word is a string).
pub const NHOS_EDIT_OP_SET_SETTING: nhos_edit_op = 4;
/// a = profile, b = setting key.
pub const NHOS_EDIT_OP_UNSET_SETTING: nhos_edit_op = 5;
/// a = branding field, b = value.
pub const NHOS_EDIT_OP_SET_BRANDING: nhos_edit_op = 6;
/// a = old profile name, b = new name.
pub const NHOS_EDIT_OP_RENAME_PROFILE: nhos_edit_op = 7;

/// Which findings of an edit result: one of the `NHOS_FINDINGS_*` constants.
pub type nhos_findings_which = i32;
/// Open findings the edit adds.
pub const NHOS_FINDINGS_ADDED: nhos_findings_which = 0;
/// Open findings the edit fixes.
pub const NHOS_FINDINGS_REMOVED: nhos_findings_which = 1;

/// How an edit runs. NULL means the defaults (`NHOS_EDIT_OPTIONS_INIT`): write,
/// refuse new error-level findings, judge on the current UTC day.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct nhos_edit_options {
    pub size: u32,
    /// Compute the change and its diff, write nothing.
    pub dry_run: bool,
    /// Apply it even if it adds error-level findings.
    pub allow_errors: bool,
    /// The day findings are judged on ("YYYY-MM-DD"), or NULL for today (UTC).
    pub today: *const c_char,
}

/// A waiver for `nhos_edit_add_waiver`. Set `size` (`NHOS_WAIVER_INIT`).
#[repr(C)]
pub struct nhos_waiver {
    pub size: u32,
    pub id: *const c_char,
    pub rule: *const c_char,
    pub profiles: *const *const c_char,
    pub profiles_len: usize,
    pub justification: *const c_char,
    pub approver: *const c_char,
    /// "YYYY-MM-DD".
    pub expires: *const c_char,
    /// "YYYY-MM-DD" or NULL.
    pub approved: *const c_char,
    /// What the waiver accepts: setting keys and their values as TOML text
    /// (`900`, `false`, `"recommended"`), `accepts_len` of each (or NULL and 0).
    pub accepts_keys: *const *const c_char,
    pub accepts_values: *const *const c_char,
    pub accepts_len: usize,
}

/// What an edit did (or, with `dry_run`, would do).
pub struct nhos_edit_result {
    diff: CString,
    files: Vec<CString>,
    added: Findings,
    removed: Findings,
}

fn options(opts: *const nhos_edit_options) -> Result<(bool, nhos_core::EditOptions)> {
    let defaults = nhos_edit_options {
        size: std::mem::size_of::<nhos_edit_options>() as u32,
        dry_run: false,
        allow_errors: false,
        today: std::ptr::null(),
    };
    let o = if opts.is_null() {
        defaults
    } else {
        let size = sized_arg(opts, "opts", std::mem::size_of::<nhos_edit_options>())?;
        read_sized(opts, size, defaults)
    };
    Ok((
        o.dry_run,
        nhos_core::EditOptions {
            allow_errors: o.allow_errors,
            today: today(o.today)?,
        },
    ))
}

/// Prepares and (unless a dry run) writes an edit; hands back its result.
fn run(
    dir: *const c_char,
    edit: nhos_core::Edit,
    opts: *const nhos_edit_options,
    out: *mut *mut nhos_edit_result,
) -> Result<()> {
    let dir = PathBuf::from(str_arg(dir, "dir")?);
    let out = out_arg(out, "out")?;
    let (dry_run, opts) = options(opts)?;
    let tree = nhos_core::edit::read_dir_tree(&dir)?;
    let r = nhos_core::edit::prepare(&tree, &edit, &opts)?;
    if !dry_run {
        r.write(&dir)?;
    }
    let result = nhos_edit_result {
        diff: c(&r.diff()),
        files: r.files.keys().map(|f| c(f)).collect(),
        added: Findings::new(r.findings_added),
        removed: Findings::new(r.findings_removed),
    };
    write_out(out, into_handle(result));
    Ok(())
}

/// Edits the estate in directory `dir`: `op` with its string arguments `a`, `b`,
/// `c` (see `NHOS_EDIT_OP_*`; unused ones may be NULL). The edited estate must
/// load and (unless `opts->allow_errors`) gain no error-level findings.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit(
    dir: *const c_char,
    op: nhos_edit_op,
    a: *const c_char,
    b: *const c_char,
    c_: *const c_char,
    opts: *const nhos_edit_options,
    out: *mut *mut nhos_edit_result,
) -> *mut nhos_error {
    guard(|| {
        let op = nhos_core::edit::EditOp::from_number(i64::from(op))?;
        let c = if op == nhos_core::edit::EditOp::SetSetting {
            Some(str_arg(c_, "c")?)
        } else {
            None
        };
        let edit = op.edit(str_arg(a, "a")?, str_arg(b, "b")?, c)?;
        run(dir, edit, opts, out)
    })
}

/// Adds a waiver to policy.toml.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_add_waiver(
    dir: *const c_char,
    waiver: *const nhos_waiver,
    opts: *const nhos_edit_options,
    out: *mut *mut nhos_edit_result,
) -> *mut nhos_error {
    guard(|| {
        sized_arg(waiver, "waiver", std::mem::size_of::<nhos_waiver>())?;
        let w = ref_arg(waiver, "waiver")?;
        let keys = str_array_arg(w.accepts_keys, w.accepts_len, "accepts_keys")?;
        let values = str_array_arg(w.accepts_values, w.accepts_len, "accepts_values")?;
        let edit = nhos_core::Edit::AddWaiver {
            id: str_arg(w.id, "id")?.to_owned(),
            rule: str_arg(w.rule, "rule")?.to_owned(),
            profiles: str_array_arg(w.profiles, w.profiles_len, "profiles")?
                .into_iter()
                .map(str::to_owned)
                .collect(),
            justification: str_arg(w.justification, "justification")?.to_owned(),
            approver: str_arg(w.approver, "approver")?.to_owned(),
            expires: day(str_arg(w.expires, "expires")?)?,
            approved: opt_str_arg(w.approved, "approved")?.map(day).transpose()?,
            accepts: keys
                .into_iter()
                .zip(values)
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        };
        run(dir, edit, opts, out)
    })
}

/// Writes `profiles/<name>.toml` inheriting the `inherits_len` profiles in
/// `inherits`, with `role` (NULL for an abstract profile).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_add_profile(
    dir: *const c_char,
    name: *const c_char,
    inherits: *const *const c_char,
    inherits_len: usize,
    role: *const c_char,
    opts: *const nhos_edit_options,
    out: *mut *mut nhos_edit_result,
) -> *mut nhos_error {
    guard(|| {
        let edit = nhos_core::Edit::AddProfile {
            name: str_arg(name, "name")?.to_owned(),
            role: opt_str_arg(role, "role")?.map(str::to_owned),
            inherits: str_array_arg(inherits, inherits_len, "inherits")?
                .into_iter()
                .map(str::to_owned)
                .collect(),
        };
        run(dir, edit, opts, out)
    })
}

/// The unified diff of the change, borrowed from the result ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_result_diff(result: *const nhos_edit_result) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(result, "result").map_or(EMPTY.as_ptr(), |r| r.diff.as_ptr())
    })
}

/// How many files the edit changes (0 for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_result_files_len(result: *const nhos_edit_result) -> usize {
    guard_or(0, || ref_arg(result, "result").map_or(0, |r| r.files.len()))
}

/// Changed file `index`, relative to the estate, borrowed (NULL if out of range).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_result_file(
    result: *const nhos_edit_result,
    index: usize,
) -> *const c_char {
    guard_or(std::ptr::null(), || {
        ref_arg(result, "result")
            .ok()
            .and_then(|r| r.files.get(index))
            .map_or(std::ptr::null(), |f| f.as_ptr())
    })
}

fn which(r: &nhos_edit_result, w: nhos_findings_which) -> Result<&Findings> {
    match w {
        NHOS_FINDINGS_ADDED => Ok(&r.added),
        NHOS_FINDINGS_REMOVED => Ok(&r.removed),
        _ => Err(nhos_error::new(
            nhos_code::Usage,
            format!("{w} is not NHOS_FINDINGS_ADDED or NHOS_FINDINGS_REMOVED"),
        )),
    }
}

/// How many findings the edit adds or fixes (0 for NULL or an unknown `which`).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_result_findings_len(
    result: *const nhos_edit_result,
    which_: nhos_findings_which,
) -> usize {
    guard_or(0, || {
        ref_arg(result, "result")
            .ok()
            .and_then(|r| which(r, which_).ok())
            .map_or(0, |f| f.items.len())
    })
}

/// Finding `index` of those the edit adds or fixes, borrowed from the result.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_result_finding(
    result: *const nhos_edit_result,
    which_: nhos_findings_which,
    index: usize,
    out: *mut nhos_finding,
) -> *mut nhos_error {
    guard(|| which(ref_arg(result, "result")?, which_)?.get(index, out))
}

/// Frees an edit result (NULL is fine).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_edit_result_free(result: *mut nhos_edit_result) {
    guard_or((), || crate::boundary::free_handle(result));
}
