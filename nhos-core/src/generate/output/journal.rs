//! The journal of a write: the renames and removals it will make, written and made
//! durable before anything moves, applied, and finished by the next run when a
//! write was interrupted.

use super::{JOURNAL, NEW_SUFFIX, Step, io, lstat_under, refuse, safe_rel};
use crate::error::Result;
use std::collections::BTreeSet;
use std::path::Path;

/// Where a file is staged before its rename: `.<name>.nhos-new` beside it.
pub(super) fn staged(rel: &str) -> String {
    match rel.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/.{name}{NEW_SUFFIX}"),
        None => format!(".{rel}{NEW_SUFFIX}"),
    }
}

/// Makes a directory's entries durable (best effort).
pub(super) fn fsync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct Journal {
    pub(super) rename: Vec<String>,
    pub(super) remove: Vec<String>,
}

/// Finishes an interrupted write from its journal. True when there was one.
pub(super) fn recover(out: &Path) -> Result<bool> {
    let path = out.join(JOURNAL);
    match lstat_under(out, JOURNAL)? {
        Some(m) if m.is_file() => {}
        Some(_) => {
            return Err(refuse(format!(
                "{} is not a file; remove it",
                path.display()
            )));
        }
        None => return Ok(false),
    }
    let bytes = std::fs::read(&path).map_err(|e| io(&path, &e))?;
    let j: Journal = serde_json::from_slice(&bytes).map_err(|e| {
        refuse(format!(
            "{}: an interrupted write left a journal nhos cannot read ({e}); check the directory and remove it",
            path.display()
        ))
    })?;
    if !j.rename.iter().chain(&j.remove).all(|r| safe_rel(r)) {
        return Err(refuse(format!(
            "{}: the journal names paths outside the directory; remove it",
            path.display()
        )));
    }
    apply(out, &j, &mut |_| true)?;
    Ok(true)
}

/// Writes the journal (atomically) and makes it durable before anything moves.
pub(super) fn write_journal(out: &Path, journal: &Journal) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(journal)
        .map_err(|e| refuse(format!("could not write the journal: {e}")))?;
    crate::write::write_atomic(&out.join(JOURNAL), &bytes)?;
    fsync_dir(out);
    Ok(())
}

/// Applies a journal: staged files renamed into place (those already renamed are
/// skipped), stale files removed, the journal deleted.
pub(super) fn apply(out: &Path, j: &Journal, hook: &mut dyn FnMut(&Step) -> bool) -> Result<()> {
    let mut dirs = BTreeSet::new();
    for rel in &j.rename {
        if !hook(&Step::Rename(rel.clone())) {
            return Ok(());
        }
        let from = out.join(staged(rel));
        let to = out.join(rel);
        if lstat_under(out, &staged(rel))?.is_some() {
            std::fs::rename(&from, &to).map_err(|e| io(&to, &e))?;
        }
        dirs.insert(to.parent().map(Path::to_path_buf).unwrap_or_default());
    }
    for rel in &j.remove {
        if !hook(&Step::Remove(rel.clone())) {
            return Ok(());
        }
        if let Some(m) = lstat_under(out, rel)? {
            let path = out.join(rel);
            if m.is_file() {
                std::fs::remove_file(&path).map_err(|e| io(&path, &e))?;
            }
            // Directories that held only generated files go too.
            let mut dir = path.parent().map(Path::to_path_buf);
            while let Some(d) = dir.filter(|d| d.starts_with(out) && d != out) {
                if std::fs::remove_dir(&d).is_err() {
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
            }
            dirs.insert(path.parent().map(Path::to_path_buf).unwrap_or_default());
        }
    }
    if !hook(&Step::Finish) {
        return Ok(());
    }
    for d in &dirs {
        fsync_dir(d);
    }
    let journal = out.join(JOURNAL);
    std::fs::remove_file(&journal).map_err(|e| io(&journal, &e))?;
    fsync_dir(out);
    Ok(())
}
