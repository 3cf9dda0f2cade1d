//! R14: AppArmor enabled.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R14",
    title: "AppArmor enabled",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Mandatory access control limits what a compromised program can do.",
    remediation: "Set `hardening.apparmor = true`.",
    references: refs("EUD N10", "Malware protection", "1.3", "8.3"),
    parameters: &[],
    enforced_by: &["security.apparmor.enable"],
    enforcement: "AppArmor is on (security.apparmor), with the profiles nixpkgs ships.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.apparmor", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            Tree(l).is_true("security.apparmor.enable"),
            "security.apparmor.enable",
            "AppArmor is not enabled",
        )
        .done()
}
