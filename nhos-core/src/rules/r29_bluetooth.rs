//! R29: Bluetooth off where not needed.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R29, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "devices.bluetooth", false);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            Tree(l).is("hardware.bluetooth.enable", &Nix::Bool(false)),
            "hardware.bluetooth.enable",
            "Bluetooth is not off",
        )
        .done()
}
