//! Writing a generated flake to disk, and the `--check` comparison.
//!
//! nhos owns exactly the files its manifest lists. Writing replaces those, removes
//! the ones it no longer generates, and keeps everything else (`flake.lock` from
//! `nix flake lock`, `.git`, a README): it never overwrites a file it did not write.
//!
//! A write is crash-safe and serialised:
//! 1. `.nhos.lock` in the output directory is locked (concurrent runs wait);
//! 2. every changed file is written beside its target as `.<name>.nhos-new` and
//!    flushed;
//! 3. a journal (`.nhos-journal.json`) lists the renames and removals, and is
//!    flushed;
//! 4. the renames (the manifest last) and removals are applied, and the journal is
//!    deleted.
//!
//! A crash before 3 leaves the old tree (and stray `.nhos-new` files the next run
//! replaces); a crash after 3 leaves each file old or new, never partial, and the
//! next run (or `check`, which reports it) finishes the write from the journal
//! before anything else. No path component is followed through a symbolic link.

use super::{Generated, MANIFEST};
use crate::error::{Error, ErrorKind, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

mod journal;

use journal::{Journal, apply, recover, staged, write_journal};

/// The lock file that serialises writers (never removed, never in the manifest).
pub const LOCK: &str = ".nhos.lock";
/// The journal of an unfinished write.
pub const JOURNAL: &str = ".nhos-journal.json";
const NEW_SUFFIX: &str = ".nhos-new";

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written or replaced (unchanged files are left alone and not listed).
    pub written: Vec<String>,
    /// Files nhos wrote before and no longer generates, now removed.
    pub removed: Vec<String>,
    /// Entries of the directory nhos did not write and kept (top level).
    pub kept: Vec<String>,
    /// Whether an interrupted earlier write was finished first.
    pub recovered: bool,
}

/// A step of a write, for the crash tests: the hook sees each one before it runs
/// and may stop the write there, as a kill would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Stage(String),
    Journal,
    Rename(String),
    Remove(String),
    Finish,
}

fn io(path: &Path, e: &std::io::Error) -> Error {
    Error::io(path.display(), e)
}

fn refuse(msg: String) -> Error {
    Error::new(ErrorKind::Generate, msg)
}

/// Creates `out` and its missing parents one component at a time, refusing any
/// component of the path as given that is a symbolic link or not a directory.
fn make_dir(out: &Path) -> Result<()> {
    let mut at = PathBuf::new();
    for c in out.components() {
        at.push(c);
        if matches!(
            c,
            Component::RootDir | Component::Prefix(_) | Component::CurDir
        ) {
            continue;
        }
        if c == Component::ParentDir {
            return Err(refuse(format!(
                "{}: the output path may not contain `..`",
                out.display()
            )));
        }
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refuse(format!(
                    "{} is a symbolic link; nhos does not write through links (give the real path)",
                    at.display()
                )));
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(refuse(format!(
                    "{} exists and is not a directory",
                    at.display()
                )));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::create_dir(&at) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(io(&at, &e)),
                }
                let m = std::fs::symlink_metadata(&at).map_err(|e| io(&at, &e))?;
                if !m.is_dir() {
                    return Err(refuse(format!("{} is not a directory", at.display())));
                }
            }
            Err(e) => return Err(io(&at, &e)),
        }
    }
    Ok(())
}

/// The file at `rel` under `out`, refusing symbolic links on the way. `None` when
/// it does not exist.
fn lstat_under(out: &Path, rel: &str) -> Result<Option<std::fs::Metadata>> {
    let mut at = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refuse(format!(
                    "{} is a symbolic link; nhos does not write through links",
                    at.display()
                )));
            }
            Ok(m) if i + 1 < parts.len() && !m.is_dir() => {
                return Err(refuse(format!(
                    "{} is in the way: nhos writes {rel} there",
                    at.display()
                )));
            }
            Ok(m) if i + 1 == parts.len() => return Ok(Some(m)),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&at, &e)),
        }
    }
    Ok(None)
}

/// The files an existing manifest says nhos wrote, or `None` when there is no
/// manifest nhos can read (the directory is then foreign).
pub fn owned(out: &Path) -> Result<Option<BTreeSet<String>>> {
    let path = out.join(MANIFEST);
    match lstat_under(out, MANIFEST)? {
        Some(m) if m.is_file() => {}
        _ => return Ok(None),
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(None);
    };
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Ok(None);
    };
    if v.get("schema").and_then(|s| s.as_str()) != Some("nhos-manifest/1") {
        return Ok(None);
    }
    let Some(files) = v.get("files").and_then(|f| f.as_object()) else {
        return Ok(None);
    };
    let mut set = BTreeSet::new();
    for k in files.keys() {
        if !safe_rel(k) {
            return Ok(None);
        }
        set.insert(k.clone());
    }
    set.insert(MANIFEST.to_owned());
    Ok(Some(set))
}

/// A relative path of plain components (what a manifest or journal may name).
fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains('\0'))
}

/// Writes a generated tree to `out`; see the module documentation.
pub fn write(g: &Generated, out: &Path) -> Result<Written> {
    write_with(g, out, &mut |_| true)
}

/// [`write`], with a hook that sees each step and may stop the write there (as a
/// crash would: nothing is cleaned up).
pub fn write_with(
    g: &Generated,
    out: &Path,
    hook: &mut dyn FnMut(&Step) -> bool,
) -> Result<Written> {
    make_dir(out)?;
    let lock = lock(out)?;
    let recovered = recover(out)?;
    let entries = entries(out)?;
    let owned = match owned(out)? {
        Some(o) => o,
        None if entries.is_empty() => BTreeSet::new(),
        None => {
            return Err(refuse(format!(
                "{} is not empty and holds no {MANIFEST} nhos can read: refusing to write into it; choose an empty or new directory",
                out.display()
            )));
        }
    };
    let changed = changed(g, out, &owned)?;
    let stale: Vec<String> = owned
        .iter()
        .filter(|r| !g.files.contains_key(*r))
        .cloned()
        .collect();
    if !stage(g, out, &changed, hook)? {
        return Ok(Written::default());
    }

    // Journal, then apply: the manifest is renamed last.
    let mut rename: Vec<String> = changed.iter().filter(|r| *r != MANIFEST).cloned().collect();
    if changed.iter().any(|r| r == MANIFEST) {
        rename.push(MANIFEST.to_owned());
    }
    let journal = Journal {
        rename,
        remove: stale.clone(),
    };
    if !hook(&Step::Journal) {
        return Ok(Written::default());
    }
    write_journal(out, &journal)?;
    apply(out, &journal, hook)?;

    let kept = kept(g, entries, &stale);
    drop(lock);
    Ok(Written {
        written: changed,
        removed: stale,
        kept,
        recovered,
    })
}

/// Opens and locks `.nhos.lock` in `out` (waiting for another writer), refusing one
/// that is not a file. The lock is held until the file is dropped.
fn lock(out: &Path) -> Result<std::fs::File> {
    let lock_path = out.join(LOCK);
    if lstat_under(out, LOCK)?.is_some_and(|m| !m.is_file()) {
        return Err(refuse(format!("{} is not a file", lock_path.display())));
    }
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| io(&lock_path, &e))?;
    lock.lock().map_err(|e| io(&lock_path, &e))?;
    Ok(lock)
}

/// The top-level entries of `out`, sorted, without the lock and staged files.
fn entries(out: &Path) -> Result<Vec<String>> {
    let mut entries: Vec<String> = std::fs::read_dir(out)
        .map_err(|e| io(out, &e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != LOCK && !n.ends_with(NEW_SUFFIX))
        .collect();
    entries.sort();
    Ok(entries)
}

/// The generated files whose bytes differ from those in `out`. Nothing nhos did not
/// write is overwritten, unless it already holds exactly the bytes nhos would write.
fn changed(g: &Generated, out: &Path, owned: &BTreeSet<String>) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for (rel, bytes) in &g.files {
        match lstat_under(out, rel)? {
            None => changed.push(rel.clone()),
            Some(m) => {
                let path = out.join(rel);
                let same = m.is_file() && std::fs::read(&path).is_ok_and(|b| b == *bytes);
                if !m.is_file() || (!same && !owned.contains(rel)) {
                    return Err(refuse(format!(
                        "{} exists and nhos did not write it: refusing to overwrite it (move it away, or generate into another directory)",
                        path.display()
                    )));
                }
                if !same {
                    changed.push(rel.clone());
                }
            }
        }
    }
    Ok(changed)
}

/// Writes each changed file beside its target under its staging name and flushes
/// it. False when the hook stopped the write.
fn stage(
    g: &Generated,
    out: &Path,
    changed: &[String],
    hook: &mut dyn FnMut(&Step) -> bool,
) -> Result<bool> {
    for rel in changed {
        if !hook(&Step::Stage(rel.clone())) {
            return Ok(false);
        }
        let target = out.join(rel);
        if let Some(dir) = target.parent() {
            let dir_rel = dir.strip_prefix(out).unwrap_or(Path::new(""));
            if !dir_rel.as_os_str().is_empty() {
                make_dir(dir)?;
            }
        }
        let tmp = out.join(staged(rel));
        let result = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&g.files[rel])?;
            f.sync_all()
        })();
        // Name the file the user asked for, not the staging name.
        result.map_err(|e| io(&target, &e))?;
    }
    Ok(true)
}

/// The top-level entries nhos neither generates nor removed: kept as they were.
fn kept(g: &Generated, entries: Vec<String>, stale: &[String]) -> Vec<String> {
    entries
        .into_iter()
        .filter(|n| {
            n != JOURNAL
                && !g
                    .files
                    .keys()
                    .any(|f| f == n || f.starts_with(&format!("{n}/")))
                && !stale
                    .iter()
                    .any(|f| f == n || f.starts_with(&format!("{n}/")))
        })
        .collect()
}

/// How the output directory differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// A generated file is not there.
    Missing(String),
    /// A generated file has other contents.
    Changed(String),
    /// A file nhos wrote (its manifest says) that it no longer generates.
    Extra(String),
    /// An earlier write was interrupted; the next write finishes it.
    Interrupted,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {p}"),
            Drift::Changed(p) => write!(f, "changed: {p}"),
            Drift::Extra(p) => write!(f, "no longer generated: {p}"),
            Drift::Interrupted => write!(
                f,
                "interrupted: an earlier write did not finish ({JOURNAL}); run generate again"
            ),
        }
    }
}

/// Compares `out` with what would be generated (the `--check` mode). Files nhos did
/// not write are not its business and are not reported.
pub fn check(g: &Generated, out: &Path) -> Result<Vec<Drift>> {
    let mut drift = Vec::new();
    if lstat_under(out, JOURNAL)?.is_some() {
        drift.push(Drift::Interrupted);
    }
    for (rel, bytes) in &g.files {
        match lstat_under(out, rel)? {
            Some(m) if m.is_file() => match std::fs::read(out.join(rel)) {
                Ok(b) if b == *bytes => {}
                _ => drift.push(Drift::Changed(rel.clone())),
            },
            Some(_) => drift.push(Drift::Changed(rel.clone())),
            None => drift.push(Drift::Missing(rel.clone())),
        }
    }
    if let Some(owned) = owned(out)? {
        for rel in owned {
            if !g.files.contains_key(&rel) && lstat_under(out, &rel)?.is_some() {
                drift.push(Drift::Extra(rel));
            }
        }
    }
    drift.sort_by_key(|a| a.to_string());
    Ok(drift)
}

/// The files of a directory tree, relative and sorted (tests, and the CLI's report).
pub fn list(out: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut acc = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).min_depth(1) {
        let entry = entry.map_err(|e| {
            let at = e.path().unwrap_or(out).to_path_buf();
            io(&at, &std::io::Error::other(e))
        })?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            acc.insert(
                rel,
                std::fs::read(entry.path()).map_err(|e| io(entry.path(), &e))?,
            );
        }
    }
    Ok(acc)
}
