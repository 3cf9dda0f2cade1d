//! R29: Bluetooth off where not needed.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R29",
    title: "Bluetooth off where not needed",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "A radio nobody uses is an unmonitored way in.",
    remediation: "Set `devices.bluetooth = false` (or record the need with a waiver).",
    references: refs("EUD N9 (network)", "Secure configuration", "3.1.3", "8.3"),
    parameters: &[],
    enforced_by: &["hardware.bluetooth.enable"],
    enforcement: "hardware.bluetooth is off, also where the desktop would switch it on.",
    applies: [A, Y, N, A, Y, Y],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "devices.bluetooth", false);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            Tree(l).is("hardware.bluetooth.enable", &Nix::Bool(false)),
            "hardware.bluetooth.enable",
            "Bluetooth is not off",
        )
        .done()
}
