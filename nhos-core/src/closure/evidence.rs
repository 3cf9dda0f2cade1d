//! What every front end (CLI, Python, C) hands the closure verbs, parsed once:
//! a profile's built system (a toplevel in the local store or a path-info file)
//! with its package map, advisory files, the store database and the day judged.
//! `diff`, `why` and `sbom` are then one call each (`vulns` is
//! [`crate::validate::vulns`]: it judges rule R39).

use super::scan::{Match, scan};
use super::{Closure, ClosureDiff, Store, Why, open, open_pair, read_packages, vex};
use crate::{Date, Error, ErrorKind, Estate, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The inputs of `why`, `sbom` and `vulns` beside the estate and profile.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// The profile's built system: a toplevel (`./result`, a store path) or a `nix
    /// path-info --json --recursive` file. With `packages`, or neither.
    pub closure: Option<PathBuf>,
    /// `nix eval --json .#nhos.<profile>.packages` on the generated flake.
    pub packages: Option<PathBuf>,
    /// Advisory files or directories of them (OSV JSON, vulnix `--json`).
    pub advisories: Vec<PathBuf>,
    /// The store database; `None` for the store Nix would use ([`Store::from_env`]).
    pub db: Option<PathBuf>,
    /// The day advisories' ages are judged on.
    pub today: Date,
}

impl Evidence {
    /// No built system, no advisories: the SBOM from the definition.
    pub fn new(today: Date) -> Self {
        Evidence {
            closure: None,
            packages: None,
            advisories: Vec::new(),
            db: None,
            today,
        }
    }

    fn store(&self) -> Store {
        store(self.db.as_deref())
    }
}

/// The store to read, with `db` instead of the environment's database if given.
pub fn store(db: Option<&Path>) -> Store {
    let mut s = Store::from_env();
    if let Some(db) = db {
        s.db = db.to_path_buf();
    }
    s
}

/// A profile's built system and its package map.
pub type BuiltSystem = (Closure, BTreeMap<String, String>);

/// The built system (when given) and the advisories matched against it. `dir` is
/// the estate directory the remedies' `nhos edit` commands name.
pub fn gather(
    estate: &Estate,
    profile: &str,
    ev: &Evidence,
    dir: &str,
) -> Result<(Option<BuiltSystem>, Vec<Match>)> {
    let built = match (&ev.closure, &ev.packages) {
        (Some(c), Some(p)) => Some((open(c, &ev.store())?, read_packages(p)?)),
        (None, None) => None,
        _ => {
            return Err(usage(
                "give the built system and its package map together (--closure and --packages)",
            ));
        }
    };
    let files: Vec<&Path> = ev.advisories.iter().map(PathBuf::as_path).collect();
    let matches = match (&built, files.is_empty()) {
        (Some((c, p)), false) => {
            let list = vex::read_advisories(&files)?;
            let read = |drv: &str| std::fs::read_to_string(drv).ok();
            scan(estate, profile, c, p, &list, &read, ev.today, dir)
        }
        (None, false) => {
            return Err(usage(
                "advisories are matched against a built system: give it and its package map (--closure and --packages)",
            ));
        }
        _ => Vec::new(),
    };
    Ok((built, matches))
}

/// CycloneDX 1.6 JSON for `profile`: from its built system when given (with VEX
/// statements from the advisories), else from the definition.
pub fn sbom_of(estate: &Estate, profile: &str, ev: &Evidence, dir: &str) -> Result<String> {
    let (built, matches) = gather(estate, profile, ev, dir)?;
    let vulns = vex::vulnerabilities(&matches);
    super::sbom::sbom(estate, profile, built.as_ref().map(|(c, p)| (c, p)), &vulns)
}

/// Why `item` is in the closure of `profile`'s built system `system`.
pub fn why_of(
    estate: &Estate,
    profile: &str,
    item: &str,
    system: &Path,
    packages: &Path,
    db: Option<&Path>,
) -> Result<Why> {
    let closure = open(system, &store(db))?;
    let map = read_packages(packages)?;
    super::why(estate, profile, &closure, &map, item)
}

/// Two closures (toplevels of one store, or path-info files) compared.
pub fn diff_of(old: &Path, new: &Path, db: Option<&Path>) -> Result<ClosureDiff> {
    let (a, b) = open_pair(old, new, &store(db))?;
    Ok(super::diff(&a, &b))
}

fn usage(msg: &str) -> Error {
    Error::new(ErrorKind::Usage, msg)
}
