//! R21: VPN when off-site.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R21, judge, Some(enforce));

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
