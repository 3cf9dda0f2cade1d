//! The rule × profile matrix: for every rule and concrete profile, what the report
//! says — pass (checked, nothing open), fail, waived, manual, declared not
//! enforced, not applicable, or judged on the built system.

use super::h;
use crate::model::Estate;
use crate::report::{Report, Status};
use crate::rules::{Applies, Judged, RULES};
use std::fmt::Write as _;

/// One cell's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cell {
    Pass,
    Fail,
    Waived,
    Manual,
    NotEnforced,
    NotApplicable,
    Build,
}

impl Cell {
    pub fn label(self) -> &'static str {
        match self {
            Cell::Pass => "pass",
            Cell::Fail => "fail",
            Cell::Waived => "waived",
            Cell::Manual => "manual",
            Cell::NotEnforced => "not enforced",
            Cell::NotApplicable => "n/a",
            Cell::Build => "on the build",
        }
    }
    fn class(self) -> &'static str {
        match self {
            Cell::Pass => "pass",
            Cell::Fail => "fail",
            Cell::Waived => "waived",
            Cell::Manual => "manual",
            Cell::NotEnforced => "not-enforced",
            Cell::NotApplicable => "na",
            Cell::Build => "build",
        }
    }
}

/// Each status's (background, text) colours: NHS palette, AA contrast.
pub const STATUS_COLOURS: &[(&str, &str, &str)] = &[
    ("pass", "#007F3B", "#FFFFFF"),
    ("fail", "#D5281B", "#FFFFFF"),
    ("waived", "#FFB81C", "#212B32"),
    ("manual", "#E8EDEE", "#212B32"),
    ("not-enforced", "#425563", "#FFFFFF"),
    ("na", "#FFFFFF", "#4C6272"),
    ("build", "#005EB8", "#FFFFFF"),
];

/// The matrix: rule ID → profile → cell, over the concrete profiles.
pub fn matrix(estate: &Estate, report: &Report) -> Vec<(&'static str, Vec<(String, Cell)>)> {
    let profiles: Vec<&crate::model::Profile> = estate.concrete_profiles().collect();
    RULES
        .iter()
        .map(|r| {
            let row = profiles
                .iter()
                .map(|p| {
                    let cell = if r.judged == Judged::Build {
                        Cell::Build
                    } else if p.role.is_some_and(|role| r.applies_to(role) == Applies::No) {
                        Cell::NotApplicable
                    } else {
                        cell(report, r.id, &p.name)
                    };
                    (p.name.clone(), cell)
                })
                .collect();
            (r.id, row)
        })
        .collect()
}

/// How bad a status is: a failure outweighs what is declared but not enforced,
/// which outweighs a waiver, which outweighs a manual check.
fn rank(c: Cell) -> u8 {
    match c {
        Cell::Fail => 4,
        Cell::NotEnforced => 3,
        Cell::Waived => 2,
        Cell::Manual => 1,
        _ => 0,
    }
}

/// The worst status among a rule's findings for a profile (and the estate-wide
/// ones, which concern every profile); pass when it was checked and none remain.
fn cell(report: &Report, rule: &str, profile: &str) -> Cell {
    let mut worst: Option<Cell> = None;
    for f in report
        .findings
        .iter()
        .filter(|f| f.rule == rule && f.profile.as_deref().is_none_or(|p| p == profile))
    {
        let c = match f.status {
            Status::Open if f.severity == crate::Severity::Info => continue,
            Status::Open => Cell::Fail,
            Status::Waived => Cell::Waived,
            Status::Manual => Cell::Manual,
            Status::NotEnforced => Cell::NotEnforced,
        };
        worst = Some(match worst {
            Some(w) if rank(w) >= rank(c) => w,
            _ => c,
        });
    }
    let checked = report
        .checked
        .get(profile)
        .is_some_and(|ids| ids.iter().any(|i| i == rule))
        || report
            .checked
            .get("-")
            .is_some_and(|ids| ids.iter().any(|i| i == rule));
    match worst {
        Some(c) => c,
        None if checked => Cell::Pass,
        None => Cell::NotApplicable,
    }
}

pub(super) fn section(o: &mut String, estate: &Estate, report: &Report) {
    let m = matrix(estate, report);
    let profiles: Vec<String> = estate.concrete_profiles().map(|p| p.name.clone()).collect();
    o.push_str("<section id=\"matrix\">\n<h2>Rules by profile</h2>\n<table class=\"matrix\">\n<caption>Each rule's result for each profile. Pass: the definition meets it and the generated configuration enforces it. Not enforced: declared but nhos cannot make it true on the device. On the build: judged on the built system by <code>nhos vulns</code>.</caption>\n<thead><tr><th scope=\"col\">Rule</th>");
    for p in &profiles {
        let _ = write!(o, "<th scope=\"col\">{}</th>", h(p));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for (id, row) in m {
        let title = crate::rules::rule(id).map_or("", |r| r.title);
        let _ = write!(
            o,
            "<tr><th scope=\"row\"><a href=\"#rule-{id}\">{id}</a> {}</th>",
            h(title)
        );
        for (p, c) in row {
            let _ = write!(
                o,
                "<td class=\"cell {}\" data-rule=\"{id}\" data-profile=\"{}\">{}</td>",
                c.class(),
                h(&p),
                c.label()
            );
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}
