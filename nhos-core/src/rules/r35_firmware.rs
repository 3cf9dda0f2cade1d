//! R35: Firmware updates.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R35",
    title: "Firmware updates",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "Firmware flaws (UEFI, TPM, SSD, Thunderbolt) are fixed only by firmware updates.",
    remediation: "Set `updates.firmware = true`.",
    references: refs("EUD N6 (updates)", "Security update management", "1.2.x", "8.3"),
    parameters: &[],
    enforced_by: &["services.fwupd.enable"],
    enforcement: "fwupd runs, so firmware updates from LVFS can be applied.",
    applies: [Y, Y, N, N, Y, Y],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "updates.firmware", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            Tree(l).is_true("services.fwupd.enable"),
            "services.fwupd.enable",
            "fwupd does not run",
        )
        .done()
}
