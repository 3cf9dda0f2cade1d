//! The checker the load verb runs over parsed files: values a schema cannot judge
//! (ODS codes, pins, package names, attribute paths, approvers), reported at their
//! line. The checks of each file kind are in the sibling files.

use super::*;

pub(super) struct Checker<'a> {
    pub(super) tree: &'a dyn EstateTree,
    pub(super) catalogue: &'a Catalogue,
    pub(super) diags: &'a mut Vec<Diagnostic>,
    pub(super) index: Option<BTreeSet<String>>,
}

pub(super) fn is_ods(s: &str) -> bool {
    (3..=6).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A NixOS release: "YY.05" or "YY.11".
pub(super) fn is_release(s: &str) -> bool {
    s.len() == 5
        && s.as_bytes()[2] == b'.'
        && s[..2].chars().all(|c| c.is_ascii_digit())
        && matches!(&s[3..], "05" | "11")
}

pub(super) fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

pub(super) fn is_os_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
}

/// A nixpkgs attribute path nhos can emit as `pkgs.<path>`.
pub(crate) fn is_attr_path(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            let mut cs = seg.chars();
            cs.next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && cs.all(|c| c.is_ascii_alphanumeric() || "_-'+".contains(c))
        })
}

/// A profile name: it becomes a host name and a flake attribute.
pub(crate) fn is_profile_name(s: &str) -> bool {
    let mut cs = s.chars();
    (1..=40).contains(&s.len())
        && cs.next().is_some_and(|c| c.is_ascii_lowercase())
        && cs.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
}

pub(super) const SYSTEMS: &[&str] = &["x86_64-linux", "aarch64-linux"];

/// What a valid profile name would clash with in the generated flake, if anything:
/// `hosts/default.nix` is the hosts index, and `<profile>-<system>` names the
/// configurations of the other systems.
pub(super) fn clashes(name: &str) -> Option<String> {
    if name == "default" {
        return Some("the generated hosts index (hosts/default.nix)".to_owned());
    }
    SYSTEMS
        .iter()
        .find(|s| name.ends_with(&format!("-{s}")))
        .map(|s| format!("the `<profile>-{s}` configurations the flake names for other systems"))
}

impl Checker<'_> {
    pub(super) fn invalid<T>(&mut self, file: &SourceFile, at: &At<T>, msg: String, hint: &str) {
        self.diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                Some(file.location(at.span.clone())),
                msg,
            )
            .with_hint(hint),
        );
    }

    pub(super) fn commit(&mut self, file: &SourceFile, c: &At<String>, key: &str) {
        if c.len() != 40
            || !c
                .chars()
                .all(|ch| ch.is_ascii_hexdigit() && !ch.is_ascii_uppercase())
        {
            self.invalid(
                file,
                c,
                format!("`{key}` is not a 40-character git commit"),
                "use the full lower-case hash",
            );
        }
    }

    pub(super) fn nar_hash(&mut self, file: &SourceFile, h: &At<String>, key: &str) {
        let ok = h.strip_prefix("sha256-").is_some_and(|b| {
            b.len() == 44
                && b.ends_with('=')
                && b.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c))
        });
        if !ok {
            self.invalid(
                file,
                h,
                format!("`{key}` is not an SRI sha256 hash"),
                "copy `narHash` from `nix flake metadata` (it starts with `sha256-`)",
            );
        }
    }

    pub(super) fn disko(
        &mut self,
        pin: Option<&crate::definition::DiskoPin>,
        file: &SourceFile,
    ) -> DiskoPin {
        let Some(pin) = pin else {
            return DiskoPin {
                rev: crate::definition::DISKO_RELEASE.to_owned(),
                commit: None,
                nar_hash: None,
            };
        };
        self.commit(file, &pin.commit, "disko.commit");
        if let Some(h) = &pin.nar_hash {
            self.nar_hash(file, h, "disko.nar-hash");
        }
        DiskoPin {
            rev: pin.commit.value.clone(),
            commit: Some(pin.commit.value.clone()),
            nar_hash: pin.nar_hash.as_ref().map(|h| h.value.clone()),
        }
    }

    pub(super) fn load_index(&mut self, ix: &At<String>, file: &SourceFile) {
        let loc = file.location(ix.span.clone());
        let bad = |msg: String| {
            Diagnostic::error(Code::BadPackageIndex, Some(loc.clone()), msg).with_hint(
                "write the index with `nix-env -qaP --json -f <nixpkgs> > packages.json`",
            )
        };
        let path = match confine(&ix.value) {
            Ok(p) => p,
            Err(why) => {
                self.diags
                    .push(bad(format!("`package-index` = {:?}: {why}", ix.value)));
                return;
            }
        };
        let bytes = match self.tree.read_aux(&path, MAX_INDEX_BYTES) {
            Ok(b) => b,
            Err(AssetProblem::Missing | AssetProblem::NotAFile) => {
                self.diags
                    .push(bad(format!("no package index at `{path}`")));
                return;
            }
            Err(AssetProblem::Symlink(at)) => {
                self.diags.push(bad(format!("`{at}` is a symbolic link")));
                return;
            }
            Err(AssetProblem::TooLarge(n)) => {
                self.diags.push(bad(format!(
                    "`{path}` is {n} bytes, over the {MAX_INDEX_BYTES}-byte limit"
                )));
                return;
            }
            Err(AssetProblem::Io(e)) => {
                self.diags.push(bad(format!("cannot read `{path}`: {e}")));
                return;
            }
        };
        match serde_json::from_slice::<BTreeMap<String, serde::de::IgnoredAny>>(&bytes) {
            Ok(m) => {
                let names = m
                    .into_keys()
                    .map(|k| {
                        k.strip_prefix("nixpkgs.")
                            .or_else(|| k.strip_prefix("nixos."))
                            .map(str::to_owned)
                            .unwrap_or(k)
                    })
                    .collect();
                self.index = Some(names);
            }
            Err(e) => self
                .diags
                .push(bad(format!("`{path}` is not a package index: {e}"))),
        }
    }

    pub(super) fn package(&mut self, file: &SourceFile, p: &At<String>, field: &str) {
        if !is_attr_path(&p.value) {
            self.invalid(
                file,
                p,
                format!("`{field}` entry {:?} is not a nixpkgs attribute path", p.value),
                "use the attribute name as in `pkgs.<name>`, e.g. \"firefox-esr\" or \"hunspellDicts.en_GB-ise\"",
            );
            return;
        }
        let known = self.catalogue.knows_package(&p.value)
            || self.index.as_ref().is_some_and(|ix| ix.contains(&p.value));
        if known {
            return;
        }
        let mut candidates: Vec<&str> = self.catalogue.package_names().collect();
        if let Some(ix) = &self.index {
            candidates.extend(ix.iter().map(String::as_str));
        }
        let hint = nearest(&p.value, candidates).map(|n| format!("did you mean `{n}`?"));
        let loc = Some(file.location(p.span.clone()));
        let d = if self.index.is_some() {
            Diagnostic::error(
                Code::UnknownPackage,
                loc,
                format!("package `{}` is not in the package index", p.value),
            )
        } else {
            Diagnostic::warning(
                Code::UnknownPackage,
                loc,
                format!(
                    "package `{}` is not in the nhos catalogue; it is not checked against nixpkgs",
                    p.value
                ),
            )
        };
        self.diags.push(d.with_hint(hint.unwrap_or_else(|| {
            "set `package-index` in estate.toml to check packages against your nixpkgs".to_owned()
        })));
    }
}

/// How a package attribute is known, for reports.
pub fn package_status(attr: &str) -> Option<PackageStatus> {
    Catalogue::builtin().packages.get(attr).copied()
}

/// Whether a waiver's approver names someone: a person or role of at least three
/// letters, not a placeholder.
pub(super) fn approver(s: &str) -> Result<(), &'static str> {
    let t = s.trim();
    let letters = t.chars().filter(|c| c.is_alphabetic()).count();
    const PLACEHOLDERS: &[&str] = &[
        "tbd", "tbc", "n/a", "na", "none", "todo", "unknown", "xxx", "me", "test", "someone",
        "admin", "nobody",
    ];
    if t.is_empty() {
        Err("is empty")
    } else if letters < 3 {
        Err("does not name a person or role")
    } else if PLACEHOLDERS.contains(&t.to_lowercase().as_str()) {
        Err("is a placeholder, not a person or role")
    } else {
        Ok(())
    }
}
