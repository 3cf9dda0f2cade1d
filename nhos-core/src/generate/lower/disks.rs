//! The disk: where the root file system and the ESP come from (`disk.layout`), and
//! full-disk encryption (R4). An installed disk is declared once, with disko
//! (nix-community/disko `lib/types/{disk,gpt,luks,filesystem,btrfs,swap}.nix`): its
//! NixOS module derives `fileSystems`, `boot.initrd.luks.devices` and `swapDevices`
//! from the declaration, and the installer runs the partitioning script built from it.

use super::Cx;
use crate::generate::nix::Nix;
use crate::model::Profile;

/// The disko disk the installer writes. Its device is a link the installer makes
/// to the disk the technician confirms; the installed system never uses this path
/// (partitions are found by their GPT labels).
pub const INSTALL_DISK: &str = "/run/nhos-install/disk";
/// Where the installer leaves the key LUKS is first formatted with.
pub const INSTALL_KEY: &str = "/run/nhos-install/luks.key";
/// The LUKS mapping name, `/dev/mapper/<name>`.
pub const LUKS_NAME: &str = "cryptroot";

/// The effective disk layout of a profile, if it states one.
pub fn layout(p: &crate::model::Profile) -> Option<&str> {
    p.str("disk.layout")
}

/// Whether the profile's installed disk is encrypted with LUKS.
pub fn encrypted(p: &crate::model::Profile) -> bool {
    layout(p) == Some("installed") && p.str("disk.encryption") == Some("required")
}

fn a(entries: Vec<(&str, Nix)>) -> Nix {
    Nix::attrs(entries.into_iter().map(|(k, v)| (k.to_owned(), v)))
}

fn strs(items: &[&str]) -> Nix {
    Nix::List(items.iter().map(|s| Nix::str(*s)).collect())
}

pub(super) fn lower(cx: &mut Cx) {
    match layout(cx.p) {
        Some("installed") => installed(cx),
        Some("image") => image(cx),
        Some("live") => {
            // nixos/modules/installer/cd-dvd/iso-image.nix: the ISO's own file
            // systems (tmpfs root, squashfs store) and boot menu.
            cx.l.imports
                .push("installer/cd-dvd/iso-image.nix".to_owned());
        }
        _ => {}
    }
}

fn root_fs(fs: &str) -> Nix {
    if fs == "btrfs" {
        let sub = |mp: &str| {
            a(vec![
                ("mountpoint", Nix::str(mp)),
                ("mountOptions", strs(&["compress=zstd", "noatime"])),
            ])
        };
        a(vec![
            ("type", Nix::str("btrfs")),
            ("extraArgs", strs(&["-f"])),
            (
                "subvolumes",
                a(vec![
                    ("/root", sub("/")),
                    ("/home", sub("/home")),
                    ("/nix", sub("/nix")),
                ]),
            ),
        ])
    } else {
        a(vec![
            ("type", Nix::str("filesystem")),
            ("format", Nix::str(fs)),
            ("mountpoint", Nix::str("/")),
        ])
    }
}

fn installed(cx: &mut Cx) {
    let p = cx.p;
    let tpm2 = p.str("disk.unlock").unwrap_or("tpm2") == "tpm2";
    let disk = installed_disk(p, tpm2);
    let why = ["disk.layout", "disk.encryption", "disk.filesystem"]
        .iter()
        .filter(|k| p.settings.contains_key(**k))
        .map(|k| super::why(k, p))
        .collect::<Vec<_>>()
        .join("; ");
    cx.set("disko.devices.disk.main", disk, why);
    if let Some(d) = cx.str("disk.device") {
        cx.by("disk.device", "nhos.disk.installDevice", Nix::str(d));
    }
    if encrypted(p) {
        cx.by("disk.encryption", "nhos.disk.luks", Nix::Bool(true));
        if tpm2 {
            let why = if p.settings.contains_key("disk.unlock") {
                super::why("disk.unlock", p)
            } else {
                "disk.unlock (not set): TPM2 with a recovery key".to_owned()
            };
            cx.set("nhos.disk.tpm2", Nix::Bool(true), why);
        }
    }
    cx.set(
        "hardware.enableRedistributableFirmware",
        Nix::Bool(true),
        "firmware for the Wi-Fi, graphics and CPU microcode of real devices".to_owned(),
    );
}

/// The disko declaration of the installed disk: a GPT with the ESP, swap if the
/// profile asks for it, and the root file system (in LUKS when encrypted).
fn installed_disk(p: &Profile, tpm2: bool) -> Nix {
    let esp = p.int("disk.esp-size").unwrap_or(1024);
    let swap = p.int("disk.swap-size").unwrap_or(0);
    let mut root = root_fs(p.str("disk.filesystem").unwrap_or("ext4"));
    if encrypted(p) {
        root = luks(root, tpm2);
    }
    let mut partitions = vec![("ESP", esp_partition(esp))];
    if swap > 0 {
        partitions.push(("swap", swap_partition(swap)));
    }
    partitions.push((
        "root",
        a(vec![("size", Nix::str("100%")), ("content", root)]),
    ));
    a(vec![
        ("type", Nix::str("disk")),
        ("device", Nix::str(INSTALL_DISK)),
        (
            "content",
            a(vec![
                ("type", Nix::str("gpt")),
                ("partitions", a(partitions)),
            ]),
        ),
    ])
}

/// LUKS2 around the root file system, formatted with the installer's key and
/// unlocked by the TPM2 when `tpm2`.
fn luks(content: Nix, tpm2: bool) -> Nix {
    let mut settings = vec![("allowDiscards", Nix::Bool(true))];
    if tpm2 {
        // systemd-cryptsetup tries the TPM2 token first (luksroot.nix: "Only used
        // with systemd stage 1").
        settings.push(("crypttabExtraOpts", strs(&["tpm2-device=auto"])));
    }
    a(vec![
        ("type", Nix::str("luks")),
        ("name", Nix::str(LUKS_NAME)),
        ("passwordFile", Nix::str(INSTALL_KEY)),
        ("extraFormatArgs", strs(&["--type", "luks2"])),
        ("settings", a(settings)),
        ("content", content),
    ])
}

/// The EFI system partition of `mib` MiB, mounted at `/boot`.
fn esp_partition(mib: i64) -> Nix {
    a(vec![
        ("type", Nix::str("EF00")),
        ("size", Nix::str(format!("{mib}M"))),
        (
            "content",
            a(vec![
                ("type", Nix::str("filesystem")),
                ("format", Nix::str("vfat")),
                ("mountpoint", Nix::str("/boot")),
                ("mountOptions", strs(&["umask=0077"])),
            ]),
        ),
    ])
}

/// A swap partition of `mib` MiB.
fn swap_partition(mib: i64) -> Nix {
    a(vec![
        ("size", Nix::str(format!("{mib}M"))),
        (
            "content",
            a(vec![
                ("type", Nix::str("swap")),
                // A fresh random key every boot: nothing in swap survives.
                ("randomEncryption", Nix::Bool(true)),
            ]),
        ),
    ])
}

fn image(cx: &mut Cx) {
    // The layout nixpkgs' image builder makes (nixos/modules/virtualisation/
    // disk-image.nix): the same file systems keep working after a switch on a
    // deployed image.
    let why = super::why("disk.layout", cx.p);
    cx.set(
        "fileSystems./",
        a(vec![
            ("device", Nix::str("/dev/disk/by-label/nixos")),
            ("fsType", Nix::str("ext4")),
            ("autoResize", Nix::Bool(true)),
        ]),
        why.clone(),
    );
    cx.set(
        "fileSystems./boot",
        a(vec![
            ("device", Nix::str("/dev/disk/by-label/ESP")),
            ("fsType", Nix::str("vfat")),
            ("options", strs(&["umask=0077"])),
        ]),
        why,
    );
}
