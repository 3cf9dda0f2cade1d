//! Reports and their findings.
#![allow(unsafe_code)]
#![allow(non_camel_case_types)]

use crate::api::{EMPTY, c, nhos_estate, today};
use crate::boundary::{
    guard, guard_or, into_c_string, into_handle, out_arg, ref_arg, sized_arg, str_arg, write_out,
    write_sized,
};
use crate::error::{nhos_code, nhos_error};
use std::ffi::{CString, c_char};

/// One finding, borrowed from the report (or edit result) it came from: every
/// pointer is valid until that is freed. `profile`, `file` and `waiver` are NULL
/// when the finding has none; `line` and `column` are 0 then. Set `size` before
/// the call (`nhos_finding f = NHOS_FINDING_INIT;`): the library writes only the
/// fields a struct of that size has, so a program built against an older header
/// keeps working when fields are added at the end.
#[repr(C)]
pub struct nhos_finding {
    pub size: u32,
    pub line: u32,
    pub column: u32,
    pub rule: *const c_char,
    pub title: *const c_char,
    pub severity: *const c_char,
    pub status: *const c_char,
    pub profile: *const c_char,
    pub subject: *const c_char,
    pub message: *const c_char,
    pub remediation: *const c_char,
    pub file: *const c_char,
    pub waiver: *const c_char,
    pub fingerprint: *const c_char,
    /// After `nhos_report_ratchet`: 1 if the finding is new, 0 if not; -1 otherwise.
    pub is_new: i32,
}

/// Counts of a report. Set `size` before the call (`NHOS_SUMMARY_INIT`).
#[repr(C)]
pub struct nhos_summary {
    pub size: u32,
    /// Open findings by severity.
    pub errors: u32,
    pub warnings: u32,
    pub infos: u32,
    pub waived: u32,
    pub manual: u32,
    /// Rules the definition passes but the generated system cannot enforce.
    pub not_enforced: u32,
    /// After `nhos_report_ratchet`: open findings not in the baseline; else -1.
    pub new_findings: i64,
}

/// The C strings of one finding, kept with the value they point into.
pub(crate) struct FindingStrings([CString; 11]);

impl FindingStrings {
    pub(crate) fn of(f: &nhos_core::Finding) -> Self {
        FindingStrings([
            c(&f.rule),
            c(&f.title),
            c(f.severity.as_str()),
            c(f.status.as_str()),
            c(f.profile.as_deref().unwrap_or("")),
            c(&f.subject),
            c(&f.message),
            c(&f.remediation),
            c(f.location.as_ref().map_or("", |l| l.file.as_str())),
            c(f.waiver.as_deref().unwrap_or("")),
            c(&f.fingerprint),
        ])
    }

    fn view(&self, f: &nhos_core::Finding) -> nhos_finding {
        let s = &self.0;
        let or_null = |i: usize, present: bool| {
            if present {
                s[i].as_ptr()
            } else {
                std::ptr::null()
            }
        };
        let loc = f.location.as_ref();
        nhos_finding {
            size: std::mem::size_of::<nhos_finding>() as u32,
            line: loc.map_or(0, |l| l.line),
            column: loc.map_or(0, |l| l.column),
            rule: s[0].as_ptr(),
            title: s[1].as_ptr(),
            severity: s[2].as_ptr(),
            status: s[3].as_ptr(),
            profile: or_null(4, f.profile.is_some()),
            subject: s[5].as_ptr(),
            message: s[6].as_ptr(),
            remediation: s[7].as_ptr(),
            file: or_null(8, loc.is_some()),
            waiver: or_null(9, f.waiver.is_some()),
            fingerprint: s[10].as_ptr(),
            is_new: f.new.map_or(-1, i32::from),
        }
    }
}

/// The C strings of a list of findings, kept beside the findings they point into
/// (a report's own, or an edit result's).
pub(crate) struct FindingViews(Vec<FindingStrings>);

impl FindingViews {
    pub(crate) fn of(items: &[nhos_core::Finding]) -> Self {
        FindingViews(items.iter().map(FindingStrings::of).collect())
    }

    /// Writes finding `index` of `items` (the list these views were made of) to the
    /// caller's struct.
    pub(crate) fn get(
        &self,
        items: &[nhos_core::Finding],
        index: usize,
        out: *mut nhos_finding,
    ) -> crate::error::Result<()> {
        let size = sized_arg(out, "out", std::mem::size_of::<nhos_finding>())?;
        let f = items.get(index).ok_or_else(|| {
            nhos_error::new(
                nhos_code::Usage,
                format!(
                    "index {index} is out of range (there are {} findings)",
                    items.len()
                ),
            )
        })?;
        write_sized(out, self.0[index].view(f), size);
        Ok(())
    }
}

/// Findings with their C strings (an edit result owns its findings).
pub(crate) struct Findings {
    pub(crate) items: Vec<nhos_core::Finding>,
    views: FindingViews,
}

impl Findings {
    pub(crate) fn new(items: Vec<nhos_core::Finding>) -> Self {
        let views = FindingViews::of(&items);
        Findings { items, views }
    }

    /// Writes finding `index` to the caller's struct.
    pub(crate) fn get(&self, index: usize, out: *mut nhos_finding) -> crate::error::Result<()> {
        self.views.get(&self.items, index, out)
    }
}

/// A validation report.
pub struct nhos_report {
    pub(crate) inner: nhos_core::Report,
    /// Rendered on the first `nhos_report_json`, then borrowed from here.
    json: std::sync::OnceLock<CString>,
    today: CString,
    /// C strings of `inner.findings` (the findings are not copied), made on the
    /// first `nhos_report_get`.
    views: std::sync::OnceLock<FindingViews>,
}

impl nhos_report {
    pub(crate) fn new(inner: nhos_core::Report) -> Self {
        nhos_report {
            json: std::sync::OnceLock::new(),
            today: c(&inner.today),
            views: std::sync::OnceLock::new(),
            inner,
        }
    }
}

/// Validates an estate. `today` ("YYYY-MM-DD") may be NULL for the current UTC day.
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
        write_out(out, into_handle(nhos_report::new(inner)));
        Ok(())
    })
}

/// Reads a report saved as JSON (`nhos_report_json`, `nhos validate --format json`).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_from_json(
    text: *const c_char,
    out: *mut *mut nhos_report,
) -> *mut nhos_error {
    guard(|| {
        let text = str_arg(text, "text")?;
        let out = out_arg(out, "out")?;
        let inner =
            nhos_core::Report::from_json(text).map_err(|e| nhos_error::new(nhos_code::Usage, e))?;
        write_out(out, into_handle(nhos_report::new(inner)));
        Ok(())
    })
}

/// A new report: `report` with each open finding marked new or not against
/// `baseline` (only new error-level findings then make it fail).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_ratchet(
    report: *const nhos_report,
    baseline: *const nhos_report,
    out: *mut *mut nhos_report,
) -> *mut nhos_error {
    guard(|| {
        let r = ref_arg(report, "report")?;
        let b = ref_arg(baseline, "baseline")?;
        let out = out_arg(out, "out")?;
        let mut inner = r.inner.clone();
        inner.ratchet(&b.inner);
        write_out(out, into_handle(nhos_report::new(inner)));
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

/// Finding `index` of a report, borrowed from it. `out->size` must be set.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_get(
    report: *const nhos_report,
    index: usize,
    out: *mut nhos_finding,
) -> *mut nhos_error {
    guard(|| {
        let r = ref_arg(report, "report")?;
        let views = r.views.get_or_init(|| FindingViews::of(&r.inner.findings));
        views.get(&r.inner.findings, index, out)
    })
}

/// The report's counts. `out->size` must be set.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_summary(
    report: *const nhos_report,
    out: *mut nhos_summary,
) -> *mut nhos_error {
    guard(|| {
        let r = ref_arg(report, "report")?;
        let size = sized_arg(out, "out", std::mem::size_of::<nhos_summary>())?;
        let s = &r.inner.summary;
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        write_sized(
            out,
            nhos_summary {
                size,
                errors: n(s.errors),
                warnings: n(s.warnings),
                infos: n(s.infos),
                waived: n(s.waived),
                manual: n(s.manual),
                not_enforced: n(s.not_enforced),
                new_findings: s.new.map_or(-1, |v| v as i64),
            },
            size,
        );
        Ok(())
    })
}

/// The day the report was judged on ("YYYY-MM-DD"), borrowed ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_today(report: *const nhos_report) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(report, "report").map_or(EMPTY.as_ptr(), |r| r.today.as_ptr())
    })
}

/// The report as JSON (schema `nhos-report/1`), borrowed until the report is freed
/// ("" for NULL).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_json(report: *const nhos_report) -> *const c_char {
    guard_or(EMPTY.as_ptr(), || {
        ref_arg(report, "report").map_or(EMPTY.as_ptr(), |r| {
            let json = r
                .json
                .get_or_init(|| c(&nhos_core::validate::format::json(&r.inner)));
            json.as_ptr()
        })
    })
}

fn report_text(
    report: *const nhos_report,
    out: *mut *mut c_char,
    f: fn(&nhos_core::Report) -> String,
) -> *mut nhos_error {
    guard(|| {
        let r = ref_arg(report, "report")?;
        let out = out_arg(out, "out")?;
        write_out(out, into_c_string(f(&r.inner)));
        Ok(())
    })
}

/// The report as SARIF 2.1.0 (owned; free with `nhos_string_free`).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_sarif(
    report: *const nhos_report,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    report_text(report, out, nhos_core::validate::format::sarif)
}

/// The report as the CLI prints it, without colour (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_text(
    report: *const nhos_report,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    report_text(report, out, nhos_core::validate::format::text)
}

/// The report as JUnit XML (owned).
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_junit(
    report: *const nhos_report,
    out: *mut *mut c_char,
) -> *mut nhos_error {
    report_text(report, out, nhos_core::validate::format::junit)
}

/// Whether the report has open error-level findings (only new ones after a
/// ratchet). Fails closed: true for NULL or on an internal error.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_fails(report: *const nhos_report) -> bool {
    guard_or(true, || {
        ref_arg(report, "report").map_or(true, |r| r.inner.fails())
    })
}

/// Frees a report (NULL is fine). Findings borrowed from it become invalid.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_report_free(report: *mut nhos_report) {
    guard_or((), || crate::boundary::free_handle(report));
}
