//! R9: Host firewall, inbound default deny.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R9, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "firewall.enable", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Tree(l).require_true("networking.firewall.enable", "`networking.firewall.enable` is not true")
}
