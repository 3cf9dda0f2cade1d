//! R32: Administrator sessions recorded.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R32",
    title: "Administrator sessions recorded",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "Break-glass use must leave a record of what was done.",
    remediation: "Set `users.sudo-logging = true`.",
    references: refs("EUD N15 (monitoring)", "User access control", "5.3.x", "4.4"),
    parameters: &[],
    enforced_by: &["security.sudo.extraConfig"],
    enforcement: "sudo records every session's input and output (log_input, log_output) and logs every use.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "users.sudo-logging", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let ok = matches!(
        Tree(l).get("security.sudo.extraConfig"),
        Some(Nix::Str(s)) if s.contains("log_input") && s.contains("log_output")
    );
    Check::default()
        .require(ok, "security.sudo.extraConfig", "sudo does not record sessions")
        .done()
}
