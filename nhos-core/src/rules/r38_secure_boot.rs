//! R38: Secure Boot.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R38, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    if cx.layout() == Some("installed") {
        j.want_bool(cx, "boot.secure-boot", true);
    }
}

fn enforce(cx: &ProfileCx<'_>, _: &Lowered) -> Enforcement {
    if cx.layout() == Some("installed") {
        Enforcement::NotEnforced(
            "nixpkgs' boot loaders and kernels are unsigned, so the device must boot with Secure Boot off; enrolling the estate's keys needs a signing tool such as lanzaboote, which nhos does not configure".into(),
        )
    } else {
        Enforcement::NotApplicable
    }
}
