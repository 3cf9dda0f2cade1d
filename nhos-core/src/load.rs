//! The `load` verb: an estate directory (or tree) → a resolved [`Estate`], reporting
//! every problem at once.

use crate::assets::{AssetRule, LOGO, SPLASH, WALLPAPER, confine, load_asset};
use crate::at::At;
use crate::catalogue::{Catalogue, PackageStatus};
use crate::definition::{BrandingFile, EstateFile, PolicyFile, ProfileFile};
use crate::diagnostic::{Code, Diagnostic, nearest};
use crate::error::{Error, Result};
use crate::model::{
    Branding, DiskoPin, Estate, Organisation, Origin, Pin, Policy, Valued, Via, Waiver,
};
use crate::parse::{decode, parse_file};
use crate::resolve::{ProfileInput, resolve};
use crate::schema::FileKind;
use crate::source::{Location, SourceFile};
use crate::tree::{AssetProblem, DirTree, EstateTree};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The largest package index nhos reads (the full nixpkgs index is about 40 MB).
const MAX_INDEX_BYTES: u64 = 256 << 20;

/// Loads the estate in directory `dir`.
pub fn load(dir: impl AsRef<Path>) -> Result<Estate> {
    load_with(dir, &LoadOptions::default())
}

/// How [`load_with`] loads.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Keep each profile's option tree, made while checking NixOS's invariants, for
    /// validate, generate and plan (so they lower nothing again). Without it (a
    /// definition check of a large estate), trees are checked one at a time and
    /// dropped, and memory stays per profile small; [`Estate::lowered`] makes them
    /// again if a verb needs them.
    pub keep_trees: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { keep_trees: true }
    }
}

/// [`load`], with options.
pub fn load_with(dir: impl AsRef<Path>, opts: &LoadOptions) -> Result<Estate> {
    let dir = dir.as_ref();
    match std::fs::metadata(dir) {
        // An unreadable directory is a permission error, not "no estate.toml".
        Ok(m) if m.is_dir() => match std::fs::read_dir(dir) {
            Ok(_) => load_tree_with(&DirTree::new(dir), opts),
            Err(e) => Err(Error::io(dir.display(), &e)),
        },
        Ok(_) => Err(Error::new(
            crate::ErrorKind::Usage,
            format!("{}: not a directory", dir.display()),
        )),
        Err(e) => Err(Error::io(dir.display(), &e)),
    }
}

enum Parsed {
    Estate(EstateFile),
    Branding(BrandingFile),
    Policy(PolicyFile),
    Profile(String, Box<ProfileFile>),
}

fn kind_of(path: &str) -> FileKind {
    match path {
        "estate.toml" => FileKind::Estate,
        "branding.toml" => FileKind::Branding,
        "policy.toml" => FileKind::Policy,
        _ => FileKind::Profile,
    }
}

fn parse_one(
    tree: &dyn EstateTree,
    path: &str,
) -> (Option<SourceFile>, Option<Parsed>, Vec<Diagnostic>) {
    let bytes = match tree.read(path) {
        Ok(b) => b,
        Err(e) => {
            return (
                None,
                None,
                vec![
                    Diagnostic::error(
                        Code::Io,
                        Some(Location::file(path)),
                        format!("cannot read `{path}`: {e}"),
                    )
                    .with_hint(
                        if e.kind() == std::io::ErrorKind::InvalidInput {
                            "replace it with a regular file inside the estate"
                        } else {
                            "check that the file exists and can be read"
                        },
                    ),
                ],
            );
        }
    };
    let file = match decode(path, bytes) {
        Ok(f) => f,
        Err(d) => return (None, None, vec![d]),
    };
    let kind = kind_of(path);
    let (parsed, diags) = match kind {
        FileKind::Estate => {
            let (v, d) = parse_file::<EstateFile>(&file, kind);
            (v.map(Parsed::Estate), d)
        }
        FileKind::Branding => {
            let (v, d) = parse_file::<BrandingFile>(&file, kind);
            (v.map(Parsed::Branding), d)
        }
        FileKind::Policy => {
            let (v, d) = parse_file::<PolicyFile>(&file, kind);
            (v.map(Parsed::Policy), d)
        }
        FileKind::Profile => {
            let name = path
                .trim_start_matches("profiles/")
                .trim_end_matches(".toml")
                .to_owned();
            let (v, d) = parse_file::<ProfileFile>(&file, kind);
            (v.map(|p| Parsed::Profile(name, Box::new(p))), d)
        }
    };
    (Some(file), parsed, diags)
}

/// The most profiles one estate may have (the national benchmark's largest estate
/// has 22,500).
pub const MAX_PROFILES: usize = 25_000;

/// Loads an estate from any [`EstateTree`].
pub fn load_tree(tree: &dyn EstateTree) -> Result<Estate> {
    load_tree_with(tree, &LoadOptions::default())
}

/// [`load_tree`], with options.
pub fn load_tree_with(tree: &dyn EstateTree, opts: &LoadOptions) -> Result<Estate> {
    let paths = tree.definition_files().map_err(|e| {
        if e.kind() == std::io::ErrorKind::InvalidInput {
            Error::load(vec![
                Diagnostic::error(
                    Code::Io,
                    Some(Location::file("profiles")),
                    format!("cannot read `profiles`: {e}"),
                )
                .with_hint("make `profiles` a directory of the estate"),
            ])
        } else {
            Error::io("estate directory", &e)
        }
    })?;
    if !paths.iter().any(|p| p == "estate.toml") {
        return Err(Error::load(vec![
            Diagnostic::error(Code::NotAnEstate, None, "this directory has no `estate.toml`, so it is not an estate")
                .with_hint("run nhos on the estate's top directory, or start one from `examples/example-valley`"),
        ]));
    }
    let profile_files = paths.iter().filter(|p| p.starts_with("profiles/")).count();
    if profile_files > MAX_PROFILES {
        return Err(Error::load(vec![
            Diagnostic::error(
                Code::InvalidValue,
                Some(Location::file("profiles")),
                format!("the estate has {profile_files} profiles; nhos loads at most {MAX_PROFILES} in one estate"),
            )
            .with_hint("split the estate: one estate per organisation, each with its own profiles"),
        ]));
    }
    let results: Vec<_> =
        crate::pool::install(|| paths.par_iter().map(|p| parse_one(tree, p)).collect());

    let mut diags = Vec::new();
    let mut files = Vec::new();
    let (mut estate, mut branding, mut policy) = (None, None, None);
    let mut profiles: BTreeMap<String, (ProfileFile, usize)> = BTreeMap::new();
    for (file, parsed, d) in results {
        diags.extend(d);
        let Some(file) = file else { continue };
        let idx = files.len();
        match parsed {
            Some(Parsed::Estate(e)) => estate = Some((e, idx)),
            Some(Parsed::Branding(b)) => branding = Some((b, idx)),
            Some(Parsed::Policy(p)) => policy = Some((p, idx)),
            Some(Parsed::Profile(name, p)) => {
                profiles.insert(name, (*p, idx));
            }
            None => {}
        }
        files.push(file);
    }

    let catalogue = Catalogue::builtin();
    let mut cx = Checker {
        tree,
        catalogue,
        diags: &mut diags,
        index: None,
    };

    let org_pin = estate.as_ref().map(|(e, i)| cx.estate(e, &files[*i]));
    let disko_pin = estate
        .as_ref()
        .map(|(e, i)| cx.disko(e.disko.as_ref(), &files[*i]));
    let profile_names: BTreeSet<String> = profiles.keys().cloned().collect();
    if paths.iter().all(|p| !p.starts_with("profiles/")) {
        cx.diags.push(
            Diagnostic::error(Code::NoProfiles, None, "the estate has no profiles")
                .with_hint("add at least one file `profiles/<name>.toml`"),
        );
    }
    for (name, (p, i)) in &profiles {
        cx.profile(name, p, &files[*i]);
    }
    let branding_v = cx.branding(
        branding.as_ref().map(|(b, i)| (b, &files[*i])),
        org_pin.as_ref(),
    );
    let policy_v = cx.policy(
        policy.as_ref().map(|(p, i)| (p, &files[*i])),
        &profile_names,
    );

    let inputs: BTreeMap<String, ProfileInput<'_>> = profiles
        .iter()
        .map(|(n, (p, i))| {
            (
                n.clone(),
                ProfileInput {
                    def: p,
                    file: &files[*i],
                },
            )
        })
        .collect();
    let broken: BTreeSet<String> = paths
        .iter()
        .filter_map(|p| {
            p.strip_prefix("profiles/")
                .and_then(|n| n.strip_suffix(".toml"))
        })
        .filter(|n| !profiles.contains_key(*n))
        .map(str::to_owned)
        .collect();
    let (resolved, rdiags) = resolve(&inputs, &broken, catalogue);
    diags.extend(rdiags);
    diags.extend(crate::effect::check(&resolved));

    // Per-profile wallpapers.
    let mut branding_v = branding_v;
    for (name, (p, i)) in &profiles {
        if let Some(w) = p
            .settings
            .branding
            .as_ref()
            .and_then(|b| b.wallpaper.as_ref())
        {
            let loc = files[*i].location(w.span.clone());
            match load_asset(
                tree,
                "settings.branding.wallpaper",
                &w.value,
                WALLPAPER,
                loc,
            ) {
                Ok(a) => {
                    branding_v.assets.insert(format!("wallpaper@{name}"), a);
                }
                Err(d) => diags.push(d),
            }
        }
    }

    diags.sort_by(|a, b| (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message)));
    diags.dedup();
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Error::load(diags));
    }
    let (Some((organisation, nixpkgs, systems)), Some(disko)) = (org_pin, disko_pin) else {
        return Err(Error::load(diags));
    };
    let mut estate = Estate {
        organisation,
        nixpkgs,
        disko,
        systems,
        branding: branding_v,
        policy: policy_v,
        profiles: resolved,
        warnings: diags,
        files,
        lowered: std::sync::OnceLock::new(),
    };
    // NixOS's own assertions, applied to what nhos will generate: a definition that
    // NixOS would refuse is refused here, at its line. Profile by profile, in
    // parallel; the trees are kept for the verbs that need them, or (keep_trees
    // off) dropped one by one, and Estate::lowered makes them again if needed.
    type Tree = Option<(String, crate::generate::lower::Lowered)>;
    let concrete: Vec<&crate::model::Profile> = estate.concrete_profiles().collect();
    let checked: Vec<(Vec<Diagnostic>, Tree)> = crate::pool::install(|| {
        concrete
            .par_iter()
            .map(|p| {
                let mut l = crate::generate::lower::lower(&estate, p);
                l.finish();
                let d = crate::generate::invariants::check(&estate, p, &l);
                (d, opts.keep_trees.then(|| (p.name.clone(), l)))
            })
            .collect()
    });
    let mut refused: Vec<Diagnostic> = Vec::new();
    let mut trees = BTreeMap::new();
    for (d, tree) in checked {
        refused.extend(d);
        if let Some((name, l)) = tree {
            trees.insert(name, l);
        }
    }
    let failed = refused.iter().any(Diagnostic::is_error);
    let mut all = std::mem::take(&mut estate.warnings);
    all.extend(refused);
    all.sort_by(|a, b| (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message)));
    all.dedup();
    if failed {
        return Err(Error::load(all));
    }
    estate.warnings = all;
    if opts.keep_trees {
        let _ = estate.lowered.set(trees);
    }
    Ok(estate)
}

struct Checker<'a> {
    tree: &'a dyn EstateTree,
    catalogue: &'a Catalogue,
    diags: &'a mut Vec<Diagnostic>,
    index: Option<BTreeSet<String>>,
}

fn is_ods(s: &str) -> bool {
    (3..=6).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A NixOS release: "YY.05" or "YY.11".
fn is_release(s: &str) -> bool {
    s.len() == 5
        && s.as_bytes()[2] == b'.'
        && s[..2].chars().all(|c| c.is_ascii_digit())
        && matches!(&s[3..], "05" | "11")
}

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

fn is_os_id(s: &str) -> bool {
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

const SYSTEMS: &[&str] = &["x86_64-linux", "aarch64-linux"];

/// What a valid profile name would clash with in the generated flake, if anything:
/// `hosts/default.nix` is the hosts index, and `<profile>-<system>` names the
/// configurations of the other systems.
fn clashes(name: &str) -> Option<String> {
    if name == "default" {
        return Some("the generated hosts index (hosts/default.nix)".to_owned());
    }
    SYSTEMS
        .iter()
        .find(|s| name.ends_with(&format!("-{s}")))
        .map(|s| format!("the `<profile>-{s}` configurations the flake names for other systems"))
}

impl Checker<'_> {
    fn invalid<T>(&mut self, file: &SourceFile, at: &At<T>, msg: String, hint: &str) {
        self.diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                Some(file.location(at.span.clone())),
                msg,
            )
            .with_hint(hint),
        );
    }

    fn estate(&mut self, e: &EstateFile, file: &SourceFile) -> (Organisation, Pin, Vec<String>) {
        let org = &e.organisation;
        if !is_ods(&org.ods_code) {
            self.invalid(
                file,
                &org.ods_code,
                format!(
                    "`organisation.ods-code` = {:?} is not an ODS code",
                    org.ods_code.value
                ),
                "an ODS code is 3 to 6 upper-case letters and digits, e.g. \"RXX\"",
            );
        }
        let pin = &e.nixpkgs;
        let rel = &pin.release.value;
        let ok_release = is_release(rel);
        if !ok_release {
            self.invalid(
                file,
                &pin.release,
                format!("`nixpkgs.release` = {rel:?} is not a NixOS release"),
                "use a release such as \"26.05\" (YY.05 or YY.11)",
            );
        }
        if let Some(c) = &pin.commit {
            self.commit(file, c, "nixpkgs.commit");
        }
        if let Some(h) = &pin.nar_hash {
            self.nar_hash(file, h, "nixpkgs.nar-hash");
            if pin.commit.is_none() {
                self.invalid(
                    file,
                    h,
                    "`nixpkgs.nar-hash` without `nixpkgs.commit`".into(),
                    "add the commit the hash belongs to",
                );
            }
        }
        let state_version = match &pin.state_version {
            Some(sv) => {
                let ok =
                    is_release(&sv.value) && (!ok_release || sv.value.as_str() <= rel.as_str());
                if !ok {
                    self.diags.push(
                        Diagnostic::error(
                            Code::StateVersion,
                            Some(file.location(sv.span.clone())),
                            format!(
                                "`nixpkgs.state-version` = {:?} is not a NixOS release at or before the pinned {rel:?}",
                                sv.value
                            ),
                        )
                        .with_hint(
                            "system.stateVersion is the release the devices were first installed with (\"YY.05\" or \"YY.11\"); it never moves ahead of the pin and never changes on upgrade (nixos/modules/misc/version.nix)",
                        ),
                    );
                }
                (sv.value.clone(), file.location(sv.span.clone()))
            }
            None => (rel.clone(), file.location(pin.release.span.clone())),
        };
        let mut systems: Vec<String> = Vec::new();
        for s in &e.systems {
            if SYSTEMS.contains(&s.value.as_str()) {
                // The first system written is the estate's primary one: keep the order.
                if !systems.contains(&s.value) {
                    systems.push(s.value.clone());
                }
            } else {
                let hint = nearest(&s.value, SYSTEMS.iter().copied())
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("supported: {}", SYSTEMS.join(", ")));
                self.invalid(file, s, format!("unsupported system {:?}", s.value), &hint);
            }
        }
        if systems.is_empty() {
            systems.push("x86_64-linux".to_owned());
        }
        if let Some(ix) = &e.package_index {
            self.load_index(ix, file);
        }
        (
            Organisation {
                name: org.name.value.clone(),
                ods_code: org.ods_code.value.clone(),
                nhs_identity: org.nhs_identity.as_ref().is_some_and(|b| b.value),
                location: file.location(org.name.span.clone()),
            },
            Pin {
                release: pin.release.value.clone(),
                location: file.location(pin.release.span.clone()),
                commit: pin.commit.as_ref().map(|c| c.value.clone()),
                nar_hash: pin.nar_hash.as_ref().map(|h| h.value.clone()),
                state_version: state_version.0,
                state_version_location: state_version.1,
            },
            systems,
        )
    }

    fn commit(&mut self, file: &SourceFile, c: &At<String>, key: &str) {
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

    fn nar_hash(&mut self, file: &SourceFile, h: &At<String>, key: &str) {
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

    fn disko(&mut self, pin: Option<&crate::definition::DiskoPin>, file: &SourceFile) -> DiskoPin {
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

    fn load_index(&mut self, ix: &At<String>, file: &SourceFile) {
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

    fn package(&mut self, file: &SourceFile, p: &At<String>, field: &str) {
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

    fn profile(&mut self, name: &str, p: &ProfileFile, file: &SourceFile) {
        if !is_profile_name(name) {
            self.diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    Some(Location {
                        line: 1,
                        column: 1,
                        ..Location::file(file.path.clone())
                    }),
                    format!("profile name `{name}` (from the file name) is not allowed"),
                )
                .with_hint(
                    "rename the file: lower-case letters, digits and `-`, starting with a letter",
                ),
            );
        } else if let Some(why) = clashes(name) {
            self.diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    Some(Location {
                        line: 1,
                        column: 1,
                        ..Location::file(file.path.clone())
                    }),
                    format!("profile name `{name}` would clash with {why}"),
                )
                .with_hint("rename the file"),
            );
        }
        for c in p.capabilities.add.iter().chain(&p.capabilities.remove) {
            if !self.catalogue.capabilities.contains_key(c.value.as_str()) {
                let hint = nearest(
                    &c.value,
                    self.catalogue.capabilities.keys().map(String::as_str),
                )
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "known capabilities: {}",
                        self.catalogue
                            .capabilities
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                self.diags.push(
                    Diagnostic::error(
                        Code::UnknownCapability,
                        Some(file.location(c.span.clone())),
                        format!("unknown capability `{}`", c.value),
                    )
                    .with_hint(hint),
                );
            }
        }
        crate::setting_checks::check(p, file, self.diags);
        for pkg in &p.packages.add {
            self.package(file, pkg, "packages.add");
        }
        for pkg in &p.packages.remove {
            self.package(file, pkg, "packages.remove");
        }
        if p.profile.is_abstract && p.outputs.is_some() {
            self.diags.push(Diagnostic::warning(
                Code::InvalidValue,
                Some(Location {
                    line: 1,
                    column: 1,
                    ..Location::file(file.path.clone())
                }),
                format!("abstract profile `{name}` declares outputs; they are ignored"),
            ));
        }
        if !p.profile.is_abstract && p.profile.role.is_none() {
            self.diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    Some(Location { line: 1, column: 1, ..Location::file(file.path.clone()) }),
                    format!("profile `{name}` has no `role`"),
                )
                .with_hint("set `profile.role` (admin, clinical, analyst, dr, kiosk, server) or mark it `abstract = true`"),
            );
        }
    }

    fn branding(
        &mut self,
        b: Option<(&BrandingFile, &SourceFile)>,
        org: Option<&(Organisation, Pin, Vec<String>)>,
    ) -> Branding {
        let default = BrandingFile::default();
        let (b, file) = match b {
            Some((b, f)) => (b, Some(f)),
            None => (&default, None),
        };
        let val = |at: &Option<At<String>>, dflt: &str| -> Valued<String> {
            match (at, file) {
                (Some(a), Some(f)) => Valued {
                    value: a.value.clone(),
                    origin: Origin::new(Via::Branding, f.location(a.span.clone())),
                },
                _ => Valued {
                    value: dflt.to_owned(),
                    origin: Origin::new(Via::Default, Location::builtin("branding")),
                },
            }
        };
        let org_name = org.map_or("nhos", |o| o.0.name.as_str());
        let os_name = val(&b.os_name, "nhos desktop");
        let os_id = val(&b.os_id, "nhos");
        if let (Some(f), Some(id)) = (file, &b.os_id)
            && !is_os_id(id)
        {
            self.invalid(
                f,
                id,
                format!(
                    "`os-id` = {:?} may only hold lower-case letters, digits, `.`, `_` and `-`",
                    id.value
                ),
                "e.g. \"valley-desktop\"",
            );
        }
        let vendor = val(&b.vendor, org_name);
        let iso = val(&b.iso_volume_id, "NHOS");
        let base = val(&b.image_base_name, &os_id.value);
        if let (Some(f), Some(n)) = (file, &b.image_base_name)
            && !is_os_id(n)
        {
            self.invalid(
                f,
                n,
                format!("`image-base-name` = {:?} is not a safe file name", n.value),
                "use lower-case letters, digits, `.`, `_` and `-`",
            );
        }
        let mut colours = BTreeMap::new();
        for (role, at) in [
            ("accent", &b.colours.accent),
            ("background", &b.colours.background),
            ("banner-text", &b.colours.banner_text),
            ("banner-background", &b.colours.banner_background),
        ] {
            let dflt = match role {
                "accent" | "background" | "banner-background" => "#005EB8",
                _ => "#FFFFFF",
            };
            let v = val(at, dflt);
            if let (Some(f), Some(a)) = (file, at)
                && !is_hex_colour(a)
            {
                self.invalid(
                    f,
                    a,
                    format!("`colours.{role}` = {:?} is not a colour", a.value),
                    "write colours as `#RRGGBB`, e.g. \"#005EB8\"",
                );
                continue;
            }
            colours.insert(
                role.to_owned(),
                Valued {
                    value: v.value.to_ascii_uppercase(),
                    origin: v.origin,
                },
            );
        }
        let mut assets = BTreeMap::new();
        if let Some(f) = file {
            let list: [(&str, &Option<At<String>>, AssetRule); 3] = [
                ("wallpaper", &b.assets.wallpaper, WALLPAPER),
                ("logo", &b.assets.logo, LOGO),
                ("boot-splash", &b.assets.boot_splash, SPLASH),
            ];
            for (role, at, rule) in list {
                if let Some(a) = at {
                    match load_asset(
                        self.tree,
                        &format!("assets.{role}"),
                        &a.value,
                        rule,
                        f.location(a.span.clone()),
                    ) {
                        Ok(asset) => {
                            assets.insert(role.to_owned(), asset);
                        }
                        Err(d) => self.diags.push(d),
                    }
                }
            }
            for p in &b.fonts.packages {
                self.package(f, p, "fonts.packages");
            }
        }
        let font_packages = match file {
            Some(f) if !b.fonts.packages.is_empty() => b
                .fonts
                .packages
                .iter()
                .map(|p| Valued {
                    value: p.value.clone(),
                    origin: Origin::new(Via::Branding, f.location(p.span.clone())),
                })
                .collect(),
            _ => vec![Valued {
                value: "liberation_ttf".to_owned(),
                origin: Origin::new(Via::Default, Location::builtin("branding")),
            }],
        };
        Branding {
            os_name,
            os_id,
            vendor,
            iso_volume_id: iso,
            image_base_name: base,
            login_banner: match (&b.login_banner, file) {
                (Some(a), Some(f)) => Some(Valued {
                    value: a.value.clone(),
                    origin: Origin::new(Via::Branding, f.location(a.span.clone())),
                }),
                _ => None,
            },
            colours,
            assets,
            font_sans: val(&b.fonts.sans, "Liberation Sans"),
            font_packages,
        }
    }

    fn policy(
        &mut self,
        p: Option<(&PolicyFile, &SourceFile)>,
        profiles: &BTreeSet<String>,
    ) -> Policy {
        let Some((p, file)) = p else {
            return Policy {
                rule_pack: "nhs-desktop-baseline".into(),
                parameters: BTreeMap::new(),
                waivers: Vec::new(),
            };
        };
        if let Some(rp) = &p.rule_pack
            && rp.value != "nhs-desktop-baseline"
        {
            self.invalid(
                file,
                rp,
                format!("unknown rule pack {:?}", rp.value),
                "the built-in rule pack is \"nhs-desktop-baseline\"",
            );
        }
        let mut parameters = BTreeMap::new();
        if let Some(params) = &p.parameters {
            let mut raw = Vec::new();
            params.flatten_into(&mut raw);
            for r in raw {
                parameters.insert(
                    r.key.into_owned(),
                    Valued {
                        value: r.value,
                        origin: Origin::new(Via::Policy, file.location(r.span)),
                    },
                );
            }
        }
        let mut waivers = Vec::new();
        let mut ids = BTreeSet::new();
        for w in &p.waivers {
            if !ids.insert(w.id.value.clone()) {
                self.invalid(
                    file,
                    &w.id,
                    format!("waiver ID {:?} is used twice", w.id.value),
                    "give each waiver its own ID",
                );
            }
            if crate::rules::rule(&w.rule.value).is_none() {
                let hint = nearest(&w.rule.value, crate::rules::rule_ids())
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| {
                        "rules are R1 to R38, the branding rules B1 to B5 and C1 (see docs/rules.md)".to_owned()
                    });
                self.invalid(
                    file,
                    &w.rule,
                    format!(
                        "waiver {} names unknown rule {:?}",
                        w.id.value, w.rule.value
                    ),
                    &hint,
                );
            }
            for prof in &w.profiles {
                if !profiles.contains(&prof.value) {
                    let hint = nearest(&prof.value, profiles.iter().map(String::as_str))
                        .map(|n| format!("did you mean `{n}`?"))
                        .unwrap_or_else(|| "name profiles by their file name".to_owned());
                    self.invalid(
                        file,
                        prof,
                        format!(
                            "waiver {} names unknown profile {:?}",
                            w.id.value, prof.value
                        ),
                        &hint,
                    );
                }
            }
            if w.justification.trim().is_empty() {
                self.invalid(
                    file,
                    &w.justification,
                    format!("waiver {} has an empty `justification`", w.id.value),
                    "a waiver must say why the risk is accepted",
                );
            }
            if let Err(why) = approver(&w.approver.value) {
                self.invalid(
                    file,
                    &w.approver,
                    format!(
                        "waiver {}: `approver` = {:?} {why}",
                        w.id.value, w.approver.value
                    ),
                    "name the person or role who accepted the risk, e.g. \"Chief Information Security Officer\" or \"Dr Jane Smith, SIRO\"",
                );
            }
            if let Some(a) = &w.approved
                && a.value > w.expires.value
            {
                self.invalid(
                        file,
                        a,
                        format!(
                            "waiver {} was approved on {} but expires before, on {}",
                            w.id.value, a.value, w.expires.value
                        ),
                        "check the dates: `approved` is the day the risk was accepted, `expires` its last day",
                    );
            }
            let mut accepts = BTreeMap::new();
            if let Some(acc) = &w.accepts {
                if acc.value.is_empty() {
                    self.invalid(
                        file,
                        acc,
                        format!("waiver {} has an empty `accepts`", w.id.value),
                        "name the settings and the values the waiver accepts, or leave `accepts` out",
                    );
                }
                for (key, v) in &acc.value {
                    let known = crate::definition::SETTINGS.iter().any(|s| s.key == key);
                    if !known {
                        let hint = nearest(key, crate::definition::SETTINGS.iter().map(|s| s.key))
                            .map(|n| format!("did you mean `{n}`?"))
                            .unwrap_or_else(|| "name a setting key, e.g. \"screen.idle-delay\" (see docs/definition.md)".to_owned());
                        self.diags.push(
                            Diagnostic::error(
                                Code::UnknownKey,
                                Some(file.location(acc.span.clone())),
                                format!("waiver {} accepts unknown setting `{key}`", w.id.value),
                            )
                            .with_hint(hint),
                        );
                    }
                    accepts.insert(key.clone(), v.canonical());
                }
            }
            waivers.push(Waiver {
                id: w.id.value.clone(),
                rule: w.rule.value.clone(),
                profiles: w.profiles.iter().map(|p| p.value.clone()).collect(),
                justification: w.justification.value.clone(),
                approver: w.approver.value.clone(),
                approved: w.approved.as_ref().map(|a| a.value),
                expires: w.expires.value,
                accepts,
                location: file.location(w.id.span.clone()),
            });
        }
        Policy {
            rule_pack: "nhs-desktop-baseline".into(),
            parameters,
            waivers,
        }
    }
}

/// How a package attribute is known, for reports.
pub fn package_status(attr: &str) -> Option<PackageStatus> {
    Catalogue::builtin().packages.get(attr).copied()
}

/// Whether a waiver's approver names someone: a person or role of at least three
/// letters, not a placeholder.
fn approver(s: &str) -> Result<(), &'static str> {
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
