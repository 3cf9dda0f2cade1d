//! Checks of setting values that a JSON Schema cannot express: calendar expressions,
//! reboot windows, flake references, device paths, administrator names, SSH keys and
//! password-hash files. Each diagnostic points at the value in its file.

use crate::definition::{Administrator, ProfileFile, Settings, Updates};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::SourceFile;
use std::ops::Range;

/// User names NixOS or nhos already use; an administrator may not take one.
const RESERVED_USERS: &[&str] = &[
    "root",
    "nobody",
    "nixbld",
    "messagebus",
    "sshd",
    "polkituser",
    "gdm",
    "kiosk",
    "sssd",
    "systemd-network",
    "systemd-resolve",
    "systemd-timesync",
    "systemd-coredump",
    "nscd",
    "avahi",
    "rtkit",
    "geoclue",
    "pipewire",
    "usbguard",
    "fwupd-refresh",
    "cups",
    "lp",
];

/// Key types OpenSSH accepts in `authorized_keys`.
const SSH_KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// How a check reports a problem: code, the value's span, message and hint.
type Say<'a> = dyn FnMut(Code, &Range<usize>, String, &str) + 'a;

/// Checks the settings of one profile file.
pub(crate) fn check(p: &ProfileFile, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    let s = &p.settings;
    let mut say = |code: Code, span: &Range<usize>, msg: String, hint: &str| {
        out.push(Diagnostic::error(code, Some(file.location(span.clone())), msg).with_hint(hint));
    };
    if let Some(u) = &s.updates {
        updates(u, &mut say);
    }
    urls(s, &mut say);
    autologin_user(s, &mut say);
    disk_device(s, &mut say);
    for (name, a) in &s.administrators {
        administrator(name, a, file, out);
    }
}

/// `updates.schedule` (a systemd calendar expression), `updates.reboot-window` and
/// `updates.flake`.
fn updates(u: &Updates, say: &mut Say<'_>) {
    if let Some(at) = &u.schedule
        && let Err(why) = crate::calendar::check(&at.value)
    {
        say(
            Code::Calendar,
            &at.span,
            format!(
                "`updates.schedule` = {:?} is not a systemd calendar expression: {why}",
                at.value
            ),
            "write it as systemd.time(7) does, e.g. \"04:40\", \"daily\" or \"Mon..Fri 03:00\"; check it with `systemd-analyze calendar`",
        );
    }
    if let Some(at) = &u.reboot_window
        && let Err(why) = reboot_window(&at.value)
    {
        say(
            Code::Calendar,
            &at.span,
            format!("`updates.reboot-window` = {:?}: {why}", at.value),
            "write the window as \"HH:MM-HH:MM\", e.g. \"01:00-05:00\" (it may cross midnight)",
        );
    }
    if let Some(at) = &u.flake
        && let Err((code, why)) = flake_ref(&at.value)
    {
        say(
            code,
            &at.span,
            format!("`updates.flake` = {:?}: {why}", redact(&at.value)),
            "give the estate repository as a flake reference without `#`, e.g. \"git+https://git.trust.nhs.uk/desktop/estate?ref=main\"; nhos adds `#<profile>`; credentials belong on the device (nix access-tokens), never in the URL",
        );
    }
}

/// URLs are copied into hosts/*.nix and the world-readable Nix store: none may
/// carry a password or token.
fn urls(s: &Settings, say: &mut Say<'_>) {
    let urls = [
        (
            "browser.homepage",
            s.browser.as_ref().and_then(|b| b.homepage.as_ref()),
        ),
        ("kiosk.url", s.kiosk.as_ref().and_then(|k| k.url.as_ref())),
        (
            "nhsmail.url",
            s.nhsmail.as_ref().and_then(|n| n.url.as_ref()),
        ),
        (
            "logging.forward-url",
            s.logging.as_ref().and_then(|l| l.forward_url.as_ref()),
        ),
    ];
    let bookmarks = s
        .browser
        .as_ref()
        .and_then(|b| b.bookmarks.as_ref())
        .into_iter()
        .flat_map(|at| at.value.values().map(move |url| (url, &at.span)));
    for (key, url, span) in urls
        .into_iter()
        .filter_map(|(k, at)| at.map(|at| (k, &at.value, &at.span)))
        .chain(bookmarks.map(|(url, span)| ("browser.bookmarks", url, span)))
    {
        if has_credentials(url) {
            say(
                Code::PlaintextSecret,
                span,
                format!(
                    "`{key}` = {:?} carries credentials (a password or token), which would be copied into the world-readable Nix store",
                    redact(url)
                ),
                "give the URL without `user:password@` or token parameters; sign in on the device instead",
            );
        }
    }
}

/// `login.autologin-user`: a user name nhos can create.
fn autologin_user(s: &Settings, say: &mut Say<'_>) {
    if let Some(at) = s.login.as_ref().and_then(|l| l.autologin_user.as_ref())
        && (!is_user_name(&at.value)
            || RESERVED_USERS
                .iter()
                .any(|r| *r == at.value && *r != "kiosk"))
    {
        say(
            Code::InvalidValue,
            &at.span,
            format!(
                "`login.autologin-user` = {:?} is not a user name nhos can create",
                at.value
            ),
            "a user name of 1 to 31 lower-case letters, digits, `_` and `-`, starting with a letter, that NixOS does not use itself",
        );
    }
}

/// `disk.device`: a block device path under /dev.
fn disk_device(s: &Settings, say: &mut Say<'_>) {
    if let Some(d) = &s.disk
        && let Some(at) = &d.device
        && !is_device_path(&at.value)
    {
        say(
            Code::InvalidValue,
            &at.span,
            format!("`disk.device` = {:?} is not a disk device path", at.value),
            "name a block device under /dev, e.g. \"/dev/nvme0n1\" or \"/dev/disk/by-path/pci-0000:00:0e.0-nvme-1\"",
        );
    }
}

fn administrator(name: &str, a: &Administrator, file: &SourceFile, out: &mut Vec<Diagnostic>) {
    // The table header is not spanned; point at the first key of the administrator.
    let span = a
        .ssh_keys
        .as_ref()
        .map(|k| k.span.clone())
        .or_else(|| a.hashed_password_file.as_ref().map(|h| h.span.clone()))
        .or_else(|| a.enable.as_ref().map(|e| e.span.clone()))
        .unwrap_or_else(|| header_span(name, file));
    if !is_user_name(name) || RESERVED_USERS.contains(&name) {
        out.push(
            Diagnostic::error(
                Code::InvalidValue,
                Some(file.location(span.clone())),
                format!("administrator name `{name}` is not allowed"),
            )
            .with_hint(
                "a user name of 1 to 31 lower-case letters, digits, `_` and `-`, starting with a letter, that NixOS does not use itself (not root)",
            ),
        );
    }
    if let Some(keys) = &a.ssh_keys {
        for k in &keys.value {
            if let Err((code, why)) = ssh_key(k) {
                out.push(
                    Diagnostic::error(
                        code,
                        Some(file.location(keys.span.clone())),
                        format!("`administrators.{name}.ssh-keys` holds {why}"),
                    )
                    .with_hint(
                        "give OpenSSH public keys, one line each: `ssh-ed25519 AAAA… comment`",
                    ),
                );
            }
        }
    }
    if let Some(f) = &a.hashed_password_file
        && let Err((code, why)) = password_file(&f.value)
    {
        out.push(
                Diagnostic::error(
                    code,
                    Some(file.location(f.span.clone())),
                    format!(
                        "`administrators.{name}.hashed-password-file`: {why}"
                    ),
                )
                .with_hint(
                    "name an absolute path on the device outside /nix/store, e.g. \"/var/lib/nhos/secrets/breakglass.hash\", and provision the hash there (sops-nix, agenix, or the installer)",
                ),
            );
    }
}

/// Where `administrators.<name>` is written (the map's keys carry no span).
fn header_span(name: &str, file: &SourceFile) -> std::ops::Range<usize> {
    let needle = format!("administrators.{name}");
    file.text
        .find(&needle)
        .map_or(0..0, |i| i..i + needle.len())
}

fn is_user_name(s: &str) -> bool {
    let mut cs = s.chars();
    (1..=31).contains(&s.len())
        && cs.next().is_some_and(|c| c.is_ascii_lowercase())
        && cs.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn is_device_path(s: &str) -> bool {
    s.starts_with("/dev/")
        && s.len() > 5
        && s.len() <= 255
        && !s.contains("/../")
        && !s.ends_with("/..")
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-.:+@".contains(c))
}

/// `HH:MM-HH:MM`, both valid times, not equal.
pub(crate) fn reboot_window(s: &str) -> Result<(&str, &str), String> {
    let (a, b) = s
        .split_once('-')
        .ok_or_else(|| "not a window of two times".to_owned())?;
    for t in [a, b] {
        let ok = t.len() == 5
            && t.as_bytes()[2] == b':'
            && t[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && t[3..].parse::<u8>().is_ok_and(|m| m < 60)
            && t.chars().filter(|c| c.is_ascii_digit()).count() == 4;
        if !ok {
            return Err(format!(
                "`{t}` is not a time of day (HH:MM, 00:00 to 23:59)"
            ));
        }
    }
    if a == b {
        return Err("the window starts and ends at the same time".into());
    }
    Ok((a, b))
}

/// A flake reference nixos-rebuild can update from, without a `#` fragment.
pub(crate) fn flake_ref(s: &str) -> Result<(), (Code, String)> {
    let bad = |why: &str| Err((Code::AutoUpgradeFlake, why.to_owned()));
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("it holds white space or a control character, which nixos-rebuild would split");
    }
    if s.contains('#') {
        return bad("it already has a `#` fragment; nhos adds `#<profile>` itself");
    }
    if has_credentials(s) {
        return Err((
            Code::PlaintextSecret,
            "it carries credentials (a password or token), which would be copied into the world-readable Nix store".to_owned(),
        ));
    }
    const SCHEMES: &[&str] = &[
        "git+https://",
        "git+ssh://",
        "git+file:///",
        "github:",
        "gitlab:",
        "sourcehut:",
        "https://",
        "tarball+https://",
        "file+https://",
        "path:/",
    ];
    if !SCHEMES.iter().any(|p| s.starts_with(p)) || SCHEMES.contains(&s) {
        return bad(
            "it is not a flake reference nhos knows (git+https://, git+ssh://, github:, gitlab:, sourcehut:, https://, path:/)",
        );
    }
    Ok(())
}

/// Whether a URL carries a password or a token (`user:pass@`, `?token=`, …).
pub(crate) fn has_credentials(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if let Some((_, rest)) = s.split_once("://") {
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        if let Some((userinfo, _)) = authority.rsplit_once('@')
            && userinfo.contains(':')
        {
            return true;
        }
    }
    let query = lower.split_once('?').map(|(_, q)| q).unwrap_or_default();
    query.split('&').any(|kv| {
        let k = kv.split('=').next().unwrap_or_default();
        [
            "token",
            "access_token",
            "access-token",
            "password",
            "passwd",
            "secret",
            "key",
            "api_key",
            "apikey",
            "private_token",
        ]
        .contains(&k)
    })
}

/// The URL with any password replaced, for messages.
pub(crate) fn redact(s: &str) -> String {
    if has_credentials(s) {
        match s.split_once("://") {
            Some((scheme, _)) => format!("{scheme}://…"),
            None => "…".to_owned(),
        }
    } else {
        s.to_owned()
    }
}

fn ssh_key(k: &str) -> Result<(), (Code, String)> {
    if k.contains("PRIVATE KEY") {
        return Err((
            Code::PlaintextSecret,
            "a private key; only public keys belong in the definition".to_owned(),
        ));
    }
    if k.chars().any(char::is_control) {
        return Err((
            Code::InvalidValue,
            "a key with a line break or control character".to_owned(),
        ));
    }
    let mut parts = k.split(' ');
    let ty = parts.next().unwrap_or_default();
    let blob = parts.next().unwrap_or_default();
    let ok_type = SSH_KEY_TYPES.contains(&ty);
    let ok_blob = blob.len() >= 16
        && blob
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c));
    if ok_type && ok_blob {
        Ok(())
    } else {
        let shown: String = k.chars().take(24).collect();
        Err((
            Code::InvalidValue,
            format!("{shown:?}…, which is not an OpenSSH public key"),
        ))
    }
}

fn password_file(f: &str) -> Result<(), (Code, String)> {
    if f.starts_with('$') || f.contains("$6$") || f.contains("$y$") || f.contains("$2b$") {
        return Err((
            Code::PlaintextSecret,
            "this is a password hash, not a path; a hash in the definition ends up in the world-readable Nix store".to_owned(),
        ));
    }
    if !f.starts_with('/') {
        return Err((Code::InvalidValue, format!("{f:?} is not an absolute path")));
    }
    if f.starts_with("/nix/store") {
        return Err((
            Code::InvalidValue,
            "a file in /nix/store is readable by every user of the device".to_owned(),
        ));
    }
    if f.chars().any(|c| c.is_control() || c.is_whitespace()) || f.contains("/../") {
        return Err((Code::InvalidValue, format!("{f:?} is not a plain path")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flake_references() {
        assert!(flake_ref("git+https://git.evt.nhs.uk/desktop/estate?ref=main").is_ok());
        assert!(flake_ref("github:example-valley/estate").is_ok());
        assert!(flake_ref("git+ssh://git@git.evt.nhs.uk/desktop/estate").is_ok());
        assert!(flake_ref("github:trust/estate#desktop").is_err());
        assert!(flake_ref("whenever").is_err());
        assert!(flake_ref("github:a/b c").is_err());
        assert_eq!(
            flake_ref("https://admin:Hunter2!@git.example/estate").map_err(|e| e.0),
            Err(Code::PlaintextSecret)
        );
        assert_eq!(
            flake_ref("git+https://git.example/estate?ref=main&token=abc").map_err(|e| e.0),
            Err(Code::PlaintextSecret)
        );
        assert_eq!(redact("https://admin:Hunter2!@git.example/e"), "https://…");
    }

    #[test]
    fn reboot_windows() {
        assert_eq!(reboot_window("01:00-05:00"), Ok(("01:00", "05:00")));
        assert!(reboot_window("22:00-02:00").is_ok());
        assert!(reboot_window("25:00-05:00").is_err());
        assert!(reboot_window("01:00").is_err());
        assert!(reboot_window("01:00-01:00").is_err());
        assert!(reboot_window("1:00-05:00").is_err());
    }

    #[test]
    fn keys_and_password_files() {
        assert!(ssh_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq8Rd7nJ5Nw8o0x3bQyq3mBvM5rj2tq1mX9c9p1y2Z breakglass@evt").is_ok());
        assert!(ssh_key("-----BEGIN OPENSSH PRIVATE KEY-----").is_err());
        assert!(ssh_key("ssh-dss AAAAB3NzaC1kc3MAAACBA").is_err());
        assert!(password_file("/var/lib/nhos/secrets/breakglass.hash").is_ok());
        assert!(password_file("$y$j9T$abc").is_err());
        assert!(password_file("relative/path").is_err());
        assert!(password_file("/nix/store/abc-hash").is_err());
    }
}
