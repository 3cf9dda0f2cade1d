//! R27: Kernel hardening settings.

use super::prelude::*;
use crate::generate::lower::SYSCTLS;

pub(super) const UNIT: Unit = Unit::profile(&meta::R27, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.kernel-sysctls", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    for (key, want) in SYSCTLS {
        c.require(
            t.key("boot.kernel.sysctl", key) == Some(&Nix::Int(*want)),
            &format!("boot.kernel.sysctl.{key}"),
            format!("`{key}` is not {want}"),
        );
    }
    c.require(
        t.attr("systemd.coredump.settings.Coredump", "Storage") == Some(&Nix::str("none")),
        "systemd.coredump.settings.Coredump",
        "core dumps are stored",
    );
    c.done()
}
