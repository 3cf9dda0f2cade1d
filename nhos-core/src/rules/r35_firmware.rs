//! R35: Firmware updates.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R35, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "updates.firmware", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Tree(l).require_true("services.fwupd.enable", "fwupd does not run")
}
