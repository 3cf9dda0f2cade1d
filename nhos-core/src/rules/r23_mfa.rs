//! R23: MFA for cloud services.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R23",
    title: "MFA for cloud services",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "NHSmail and Microsoft 365 accounts must be protected by MFA.",
    remediation: "Set `auth.cloud-mfa = true` (the `fido2` capability does).",
    references: refs(
        "EUD: authentication",
        "User access control (MFA)",
        "—",
        "4.5",
    ),
    parameters: &[],
    enforced_by: &[],
    enforcement: "Not on the device: MFA for NHSmail and Microsoft 365 is enforced by the tenant; the device brings FIDO2 support (the fido2 capability). Declared, not enforced.",
    applies: [Y, Y, Y, Y, N, N],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn uses_cloud(cx: &ProfileCx<'_>) -> bool {
    cx.has("nhsmail") || cx.has("nhsmail-evolution")
}

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    if uses_cloud(cx) {
        j.want_bool(cx, "auth.cloud-mfa", true);
    }
}

fn enforce(cx: &ProfileCx<'_>, _: &Lowered) -> Enforcement {
    if uses_cloud(cx) {
        Enforcement::NotEnforced(
            "MFA is enforced by the NHSmail / Microsoft 365 tenant's conditional access, which nhos does not configure".into(),
        )
    } else {
        Enforcement::NotApplicable
    }
}
