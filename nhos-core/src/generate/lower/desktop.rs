//! The GNOME desktop: the session, the services a managed desktop does not want,
//! fonts, and the dconf keys that settings lock (R5, R6, R16, R18).

use super::Cx;
use crate::generate::nix::{Func, Nix};
use crate::setting::SettingValue;

/// How a setting becomes a dconf value.
#[derive(Clone, Copy)]
enum Dconf {
    /// An integer as a GVariant uint32.
    Uint32,
    /// A boolean as it is.
    Same,
    /// A boolean, inverted (`autorun = false` → `autorun-never = true`).
    Negated,
    /// `false` when the setting is `true`; nothing otherwise.
    OffWhenTrue,
}

/// One dconf key a setting writes.
struct DconfFromSetting {
    setting: &'static str,
    profile: &'static str,
    dir: &'static str,
    key: &'static str,
    how: Dconf,
    locked: bool,
}

const fn k(
    setting: &'static str,
    profile: &'static str,
    dir: &'static str,
    key: &'static str,
    how: Dconf,
    locked: bool,
) -> DconfFromSetting {
    DconfFromSetting {
        setting,
        profile,
        dir,
        key,
        how,
        locked,
    }
}

const SESSION: &str = "org/gnome/desktop/session";
const SCREENSAVER: &str = "org/gnome/desktop/screensaver";
const MEDIA: &str = "org/gnome/desktop/media-handling";

/// Setting → dconf key, locked unless the table says not.
const DCONF_FROM_SETTINGS: &[DconfFromSetting] = &[
    k(
        "screen.idle-delay",
        "user",
        SESSION,
        "idle-delay",
        Dconf::Uint32,
        true,
    ),
    k(
        "screen.lock-enabled",
        "user",
        SCREENSAVER,
        "lock-enabled",
        Dconf::Same,
        true,
    ),
    k(
        "screen.lock-delay",
        "user",
        SCREENSAVER,
        "lock-delay",
        Dconf::Uint32,
        true,
    ),
    k(
        "login.hide-user-list",
        "gdm",
        "org/gnome/login-screen",
        "disable-user-list",
        Dconf::Same,
        false,
    ),
    k(
        "hardening.telemetry-off",
        "user",
        "org/gnome/system/location",
        "enabled",
        Dconf::OffWhenTrue,
        true,
    ),
    k(
        "hardening.telemetry-off",
        "user",
        "org/gnome/desktop/privacy",
        "report-technical-problems",
        Dconf::OffWhenTrue,
        true,
    ),
    k(
        "media.automount",
        "user",
        MEDIA,
        "automount",
        Dconf::Same,
        true,
    ),
    k(
        "media.automount",
        "user",
        MEDIA,
        "automount-open",
        Dconf::Same,
        true,
    ),
    k(
        "media.autorun",
        "user",
        MEDIA,
        "autorun-never",
        Dconf::Negated,
        true,
    ),
];

const UNWANTED_SERVICES: &[&str] = &[
    "gnome-initial-setup",
    "gnome-remote-desktop",
    "gnome-user-share",
    "rygel",
];

pub(super) fn lower(cx: &mut Cx) {
    if !cx.has("desktop") {
        return;
    }
    cx.by_cap(
        "desktop",
        "services.desktopManager.gnome.enable",
        Nix::Bool(true),
    );
    cx.set("services.displayManager.gdm.enable", Nix::Bool(true), None);
    for svc in UNWANTED_SERVICES {
        cx.set(
            &format!("services.gnome.{svc}.enable"),
            Nix::Bool(false),
            format!("not wanted on a managed NHS desktop ({svc})"),
        );
    }
    let br = &cx.estate.branding;
    let mut fonts: Vec<Nix> = br
        .font_packages
        .iter()
        .map(|f| Nix::Commented(Box::new(Nix::Pkg(f.value.clone())), super::short(&f.origin)))
        .collect();
    fonts.dedup();
    cx.set(
        "fonts.packages",
        Nix::List(fonts),
        "branding fonts".to_owned(),
    );
    cx.set(
        "fonts.fontconfig.defaultFonts.sansSerif",
        Nix::List(vec![Nix::str(&br.font_sans.value)]),
        super::short(&br.font_sans.origin),
    );
    for d in DCONF_FROM_SETTINGS {
        let value = match (d.how, cx.p.setting(d.setting)) {
            (Dconf::Uint32, Some(SettingValue::Int(v))) => Nix::call(Func::MkUint32, Nix::Int(*v)),
            (Dconf::Same, Some(SettingValue::Bool(v))) => Nix::Bool(*v),
            (Dconf::Negated, Some(SettingValue::Bool(v))) => Nix::Bool(!*v),
            (Dconf::OffWhenTrue, Some(SettingValue::Bool(true))) => Nix::Bool(false),
            _ => continue,
        };
        cx.dconf(d.setting, d.profile, d.dir, d.key, value, d.locked);
    }
}
