//! `nhos why PROFILE PATH-OR-PACKAGE`: the chain from a definition line through
//! profile, capability and package attribute to a store path of the built system,
//! and the shortest reference chain below the package. The package attributes'
//! out paths come from the generated flake (`nix eval --json
//! .#nhos.<profile>.packages`), the references from the system's closure.

use super::{Closure, name};
use crate::diagnostic::nearest;
use crate::explain::Explanation;
use crate::{Error, ErrorKind, Estate, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// The definition package a store path comes through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Through {
    /// The package attribute the generated host installs (`openconnect`).
    pub attribute: String,
    /// Its out path in the closure.
    pub path: String,
    /// Why the profile has the package: definition lines, capability, profiles.
    pub definition: Explanation,
}

/// The answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Why {
    pub profile: String,
    /// The store path asked about.
    pub target: String,
    /// The definition package it comes through, nearest first; `None` when no
    /// definition package refers to it (NixOS itself brings it).
    pub through: Option<Through>,
    /// The shortest reference chain from the package's out path (or, without a
    /// package, from the system toplevel) to the target, both included.
    pub references: Vec<String>,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}: {}", self.profile, self.target)?;
        let mut rest = self.references.iter();
        match &self.through {
            Some(t) => {
                for s in &t.definition.chain {
                    match &s.at {
                        Some(at) => writeln!(f, "  {} at {at}", s.what)?,
                        None => writeln!(f, "  {}", s.what)?,
                    }
                }
                writeln!(f, "  installs package `{}`: {}", t.attribute, t.path)?;
                rest.next();
            }
            None => {
                writeln!(
                    f,
                    "  no package of the definition refers to it: NixOS itself brings it"
                )?;
                if let Some(root) = rest.next() {
                    writeln!(f, "  system {root}")?;
                }
            }
        }
        for p in rest {
            writeln!(f, "  which refers to {p}")?;
        }
        Ok(())
    }
}

/// Why `item` — a store path, a package attribute, or a package name such as
/// `openssl` — is in the closure of `profile`'s system. `packages` maps the
/// definition's package attributes to their out paths.
pub fn why(
    estate: &Estate,
    profile: &str,
    closure: &Closure,
    packages: &BTreeMap<String, String>,
    item: &str,
) -> Result<Why> {
    let p = estate.profiles.get(profile).ok_or_else(|| {
        let hint = nearest(profile, estate.profiles.keys().map(String::as_str))
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        Error::new(ErrorKind::Usage, format!("no profile `{profile}`{hint}"))
    })?;
    let targets = targets(closure, packages, item)?;
    // Definition packages of this profile that the closure holds, by attribute.
    let sources: Vec<(usize, &str)> = p
        .packages
        .keys()
        .filter_map(|attr| Some((closure.find(packages.get(attr)?)?, attr.as_str())))
        .collect();
    let from: Vec<usize> = sources.iter().map(|(i, _)| *i).collect();
    if let Some(chain) = shortest(closure, &from, &targets) {
        let attr = sources
            .iter()
            .find(|(i, _)| *i == chain[0])
            .map(|(_, a)| *a)
            .unwrap_or_default();
        return Ok(Why {
            profile: profile.to_owned(),
            target: closure.paths[*chain.last().unwrap_or(&chain[0])]
                .path
                .clone(),
            through: Some(Through {
                attribute: attr.to_owned(),
                path: closure.paths[chain[0]].path.clone(),
                definition: crate::explain(estate, profile, attr)?,
            }),
            references: chain
                .iter()
                .map(|&i| closure.paths[i].path.clone())
                .collect(),
        });
    }
    let chain = shortest(closure, &closure.roots, &targets).unwrap_or_default();
    Ok(Why {
        profile: profile.to_owned(),
        target: chain
            .last()
            .map(|&i| closure.paths[i].path.clone())
            .unwrap_or_default(),
        through: None,
        references: chain
            .iter()
            .map(|&i| closure.paths[i].path.clone())
            .collect(),
    })
}

/// The store paths `item` names in the closure.
fn targets(
    closure: &Closure,
    packages: &BTreeMap<String, String>,
    item: &str,
) -> Result<Vec<usize>> {
    let path = packages.get(item).map_or(item, String::as_str);
    if let Some(i) = closure.find(path) {
        return Ok(vec![i]);
    }
    let by_name: Vec<usize> = (0..closure.paths.len())
        .filter(|&i| name::package(&closure.paths[i].path).0 == item)
        .collect();
    if !by_name.is_empty() {
        return Ok(by_name);
    }
    let names: Vec<&str> = closure
        .paths
        .iter()
        .map(|p| name::package(&p.path).0)
        .collect();
    let hint = nearest(item, names.iter().copied())
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Err(Error::new(
        ErrorKind::Usage,
        format!(
            "`{item}` is not a store path, package attribute or package name in this closure{hint}"
        ),
    ))
}

/// The shortest reference chain from any of `from` to any of `to` (breadth
/// first; ties go to the earlier source).
fn shortest(closure: &Closure, from: &[usize], to: &[usize]) -> Option<Vec<usize>> {
    let n = closure.paths.len();
    let mut is_target = vec![false; n];
    to.iter().for_each(|&t| is_target[t] = true);
    let mut parent = vec![usize::MAX; n];
    let mut queue = VecDeque::new();
    for &s in from {
        if parent[s] == usize::MAX {
            parent[s] = s;
            queue.push_back(s);
        }
    }
    while let Some(i) = queue.pop_front() {
        if is_target[i] {
            let mut chain = vec![i];
            let mut j = i;
            while parent[j] != j {
                j = parent[j];
                chain.push(j);
            }
            chain.reverse();
            return Some(chain);
        }
        // By name, not by hash: the same answer wherever the store is.
        let mut refs = closure.paths[i].references.clone();
        refs.sort_by_key(|&r| name::base_name(&closure.paths[r].path));
        for r in refs {
            if parent[r] == usize::MAX {
                parent[r] = i;
                queue.push_back(r);
            }
        }
    }
    None
}
