//! Image names, the ISO volume ID, and the shape of the `vm` output.

use super::{Cx, short};
use crate::generate::nix::Nix;

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
    for (k, opt) in [
        ("vm.memory", "memorySize"),
        ("vm.cores", "cores"),
        ("vm.disk-size", "diskSize"),
    ] {
        if let Some(v) = cx.int(k) {
            cx.from(k, &format!("nhos.vm.{opt}"), Nix::Int(v));
        }
    }
}
