//! Two closures compared package by package (`nhos closure diff`): per package
//! name the versions that went and came, the size change, and whether
//! `nix store diff-closures` would list it; same-version rebuilds grouped by the
//! change that caused them (the changed paths they depend on whose own references
//! did not change); totals.

use super::{Closure, name, version};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The version of the JSON closure-diff format (`schema/closure-diff.schema.json`).
pub const CLOSURE_DIFF_SCHEMA: u32 = 1;

/// `nix store diff-closures` lists a package whose size changed by at least this
/// many bytes even when no version changed.
pub const LISTED_DELTA: u64 = 8 * 1024;

/// At most this many causes are named per rebuilt path.
const MAX_CAUSES: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ClosureDiff {
    /// Format version; see [`CLOSURE_DIFF_SCHEMA`].
    pub schema: u32,
    pub old: Side,
    pub new: Side,
    /// Every package whose versions, store paths or size changed, by name.
    pub packages: Vec<PackageChange>,
    /// Same-version rebuilds, grouped by what caused them.
    pub rebuilds: Vec<RebuildGroup>,
    pub totals: Totals,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Side {
    pub roots: Vec<String>,
    pub paths: usize,
    /// Sum of the NAR sizes, in bytes.
    pub nar_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Added,
    Removed,
    Upgraded,
    Downgraded,
    /// Versions went and came but neither side is newer (several versions).
    Changed,
    /// Same versions, other store paths.
    Rebuilt,
    /// Same versions; paths of a version came or went (an output added or dropped).
    Resized,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PackageChange {
    /// The package name without version or output (`openssl`).
    pub name: String,
    pub status: Status,
    /// Versions only in the old closure ("" is a path without a version).
    pub versions_removed: Vec<String>,
    /// Versions only in the new closure.
    pub versions_added: Vec<String>,
    /// Sum of the NAR sizes of every path of this name, in bytes.
    pub old_size: u64,
    pub new_size: u64,
    pub size_delta: i64,
    pub paths_removed: usize,
    pub paths_added: usize,
    /// Whether `nix store diff-closures` prints a line for it (a version set
    /// changed, or the size changed by at least 8 KiB).
    pub listed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Cause {
    pub name: String,
    pub version: String,
    /// `new-version`, `added`, or `rebuilt` (its own derivation changed).
    pub kind: CauseKind,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CauseKind {
    NewVersion,
    Added,
    Rebuilt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RebuildGroup {
    /// The changed paths these rebuilds depend on whose own references did not
    /// change: where the change started (at most 16 named).
    pub causes: Vec<Cause>,
    /// Whether more causes than those named exist.
    pub more_causes: bool,
    /// The rebuilt packages, `name version`, sorted.
    pub packages: Vec<String>,
    pub paths: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Totals {
    pub paths_added: usize,
    pub paths_removed: usize,
    pub size_delta: i64,
}

/// Paths of one package name on one side: version → path indices.
type ByName<'a> = BTreeMap<&'a str, BTreeMap<&'a str, Vec<usize>>>;

fn by_name(c: &Closure) -> ByName<'_> {
    let mut m: ByName<'_> = BTreeMap::new();
    for (i, p) in c.paths.iter().enumerate() {
        let (n, v) = name::package(&p.path);
        m.entry(n).or_default().entry(v).or_default().push(i);
    }
    m
}

fn side(c: &Closure) -> Side {
    Side {
        roots: c.root_paths().into_iter().map(str::to_owned).collect(),
        paths: c.paths.len(),
        nar_size: c.nar_size(),
    }
}

/// Which paths of each closure the other holds: one walk over both sorted lists.
fn membership(old: &Closure, new: &Closure) -> (Vec<bool>, Vec<bool>) {
    let (mut in_new, mut in_old) = (vec![false; old.paths.len()], vec![false; new.paths.len()]);
    let (mut i, mut j) = (0, 0);
    while i < old.paths.len() && j < new.paths.len() {
        match old.paths[i].path.cmp(&new.paths[j].path) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                (in_new[i], in_old[j]) = (true, true);
                (i, j) = (i + 1, j + 1);
            }
        }
    }
    (in_new, in_old)
}

/// Compares two closures.
pub fn diff(old: &Closure, new: &Closure) -> ClosureDiff {
    let (a, b) = (by_name(old), by_name(new));
    let (old_in_new, new_in_old) = membership(old, new);
    let in_old = |i: usize| new_in_old[i];
    let in_new = |i: usize| old_in_new[i];
    let names: BTreeSet<&str> = a.keys().chain(b.keys()).copied().collect();
    let empty = BTreeMap::new();
    let mut packages = Vec::new();
    for n in names {
        let (va, vb) = (a.get(n).unwrap_or(&empty), b.get(n).unwrap_or(&empty));
        let size = |c: &Closure, v: &BTreeMap<&str, Vec<usize>>| -> u64 {
            v.values().flatten().map(|&i| c.paths[i].nar_size).sum()
        };
        let (old_size, new_size) = (size(old, va), size(new, vb));
        let removed: Vec<String> = va
            .keys()
            .filter(|v| !vb.contains_key(*v))
            .map(|v| v.to_string())
            .collect();
        let added: Vec<String> = vb
            .keys()
            .filter(|v| !va.contains_key(*v))
            .map(|v| v.to_string())
            .collect();
        let paths_removed = va.values().flatten().filter(|&&i| !in_new(i)).count();
        let paths_added = vb.values().flatten().filter(|&&i| !in_old(i)).count();
        if removed.is_empty() && added.is_empty() && paths_removed == 0 && paths_added == 0 {
            continue;
        }
        let delta = new_size as i64 - old_size as i64;
        let status = status(va, vb, &removed, &added, paths_removed, paths_added);
        packages.push(PackageChange {
            name: n.to_owned(),
            status,
            listed: !removed.is_empty()
                || !added.is_empty()
                || delta.unsigned_abs() >= LISTED_DELTA,
            versions_removed: removed,
            versions_added: added,
            old_size,
            new_size,
            size_delta: delta,
            paths_removed,
            paths_added,
        });
    }
    let rebuilds = rebuilds(new, &new_in_old, &packages);
    let totals = Totals {
        paths_added: new_in_old.iter().filter(|x| !**x).count(),
        paths_removed: old_in_new.iter().filter(|x| !**x).count(),
        size_delta: new.nar_size() as i64 - old.nar_size() as i64,
    };
    ClosureDiff {
        schema: CLOSURE_DIFF_SCHEMA,
        old: side(old),
        new: side(new),
        packages,
        rebuilds,
        totals,
    }
}

fn status(
    va: &BTreeMap<&str, Vec<usize>>,
    vb: &BTreeMap<&str, Vec<usize>>,
    removed: &[String],
    added: &[String],
    paths_removed: usize,
    paths_added: usize,
) -> Status {
    let newest = |v: &BTreeMap<&str, Vec<usize>>| -> Option<String> {
        v.keys()
            .max_by(|x, y| version::compare(x, y))
            .map(|s| s.to_string())
    };
    match (va.is_empty(), vb.is_empty()) {
        (true, _) => Status::Added,
        (_, true) => Status::Removed,
        _ if removed.is_empty() && added.is_empty() => {
            if paths_removed > 0 && paths_added > 0 {
                Status::Rebuilt
            } else {
                Status::Resized
            }
        }
        _ => match version::compare(
            &newest(vb).unwrap_or_default(),
            &newest(va).unwrap_or_default(),
        ) {
            std::cmp::Ordering::Greater => Status::Upgraded,
            std::cmp::Ordering::Less => Status::Downgraded,
            std::cmp::Ordering::Equal => Status::Changed,
        },
    }
}

/// Sets of causes, each kept once: most rebuilt paths share their dependencies'
/// set, so a path whose changed references all have one set takes it as it is.
#[derive(Default)]
struct CauseSets {
    list: Vec<(Vec<usize>, bool)>,
    ids: HashMap<(Vec<usize>, bool), usize>,
}

impl CauseSets {
    fn intern(&mut self, set: (Vec<usize>, bool)) -> usize {
        if let Some(&id) = self.ids.get(&set) {
            return id;
        }
        self.list.push(set.clone());
        self.ids.insert(set, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// For every new path not in the old closure, where its change started (as an
/// index into the returned sets): the union of its changed references' causes,
/// and itself when none of its references changed or its version is new (at most
/// [`MAX_CAUSES`]; the flag says more were dropped). In reference order, without
/// recursion (closures can be deep).
fn origins(
    new: &Closure,
    new_in_old: &[bool],
    new_version: impl Fn(usize) -> bool,
) -> (Vec<Option<usize>>, CauseSets) {
    let changed: Vec<bool> = new_in_old.iter().map(|x| !x).collect();
    let mut sets = CauseSets::default();
    let mut out: Vec<Option<usize>> = vec![None; new.paths.len()];
    let mut dep_sets: Vec<usize> = Vec::new();
    for start in (0..new.paths.len()).filter(|&i| changed[i]) {
        let mut stack = vec![(start, false)];
        while let Some((i, expanded)) = stack.pop() {
            if out[i].is_some() {
                continue;
            }
            let deps = || {
                new.paths[i]
                    .references
                    .iter()
                    .copied()
                    .filter(|&j| changed[j])
            };
            if !expanded {
                stack.push((i, true));
                stack.extend(deps().filter(|&j| out[j].is_none()).map(|j| (j, false)));
                continue;
            }
            dep_sets.clear();
            dep_sets.extend(deps().filter_map(|j| out[j]));
            dep_sets.sort_unstable();
            dep_sets.dedup();
            let itself = dep_sets.is_empty() || new_version(i);
            out[i] = Some(match (dep_sets.as_slice(), itself) {
                ([one], false) => *one,
                _ => {
                    let mut set: Vec<usize> = Vec::new();
                    let mut more = false;
                    for &d in &dep_sets {
                        set.extend_from_slice(&sets.list[d].0);
                        more |= sets.list[d].1;
                    }
                    if itself {
                        set.push(i);
                    }
                    set.sort_unstable();
                    set.dedup();
                    more |= set.len() > MAX_CAUSES;
                    set.truncate(MAX_CAUSES);
                    sets.intern((set, more))
                }
            });
        }
    }
    (out, sets)
}

/// Rebuilt packages as (name, version).
type Labels<'a> = Vec<(&'a str, &'a str)>;

/// One rebuild group: its causes, one per package, and its packages, labelled.
fn group(
    (o, more): &(Vec<usize>, bool),
    mut pkgs: Labels<'_>,
    paths: usize,
    cause: &dyn Fn(usize) -> Cause,
) -> RebuildGroup {
    // One cause per package (an upgrade's outputs are one change).
    let mut causes: Vec<Cause> = o.iter().map(|&i| cause(i)).collect();
    causes.sort_by(|a, b| {
        (&a.name, &a.version, a.kind, name::base_name(&a.path)).cmp(&(
            &b.name,
            &b.version,
            b.kind,
            name::base_name(&b.path),
        ))
    });
    causes.dedup_by(|a, b| (&a.name, &a.version, a.kind) == (&b.name, &b.version, b.kind));
    pkgs.sort_unstable();
    pkgs.dedup();
    let packages = pkgs
        .into_iter()
        .map(|(n, v)| {
            if v.is_empty() {
                n.to_owned()
            } else {
                format!("{n} {v}")
            }
        })
        .collect();
    RebuildGroup {
        causes,
        more_causes: *more,
        packages,
        paths,
    }
}

fn rebuilds(new: &Closure, new_in_old: &[bool], packages: &[PackageChange]) -> Vec<RebuildGroup> {
    let status: BTreeMap<&str, &PackageChange> =
        packages.iter().map(|p| (p.name.as_str(), p)).collect();
    // Package, version, and whether the version is new: once per changed path.
    let facts: Vec<Option<(&str, &str, bool)>> = new
        .paths
        .iter()
        .zip(new_in_old)
        .map(|(p, kept)| {
            (!kept).then(|| {
                let (n, v) = name::package(&p.path);
                let fresh = status
                    .get(n)
                    .is_some_and(|c| c.versions_added.iter().any(|x| x == v));
                (n, v, fresh)
            })
        })
        .collect();
    let new_version = |i: usize| facts[i].is_some_and(|f| f.2);
    let (origin, sets) = origins(new, new_in_old, new_version);
    let cause = |o: usize| {
        let path = &new.paths[o].path;
        let (n, v) = name::package(path);
        let kind = match status.get(n) {
            Some(p) if p.status == Status::Added => CauseKind::Added,
            Some(p) if p.versions_added.iter().any(|x| x == v) => CauseKind::NewVersion,
            _ => CauseKind::Rebuilt,
        };
        Cause {
            name: n.to_owned(),
            version: v.to_owned(),
            kind,
            path: path.clone(),
        }
    };
    // Per cause set: the rebuilt (package, version)s and their number of paths.
    let mut groups: BTreeMap<usize, (Labels<'_>, usize)> = BTreeMap::new();
    for (i, f) in facts.iter().enumerate() {
        if let (Some((n, v, false)), Some(o)) = (f, origin[i]) {
            let g = groups.entry(o).or_default();
            g.0.push((n, v));
            g.1 += 1;
        }
    }
    let mut out: Vec<RebuildGroup> = groups
        .into_iter()
        .map(|(o, (pkgs, paths))| group(&sets.list[o], pkgs, paths, &cause))
        .collect();
    out.sort_by(|a, b| (b.paths, &a.packages, &a.causes).cmp(&(a.paths, &b.packages, &b.causes)));
    out
}
