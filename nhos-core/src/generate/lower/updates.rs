//! Automatic updates from the estate's flake (R3).

use super::Cx;
use crate::generate::nix::Nix;

pub(super) fn lower(cx: &mut Cx) {
    let Some(v) = cx.bool("updates.automatic") else {
        return;
    };
    cx.from(
        "updates.automatic",
        "system.autoUpgrade.enable",
        Nix::Bool(v),
    );
    if !v {
        return;
    }
    if let Some(s) = cx.str("updates.schedule") {
        cx.from("updates.schedule", "system.autoUpgrade.dates", Nix::str(s));
    }
    if let Some(r) = cx.bool("updates.allow-reboot") {
        cx.from(
            "updates.allow-reboot",
            "system.autoUpgrade.allowReboot",
            Nix::Bool(r),
        );
    }
    if let Some(f) = cx.str("updates.flake") {
        let uri = format!("{f}#{}", cx.p.name);
        cx.from("updates.flake", "system.autoUpgrade.flake", Nix::str(uri));
    }
}
