//! The generated tree is closed and every option it sets is known: every path a
//! generated `.nix` file refers to exists in the output, every nixpkgs module it
//! imports is in the option contract, and every option set by the hosts, the
//! modules of `modules/` and the flake's inline modules is in the contract with the
//! file that declares it. Each check is shown to fail on a broken tree.

mod common;
#[path = "common/nixast.rs"]
mod nixast;

use nhos_core::generate::{self, contract};
use nixast::{Found, Reference};
use std::collections::{BTreeMap, BTreeSet};

fn example() -> nhos_core::Generated {
    let e = nhos_core::load(common::example()).expect("example loads");
    nhos_core::generate(&e, &nhos_core::GenerateOptions::new(common::FIXED_TODAY))
        .expect("generates")
}

/// `dir/rel`, with `.` and `..` resolved; None when it leaves the tree.
fn resolve(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// What is wrong with the closure of a generated tree, and how many references
/// were followed.
fn closure_problems(files: &BTreeMap<String, Vec<u8>>) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut followed = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".nix")) {
        let text = String::from_utf8_lossy(bytes);
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        let refs = match nixast::references(&text) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{path}: does not parse: {e}"));
                continue;
            }
        };
        for r in refs {
            followed += 1;
            match r {
                Reference::Relative(rel) => match resolve(dir, &rel) {
                    Some(t) if files.contains_key(&t) => {}
                    Some(t) if files.contains_key(&format!("{t}/default.nix")) => {}
                    Some(t) => problems.push(format!(
                        "{path}: refers to {rel} ({t}), which the output does not have"
                    )),
                    None => problems.push(format!("{path}: {rel} leaves the output")),
                },
                Reference::Nixpkgs(m) => {
                    if !contract::nixpkgs_modules().contains_key(&m) {
                        problems.push(format!(
                            "{path}: imports nixpkgs module {m}, which the option contract does not list"
                        ));
                    }
                }
            }
        }
    }
    // Every module file is reachable: modules/nhos/* from its default.nix, the
    // installer from flake.nix.
    let reachable: BTreeSet<String> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".nix"))
        .flat_map(|(path, bytes)| {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
            nixast::references(&String::from_utf8_lossy(bytes))
                .unwrap_or_default()
                .into_iter()
                .filter_map(move |r| match r {
                    Reference::Relative(rel) => resolve(&dir, &rel),
                    Reference::Nixpkgs(_) => None,
                })
        })
        .flat_map(|t| [t.clone(), format!("{t}/default.nix")])
        .collect();
    for path in files.keys().filter(|p| p.starts_with("modules/")) {
        if !reachable.contains(path) {
            problems.push(format!("{path}: nothing imports it"));
        }
    }
    (problems, followed)
}

#[test]
fn the_generated_tree_is_closed() {
    let g = example();
    let (problems, followed) = closure_problems(&g.files);
    assert_eq!(problems, Vec::<String>::new());
    // Not vacuous: hosts, modules, assets, the flake and the live host's ISO module.
    assert!(followed >= 40, "only {followed} references followed");
    let nixpkgs_refs: usize = g
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".nix"))
        .map(|(_, b)| {
            nixast::references(&String::from_utf8_lossy(b))
                .expect("parses")
                .into_iter()
                .filter(|r| matches!(r, Reference::Nixpkgs(_)))
                .count()
        })
        .sum();
    assert!(
        nixpkgs_refs >= 2,
        "the live host and the installer import nixpkgs modules"
    );
}

#[test]
fn a_tree_missing_a_module_host_or_asset_is_caught() {
    let g = example();
    for missing in [
        "modules/nhos/accounts.nix",
        "modules/nhos/disks.nix",
        "modules/installer/default.nix",
        "hosts/clinical.nix",
        "outputs.nix",
    ] {
        let mut files = g.files.clone();
        assert!(files.remove(missing).is_some(), "{missing} is generated");
        let (problems, _) = closure_problems(&files);
        let dir = missing.trim_end_matches("/default.nix");
        assert!(
            problems
                .iter()
                .any(|p| p.contains(missing) || p.contains(&format!("({dir})"))),
            "leaving out {missing} went unnoticed: {problems:?}"
        );
    }
    let mut files = g.files.clone();
    let asset = files
        .keys()
        .find(|k| k.starts_with("assets/"))
        .cloned()
        .expect("an asset");
    files.remove(&asset);
    let (problems, _) = closure_problems(&files);
    assert!(problems.iter().any(|p| p.contains(&asset)), "{problems:?}");
    // A module nothing imports is caught too.
    let mut files = g.files.clone();
    files.insert("modules/nhos/orphan.nix".into(), b"{ }\n".to_vec());
    let (problems, _) = closure_problems(&files);
    assert!(
        problems.iter().any(|p| p.contains("orphan.nix")),
        "{problems:?}"
    );
}

/// Every module the generated flake ships, the flake's inline modules, and the
/// hosts, as (name, text).
fn modules_of(g: &nhos_core::Generated) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, bytes) in &g.files {
        if nixast::is_submodule_function(path) {
            continue;
        }
        if path.starts_with("modules/") && !path.ends_with("/default.nix")
            || path.starts_with("hosts/") && path != "hosts/default.nix"
            || path == "modules/installer/default.nix"
        {
            out.push((path.clone(), String::from_utf8_lossy(bytes).into_owned()));
        }
    }
    let flake = String::from_utf8_lossy(&g.files["flake.nix"]).into_owned();
    for (i, m) in nixast::flake_inline_modules(&flake)
        .expect("flake parses")
        .into_iter()
        .enumerate()
    {
        out.push((format!("flake.nix inline module {i}"), m));
    }
    out
}

fn contract_lookup(path: &[String]) -> Option<nixast::Entry> {
    contract::lookup(path).map(|(pattern, spec)| nixast::Entry {
        pattern: pattern.to_owned(),
        module: spec.ty == "module",
        only_in: spec.only_in.clone(),
    })
}

fn unknown_options(
    g: &nhos_core::Generated,
    lookup: nixast::Lookup<'_>,
) -> (Vec<String>, BTreeSet<String>) {
    let mut unknown = Vec::new();
    let mut declared = BTreeSet::new();
    for (name, text) in modules_of(g) {
        let resolve = |rel: &str| nixast::resolve_in(&g.files, &name, rel);
        for (path, found) in
            nixast::module_options_with(&text, lookup, Some(&resolve)).expect("module parses")
        {
            match found {
                Found::Declared(p) => {
                    declared.insert(p);
                }
                Found::Unknown => unknown.push(format!("{name}: {}", path.join("."))),
                Found::OutOfPlace(p) => unknown.push(format!(
                    "{name}: {} is declared only inside another option ({p})",
                    path.join(".")
                )),
            }
        }
    }
    (unknown, declared)
}

#[test]
fn every_option_the_modules_and_hosts_set_is_in_the_contract() {
    let g = example();
    let (unknown, declared) = unknown_options(&g, &contract_lookup);
    assert_eq!(unknown, Vec::<String>::new());
    // The walk reaches the modules' own settings, not only the hosts'.
    for want in [
        "security.pam.services.<name>.rules",
        "users.users.<name>.password",
        "services.cage.program",
        "system.autoUpgrade.flake",
        "isoImage.storeContents",
        "systemd.services.<name>.script",
        "image.modules.<name>",
        "disko.enableConfig",
        "virtualisation.memorySize",
        "nixpkgs.hostPlatform",
        "nhos.installer.target",
        "disko.devices.disk.<name>",
    ] {
        assert!(declared.contains(want), "{want} not reached: {declared:?}");
    }
}

#[test]
fn every_contract_entry_names_the_file_that_declares_it() {
    for (pattern, spec) in contract::contract() {
        let ok = match spec.status.as_str() {
            "verified" | "verified-older" => {
                (spec.source.starts_with("nixos/modules/")
                    || spec.source.starts_with("nixos/lib/")
                    || spec.source.starts_with("disko:"))
                    && spec.source.ends_with(".nix")
            }
            "nhos" => {
                spec.source.starts_with("modules/")
                    && common::repo_root().join(&spec.source).is_file()
            }
            _ => false,
        };
        assert!(
            ok,
            "{pattern}: status {:?}, source {:?}",
            spec.status, spec.source
        );
    }
}

#[test]
fn a_contract_without_an_entry_fails_the_module_check() {
    let g = example();
    for removed in [
        "services.cage.program",
        "system.autoUpgrade.flake",
        "isoImage.storeContents",
        "disko.enableConfig",
    ] {
        let lookup = |path: &[String]| contract_lookup(path).filter(|e| e.pattern != removed);
        let (unknown, _) = unknown_options(&g, &lookup);
        assert!(
            unknown.iter().any(|u| u.ends_with(removed)),
            "removing {removed} from the contract went unnoticed: {unknown:?}"
        );
    }
    let _ = generate::MODULES;
}

#[test]
fn an_option_set_where_its_module_is_not_imported_is_caught() {
    // image.baseName and isoImage.* exist only where an image module is imported
    // (nixpkgs' module list has neither file-options.nix nor iso-image.nix).
    let plain = "{ lib, ... }: { image.baseName = lib.mkForce \"x\"; isoImage.volumeID = \"X\"; }";
    let found = nixast::module_options(plain, &contract_lookup).expect("parses");
    assert_eq!(
        found
            .iter()
            .filter(|(_, f)| matches!(f, Found::OutOfPlace(_)))
            .count(),
        2,
        "{found:?}"
    );
    let live = "{ lib, modulesPath, ... }: { imports = [ (modulesPath + \"/installer/cd-dvd/iso-image.nix\") ]; image.baseName = lib.mkForce \"x\"; isoImage.volumeID = \"X\"; }";
    let found = nixast::module_options(live, &contract_lookup).expect("parses");
    assert!(
        found.iter().all(|(_, f)| matches!(f, Found::Declared(_))),
        "{found:?}"
    );
    let variant =
        "{ lib, ... }: { image.modules.qemu-efi = { image.baseName = lib.mkForce \"x\"; }; }";
    let found = nixast::module_options(variant, &contract_lookup).expect("parses");
    assert!(
        found.iter().all(|(_, f)| matches!(f, Found::Declared(_))),
        "{found:?}"
    );
    // The lowering's own check applies the same rule to a host tree.
    let e = nhos_core::load(common::example()).expect("loads");
    let mut l = e.lowered()["clinical"].clone();
    l.options.push(nhos_core::generate::lower::Opt {
        path: vec!["image".into(), "baseName".into()],
        value: nhos_core::generate::nix::Nix::str("x"),
        comment: None,
    });
    assert!(
        contract::check(&l)
            .iter()
            .any(|p| p.contains("image.baseName") && p.contains("exists only in")),
        "{:?}",
        contract::check(&l)
    );
    assert_eq!(contract::check(&e.lowered()["dr"]), Vec::<String>::new());
}
