//! The network: firewall (R9), NetworkManager and VPN, Active Directory, SSH.

use super::Cx;
use crate::generate::nix::Nix;
use crate::setting::SettingValue;

pub(super) fn lower(cx: &mut Cx) {
    if let Some(v) = cx.bool("firewall.enable") {
        cx.by(
            "firewall.enable",
            "networking.firewall.enable",
            Nix::Bool(v),
        );
    }
    if let Some(SettingValue::List(ports)) = cx.p.setting("firewall.allowed-tcp-ports") {
        let ports = ports
            .iter()
            .filter_map(|s| s.parse::<i64>().ok())
            .map(Nix::Int)
            .collect();
        cx.by(
            "firewall.allowed-tcp-ports",
            "networking.firewall.allowedTCPPorts",
            Nix::List(ports),
        );
    }
    if cx.has("desktop") {
        cx.set("networking.networkmanager.enable", Nix::Bool(true), None);
    }
    if cx.has("vpn") {
        cx.by_cap(
            "vpn",
            "networking.networkmanager.plugins",
            Nix::List(vec![Nix::Pkg("networkmanager-openconnect".into())]),
        );
    }
    if cx.has("ad-join") {
        if let Some(domain) = cx.str("ad.domain") {
            cx.by_cap("ad-join", "services.sssd.enable", Nix::Bool(true));
            cx.by(
                "ad.domain",
                "services.sssd.config",
                Nix::str(sssd_conf(domain)),
            );
            cx.set("security.krb5.enable", Nix::Bool(true), None);
            cx.by(
                "ad.domain",
                "security.krb5.settings",
                Nix::attrs([(
                    "libdefaults".to_owned(),
                    Nix::attrs([
                        ("default_realm".to_owned(), Nix::str(domain.to_uppercase())),
                        ("dns_lookup_kdc".to_owned(), Nix::Bool(true)),
                    ]),
                )]),
            );
        }
    }
    if let Some(v) = cx.bool("ssh.enable") {
        cx.by("ssh.enable", "services.openssh.enable", Nix::Bool(v));
        if let Some(pa) = cx.bool("ssh.password-authentication") {
            cx.by(
                "ssh.password-authentication",
                "services.openssh.settings.PasswordAuthentication",
                Nix::Bool(pa),
            );
        }
        if let Some(r) = cx.bool("ssh.permit-root-login") {
            cx.by(
                "ssh.permit-root-login",
                "services.openssh.settings.PermitRootLogin",
                Nix::str(if r { "prohibit-password" } else { "no" }),
            );
        }
    }
}

fn sssd_conf(domain: &str) -> String {
    // The domain is a definition value: it is escaped when printed as a Nix string,
    // and restricted here to what a DNS name may contain so it cannot add lines.
    let d: String = domain
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || ".-".contains(*c))
        .collect();
    format!(
        "[sssd]\nservices = nss, pam\ndomains = {d}\n\n[domain/{d}]\nid_provider = ad\naccess_provider = ad\nad_domain = {d}\nkrb5_realm = {}\ncache_credentials = true\nfallback_homedir = /home/%u\ndefault_shell = /run/current-system/sw/bin/bash\n",
        d.to_uppercase()
    )
}
