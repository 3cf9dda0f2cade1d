//! The `load` verb: an estate directory (or tree) → a resolved [`Estate`], reporting
//! every problem at once. `check.rs` holds the checker; `estate.rs`, `profile.rs`,
//! `branding.rs` and `policy.rs` its checks of each file kind.

mod branding;
mod check;
mod estate;
#[cfg(test)]
mod example_capability;
mod policy;
mod profile;

pub use check::package_status;
use check::*;
pub(crate) use check::{is_attr_path, is_profile_name};

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

/// One file read and parsed: the file (if it could be read), its typed value (if it
/// parsed) and its diagnostics.
type ParseResult = (Option<SourceFile>, Option<Parsed>, Vec<Diagnostic>);

fn parse_one(tree: &dyn EstateTree, path: &str) -> ParseResult {
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

/// [`load_tree`], with options. The phases: list and parse the files (in
/// parallel), check each file kind, resolve inheritance, load per-profile assets,
/// then apply NixOS's own assertions to each profile's lowered tree.
pub fn load_tree_with(tree: &dyn EstateTree, opts: &LoadOptions) -> Result<Estate> {
    load_tree_in(tree, opts, Catalogue::builtin())
}

/// [`load_tree_with`] against a capability catalogue (the built-in one, or one a
/// test extends: ARCHITECTURE.md's "How to add a capability").
pub(crate) fn load_tree_in(
    tree: &dyn EstateTree,
    opts: &LoadOptions,
    catalogue: &Catalogue,
) -> Result<Estate> {
    let paths = definition_paths(tree)?;
    let results: Vec<_> =
        crate::pool::install(|| paths.par_iter().map(|p| parse_one(tree, p)).collect());
    let mut diags = Vec::new();
    let parsed = Sorted::of(results, &mut diags);
    let files = &parsed.files;

    let mut cx = Checker {
        tree,
        catalogue,
        diags: &mut diags,
        index: None,
    };
    let org_pin = parsed
        .estate
        .as_ref()
        .map(|(e, i)| cx.estate(e, &files[*i]));
    let disko_pin = (parsed.estate.as_ref()).map(|(e, i)| cx.disko(e.disko.as_ref(), &files[*i]));
    if paths.iter().all(|p| !p.starts_with("profiles/")) {
        cx.diags.push(
            Diagnostic::error(Code::NoProfiles, None, "the estate has no profiles")
                .with_hint("add at least one file `profiles/<name>.toml`"),
        );
    }
    for (name, (p, i)) in &parsed.profiles {
        cx.profile(name, p, &files[*i]);
    }
    let branding = (parsed.branding.as_ref()).map(|(b, i)| (b, &files[*i]));
    let mut branding_v = cx.branding(branding, org_pin.as_ref());
    let profile_names: BTreeSet<String> = parsed.profiles.keys().cloned().collect();
    let policy = (parsed.policy.as_ref()).map(|(p, i)| (p, &files[*i]));
    let policy_v = cx.policy(policy, &profile_names);

    let (resolved, rdiags) = resolve(&parsed.inputs(), &parsed.broken(&paths), catalogue);
    diags.extend(rdiags);
    diags.extend(crate::effect::check(&resolved));
    profile_wallpapers(tree, &parsed, &mut branding_v, &mut diags);

    sort_dedup(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Error::load(diags));
    }
    let (Some((organisation, nixpkgs, systems)), Some(disko)) = (org_pin, disko_pin) else {
        return Err(Error::load(diags));
    };
    let estate = Estate {
        organisation,
        nixpkgs,
        disko,
        systems,
        branding: branding_v,
        policy: policy_v,
        profiles: resolved,
        warnings: diags,
        files: parsed.files,
        lowered: std::sync::OnceLock::new(),
    };
    nixos_assertions(estate, opts)
}

/// The definition files of a tree, refusing a tree that is not an estate or holds
/// more profiles than nhos loads.
fn definition_paths(tree: &dyn EstateTree) -> Result<Vec<String>> {
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
    Ok(paths)
}

/// The parsed files, sorted by kind; each value carries its index in `files`.
struct Sorted {
    files: Vec<SourceFile>,
    estate: Option<(EstateFile, usize)>,
    branding: Option<(BrandingFile, usize)>,
    policy: Option<(PolicyFile, usize)>,
    profiles: BTreeMap<String, (ProfileFile, usize)>,
}

impl Sorted {
    fn of(results: Vec<ParseResult>, diags: &mut Vec<Diagnostic>) -> Sorted {
        let mut s = Sorted {
            files: Vec::new(),
            estate: None,
            branding: None,
            policy: None,
            profiles: BTreeMap::new(),
        };
        for (file, parsed, d) in results {
            diags.extend(d);
            let Some(file) = file else { continue };
            let idx = s.files.len();
            match parsed {
                Some(Parsed::Estate(e)) => s.estate = Some((e, idx)),
                Some(Parsed::Branding(b)) => s.branding = Some((b, idx)),
                Some(Parsed::Policy(p)) => s.policy = Some((p, idx)),
                Some(Parsed::Profile(name, p)) => {
                    s.profiles.insert(name, (*p, idx));
                }
                None => {}
            }
            s.files.push(file);
        }
        s
    }

    /// The profiles, as the resolver takes them.
    fn inputs(&self) -> BTreeMap<String, ProfileInput<'_>> {
        (self.profiles.iter())
            .map(|(n, (p, i))| {
                let input = ProfileInput {
                    def: p,
                    file: &self.files[*i],
                };
                (n.clone(), input)
            })
            .collect()
    }

    /// Profiles whose file exists but did not parse: references to them are not
    /// reported again as unknown.
    fn broken(&self, paths: &[String]) -> BTreeSet<String> {
        (paths.iter())
            .filter_map(|p| (p.strip_prefix("profiles/")).and_then(|n| n.strip_suffix(".toml")))
            .filter(|n| !self.profiles.contains_key(*n))
            .map(str::to_owned)
            .collect()
    }
}

/// Per-profile wallpapers (`settings.branding.wallpaper`), loaded as assets.
fn profile_wallpapers(
    tree: &dyn EstateTree,
    parsed: &Sorted,
    branding: &mut crate::model::Branding,
    diags: &mut Vec<Diagnostic>,
) {
    for (name, (p, i)) in &parsed.profiles {
        let wallpaper = p
            .settings
            .branding
            .as_ref()
            .and_then(|b| b.wallpaper.as_ref());
        let Some(w) = wallpaper else { continue };
        let loc = parsed.files[*i].location(w.span.clone());
        match load_asset(
            tree,
            "settings.branding.wallpaper",
            &w.value,
            WALLPAPER,
            loc,
        ) {
            Ok(a) => {
                branding.assets.insert(format!("wallpaper@{name}"), a);
            }
            Err(d) => diags.push(d),
        }
    }
}

fn sort_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message)));
    diags.dedup();
}

/// NixOS's own assertions, applied to what nhos will generate: a definition that
/// NixOS would refuse is refused here, at its line. Profile by profile, in
/// parallel; the trees are kept for the verbs that need them, or (keep_trees off)
/// dropped one by one, and `Estate::lowered` makes them again if needed.
fn nixos_assertions(mut estate: Estate, opts: &LoadOptions) -> Result<Estate> {
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
    sort_dedup(&mut all);
    if failed {
        return Err(Error::load(all));
    }
    estate.warnings = all;
    if opts.keep_trees {
        let _ = estate.lowered.set(trees);
    }
    Ok(estate)
}
