//! R3: Automatic security updates.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R3",
    title: "Automatic security updates",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Updates that wait for a person are late.",
    remediation: "Set `updates.automatic = true`.",
    references: refs("EUD N6", "Security update management", "1.2.2.1", "9.2.3"),
    parameters: &[],
    enforced_by: &["system.autoUpgrade.enable", "system.autoUpgrade.dates", "nhos.updates.flake"],
    enforcement: "system.autoUpgrade switches the device to the estate flake's configuration on the schedule (nixos-rebuild switch --refresh --flake <estate>#<configuration>).",
    applies: [Y, Y, Y, N, Y, Y],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "updates.automatic", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    Check::default()
        .require(
            t.is_true("system.autoUpgrade.enable"),
            "system.autoUpgrade.enable",
            "automatic upgrades are not enabled",
        )
        .require(
            t.get("nhos.updates.flake").is_some(),
            "nhos.updates.flake",
            "no estate flake to upgrade from",
        )
        .require(
            cx.str("updates.schedule").is_none()
                || t.get("system.autoUpgrade.dates") == cx.str("updates.schedule").map(Nix::str).as_ref(),
            "system.autoUpgrade.dates",
            "the upgrade schedule is not the definition's",
        )
        .done()
}
