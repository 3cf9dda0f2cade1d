//! Automatic updates from the trust's estate flake (R3): `nixos-rebuild switch
//! --refresh --flake <estate>#<configuration>` on a systemd calendar schedule
//! (nixos/modules/tasks/auto-upgrade.nix). The `nhos.updates` module adds the
//! configuration's name, which differs per system, to the flake reference.

use super::Cx;
use super::disks::layout;
use crate::generate::nix::Nix;

pub(super) fn lower(cx: &mut Cx) {
    if cx.bool("updates.firmware") == Some(true) {
        cx.by("updates.firmware", "services.fwupd.enable", Nix::Bool(true));
    }
    let Some(v) = cx.bool("updates.automatic") else {
        return;
    };
    if layout(cx.p) == Some("live") {
        // A live stick runs from its ISO and is replaced, not updated (R2's maximum
        // image age); nothing to switch.
        return;
    }
    cx.by(
        "updates.automatic",
        "system.autoUpgrade.enable",
        Nix::Bool(v),
    );
    if !v {
        return;
    }
    if let Some(f) = cx.str("updates.flake") {
        cx.by("updates.flake", "nhos.updates.flake", Nix::str(f));
    }
    if let Some(s) = cx.str("updates.schedule") {
        cx.by("updates.schedule", "system.autoUpgrade.dates", Nix::str(s));
    }
    let reboot = cx.bool("updates.allow-reboot");
    if let Some(r) = reboot {
        cx.by(
            "updates.allow-reboot",
            "system.autoUpgrade.allowReboot",
            Nix::Bool(r),
        );
    }
    if reboot == Some(true)
        && let Some((lower, upper)) = cx
            .str("updates.reboot-window")
            .and_then(|w| crate::setting_checks::reboot_window(w).ok())
    {
        cx.by(
            "updates.reboot-window",
            "system.autoUpgrade.rebootWindow",
            Nix::attrs([
                ("lower".to_owned(), Nix::str(lower)),
                ("upper".to_owned(), Nix::str(upper)),
            ]),
        );
    }
    if let Some(m) = cx.int("updates.random-delay").filter(|m| *m > 0) {
        cx.by(
            "updates.random-delay",
            "system.autoUpgrade.randomizedDelaySec",
            Nix::str(format!("{m}min")),
        );
        cx.set(
            "system.autoUpgrade.fixedRandomDelay",
            Nix::Bool(true),
            "each device keeps its own delay, so the estate's load stays spread".to_owned(),
        );
    }
}
