//! R36: New USB devices need authorisation.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R36, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "media.usb-authorisation", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    Check::default()
        .require(t.is_true("services.usbguard.enable"), "services.usbguard.enable", "USBGuard is not enabled")
        .require(
            t.is("services.usbguard.implicitPolicyTarget", &Nix::str("block")),
            "services.usbguard.implicitPolicyTarget",
            "USBGuard does not block unknown devices",
        )
        .require(
            t.is("services.usbguard.presentDevicePolicy", &Nix::str("allow")),
            "services.usbguard.presentDevicePolicy",
            "USBGuard does not keep the devices present at boot",
        )
        .done()
}
