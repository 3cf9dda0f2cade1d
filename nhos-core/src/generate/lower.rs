//! Lowering: a resolved profile → a typed NixOS option tree ([`Lowered`]). Every
//! option carries a comment naming the definition line behind it. Values are
//! [`Nix`] values: nothing from the definition is ever pasted as text.

use super::nix::{Entry, Func, Nix};
use crate::catalogue::Catalogue;
use crate::model::{Estate, Origin, Profile, Via};
use crate::setting::SettingValue;
use std::collections::{BTreeMap, BTreeSet};

/// One option assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Opt {
    pub path: Vec<String>,
    pub value: Nix,
    pub comment: Option<String>,
}

/// A dconf key in one dconf profile (`user` or `gdm`).
#[derive(Debug, Clone, PartialEq)]
pub struct DconfKey {
    pub value: Nix,
    pub locked: bool,
    pub comment: String,
}

/// The option tree of one profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lowered {
    pub profile: String,
    pub options: Vec<Opt>,
    /// dconf profile → directory → key.
    pub dconf: BTreeMap<String, BTreeMap<String, BTreeMap<String, DconfKey>>>,
}

impl Lowered {
    /// The value at an option path.
    pub fn get(&self, path: &[&str]) -> Option<&Nix> {
        self.options
            .iter()
            .find(|o| o.path.iter().map(String::as_str).eq(path.iter().copied()))
            .map(|o| &o.value)
    }

    pub fn dconf_key(&self, profile: &str, dir: &str, key: &str) -> Option<&DconfKey> {
        self.dconf.get(profile)?.get(dir)?.get(key)
    }

    fn set(&mut self, path: &str, value: Nix, comment: Option<String>) {
        self.options.push(Opt {
            path: path.split('.').map(str::to_owned).collect(),
            value,
            comment,
        });
    }

    fn dconf(
        &mut self,
        profile: &str,
        dir: &str,
        key: &str,
        value: Nix,
        locked: bool,
        comment: String,
    ) {
        self.dconf
            .entry(profile.to_owned())
            .or_default()
            .entry(dir.to_owned())
            .or_default()
            .insert(
                key.to_owned(),
                DconfKey {
                    value,
                    locked,
                    comment,
                },
            );
    }

    /// Moves the dconf keys into `nhos.dconf.<profile>.{settings,locks}` options.
    pub fn finish(&mut self) {
        for (profile, dirs) in std::mem::take(&mut self.dconf).iter() {
            let mut locks = Vec::new();
            let mut settings = Vec::new();
            for (dir, keys) in dirs {
                let mut entries = Vec::new();
                for (k, v) in keys {
                    if v.locked {
                        locks.push(Nix::str(format!("/{dir}/{k}")));
                    }
                    entries.push(Entry {
                        key: k.clone(),
                        value: v.value.clone(),
                        comment: Some(v.comment.clone()),
                    });
                }
                settings.push(Entry {
                    key: dir.clone(),
                    value: Nix::Attrs(entries),
                    comment: None,
                });
            }
            self.set(
                &format!("nhos.dconf.{profile}.settings"),
                Nix::Attrs(settings),
                None,
            );
            if !locks.is_empty() {
                self.set(
                    &format!("nhos.dconf.{profile}.locks"),
                    Nix::List(locks),
                    None,
                );
            }
            // Keep the keys for checks made after rendering.
            self.dconf.insert(profile.clone(), dirs.clone());
        }
    }
}

/// Why a value is where it is, for the comment above it.
fn why(key: &str, p: &Profile) -> String {
    match p.settings.get(key) {
        Some(s) => format!("{key} = {} — {}", s.value, short(&s.origin)),
        None => format!("{key} (not set)"),
    }
}

fn short(o: &Origin) -> String {
    match &o.via {
        Via::Capability {
            capability,
            version,
            ..
        } => format!("capability {capability} {version}, {}", o.location),
        _ => o.location.to_string(),
    }
}

fn cap_why(p: &Profile, cap: &str) -> Option<String> {
    p.capabilities
        .get(cap)
        .map(|u| format!("capability {cap} {} — {}", u.version, u.origin.location))
}

/// Capabilities that switch on a NixOS module: (capability, enable option, optional
/// package-list option and its packages).
type CapabilityOption = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static [&'static str])>,
);
const CAPABILITY_OPTIONS: &[CapabilityOption] = &[
    (
        "nhsmail-evolution",
        "programs.evolution.enable",
        Some(("programs.evolution.plugins", &["evolution-ews"])),
    ),
    (
        "printing",
        "services.printing.enable",
        Some(("services.printing.drivers", &["gutenprint", "hplip"])),
    ),
    (
        "scanning",
        "hardware.sane.enable",
        Some(("hardware.sane.extraBackends", &["sane-airscan"])),
    ),
    ("smartcard", "services.pcscd.enable", None),
    ("analyst-tools", "virtualisation.podman.enable", None),
];

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

/// Setting key → (dconf profile, directory, key, conversion, locked).
const DCONF_FROM_SETTINGS: &[(&str, &str, &str, &str, Dconf, bool)] = &[
    (
        "screen.idle-delay",
        "user",
        "org/gnome/desktop/session",
        "idle-delay",
        Dconf::Uint32,
        true,
    ),
    (
        "screen.lock-enabled",
        "user",
        "org/gnome/desktop/screensaver",
        "lock-enabled",
        Dconf::Same,
        true,
    ),
    (
        "screen.lock-delay",
        "user",
        "org/gnome/desktop/screensaver",
        "lock-delay",
        Dconf::Uint32,
        true,
    ),
    (
        "login.hide-user-list",
        "gdm",
        "org/gnome/login-screen",
        "disable-user-list",
        Dconf::Same,
        false,
    ),
    (
        "hardening.telemetry-off",
        "user",
        "org/gnome/system/location",
        "enabled",
        Dconf::OffWhenTrue,
        true,
    ),
    (
        "hardening.telemetry-off",
        "user",
        "org/gnome/desktop/privacy",
        "report-technical-problems",
        Dconf::OffWhenTrue,
        true,
    ),
    (
        "media.automount",
        "user",
        "org/gnome/desktop/media-handling",
        "automount",
        Dconf::Same,
        true,
    ),
    (
        "media.automount",
        "user",
        "org/gnome/desktop/media-handling",
        "automount-open",
        Dconf::Same,
        true,
    ),
    (
        "media.autorun",
        "user",
        "org/gnome/desktop/media-handling",
        "autorun-never",
        Dconf::Negated,
        true,
    ),
];

/// Lowers one concrete profile.
pub fn lower(estate: &Estate, p: &Profile) -> Lowered {
    let mut l = Lowered {
        profile: p.name.clone(),
        ..Lowered::default()
    };
    let b = |k: &str| p.bool(k);
    let desktop = p.has_capability("desktop");

    l.set(
        "networking.hostName",
        Nix::str(&p.name),
        Some(format!("profile {} ({})", p.name, p.file)),
    );
    l.set(
        "system.stateVersion",
        Nix::str(&estate.nixpkgs.release),
        Some(format!(
            "nixpkgs {} — {}",
            estate.nixpkgs.release, estate.nixpkgs.location
        )),
    );

    // Locale.
    if let Some(v) = p.str("locale.default") {
        l.set(
            "i18n.defaultLocale",
            Nix::str(v),
            Some(why("locale.default", p)),
        );
    }
    if let Some(v) = p.str("locale.timezone") {
        l.set(
            "time.timeZone",
            Nix::str(v),
            Some(why("locale.timezone", p)),
        );
    }
    if let Some(v) = p.str("locale.keyboard") {
        l.set(
            "services.xserver.xkb.layout",
            Nix::str(v),
            Some(why("locale.keyboard", p)),
        );
        l.set("console.useXkbConfig", Nix::Bool(true), None);
        if desktop {
            // GNOME wants a list of (ss) tuples; the module builds them from the layout.
            l.set(
                "nhos.desktop.keyboardLayout",
                Nix::str(v),
                Some(why("locale.keyboard", p)),
            );
        }
    }

    // Branding (the module turns these into os-release, Plymouth, GDM and dconf).
    let br = &estate.branding;
    l.set(
        "nhos.branding.osName",
        Nix::str(&br.os_name.value),
        Some(short(&br.os_name.origin)),
    );
    l.set(
        "nhos.branding.osId",
        Nix::str(&br.os_id.value),
        Some(short(&br.os_id.origin)),
    );
    l.set(
        "nhos.branding.vendorName",
        Nix::str(&br.vendor.value),
        Some(short(&br.vendor.origin)),
    );
    if let Some(v) = p.str("branding.variant") {
        l.set(
            "nhos.branding.variantName",
            Nix::str(v),
            Some(why("branding.variant", p)),
        );
        l.set("nhos.branding.variantId", Nix::str(variant_id(v)), None);
    }
    if let Some(c) = br.colours.get("accent") {
        l.set(
            "nhos.branding.accentColour",
            Nix::str(&c.value),
            Some(short(&c.origin)),
        );
    }
    if let Some(c) = br.colours.get("background") {
        l.set(
            "nhos.branding.backgroundColour",
            Nix::str(&c.value),
            Some(short(&c.origin)),
        );
    }
    let wallpaper = br
        .assets
        .get(&format!("wallpaper@{}", p.name))
        .or_else(|| br.assets.get("wallpaper"));
    for (opt, asset) in [
        ("wallpaper", wallpaper),
        ("logo", br.assets.get("logo")),
        ("bootSplash", br.assets.get("boot-splash")),
    ] {
        if let Some(a) = asset {
            l.set(
                &format!("nhos.branding.{opt}"),
                Nix::Path(format!("../assets/{}", a.stored_name())),
                Some(format!("{} — {}", a.path, a.location)),
            );
        }
    }
    if b("login.show-banner") == Some(true) {
        if let Some(banner) = &br.login_banner {
            l.set(
                "nhos.branding.loginBanner",
                Nix::str(banner.value.trim()),
                Some(format!(
                    "login.show-banner, text from {}",
                    banner.origin.location
                )),
            );
        }
    }
    l.set(
        "nhos.images.baseName",
        Nix::str(format!("{}-{}", br.image_base_name.value, p.name)),
        Some(short(&br.image_base_name.origin)),
    );
    l.set(
        "nhos.images.volumeId",
        Nix::str(&br.iso_volume_id.value),
        Some(short(&br.iso_volume_id.origin)),
    );

    // Desktop.
    if desktop {
        let c = cap_why(p, "desktop");
        l.set(
            "services.desktopManager.gnome.enable",
            Nix::Bool(true),
            c.clone(),
        );
        l.set("services.displayManager.gdm.enable", Nix::Bool(true), None);
        l.set("networking.networkmanager.enable", Nix::Bool(true), None);
        for svc in [
            "gnome-initial-setup",
            "gnome-remote-desktop",
            "gnome-user-share",
            "rygel",
        ] {
            l.set(
                &format!("services.gnome.{svc}.enable"),
                Nix::Bool(false),
                Some(format!("not wanted on a managed NHS desktop ({svc})")),
            );
        }
        let mut fonts: Vec<Nix> = br
            .font_packages
            .iter()
            .map(|f| Nix::Commented(Box::new(Nix::Pkg(f.value.clone())), short(&f.origin)))
            .collect();
        fonts.dedup();
        l.set(
            "fonts.packages",
            Nix::List(fonts),
            Some("branding fonts".into()),
        );
        l.set(
            "fonts.fontconfig.defaultFonts.sansSerif",
            Nix::List(vec![Nix::str(&br.font_sans.value)]),
            Some(short(&br.font_sans.origin)),
        );
    }
    if p.has_capability("kiosk") {
        l.set("nhos.kiosk.enable", Nix::Bool(true), cap_why(p, "kiosk"));
        if let Some(url) = p.str("kiosk.url") {
            l.set("nhos.kiosk.url", Nix::str(url), Some(why("kiosk.url", p)));
        }
        if let Some(u) = p.str("login.autologin-user") {
            l.set(
                "nhos.kiosk.user",
                Nix::str(u),
                Some(why("login.autologin-user", p)),
            );
        }
        let browser = if p.has_capability("browser-chromium") {
            "chromium"
        } else {
            "firefox-esr"
        };
        l.set("nhos.kiosk.browser", Nix::Pkg(browser.into()), None);
        if b("kiosk.nightly-reboot") == Some(true) {
            l.set(
                "nhos.kiosk.nightlyReboot",
                Nix::Bool(true),
                Some(why("kiosk.nightly-reboot", p)),
            );
        }
    }
    if p.has_capability("live-image") {
        l.set(
            "nhos.live.enable",
            Nix::Bool(true),
            cap_why(p, "live-image"),
        );
    }

    // GNOME keys from settings (R5, R6, R16, R18), locked unless the table says not.
    if desktop {
        for &(key, profile, dir, name, how, locked) in DCONF_FROM_SETTINGS {
            let value = match (how, p.setting(key)) {
                (Dconf::Uint32, Some(SettingValue::Int(v))) => {
                    Nix::call(Func::MkUint32, Nix::Int(*v))
                }
                (Dconf::Same, Some(SettingValue::Bool(v))) => Nix::Bool(*v),
                (Dconf::Negated, Some(SettingValue::Bool(v))) => Nix::Bool(!*v),
                (Dconf::OffWhenTrue, Some(SettingValue::Bool(true))) => Nix::Bool(false),
                _ => continue,
            };
            l.dconf(profile, dir, name, value, locked, why(key, p));
        }
    }
    if b("hardening.telemetry-off") == Some(true) {
        l.set(
            "services.geoclue2.enable",
            Nix::call(Func::MkForce, Nix::Bool(false)),
            Some(why("hardening.telemetry-off", p)),
        );
        if desktop {
            l.set(
                "services.gnome.gnome-online-accounts.enable",
                Nix::Bool(false),
                Some(why("hardening.telemetry-off", p)),
            );
        }
    }

    // Removable media (R18).
    match p.str("media.usb-storage") {
        Some("blocked") => l.set(
            "boot.blacklistedKernelModules",
            Nix::List(vec![Nix::str("usb_storage"), Nix::str("uas")]),
            Some(why("media.usb-storage", p)),
        ),
        Some("lockscreen") => {
            l.set(
                "services.usbguard.enable",
                Nix::Bool(true),
                Some(why("media.usb-storage", p)),
            );
            l.set(
                "services.usbguard.presentDevicePolicy",
                Nix::str("allow"),
                Some("devices present at boot (keyboards, readers) stay allowed".into()),
            );
            if desktop {
                l.dconf(
                    "user",
                    "org/gnome/desktop/privacy",
                    "usb-protection",
                    Nix::Bool(true),
                    true,
                    why("media.usb-storage", p),
                );
                l.dconf(
                    "user",
                    "org/gnome/desktop/privacy",
                    "usb-protection-level",
                    Nix::str("lockscreen"),
                    true,
                    why("media.usb-storage", p),
                );
            }
        }
        _ => {}
    }

    // Login, passwords, accounts (R7, R8, R10, R11).
    if let Some(n) = p.int("login.max-failed-attempts") {
        l.set(
            "nhos.accounts.failedLoginLimit",
            Nix::Int(n),
            Some(why("login.max-failed-attempts", p)),
        );
        if let Some(t) = p.int("login.unlock-time") {
            l.set(
                "nhos.accounts.unlockTime",
                Nix::Int(t),
                Some(why("login.unlock-time", p)),
            );
        }
    }
    if let Some(n) = p.int("password.min-length") {
        l.set(
            "nhos.accounts.passwordMinLength",
            Nix::Int(n),
            Some(why("password.min-length", p)),
        );
    }
    if let Some(m) = b("users.mutable") {
        l.set(
            "users.mutableUsers",
            Nix::Bool(m),
            Some(why("users.mutable", p)),
        );
    }
    if b("users.su-restricted") == Some(true) {
        l.set(
            "security.sudo.execWheelOnly",
            Nix::Bool(true),
            Some(why("users.su-restricted", p)),
        );
        l.set("security.sudo.wheelNeedsPassword", Nix::Bool(true), None);
    }

    // Firewall (R9).
    if let Some(v) = b("firewall.enable") {
        l.set(
            "networking.firewall.enable",
            Nix::Bool(v),
            Some(why("firewall.enable", p)),
        );
    }
    if let Some(SettingValue::List(ports)) = p.setting("firewall.allowed-tcp-ports") {
        let ports = ports
            .iter()
            .filter_map(|s| s.parse::<i64>().ok())
            .map(Nix::Int)
            .collect();
        l.set(
            "networking.firewall.allowedTCPPorts",
            Nix::List(ports),
            Some(why("firewall.allowed-tcp-ports", p)),
        );
    }

    // Updates (R3).
    if let Some(v) = b("updates.automatic") {
        l.set(
            "system.autoUpgrade.enable",
            Nix::Bool(v),
            Some(why("updates.automatic", p)),
        );
        if v {
            if let Some(s) = p.str("updates.schedule") {
                l.set(
                    "system.autoUpgrade.dates",
                    Nix::str(s),
                    Some(why("updates.schedule", p)),
                );
            }
            if let Some(r) = b("updates.allow-reboot") {
                l.set(
                    "system.autoUpgrade.allowReboot",
                    Nix::Bool(r),
                    Some(why("updates.allow-reboot", p)),
                );
            }
            if let Some(f) = p.str("updates.flake") {
                l.set(
                    "system.autoUpgrade.flake",
                    Nix::str(format!("{f}#{}", p.name)),
                    Some(why("updates.flake", p)),
                );
            }
        }
    }

    // Boot integrity, hardening (R12–R16).
    if b("boot.module-signatures") == Some(true) {
        l.set(
            "boot.kernelParams",
            Nix::List(vec![Nix::str("module.sig_enforce=1")]),
            Some(why("boot.module-signatures", p)),
        );
    }
    if b("boot.loader-locked") == Some(true) {
        l.set(
            "boot.loader.systemd-boot.editor",
            Nix::Bool(false),
            Some(why("boot.loader-locked", p)),
        );
    }
    if b("hardening.tmp-noexec") == Some(true) {
        l.set(
            "boot.tmp.useTmpfs",
            Nix::Bool(true),
            Some(why("hardening.tmp-noexec", p)),
        );
    }
    if let Some(v) = b("hardening.apparmor") {
        l.set(
            "security.apparmor.enable",
            Nix::Bool(v),
            Some(why("hardening.apparmor", p)),
        );
    }
    if let Some(v) = b("hardening.audit") {
        l.set(
            "security.audit.enable",
            Nix::Bool(v),
            Some(why("hardening.audit", p)),
        );
        l.set("security.auditd.enable", Nix::Bool(v), None);
    }

    // Software (R19, R20).
    if b("software.user-install") == Some(false) {
        l.set(
            "nix.settings.allowed-users",
            Nix::List(vec![Nix::str("root"), Nix::str("@wheel")]),
            Some(why("software.user-install", p)),
        );
    }
    if p.str("software.malware-method") == Some("antivirus") {
        l.set(
            "services.clamav.daemon.enable",
            Nix::Bool(true),
            Some(why("software.malware-method", p)),
        );
        l.set("services.clamav.updater.enable", Nix::Bool(true), None);
    }

    // Capabilities with NixOS modules of their own.
    if p.has_capability("browser") {
        l.set(
            "programs.firefox.enable",
            Nix::Bool(true),
            cap_why(p, "browser"),
        );
        l.set(
            "programs.firefox.package",
            Nix::Pkg("firefox-esr".into()),
            None,
        );
        l.set(
            "programs.firefox.languagePacks",
            Nix::List(vec![Nix::str("en-GB")]),
            None,
        );
        l.set(
            "programs.firefox.policies",
            firefox_policies(p),
            Some("Mozilla enterprise policies".into()),
        );
    }
    if p.has_capability("browser-chromium") {
        l.set(
            "programs.chromium.enable",
            Nix::Bool(true),
            cap_why(p, "browser-chromium"),
        );
        if let Some(h) = p.str("browser.homepage") {
            l.set(
                "programs.chromium.homepageLocation",
                Nix::str(h),
                Some(why("browser.homepage", p)),
            );
        }
        l.set(
            "programs.chromium.extraOpts",
            chromium_policies(p),
            Some("Chrome enterprise policies".into()),
        );
    }
    if p.has_capability("nhsmail") {
        if let Some(u) = p.str("nhsmail.url") {
            l.set(
                "nhos.launchers.nhsmail",
                Nix::str(u),
                Some(why("nhsmail.url", p)),
            );
        }
    }
    for (cap, enable, list) in CAPABILITY_OPTIONS {
        if p.has_capability(cap) {
            l.set(enable, Nix::Bool(true), cap_why(p, cap));
            if let Some((path, pkgs)) = list {
                l.set(
                    path,
                    Nix::List(pkgs.iter().map(|x| Nix::Pkg((*x).into())).collect()),
                    None,
                );
            }
        }
    }
    if p.has_capability("vpn") {
        l.set(
            "networking.networkmanager.plugins",
            Nix::List(vec![Nix::Pkg("networkmanager-openconnect".into())]),
            cap_why(p, "vpn"),
        );
    }
    if p.has_capability("ad-join") {
        if let Some(domain) = p.str("ad.domain") {
            l.set(
                "services.sssd.enable",
                Nix::Bool(true),
                cap_why(p, "ad-join"),
            );
            l.set(
                "services.sssd.config",
                Nix::str(sssd_conf(domain)),
                Some(why("ad.domain", p)),
            );
            l.set("security.krb5.enable", Nix::Bool(true), None);
            l.set(
                "security.krb5.settings",
                Nix::attrs([(
                    "libdefaults".to_owned(),
                    Nix::attrs([
                        ("default_realm".to_owned(), Nix::str(domain.to_uppercase())),
                        ("dns_lookup_kdc".to_owned(), Nix::Bool(true)),
                    ]),
                )]),
                Some(why("ad.domain", p)),
            );
        }
    }
    if let Some(v) = b("ssh.enable") {
        l.set(
            "services.openssh.enable",
            Nix::Bool(v),
            Some(why("ssh.enable", p)),
        );
        if let Some(pa) = b("ssh.password-authentication") {
            l.set(
                "services.openssh.settings.PasswordAuthentication",
                Nix::Bool(pa),
                Some(why("ssh.password-authentication", p)),
            );
        }
        if let Some(r) = b("ssh.permit-root-login") {
            l.set(
                "services.openssh.settings.PermitRootLogin",
                Nix::str(if r { "prohibit-password" } else { "no" }),
                Some(why("ssh.permit-root-login", p)),
            );
        }
    }
    for (k, opt) in [
        ("vm.memory", "memorySize"),
        ("vm.cores", "cores"),
        ("vm.disk-size", "diskSize"),
    ] {
        if let Some(v) = p.int(k) {
            l.set(&format!("nhos.vm.{opt}"), Nix::Int(v), Some(why(k, p)));
        }
    }

    // Packages, each with its reason.
    let cat = Catalogue::builtin();
    let installs: Vec<Nix> = p
        .packages
        .iter()
        .filter(|(name, _)| !cat.gnome_removable.contains(*name))
        .map(|(name, o)| Nix::Commented(Box::new(Nix::Pkg(name.clone())), short(o)))
        .collect();
    l.set(
        "environment.systemPackages",
        Nix::List(installs),
        Some("effective packages of the profile".into()),
    );
    if desktop {
        let removed: Vec<Nix> = p
            .removed_packages
            .iter()
            .filter(|(name, _)| cat.gnome_removable.contains(*name))
            .map(|(name, o)| Nix::Commented(Box::new(Nix::Pkg(name.clone())), short(o)))
            .collect();
        if !removed.is_empty() {
            l.set(
                "environment.gnome.excludePackages",
                Nix::List(removed),
                Some("GNOME applications the estate removes".into()),
            );
        }
    }
    l
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

fn sssd_conf(domain: &str) -> String {
    // The domain is a definition value: it is escaped when printed as a Nix string,
    // and restricted here to what a DNS name may contain so it cannot add lines.
    let d: String = domain
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-".contains(*c))
        .collect();
    format!(
        "[sssd]\nservices = nss, pam\ndomains = {d}\n\n[domain/{d}]\nid_provider = ad\naccess_provider = ad\nad_domain = {d}\nkrb5_realm = {}\ncache_credentials = true\nfallback_homedir = /home/%u\ndefault_shell = /run/current-system/sw/bin/bash\n",
        d.to_uppercase()
    )
}

fn bookmarks(p: &Profile) -> Vec<(String, String)> {
    p.setting("browser.bookmarks")
        .and_then(SettingValue::as_map)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

fn firefox_policies(p: &Profile) -> Nix {
    let mut e = vec![
        ("DisableTelemetry".to_owned(), Nix::Bool(true)),
        ("DisableFirefoxStudies".to_owned(), Nix::Bool(true)),
        ("DisablePocket".to_owned(), Nix::Bool(true)),
        ("DontCheckDefaultBrowser".to_owned(), Nix::Bool(true)),
    ];
    if let Some(h) = p.str("browser.homepage") {
        e.push((
            "Homepage".to_owned(),
            Nix::attrs([
                ("URL".to_owned(), Nix::str(h)),
                ("Locked".to_owned(), Nix::Bool(true)),
                ("StartPage".to_owned(), Nix::str("homepage")),
            ]),
        ));
    }
    let bm = bookmarks(p);
    if !bm.is_empty() {
        let mut items = vec![Nix::attrs([(
            "toplevel_name".to_owned(),
            Nix::str("Trust"),
        )])];
        items.extend(bm.into_iter().map(|(n, u)| {
            Nix::attrs([
                ("name".to_owned(), Nix::str(n)),
                ("url".to_owned(), Nix::str(u)),
            ])
        }));
        e.push(("ManagedBookmarks".to_owned(), Nix::List(items)));
    }
    if p.bool("browser.downloads") == Some(false) {
        e.push(("DisableDeveloperTools".to_owned(), Nix::Bool(true)));
        e.push(("DownloadRestrictions".to_owned(), Nix::Int(3)));
    }
    Nix::attrs(e)
}

fn chromium_policies(p: &Profile) -> Nix {
    let mut e = vec![
        ("MetricsReportingEnabled".to_owned(), Nix::Bool(false)),
        ("BrowserSignin".to_owned(), Nix::Int(0)),
        ("SyncDisabled".to_owned(), Nix::Bool(true)),
    ];
    let bm = bookmarks(p);
    if !bm.is_empty() {
        let mut items = vec![Nix::attrs([(
            "toplevel_name".to_owned(),
            Nix::str("Trust"),
        )])];
        items.extend(bm.into_iter().map(|(n, u)| {
            Nix::attrs([
                ("name".to_owned(), Nix::str(n)),
                ("url".to_owned(), Nix::str(u)),
            ])
        }));
        e.push(("ManagedBookmarks".to_owned(), Nix::List(items)));
    }
    if p.bool("browser.downloads") == Some(false) {
        e.push(("DownloadRestrictions".to_owned(), Nix::Int(3)));
        e.push(("DeveloperToolsAvailability".to_owned(), Nix::Int(2)));
    }
    Nix::attrs(e)
}

/// Option paths (as dotted strings with `<name>` for attribute names that are data)
/// the lowering emitted, for the contract check.
pub fn emitted_paths(l: &Lowered) -> BTreeSet<Vec<String>> {
    l.options.iter().map(|o| o.path.clone()).collect()
}
