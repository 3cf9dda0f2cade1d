//! The `edit` verb: format-preserving edits of the definition files (on
//! `toml_edit`). An edit changes only the span it must; comments, blank lines and key
//! order elsewhere stay byte for byte. Every edit is checked before anything is
//! written: the edited estate must load, and must not gain error-level findings
//! unless the caller allows it. Writes are atomic, per file.

mod apply;
mod op;
mod ops;

pub use op::EditOp;

use crate::diagnostic::{Severity, nearest};
use crate::error::{Error, ErrorKind, Result};
use crate::model::Estate;
use crate::tree::{DirTree, EstateTree, MemTree};
use crate::validate::{Finding, Status, ValidateOptions, validate};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    AddPackage {
        profile: String,
        package: String,
    },
    RemovePackage {
        profile: String,
        package: String,
    },
    AddCapability {
        profile: String,
        capability: String,
    },
    RemoveCapability {
        profile: String,
        capability: String,
    },
    /// `value` is TOML (`300`, `true`, `"blocked"`, `["a"]`); for string settings a
    /// bare word is taken as the string.
    SetSetting {
        profile: String,
        key: String,
        value: String,
    },
    UnsetSetting {
        profile: String,
        key: String,
    },
    /// A branding field: a top-level key (`os-name`) or `colours.accent`,
    /// `assets.wallpaper`, `fonts.sans`.
    SetBranding {
        field: String,
        value: String,
    },
    AddWaiver {
        id: String,
        rule: String,
        profiles: Vec<String>,
        justification: String,
        approver: String,
        /// The day the risk was accepted.
        approved: Option<crate::Date>,
        expires: crate::Date,
        /// What it accepts: setting key → value as TOML (`900`, `false`,
        /// `"recommended"`; a bare word is taken as a string).
        accepts: Vec<(String, String)>,
    },
    AddProfile {
        name: String,
        role: Option<String>,
        inherits: Vec<String>,
    },
    RenameProfile {
        from: String,
        to: String,
    },
}

/// Options for [`prepare`].
#[derive(Debug, Clone, Copy)]
pub struct EditOptions {
    /// Allow an edit that adds error-level findings.
    pub allow_errors: bool,
    /// The day findings are judged on.
    pub today: crate::Date,
}

/// A file an edit changes: its old bytes (none if new) and new bytes (none if
/// deleted).
pub type FileChange = (Option<Vec<u8>>, Option<Vec<u8>>);

/// A prepared edit: the new contents of the files it changes, and what it does to
/// the findings. Nothing is written until [`EditResult::write`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EditResult {
    /// Relative path → what changes in it.
    pub files: BTreeMap<String, FileChange>,
    pub findings_added: Vec<Finding>,
    pub findings_removed: Vec<Finding>,
}

impl EditResult {
    /// The unified diff of the change.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for (path, (old, new)) in &self.files {
            let text = |b: &Option<Vec<u8>>| {
                b.as_ref()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .unwrap_or_default()
            };
            let (a, b) = (text(old), text(new));
            let old_name = if old.is_some() {
                format!("a/{path}")
            } else {
                "/dev/null".to_owned()
            };
            let new_name = if new.is_some() {
                format!("b/{path}")
            } else {
                "/dev/null".to_owned()
            };
            out.push_str(
                &similar::TextDiff::from_lines(&a, &b)
                    .unified_diff()
                    .context_radius(3)
                    .header(&old_name, &new_name)
                    .to_string(),
            );
        }
        out
    }

    /// Writes the changed files into `dir` as one transaction: every new file is
    /// written and flushed beside its target first, each file the edit replaces or
    /// deletes is kept as a backup, then the new files are renamed into place and
    /// the deleted ones removed. If any step fails, every file is put back as it
    /// was. Files the edit does not change are not touched.
    pub fn write(&self, dir: &Path) -> Result<()> {
        self.write_with(dir, &|tmp, dest| std::fs::rename(tmp, dest))
    }

    /// As [`EditResult::write`], with the rename step supplied (tests make it fail
    /// at any step, as a crash would).
    pub fn write_with(
        &self,
        dir: &Path,
        rename: &dyn Fn(&Path, &Path) -> std::io::Result<()>,
    ) -> Result<()> {
        let staged = self.stage(dir)?;
        let backups = match self.back_up(dir) {
            Ok(backups) => backups,
            Err(e) => {
                remove_staged(&staged);
                return Err(e);
            }
        };
        if let Err(e) = self.commit(dir, &staged, rename) {
            self.roll_back(dir, &backups);
            remove_staged(&staged);
            return Err(e);
        }
        for (bak, _) in &backups {
            let _ = std::fs::remove_file(bak);
        }
        Ok(())
    }

    /// 1. Stages the new contents beside their targets, flushed: (staged, target)
    ///    pairs. On failure nothing staged is left.
    fn stage(&self, dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        for (rel, (_, new)) in &self.files {
            let Some(bytes) = new else { continue };
            let path = dir.join(rel);
            if let Some(parent) = path.parent()
                && let Err(e) = std::fs::create_dir_all(parent)
            {
                remove_staged(&staged);
                return Err(io(parent, e));
            }
            let tmp = side(dir, rel, "new");
            let written = (|| -> std::io::Result<()> {
                let mut f = std::fs::File::create(&tmp)?;
                std::io::Write::write_all(&mut f, bytes)?;
                f.sync_all()
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                remove_staged(&staged);
                return Err(io(&tmp, e));
            }
            staged.push((tmp, path));
        }
        Ok(staged)
    }

    /// 2. Keeps the old files (hard links: the original stays in place): (backup,
    ///    file) pairs. On failure no backup is left.
    fn back_up(&self, dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>> {
        let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
        for (rel, (old, _)) in &self.files {
            if old.is_some() {
                let path = dir.join(rel);
                let bak = side(dir, rel, "bak");
                let _ = std::fs::remove_file(&bak);
                if let Err(e) = std::fs::hard_link(&path, &bak) {
                    for (b, _) in &backups {
                        let _ = std::fs::remove_file(b);
                    }
                    return Err(io(&path, e));
                }
                backups.push((bak, path));
            }
        }
        Ok(backups)
    }

    /// 3. Commits: the staged files renamed into place, the deleted ones removed.
    fn commit(
        &self,
        dir: &Path,
        staged: &[(PathBuf, PathBuf)],
        rename: &dyn Fn(&Path, &Path) -> std::io::Result<()>,
    ) -> Result<()> {
        for (tmp, path) in staged {
            rename(tmp, path).map_err(|e| io(path, e))?;
        }
        for (rel, (_, new)) in &self.files {
            if new.is_none() {
                let path = dir.join(rel);
                std::fs::remove_file(&path).map_err(|e| io(&path, e))?;
            }
        }
        Ok(())
    }

    /// After a failed commit, puts every file back as it was: the backups restored
    /// and the files the edit created removed.
    fn roll_back(&self, dir: &Path, backups: &[(PathBuf, PathBuf)]) {
        for (bak, path) in backups {
            // Still the original (a hard link to the same file): rename would
            // do nothing and leave the backup, so drop the backup instead.
            if same_file(bak, path) {
                let _ = std::fs::remove_file(bak);
            } else {
                let _ = std::fs::rename(bak, path);
            }
        }
        for (rel, (old, new)) in &self.files {
            if old.is_none() && new.is_some() {
                let _ = std::fs::remove_file(dir.join(rel));
            }
        }
    }
}

fn io(p: &Path, e: std::io::Error) -> Error {
    Error::io(p.display(), &e)
}

/// A file beside `rel` in `dir` for one step of a write: `.<name>.nhos-<tag>-<pid>`.
fn side(dir: &Path, rel: &str, tag: &str) -> PathBuf {
    let path = dir.join(rel);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.nhos-{tag}-{}", std::process::id()))
}

/// Removes staged files (of a write that did not commit).
fn remove_staged(staged: &[(PathBuf, PathBuf)]) {
    for (tmp, _) in staged {
        let _ = std::fs::remove_file(tmp);
    }
}

/// Reads every file of an estate directory the loader may use into memory.
pub fn read_dir_tree(dir: &Path) -> Result<MemTree> {
    let disk = DirTree::new(dir);
    let mut tree = MemTree::new();
    for rel in disk
        .definition_files()
        .map_err(|e| Error::io(dir.display(), &e))?
    {
        let bytes = disk
            .read(&rel)
            .map_err(|e| Error::io(format!("{}/{rel}", dir.display()), &e))?;
        tree.files.insert(rel, bytes);
    }
    // Every other file, as the loader may use it (assets); symlinks are recorded,
    // never followed. Unreadable entries are left out: the loader names them.
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let rel = entry
            .path()
            .strip_prefix(dir)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let ty = entry.file_type();
        if ty.is_symlink() {
            tree.symlinks.insert(rel);
        } else if ty.is_file()
            && (!rel.ends_with(".toml") || !tree.files.contains_key(&rel))
            && let Ok(meta) = entry.metadata()
            && meta.len() <= 256 << 20
            && let Ok(b) = std::fs::read(entry.path())
        {
            tree.files.insert(rel, b);
        }
    }
    Ok(tree)
}

fn open_errors(fs: &[Finding]) -> BTreeSet<(String, String)> {
    fs.iter()
        .filter(|f| f.status == Status::Open)
        .map(|f| (f.fingerprint.clone(), f.message.clone()))
        .collect()
}

/// Prepares an edit of the estate held in `tree`: applies it in memory, loads and
/// validates the result, and reports what it changes.
pub fn prepare(tree: &MemTree, edit: &Edit, opts: &EditOptions) -> Result<EditResult> {
    let before = crate::load_tree(tree).map_err(|e| {
        Error::new(
            ErrorKind::Edit,
            "the estate does not load as it is; fix it first (see `nhos check`)",
        )
        .with(e.diagnostics().to_vec())
    })?;
    let changes = apply::apply(tree, &before, edit)?;
    let mut after_tree = tree.clone();
    for (rel, (_, new)) in &changes {
        match new {
            Some(b) => {
                after_tree.files.insert(rel.clone(), b.clone());
            }
            None => {
                after_tree.files.remove(rel);
            }
        }
    }
    let after = crate::load_tree(&after_tree).map_err(|e| {
        Error::new(
            ErrorKind::Edit,
            format!("after this edit the estate would not load: {}", e.message()),
        )
        .with(e.diagnostics().to_vec())
    })?;
    let vo = ValidateOptions { today: opts.today };
    let (ra, rb) = (validate(&before, &vo), validate(&after, &vo));
    let (ka, kb) = (open_errors(&ra.findings), open_errors(&rb.findings));
    let findings_added: Vec<Finding> = rb
        .findings
        .iter()
        .filter(|f| {
            f.status == Status::Open && !ka.contains(&(f.fingerprint.clone(), f.message.clone()))
        })
        .cloned()
        .collect();
    let findings_removed: Vec<Finding> = ra
        .findings
        .iter()
        .filter(|f| {
            f.status == Status::Open && !kb.contains(&(f.fingerprint.clone(), f.message.clone()))
        })
        .cloned()
        .collect();
    let new_errors: Vec<&Finding> = findings_added
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if !new_errors.is_empty() && !opts.allow_errors {
        let list: Vec<String> = new_errors.iter().map(|f| f.brief()).collect();
        return Err(Error::new(
            ErrorKind::Edit,
            format!(
                "the edit would add error-level findings ({}); allow them explicitly to go ahead",
                list.join("; ")
            ),
        ));
    }
    Ok(EditResult {
        files: changes,
        findings_added,
        findings_removed,
    })
}

/// Prepares and writes an edit of the estate in `dir`. Returns what was done.
pub fn edit_dir(dir: &Path, edit: &Edit, opts: &EditOptions) -> Result<EditResult> {
    let tree = read_dir_tree(dir)?;
    let result = prepare(&tree, edit, opts)?;
    result.write(dir)?;
    Ok(result)
}

pub(crate) fn no_profile(estate: &Estate, name: &str) -> Error {
    let hint = nearest(name, estate.profiles.keys().map(String::as_str))
        .map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    Error::new(ErrorKind::Edit, format!("no profile `{name}`{hint}"))
}

/// Whether two paths are the same file (one inode).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        std::fs::read(a).ok() == std::fs::read(b).ok()
    }
}
