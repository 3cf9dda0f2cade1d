//! JUnit XML: one suite per profile (and one for the estate), one test case per
//! rule evaluated.

use crate::diagnostic::Severity;
use crate::rules::rule;
use crate::validate::{Finding, Report, Status};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold these even as character references.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{fffd}'),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: one suite per profile (and one for the estate), one test case per rule
/// evaluated; open error and warning findings are failures, waived and manual ones
/// are skipped with the reason.
pub fn junit(report: &Report) -> String {
    junit_doc(&[junit_suites(report, None)])
}

/// Several estates' reports as one JUnit document: each estate's suites, named
/// `<estate>: profile <name>`, with the estate in each class name.
pub fn junit_many(reports: &[(&str, &Report)]) -> String {
    let parts: Vec<Suites> = reports
        .iter()
        .map(|(label, r)| junit_suites(r, Some(label)))
        .collect();
    junit_doc(&parts)
}

/// The suites of one report, and their totals (tests, failures, skipped).
struct Suites {
    xml: String,
    totals: (usize, usize, usize),
}

fn junit_doc(parts: &[Suites]) -> String {
    let (mut total, mut total_fail, mut total_skip) = (0, 0, 0);
    let mut suites = String::new();
    for p in parts {
        suites.push_str(&p.xml);
        total += p.totals.0;
        total_fail += p.totals.1;
        total_skip += p.totals.2;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nhos validate\" tests=\"{total}\" failures=\"{total_fail}\" errors=\"0\" skipped=\"{total_skip}\">\n{suites}</testsuites>\n"
    )
}

fn junit_suites(report: &Report, estate: Option<&str>) -> Suites {
    let mut suites = String::new();
    let (mut total, mut total_fail, mut total_skip) = (0, 0, 0);
    for (profile, rules) in &checked(report) {
        let (cases, fails, skips) = test_cases(report, estate, profile, rules);
        total += rules.len();
        total_fail += fails;
        total_skip += skips;
        let name = match (estate, profile.as_str()) {
            (None, "-") => "estate".to_owned(),
            (None, p) => format!("profile {p}"),
            (Some(e), "-") => format!("{e}: estate"),
            (Some(e), p) => format!("{e}: profile {p}"),
        };
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\" errors=\"0\" skipped=\"{skips}\">\n{cases}  </testsuite>\n",
            xml(&name),
            rules.len()
        );
    }
    Suites {
        xml: suites,
        totals: (total, total_fail, total_skip),
    }
}

/// The rules evaluated for each profile ("-" is the estate). Waiver findings (rule
/// W) are the estate's: a case of their own there.
fn checked(report: &Report) -> BTreeMap<String, Vec<String>> {
    let has_w = report.findings.iter().any(|f| f.rule == "W");
    let mut checked = report.checked.clone();
    if has_w {
        let estate = checked.entry("-".to_owned()).or_default();
        if !estate.iter().any(|r| r == "W") {
            estate.push("W".to_owned());
        }
    }
    checked
}

/// The test cases of one suite (a profile, or "-" for the estate), and how many of
/// them failed and were skipped.
fn test_cases(
    report: &Report,
    estate: Option<&str>,
    profile: &str,
    rules: &[String],
) -> (String, usize, usize) {
    let mut cases = String::new();
    let (mut fails, mut skips) = (0, 0);
    let pname = if profile == "-" { None } else { Some(profile) };
    for id in rules {
        let title = rule(id).map_or(if id == "W" { "Waivers" } else { "" }, |r| r.title);
        let fs: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.rule == *id && f.profile.as_deref() == pname)
            .collect();
        let scope = estate.map(|e| format!("{}.", xml(e))).unwrap_or_default();
        let class = if profile == "-" {
            format!("nhos.{scope}estate")
        } else {
            format!("nhos.{scope}profile.{}", xml(profile))
        };
        let _ = write!(
            cases,
            "    <testcase classname=\"{class}\" name=\"{} {}\">",
            xml(id),
            xml(title)
        );
        match outcome(&mut cases, &fs) {
            Outcome::Failed => fails += 1,
            Outcome::Skipped => skips += 1,
            Outcome::Passed => {}
        }
        cases.push_str("</testcase>\n");
    }
    (cases, fails, skips)
}

enum Outcome {
    Passed,
    Failed,
    Skipped,
}

/// Writes a test case's `<failure>` (its open error and warning findings) or
/// `<skipped>` (waived, manual or not enforced), if any.
fn outcome(cases: &mut String, fs: &[&Finding]) -> Outcome {
    let open: Vec<&&Finding> = fs
        .iter()
        .filter(|f| f.status == Status::Open && f.severity != Severity::Info)
        .collect();
    if !open.is_empty() {
        let body: Vec<String> = open
            .iter()
            .map(|f| {
                format!(
                    "{}{}",
                    f.message,
                    f.location
                        .as_ref()
                        .map(|l| format!(" ({l})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let _ = write!(
            cases,
            "\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    ",
            open[0].severity.as_str(),
            xml(&open[0].message),
            xml(&body.join("\n"))
        );
        Outcome::Failed
    } else if let Some(f) = fs.iter().find(|f| f.status != Status::Open) {
        let why = match (&f.waiver, f.status) {
            (Some(w), _) => format!("waived by {w}"),
            (_, Status::Manual) => format!("manual check: {}", f.message),
            (_, Status::NotEnforced) => f.message.clone(),
            _ => String::new(),
        };
        let _ = write!(cases, "\n      <skipped message=\"{}\"/>\n    ", xml(&why));
        Outcome::Skipped
    } else {
        Outcome::Passed
    }
}
