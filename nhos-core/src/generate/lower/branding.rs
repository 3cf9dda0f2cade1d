//! Branding: the `nhos.branding` module turns these into os-release, Plymouth, GDM
//! and dconf.

use super::{Cx, short};
use crate::generate::nix::Nix;

pub(super) fn lower(cx: &mut Cx) {
    let br = &cx.estate.branding;
    for (opt, v) in [
        ("osName", &br.os_name),
        ("osId", &br.os_id),
        ("vendorName", &br.vendor),
    ] {
        cx.set(
            &format!("nhos.branding.{opt}"),
            Nix::str(&v.value),
            short(&v.origin),
        );
    }
    if let Some(v) = cx.str("branding.variant") {
        cx.by("branding.variant", "nhos.branding.variantName", Nix::str(v));
        cx.set("nhos.branding.variantId", Nix::str(variant_id(v)), None);
    }
    for (opt, role) in [
        ("accentColour", "accent"),
        ("backgroundColour", "background"),
    ] {
        if let Some(c) = br.colours.get(role) {
            cx.set(
                &format!("nhos.branding.{opt}"),
                Nix::str(&c.value),
                short(&c.origin),
            );
        }
    }
    let wallpaper = br
        .assets
        .get(&format!("wallpaper@{}", cx.p.name))
        .or_else(|| br.assets.get("wallpaper"));
    for (opt, asset) in [
        ("wallpaper", wallpaper),
        ("logo", br.assets.get("logo")),
        ("bootSplash", br.assets.get("boot-splash")),
    ] {
        if let Some(a) = asset {
            cx.set(
                &format!("nhos.branding.{opt}"),
                Nix::Path(format!("../assets/{}", a.stored_name())),
                format!("{} — {}", a.path, a.location),
            );
        }
    }
    if cx.bool("login.show-banner") == Some(true)
        && let Some(banner) = &br.login_banner
    {
        cx.set(
            "nhos.branding.loginBanner",
            Nix::str(banner.value.trim()),
            format!("login.show-banner, text from {}", banner.origin.location),
        );
    }
}

fn variant_id(v: &str) -> String {
    let s: String = v
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "variant".into() } else { s }
}
