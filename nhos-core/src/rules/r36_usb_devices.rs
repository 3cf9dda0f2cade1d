//! R36: New USB devices need authorisation.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R36",
    title: "New USB devices need authorisation",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "A device that claims to be a keyboard can type commands (BadUSB).",
    remediation: "Set `media.usb-authorisation = true`.",
    references: refs("EUD N10 (peripherals)", "Secure configuration", "—", "8.3"),
    parameters: &[],
    enforced_by: &["services.usbguard.enable", "services.usbguard.implicitPolicyTarget", "services.usbguard.presentDevicePolicy"],
    enforcement: "USBGuard allows the devices present at boot and blocks any device plugged in later.",
    applies: [A, A, N, N, Y, A],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

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
