//! R21: VPN when off-site.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R21",
    title: "VPN when off-site",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Off-site traffic must go through the enterprise VPN.",
    remediation: "Add the `vpn` capability and set `vpn.always-on = true` and `vpn.gateway`.",
    references: refs("EUD: networking", "Firewalls", "—", "9.5"),
    parameters: &[],
    enforced_by: &["networking.networkmanager.plugins", "networking.networkmanager.ensureProfiles.profiles.<name>"],
    enforcement: "NetworkManager has the OpenConnect plugin and a connection to the trust's gateway (networking.networkmanager.ensureProfiles). Always-on is declared, not enforced: a user-authenticated VPN cannot come up before the user does.",
    applies: [A, A, N, Y, N, N],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    if !cx.has("vpn") {
        j.fail(
            "capability:vpn",
            None,
            "the `vpn` capability is missing".into(),
            Some(cx.file_top()),
        );
    }
    j.want_bool(cx, "vpn.always-on", true);
    if cx.str("vpn.gateway").is_none() {
        j.fail("vpn.gateway", None, "`vpn.gateway` is not set".into(), cx.origin("vpn.gateway"));
    }
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    c.require(
        matches!(t.get("networking.networkmanager.plugins"), Some(Nix::List(i)) if i.iter().any(|p| matches!(p, Nix::Pkg(n) if n == "networkmanager-openconnect"))),
        "networking.networkmanager.plugins",
        "NetworkManager has no OpenConnect plugin",
    )
    .require(
        t.get("networking.networkmanager.ensureProfiles.profiles.trust-vpn").is_some(),
        "networking.networkmanager.ensureProfiles.profiles.trust-vpn",
        "there is no VPN connection to the trust's gateway",
    );
    match c.done() {
        Enforcement::Enforced => Enforcement::NotEnforced(
            "the VPN connection to the gateway is installed, but NetworkManager cannot keep a user-authenticated VPN always on; staff start it after login".into(),
        ),
        other => other,
    }
}
