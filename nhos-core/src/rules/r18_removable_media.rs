//! R18: Removable storage controlled.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R18, judge, Some(enforce));

const KEY: &str = "media.usb-storage";
const MEDIA: &str = "org/gnome/desktop/media-handling";

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    let ok: &[&str] = if cx.role == Role::Admin {
        &["blocked", "lockscreen"]
    } else {
        &["blocked"]
    };
    match cx.str(KEY) {
        Some(v) if ok.contains(&v) => {}
        Some(v) => j.fail(
            KEY,
            Some(v.to_owned()),
            format!(
                "`{KEY}` is {v:?}; this role needs {}",
                ok.iter()
                    .map(|o| format!("{o:?}"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            cx.origin(KEY),
        ),
        None => j.fail(KEY, None, format!("`{KEY}` is not set"), cx.origin(KEY)),
    }
    j.want_bool(cx, "media.automount", false);
    j.want_bool(cx, "media.autorun", false);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    match cx.str(KEY) {
        Some("blocked") => {
            c.require(
                t.has_item("boot.blacklistedKernelModules", "usb_storage")
                    && t.has_item("boot.blacklistedKernelModules", "uas"),
                "boot.blacklistedKernelModules",
                "usb_storage and uas are not blacklisted",
            );
        }
        Some("lockscreen") => {
            c.require(
                t.is_true("services.usbguard.enable") && t.is_true("nhos.usb.sessionAuthorises"),
                "services.usbguard.enable",
                "USBGuard, with the session allowed to authorise devices (GNOME's USB protection), is not enabled",
            );
            if cx.has("desktop") {
                c.require(
                    t.dconf_locked("user", "org/gnome/desktop/privacy", "usb-protection-level")
                        == Some(&Nix::str("lockscreen")),
                    "usb-protection-level",
                    "GNOME's USB protection is not set to the lock screen and locked",
                );
            }
        }
        _ => {}
    }
    if cx.has("desktop") {
        c.require(
            t.dconf_locked("user", MEDIA, "automount") == Some(&Nix::Bool(false)),
            "automount",
            "automount is not switched off and locked",
        )
        .require(
            t.dconf_locked("user", MEDIA, "autorun-never") == Some(&Nix::Bool(true)),
            "autorun-never",
            "autorun is not switched off and locked",
        );
    }
    c.done()
}
