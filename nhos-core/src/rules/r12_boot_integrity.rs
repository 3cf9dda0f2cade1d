//! R12: Boot integrity: locked loader, no untrusted kernel modules.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R12, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "boot.loader-locked", true);
    j.want_bool(cx, "boot.module-signatures", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    if cx.layout() == Some("live") {
        return Enforcement::NotEnforced(
            "a live ISO boots from its own menu, which can be edited; nhos cannot lock it".into(),
        );
    }
    let mut c = Check::default();
    c.require(
        t.is_true("boot.loader.systemd-boot.enable")
            && t.is("boot.loader.systemd-boot.editor", &Nix::Bool(false)),
        "boot.loader.systemd-boot.editor",
        "systemd-boot's editor is not off",
    );
    if cx.bool("hardening.lock-kernel-modules") == Some(true) {
        c.require_true(t, "security.lockKernelModules", "kernel modules are not locked after boot");
        return c.done();
    }
    match c.done() {
        Enforcement::Enforced => Enforcement::NotEnforced(
            "NixOS kernels are built without module signing, so `boot.module-signatures` has no effect: set `hardening.lock-kernel-modules = true` to refuse module loading after boot".into(),
        ),
        other => other,
    }
}
