//! R27: Kernel hardening settings.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R27, judge, Some(enforce));

/// The kernel settings the rule needs, as the lowering writes them.
pub(crate) const SYSCTLS: &[(&str, i64)] = &[
    ("kernel.yama.ptrace_scope", 1),
    ("kernel.kptr_restrict", 2),
    ("kernel.dmesg_restrict", 1),
    ("kernel.unprivileged_bpf_disabled", 1),
    ("fs.suid_dumpable", 0),
    ("net.ipv4.conf.all.accept_redirects", 0),
    ("net.ipv4.conf.default.accept_redirects", 0),
    ("net.ipv4.conf.all.secure_redirects", 0),
    ("net.ipv4.conf.all.send_redirects", 0),
    ("net.ipv4.conf.all.accept_source_route", 0),
    ("net.ipv4.conf.default.send_redirects", 0),
    ("net.ipv4.icmp_echo_ignore_broadcasts", 1),
    ("net.ipv4.tcp_syncookies", 1),
    ("kernel.kexec_load_disabled", 1),
    ("dev.tty.ldisc_autoload", 0),
    ("net.ipv4.conf.all.log_martians", 1),
    ("net.ipv6.conf.all.accept_redirects", 0),
    ("net.ipv6.conf.default.accept_redirects", 0),
    ("net.ipv6.conf.all.accept_source_route", 0),
];

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
