//! Policy, checked a second time: on the lowered option tree. The definition may say
//! the right thing while the generated configuration fails to enforce it; these
//! checks read what the configuration will really set.

use super::lower::Lowered;
use super::nix::{Func, Nix};
use crate::diagnostic::Severity;
use crate::model::Profile;
use crate::rules::{Applies, rule};
use crate::validate::{Finding, Status};

fn finding(rule_id: &str, p: &Profile, subject: &str, message: String) -> Finding {
    let r = rule(rule_id).unwrap_or_else(|| unreachable!("rule {rule_id} exists"));
    Finding {
        rule: r.id.to_owned(),
        title: r.title.to_owned(),
        severity: Severity::Error,
        status: Status::Open,
        profile: Some(p.name.clone()),
        subject: format!("option:{subject}"),
        message: format!("generated configuration: {message}"),
        remediation: "This is an nhos bug or a hand edit of the generated files: the definition asks for this, the NixOS configuration does not set it. Regenerate, and report it if it persists.".to_owned(),
        location: p.settings.values().next().map(|s| s.origin.location.clone()),
        waiver: None,
        fingerprint: format!("{}/{}/option:{subject}", r.id, p.name),
        new: None,
    }
}

fn uint32(v: &Nix) -> Option<i64> {
    match v {
        Nix::Call(Func::MkUint32, inner) => match **inner {
            Nix::Int(i) => Some(i),
            _ => None,
        },
        _ => None,
    }
}

fn is_true(v: Option<&Nix>) -> bool {
    matches!(v, Some(Nix::Bool(true)))
}

fn list_has(v: Option<&Nix>, s: &str) -> bool {
    match v {
        Some(Nix::List(items)) => items.iter().any(|i| matches!(i, Nix::Str(x) if x == s)),
        _ => false,
    }
}

/// Checks the lowered tree of a profile against what the definition demands. Only
/// demands the definition itself meets are checked: definition violations are
/// reported by `validate` already.
pub fn check(p: &Profile, l: &Lowered, idle_limit: i64) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(role) = p.role else { return out };
    let applies = |id: &str| rule(id).is_some_and(|r| r.applies_to(role) != Applies::No);
    let desktop = p.has_capability("desktop");

    if applies("R5") && desktop && p.bool("screen.lock-enabled") == Some(true) {
        if let Some(want) = p
            .int("screen.idle-delay")
            .filter(|v| (1..=idle_limit).contains(v))
        {
            match l.dconf_key("user", "org/gnome/desktop/session", "idle-delay") {
                Some(k) if uint32(&k.value) == Some(want) && k.locked => {}
                Some(k) if !k.locked => out.push(finding(
                    "R5",
                    p,
                    "idle-delay",
                    "`org/gnome/desktop/session/idle-delay` is not locked, so users can change it"
                        .into(),
                )),
                Some(k) => out.push(finding(
                    "R5",
                    p,
                    "idle-delay",
                    format!(
                        "`org/gnome/desktop/session/idle-delay` is {:?}, not uint32 {want}",
                        k.value
                    ),
                )),
                None => out.push(finding(
                    "R5",
                    p,
                    "idle-delay",
                    "`org/gnome/desktop/session/idle-delay` is not set".into(),
                )),
            }
            match l.dconf_key("user", "org/gnome/desktop/screensaver", "lock-enabled") {
                Some(k) if k.value == Nix::Bool(true) && k.locked => {}
                _ => out.push(finding(
                    "R5",
                    p,
                    "lock-enabled",
                    "`org/gnome/desktop/screensaver/lock-enabled` is not set to true and locked"
                        .into(),
                )),
            }
        }
    }
    if applies("R6")
        && desktop
        && p.bool("login.hide-user-list") == Some(true)
        && !matches!(l.dconf_key("gdm", "org/gnome/login-screen", "disable-user-list"), Some(k) if k.value == Nix::Bool(true))
    {
        out.push(finding(
            "R6",
            p,
            "disable-user-list",
            "the GDM user list is not disabled".into(),
        ));
    }
    let opt_checks: [(&str, &str, &[&str]); 5] = [
        (
            "R3",
            "updates.automatic",
            &["system", "autoUpgrade", "enable"],
        ),
        (
            "R9",
            "firewall.enable",
            &["networking", "firewall", "enable"],
        ),
        (
            "R14",
            "hardening.apparmor",
            &["security", "apparmor", "enable"],
        ),
        ("R15", "hardening.audit", &["security", "audit", "enable"]),
        (
            "R12",
            "boot.loader-locked",
            &["boot", "loader", "systemd-boot", "editor"],
        ),
    ];
    // The editor lock belongs to systemd-boot; a live ISO boots from its own menu,
    // which nhos does not lock (validate reports that; see the rule's enforcement).
    let systemd_boot = is_true(l.get(&["boot", "loader", "systemd-boot", "enable"]));
    for (id, key, path) in opt_checks {
        if id == "R12" && !systemd_boot {
            continue;
        }
        if applies(id) && p.bool(key) == Some(true) {
            let want_true = id != "R12";
            let ok = if want_true {
                is_true(l.get(path))
            } else {
                l.get(path) == Some(&Nix::Bool(false))
            };
            if !ok {
                out.push(finding(
                    id,
                    p,
                    &path.join("."),
                    format!("`{}` does not enforce `{key}`", path.join(".")),
                ));
            }
        }
    }
    if applies("R12")
        && p.bool("boot.module-signatures") == Some(true)
        && !list_has(l.get(&["boot", "kernelParams"]), "module.sig_enforce=1")
    {
        out.push(finding(
            "R12",
            p,
            "boot.kernelParams",
            "`boot.kernelParams` lacks module.sig_enforce=1".into(),
        ));
    }
    if applies("R18") {
        match p.str("media.usb-storage") {
            Some("blocked")
                if !list_has(l.get(&["boot", "blacklistedKernelModules"]), "usb_storage") =>
            {
                out.push(finding(
                    "R18",
                    p,
                    "boot.blacklistedKernelModules",
                    "usb_storage is not blacklisted".into(),
                ))
            }
            Some("lockscreen") if !is_true(l.get(&["services", "usbguard", "enable"])) => {
                out.push(finding(
                    "R18",
                    p,
                    "services.usbguard.enable",
                    "USBGuard is not enabled for lock-screen USB protection".into(),
                ))
            }
            _ => {}
        }
        if desktop
            && p.bool("media.automount") == Some(false)
            && !matches!(l.dconf_key("user", "org/gnome/desktop/media-handling", "automount"), Some(k) if k.value == Nix::Bool(false) && k.locked)
        {
            out.push(finding(
                "R18",
                p,
                "automount",
                "automount is not switched off and locked".into(),
            ));
        }
    }
    if applies("R10") {
        if let Some(want) = p.int("login.max-failed-attempts") {
            if l.get(&["nhos", "accounts", "failedLoginLimit"]) != Some(&Nix::Int(want)) {
                out.push(finding(
                    "R10",
                    p,
                    "nhos.accounts.failedLoginLimit",
                    format!("the faillock limit is not set to {want}"),
                ));
            }
        }
    }
    if applies("R19") && p.bool("software.user-install") == Some(false) {
        let ok = matches!(l.get(&["nix", "settings", "allowed-users"]), Some(Nix::List(items)) if !items.iter().any(|i| matches!(i, Nix::Str(s) if s == "*")));
        if !ok {
            out.push(finding(
                "R19",
                p,
                "nix.settings.allowed-users",
                "every user may use the Nix daemon to install software".into(),
            ));
        }
    }
    out
}
