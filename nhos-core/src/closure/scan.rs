//! Matching advisories against a profile's closure: which store paths are
//! affected, which are not because their derivation patches the CVE, which
//! definition line brought each in, and the edit that would remove it.

use super::vex::{Advisory, Severity};
use super::{Closure, name};
use crate::{Date, Estate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Cyber Essentials: critical and high-risk fixes within 14 days of release.
pub const CYBER_ESSENTIALS_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchStatus {
    /// The version is affected and nothing says it is fixed.
    Affected,
    /// The version is affected but the derivation's patches name the CVE.
    NotAffected,
}

/// One advisory matched to one store path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub advisory: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cve: Option<String>,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    pub summary: String,
    pub package: String,
    pub version: String,
    pub path: String,
    pub status: MatchStatus,
    /// The CVE as the derivation's patches name it, when not affected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patched: Option<String>,
    /// The definition package that brings the path in (nearest), and its line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// What would remove or fix it.
    pub remedy: String,
    /// Critical, high or unrated, affected, and published more than 14 days before the day
    /// judged: outside the Cyber Essentials window.
    pub overdue: bool,
    /// Where the advisory came from.
    pub source: String,
}

/// Every advisory that names a package of `closure` at an affected version.
/// `drv_text` reads a derivation file (the paths' `deriver`), for its patches;
/// `dir` is the estate directory the remedy's `nhos edit` command names.
#[allow(clippy::too_many_arguments)]
pub fn scan(
    estate: &Estate,
    profile: &str,
    closure: &Closure,
    packages: &BTreeMap<String, String>,
    advisories: &[Advisory],
    drv_text: &dyn Fn(&str) -> Option<String>,
    today: Date,
    dir: &str,
) -> Vec<Match> {
    let mut by_package: BTreeMap<&str, Vec<&Advisory>> = BTreeMap::new();
    for a in advisories {
        by_package.entry(a.package.as_str()).or_default().push(a);
    }
    let p = estate.profiles.get(profile);
    let sources: Vec<(usize, String)> = p
        .map(|p| {
            p.packages
                .keys()
                .filter_map(|a| Some((closure.find(packages.get(a)?)?, a.clone())))
                .collect()
        })
        .unwrap_or_default();
    let owner = super::sbom::owners(closure, &sources);
    let mut patches: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let reverse = reverse(closure);
    let mut out = Vec::new();
    for (i, sp) in closure.paths.iter().enumerate() {
        let (n, v) = name::package(&sp.path);
        let Some(list) = by_package.get(n) else {
            continue;
        };
        for a in list.iter().filter(|a| a.affects(v)) {
            let patched = sp.deriver.as_deref().and_then(|d| {
                let cves = patches.entry(d).or_insert_with(|| {
                    drv_text(d)
                        .map(|t| super::vex::patched_cves(&t))
                        .unwrap_or_default()
                });
                a.cve.as_ref().filter(|c| cves.contains(c)).cloned()
            });
            let attribute = owner[i].map(|k| sources[k].1.clone());
            let users = users(closure, &reverse, i, &sources);
            out.push(matched(
                a,
                sp,
                (n, v),
                patched,
                attribute,
                p,
                &users,
                today,
                (dir, profile),
            ));
        }
    }
    out.sort_by(|a, b| {
        (b.overdue, b.severity, &a.advisory, &a.package, &a.version)
            .cmp(&(a.overdue, a.severity, &b.advisory, &b.package, &b.version))
            .then_with(|| name::base_name(&a.path).cmp(name::base_name(&b.path)))
    });
    out
}

/// One match, with its definition line, remedy and age.
#[allow(clippy::too_many_arguments)]
fn matched(
    a: &Advisory,
    sp: &super::StorePath,
    (package, version): (&str, &str),
    patched: Option<String>,
    attribute: Option<String>,
    p: Option<&crate::Profile>,
    users: &[String],
    today: Date,
    (dir, profile): (&str, &str),
) -> Match {
    let definition = attribute
        .as_ref()
        .and_then(|at| p?.packages.get(at))
        .map(|o| o.location.to_string());
    let status = if patched.is_some() {
        MatchStatus::NotAffected
    } else {
        MatchStatus::Affected
    };
    // Cyber Essentials v3.2: fixes rated critical or high, or not rated at all.
    let overdue = status == MatchStatus::Affected
        && (a.severity >= Severity::High || a.severity == Severity::Unknown)
        && a.published
            .is_some_and(|d| d.days_until(today) > CYBER_ESSENTIALS_DAYS);
    Match {
        advisory: a.id.clone(),
        cve: a.cve.clone(),
        severity: a.severity,
        published: a.published,
        summary: a.summary.clone(),
        package: package.to_owned(),
        version: version.to_owned(),
        path: sp.path.clone(),
        remedy: remedy(patched.is_some(), users, dir, profile),
        status,
        patched,
        attribute,
        definition,
        overdue,
        source: a.source.clone(),
    }
}

/// Each path's referrers.
fn reverse(closure: &Closure) -> Vec<Vec<usize>> {
    let mut r = vec![Vec::new(); closure.paths.len()];
    for (i, p) in closure.paths.iter().enumerate() {
        for &j in &p.references {
            r[j].push(i);
        }
    }
    r
}

/// The definition packages whose closure holds path `i` (the package itself
/// included), in attribute order.
fn users(
    closure: &Closure,
    reverse: &[Vec<usize>],
    i: usize,
    sources: &[(usize, String)],
) -> Vec<String> {
    let mut seen = vec![false; closure.paths.len()];
    let mut stack = vec![i];
    while let Some(j) = stack.pop() {
        if !std::mem::replace(&mut seen[j], true) {
            stack.extend(reverse[j].iter().copied().filter(|&k| !seen[k]));
        }
    }
    sources
        .iter()
        .filter(|(s, _)| seen[*s])
        .map(|(_, a)| a.clone())
        .collect()
}

/// What would remove or fix an affected path: removing the one definition package
/// that uses it, or (when several do, or NixOS itself brings it) a newer pin.
fn remedy(patched: bool, users: &[String], dir: &str, profile: &str) -> String {
    let pin = "move the nixpkgs pin (estate.toml [nixpkgs]) to a revision with the fix";
    match users {
        _ if patched => "none needed: the derivation patches it".to_owned(),
        [one] => format!(
            "`nhos edit {dir} remove-package {profile} {one}` (the only package of the definition that uses it), or {pin}"
        ),
        [] => format!("{pin}; NixOS itself brings the package"),
        many => format!(
            "{pin}; {} packages of the definition use it ({})",
            many.len(),
            many.join(", ")
        ),
    }
}

/// Text for a terminal or a log.
pub fn text(matches: &[Match]) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    for m in matches {
        let state = match m.status {
            MatchStatus::Affected if m.overdue => "AFFECTED, overdue",
            MatchStatus::Affected => "affected",
            MatchStatus::NotAffected => "not affected",
        };
        let sev = serde_json::to_value(m.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{} ({sev}) {} {}: {state}",
            m.advisory, m.package, m.version
        );
        if let Some(c) = &m.patched {
            let _ = writeln!(s, "  the derivation's patches fix {c}");
        }
        if let (Some(at), Some(def)) = (&m.attribute, &m.definition) {
            let _ = writeln!(s, "  brought in by package `{at}` at {def}");
        }
        if m.status == MatchStatus::Affected {
            let _ = writeln!(s, "  remedy: {}", m.remedy);
        }
    }
    let affected = matches
        .iter()
        .filter(|m| m.status == MatchStatus::Affected)
        .count();
    let overdue = matches.iter().filter(|m| m.overdue).count();
    let _ = writeln!(
        s,
        "{} match{}: {affected} affected ({overdue} critical, high or unrated past {CYBER_ESSENTIALS_DAYS} days), {} fixed by patches",
        matches.len(),
        if matches.len() == 1 { "" } else { "es" },
        matches.len() - affected
    );
    s
}
