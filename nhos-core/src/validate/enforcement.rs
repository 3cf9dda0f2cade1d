//! Turning a rule's enforcement on a profile's option tree into findings: nothing
//! when it is enforced, a "declared, not enforced" finding with the reason when the
//! generated system cannot make the rule true, and an error when the options that
//! should enforce it are missing or wrong.

use super::{Finding, Sink, Status};
use crate::diagnostic::Severity;
use crate::rules::{Enforcement, ProfileCx, Rule};

pub(super) fn record(sink: &mut Sink, rule: &'static Rule, cx: &ProfileCx<'_>, e: Enforcement) {
    let profile = cx.p.name.as_str();
    match e {
        Enforcement::Enforced | Enforcement::NotApplicable => {}
        Enforcement::NotEnforced(why) => sink.findings.push(Finding {
            rule: rule.id.to_owned(),
            title: rule.title.to_owned(),
            severity: Severity::Warning,
            status: Status::NotEnforced,
            profile: Some(profile.to_owned()),
            subject: "enforcement".to_owned(),
            message: format!("declared, not enforced: {why}"),
            remediation: rule.remediation.to_owned(),
            location: Some(cx.file_top()),
            waiver: None,
            value: None,
            fingerprint: format!("{}/{profile}/enforcement", rule.id),
            new: None,
        }),
        Enforcement::Broken(problems) => {
            for (subject, message) in problems {
                sink.findings.push(Finding {
                    rule: rule.id.to_owned(),
                    title: rule.title.to_owned(),
                    severity: Severity::Error,
                    status: Status::Open,
                    profile: Some(profile.to_owned()),
                    subject: format!("option:{subject}"),
                    message: format!("generated configuration: {message}"),
                    remediation: "The definition asks for this and the generated NixOS configuration does not set it: an nhos bug or a hand edit of the generated files. Regenerate, and report it if it persists.".to_owned(),
                    location: Some(cx.file_top()),
                    waiver: None,
                    value: None,
                    fingerprint: format!("{}/{profile}/option:{subject}", rule.id),
                    new: None,
                });
            }
        }
    }
}
