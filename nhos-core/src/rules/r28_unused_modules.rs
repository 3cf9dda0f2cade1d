//! R28: Unused file systems and network protocols blocked.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R28, judge, Some(enforce));

/// The modules the rule keeps out. Not squashfs, isofs or vfat (live images, the
/// ESP and USB sticks need them), and not udf: imaging discs (DICOM CDs) use it.
pub(crate) const BLOCKED_MODULES: &[&str] = &[
    "cramfs", "freevxfs", "jffs2", "hfs", "hfsplus", "dccp", "sctp", "rds", "tipc",
    "appletalk", "ipx", "ax25", "netrom", "rose", "x25", "decnet", "econet", "af_802154", "atm",
];

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.block-unused-modules", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    for m in BLOCKED_MODULES {
        c.require(
            t.has_item("nhos.hardening.blockedModules", m),
            "nhos.hardening.blockedModules",
            format!("`{m}` is not blocked"),
        );
    }
    c.done()
}
