//! The option contract: the NixOS option paths the generator may emit for nixpkgs
//! 26.05, with types, from `nhos-core/contract/nixos-26.05.toml`.

use super::lower::Lowered;
use super::nix::Nix;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const CONTRACT: &str = include_str!("../../contract/nixos-26.05.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct OptionSpec {
    #[serde(rename = "type")]
    pub ty: String,
    pub status: String,
    /// The file that declares the option: a path in NixOS/nixpkgs, `disko:<path>`
    /// in nix-community/disko, or `modules/…` in this repository.
    pub source: String,
    #[serde(default, rename = "before-25-11")]
    pub before_25_11: Option<String>,
    #[serde(default)]
    /// Where the option is declared, when the NixOS module that declares it is not
    /// in every system: inside another option whose value is a module
    /// (`image.modules.<name>`), or in a system that imports a nixpkgs module
    /// (`import:installer/cd-dvd/iso-image.nix`).
    pub only_in: Option<Vec<String>>,
}

/// A nixpkgs module generated files import.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleSpec {
    pub status: String,
    /// What nhos imports it for.
    #[serde(rename = "use")]
    pub used_for: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContractFile {
    options: BTreeMap<String, OptionSpec>,
    #[serde(default)]
    modules: BTreeMap<String, ModuleSpec>,
}

struct Parsed {
    options: BTreeMap<String, OptionSpec>,
    modules: BTreeMap<String, ModuleSpec>,
    /// (segments, pattern) for matching, in pattern order.
    patterns: Vec<(Vec<String>, String)>,
}

fn parsed() -> &'static Parsed {
    static C: OnceLock<Parsed> = OnceLock::new();
    C.get_or_init(|| {
        let (options, modules) = toml::from_str::<ContractFile>(CONTRACT)
            .map(|c| (c.options, c.modules))
            .unwrap_or_default();
        let patterns = options
            .keys()
            .map(|k| (k.split('.').map(str::to_owned).collect(), k.clone()))
            .collect();
        Parsed {
            options,
            modules,
            patterns,
        }
    })
}

/// The nixpkgs modules (relative to `nixos/modules`) generated files may import.
pub fn nixpkgs_modules() -> &'static BTreeMap<String, ModuleSpec> {
    &parsed().modules
}

/// The contract, parsed once.
pub fn contract() -> &'static BTreeMap<String, OptionSpec> {
    &parsed().options
}

/// The contract entry for an option path.
pub fn lookup(path: &[String]) -> Option<(&'static str, &'static OptionSpec)> {
    let c = parsed();
    c.patterns
        .iter()
        .find(|(segs, _)| {
            segs.len() == path.len() && segs.iter().zip(path).all(|(p, s)| p == "<name>" || p == s)
        })
        .map(|(_, k)| (k.as_str(), &c.options[k]))
}

fn type_ok(ty: &str, v: &Nix) -> bool {
    let v = match v {
        Nix::Call(super::nix::Func::MkForce | super::nix::Func::MkDefault, inner) => inner,
        other => other,
    };
    let item_is = |items: &[Nix], f: &dyn Fn(&Nix) -> bool| {
        items.iter().all(|i| match i {
            Nix::Commented(x, _) => f(x),
            x => f(x),
        })
    };
    match (ty, v) {
        ("bool", Nix::Bool(_)) | ("int", Nix::Int(_)) | ("str" | "lines", Nix::Str(_)) => true,
        ("path", Nix::Path(_)) | ("package", Nix::Pkg(_)) => true,
        ("attrs" | "module", Nix::Attrs(_)) => true,
        ("enum-or-bool", Nix::Bool(_) | Nix::Str(_)) => true,
        ("list-str", Nix::List(i)) => item_is(i, &|x| matches!(x, Nix::Str(_))),
        ("list-int", Nix::List(i)) => item_is(i, &|x| matches!(x, Nix::Int(_))),
        ("list-package", Nix::List(i)) => item_is(i, &|x| matches!(x, Nix::Pkg(_))),
        ("list-attrs", Nix::List(i)) => item_is(i, &|x| matches!(x, Nix::Attrs(_))),
        _ => false,
    }
}

/// Whether an option is declared in a host that imports `imports` (nixpkgs modules
/// relative to `nixos/modules`).
pub fn declared_here(spec: &OptionSpec, imports: &[String]) -> bool {
    match &spec.only_in {
        None => true,
        Some(places) => places.iter().any(|p| {
            p.strip_prefix("import:")
                .is_some_and(|m| imports.iter().any(|i| i == m))
        }),
    }
}

/// Problems with a lowered tree against the contract: unknown paths, wrong types,
/// and paths that are a prefix of another (which Nix would reject).
pub fn check(l: &Lowered) -> Vec<String> {
    let mut problems = Vec::new();
    for o in &l.options {
        let shown = o.path.join(".");
        match lookup(&o.path) {
            None => problems.push(format!(
                "{}: option `{shown}` is not in the option contract",
                l.profile
            )),
            Some((_, spec)) if !type_ok(&spec.ty, &o.value) => problems.push(format!(
                "{}: option `{shown}` should be {}, got {:?}",
                l.profile, spec.ty, o.value
            )),
            Some((_, spec)) if !declared_here(spec, &l.imports) => problems.push(format!(
                "{}: option `{shown}` exists only in {}",
                l.profile,
                spec.only_in.as_deref().unwrap_or_default().join(" or ")
            )),
            Some(_) => {}
        }
    }
    for a in &l.options {
        for b in &l.options {
            if a.path.len() < b.path.len() && b.path.starts_with(&a.path) {
                problems.push(format!(
                    "{}: `{}` is set both whole and in part",
                    l.profile,
                    a.path.join(".")
                ));
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for o in &l.options {
        if !seen.insert(&o.path) {
            problems.push(format!(
                "{}: `{}` is set twice",
                l.profile,
                o.path.join(".")
            ));
        }
    }
    problems
}

/// The path to emit for a canonical (26.05) option path on an older pin.
pub fn path_for_release(path: &[String], release: &str) -> Vec<String> {
    if release >= "25.11" {
        return path.to_vec();
    }
    match lookup(path) {
        Some((_, spec)) => spec.before_25_11.as_ref().map_or_else(
            || path.to_vec(),
            |p| p.split('.').map(str::to_owned).collect(),
        ),
        None => path.to_vec(),
    }
}
