//! R25: SSH: keys only, no root login, no open port by default.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R25",
    title: "SSH: keys only, no root login, no open port by default",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Password logins over SSH invite brute force; a root login leaves no trail of who acted.",
    remediation: "With `ssh.enable`, set `ssh.password-authentication = false` and `ssh.permit-root-login = false`; open port 22 only through `firewall.allowed-tcp-ports`.",
    references: refs("EUD N12 (remote administration)", "Secure configuration", "5.2.8, 5.2.10-5.2.11", "9.5"),
    parameters: &[],
    enforced_by: &["services.openssh.settings.PasswordAuthentication", "services.openssh.settings.KbdInteractiveAuthentication", "services.openssh.settings.PermitRootLogin", "services.openssh.openFirewall"],
    enforcement: "sshd accepts keys only (PasswordAuthentication and KbdInteractiveAuthentication off), refuses root (PermitRootLogin no), and does not open its port in the firewall unless the definition lists it.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

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
