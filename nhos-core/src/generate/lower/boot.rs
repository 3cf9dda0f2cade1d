//! Boot integrity (R12) and what the kernel is told at boot.

use super::Cx;
use crate::generate::nix::Nix;

pub(super) fn lower(cx: &mut Cx) {
    if cx.bool("boot.module-signatures") == Some(true) {
        cx.from(
            "boot.module-signatures",
            "boot.kernelParams",
            Nix::List(vec![Nix::str("module.sig_enforce=1")]),
        );
    }
    if cx.bool("boot.loader-locked") == Some(true) {
        cx.from(
            "boot.loader-locked",
            "boot.loader.systemd-boot.editor",
            Nix::Bool(false),
        );
    }
}
