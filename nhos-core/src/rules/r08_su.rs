//! R8: su and sudo restricted to the admin group.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R8",
    title: "su and sudo restricted to the admin group",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Privilege escalation must be limited to administrators.",
    remediation: "Set `users.su-restricted = true`.",
    references: refs("EUD N7", "User access control", "5.2.7", "4.2"),
    parameters: &[],
    enforced_by: &[
        "security.sudo.execWheelOnly",
        "security.sudo.wheelNeedsPassword",
        "security.pam.services.su.requireWheel",
    ],
    enforcement: "sudo runs only for wheel and asks for the password (security.sudo); `su` is limited to wheel by pam_wheel (security.pam.services.su.requireWheel).",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "users.su-restricted", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    Check::default()
        .require(
            t.is_true("security.sudo.execWheelOnly"),
            "security.sudo.execWheelOnly",
            "sudo may be run by users outside wheel",
        )
        .require(
            t.is_true("security.sudo.wheelNeedsPassword"),
            "security.sudo.wheelNeedsPassword",
            "sudo does not ask wheel users for their password",
        )
        .require(
            t.is_true("security.pam.services.su.requireWheel"),
            "security.pam.services.su.requireWheel",
            "`su` is not limited to wheel",
        )
        .done()
}
