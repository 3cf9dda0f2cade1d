//! NAR hashes as `nix path-info` prints them (SRI, `sha256-<base64>`), from the
//! forms the store database holds (`sha256:<base16>`, or Nix's base-32 in old
//! databases).

use base64::Engine as _;

const NIX32: &[u8; 32] = b"0123456789abcdfghijklmnpqrsvwxyz";

/// The SRI form of a hash, or `None` when it is in no form Nix writes.
pub fn to_sri(hash: &str) -> Option<String> {
    if hash.contains('-') && !hash.contains(':') {
        return Some(hash.to_owned());
    }
    let (algo, digest) = hash.split_once(':')?;
    let size = match algo {
        "sha256" => 32,
        "sha512" => 64,
        "sha1" => 20,
        "md5" => 16,
        _ => return None,
    };
    let bytes = if digest.len() == size * 2 {
        from_hex(digest)?
    } else if digest.len() == (size * 8).div_ceil(5) {
        from_nix32(digest, size)?
    } else {
        return None;
    };
    Some(format!(
        "{algo}-{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Nix's base-32: its own alphabet, last character first (`libutil/hash.cc`).
fn from_nix32(s: &str, size: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; size];
    for (n, c) in s.bytes().rev().enumerate() {
        let digit = NIX32.iter().position(|&x| x == c)? as u16;
        let b = n * 5;
        let (i, j) = (b / 8, b % 8);
        out[i] |= (digit << j) as u8;
        let carry = digit >> (8 - j);
        if i + 1 < size {
            out[i + 1] |= carry as u8;
        } else if carry != 0 {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::to_sri;

    #[test]
    fn the_three_forms_agree() {
        // sha256 of the empty string in each form Nix uses.
        let hex = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let nix32 = "sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73";
        let sri = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
        assert_eq!(to_sri(hex).as_deref(), Some(sri));
        assert_eq!(to_sri(nix32).as_deref(), Some(sri));
        assert_eq!(to_sri(sri).as_deref(), Some(sri));
        assert_eq!(to_sri("sha256:zz"), None);
        assert_eq!(to_sri("whirlpool:00"), None);
        assert_eq!(
            to_sri("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8zz"),
            None
        );
    }
}
