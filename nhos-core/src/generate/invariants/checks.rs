//! Each of NixOS's assertions (and nhos's own NHOS2xx invariants) as a function of
//! one profile's lowered tree, pushing a diagnostic at the definition line.

use super::*;

/// Root file system and boot loader.
pub(super) fn root_and_boot_loader(
    estate: &Estate,
    p: &Profile,
    l: &Lowered,
    out: &mut Vec<Diagnostic>,
) {
    let root = get(l, &["fileSystems", "/"]).is_some()
        || get(l, &["disko", "devices", "disk", "main"]).is_some_and(mounts_root)
        || imports_iso(l);
    if !root {
        out.push(error(
            Code::NoRootFileSystem,
            at_setting(estate, p, "disk.layout"),
            format!("profile `{}` has no root file system, so NixOS would refuse to build it", p.name),
            "set [settings.disk] layout = \"installed\" (the installer partitions the device's disk with disko), \"image\" (the disk of a qcow2/raw image, for VMs) or \"live\" (runs from the ISO)".into(),
        ));
    }
    let loader = is_true(get(l, &["boot", "loader", "systemd-boot", "enable"])) || imports_iso(l);
    if !loader {
        out.push(error(
            Code::NoBootLoader,
            at_setting(estate, p, "disk.layout"),
            format!(
                "profile `{}` has no boot loader: NixOS would fall back to GRUB, which has no disk to install to",
                p.name
            ),
            "give the profile a disk layout: installed and image disks boot with systemd-boot on EFI, live images from the ISO".into(),
        ));
    }
}

/// Someone can log in, and every declared administrator can.
pub(super) fn someone_can_log_in(
    estate: &Estate,
    p: &Profile,
    l: &Lowered,
    out: &mut Vec<Diagnostic>,
) {
    for a in administrators(p).iter().filter(|a| !a.can_log_in()) {
        let key = format!("administrators.{}.enable", a.name);
        let at = p
            .settings
            .iter()
            .find(|(k, _)| k.starts_with(&format!("administrators.{}.", a.name)))
            .map_or_else(
                || at_setting(estate, p, &key),
                |(_, s)| s.origin.location.clone(),
            );
        out.push(error(
            Code::NobodyCanLogIn,
            at,
            format!(
                "administrator `{}` of profile `{}` has neither an SSH key nor a hashed-password-file, so it could never log in",
                a.name, p.name
            ),
            format!(
                "give [settings.administrators.{}] ssh-keys and/or hashed-password-file, or set enable = false; NixOS counts only wheel users with a credential",
                a.name
            ),
        ));
    }
    let immutable = get(l, &["users", "mutableUsers"]) == Some(&Nix::Bool(false));
    let other_login = directory_login(p) || autologin_user(p).is_some();
    if !immutable && !privileged_credential(l) && !other_login {
        // NixOS only asserts this for immutable users, but a freshly installed
        // device with mutable users and no credential is just as locked: the
        // installer sets no root password.
        out.push(
            Diagnostic::warning(
                Code::NobodyCanLogIn,
                Some(at_setting(estate, p, "users.mutable")),
                format!(
                    "nobody could log in to a fresh device of profile `{}`: no administrator with a key or password file, no directory login and no autologin session",
                    p.name
                ),
            )
            .with_hint("declare a break-glass administrator with [settings.administrators.<name>], or add the ad-join capability"),
        );
    }
    if immutable {
        let escape = is_true(get(l, &["users", "allowNoPasswordLogin"]));
        if !(privileged_credential(l) || escape && other_login) {
            let admins = administrators(p);
            let why = if admins.is_empty() {
                "no administrator is declared".to_owned()
            } else {
                format!(
                    "administrator{} {} ha{} neither an SSH key nor a hashed-password-file",
                    if admins.len() > 1 { "s" } else { "" },
                    admins
                        .iter()
                        .map(|a| format!("`{}`", a.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if admins.len() > 1 { "ve" } else { "s" }
                )
            };
            out.push(error(
                Code::NobodyCanLogIn,
                at_setting(estate, p, "users.mutable"),
                format!(
                    "nobody could log in to profile `{}`: users are immutable, {why}, directory login (ad-join) is off and the role has no autologin session",
                    p.name
                ),
                "declare a break-glass administrator with [settings.administrators.<name>] ssh-keys and/or hashed-password-file, or let directory users log in with the ad-join capability and ad.domain; NixOS fails with \"Neither the root account nor any wheel user has a password or SSH authorized key\"".into(),
            ));
        }
    }
}

/// NetworkManager and networking.wireless.
pub(super) fn wireless(estate: &Estate, p: &Profile, l: &Lowered, out: &mut Vec<Diagnostic>) {
    if is_true(get(l, &["networking", "networkmanager", "enable"]))
        && get(l, &["networking", "wireless", "enable"]).is_some()
    {
        out.push(error(
            Code::WirelessConflict,
            header(estate, p),
            format!(
                "profile `{}` sets networking.wireless.enable next to NetworkManager",
                p.name
            ),
            "NetworkManager enables networking.wireless itself (dbus-controlled wpa_supplicant); leave networking.wireless alone".into(),
        ));
    }
}

/// ISO volume IDs.
pub(super) fn iso_volume_ids(estate: &Estate, p: &Profile, out: &mut Vec<Diagnostic>) {
    let builds_iso = p
        .outputs
        .keys()
        .any(|f| matches!(f, OutputFormat::Iso | OutputFormat::Installer));
    let vid = &estate.branding.iso_volume_id;
    if builds_iso && vid.value.chars().count() > 32 {
        out.push(error(
            Code::IsoVolumeId,
            vid.origin.location.clone(),
            format!(
                "the ISO volume ID {:?} is {} characters; ISO 9660 allows 32, and profile `{}` builds an ISO",
                vid.value,
                vid.value.chars().count(),
                p.name
            ),
            "shorten branding.toml `iso-volume-id` to at most 32 characters".into(),
        ));
    }
}

/// stateVersion.
pub(super) fn state_version(estate: &Estate, l: &Lowered, out: &mut Vec<Diagnostic>) {
    if let Some(Nix::Str(v)) = get(l, &["system", "stateVersion"]) {
        let ok = v.len() == 5
            && v.as_bytes()[2] == b'.'
            && v[..2].chars().all(|c| c.is_ascii_digit())
            && matches!(&v[3..], "05" | "11");
        if !ok {
            out.push(error(
                Code::StateVersion,
                estate.nixpkgs.state_version_location.clone(),
                format!("system.stateVersion {v:?} is not a NixOS release"),
                "set nixpkgs.state-version to the release the devices were first installed with, e.g. \"26.05\"".into(),
            ));
        }
    }
}

/// Automatic updates.
pub(super) fn automatic_updates(
    estate: &Estate,
    p: &Profile,
    l: &Lowered,
    out: &mut Vec<Diagnostic>,
) {
    if is_true(get(l, &["system", "autoUpgrade", "enable"])) {
        match get(l, &["nhos", "updates", "flake"]) {
            None => out.push(error(
                Code::AutoUpgradeFlake,
                at_setting(estate, p, "updates.automatic"),
                format!(
                    "profile `{}` updates automatically but names no flake to update from: NixOS would try a channel upgrade, and a flake-built device has no channel",
                    p.name
                ),
                "set [settings.updates] flake to the trust's estate repository, e.g. \"git+https://git.trust.nhs.uk/desktop/estate?ref=main\"; nhos adds #<profile>".into(),
            )),
            Some(Nix::Str(f)) => {
                if let Err((_, why)) = crate::setting_checks::flake_ref(f) {
                    out.push(error(
                        Code::AutoUpgradeFlake,
                        at_setting(estate, p, "updates.flake"),
                        format!("the update flake of profile `{}`: {why}", p.name),
                        "give a flake reference without `#`".into(),
                    ));
                }
            }
            Some(_) => {}
        }
        if let Some(Nix::Str(d)) = get(l, &["system", "autoUpgrade", "dates"])
            && let Err(why) = crate::calendar::check(d)
        {
            out.push(error(
                Code::Calendar,
                at_setting(estate, p, "updates.schedule"),
                format!("the update schedule {d:?} is not a systemd calendar expression: {why}"),
                "check it with `systemd-analyze calendar`".into(),
            ));
        }
    }
}

/// Output formats against the disk layout.
pub(super) fn formats_and_layout(p: &Profile, layout: Option<&str>, out: &mut Vec<Diagnostic>) {
    for (format, origin) in &p.outputs {
        let ok = match (format, layout) {
            (OutputFormat::Installer, l) => l == Some("installed"),
            (OutputFormat::Iso, l) => l == Some("live"),
            (OutputFormat::Qcow2 | OutputFormat::Raw | OutputFormat::Vm, l) => {
                matches!(l, Some("installed" | "image"))
            }
        };
        if !ok && layout.is_some() {
            let needs = match format {
                OutputFormat::Installer => {
                    "layout = \"installed\" (a disk the installer partitions)"
                }
                OutputFormat::Iso => "layout = \"live\" (the system runs from the ISO)",
                _ => "layout = \"installed\" or \"image\"",
            };
            out.push(error(
                Code::OutputLayout,
                origin.location.clone(),
                format!(
                    "profile `{}` asks for the `{}` output, which its disk layout {:?} cannot build",
                    p.name,
                    format.as_str(),
                    layout.unwrap_or_default()
                ),
                format!("a `{}` output needs {needs}", format.as_str()),
            ));
        }
    }
}

/// No option defined twice, and no option inside another one's value.
pub(super) fn options_defined_once(
    estate: &Estate,
    p: &Profile,
    l: &Lowered,
    out: &mut Vec<Diagnostic>,
) {
    let mut paths: Vec<&Vec<String>> = l.options.iter().map(|o| &o.path).collect();
    paths.sort();
    for w in paths.windows(2) {
        if w[0] == w[1] || (w[1].len() > w[0].len() && w[1].starts_with(w[0])) {
            out.push(error(
                Code::DuplicateOption,
                header(estate, p),
                format!(
                    "nhos bug: the host file of `{}` would define `{}` twice",
                    p.name,
                    w[0].join(".")
                ),
                "report this; the generated file would not evaluate".into(),
            ));
        }
    }
}

/// Host name.
pub(super) fn host_name(estate: &Estate, p: &Profile, l: &Lowered, out: &mut Vec<Diagnostic>) {
    if let Some(Nix::Str(h)) = get(l, &["networking", "hostName"]) {
        let ok = !h.is_empty()
            && h.len() <= 63
            && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && h.starts_with(|c: char| c.is_ascii_alphanumeric())
            && h.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !ok {
            out.push(error(
                Code::HostName,
                header(estate, p),
                format!("the host name {h:?} is not a DNS label"),
                "name the profile file with lower-case letters, digits and `-`".into(),
            ));
        }
    }
}

/// A DR stick's autologin user has no credential; a screen lock would shut the
/// session for good.
pub(super) fn dr_screen_lock(estate: &Estate, p: &Profile, l: &Lowered, out: &mut Vec<Diagnostic>) {
    if let Some(u) = autologin_user(p) {
        let autologin = is_true(get(
            l,
            &["services", "displayManager", "autoLogin", "enable"],
        ));
        let credential = users(l).iter().any(|(name, leaves)| {
            *name == u
                && leaves.iter().any(|(k, v)| match k.as_str() {
                    "hashedPassword" => allows_login(v),
                    "password" | "hashedPasswordFile" => true,
                    _ => false,
                })
        });
        if autologin && !credential && p.bool("screen.lock-enabled") == Some(true) {
            out.push(
                Diagnostic::error(
                    Code::UnlockableLock,
                    Some(at_setting(estate, p, "screen.lock-enabled")),
                    format!(
                        "profile `{}` logs `{u}` in automatically without a password, so its screen lock could never be unlocked",
                        p.name
                    ),
                )
                .with_hint(format!(
                    "set [settings.screen] lock-enabled = false for this profile (and waive R5 with `accepts = {{ \"screen.lock-enabled\" = false }}`), or drop the autologin; a user without a password has the locked hash `!` ({})",
                    invariant(Code::UnlockableLock).nixpkgs_file
                )),
            );
        }
    }
}
