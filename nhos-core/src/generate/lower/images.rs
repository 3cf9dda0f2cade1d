//! Image names, the ISO volume ID, the live ISO's boot media, and the shape of the
//! `vm` output.

use super::disks::layout;
use super::{Cx, short};
use crate::generate::nix::{Func, Nix};

pub(super) fn lower(cx: &mut Cx) {
    let br = &cx.estate.branding;
    cx.set(
        "nhos.images.baseName",
        Nix::str(format!("{}-{}", br.image_base_name.value, cx.p.name)),
        short(&br.image_base_name.origin),
    );
    cx.set(
        "nhos.images.volumeId",
        Nix::str(&br.iso_volume_id.value),
        short(&br.iso_volume_id.origin),
    );
    if layout(cx.p) == Some("live") {
        // Options of nixos/modules/installer/cd-dvd/iso-image.nix, which this host
        // imports: one hybrid ISO that boots from a USB stick on EFI and BIOS.
        cx.set(
            "isoImage.volumeID",
            Nix::str(&br.iso_volume_id.value),
            short(&br.iso_volume_id.origin),
        );
        cx.set(
            "image.baseName",
            Nix::call(
                Func::MkForce,
                Nix::str(format!("{}-{}", br.image_base_name.value, cx.p.name)),
            ),
            short(&br.image_base_name.origin),
        );
        cx.by("disk.layout", "isoImage.makeEfiBootable", Nix::Bool(true));
        cx.by("disk.layout", "isoImage.makeUsbBootable", Nix::Bool(true));
    }
    for (k, opt) in [
        ("vm.memory", "memorySize"),
        ("vm.cores", "cores"),
        ("vm.disk-size", "diskSize"),
    ] {
        if let Some(v) = cx.int(k) {
            cx.by(k, &format!("nhos.vm.{opt}"), Nix::Int(v));
        }
    }
}
