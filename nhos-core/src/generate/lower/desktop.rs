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
    // GNOME locks on suspend when the lock screen is not disabled; there is no
    // upstream "lock on suspend" key (Ubuntu's ubuntu-lock-on-suspend is a patch).
    k(
        "screen.lock-on-suspend",
        "user",
        "org/gnome/desktop/lockdown",
        "disable-lock-screen",
        Dconf::Negated,
        true,
    ),
];

/// GNOME's accent colours (47+, `org/gnome/desktop/interface/accent-color` takes
/// only these names) with libadwaita's values, for the nearest to the branding's.
const ACCENTS: &[(&str, (i32, i32, i32))] = &[
    ("blue", (0x35, 0x84, 0xe4)),
    ("teal", (0x21, 0x90, 0xa4)),
    ("green", (0x3a, 0x94, 0x4a)),
    ("yellow", (0xc8, 0x88, 0x00)),
    ("orange", (0xed, 0x5b, 0x00)),
    ("red", (0xe6, 0x2d, 0x42)),
    ("pink", (0xd5, 0x61, 0x99)),
    ("purple", (0x91, 0x41, 0xac)),
    ("slate", (0x6f, 0x83, 0x96)),
];

/// Hue in degrees and saturation (HSV) of an RGB colour.
fn hue_saturation((r, g, b): (i32, i32, i32)) -> (f64, f64) {
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    if max == 0 || max == min {
        return (0.0, 0.0);
    }
    let d = f64::from(max - min);
    let h = if max == r {
        60.0 * f64::from(g - b) / d
    } else if max == g {
        60.0 * (2.0 + f64::from(b - r) / d)
    } else {
        60.0 * (4.0 + f64::from(r - g) / d)
    };
    (h.rem_euclid(360.0), d / f64::from(max))
}

/// The GNOME accent nearest to a `#RRGGBB` colour, by hue as the eye sees it
/// (NHS Blue is `blue`, not the RGB-nearer `teal`); greys are `slate`.
pub(crate) fn nearest_accent(hex: &str) -> Option<&'static str> {
    let h = hex.strip_prefix('#')?;
    let c = |i: usize| i32::from_str_radix(h.get(i..i + 2)?, 16).ok();
    let (hue, sat) = hue_saturation((c(0)?, c(2)?, c(4)?));
    if sat < 0.35 {
        return Some("slate");
    }
    let distance = |a: f64| {
        let d = (a - hue).abs();
        d.min(360.0 - d)
    };
    ACCENTS
        .iter()
        .filter(|(n, _)| *n != "slate")
        .map(|(n, rgb)| (*n, distance(hue_saturation(*rgb).0)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(n, _)| n)
}

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
    if let Some(c) = br.colours.get("accent")
        && let Some(name) = nearest_accent(&c.value)
    {
        let comment = format!(
            "branding accent {} → GNOME's nearest accent `{name}` — {}",
            c.value,
            super::short(&c.origin)
        );
        cx.l.dconf
            .entry("user".to_owned())
            .or_default()
            .entry("org/gnome/desktop/interface".to_owned())
            .or_default()
            .insert(
                "accent-color".to_owned(),
                super::DconfKey {
                    value: Nix::str(name),
                    locked: false,
                    comment,
                },
            );
    }
    if cx.p.packages.contains_key("gnomeExtensions.dash-to-panel") {
        // Installed is not enabled: the module adds the extension's UUID to GNOME
        // Shell's enabled-extensions.
        cx.by_cap(
            "desktop",
            "nhos.desktop.extensions",
            Nix::List(vec![Nix::Pkg("gnomeExtensions.dash-to-panel".into())]),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::nearest_accent;

    #[test]
    fn nhs_palette_colours_map_to_the_accent_they_look_like() {
        for (hex, want) in [
            ("#005EB8", "blue"),   // NHS Blue
            ("#003087", "blue"),   // NHS Dark Blue
            ("#00A499", "teal"),   // NHS Aqua Green
            ("#009639", "green"),  // NHS Green
            ("#FFB81C", "yellow"), // NHS Warm Yellow
            ("#ED8B00", "yellow"), // NHS Orange: hue 35°, between orange (23°) and yellow (41°)
            ("#ED5B00", "orange"),
            ("#DA291C", "red"),    // NHS Red
            ("#AE2573", "pink"),   // NHS Pink
            ("#330072", "purple"), // NHS Purple
            ("#425563", "slate"),  // NHS Dark Grey
            ("#FFFFFF", "slate"),
        ] {
            assert_eq!(nearest_accent(hex), Some(want), "{hex}");
        }
        assert_eq!(nearest_accent("005EB8"), None);
        assert_eq!(nearest_accent("#zz"), None);
    }
}
