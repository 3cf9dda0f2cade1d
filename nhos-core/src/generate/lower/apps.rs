//! Capabilities with NixOS modules of their own, the NHSmail launcher, and the
//! profile's packages.

use super::{Cx, short};
use crate::catalogue::Catalogue;
use crate::generate::nix::Nix;

/// A capability that switches on a NixOS module, with an optional package list.
struct CapabilityOption {
    capability: &'static str,
    enable: &'static str,
    packages: Option<(&'static str, &'static [&'static str])>,
}

const CAPABILITY_OPTIONS: &[CapabilityOption] = &[
    CapabilityOption {
        capability: "nhsmail-evolution",
        enable: "programs.evolution.enable",
        packages: Some(("programs.evolution.plugins", &["evolution-ews"])),
    },
    CapabilityOption {
        capability: "printing",
        enable: "services.printing.enable",
        packages: Some(("services.printing.drivers", &["gutenprint", "hplip"])),
    },
    CapabilityOption {
        capability: "scanning",
        enable: "hardware.sane.enable",
        packages: Some(("hardware.sane.extraBackends", &["sane-airscan"])),
    },
    CapabilityOption {
        capability: "smartcard",
        enable: "services.pcscd.enable",
        packages: None,
    },
    CapabilityOption {
        capability: "analyst-tools",
        enable: "virtualisation.podman.enable",
        packages: None,
    },
];

pub(super) fn lower(cx: &mut Cx) {
    if cx.has("nhsmail")
        && let Some(u) = cx.str("nhsmail.url")
    {
        cx.by("nhsmail.url", "nhos.launchers.nhsmail", Nix::str(u));
    }
    for c in CAPABILITY_OPTIONS {
        if cx.has(c.capability) {
            cx.by_cap(c.capability, c.enable, Nix::Bool(true));
            if let Some((path, pkgs)) = c.packages {
                let list = pkgs.iter().map(|x| Nix::Pkg((*x).into())).collect();
                cx.set(path, Nix::List(list), None);
            }
        }
    }
}

/// Whether a definition package is installed: all are but GNOME's own
/// applications, which come with the desktop.
fn installed(cat: &Catalogue, name: &str) -> bool {
    !cat.gnome_removable.contains(name)
}

/// The package attributes a profile's system installs, sorted: what
/// `environment.systemPackages` lists, and the flake's `nhos.<profile>.packages`.
pub fn installed_packages(p: &crate::model::Profile) -> impl Iterator<Item = &str> {
    let cat = Catalogue::builtin();
    p.packages
        .keys()
        .filter(move |name| installed(cat, name))
        .map(String::as_str)
}

/// Packages, each with its reason; GNOME's own applications the estate removes are
/// excluded from the desktop.
pub(super) fn lower_packages(cx: &mut Cx) {
    let cat = Catalogue::builtin();
    let p = cx.p;
    let installs: Vec<Nix> = p
        .packages
        .iter()
        .filter(|(name, _)| installed(cat, name))
        .map(|(name, o)| Nix::Commented(Box::new(Nix::Pkg(name.clone())), short(o)))
        .collect();
    cx.set(
        "environment.systemPackages",
        Nix::List(installs),
        "effective packages of the profile".to_owned(),
    );
    if cx.has("desktop") {
        let removed: Vec<Nix> = p
            .removed_packages
            .iter()
            .filter(|(name, _)| cat.gnome_removable.contains(*name))
            .map(|(name, o)| Nix::Commented(Box::new(Nix::Pkg(name.clone())), short(o)))
            .collect();
        if !removed.is_empty() {
            cx.set(
                "environment.gnome.excludePackages",
                Nix::List(removed),
                "GNOME applications the estate removes".to_owned(),
            );
        }
    }
}
