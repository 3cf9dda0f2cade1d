//! Closures of Nix store paths, read from the local store database or from
//! `nix path-info --json --recursive`, and compared package by package
//! (`nhos closure diff`).
//!
//! A [`Closure`] is the store paths reachable from some roots (system toplevels),
//! with their NAR hash and size and their references as indices, so walks and
//! diffs run in memory after one read. Both readers give equal closures for the
//! same roots (tested on stores built with Nix).

mod db;
pub mod diff;
mod evidence;
pub mod format;
mod hash;
mod input;
pub mod name;
mod pathinfo;
mod rebuild;
pub mod sbom;
pub mod scan;
pub mod version;
pub mod vex;
mod why;

pub use db::{DEFAULT_DB, read_db, read_db_sets};
pub use diff::{ClosureDiff, diff};
pub use evidence::{BuiltSystem, Evidence, diff_of, gather, sbom_of, store, why_of};
pub use input::{Store, open, open_pair, read_packages};
pub use pathinfo::{parse_path_info, read_path_info};
pub use why::{Through, Why, why};

use serde::Serialize;

/// One valid store path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StorePath {
    /// The full path, `/nix/store/<hash>-<name>`.
    pub path: String,
    /// The NAR hash in SRI form (`sha256-…=`), as `nix path-info` prints it.
    pub nar_hash: String,
    /// The size of the path's NAR serialisation, in bytes.
    pub nar_size: u64,
    /// The paths it references, as indices into [`Closure::paths`], sorted, without
    /// itself.
    pub references: Vec<usize>,
    /// The derivation that built it, when the store knows.
    pub deriver: Option<String>,
}

impl StorePath {
    /// The name without the hash (`openssl-3.0.13`).
    pub fn name(&self) -> &str {
        name::base_name(&self.path)
    }
}

/// The store paths reachable from some roots, sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Closure {
    pub paths: Vec<StorePath>,
    /// Indices of the roots, sorted.
    pub roots: Vec<usize>,
}

impl Closure {
    /// The index of a store path.
    pub fn find(&self, path: &str) -> Option<usize> {
        self.paths
            .binary_search_by(|p| p.path.as_str().cmp(path))
            .ok()
    }

    /// The sum of every path's NAR size.
    pub fn nar_size(&self) -> u64 {
        self.paths.iter().map(|p| p.nar_size).sum()
    }

    /// The root paths.
    pub fn root_paths(&self) -> Vec<&str> {
        self.roots
            .iter()
            .map(|&i| self.paths[i].path.as_str())
            .collect()
    }

    /// Builds a closure from records that name their references by path: keeps
    /// what is reachable from `roots` (every record when `roots` is empty… then the
    /// roots are the records nothing refers to), sorted by path. Fails, naming the
    /// record, when a reference is not among the records (the input is not closed).
    fn from_records(
        records: Vec<Record>,
        roots: &[String],
        source: &str,
    ) -> crate::Result<Closure> {
        use std::collections::HashMap;
        let mut records = records;
        records.sort_by(|a, b| a.path.cmp(&b.path));
        records.dedup_by(|a, b| a.path == b.path);
        let index: HashMap<&str, usize> = records
            .iter()
            .enumerate()
            .map(|(i, r)| (r.path.as_str(), i))
            .collect();
        let mut refs = Vec::with_capacity(records.len());
        for r in &records {
            let mut out = Vec::with_capacity(r.references.len());
            for x in &r.references {
                match index.get(x.as_str()) {
                    Some(&i) if x != &r.path => out.push(i),
                    Some(_) => {}
                    None => return Err(not_closed(source, &r.path, x)),
                }
            }
            out.sort_unstable();
            out.dedup();
            refs.push(out);
        }
        let root_ix: Vec<usize> = if roots.is_empty() {
            let mut referenced = vec![false; records.len()];
            refs.iter().flatten().for_each(|&i| referenced[i] = true);
            (0..records.len()).filter(|&i| !referenced[i]).collect()
        } else {
            let mut v = Vec::new();
            for r in roots {
                match index.get(r.as_str()) {
                    Some(&i) => v.push(i),
                    None => {
                        return Err(crate::Error::new(
                            crate::ErrorKind::Usage,
                            format!("{source}: {r} is not in it; give a store path it holds"),
                        ));
                    }
                }
            }
            v
        };
        Ok(reachable(records, refs, &root_ix))
    }
}

/// A path as a reader found it, references by path.
struct Record {
    path: String,
    nar_hash: String,
    nar_size: u64,
    references: Vec<String>,
    deriver: Option<String>,
}

fn not_closed(source: &str, path: &str, missing: &str) -> crate::Error {
    crate::Error::new(
        crate::ErrorKind::Usage,
        format!(
            "{source}: {path} refers to {missing}, which is not in it; \
             write the whole closure with `nix path-info --json --recursive`"
        ),
    )
}

/// Keeps the records reachable from `roots` and renumbers their references.
fn reachable(records: Vec<Record>, refs: Vec<Vec<usize>>, roots: &[usize]) -> Closure {
    let mut keep = vec![false; records.len()];
    let mut stack: Vec<usize> = roots.to_vec();
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut keep[i], true) {
            stack.extend(refs[i].iter().copied().filter(|&j| !keep[j]));
        }
    }
    let mut new_ix = vec![usize::MAX; records.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            new_ix[i] = n;
            n += 1;
        }
    }
    let paths = records
        .into_iter()
        .zip(refs)
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|((r, rs), _)| StorePath {
            path: r.path,
            nar_hash: r.nar_hash,
            nar_size: r.nar_size,
            references: rs.into_iter().map(|j| new_ix[j]).collect(),
            deriver: r.deriver,
        })
        .collect();
    let mut roots: Vec<usize> = roots.iter().map(|&i| new_ix[i]).collect();
    roots.sort_unstable();
    roots.dedup();
    Closure { paths, roots }
}
