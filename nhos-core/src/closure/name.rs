//! Store path names split the way `nix store diff-closures` splits them, so that
//! nhos and Nix group the same paths under the same package.
//!
//! Nix 2.8 (`src/nix/diff-closures.cc`, `src/libexpr/names.cc`): the part of the
//! base name after `<hash>-`; an output suffix is dropped when the whole name matches
//! `(.*)-([a-z]+|lib32|lib64)` (greedy, so the last such dash); then the version
//! starts after the first `-` that is followed by something other than a letter
//! (a dash at the very end does not count).

/// The name of a store path without its hash: `openssl-3.0.13` for
/// `/nix/store/<hash>-openssl-3.0.13`. The whole base name when it has no dash.
pub fn base_name(path: &str) -> &str {
    let base = path.rsplit('/').next().unwrap_or(path);
    base.split_once('-').map_or(base, |(_, rest)| rest)
}

/// Drops an output suffix (`-bin`, `-dev`, `-lib32`, …) as `diff-closures` does.
pub fn strip_output(name: &str) -> &str {
    let Some((head, tail)) = name.rsplit_once('-') else {
        return name;
    };
    let output = tail == "lib32"
        || tail == "lib64"
        || (!tail.is_empty() && tail.bytes().all(|b| b.is_ascii_lowercase()));
    if output { head } else { name }
}

/// Splits a name into package and version as Nix's `DrvName` does: the version
/// starts after the first `-` not followed by a letter; "" when there is none.
pub fn split_version(name: &str) -> (&str, &str) {
    let bytes = name.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'-' && bytes.get(i + 1).is_some_and(|c| !c.is_ascii_alphabetic()) {
            return (&name[..i], &name[i + 1..]);
        }
    }
    (name, "")
}

/// Package and version of a store path, as `diff-closures` groups it.
pub fn package(path: &str) -> (&str, &str) {
    split_version(strip_output(base_name(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_as_nix_splits_them() {
        // Pairs checked against `builtins.parseDrvName` and diff-closures (Nix 2.8).
        let cases = [
            ("/nix/store/h-glibc-2.38-44", ("glibc", "2.38-44")),
            (
                "/nix/store/h-bash-interactive-5.2p26",
                ("bash-interactive", "5.2p26"),
            ),
            ("/nix/store/h-openssl-3.0.14-bin", ("openssl", "3.0.14")),
            ("/nix/store/h-linux-firmware", ("linux", "")),
            (
                "/nix/store/h-python3.11-requests-2.31.0",
                ("python3.11-requests", "2.31.0"),
            ),
            (
                "/nix/store/h-font-bh-100dpi-1.0.3",
                ("font-bh", "100dpi-1.0.3"),
            ),
            (
                "/nix/store/h-unit-nix-daemon-.service",
                ("unit-nix-daemon", ".service"),
            ),
            ("/nix/store/h-foo-_bar", ("foo", "_bar")),
            ("/nix/store/h-zlib-1.3.1-lib64", ("zlib", "1.3.1")),
            ("/nix/store/h-etc", ("etc", "")),
            ("/nix/store/h-x-", ("x-", "")),
        ];
        for (path, want) in cases {
            assert_eq!(package(path), want, "{path}");
        }
    }
}
