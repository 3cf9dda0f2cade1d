//! Plans.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]

use crate::api::{EMPTY, c, json, nhos_estate, today};
use crate::boundary::{guard, guard_or, into_c_string, into_handle, out_arg, ref_arg, write_out};
use crate::error::nhos_error;
use std::ffi::{CString, c_char};

/// A plan between two estates.
pub struct nhos_plan {
    inner: nhos_core::Plan,
    /// Rendered on the first `nhos_plan_json`, then borrowed from here.
    json: std::sync::OnceLock<CString>,
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
            &nhos_core::PlanOptions::new(day, nix_diff),
        );
        let json = std::sync::OnceLock::new();
        write_out(out, into_handle(nhos_plan { inner, json }));
        Ok(())
    })
}

/// Whether a plan has no change. Fails closed: false for NULL or on an internal
/// error (a caller that skips a deployment on "empty" must not skip a real one).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_is_empty(plan: *const nhos_plan) -> bool {
    guard_or(false, || {
        ref_arg(plan, "plan").is_ok_and(|p| p.inner.is_empty())
    })
}

/// The plan as JSON (schema `nhos-plan/1`), borrowed until the plan is freed.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_json(plan: *const nhos_plan) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(plan, "plan").map_or(EMPTY.as_ptr(), |p| {
            let json = p
                .json
                .get_or_init(|| c(&nhos_core::plan::format::json(&p.inner)));
            json.as_ptr()
        })
    })
}

fn plan_text(
    plan: *const nhos_plan,
    out: *mut *mut c_char,
    f: impl FnOnce(&nhos_core::Plan) -> crate::error::Result<String>,
) -> *mut nhos_error {
    guard(|| {
        let p = ref_arg(plan, "plan")?;
        let out = out_arg(out, "out")?;
        let text = f(&p.inner)?;
        write_out(out, into_c_string(text));
        Ok(())
    })
}

/// The plan as the CLI prints it, without colour (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_text(plan: *const nhos_plan, out: *mut *mut c_char) -> *mut nhos_error {
    plan_text(plan, out, |p| Ok(nhos_core::plan::format::text(p)))
}

/// The plan as Markdown, for a pull-request comment (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_markdown(
    plan: *const nhos_plan,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    plan_text(plan, out, |p| Ok(nhos_core::plan::format::markdown(p)))
}

/// The plan's one-line summary ("2 profiles changed, …") (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_summary_line(
    plan: *const nhos_plan,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    plan_text(plan, out, |p| Ok(nhos_core::plan::format::summary_line(p)))
}

/// The plan's counts as a JSON object (`profiles_changed`, `packages_added`, …;
/// owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_summary_json(
    plan: *const nhos_plan,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    plan_text(plan, out, |p| json(&p.summary))
}

/// The names of the profiles that change (present on both sides), as a JSON array
/// (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_changed_profiles_json(
    plan: *const nhos_plan,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    plan_text(plan, out, |p| {
        json(&p.profiles.iter().map(|x| &x.name).collect::<Vec<_>>())
    })
}

/// Frees a plan (NULL is fine).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_plan_free(plan: *mut nhos_plan) {
    guard_or((), || crate::boundary::free_handle(plan));
}
