//! R26: No inbound services on desktops.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R26, judge, Some(enforce));

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
