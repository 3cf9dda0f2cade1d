//! Hardening: telemetry (R16), removable media (R18), `/tmp` (R13), AppArmor (R14),
//! audit (R15), software sources and anti-malware (R19, R20).

use super::Cx;
use crate::generate::nix::{Func, Nix};

pub(super) fn lower(cx: &mut Cx) {
    telemetry(cx);
    media(cx);
    if cx.bool("hardening.tmp-noexec") == Some(true) {
        cx.by("hardening.tmp-noexec", "boot.tmp.useTmpfs", Nix::Bool(true));
    }
    if let Some(v) = cx.bool("hardening.apparmor") {
        cx.by(
            "hardening.apparmor",
            "security.apparmor.enable",
            Nix::Bool(v),
        );
    }
    if let Some(v) = cx.bool("hardening.audit") {
        cx.by("hardening.audit", "security.audit.enable", Nix::Bool(v));
        cx.set("security.auditd.enable", Nix::Bool(v), None);
    }
    if cx.bool("software.user-install") == Some(false) {
        cx.by(
            "software.user-install",
            "nix.settings.allowed-users",
            Nix::List(vec![Nix::str("root"), Nix::str("@wheel")]),
        );
    }
    if cx.str("software.malware-method") == Some("antivirus") {
        cx.by(
            "software.malware-method",
            "services.clamav.daemon.enable",
            Nix::Bool(true),
        );
        cx.set("services.clamav.updater.enable", Nix::Bool(true), None);
    }
}

fn telemetry(cx: &mut Cx) {
    if cx.bool("hardening.telemetry-off") != Some(true) {
        return;
    }
    cx.by(
        "hardening.telemetry-off",
        "services.geoclue2.enable",
        Nix::call(Func::MkForce, Nix::Bool(false)),
    );
    if cx.has("desktop") {
        cx.by(
            "hardening.telemetry-off",
            "services.gnome.gnome-online-accounts.enable",
            Nix::Bool(false),
        );
    }
}

fn media(cx: &mut Cx) {
    const KEY: &str = "media.usb-storage";
    match cx.str(KEY) {
        Some("blocked") => cx.by(
            KEY,
            "boot.blacklistedKernelModules",
            Nix::List(vec![Nix::str("usb_storage"), Nix::str("uas")]),
        ),
        Some("lockscreen") => {
            cx.by(KEY, "services.usbguard.enable", Nix::Bool(true));
            cx.set(
                "services.usbguard.presentDevicePolicy",
                Nix::str("allow"),
                "devices present at boot (keyboards, readers) stay allowed".to_owned(),
            );
            if cx.has("desktop") {
                let dir = "org/gnome/desktop/privacy";
                cx.dconf(KEY, "user", dir, "usb-protection", Nix::Bool(true), true);
                cx.dconf(
                    KEY,
                    "user",
                    dir,
                    "usb-protection-level",
                    Nix::str("lockscreen"),
                    true,
                );
            }
        }
        _ => {}
    }
}
