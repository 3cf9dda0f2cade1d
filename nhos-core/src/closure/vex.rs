//! Known vulnerabilities of a closure, offline: advisories given as files (OSV
//! records, or vulnix's `--json` output) matched against the closure's packages by
//! name and version, with CVEs that a derivation's own `patches` name treated as
//! fixed (a CycloneDX VEX "not affected" statement) rather than reported — the
//! false positives name-matching scanners drown users in.
//!
//! OSV has no Nix ecosystem; an OSV record applies to Nix packages when its
//! `affected[].package` has a `pkg:nix/` purl or the ecosystem `Nix`. Other
//! ecosystems (an npm `curl`, say) never match a store path of the same name.

use super::version;
use crate::{Date, Error, ErrorKind, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// How severe an advisory is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    fn parse(s: &str) -> Severity {
        match s.to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" => Severity::High,
            "medium" | "moderate" => Severity::Medium,
            "low" => Severity::Low,
            _ => Severity::Unknown,
        }
    }

    /// CVSS v3 base score bands.
    fn from_score(score: f64) -> Severity {
        match score {
            s if s >= 9.0 => Severity::Critical,
            s if s >= 7.0 => Severity::High,
            s if s >= 4.0 => Severity::Medium,
            s if s > 0.0 => Severity::Low,
            _ => Severity::Unknown,
        }
    }
}

/// One range of affected versions: from `introduced` (inclusive; "0" is the
/// beginning) to `fixed` (exclusive) or `last_affected` (inclusive).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Range {
    introduced: String,
    fixed: Option<String>,
    last_affected: Option<String>,
}

/// An advisory about one Nix package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    pub id: String,
    /// The CVE ID (the `id`, or the first CVE alias), by which patches name it.
    pub cve: Option<String>,
    pub summary: String,
    pub severity: Severity,
    pub published: Option<Date>,
    pub package: String,
    versions: Vec<String>,
    ranges: Vec<Range>,
    /// The file it was read from.
    pub source: String,
}

impl Advisory {
    /// Whether `v` is among the affected versions.
    pub fn affects(&self, v: &str) -> bool {
        use std::cmp::Ordering::*;
        self.versions.iter().any(|x| x == v)
            || self.ranges.iter().any(|r| {
                let from = r.introduced == "0" || version::compare(v, &r.introduced) != Less;
                let below = match (&r.fixed, &r.last_affected) {
                    (Some(f), _) => version::compare(v, f) == Less,
                    (None, Some(l)) => version::compare(v, l) != Greater,
                    (None, None) => true,
                };
                from && below
            })
    }
}

#[derive(Deserialize)]
struct Osv {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    severity: Vec<OsvSeverity>,
    #[serde(default)]
    affected: Vec<OsvAffected>,
    #[serde(default)]
    database_specific: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct OsvSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct OsvAffected {
    package: OsvPackage,
    #[serde(default)]
    ranges: Vec<OsvRange>,
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Deserialize)]
struct OsvPackage {
    #[serde(default)]
    ecosystem: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    purl: Option<String>,
}

#[derive(Deserialize)]
struct OsvRange {
    #[serde(default)]
    events: Vec<BTreeMap<String, String>>,
}

/// The Nix package an OSV `affected` entry names, if it names one.
fn nix_package(p: &OsvPackage) -> Option<String> {
    if let Some(purl) = &p.purl
        && let Some(rest) = purl.strip_prefix("pkg:nix/")
    {
        let n = rest.split(['@', '?', '#']).next().unwrap_or_default();
        return Some(n.replace("%2B", "+").replace("%2b", "+"));
    }
    (p.ecosystem == "Nix").then(|| p.name.clone())
}

fn osv_severity(o: &Osv) -> Severity {
    let named = o
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str())
        .map(Severity::parse);
    named.unwrap_or_else(|| {
        // A bare numeric score (some feeds give one instead of a vector).
        o.severity
            .iter()
            .filter(|s| s.kind.starts_with("CVSS"))
            .filter_map(|s| s.score.parse::<f64>().ok())
            .map(Severity::from_score)
            .max()
            .unwrap_or(Severity::Unknown)
    })
}

fn from_osv(o: Osv, source: &str) -> Vec<Advisory> {
    let cve = if o.id.starts_with("CVE-") {
        Some(o.id.clone())
    } else {
        o.aliases.iter().find(|a| a.starts_with("CVE-")).cloned()
    };
    let severity = osv_severity(&o);
    let published = o
        .published
        .as_deref()
        .and_then(|p| Date::parse(p.get(..10)?));
    let mut out = Vec::new();
    for a in &o.affected {
        let Some(package) = nix_package(&a.package) else {
            continue;
        };
        let ranges = a
            .ranges
            .iter()
            .map(|r| {
                let get = |k: &str| r.events.iter().find_map(|e| e.get(k).cloned());
                Range {
                    introduced: get("introduced").unwrap_or_else(|| "0".to_owned()),
                    fixed: get("fixed"),
                    last_affected: get("last_affected"),
                }
            })
            .collect();
        out.push(Advisory {
            id: o.id.clone(),
            cve: cve.clone(),
            summary: o.summary.clone(),
            severity,
            published,
            package,
            versions: a.versions.clone(),
            ranges,
            source: source.to_owned(),
        });
    }
    out
}

#[derive(Deserialize)]
struct Vulnix {
    pname: String,
    version: String,
    #[serde(default)]
    affected_by: Vec<String>,
    #[serde(default)]
    cvssv3_basescore: BTreeMap<String, f64>,
    #[serde(default)]
    description: BTreeMap<String, String>,
}

fn from_vulnix(v: Vulnix, source: &str) -> Vec<Advisory> {
    v.affected_by
        .iter()
        .map(|cve| Advisory {
            id: cve.clone(),
            cve: Some(cve.clone()),
            summary: v.description.get(cve).cloned().unwrap_or_default(),
            severity: v
                .cvssv3_basescore
                .get(cve)
                .map_or(Severity::Unknown, |s| Severity::from_score(*s)),
            published: None,
            package: v.pname.clone(),
            versions: vec![v.version.clone()],
            ranges: Vec::new(),
            source: source.to_owned(),
        })
        .collect()
}

/// Reads advisories from a JSON text: one OSV record, an array of OSV records, or
/// vulnix's `--json` array.
pub fn parse_advisories(text: &str, source: &str) -> Result<Vec<Advisory>> {
    let bad = |e: serde_json::Error| {
        Error::new(
            ErrorKind::Usage,
            format!(
                "{source}:{}:{}: not an OSV record or vulnix --json output: {e}",
                e.line(),
                e.column()
            ),
        )
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(bad)?;
    let items = match value {
        serde_json::Value::Array(v) => v,
        other => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        if item.get("affected_by").is_some() {
            out.extend(from_vulnix(
                serde_json::from_value(item).map_err(bad)?,
                source,
            ));
        } else {
            out.extend(from_osv(serde_json::from_value(item).map_err(bad)?, source));
        }
    }
    Ok(out)
}

/// Reads advisory files, or every `.json` file of a directory (sorted).
pub fn read_advisories(paths: &[&Path]) -> Result<Vec<Advisory>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut v: Vec<_> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p.display(), &e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "json"))
                .collect();
            v.sort();
            files.extend(v);
        } else {
            files.push(p.to_path_buf());
        }
    }
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| Error::io(f.display(), &e))?;
        out.extend(parse_advisories(&text, &f.display().to_string())?);
    }
    Ok(out)
}

/// The CVE IDs a derivation's `patches` name (`CVE-2024-2961.patch`), read from
/// its `.drv` file: the fix nixpkgs applied without a new version.
pub fn patched_cves(drv_text: &str) -> Vec<String> {
    let Some(start) = drv_text.find("(\"patches\",\"") else {
        return Vec::new();
    };
    let rest = &drv_text[start + "(\"patches\",\"".len()..];
    let mut value = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    value.push(n);
                }
            }
            '"' => break,
            c => value.push(c),
        }
    }
    let mut out = Vec::new();
    let bytes = value.as_bytes();
    let mut i = 0;
    while let Some(k) = value[i..].find("CVE-") {
        let s = i + k;
        let mut e = s + 4;
        let digits = |e: &mut usize| {
            let b = *e;
            while *e < bytes.len() && bytes[*e].is_ascii_digit() {
                *e += 1;
            }
            *e - b
        };
        if digits(&mut e) == 4 && bytes.get(e) == Some(&b'-') {
            e += 1;
            if digits(&mut e) >= 4 {
                out.push(value[s..e].to_owned());
            }
        }
        i = s + 4;
    }
    out.sort();
    out.dedup();
    out
}

/// A CycloneDX 1.6 vulnerability statement (VEX) about one store path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vulnerability {
    #[serde(rename = "bom-ref")]
    bom_ref: String,
    id: String,
    ratings: Vec<Rating>,
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    affects: Vec<Affects>,
    analysis: Analysis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Rating {
    severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Affects {
    #[serde(rename = "ref")]
    reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Analysis {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'static str>,
    detail: String,
}

/// VEX statements for matches: "not affected" (the code is not present: the
/// derivation patches it) or "in triage" (affected by version; whether it can be
/// exploited on the device is for people to judge).
pub fn vulnerabilities(matches: &[super::scan::Match]) -> Vec<Vulnerability> {
    use super::scan::MatchStatus;
    matches
        .iter()
        .map(|m| {
            let id = m.cve.clone().unwrap_or_else(|| m.advisory.clone());
            let (state, justification, detail) = match m.status {
                MatchStatus::NotAffected => (
                    "not_affected",
                    Some("code_not_present"),
                    format!(
                        "{} {}: the derivation's patches fix {id}",
                        m.package, m.version
                    ),
                ),
                MatchStatus::Affected => (
                    "in_triage",
                    None,
                    format!(
                        "{} {} is in the affected range of {}; {}",
                        m.package, m.version, m.advisory, m.remedy
                    ),
                ),
            };
            Vulnerability {
                bom_ref: format!("{id}@{}", m.path),
                id,
                ratings: vec![Rating {
                    severity: m.severity,
                }],
                description: m.summary.clone(),
                published: m.published.map(|d| format!("{d}T00:00:00Z")),
                affects: vec![Affects {
                    reference: m.path.clone(),
                }],
                analysis: Analysis {
                    state,
                    justification,
                    detail,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patches_name_cves_in_a_derivation() {
        let drv = r#"Derive([("out","/nix/store/x-glibc","","")],[],[],"x86_64-linux","/bin/sh",["-c","..."],[("name","glibc-2.38-44"),("patches","/nix/store/a-2.38-master.patch /nix/store/b-CVE-2024-2961.patch CVE-2024-33599-nscd.patch \"CVE-12-1\" CVE-2024-2961.patch"),("system","x86_64-linux")])"#;
        assert_eq!(patched_cves(drv), vec!["CVE-2024-2961", "CVE-2024-33599"]);
        assert!(patched_cves(r#"Derive([],[],[],"s","b",[],[("name","x")])"#).is_empty());
    }

    #[test]
    fn ranges_and_versions_decide_what_is_affected() {
        let osv = r#"{"id":"CVE-1","modified":"2024-01-01T00:00:00Z","published":"2024-01-01T00:00:00Z",
            "affected":[{"package":{"ecosystem":"Nix","name":"zlib"},
              "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.2.0"},{"fixed":"1.3.1"}]},
                        {"type":"ECOSYSTEM","events":[{"introduced":"1.4"},{"last_affected":"1.4.2"}]}],
              "versions":["0.9"]},
              {"package":{"ecosystem":"PyPI","name":"zlib"}}]}"#;
        let a = parse_advisories(osv, "t.json").expect("parses");
        assert_eq!(a.len(), 1, "the PyPI entry is not a Nix package");
        for (v, want) in [
            ("0.9", true),
            ("1.1", false),
            ("1.2.0", true),
            ("1.2.13", true),
            ("1.3.1", false),
            ("1.4.2", true),
            ("1.4.3", false),
        ] {
            assert_eq!(a[0].affects(v), want, "{v}");
        }
        let e = parse_advisories("{\n \"id\": 3 }", "bad.json").expect_err("bad");
        assert!(e.to_string().contains("bad.json:"), "{e}");
    }
}
