//! Boot: systemd-boot on EFI for installed and image disks, systemd in the initrd,
//! and the locked boot loader of R12.

use super::Cx;
use super::disks::layout;
use crate::generate::nix::{Func, Nix};

pub(super) fn lower(cx: &mut Cx) {
    let layout = layout(cx.p);
    if matches!(layout, Some("installed" | "image")) {
        // systemd-boot.nix sets boot.loader.grub.enable = mkDefault false, so GRUB
        // and its `devices` assertion (grub.nix) stay out of the way.
        cx.by(
            "disk.layout",
            "boot.loader.systemd-boot.enable",
            Nix::Bool(true),
        );
        if cx.bool("boot.loader-locked") == Some(true) {
            cx.by(
                "boot.loader-locked",
                "boot.loader.systemd-boot.editor",
                Nix::Bool(false),
            );
        }
        cx.set(
            "boot.loader.systemd-boot.configurationLimit",
            Nix::Int(10),
            "keep the ESP from filling up as automatic updates add generations".to_owned(),
        );
        if layout == Some("installed") {
            cx.set(
                "boot.loader.efi.canTouchEfiVariables",
                Nix::Bool(true),
                "the installer registers the boot entry in the device's firmware".to_owned(),
            );
        }
        if let Some(t) = cx.int("boot.timeout") {
            // The ISO module sets its own timeout at normal priority; a default here
            // keeps image builds of this host free of conflicting definitions.
            cx.by(
                "boot.timeout",
                "boot.loader.timeout",
                Nix::call(Func::MkDefault, Nix::Int(t)),
            );
        }
    }
    if layout.is_some() {
        // Systemd in stage 1: needed for TPM2 unlock (crypttab `tpm2-device=auto`);
        // the scripted initrd is deprecated in 26.05.
        cx.by("disk.layout", "boot.initrd.systemd.enable", Nix::Bool(true));
    }
    // `boot.module-signatures` emits nothing: NixOS kernels are built without module
    // signing (MODULE_SIG off in pkgs/os-specific/linux/kernel/common-config.nix),
    // so module.sig_enforce=1 would do nothing. R12 reports it as declared, not
    // enforced, unless `hardening.lock-kernel-modules` is set.
}
