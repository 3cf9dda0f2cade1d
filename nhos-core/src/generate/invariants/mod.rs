//! NixOS's own invariants, checked before Nix ever runs. NixOS refuses a system that
//! breaks its assertions, but only when someone evaluates it, hours later, on a
//! build machine. This pass reads the lowered option tree of each profile as NixOS
//! will, applies the same conditions, and reports each failure as a load diagnostic
//! at the definition line responsible, naming the nixpkgs file that enforces it.

use super::lower::Lowered;
use super::lower::accounts::{administrators, autologin_user, directory_login};
use super::nix::Nix;
use crate::definition::OutputFormat;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Estate, Profile};
use crate::source::Location;

mod checks;
use checks::*;

/// One invariant: its code, the nixpkgs file that enforces it, and what it says.
#[derive(Debug, Clone, Copy)]
pub struct Invariant {
    pub code: Code,
    pub nixpkgs_file: &'static str,
    pub summary: &'static str,
}

/// Every invariant this pass applies, for the documentation and its test.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        code: Code::NoRootFileSystem,
        nixpkgs_file: "nixos/modules/system/boot/systemd/initrd.nix",
        summary: "a root file system is declared (\"The ‘fileSystems’ option does not specify your root file system.\")",
    },
    Invariant {
        code: Code::NoBootLoader,
        nixpkgs_file: "nixos/modules/system/boot/loader/grub/grub.nix",
        summary: "a boot loader other than GRUB without devices is in use (\"You must set the option ‘boot.loader.grub.devices’ …\")",
    },
    Invariant {
        code: Code::NobodyCanLogIn,
        nixpkgs_file: "nixos/modules/config/users-groups.nix",
        summary: "with immutable users, root or a wheel user has a password (file) or an SSH key, or someone logs in another way and allowNoPasswordLogin says so",
    },
    Invariant {
        code: Code::WirelessConflict,
        nixpkgs_file: "nixos/modules/services/networking/networkmanager.nix",
        summary: "NetworkManager drives wpa_supplicant through networking.wireless; nothing else sets networking.wireless",
    },
    Invariant {
        code: Code::IsoVolumeId,
        nixpkgs_file: "nixos/modules/installer/cd-dvd/iso-image.nix",
        summary: "ISO volume IDs are at most 32 characters",
    },
    Invariant {
        code: Code::StateVersion,
        nixpkgs_file: "nixos/modules/misc/version.nix",
        summary: "system.stateVersion is a release \"YY.MM\"",
    },
    Invariant {
        code: Code::AutoUpgradeFlake,
        nixpkgs_file: "nixos/modules/tasks/auto-upgrade.nix",
        summary: "automatic updates name a flake and a configuration (`<flake>#<name>`); without one they would upgrade a channel a flake-built device does not have",
    },
    Invariant {
        code: Code::Calendar,
        nixpkgs_file: "nixos/modules/tasks/auto-upgrade.nix",
        summary: "the update schedule is a systemd calendar expression (OnCalendar=)",
    },
    Invariant {
        code: Code::OutputLayout,
        nixpkgs_file: "nixos/modules/image/images.nix",
        summary: "each output format is one the profile's disk layout can build",
    },
    Invariant {
        code: Code::DuplicateOption,
        nixpkgs_file: "lib/modules.nix",
        summary: "no option is defined twice in a host file",
    },
    Invariant {
        code: Code::HostName,
        nixpkgs_file: "nixos/modules/tasks/network-interfaces.nix",
        summary: "the host name is a DNS label",
    },
    Invariant {
        code: Code::UnlockableLock,
        nixpkgs_file: "nixos/modules/config/users-groups.nix",
        summary: "a session logged in automatically has no screen lock: its user has no password (a locked `!` hash), so the lock could never be unlocked",
    },
];

fn invariant(code: Code) -> &'static Invariant {
    INVARIANTS
        .iter()
        .find(|i| i.code == code)
        .unwrap_or(&INVARIANTS[0])
}

/// The first of `tables` written in the profile's file (e.g. `[settings.disk]`),
/// else its `[profile]` header, else its first line.
fn table(estate: &Estate, p: &Profile, tables: &[&str]) -> Location {
    let file = estate.file(&p.file);
    for t in tables.iter().copied().chain(["[profile]"]) {
        if let Some(f) = file {
            let found = f
                .text
                .match_indices(t)
                .find(|(i, _)| *i == 0 || f.text.as_bytes().get(i - 1) == Some(&b'\n'));
            if let Some((i, _)) = found {
                return f.location(i..i + t.len());
            }
        }
    }
    Location {
        line: 1,
        column: 1,
        ..Location::file(p.file.clone())
    }
}

fn header(estate: &Estate, p: &Profile) -> Location {
    table(estate, p, &[])
}

/// Where a setting is written; if the profile does not have it, its group's table in
/// the profile's file, else the profile header.
fn at_setting(estate: &Estate, p: &Profile, key: &str) -> Location {
    match p.settings.get(key) {
        Some(s) => s.origin.location.clone(),
        None => {
            let group = key.split('.').next().unwrap_or_default();
            table(estate, p, &[&format!("[settings.{group}]")])
        }
    }
}

fn error(code: Code, at: Location, message: String, hint: String) -> Diagnostic {
    let inv = invariant(code);
    Diagnostic::error(code, Some(at), message).with_hint(format!(
        "{hint} (NixOS enforces this in {})",
        inv.nixpkgs_file
    ))
}

/// The option at `path`, by its dotted segments.
fn get<'a>(l: &'a Lowered, path: &[&str]) -> Option<&'a Nix> {
    l.get(path)
}

fn is_true(v: Option<&Nix>) -> bool {
    match v {
        Some(Nix::Bool(b)) => *b,
        Some(Nix::Call(_, inner)) => is_true(Some(inner)),
        _ => false,
    }
}

/// Whether a disko declaration mounts something at `/`.
fn mounts_root(v: &Nix) -> bool {
    match v {
        Nix::Attrs(es) => es
            .iter()
            .any(|e| (e.key == "mountpoint" && e.value == Nix::str("/")) || mounts_root(&e.value)),
        Nix::List(items) => items.iter().any(mounts_root),
        Nix::Call(_, inner) | Nix::Commented(inner, _) => mounts_root(inner),
        _ => false,
    }
}

fn imports_iso(l: &Lowered) -> bool {
    l.imports.iter().any(|i| i.ends_with("iso-image.nix"))
}

/// Users under `users.users.<name>` with their option leaves.
fn users(l: &Lowered) -> std::collections::BTreeMap<&str, Vec<(String, &Nix)>> {
    let mut out: std::collections::BTreeMap<&str, Vec<(String, &Nix)>> = Default::default();
    for o in &l.options {
        if o.path.len() >= 4 && o.path[0] == "users" && o.path[1] == "users" {
            out.entry(o.path[2].as_str())
                .or_default()
                .push((o.path[3..].join("."), &o.value));
        }
    }
    out
}

fn allows_login(hash: &Nix) -> bool {
    !matches!(hash, Nix::Str(s) if ["!", "!!", "*"].contains(&s.as_str()))
}

/// users-groups.nix: with immutable users, is there root or a wheel user with a
/// password, a password file or an SSH key?
fn privileged_credential(l: &Lowered) -> bool {
    users(l).iter().any(|(name, leaves)| {
        let wheel = *name == "root" || leaves.iter().any(|(k, v)| {
            k == "extraGroups"
                && matches!(v, Nix::List(items) if items.iter().any(|i| *i == Nix::str("wheel")))
        });
        let credential = leaves.iter().any(|(k, v)| match k.as_str() {
            "hashedPassword" => allows_login(v),
            "password" | "hashedPasswordFile" => true,
            "openssh.authorizedKeys.keys" | "openssh.authorizedKeys.keyFiles" => {
                matches!(v, Nix::List(items) if !items.is_empty())
            }
            _ => false,
        });
        wheel && credential
    })
}

/// Applies every invariant to one profile's lowered tree.
pub fn check(estate: &Estate, p: &Profile, l: &Lowered) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let layout = super::lower::disks::layout(p);
    root_and_boot_loader(estate, p, l, &mut out);
    someone_can_log_in(estate, p, l, &mut out);
    wireless(estate, p, l, &mut out);
    iso_volume_ids(estate, p, &mut out);
    state_version(estate, l, &mut out);
    automatic_updates(estate, p, l, &mut out);
    formats_and_layout(p, layout, &mut out);
    options_defined_once(estate, p, l, &mut out);
    host_name(estate, p, l, &mut out);
    dr_screen_lock(estate, p, l, &mut out);
    out
}
