//! R25: SSH: keys only, no root login, no open port by default.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R25, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    if cx.bool("ssh.enable") != Some(true) {
        return;
    }
    for key in ["ssh.password-authentication", "ssh.permit-root-login"] {
        match cx.bool(key) {
            Some(false) => {}
            Some(true) => j.fail(key, Some("true".into()), format!("`{key}` is true; it must be false"), cx.origin(key)),
            None => j.fail(
                key,
                None,
                format!("`{key}` is not set, and sshd's own default allows it: set it to false"),
                cx.origin("ssh.enable"),
            ),
        }
    }
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    if !t.is_true("services.openssh.enable") {
        return Enforcement::NotApplicable;
    }
    let mut c = Check::default();
    c.require(
        t.is("services.openssh.settings.PasswordAuthentication", &Nix::Bool(false))
            && t.is("services.openssh.settings.KbdInteractiveAuthentication", &Nix::Bool(false)),
        "services.openssh.settings.PasswordAuthentication",
        "sshd accepts passwords",
    )
    .require(
        t.is("services.openssh.settings.PermitRootLogin", &Nix::str("no")),
        "services.openssh.settings.PermitRootLogin",
        "sshd accepts root logins",
    )
    .require(
        t.is("services.openssh.openFirewall", &Nix::Bool(false)),
        "services.openssh.openFirewall",
        "sshd opens its port in the firewall itself, whatever firewall.allowed-tcp-ports says",
    );
    c.done()
}
