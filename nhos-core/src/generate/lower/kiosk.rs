//! The kiosk session (one full-screen browser) and the live (DR) image.

use super::Cx;
use crate::generate::nix::Nix;

pub(super) fn lower(cx: &mut Cx) {
    if cx.has("kiosk") {
        cx.by_cap("kiosk", "nhos.kiosk.enable", Nix::Bool(true));
        if let Some(url) = cx.str("kiosk.url") {
            cx.by("kiosk.url", "nhos.kiosk.url", Nix::str(url));
        }
        if let Some(u) = cx.str("login.autologin-user") {
            cx.by("login.autologin-user", "nhos.kiosk.user", Nix::str(u));
        }
        let browser = if cx.has("browser-chromium") {
            "chromium"
        } else {
            "firefox-esr"
        };
        cx.set("nhos.kiosk.browser", Nix::Pkg(browser.into()), None);
        if cx.bool("kiosk.nightly-reboot") == Some(true) {
            cx.by(
                "kiosk.nightly-reboot",
                "nhos.kiosk.nightlyReboot",
                Nix::Bool(true),
            );
        }
    }
    if cx.has("live-image") {
        cx.by_cap("live-image", "nhos.live.enable", Nix::Bool(true));
    }
}
