//! R38: Secure Boot.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R38",
    title: "Secure Boot",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "Secure Boot stops a modified boot loader or kernel from running.",
    remediation: "Declare `boot.secure-boot = true` and enrol the estate's keys (nixpkgs cannot sign boot files itself).",
    references: refs("EUD N4 (boot)", "Secure configuration", "1.4.x", "8.3"),
    parameters: &[],
    enforced_by: &[],
    enforcement: "Not on the device: nixpkgs' boot loaders are unsigned, so nhos cannot make Secure Boot hold; declared, not enforced.",
    applies: [Y, Y, N, N, A, A],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    if cx.layout() == Some("installed") {
        j.want_bool(cx, "boot.secure-boot", true);
    }
}

fn enforce(cx: &ProfileCx<'_>, _: &Lowered) -> Enforcement {
    if cx.layout() == Some("installed") {
        Enforcement::NotEnforced(
            "nixpkgs' boot loaders and kernels are unsigned, so the device must boot with Secure Boot off; enrolling the estate's keys needs a signing tool such as lanzaboote, which nhos does not configure".into(),
        )
    } else {
        Enforcement::NotApplicable
    }
}
