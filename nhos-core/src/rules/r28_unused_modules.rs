//! R28: Unused file systems and network protocols blocked.

use super::prelude::*;
use crate::generate::lower::BLOCKED_MODULES;

pub(super) const UNIT: Unit = Unit::profile(&meta::R28, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.block-unused-modules", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    for m in BLOCKED_MODULES {
        c.require(
            t.has_item("nhos.hardening.blockedModules", m),
            "nhos.hardening.blockedModules",
            format!("`{m}` is not blocked"),
        );
    }
    c.done()
}
