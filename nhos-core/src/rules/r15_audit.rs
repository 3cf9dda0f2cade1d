//! R15: Audit logging.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R15, judge, Some(enforce));

/// The audit rules the generated configuration loads: changes to identity, sudo
/// and PAM files and to the system generation, privileged commands by users,
/// kernel module loading and clock changes. Only paths that exist at sysinit:
/// `auditctl -R` stops at the first rule it cannot load.
pub(crate) const AUDIT_RULES: &[&str] = &[
    "-w /etc/passwd -p wa -k identity",
    "-w /etc/group -p wa -k identity",
    "-w /etc/shadow -p wa -k identity",
    "-w /etc/sudoers -p wa -k sudoers",
    "-w /etc/pam.d -p wa -k pam",
    "-w /nix/var/nix/profiles -p wa -k generation",
    "-a always,exit -F arch=b64 -S execve -F euid=0 -F auid>=1000 -F auid!=unset -k privileged",
    "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules",
    "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change",
    "-a always,exit -F arch=b64 -S mount,umount2 -F auid>=1000 -F auid!=unset -k mounts",
];

/// The audit keys the rules must carry.
const KEYS: &[&str] = &["identity", "sudoers", "pam", "generation", "privileged", "modules", "time-change"];

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.audit", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let rules: Vec<String> = match t.get("security.audit.rules") {
        Some(Nix::List(items)) => items
            .iter()
            .filter_map(|i| match i {
                Nix::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut c = Check::default();
    c.require_true(t, "security.audit.enable", "the audit framework is not enabled")
    .require_true(t, "security.auditd.enable", "auditd is not enabled");
    for k in KEYS {
        c.require(
            rules.iter().any(|r| r.ends_with(&format!("-k {k}"))),
            "security.audit.rules",
            format!("no audit rule records `{k}`"),
        );
    }
    c.done()
}
