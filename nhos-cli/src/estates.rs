//! Many estates in one run: the estate directories a command was given (a directory
//! of estates stands for the estates in it), loaded in parallel.

use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The estates named by `paths`: each an estate directory (it has `estate.toml`), or
/// a directory whose immediate subdirectories with an `estate.toml` are estates
/// (sorted by name). Errors name the path that is neither.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.join("estate.toml").exists() {
            out.push(p.clone());
            continue;
        }
        let entries = std::fs::read_dir(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .filter(|d| d.join("estate.toml").exists())
            .collect();
        if found.is_empty() {
            // A single directory that is not an estate: let load say why, at it.
            out.push(p.clone());
            continue;
        }
        found.sort();
        out.extend(found);
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

/// [`expand`] for a command: an error is printed, and becomes the exit code.
pub fn expand_or_exit(paths: &[PathBuf]) -> Result<Vec<PathBuf>, std::process::ExitCode> {
    expand(paths).map_err(|e| {
        eprintln!("nhos: {e}");
        std::process::ExitCode::from(crate::EXIT_COULD_NOT_RUN)
    })
}

/// Runs `f` on every item in parallel, keeping the order given.
pub fn each<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync + Send) -> Vec<T> {
    nhos_core::pool::install(|| items.par_iter().map(f).collect())
}

/// The name an estate is shown under: the path as given.
pub fn label(dir: &Path) -> String {
    dir.display().to_string()
}
