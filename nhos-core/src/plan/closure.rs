//! A plan joined to the built systems (`nhos plan OLD NEW --closure OLD NEW`):
//! every store path the change adds to or removes from one profile's system is
//! attributed to the definition change that put it there or took it away.
//!
//! A path belongs to a package the definition added (or removed) when the system
//! reaches it only through that package's out path: the paths that would go if the
//! change were reverted. Paths that several such packages share, together, are
//! shared; the rest belong to packages the definition keeps (their builds changed
//! with nixpkgs), else to NixOS itself and the settings. For each package of the
//! closure in a group, the shortest reference chain from where the group starts.

use super::Source;
use crate::closure::{Closure, name};
use crate::model::Profile;
use crate::{Error, ErrorKind, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet, VecDeque};

/// What the plan's change did to one profile's built system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ClosureImpact {
    pub profile: String,
    pub paths_added: usize,
    pub paths_removed: usize,
    pub size_delta: i64,
    /// The groups, definition changes first (added, then removed, by attribute),
    /// then shared paths, kept packages and NixOS itself; empty groups left out.
    pub groups: Vec<Attribution>,
}

/// The paths one cause adds and removes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attribution {
    pub cause: ImpactCause,
    pub paths_added: usize,
    pub size_added: u64,
    pub paths_removed: usize,
    pub size_removed: u64,
    /// The packages of the closure among those paths, by name.
    pub packages: Vec<Traced>,
}

/// Where a group of closure changes comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ImpactCause {
    /// A package attribute the definition adds to the profile, and the line.
    PackageAdded { attribute: String, source: Source },
    /// A package attribute the definition removes, and the line that had it.
    PackageRemoved { attribute: String, source: Source },
    /// Paths only the added (or removed) packages bring, but more than one.
    Shared { attributes: Vec<String> },
    /// Packages the definition keeps whose builds changed (nixpkgs, overlays).
    Kept,
    /// Neither: NixOS itself and the profile's settings.
    System,
}

/// One package of the closure in a group, with the reference chain (store path
/// names without hashes) from where the group starts to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Traced {
    /// `name version`.
    pub package: String,
    /// `added` (on the new system) or `removed` (from the old one).
    pub change: String,
    pub chain: Vec<String>,
}

/// One side's view: its closure, the paths the other side lacks, the changed
/// definition packages (attribute, index) and the kept ones' indices.
struct Sided<'a> {
    c: &'a Closure,
    fresh: Vec<bool>,
    changed: Vec<(&'a str, usize)>,
    kept: Vec<usize>,
}

/// The indices a walk from `starts` reaches without entering `skip`.
fn reach(c: &Closure, starts: &[usize], skip: &[bool]) -> Vec<bool> {
    let mut seen = vec![false; c.paths.len()];
    let mut stack: Vec<usize> = starts.iter().copied().filter(|&s| !skip[s]).collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        stack.extend(
            c.paths[i]
                .references
                .iter()
                .filter(|&&j| !seen[j] && !skip[j]),
        );
    }
    seen
}

/// The groups of one side: for each, its start and its fresh paths.
fn buckets(s: &Sided<'_>) -> Vec<(Bucket, Vec<usize>, Vec<usize>)> {
    let n = s.c.paths.len();
    let mut skip = vec![false; n];
    s.changed.iter().for_each(|&(_, i)| skip[i] = true);
    let base = reach(s.c, &s.c.roots, &skip);
    let mut owner: Vec<Option<Bucket>> = vec![None; n];
    let mut out = Vec::new();
    for (k, &(_, i)) in s.changed.iter().enumerate() {
        let mut only = vec![false; n];
        only[i] = true;
        let without = reach(s.c, &s.c.roots, &only);
        let mine: Vec<usize> = (0..n).filter(|&p| s.fresh[p] && !without[p]).collect();
        mine.iter()
            .for_each(|&p| owner[p] = Some(Bucket::Changed(k)));
        out.push((Bucket::Changed(k), vec![i], mine));
    }
    let kept = reach(s.c, &s.kept, &vec![false; n]);
    let mut rest: [Vec<usize>; 3] = Default::default();
    for p in (0..n).filter(|&p| s.fresh[p] && owner[p].is_none()) {
        rest[if !base[p] {
            0
        } else if kept[p] {
            1
        } else {
            2
        }]
        .push(p);
    }
    // The shared paths start at the changed packages that reach them.
    let sharing: Vec<usize> = s
        .changed
        .iter()
        .map(|x| x.1)
        .filter(|&i| {
            let from = reach(s.c, &[i], &vec![false; n]);
            rest[0].iter().any(|&p| from[p])
        })
        .collect();
    let starts = [sharing, s.kept.clone(), s.c.roots.clone()];
    for ((b, paths), from) in [Bucket::Shared, Bucket::Kept, Bucket::System]
        .into_iter()
        .zip(rest)
        .zip(starts)
    {
        out.push((b, from, paths));
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Changed(usize),
    Shared,
    Kept,
    System,
}

/// The packages among `paths`, each with its shortest chain from `from`.
fn traced(c: &Closure, from: &[usize], paths: &[usize], change: &str) -> Vec<Traced> {
    let mut parent: Vec<Option<usize>> = vec![None; c.paths.len()];
    let mut seen = vec![false; c.paths.len()];
    let mut queue: VecDeque<usize> = from.iter().copied().collect();
    from.iter().for_each(|&f| seen[f] = true);
    while let Some(i) = queue.pop_front() {
        for &j in &c.paths[i].references {
            if !std::mem::replace(&mut seen[j], true) {
                parent[j] = Some(i);
                queue.push_back(j);
            }
        }
    }
    let chain = |mut p: usize| {
        let mut out = vec![c.paths[p].name().to_owned()];
        while let Some(q) = parent[p] {
            out.push(c.paths[q].name().to_owned());
            p = q;
        }
        out.reverse();
        out
    };
    let mut by_package: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for &p in paths {
        let (n, v) = name::package(&c.paths[p].path);
        let label = if v.is_empty() {
            n.to_owned()
        } else {
            format!("{n} {v}")
        };
        let ch = chain(p);
        let entry = by_package.entry(label).or_insert_with(|| ch.clone());
        if ch.len() < entry.len() {
            *entry = ch;
        }
    }
    by_package
        .into_iter()
        .map(|(package, chain)| Traced {
            package,
            change: change.to_owned(),
            chain,
        })
        .collect()
}

/// The index in `c` of each attribute's out path, or an error naming what to do.
fn indices<'a>(
    c: &Closure,
    attrs: impl Iterator<Item = &'a str>,
    packages: &BTreeMap<String, String>,
    side: &str,
) -> Result<Vec<(&'a str, usize)>> {
    attrs
        .map(|a| {
            let path = packages.get(a).ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "the {side} package map has no `{a}`: give the output of `nix eval \
                         --json .#nhos.<profile>.packages` on the flake generated from the \
                         {side} estate"
                    ),
                )
            })?;
            let i = c.find(path).ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "`{a}` ({path}) is not in the {side} system's closure: the package \
                         map and the system come from different builds"
                    ),
                )
            })?;
            Ok((a, i))
        })
        .collect()
}

/// The two systems of one profile and the definition packages of both sides.
#[derive(Debug, Clone, Copy)]
pub struct Built<'a> {
    pub old: &'a Closure,
    pub new: &'a Closure,
    /// Attribute → out path, old and new (`nix eval --json .#nhos.<profile>.packages`).
    pub old_packages: &'a BTreeMap<String, String>,
    pub new_packages: &'a BTreeMap<String, String>,
}

fn sided<'a>(
    c: &'a Closure,
    other: &Closure,
    mine: &'a Profile,
    theirs: &'a Profile,
    packages: &BTreeMap<String, String>,
    side: &str,
) -> Result<Sided<'a>> {
    let others: HashSet<&str> = other.paths.iter().map(|p| p.path.as_str()).collect();
    let installed = |p: &'a Profile| crate::generate::lower::installed_packages(p);
    let theirs_installed: HashSet<&str> = installed(theirs).collect();
    let mut changed = indices(
        c,
        installed(mine).filter(|a| !theirs_installed.contains(a)),
        packages,
        side,
    )?;
    // Two attributes for one out path (aliases) are one change: the first names it.
    let mut seen = HashSet::new();
    changed.retain(|&(_, i)| seen.insert(i));
    let kept = installed(mine)
        .filter(|a| theirs_installed.contains(a))
        .filter_map(|a| c.find(packages.get(a)?))
        .collect();
    Ok(Sided {
        c,
        fresh: c
            .paths
            .iter()
            .map(|p| !others.contains(p.path.as_str()))
            .collect(),
        changed,
        kept,
    })
}

/// A group's place in the order (added, removed, shared, kept, system), its
/// attribute for definition changes, and its cause.
fn cause_of(
    bucket: Bucket,
    s: &Sided<'_>,
    sign: &str,
    profile: &Profile,
) -> (u8, String, ImpactCause) {
    match bucket {
        Bucket::Changed(k) => {
            let attribute = s.changed[k].0.to_owned();
            let source = Source::of(&profile.packages[&attribute]);
            let cause = if sign == "added" {
                ImpactCause::PackageAdded {
                    attribute: attribute.clone(),
                    source,
                }
            } else {
                ImpactCause::PackageRemoved {
                    attribute: attribute.clone(),
                    source,
                }
            };
            (u8::from(sign == "removed"), attribute, cause)
        }
        Bucket::Shared => (
            2,
            String::new(),
            ImpactCause::Shared {
                attributes: Vec::new(),
            },
        ),
        Bucket::Kept => (3, String::new(), ImpactCause::Kept),
        Bucket::System => (4, String::new(), ImpactCause::System),
    }
}

/// Attributes the changes between two builds of `old`'s and `new`'s profile to
/// the definition.
pub fn attribute(old: &Profile, new: &Profile, built: &Built<'_>) -> Result<ClosureImpact> {
    let a = sided(built.old, built.new, old, new, built.old_packages, "old")?;
    let b = sided(built.new, built.old, new, old, built.new_packages, "new")?;
    let size = |c: &Closure, ps: &[usize]| ps.iter().map(|&p| c.paths[p].nar_size).sum::<u64>();
    let mut groups: Vec<(u8, String, Attribution)> = Vec::new();
    for (s, sign, profile) in [(&b, "added", new), (&a, "removed", old)] {
        for (bucket, from, paths) in buckets(s) {
            let (rank, key, cause) = cause_of(bucket, s, sign, profile);
            let g = match groups.iter_mut().find(|g| g.0 == rank && g.1 == key) {
                Some(g) => g,
                None => {
                    groups.push((
                        rank,
                        key,
                        Attribution {
                            cause,
                            paths_added: 0,
                            size_added: 0,
                            paths_removed: 0,
                            size_removed: 0,
                            packages: Vec::new(),
                        },
                    ));
                    groups.last_mut().expect("just pushed")
                }
            };
            if let (ImpactCause::Shared { attributes }, false) = (&mut g.2.cause, paths.is_empty())
            {
                let reaching = s.changed.iter().filter(|x| from.contains(&x.1));
                attributes.extend(reaching.map(|x| x.0.to_owned()));
            }
            if sign == "added" {
                (g.2.paths_added, g.2.size_added) = (paths.len(), size(s.c, &paths));
            } else {
                (g.2.paths_removed, g.2.size_removed) = (paths.len(), size(s.c, &paths));
            }
            g.2.packages.extend(traced(s.c, &from, &paths, sign));
        }
    }
    groups.sort_by(|x, y| (x.0, &x.1).cmp(&(y.0, &y.1)));
    let groups = groups
        .into_iter()
        .map(|(_, _, mut g)| {
            if let ImpactCause::Shared { attributes } = &mut g.cause {
                attributes.sort();
                attributes.dedup();
            }
            g.packages
                .sort_by(|x, y| (&x.package, &x.change).cmp(&(&y.package, &y.change)));
            g
        })
        .filter(|g| g.paths_added + g.paths_removed > 0)
        .collect();
    Ok(ClosureImpact {
        profile: new.name.clone(),
        paths_added: b.fresh.iter().filter(|x| **x).count(),
        paths_removed: a.fresh.iter().filter(|x| **x).count(),
        size_delta: built.new.nar_size() as i64 - built.old.nar_size() as i64,
        groups,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `+3 paths (+1.2 MiB), -1 path (-20.0 KiB)`, leaving out a side with none.
fn counts(g: &Attribution) -> String {
    use crate::closure::format::size;
    let mut parts = Vec::new();
    if g.paths_added > 0 {
        let n = g.paths_added;
        parts.push(format!("+{n} path{} (+{})", plural(n), size(g.size_added)));
    }
    if g.paths_removed > 0 {
        let n = g.paths_removed;
        parts.push(format!(
            "-{n} path{} (-{})",
            plural(n),
            size(g.size_removed)
        ));
    }
    parts.join(", ")
}

/// What a group is, for people.
fn cause_text(c: &ImpactCause) -> String {
    match c {
        ImpactCause::PackageAdded { attribute, source } => {
            format!("+ package {attribute}   ({}, {})", source.via, source.at)
        }
        ImpactCause::PackageRemoved { attribute, source } => {
            format!("- package {attribute}   ({}, {})", source.via, source.at)
        }
        ImpactCause::Shared { attributes } => {
            format!("shared by packages {}", attributes.join(", "))
        }
        ImpactCause::Kept => "packages the definition keeps, rebuilt or upgraded".to_owned(),
        ImpactCause::System => "NixOS itself and the settings".to_owned(),
    }
}

/// The impact as plan text: a heading, then per group its cause and counts and
/// each closure package with its reference chain.
pub fn text(i: &ClosureImpact, out: &mut String) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "\nbuilt system of {}: +{} / -{} paths, {}",
        i.profile,
        i.paths_added,
        i.paths_removed,
        crate::closure::format::kib(i.size_delta)
    );
    for g in &i.groups {
        let _ = writeln!(out, "    {}: {}", cause_text(&g.cause), counts(g));
        for t in &g.packages {
            let sign = if t.change == "added" { '+' } else { '-' };
            let _ = writeln!(out, "        {sign} {}: {}", t.package, t.chain.join(" → "));
        }
    }
}

/// The impact as a Markdown section with one table.
pub fn markdown(i: &ClosureImpact, out: &mut String) {
    use crate::escape::{md_code, md_text};
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "### Built system of {}\n\n+{} / -{} store paths, {}\n",
        md_code(&i.profile),
        i.paths_added,
        i.paths_removed,
        md_text(&crate::closure::format::kib(i.size_delta))
    );
    let _ = writeln!(out, "| cause | paths | closure packages |\n|---|---|---|");
    for g in &i.groups {
        let pkgs: Vec<String> = g
            .packages
            .iter()
            .map(|t| {
                let sign = if t.change == "added" { '+' } else { '−' };
                format!("{sign} {}", md_code(&t.chain.join(" → ")))
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md_text(&cause_text(&g.cause)),
            md_text(&counts(g)),
            pkgs.join("<br>")
        );
    }
    out.push('\n');
}
