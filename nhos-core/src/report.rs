//! Findings and validation reports as data: what `validate` produces, `generate`
//! records in its manifest, `plan` compares and the front ends print. At the
//! bottom of the stack, below the verbs that make and read them.

use crate::diagnostic::Severity;
use crate::source::Location;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The version of the JSON report format (`schema/report.schema.json`).
pub const REPORT_SCHEMA: &str = "nhos-report/1";

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

impl Finding {
    /// One line naming the finding: `R5 clinical: <message>`.
    pub fn brief(&self) -> String {
        let profile = self.profile.as_deref().unwrap_or("estate");
        format!("{} {profile}: {}", self.rule, self.message)
    }
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
