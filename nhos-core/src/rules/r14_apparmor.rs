//! R14: AppArmor enabled.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R14, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.apparmor", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Tree(l).require_true("security.apparmor.enable", "AppArmor is not enabled")
}
