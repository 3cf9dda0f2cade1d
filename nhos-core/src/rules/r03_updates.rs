//! R3: Automatic security updates.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R3, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "updates.automatic", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    Check::default()
        .require_true(t, "system.autoUpgrade.enable", "automatic upgrades are not enabled")
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
