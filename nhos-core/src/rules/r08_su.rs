//! R8: su and sudo restricted to the admin group.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R8, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "users.su-restricted", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    Check::default()
        .require_true(t, "security.sudo.execWheelOnly", "sudo may be run by users outside wheel")
        .require_true(t, "security.sudo.wheelNeedsPassword", "sudo does not ask wheel users for their password")
        .require_true(t, "security.pam.services.su.requireWheel", "`su` is not limited to wheel")
        .done()
}
