//! The compliance report (`nhos report DIR -o report.html`): one self-contained
//! HTML file an assessor opens or prints — the estate summary, the profile
//! inheritance drawn as SVG, a rule × profile matrix coloured by status, each
//! finding with its definition line (linked to the definition's own text, which
//! the report carries), remediation and NCSC / Cyber Essentials / CIS / DSPT
//! references, the waivers on a timeline, and, when given, the plan. No network,
//! no script, no external asset; every value is escaped for HTML; the colours are
//! the NHS palette with WCAG AA contrast (tested).

mod matrix;
mod sections;

pub use matrix::{Cell, STATUS_COLOURS, matrix};

use crate::model::Estate;
use crate::report::Report;
use quick_xml::escape::escape;
use std::fmt::Write as _;

const STYLE: &str = include_str!("style.css");

/// What the report shows beside the estate.
#[derive(Debug, Clone)]
pub struct ReportOptions<'a> {
    /// The validation report (on the day judged).
    pub report: &'a Report,
    /// The plan from an older version, if any.
    pub plan: Option<&'a crate::Plan>,
}

/// HTML text, escaped.
pub(crate) fn h(s: &str) -> String {
    escape(s).into_owned()
}

/// The anchor of a definition line: `src-profiles_2fclinical.toml-8`. Letters,
/// digits, `.` and `-` stand for themselves and every other character is `_` and
/// its code point in hex, so distinct files never share an anchor.
pub(crate) fn line_anchor(file: &str, line: u32) -> String {
    let mut safe = String::new();
    for c in file.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            safe.push(c);
        } else {
            let _ = write!(safe, "_{:x}", c as u32);
        }
    }
    format!("src-{safe}-{line}")
}

/// The report.
pub fn html(estate: &Estate, opts: &ReportOptions<'_>) -> String {
    let mut o = String::new();
    let title = format!("{}: compliance report", estate.organisation.name);
    let _ = write!(
        o,
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        h(&title),
        h(&title)
    );
    sections::summary(&mut o, estate, opts.report);
    sections::estate_graph(&mut o, estate);
    matrix::section(&mut o, estate, opts.report);
    sections::findings(&mut o, opts.report);
    sections::waivers(&mut o, estate, opts.report);
    if let Some(plan) = opts.plan {
        sections::plan(&mut o, plan);
    }
    sections::rules(&mut o);
    sections::sources(&mut o, estate);
    o.push_str("</main>\n</body>\n</html>\n");
    o
}
