//! R9: Host firewall, inbound default deny.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R9",
    title: "Host firewall, inbound default deny",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Services must not be reachable unless meant to be.",
    remediation: "Set `firewall.enable = true` and list only needed ports.",
    references: refs("EUD N16", "Firewalls", "4.1", "9.1"),
    parameters: &[],
    enforced_by: &["networking.firewall.enable"],
    enforcement: "The NixOS firewall is on: inbound traffic is refused unless a port is opened.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "firewall.enable", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            Tree(l).is_true("networking.firewall.enable"),
            "networking.firewall.enable",
            "`networking.firewall.enable` is not true",
        )
        .done()
}
