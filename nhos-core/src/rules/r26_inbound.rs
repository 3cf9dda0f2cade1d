//! R26: No inbound services on desktops.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R26",
    title: "No inbound services on desktops",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "A desktop offers nothing to the network; every listening port is attack surface.",
    remediation: "Remove `firewall.allowed-tcp-ports` and `ssh.enable` from desktop profiles; administer them through the estate flake.",
    references: refs("EUD N9 (network)", "Firewalls", "3.5.1.x", "9.5"),
    parameters: &[],
    enforced_by: &["networking.firewall.allowedTCPPorts", "services.openssh.enable"],
    enforcement: "The firewall opens no port and no SSH daemon runs on desktop roles.",
    applies: [Y, Y, Y, Y, Y, N],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    if let Some(ports) = cx.p.setting("firewall.allowed-tcp-ports").and_then(|v| v.as_list())
        && !ports.is_empty() {
            j.fail(
                "firewall.allowed-tcp-ports",
                Some(ports.join(",")),
                format!("a desktop opens TCP port{} {}", if ports.len() > 1 { "s" } else { "" }, ports.join(", ")),
                cx.origin("firewall.allowed-tcp-ports"),
            );
        }
    if cx.bool("ssh.enable") == Some(true) {
        j.fail("ssh.enable", Some("true".into()), "a desktop runs an SSH daemon".into(), cx.origin("ssh.enable"));
    }
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    Check::default()
        .require(
            !matches!(t.get("networking.firewall.allowedTCPPorts"), Some(Nix::List(p)) if !p.is_empty()),
            "networking.firewall.allowedTCPPorts",
            "the firewall opens ports on a desktop",
        )
        .require(
            !t.is_true("services.openssh.enable"),
            "services.openssh.enable",
            "an SSH daemon runs on a desktop",
        )
        .done()
}
