//! R12: Boot integrity: locked loader, no untrusted kernel modules.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R12",
    title: "Boot integrity: locked loader, no untrusted kernel modules",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "An editable boot loader or unsigned kernel modules defeat every other control.",
    remediation: "Set `boot.loader-locked = true` and `boot.module-signatures = true`; set `hardening.lock-kernel-modules = true` to enforce the second on NixOS.",
    references: refs("EUD N4", "Secure configuration", "1.4.1", "8.3"),
    parameters: &[],
    enforced_by: &["boot.loader.systemd-boot.editor", "security.lockKernelModules"],
    enforcement: "systemd-boot's editor is off, so kernel parameters cannot be changed at boot; with `hardening.lock-kernel-modules` no module can be loaded after boot (security.lockKernelModules). NixOS kernels are not built with module signing, so `boot.module-signatures` alone is declared, not enforced; so is the boot menu of a live ISO.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

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
        c.require(
            t.is_true("security.lockKernelModules"),
            "security.lockKernelModules",
            "kernel modules are not locked after boot",
        );
        return c.done();
    }
    match c.done() {
        Enforcement::Enforced => Enforcement::NotEnforced(
            "NixOS kernels are built without module signing, so `boot.module-signatures` has no effect: set `hardening.lock-kernel-modules = true` to refuse module loading after boot".into(),
        ),
        other => other,
    }
}
