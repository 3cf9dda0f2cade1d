//! R23: MFA for cloud services.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R23, judge, Some(enforce));

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
