//! The queries, one per observable rule of a profile.

use crate::generate::nix::Nix;
use crate::model::Estate;
use crate::option_tree::Lowered;

/// One device check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The rule it observes (`R4`), or `DRIFT`.
    pub rule: String,
    pub profile: String,
    /// A short stable name: `nhos-R4-clinical-root-encrypted`.
    pub name: String,
    /// osquery SQL: one row or more when the machine complies.
    pub query: String,
    pub description: String,
    pub resolution: String,
    /// Whether a failure is critical (the rule's severity is error).
    pub critical: bool,
}

/// A SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn is_true(l: &Lowered, path: &[&str]) -> bool {
    l.get(path) == Some(&Nix::Bool(true))
}

/// The checks of every concrete profile, in profile order, then the drift checks
/// for the toplevels given (`profile` → store path the devices should run).
pub fn checks(estate: &Estate, toplevels: &[(String, String)]) -> Vec<Check> {
    let mut out = Vec::new();
    for (name, l) in estate.lowered() {
        profile_checks(name, l, &mut out);
    }
    for (profile, toplevel) in toplevels {
        out.push(Check {
            rule: "DRIFT".into(),
            profile: profile.clone(),
            name: format!("nhos-DRIFT-{profile}-current-system"),
            query: format!(
                "SELECT 1 FROM file WHERE path = '/run/current-system' AND symlink_target_path = {};",
                lit(toplevel)
            ),
            description: format!("The running system is the one built for profile {profile}: /run/current-system is {toplevel}."),
            resolution: "Let the device update (nixos-upgrade.service) or rebuild it from the estate flake; a device that stays behind is running an unreviewed or outdated system.".into(),
            critical: false,
        });
    }
    out
}

fn check(
    out: &mut Vec<Check>,
    rule: &str,
    profile: &str,
    what: &str,
    query: String,
    description: String,
) {
    let r = crate::rules::rule(rule);
    out.push(Check {
        rule: rule.to_owned(),
        profile: profile.to_owned(),
        name: format!("nhos-{rule}-{profile}-{what}"),
        query,
        description: format!("{rule} {}: {description}", r.map_or("", |r| r.title)),
        resolution: r.map_or(String::new(), |r| r.remediation.to_owned()),
        critical: r.is_some_and(|r| r.severity == crate::Severity::Error),
    });
}

fn profile_checks(profile: &str, l: &Lowered, out: &mut Vec<Check>) {
    services(profile, l, out);
    sshd(profile, l, out);
    kernel(profile, l, out);
}

/// R4 disk encryption, R9 firewall, R15 audit: switched on or not.
fn services(profile: &str, l: &Lowered, out: &mut Vec<Check>) {
    if is_true(l, &["nhos", "disk", "luks"]) {
        check(out, "R4", profile, "root-encrypted",
            "SELECT 1 FROM mounts m JOIN disk_encryption d ON d.name = m.device_alias WHERE m.path = '/' AND d.encrypted = 1 AND d.type LIKE 'LUKS%';".into(),
            "the root file system is on an open LUKS device (osquery must run as root to read disk_encryption).".into());
    }
    if is_true(l, &["networking", "firewall", "enable"]) {
        check(out, "R9", profile, "firewall",
            "SELECT 1 FROM systemd_units WHERE id = 'firewall.service' AND active_state = 'active';".into(),
            "the NixOS firewall service is active: it loaded the rules that drop what is not allowed (osquery's iptables table cannot see them, as NixOS's iptables is iptables-nft).".into());
    }
    if is_true(l, &["security", "auditd", "enable"]) {
        check(
            out,
            "R15",
            profile,
            "auditd",
            "SELECT 1 FROM systemd_units WHERE id = 'auditd.service' AND active_state = 'active';"
                .into(),
            "the audit daemon runs.".into(),
        );
    }
}

/// R25: sshd's settings, where sshd runs.
fn sshd(profile: &str, l: &Lowered, out: &mut Vec<Check>) {
    if is_true(l, &["services", "openssh", "enable"]) {
        let mut settings = Vec::new();
        if l.get(&["services", "openssh", "settings", "PasswordAuthentication"])
            == Some(&Nix::Bool(false))
        {
            settings.push(("PasswordAuthentication", "no"));
        }
        if l.get(&["services", "openssh", "settings", "PermitRootLogin"]) == Some(&Nix::str("no")) {
            settings.push(("PermitRootLogin", "no"));
        }
        if !settings.is_empty() {
            // Top-level settings only (a `Match` block's are under `…/Match/…`), and
            // no other value for the same keyword anywhere at the top.
            let cond: Vec<String> = settings
                .iter()
                .map(|(k, v)| {
                    let node = lit(&format!("/files/etc/ssh/sshd_config/{k}%"));
                    format!(
                        "EXISTS (SELECT 1 FROM augeas WHERE path = '/etc/ssh/sshd_config' AND node LIKE {node} AND label = {k} AND value = {v}) AND NOT EXISTS (SELECT 1 FROM augeas WHERE path = '/etc/ssh/sshd_config' AND node LIKE {node} AND label = {k} AND value <> {v})",
                        k = lit(k),
                        v = lit(v)
                    )
                })
                .collect();
            check(
                out,
                "R25",
                profile,
                "sshd",
                format!("SELECT 1 WHERE {};", cond.join(" AND ")),
                format!(
                    "sshd's configuration has {}.",
                    settings
                        .iter()
                        .map(|(k, v)| format!("{k} {v}"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            );
        }
    }
}

/// R27 kernel settings and R28 blocked modules.
fn kernel(profile: &str, l: &Lowered, out: &mut Vec<Check>) {
    if let Some(Nix::Attrs(entries)) = l.get(&["boot", "kernel", "sysctl"]) {
        let ints: Vec<(String, i64)> = entries
            .iter()
            .filter_map(|e| match &e.value {
                Nix::Int(i) => Some((e.key.clone(), *i)),
                _ => None,
            })
            .collect();
        if !ints.is_empty() {
            let cond: Vec<String> = ints
                .iter()
                .map(|(k, v)| {
                    format!(
                        "(name = {} AND current_value = {})",
                        lit(k),
                        lit(&v.to_string())
                    )
                })
                .collect();
            check(
                out,
                "R27",
                profile,
                "sysctls",
                format!(
                    "SELECT 1 WHERE (SELECT COUNT(*) FROM system_controls WHERE {}) = {};",
                    cond.join(" OR "),
                    ints.len()
                ),
                format!(
                    "the kernel runs with the {} hardening settings the profile sets.",
                    ints.len()
                ),
            );
        }
    }
    modules(
        out,
        profile,
        l,
        &["nhos", "hardening", "blockedModules"],
        ("R28", "modules", "blocked kernel modules"),
    );
    modules(
        out,
        profile,
        l,
        &["boot", "blacklistedKernelModules"],
        ("R18", "usb-storage", "USB storage kernel modules"),
    );
}

/// A check that none of the modules listed at `path` is loaded.
fn modules(
    out: &mut Vec<Check>,
    profile: &str,
    l: &Lowered,
    path: &[&str],
    (rule, what, which): (&str, &str, &str),
) {
    let Some(Nix::List(items)) = l.get(path) else {
        return;
    };
    let names: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Nix::Str(s) => Some(lit(s)),
            _ => None,
        })
        .collect();
    if !names.is_empty() {
        check(
            out,
            rule,
            profile,
            what,
            format!(
                "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM kernel_modules WHERE name IN ({}));",
                names.join(", ")
            ),
            format!("none of the {} {which} is loaded.", names.len()),
        );
    }
}
