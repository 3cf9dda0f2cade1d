//! R22: Device in the asset register.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R22",
    title: "Device in the asset register",
    severity: Severity::Info,
    judged: Judged::Manual,
    rationale: "Every device must appear in the asset register with its OS and software versions.",
    remediation: "Check that each device reports its inventory (set `inventory.export = true`) and appears in the register.",
    references: refs("—", "Scope", "—", "8.1"),
    parameters: &[],
    enforced_by: &[],
    enforcement: "A manual check: the asset register is outside the device.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: None,
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    let how = if cx.bool("inventory.export") == Some(true) {
        "the profile exports its inventory"
    } else {
        "`inventory.export` is not on"
    };
    j.push(
        Severity::Info,
        "inventory",
        None,
        format!("check each device is in the asset register ({how})"),
        cx.origin("inventory.export"),
    );
}
