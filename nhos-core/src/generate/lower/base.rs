//! What every host has: its name, the NixOS release it was written for, and its
//! locale.

use super::Cx;
use crate::generate::nix::Nix;

pub(super) fn lower(cx: &mut Cx) {
    let p = cx.p;
    cx.set(
        "networking.hostName",
        Nix::str(&p.name),
        format!("profile {} ({})", p.name, p.file),
    );
    let pin = &cx.estate.nixpkgs;
    cx.set(
        "system.stateVersion",
        Nix::str(&pin.state_version),
        format!(
            "the release the devices were first installed with — {}",
            pin.state_version_location
        ),
    );
    if let Some(v) = cx.str("locale.default") {
        cx.by("locale.default", "i18n.defaultLocale", Nix::str(v));
    }
    if let Some(v) = cx.str("locale.timezone") {
        cx.by("locale.timezone", "time.timeZone", Nix::str(v));
    }
    if let Some(v) = cx.str("locale.keyboard") {
        cx.by(
            "locale.keyboard",
            "services.xserver.xkb.layout",
            Nix::str(v),
        );
        cx.set("console.useXkbConfig", Nix::Bool(true), None);
        if cx.has("desktop") {
            // GNOME wants a list of (ss) tuples; the module builds them from the layout.
            cx.by(
                "locale.keyboard",
                "nhos.desktop.keyboardLayout",
                Nix::str(v),
            );
        }
    }
}
