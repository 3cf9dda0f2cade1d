//! Signing a pack's index in the SSH signature format (OpenSSH PROTOCOL.sshsig),
//! so that `ssh-keygen -Y verify -n nhos-evidence` checks it as nhos does, with the
//! `ssh-key` crate; and reading `ssh-keygen`'s ALLOWED SIGNERS file.

use crate::error::{Error, ErrorKind, Result};
use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

/// The signature namespace: a signature made for something else never verifies.
pub const NAMESPACE: &str = "nhos-evidence";

/// The signature file beside the index.
pub const SIGNATURE: &str = "SHA256SUMS.sig";

fn fail(msg: String) -> Error {
    Error::new(ErrorKind::Usage, msg)
}

/// Signs `message` with the OpenSSH private key `key` (the text of the key file;
/// `key_name` names it in errors): the armoured signature.
pub fn sign(message: &[u8], key: &str, key_name: &str) -> Result<String> {
    let key = PrivateKey::from_openssh(key)
        .map_err(|e| fail(format!("{key_name}: not an OpenSSH private key: {e}")))?;
    if key.is_encrypted() {
        return Err(fail(format!(
            "{key_name}: the key is protected by a passphrase; sign with an unencrypted key (or `ssh-keygen -Y sign -n {NAMESPACE} -f KEY SHA256SUMS` yourself)"
        )));
    }
    let sig = key
        .sign(NAMESPACE, HashAlg::Sha512, message)
        .map_err(|e| fail(format!("{key_name}: cannot sign with this key: {e}")))?;
    sig.to_pem(LineEnding::LF)
        .map_err(|e| fail(format!("cannot write the signature: {e}")))
}

/// The principal of the allowed signer whose key made `signature` over `message`
/// in the `nhos-evidence` namespace; an error naming what failed otherwise.
/// `allowed_signers` is `ssh-keygen`'s format: per line, principals (comma
/// separated), optional options (`namespaces="…"`, …), a key type and the key.
pub fn verify_signature(
    message: &[u8],
    signature: &str,
    allowed_signers: &str,
    today: crate::Date,
) -> Result<String> {
    let sig = SshSig::from_pem(signature)
        .map_err(|e| fail(format!("{SIGNATURE}: not an SSH signature: {e}")))?;
    if sig.namespace() != NAMESPACE {
        return Err(fail(format!(
            "{SIGNATURE}: signed for namespace `{}`, not `{NAMESPACE}`",
            sig.namespace()
        )));
    }
    let signers = parse_allowed_signers(allowed_signers, today)?;
    let Some((principal, key)) = signers
        .iter()
        .find(|(_, k)| k.key_data() == sig.public_key())
    else {
        return Err(fail(format!(
            "{SIGNATURE}: made by a key that is not among the allowed signers"
        )));
    };
    key.verify(NAMESPACE, message, &sig).map_err(|_| {
        fail(format!(
            "{SIGNATURE}: does not match the index: the index changed after it was signed"
        ))
    })?;
    Ok(principal.clone())
}

/// OpenSSH's pattern lists (`*`, `?`, `!` to negate): a negated match refuses,
/// otherwise any match accepts.
fn pattern_list_matches(list: &str, name: &str) -> bool {
    fn glob(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
            (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => glob(&p[1..], &s[1..]),
            _ => false,
        }
    }
    let mut accepted = false;
    for pat in list.split(',') {
        let pat = pat.trim();
        if let Some(neg) = pat.strip_prefix('!') {
            if glob(neg.as_bytes(), name.as_bytes()) {
                return false;
            }
        } else if glob(pat.as_bytes(), name.as_bytes()) {
            accepted = true;
        }
    }
    accepted
}

/// A `valid-after` / `valid-before` time as a day (`YYYYMMDD`, optionally with a
/// time and `Z`); `None` when it is not one.
fn day_of(stamp: &str) -> Option<crate::Date> {
    let digits = stamp.trim_end_matches(['Z', 'z']);
    if digits.len() < 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::Date::parse(&format!(
        "{}-{}-{}",
        &digits[..4],
        &digits[4..6],
        &digits[6..8]
    ))
}

/// The options of a line (`name` or `name="value"`, comma separated), the names
/// in lower case.
fn options(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find([',', '=']).unwrap_or(rest.len());
        let name = rest[..end].trim().to_ascii_lowercase();
        rest = &rest[end..];
        let value = if let Some(v) = rest.strip_prefix("=\"") {
            let close = v.find('"').unwrap_or(v.len());
            rest = v.get(close + 1..).unwrap_or("");
            Some(v[..close].to_owned())
        } else {
            None
        };
        rest = rest.strip_prefix(',').unwrap_or(rest);
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// `(principals, key)` per line that may sign in the `nhos-evidence` namespace on
/// `today`, as `ssh-keygen -Y verify` reads the file: options are `namespaces`
/// (a pattern list), `valid-after`, `valid-before` and `cert-authority` (a CA
/// key signs certificates, not evidence: such lines never match here); another
/// option is an error naming the line.
fn parse_allowed_signers(text: &str, today: crate::Date) -> Result<Vec<(String, PublicKey)>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |what: &str| fail(format!("allowed signers line {}: {what}", n + 1));
        let (principals, rest) = line
            .split_once(char::is_whitespace)
            .ok_or_else(|| bad("no key"))?;
        let rest = rest.trim_start();
        let is_key =
            |t: &str| t.starts_with("ssh-") || t.starts_with("ecdsa-") || t.starts_with("sk-");
        // Options are one field (spaces only inside quotes) before the key type.
        let (opts, key_text) = if is_key(rest) {
            ("", rest)
        } else {
            let mut quoted = false;
            let end = rest
                .char_indices()
                .find(|(_, c)| {
                    if *c == '"' {
                        quoted = !quoted;
                    }
                    c.is_whitespace() && !quoted
                })
                .map_or(rest.len(), |(i, _)| i);
            (&rest[..end], rest[end..].trim_start())
        };
        let mut usable = true;
        for (name, value) in options(opts) {
            let v = value.as_deref().unwrap_or("");
            match name.as_str() {
                "cert-authority" => usable = false,
                "namespaces" => usable &= pattern_list_matches(v, NAMESPACE),
                "valid-after" => {
                    usable &= day_of(v).ok_or_else(|| bad("valid-after is not a time"))? <= today
                }
                "valid-before" => {
                    usable &= today < day_of(v).ok_or_else(|| bad("valid-before is not a time"))?
                }
                other => return Err(bad(&format!("unknown option `{other}`"))),
            }
        }
        if !is_key(key_text) {
            return Err(bad("no key"));
        }
        let key = PublicKey::from_openssh(key_text)
            .map_err(|e| bad(&format!("not a public key: {e}")))?;
        if usable {
            out.push((principals.to_owned(), key));
        }
    }
    Ok(out)
}
