//! The `validate` verb: a resolved estate → a [`Report`] of findings. Never fails:
//! findings are data. Waivers are applied here; the ratchet compares against a saved
//! report.

mod build;
mod enforcement;
pub mod format;
mod waivers;

pub use build::{validate_build, vulns};

use waivers::apply_waivers;
pub use waivers::{DEFAULT_MAX_WAIVER_DAYS, EXPIRY_WARNING_DAYS};

use crate::definition::Date;
use crate::diagnostic::Severity;
use crate::model::Estate;
use crate::rules::{Applies, EstateCx, Findings, Judge, Judgement, ProfileCx, Rule, UNITS, Unit};
use crate::source::Location;

use std::collections::{BTreeMap, BTreeSet};

pub use crate::report::{Finding, REPORT_SCHEMA, Report, Status, Summary};
pub use crate::rules::colour::{NHS_PALETTE, contrast_ratio};

/// Options for [`validate`].
#[derive(Debug, Clone, Copy)]
pub struct ValidateOptions {
    /// The day waivers and release support are judged on. Passed in, never read from
    /// the clock inside the core, so results are reproducible.
    pub today: Date,
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
}

impl Findings for Sink {
    #[allow(clippy::too_many_arguments)]
    fn push(
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
    validate_with(estate, opts, UNITS)
}

/// [`validate`] with the rule units given (the built-in pack is [`UNITS`]; tests add
/// the example unit of ARCHITECTURE.md's "How to add a rule").
pub(crate) fn validate_with(estate: &Estate, opts: &ValidateOptions, units: &[Unit]) -> Report {
    let mut sink = Sink {
        findings: Vec::new(),
        checked: BTreeMap::new(),
    };
    judge_estate(estate, opts, units, &mut sink);
    for p in estate.concrete_profiles() {
        if let Some(cx) = ProfileCx::new(estate, p, opts.today) {
            judge_profile(&cx, estate.lowered().get(&p.name), units, &mut sink);
        }
    }
    apply_waivers(estate, opts, &mut sink);
    report(estate, opts, sink)
}

/// The report of what a sink collected: findings in report order, counts, and the
/// rules checked per profile.
fn report(estate: &Estate, opts: &ValidateOptions, sink: Sink) -> Report {
    let findings = sorted(sink.findings);
    Report {
        schema: REPORT_SCHEMA.to_owned(),
        nhos_version: crate::VERSION.to_owned(),
        rule_pack: estate.policy.rule_pack.clone(),
        today: opts.today.to_string(),
        definition_hash: estate.definition_hash(),
        checked: (sink.checked.into_iter())
            .map(|(k, v)| (k, order_ids(v)))
            .collect(),
        summary: Summary::of(&findings),
        findings,
    }
}

/// The units judged once per estate.
fn judge_estate(estate: &Estate, opts: &ValidateOptions, units: &[Unit], sink: &mut Sink) {
    let ecx = EstateCx {
        e: estate,
        today: opts.today,
    };
    for unit in units {
        if let Judge::Estate(judge) = unit.judge {
            sink.check(None, unit.rule);
            let mut j = Judgement {
                rule: unit.rule,
                severity: unit.rule.severity,
                profile: None,
                sink,
            };
            judge(&ecx, &mut j);
        }
    }
}

/// The severity a rule judges a profile of `role` at: its own, a warning where it
/// applies only as advice (decided by risk); `None` where it does not apply.
fn severity_for(rule: &Rule, role: crate::definition::Role) -> Option<Severity> {
    match rule.applies_to(role) {
        Applies::No => None,
        Applies::Advisory => Some(Severity::Warning),
        Applies::Yes => Some(rule.severity),
    }
}

/// The units judged per profile; where the definition passes a rule, its
/// enforcement is checked on the profile's lowered tree.
fn judge_profile(
    cx: &ProfileCx<'_>,
    lowered: Option<&crate::generate::lower::Lowered>,
    units: &[Unit],
    sink: &mut Sink,
) {
    let name = &cx.p.name;
    for unit in units {
        let Judge::Profile(judge) = unit.judge else {
            continue;
        };
        let Some(severity) = severity_for(unit.rule, cx.role) else {
            continue;
        };
        sink.check(Some(name), unit.rule);
        let before = sink.findings.len();
        let mut j = Judgement {
            rule: unit.rule,
            severity,
            profile: Some(name),
            sink,
        };
        judge(cx, &mut j);
        let passed = sink.findings[before..]
            .iter()
            .all(|f| f.severity == Severity::Info || f.status == Status::Manual);
        if let (true, Some(enforce), Some(l)) = (passed, unit.enforce, lowered) {
            enforcement::record(sink, unit.rule, cx, enforce(cx, l));
        }
    }
}

/// Findings in report order (profile, rule, subject, message), duplicates merged.
fn sorted(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    findings.dedup_by(|a, b| a.fingerprint == b.fingerprint && a.message == b.message);
    findings
}

fn order_key(f: &Finding) -> (Option<&str>, (u8, u32), &str, &str) {
    (
        f.profile.as_deref(),
        rule_order(&f.rule),
        &f.subject,
        &f.message,
    )
}

impl Summary {
    fn of(findings: &[Finding]) -> Summary {
        let mut summary = Summary::default();
        for f in findings {
            match (f.status, f.severity) {
                (Status::Waived, _) => summary.waived += 1,
                (Status::Manual, _) => summary.manual += 1,
                (Status::NotEnforced, _) => summary.not_enforced += 1,
                (Status::Open, Severity::Error) => summary.errors += 1,
                (Status::Open, Severity::Warning) => summary.warnings += 1,
                (Status::Open, Severity::Info) => summary.infos += 1,
            }
        }
        summary
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
