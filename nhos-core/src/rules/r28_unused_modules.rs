//! R28: Unused file systems and network protocols blocked.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R28",
    title: "Unused file systems and network protocols blocked",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "Rarely used kernel modules carry old, little-reviewed code reachable by mounting a stick or opening a socket.",
    remediation: "Set `hardening.block-unused-modules = true`.",
    references: refs("EUD N3 (platform)", "Secure configuration", "1.1.1.x, 3.4.x", "8.3"),
    parameters: &[],
    enforced_by: &["nhos.hardening.blockedModules"],
    enforcement: "Old file systems (cramfs, freevxfs, jffs2, hfs, hfsplus) and network protocols (dccp, sctp, rds, tipc, appletalk, ipx, ax25, x25, decnet, atm, …) are blacklisted and their explicit loading refused (modules/nhos/hardening.nix: boot.blacklistedKernelModules and `install … false` lines).",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

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
