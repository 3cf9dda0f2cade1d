//! The network: firewall (R9), NetworkManager and VPN, Active Directory, SSH.

use super::Cx;
use crate::generate::nix::Nix;
use crate::setting::SettingValue;

pub(super) fn lower(cx: &mut Cx) {
    firewall(cx);
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
    active_directory(cx);
    ssh(cx);
    vpn(cx);
    time(cx);
    logging(cx);
}

/// R9: the firewall, and the TCP ports it opens.
fn firewall(cx: &mut Cx) {
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
}

/// Active Directory (`ad-join` with `ad.domain`): sssd, with Kerberos for the
/// domain's realm.
fn active_directory(cx: &mut Cx) {
    let (true, Some(domain)) = (cx.has("ad-join"), cx.str("ad.domain")) else {
        return;
    };
    cx.by_cap("ad-join", "services.sssd.enable", Nix::Bool(true));
    cx.by(
        "ad.domain",
        "services.sssd.config",
        Nix::str(sssd_conf(domain)),
    );
    cx.set("security.krb5.enable", Nix::Bool(true), None);
    // sssd does Kerberos; pam_krb5's rules would end the auth stack before
    // faillock counts a failure (R10), and nixpkgs says they are not needed
    // with SSSD (nixos/modules/security/pam.nix).
    cx.set(
        "security.pam.krb5.enable",
        Nix::Bool(false),
        "sssd authenticates against AD; no pam_krb5 beside it".to_owned(),
    );
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

/// Time synchronisation, and the servers it asks.
fn time(cx: &mut Cx) {
    if cx.bool("time.sync") == Some(true) {
        cx.by("time.sync", "services.timesyncd.enable", Nix::Bool(true));
        if let Some(servers) = cx.p.setting("time.servers").and_then(|v| v.as_list()) {
            cx.by(
                "time.servers",
                "services.timesyncd.servers",
                Nix::List(servers.iter().map(Nix::str).collect()),
            );
        }
    }
}

/// The journal: kept on disk, and forwarded to a collector.
fn logging(cx: &mut Cx) {
    if cx.bool("logging.persistent") == Some(true) {
        cx.by(
            "logging.persistent",
            "services.journald.storage",
            Nix::str("persistent"),
        );
    }
    if let Some(url) = cx.str("logging.forward-url") {
        cx.by(
            "logging.forward-url",
            "services.journald.upload.enable",
            Nix::Bool(true),
        );
        cx.by(
            "logging.forward-url",
            "services.journald.upload.settings",
            Nix::attrs([("Upload".to_owned(), Nix::attrs(upload_settings(url)))]),
        );
    }
}

/// systemd-journal-upload's [Upload] section. Over https the device presents no
/// client certificate ("-"; journal-upload.conf(5)) and checks the collector against
/// the system's CA bundle: without these, journal-upload looks for key files under
/// /etc/ssl that NixOS does not have, and the upload never starts.
fn upload_settings(url: &str) -> Vec<(String, Nix)> {
    let mut out = vec![("URL".to_owned(), Nix::str(url))];
    if url.starts_with("https://") {
        out.push(("ServerKeyFile".to_owned(), Nix::str("-")));
        out.push(("ServerCertificateFile".to_owned(), Nix::str("-")));
        out.push((
            "TrustedCertificateFile".to_owned(),
            Nix::str("/etc/ssl/certs/ca-certificates.crt"),
        ));
    }
    out
}

/// R25: keys only, no root, no open port unless the definition lists it.
fn ssh(cx: &mut Cx) {
    let Some(v) = cx.bool("ssh.enable") else {
        return;
    };
    cx.by("ssh.enable", "services.openssh.enable", Nix::Bool(v));
    if !v {
        return;
    }
    // Exactly what the definition says (R25 judges it); sshd's own default for an
    // unset key is to allow, so nhos writes false unless told otherwise.
    let password = cx.bool("ssh.password-authentication").unwrap_or(false);
    let why = |cx: &Cx, key: &str| {
        if cx.p.settings.contains_key(key) {
            super::why(key, cx.p)
        } else {
            format!("{key} (not set): off")
        }
    };
    let c = why(cx, "ssh.password-authentication");
    cx.set(
        "services.openssh.settings.PasswordAuthentication",
        Nix::Bool(password),
        c.clone(),
    );
    cx.set(
        "services.openssh.settings.KbdInteractiveAuthentication",
        Nix::Bool(password),
        c,
    );
    let root = cx.bool("ssh.permit-root-login").unwrap_or(false);
    let c = why(cx, "ssh.permit-root-login");
    cx.set(
        "services.openssh.settings.PermitRootLogin",
        Nix::str(if root { "yes" } else { "no" }),
        c,
    );
    // The firewall opens exactly `firewall.allowed-tcp-ports`: sshd does not open
    // port 22 behind the definition's back (nixpkgs' default is true).
    cx.set(
        "services.openssh.openFirewall",
        Nix::Bool(false),
        "open port 22 in firewall.allowed-tcp-ports, not from sshd".to_owned(),
    );
}

/// R21: the trust's VPN as a NetworkManager connection.
fn vpn(cx: &mut Cx) {
    let (true, Some(gateway)) = (cx.has("vpn"), cx.str("vpn.gateway")) else {
        return;
    };
    let a =
        |entries: Vec<(&str, Nix)>| Nix::attrs(entries.into_iter().map(|(k, v)| (k.to_owned(), v)));
    cx.by(
        "vpn.gateway",
        "networking.networkmanager.ensureProfiles.profiles.trust-vpn",
        a(vec![
            (
                "connection",
                a(vec![
                    ("id", Nix::str("Trust VPN")),
                    ("type", Nix::str("vpn")),
                    ("autoconnect", Nix::str("false")),
                ]),
            ),
            (
                "vpn",
                a(vec![
                    (
                        "service-type",
                        Nix::str("org.freedesktop.NetworkManager.openconnect"),
                    ),
                    ("protocol", Nix::str("anyconnect")),
                    ("gateway", Nix::str(gateway)),
                ]),
            ),
            ("ipv4", a(vec![("method", Nix::str("auto"))])),
        ]),
    );
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
