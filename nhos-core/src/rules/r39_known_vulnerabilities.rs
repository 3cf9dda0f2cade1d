//! R39: No known critical, high or unrated vulnerability past the patch window,
//! judged on
//! a profile's built system: each advisory that affects a store path of it (not
//! fixed by a patch of its derivation), is critical, high or unrated, and was
//! published
//! more than 14 days before the day judged is a finding, with the definition line
//! that brought the package in. A waiver accepts one advisory by its ID.

use super::prelude::*;
use crate::closure::scan::{Match, MatchStatus};

pub(super) const UNIT: Unit = Unit::build(&meta::R39, judge);

fn judge(cx: &ProfileCx<'_>, matches: &[Match], j: &mut Judgement<'_>) {
    for m in matches.iter().filter(|m| m.overdue && m.status == MatchStatus::Affected) {
        let id = m.cve.clone().unwrap_or_else(|| m.advisory.clone());
        let through = match (&m.attribute, &m.definition) {
            (Some(a), Some(at)) => format!(", brought in by package `{a}` ({at})"),
            _ => ", brought in by NixOS itself".to_owned(),
        };
        let published = m
            .published
            .map(|d| format!(", published {d}"))
            .unwrap_or_default();
        let location = m.attribute.as_deref().and_then(|a| cx.package_origin(a));
        j.fail(
            "advisory",
            Some(id.clone()),
            format!(
                "{id} ({}{published}) affects {} {}{through}: {}",
                m.severity.as_str(),
                m.package,
                m.version,
                m.remedy
            ),
            location,
        );
    }
}
