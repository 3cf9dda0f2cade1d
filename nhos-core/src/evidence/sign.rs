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
pub fn verify_signature(message: &[u8], signature: &str, allowed_signers: &str) -> Result<String> {
    let sig = SshSig::from_pem(signature)
        .map_err(|e| fail(format!("{SIGNATURE}: not an SSH signature: {e}")))?;
    if sig.namespace() != NAMESPACE {
        return Err(fail(format!(
            "{SIGNATURE}: signed for namespace `{}`, not `{NAMESPACE}`",
            sig.namespace()
        )));
    }
    let signers = parse_allowed_signers(allowed_signers)?;
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

/// `(principals, key)` per line; options are honoured for `namespaces=` (a line
/// restricted to other namespaces does not count).
fn parse_allowed_signers(text: &str) -> Result<Vec<(String, PublicKey)>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split_whitespace();
        let principals = fields.next().unwrap_or_default();
        let rest: Vec<&str> = fields.collect();
        // The key starts at its type: `ssh-…`, `ecdsa-…` or `sk-…`.
        let at = rest
            .iter()
            .position(|f| f.starts_with("ssh-") || f.starts_with("ecdsa-") || f.starts_with("sk-"))
            .ok_or_else(|| fail(format!("allowed signers line {}: no key", n + 1)))?;
        let options = rest[..at].join(" ");
        if let Some(ns) = options
            .split("namespaces=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            && !ns.split(',').any(|x| x == NAMESPACE || x == "*")
        {
            continue;
        }
        let key_text = rest[at..].join(" ");
        let key = PublicKey::from_openssh(&key_text).map_err(|e| {
            fail(format!(
                "allowed signers line {}: not a public key: {e}",
                n + 1
            ))
        })?;
        out.push((principals.to_owned(), key));
    }
    Ok(out)
}
