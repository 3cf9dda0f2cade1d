//! Two closures compared package by package (`nhos closure diff`): per package
//! name the versions that went and came, the size change, and whether
//! `nix store diff-closures` would list it; same-version rebuilds grouped by the
//! change that caused them (the changed paths they depend on whose own references
//! did not change); totals.

use super::{Closure, name, version};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the JSON closure-diff format (`schema/closure-diff.schema.json`).
pub const CLOSURE_DIFF_SCHEMA: u32 = 1;

/// `nix store diff-closures` lists a package whose size changed by at least this
/// many bytes even when no version changed.
pub const LISTED_DELTA: u64 = 8 * 1024;

/// At most this many causes are named per rebuilt path.
pub(super) const MAX_CAUSES: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Side {
    pub roots: Vec<String>,
    pub paths: usize,
    /// Sum of the NAR sizes, in bytes.
    pub nar_size: u64,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Cause {
    pub name: String,
    pub version: String,
    /// `new-version`, `added`, or `rebuilt` (its own derivation changed).
    pub kind: CauseKind,
    pub path: String,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CauseKind {
    NewVersion,
    Added,
    Rebuilt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RebuildGroup {
    /// Where these rebuilds start: of the changed paths they depend on whose own
    /// references did not change (or whose version is new), the one that the most
    /// rebuilds of the closure depend on.
    pub cause: Cause,
    /// How many of these paths also depend on other such changes.
    pub with_other_causes: usize,
    /// Those other changes, `name version`, sorted (at most 16 named).
    pub other_causes: Vec<String>,
    /// The rebuilt packages, `name version`, sorted.
    pub packages: Vec<String>,
    pub paths: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Totals {
    pub paths_added: usize,
    pub paths_removed: usize,
    pub size_delta: i64,
}

/// Each path's package and version, and the paths in (package, version) order.
pub(super) struct Names<'a> {
    pub(super) of: Vec<(&'a str, &'a str)>,
    /// Each path's name without its hash.
    pub(super) base: Vec<&'a str>,
    order: Vec<usize>,
}

fn names(c: &Closure) -> Names<'_> {
    let base: Vec<&str> = c.paths.iter().map(|p| name::base_name(&p.path)).collect();
    let of: Vec<(&str, &str)> = base
        .iter()
        .map(|b| name::split_version(name::strip_output(b)))
        .collect();
    let mut order: Vec<usize> = (0..of.len()).collect();
    order.sort_unstable_by(|&a, &b| of[a].cmp(&of[b]).then(a.cmp(&b)));
    Names { of, base, order }
}

/// The runs of paths with one package name, in name order.
fn runs<'a>(n: &'a Names<'a>) -> Vec<(&'a str, &'a [usize])> {
    let mut out = Vec::new();
    let mut s = 0;
    for k in 1..=n.order.len() {
        if k == n.order.len() || n.of[n.order[k]].0 != n.of[n.order[s]].0 {
            out.push((n.of[n.order[s]].0, &n.order[s..k]));
            s = k;
        }
    }
    out
}

/// What is new about a path of the new closure: its version (1) or its whole
/// package (2); 0 when neither.
pub(super) const NEW_VERSION: u8 = 1;
pub(super) const NEW_PACKAGE: u8 = 2;

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

/// One side of one package: the closure, its names, which of its paths the other
/// side holds, and the package's run of paths.
struct Run<'a> {
    c: &'a Closure,
    names: &'a Names<'a>,
    kept: &'a [bool],
    run: &'a [usize],
}

impl<'a> Run<'a> {
    fn versions(&self) -> Vec<&'a str> {
        let mut v: Vec<&str> = self.run.iter().map(|&i| self.names.of[i].1).collect();
        v.dedup();
        v
    }

    fn size(&self) -> u64 {
        self.run.iter().map(|&i| self.c.paths[i].nar_size).sum()
    }

    fn gone(&self) -> usize {
        self.run.iter().filter(|&&i| !self.kept[i]).count()
    }
}

/// The change of one package between the two sides, if any; marks the new paths
/// whose version or package is new.
fn package_change(name: &str, a: &Run<'_>, b: &Run<'_>, fresh: &mut [u8]) -> Option<PackageChange> {
    let (va, vb) = (a.versions(), b.versions());
    let only = |x: &[&str], y: &[&str]| -> Vec<String> {
        x.iter()
            .filter(|v| y.binary_search(v).is_err())
            .map(|v| v.to_string())
            .collect()
    };
    let (removed, added) = (only(&va, &vb), only(&vb, &va));
    let (paths_removed, paths_added) = (a.gone(), b.gone());
    if removed.is_empty() && added.is_empty() && paths_removed == 0 && paths_added == 0 {
        return None;
    }
    for &i in b.run {
        if va.is_empty() {
            fresh[i] = NEW_PACKAGE;
        } else if added.iter().any(|x| x == b.names.of[i].1) {
            fresh[i] = NEW_VERSION;
        }
    }
    let (old_size, new_size) = (a.size(), b.size());
    let delta = new_size as i64 - old_size as i64;
    Some(PackageChange {
        name: name.to_owned(),
        status: status(&va, &vb, &removed, &added, paths_removed, paths_added),
        listed: !removed.is_empty() || !added.is_empty() || delta.unsigned_abs() >= LISTED_DELTA,
        versions_removed: removed,
        versions_added: added,
        old_size,
        new_size,
        size_delta: delta,
        paths_removed,
        paths_added,
    })
}

/// Compares two closures.
pub fn diff(old: &Closure, new: &Closure) -> ClosureDiff {
    // The two sides' names, and which paths they share, side by side.
    let ((na, nb), (old_in_new, new_in_old)) = crate::pool::install(|| {
        rayon::join(
            || rayon::join(|| names(old), || names(new)),
            || membership(old, new),
        )
    });
    let (ra, rb) = (runs(&na), runs(&nb));
    let side_run = |c, names, kept, run| Run {
        c,
        names,
        kept,
        run,
    };
    let mut packages = Vec::new();
    let mut fresh = vec![0u8; new.paths.len()];
    let (mut i, mut j) = (0, 0);
    while i < ra.len() || j < rb.len() {
        let (name, a, b): (&str, &[usize], &[usize]) = match (ra.get(i), rb.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                (i, j) = (i + 1, j + 1);
                (x.0, x.1, y.1)
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                i += 1;
                (x.0, x.1, &[])
            }
            (Some(x), None) => {
                i += 1;
                (x.0, x.1, &[])
            }
            (_, Some(y)) => {
                j += 1;
                (y.0, &[], y.1)
            }
            (None, None) => break,
        };
        let a = side_run(old, &na, old_in_new.as_slice(), a);
        let b = side_run(new, &nb, new_in_old.as_slice(), b);
        packages.extend(package_change(name, &a, &b, &mut fresh));
    }
    let rebuilds = super::rebuild::rebuilds(new, &nb, &new_in_old, &fresh);
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
    va: &[&str],
    vb: &[&str],
    removed: &[String],
    added: &[String],
    paths_removed: usize,
    paths_added: usize,
) -> Status {
    let newest = |v: &[&str]| -> String {
        v.iter()
            .max_by(|x, y| version::compare(x, y))
            .map(|s| s.to_string())
            .unwrap_or_default()
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
        _ => match version::compare(&newest(vb), &newest(va)) {
            std::cmp::Ordering::Greater => Status::Upgraded,
            std::cmp::Ordering::Less => Status::Downgraded,
            std::cmp::Ordering::Equal => Status::Changed,
        },
    }
}
