//! The exported C functions. Bodies hold no `unsafe` blocks: pointers go through
//! `boundary.rs`. (The lint allowance is for `#[unsafe(no_mangle)]` only.)
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]

use crate::boundary::{
    free_c_string, free_handle, guard, guard_or, into_c_string, into_handle, opt_str_arg, out_arg,
    ref_arg, str_arg, write_out,
};
use crate::error::{Result, nhos_code, nhos_error};
use std::ffi::{CString, c_char};
use std::path::PathBuf;

/// A loaded, resolved estate.
pub struct nhos_estate {
    inner: nhos_core::Estate,
}

/// A validation report.
pub struct nhos_report {
    inner: nhos_core::Report,
    json: CString,
    strings: Vec<[CString; 9]>,
}

/// A plan between two estates.
pub struct nhos_plan {
    inner: nhos_core::Plan,
    json: CString,
}

/// One finding, borrowed from its report: every pointer is valid until the report
/// is freed. `profile` and `file` are NULL when the finding has none; `line` and
/// `column` are 0 then.
#[repr(C)]
pub struct nhos_finding {
    pub rule: *const c_char,
    pub severity: *const c_char,
    pub status: *const c_char,
    pub profile: *const c_char,
    pub subject: *const c_char,
    pub message: *const c_char,
    pub file: *const c_char,
    pub waiver: *const c_char,
    pub fingerprint: *const c_char,
    pub line: u32,
    pub column: u32,
}

/// The edits `nhos_edit` can make. `a`, `b` and `c` are its string arguments.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub enum nhos_edit_op {
    /// a = profile, b = package.
    AddPackage = 0,
    /// a = profile, b = package.
    RemovePackage = 1,
    /// a = profile, b = capability.
    AddCapability = 2,
    /// a = profile, b = capability.
    RemoveCapability = 3,
    /// a = profile, b = setting key, c = value (TOML; a bare word is a string).
    SetSetting = 4,
    /// a = profile, b = setting key.
    UnsetSetting = 5,
    /// a = branding field, b = value.
    SetBranding = 6,
    /// a = old profile name, b = new name.
    RenameProfile = 7,
}

const EMPTY: &std::ffi::CStr = c"";
static VERSION: &std::ffi::CStr = c"0.1.0";

fn c(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

fn today(p: *const c_char) -> Result<nhos_core::Date> {
    match opt_str_arg(p, "today")? {
        Some(s) => nhos_core::Date::parse(s).ok_or_else(|| {
            nhos_error::new(
                nhos_code::Usage,
                format!("{s:?} is not a date such as 2026-11-23"),
            )
        }),
        None => Ok(nhos_core::Date::today_utc()),
    }
}

fn ptr_or_null(s: &CString, present: bool) -> *const c_char {
    if present {
        s.as_ptr()
    } else {
        std::ptr::null()
    }
}

/// The library version, e.g. "0.1.0" (static; do not free).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The code of an error (`NHOS_CODE_OK` for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_error_code(err: *const nhos_error) -> nhos_code {
    guard_or(nhos_code::Panic, || {
        ref_arg(err, "err").map_or(nhos_code::Ok, |e| e.code)
    })
}

/// The message of an error, borrowed until `nhos_error_free` ("" for NULL).
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
/// `NHOS_CODE_LOAD` and `nhos_error_diagnostics_json` lists them all.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_load(
    path: *const c_char,
    out: *mut *mut nhos_estate,
) -> *mut nhos_error {
    guard(|| {
        let path = str_arg(path, "path")?;
        let out = out_arg(out, "out")?;
        let inner = nhos_core::load(path)?;
        write_out(out, into_handle(nhos_estate { inner }));
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
        write_out(out, into_handle(nhos_estate { inner }));
        Ok(())
    })
}

/// Frees an estate (NULL is fine).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_free(estate: *mut nhos_estate) {
    guard_or((), || free_handle(estate));
}

/// The estate's profile names as a JSON array (owned; free with `nhos_string_free`).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_profiles_json(
    estate: *const nhos_estate,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let e = ref_arg(estate, "estate")?;
        let out = out_arg(out, "out")?;
        let names: Vec<&String> = e.inner.profiles.keys().collect();
        write_out(
            out,
            into_c_string(serde_json::to_string(&names).unwrap_or_default()),
        );
        Ok(())
    })
}

/// Validates an estate. `today` ("YYYY-MM-DD") may be NULL for the system date.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_estate_validate(
    estate: *const nhos_estate,
    today_: *const c_char,
    out: *mut *mut nhos_report,
) -> *mut nhos_error {
    guard(|| {
        let e = ref_arg(estate, "estate")?;
        let day = today(today_)?;
        let out = out_arg(out, "out")?;
        let inner = nhos_core::validate(&e.inner, &nhos_core::ValidateOptions { today: day });
        let json = c(&nhos_core::validate::format::json(&inner));
        let strings = inner
            .findings
            .iter()
            .map(|f| {
                let status = f.status.as_str();
                [
                    c(&f.rule),
                    c(f.severity.as_str()),
                    c(status),
                    c(f.profile.as_deref().unwrap_or("")),
                    c(&f.subject),
                    c(&f.message),
                    c(f.location.as_ref().map_or("", |l| l.file.as_str())),
                    c(f.waiver.as_deref().unwrap_or("")),
                    c(&f.fingerprint),
                ]
            })
            .collect();
        write_out(
            out,
            into_handle(nhos_report {
                inner,
                json,
                strings,
            }),
        );
        Ok(())
    })
}

/// The number of findings in a report (0 for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_len(report: *const nhos_report) -> usize {
    guard_or(0, || {
        ref_arg(report, "report").map_or(0, |r| r.inner.findings.len())
    })
}

/// Finding `index` of a report, borrowed from it.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_get(
    report: *const nhos_report,
    index: usize,
    out: *mut nhos_finding,
) -> *mut nhos_error {
    guard(|| {
        let r = ref_arg(report, "report")?;
        let out = out_arg(out, "out")?;
        let f = r.inner.findings.get(index).ok_or_else(|| {
            nhos_error::new(
                nhos_code::Usage,
                format!(
                    "index {index} is out of range (the report has {} findings)",
                    r.inner.findings.len()
                ),
            )
        })?;
        let s = &r.strings[index];
        let loc = f.location.as_ref();
        write_out(
            out,
            nhos_finding {
                rule: s[0].as_ptr(),
                severity: s[1].as_ptr(),
                status: s[2].as_ptr(),
                profile: ptr_or_null(&s[3], f.profile.is_some()),
                subject: s[4].as_ptr(),
                message: s[5].as_ptr(),
                file: ptr_or_null(&s[6], loc.is_some()),
                waiver: ptr_or_null(&s[7], f.waiver.is_some()),
                fingerprint: s[8].as_ptr(),
                line: loc.map_or(0, |l| l.line),
                column: loc.map_or(0, |l| l.column),
            },
        );
        Ok(())
    })
}

/// The report as JSON (schema `nhos-report/1`), borrowed until the report is freed
/// ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_json(report: *const nhos_report) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(report, "report").map_or(EMPTY.as_ptr(), |r| r.json.as_ptr())
    })
}

/// The report as SARIF 2.1.0 (owned; free with `nhos_string_free`).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_sarif(
    report: *const nhos_report,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let r = ref_arg(report, "report")?;
        let out = out_arg(out, "out")?;
        write_out(
            out,
            into_c_string(nhos_core::validate::format::sarif(&r.inner)),
        );
        Ok(())
    })
}

/// Whether the report has open error-level findings (false for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_fails(report: *const nhos_report) -> bool {
    guard_or(false, || {
        ref_arg(report, "report").is_ok_and(|r| r.inner.fails())
    })
}

/// Frees a report (NULL is fine). Findings borrowed from it become invalid.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_free(report: *mut nhos_report) {
    guard_or((), || free_handle(report));
}

/// Plans the change from `old` to `new`. `today` may be NULL; `nix_diff` adds the
/// text diff of the generated Nix.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_new(
    old: *const nhos_estate,
    new: *const nhos_estate,
    today_: *const c_char,
    nix_diff: bool,
    out: *mut *mut nhos_plan,
) -> *mut nhos_error {
    guard(|| {
        let (a, b) = (ref_arg(old, "old")?, ref_arg(new, "new")?);
        let day = today(today_)?;
        let out = out_arg(out, "out")?;
        let inner = nhos_core::plan(
            &a.inner,
            &b.inner,
            &nhos_core::PlanOptions {
                today: day,
                findings: true,
                nix_diff,
            },
        );
        let json = c(&nhos_core::plan::format::json(&inner));
        write_out(out, into_handle(nhos_plan { inner, json }));
        Ok(())
    })
}

/// Whether a plan has no change (true for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_is_empty(plan: *const nhos_plan) -> bool {
    guard_or(true, || {
        ref_arg(plan, "plan").map_or(true, |p| p.inner.is_empty())
    })
}

/// The plan as JSON (schema `nhos-plan/1`), borrowed until the plan is freed.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_json(plan: *const nhos_plan) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(plan, "plan").map_or(EMPTY.as_ptr(), |p| p.json.as_ptr())
    })
}

/// Frees a plan (NULL is fine).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_free(plan: *mut nhos_plan) {
    guard_or((), || free_handle(plan));
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
        write_out(
            out,
            into_c_string(serde_json::to_string(&ex).unwrap_or_default()),
        );
        Ok(())
    })
}

/// Edits the estate in directory `dir`, keeping comments and layout. The edited
/// estate must load and (unless `allow_errors`) gain no error-level findings, judged
/// on `today` ("YYYY-MM-DD"; NULL for the current UTC day). With `dry_run` nothing
/// is written. `out_diff` receives the unified diff (owned).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn nhos_edit(
    dir: *const c_char,
    op: nhos_edit_op,
    a: *const c_char,
    b: *const c_char,
    c_: *const c_char,
    dry_run: bool,
    allow_errors: bool,
    today_: *const c_char,
    out_diff: *mut *mut c_char,
) -> *mut nhos_error {
    guard(|| {
        let dir = PathBuf::from(str_arg(dir, "dir")?);
        let a = str_arg(a, "a")?.to_owned();
        let b = str_arg(b, "b")?.to_owned();
        let edit = match op {
            nhos_edit_op::AddPackage => nhos_core::Edit::AddPackage {
                profile: a,
                package: b,
            },
            nhos_edit_op::RemovePackage => nhos_core::Edit::RemovePackage {
                profile: a,
                package: b,
            },
            nhos_edit_op::AddCapability => nhos_core::Edit::AddCapability {
                profile: a,
                capability: b,
            },
            nhos_edit_op::RemoveCapability => nhos_core::Edit::RemoveCapability {
                profile: a,
                capability: b,
            },
            nhos_edit_op::SetSetting => nhos_core::Edit::SetSetting {
                profile: a,
                key: b,
                value: str_arg(c_, "c")?.to_owned(),
            },
            nhos_edit_op::UnsetSetting => nhos_core::Edit::UnsetSetting { profile: a, key: b },
            nhos_edit_op::SetBranding => nhos_core::Edit::SetBranding { field: a, value: b },
            nhos_edit_op::RenameProfile => nhos_core::Edit::RenameProfile { from: a, to: b },
        };
        let out = out_arg(out_diff, "out_diff")?;
        let opts = nhos_core::EditOptions {
            allow_errors,
            today: today(today_)?,
        };
        let tree = nhos_core::edit::read_dir_tree(&dir)?;
        let r = nhos_core::edit::prepare(&tree, &edit, &opts)?;
        if !dry_run {
            r.write(&dir)?;
        }
        write_out(out, into_c_string(r.diff()));
        Ok(())
    })
}

/// Generates the flake into `out_dir` (or, with `check`, compares without
/// writing). `out_listing` receives the files written, or those that differ, one
/// per line (owned). While error-level findings remain it refuses with
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
            nhos_core::generate::check(&g, &dir)?
                .iter()
                .map(|d| d.to_string())
                .collect()
        } else {
            nhos_core::generate::write(&g, &dir)?;
            g.files.keys().cloned().collect()
        };
        write_out(out, into_c_string(lines.join("\n")));
        Ok(())
    })
}

/// Test support: panics inside the guard, to show a panic becomes `NHOS_CODE_PANIC`.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_debug_panic() -> *mut nhos_error {
    guard(|| panic!("nhos_debug_panic was called"))
}

/// Benchmark support: load + validate `path` `iterations` times in Rust and write
/// the median seconds of one round to `out_seconds`.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_bench_rust(
    path: *const c_char,
    today_: *const c_char,
    iterations: usize,
    out_seconds: *mut f64,
) -> *mut nhos_error {
    guard(|| {
        let path = str_arg(path, "path")?;
        let day = today(today_)?;
        let out = out_arg(out_seconds, "out_seconds")?;
        let mut times = Vec::new();
        for _ in 0..iterations.max(1) {
            let t = std::time::Instant::now();
            let e = nhos_core::load(path)?;
            std::hint::black_box(nhos_core::validate(
                &e,
                &nhos_core::ValidateOptions { today: day },
            ));
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        write_out(out, times[times.len() / 2]);
        Ok(())
    })
}
