//! R15: Audit logging.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R15, judge, Some(enforce));

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
