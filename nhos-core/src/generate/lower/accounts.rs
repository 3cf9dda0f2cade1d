//! Login, passwords and privilege (R7, R8, R10, R11); the `nhos.accounts` module
//! puts lockout into the PAM stacks.

use super::Cx;
use crate::generate::nix::Nix;

pub(super) fn lower(cx: &mut Cx) {
    if let Some(n) = cx.int("login.max-failed-attempts") {
        cx.from(
            "login.max-failed-attempts",
            "nhos.accounts.failedLoginLimit",
            Nix::Int(n),
        );
        if let Some(t) = cx.int("login.unlock-time") {
            cx.from("login.unlock-time", "nhos.accounts.unlockTime", Nix::Int(t));
        }
    }
    if let Some(n) = cx.int("password.min-length") {
        cx.from(
            "password.min-length",
            "nhos.accounts.passwordMinLength",
            Nix::Int(n),
        );
    }
    if let Some(m) = cx.bool("users.mutable") {
        cx.from("users.mutable", "users.mutableUsers", Nix::Bool(m));
    }
    if cx.bool("users.su-restricted") == Some(true) {
        cx.from(
            "users.su-restricted",
            "security.sudo.execWheelOnly",
            Nix::Bool(true),
        );
        cx.set("security.sudo.wheelNeedsPassword", Nix::Bool(true), None);
    }
}
