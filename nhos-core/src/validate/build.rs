//! Rules judged on a profile's built system (`Judged::Build`): the closure's
//! advisory matches judged by each such unit, then the waivers of those rules
//! that name the profile (or every profile) applied, as `check` applies the rest.

use super::waivers::apply_waivers_of;
use super::*;
use crate::closure::scan::Match;
use crate::{Error, ErrorKind, Result};

/// Judges `profile`'s built system, given its advisory matches
/// ([`crate::closure::scan::scan`]), against the rules judged on builds, and
/// applies their waivers. The report checks only those rules.
pub fn validate_build(
    estate: &Estate,
    profile: &str,
    matches: &[Match],
    opts: &ValidateOptions,
) -> Result<Report> {
    let p = estate
        .profiles
        .get(profile)
        .ok_or_else(|| Error::new(ErrorKind::Usage, format!("no profile `{profile}`")))?;
    let mut sink = Sink {
        findings: Vec::new(),
        checked: BTreeMap::new(),
    };
    let mut judged = BTreeSet::new();
    if let Some(cx) = ProfileCx::new(estate, p, opts.today) {
        for unit in UNITS {
            let Judge::Build(judge) = unit.judge else {
                continue;
            };
            let Some(severity) = severity_for(unit.rule, cx.role) else {
                continue;
            };
            sink.check(Some(profile), unit.rule);
            judged.insert(unit.rule.id);
            let mut j = Judgement {
                rule: unit.rule,
                severity,
                profile: Some(profile),
                sink: &mut sink,
            };
            judge(&cx, matches, &mut j);
        }
    }
    let scope = |w: &crate::model::Waiver| {
        judged.contains(w.rule.as_str())
            && (w.profiles.is_empty() || w.profiles.iter().any(|x| x == profile))
    };
    apply_waivers_of(estate, opts, &mut sink, &scope);
    Ok(report(estate, opts, sink))
}

/// The advisory matches of `profile`'s built system ([`crate::closure::Evidence`],
/// which must name it) and rule R39's report on them, the estate's waivers applied:
/// `nhos vulns`. `dir` is the estate directory the remedies name.
pub fn vulns(
    estate: &Estate,
    profile: &str,
    ev: &crate::closure::Evidence,
    dir: &str,
) -> Result<(Vec<Match>, Report)> {
    if ev.closure.is_none() {
        return Err(Error::new(
            ErrorKind::Usage,
            "give the built system: --closure and --packages",
        ));
    }
    // Without a feed nothing could match: R39 would read as passed. Refuse instead.
    if ev.advisories.is_empty() {
        return Err(Error::new(
            ErrorKind::Usage,
            "give the advisories to match (--advisories FILE_OR_DIR: OSV records or vulnix --json output)",
        ));
    }
    let (_, matches) = crate::closure::gather(estate, profile, ev, dir)?;
    let opts = ValidateOptions { today: ev.today };
    let report = validate_build(estate, profile, &matches, &opts)?;
    Ok((matches, report))
}
