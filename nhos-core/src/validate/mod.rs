//! The `validate` verb: a resolved estate → a [`Report`] of findings. Never fails:
//! findings are data. Waivers are applied here; the ratchet compares against a saved
//! report.

pub(crate) mod colour;
mod enforcement;
pub mod format;

use crate::definition::Date;
use crate::diagnostic::Severity;
use crate::model::Estate;
use crate::rules::{Applies, EstateCx, Judge, Judgement, ProfileCx, Rule, UNITS};
use crate::source::Location;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub use colour::{NHS_PALETTE, contrast_ratio};

/// The version of the JSON report format (`schema/report.schema.json`).
pub const REPORT_SCHEMA: &str = "nhos-report/1";

/// Options for [`validate`].
#[derive(Debug, Clone, Copy)]
pub struct ValidateOptions {
    /// The day waivers and release support are judged on. Passed in, never read from
    /// the clock inside the core, so results are reproducible.
    pub today: Date,
}

/// Whether a finding counts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// A violation that counts.
    Open,
    /// Covered by a waiver in force; reported and counted separately.
    Waived,
    /// Cannot be judged from the definition; guidance for a person.
    Manual,
    /// The definition passes the rule, but the generated configuration cannot make
    /// it true on the device (the message says why). Never "pass".
    NotEnforced,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Waived => "waived",
            Status::Manual => "manual",
            Status::NotEnforced => "not-enforced",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Rule ID, e.g. "R5".
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    /// The profile, or none for estate-wide findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// What the finding is about (a setting key, an asset, a waiver): with the rule
    /// and profile it makes the fingerprint.
    pub subject: String,
    pub message: String,
    pub remediation: String,
    /// The definition line of the value that caused the finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The waiver that covers it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<String>,
    /// The offending value, when there is one: with the fingerprint it lets the
    /// ratchet see a violation that got worse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Stable across edits that move lines: `rule/profile/subject`.
    pub fingerprint: String,
    /// With a ratchet baseline: whether the finding is new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<bool>,
}

/// Counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Open findings by severity.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub waived: usize,
    pub manual: usize,
    /// Rules the definition passes but the generated system cannot enforce.
    #[serde(default)]
    pub not_enforced: usize,
    /// With a ratchet baseline: open findings not in the baseline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<usize>,
}

/// A validation report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Always "nhos-report/1".
    pub schema: String,
    pub nhos_version: String,
    pub rule_pack: String,
    /// The day the report was judged on.
    pub today: String,
    /// The definition hash of the estate.
    pub definition_hash: String,
    /// The rules evaluated for each profile ("-" is the estate itself).
    pub checked: BTreeMap<String, Vec<String>>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
}

impl Report {
    /// Open findings at error level.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// Marks which open findings are new against a baseline report, and counts them.
    /// Fingerprints and values, not lines, are compared, so moving a line does not
    /// make a finding new.
    /// A finding that was already there with another value (idle delay 900 → 0)
    /// is new: the violation changed.
    pub fn ratchet(&mut self, baseline: &Report) {
        let old: BTreeSet<(&str, Option<&str>)> = baseline
            .findings
            .iter()
            .filter(|f| f.status == Status::Open)
            .map(|f| (f.fingerprint.as_str(), f.value.as_deref()))
            .collect();
        let mut n = 0;
        for f in &mut self.findings {
            if f.status == Status::Open {
                let new = !old.contains(&(f.fingerprint.as_str(), f.value.as_deref()));
                n += usize::from(new);
                f.new = Some(new);
            }
        }
        self.summary.new = Some(n);
    }

    /// Open findings that are new against the baseline (all open ones without one).
    pub fn new_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.status == Status::Open && f.new != Some(false))
    }

    /// Whether the report should fail a gate: error-level open findings (only new
    /// ones after [`Report::ratchet`]).
    pub fn fails(&self) -> bool {
        self.new_findings().any(|f| f.severity == Severity::Error)
    }

    /// Parses a report saved as JSON.
    pub fn from_json(text: &str) -> Result<Report, String> {
        let r: Report = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if r.schema != REPORT_SCHEMA {
            return Err(format!(
                "unsupported report schema {:?} (expected {REPORT_SCHEMA})",
                r.schema
            ));
        }
        Ok(r)
    }
}

/// Collects findings for one profile and rule.
pub(crate) struct Sink {
    pub(crate) findings: Vec<Finding>,
    checked: BTreeMap<String, BTreeSet<&'static str>>,
}

impl Sink {
    pub fn check(&mut self, profile: Option<&str>, rule: &'static Rule) {
        self.checked
            .entry(profile.unwrap_or("-").to_owned())
            .or_default()
            .insert(rule.id);
    }

    #[allow(clippy::too_many_arguments)]
    pub fn push(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        profile: Option<&str>,
        subject: &str,
        value: Option<String>,
        message: String,
        location: Option<Location>,
    ) {
        let status = if rule.judged == crate::rules::Judged::Manual {
            Status::Manual
        } else {
            Status::Open
        };
        self.findings.push(Finding {
            rule: rule.id.to_owned(),
            title: rule.title.to_owned(),
            severity,
            status,
            profile: profile.map(str::to_owned),
            subject: subject.to_owned(),
            message,
            remediation: rule.remediation.to_owned(),
            location,
            waiver: None,
            value,
            fingerprint: format!("{}/{}/{}", rule.id, profile.unwrap_or("-"), subject),
            new: None,
        });
    }
}

/// Validates an estate against the built-in rule pack: each rule judged on the
/// definition, then, where the definition passes it, its enforcement checked on the
/// generated option tree.
pub fn validate(estate: &Estate, opts: &ValidateOptions) -> Report {
    let mut sink = Sink {
        findings: Vec::new(),
        checked: BTreeMap::new(),
    };
    let lowered = estate.lowered();
    let ecx = EstateCx {
        e: estate,
        today: opts.today,
    };
    for unit in UNITS {
        if let Judge::Estate(judge) = unit.judge {
            sink.check(None, unit.rule);
            let mut j = Judgement {
                rule: unit.rule,
                severity: unit.rule.severity,
                profile: None,
                sink: &mut sink,
            };
            judge(&ecx, &mut j);
        }
    }
    for p in estate.concrete_profiles() {
        let Some(cx) = ProfileCx::new(estate, p, opts.today) else {
            continue;
        };
        for unit in UNITS {
            let Judge::Profile(judge) = unit.judge else {
                continue;
            };
            let applies = unit.rule.applies_to(cx.role);
            if applies == Applies::No {
                continue;
            }
            sink.check(Some(&p.name), unit.rule);
            let before = sink.findings.len();
            let mut j = Judgement {
                rule: unit.rule,
                severity: if applies == Applies::Advisory {
                    Severity::Warning
                } else {
                    unit.rule.severity
                },
                profile: Some(&p.name),
                sink: &mut sink,
            };
            judge(&cx, &mut j);
            let passed = sink.findings[before..]
                .iter()
                .all(|f| f.severity == Severity::Info || f.status == Status::Manual);
            if let (true, Some(enforce), Some(l)) = (passed, unit.enforce, lowered.get(&p.name)) {
                enforcement::record(&mut sink, unit.rule, &cx, enforce(&cx, l));
            }
        }
    }
    apply_waivers(estate, opts, &mut sink);

    let mut findings = sink.findings;
    findings.sort_by(|a, b| {
        (
            a.profile.as_deref(),
            rule_order(&a.rule),
            &a.subject,
            &a.message,
        )
            .cmp(&(
                b.profile.as_deref(),
                rule_order(&b.rule),
                &b.subject,
                &b.message,
            ))
    });
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint && a.message == b.message);
    let mut summary = Summary::default();
    for f in &findings {
        match (f.status, f.severity) {
            (Status::Waived, _) => summary.waived += 1,
            (Status::Manual, _) => summary.manual += 1,
            (Status::NotEnforced, _) => summary.not_enforced += 1,
            (Status::Open, Severity::Error) => summary.errors += 1,
            (Status::Open, Severity::Warning) => summary.warnings += 1,
            (Status::Open, Severity::Info) => summary.infos += 1,
        }
    }
    Report {
        schema: REPORT_SCHEMA.to_owned(),
        nhos_version: crate::VERSION.to_owned(),
        rule_pack: estate.policy.rule_pack.clone(),
        today: opts.today.to_string(),
        definition_hash: estate.definition_hash(),
        checked: sink
            .checked
            .into_iter()
            .map(|(k, v)| (k, order_ids(v)))
            .collect(),
        findings,
        summary,
    }
}

pub(crate) fn rule_order(id: &str) -> (u8, u32) {
    let (prefix, n) = id.split_at(1);
    let group = match prefix {
        "R" => 0,
        "B" => 1,
        "C" => 2,
        _ => 3,
    };
    (group, n.parse().unwrap_or(0))
}

fn order_ids(ids: BTreeSet<&'static str>) -> Vec<String> {
    let mut v: Vec<&str> = ids.into_iter().collect();
    v.sort_by_key(|id| rule_order(id));
    v.into_iter().map(str::to_owned).collect()
}

/// Days before a waiver expires at which it is reported as expiring.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// The longest a waiver may run when the policy does not say (`max-waiver-days`).
pub const DEFAULT_MAX_WAIVER_DAYS: i64 = 365;

fn apply_waivers(estate: &Estate, opts: &ValidateOptions, sink: &mut Sink) {
    let mut used = BTreeSet::new();
    let max_days = estate
        .policy
        .parameters
        .get("policy.max-waiver-days")
        .and_then(|v| v.value.as_int())
        .unwrap_or(DEFAULT_MAX_WAIVER_DAYS);
    // Open findings by rule, so that each waiver looks only at its rule's findings
    // (and its profiles through a set): matching is linear in findings and named
    // profiles, however many profiles a waiver names.
    let mut by_rule: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, f) in sink.findings.iter().enumerate() {
        if f.status == Status::Open {
            by_rule.entry(f.rule.clone()).or_default().push(i);
        }
    }
    for w in &estate.policy.waivers {
        let left = opts.today.days_until(w.expires);
        let profiles: std::collections::HashSet<&str> =
            w.profiles.iter().map(String::as_str).collect();
        // A scoped waiver covers only the settings it names, with the values it
        // accepts: a worse value stays open.
        let covers = |f: &Finding| {
            f.rule == w.rule
                && (profiles.is_empty()
                    || f.profile.as_deref().is_some_and(|p| profiles.contains(p)))
                && (w.accepts.is_empty()
                    || w.accepts
                        .get(&f.subject)
                        .is_some_and(|v| f.value.as_ref() == Some(v)))
        };
        if left < 0 {
            sink.findings.push(waiver_finding(
                &w.id,
                "expired",
                Severity::Error,
                format!("waiver {} for {} expired on {} (approved by {}); the findings it covered count again", w.id, w.rule, w.expires, w.approver),
                "Renew the waiver with a new expiry date and approval, or fix what it covered.",
                &w.location,
            ));
            continue;
        }
        let length = w.approved.unwrap_or(opts.today).days_until(w.expires);
        if length > max_days {
            let from = match w.approved {
                Some(a) => format!("from its approval on {a}"),
                None => format!("from {}", opts.today),
            };
            sink.findings.push(waiver_finding(
                &w.id,
                "too-long",
                Severity::Error,
                format!(
                    "waiver {} for {} runs {length} days {from} to {}; the policy allows at most {max_days} (`max-waiver-days`), so it covers nothing",
                    w.id, w.rule, w.expires
                ),
                "Shorten the waiver (an earlier `expires`) and review it again then.",
                &w.location,
            ));
            continue;
        }
        if w.accepts.is_empty() {
            sink.findings.push(waiver_finding(
                &w.id,
                "unscoped",
                Severity::Warning,
                format!(
                    "waiver {} for {} is not scoped: it hides every {} finding of its profiles, including values worse than the one accepted",
                    w.id, w.rule, w.rule
                ),
                "Name what it accepts, e.g. `accepts = { \"screen.idle-delay\" = 900 }`.",
                &w.location,
            ));
        }
        for &i in by_rule.get(&w.rule).map(Vec::as_slice).unwrap_or_default() {
            let f = &mut sink.findings[i];
            if f.status == Status::Open && covers(f) {
                f.status = Status::Waived;
                f.waiver = Some(w.id.clone());
                used.insert(w.id.clone());
            }
        }
        if left <= EXPIRY_WARNING_DAYS {
            sink.findings.push(waiver_finding(
                &w.id,
                "expiring",
                Severity::Warning,
                format!(
                    "waiver {} for {} expires on {} ({left} days)",
                    w.id, w.rule, w.expires
                ),
                "Renew or retire the waiver before it expires.",
                &w.location,
            ));
        }
    }
    for w in &estate.policy.waivers {
        let live = opts.today.days_until(w.expires) >= 0
            && w.approved.unwrap_or(opts.today).days_until(w.expires) <= max_days;
        if live && !used.contains(&w.id) {
            sink.findings.push(waiver_finding(
                &w.id,
                "unused",
                Severity::Info,
                format!(
                    "waiver {} for {} covers no finding; it may be retired",
                    w.id, w.rule
                ),
                "Remove the waiver if the risk it accepted no longer exists.",
                &w.location,
            ));
        }
    }
}

fn waiver_finding(
    id: &str,
    kind: &str,
    severity: Severity,
    message: String,
    remediation: &str,
    at: &Location,
) -> Finding {
    Finding {
        rule: "W".to_owned(),
        title: "Waiver in force".to_owned(),
        severity,
        status: Status::Open,
        profile: None,
        subject: format!("waiver:{id}"),
        message,
        remediation: remediation.to_owned(),
        location: Some(at.clone()),
        waiver: None,
        value: None,
        fingerprint: format!("W/-/waiver:{id}/{kind}"),
        new: None,
    }
}
