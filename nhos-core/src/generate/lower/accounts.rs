//! Who can log in: local break-glass administrators, directory users through sssd,
//! autologin where the role allows it; lockout, passwords and privilege (R7, R8,
//! R10, R11). The `nhos.accounts` module puts lockout into the PAM stacks.

use super::Cx;
use crate::definition::Role;
use crate::generate::nix::Nix;
use crate::model::Profile;

/// An administrator a profile keeps (not switched off with `enable = false`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin<'a> {
    pub name: &'a str,
    pub ssh_keys: Vec<&'a str>,
    pub password_file: Option<&'a str>,
}

impl Admin<'_> {
    /// users-groups.nix counts a wheel user with a password file or an SSH key.
    pub fn can_log_in(&self) -> bool {
        !self.ssh_keys.is_empty() || self.password_file.is_some()
    }
}

/// The administrators of a profile, in name order.
pub fn administrators(p: &Profile) -> Vec<Admin<'_>> {
    crate::definition::administrator_names(p.settings.keys())
        .into_iter()
        .filter(|n| p.bool(&format!("administrators.{n}.enable")) != Some(false))
        .map(|n| Admin {
            name: n,
            ssh_keys: p
                .setting(&format!("administrators.{n}.ssh-keys"))
                .and_then(|v| v.as_list())
                .map(|l| l.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            password_file: p.str(&format!("administrators.{n}.hashed-password-file")),
        })
        .collect()
}

/// Directory users log in through sssd (the AD join capability with a domain).
pub fn directory_login(p: &Profile) -> bool {
    p.has_capability("ad-join") && p.str("ad.domain").is_some()
}

/// The user a role may log in automatically: the kiosk account, or the DR stick's
/// session user.
pub fn autologin_user(p: &Profile) -> Option<&str> {
    match p.role {
        Some(Role::Kiosk) if p.has_capability("kiosk") => {
            Some(p.str("login.autologin-user").unwrap_or("kiosk"))
        }
        Some(Role::Dr) => p.str("login.autologin-user"),
        _ => None,
    }
}

pub(super) fn lower(cx: &mut Cx) {
    let p = cx.p;
    let immutable = cx.bool("users.mutable") == Some(false);
    if let Some(m) = cx.bool("users.mutable") {
        cx.by("users.mutable", "users.mutableUsers", Nix::Bool(m));
    }
    let admins = administrators(p);
    local_administrators(cx, &admins);
    if immutable {
        immutable_users(cx, &admins);
    }
    dr_autologin(cx);
    login_limits(cx);
    privilege(cx);
    homes(cx);
}

/// The break-glass administrators: wheel members with a key or a hash file.
fn local_administrators(cx: &mut Cx, admins: &[Admin<'_>]) {
    let p = cx.p;
    for a in admins {
        let key = |leaf: &str| format!("administrators.{}.{leaf}", a.name);
        let base = format!("users.users.{}", a.name);
        let first = ["ssh-keys", "hashed-password-file", "enable"]
            .iter()
            .map(|l| key(l))
            .find(|k| p.settings.contains_key(k))
            .unwrap_or_default();
        cx.by(&first, &format!("{base}.isNormalUser"), Nix::Bool(true));
        cx.set(
            &format!("{base}.description"),
            Nix::str("Break-glass administrator"),
            None,
        );
        cx.set(
            &format!("{base}.extraGroups"),
            Nix::List(vec![Nix::str("wheel")]),
            None,
        );
        if let Some(f) = a.password_file {
            // A string, not a Nix path: the hash is read on the device at activation
            // and never enters the Nix store (users-groups.nix).
            cx.by(
                &key("hashed-password-file"),
                &format!("{base}.hashedPasswordFile"),
                Nix::str(f),
            );
        }
        if !a.ssh_keys.is_empty() {
            cx.by(
                &key("ssh-keys"),
                &format!("{base}.openssh.authorizedKeys.keys"),
                Nix::List(a.ssh_keys.iter().map(|k| Nix::str(*k)).collect()),
            );
        }
    }
}

/// Immutable users: root locked; a profile with no local administrator says who
/// logs in instead.
fn immutable_users(cx: &mut Cx, admins: &[Admin<'_>]) {
    let p = cx.p;
    cx.by(
        "users.mutable",
        "users.users.root.hashedPassword",
        Nix::str("!"),
    );
    if !admins.iter().any(Admin::can_log_in) && (directory_login(p) || autologin_user(p).is_some())
    {
        // users-groups.nix asks for a wheel user with a credential. This profile
        // has none on purpose: directory users or the role's autologin session
        // log in, and nhos checked that someone can (NHOS202).
        let how = if directory_login(p) {
            "directory users log in through sssd"
        } else {
            "the role's autologin session is the only login"
        };
        cx.set(
            "users.allowNoPasswordLogin",
            Nix::Bool(true),
            format!("no local administrator on this profile; {how}"),
        );
    }
}

/// The DR stick's autologin session.
fn dr_autologin(cx: &mut Cx) {
    let p = cx.p;
    if p.role == Some(Role::Dr)
        && p.has_capability("desktop")
        && let Some(u) = autologin_user(p)
    {
        cx.by(
            "login.autologin-user",
            &format!("users.users.{u}.isNormalUser"),
            Nix::Bool(true),
        );
        cx.by(
            "login.autologin-user",
            "services.displayManager.autoLogin.enable",
            Nix::Bool(true),
        );
        cx.by(
            "login.autologin-user",
            "services.displayManager.autoLogin.user",
            Nix::str(u),
        );
    }
}

/// Lockout after failed logins, and the password length.
fn login_limits(cx: &mut Cx) {
    if let Some(n) = cx.int("login.max-failed-attempts") {
        cx.by(
            "login.max-failed-attempts",
            "nhos.accounts.failedLoginLimit",
            Nix::Int(n),
        );
        if let Some(t) = cx.int("login.unlock-time") {
            cx.by("login.unlock-time", "nhos.accounts.unlockTime", Nix::Int(t));
        }
    }
    if let Some(n) = cx.int("password.min-length") {
        cx.by(
            "password.min-length",
            "nhos.accounts.passwordMinLength",
            Nix::Int(n),
        );
    }
}

/// `su` and `sudo`: wheel only, with a password, logged.
fn privilege(cx: &mut Cx) {
    if cx.bool("users.su-restricted") == Some(true) {
        cx.by(
            "users.su-restricted",
            "security.sudo.execWheelOnly",
            Nix::Bool(true),
        );
        cx.set("security.sudo.wheelNeedsPassword", Nix::Bool(true), None);
        // pam_wheel: `su` only for wheel (nixos/modules/security/pam.nix).
        cx.by(
            "users.su-restricted",
            "security.pam.services.su.requireWheel",
            Nix::Bool(true),
        );
    }
    if cx.bool("users.sudo-logging") == Some(true) {
        cx.by(
            "users.sudo-logging",
            "security.sudo.extraConfig",
            Nix::str(
                "Defaults logfile=/var/log/sudo.log\nDefaults log_input, log_output\nDefaults use_pty\nDefaults!/run/current-system/sw/bin/sudoreplay !log_output\n",
            ),
        );
    }
}

/// Private homes, and homes made at first login for directory users.
fn homes(cx: &mut Cx) {
    let p = cx.p;
    if cx.bool("hardening.private-homes") == Some(true) {
        cx.by(
            "hardening.private-homes",
            "security.loginDefs.settings.UMASK",
            Nix::str("077"),
        );
    }
    if directory_login(p) {
        // Directory users have no home until their first login: pam_mkhomedir makes
        // it, private (login covers GDM, whose password stack includes it).
        let services: &[&str] = if cx.bool("ssh.enable") == Some(true) {
            &["login", "sshd"]
        } else {
            &["login"]
        };
        for service in services {
            let path = format!("security.pam.services.{service}.makeHomeDir");
            cx.by_cap("ad-join", &path, Nix::Bool(true));
        }
        cx.set(
            "security.pam.makeHomeDir.umask",
            Nix::str("0077"),
            "homes of directory users are created private".to_owned(),
        );
    }
}
