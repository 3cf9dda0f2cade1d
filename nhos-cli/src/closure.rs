//! `nhos closure diff OLD NEW`: what changed between two system closures, package
//! by package, in the style of `nix store diff-closures`, with rebuilds grouped by
//! cause, as text, JSON or Markdown.

use crate::{ClosureFormat, render};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Exit codes of `closure diff` (as `plan`): 0 no changes, 2 changes, 1 error.
const CLOSURE_CHANGES: u8 = 2;
const CLOSURE_ERROR: u8 = 1;

pub fn diff(old: &Path, new: &Path, db: Option<PathBuf>, format: ClosureFormat) -> ExitCode {
    let mut store = nhos_core::closure::Store::from_env();
    if let Some(db) = db {
        store.db = db;
    }
    let read = |p: &Path| {
        nhos_core::closure::open(p, &store).map_err(|e| {
            eprintln!("nhos: {}", render::terminal_safe(&e.to_string()));
            ExitCode::from(CLOSURE_ERROR)
        })
    };
    let (a, b) = match read(old).and_then(|a| Ok((a, read(new)?))) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let d = nhos_core::closure::diff(&a, &b);
    use nhos_core::closure::format;
    let text = match format {
        ClosureFormat::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render::paint_sizes(&render::terminal_safe(&format::text(&d)), colour)
        }
        ClosureFormat::Json => format::json(&d),
        ClosureFormat::Markdown => format::markdown(&d),
    };
    out!("{text}");
    if d.packages.is_empty() && d.totals.paths_added == 0 && d.totals.paths_removed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(CLOSURE_CHANGES)
    }
}

/// `nhos why DIR PROFILE ITEM --closure TOPLEVEL --packages FILE`.
pub fn why(
    dir: &Path,
    profile: &str,
    item: &str,
    system: &Path,
    packages: &Path,
    db: Option<PathBuf>,
    json: bool,
) -> ExitCode {
    let mut store = nhos_core::closure::Store::from_env();
    if let Some(db) = db {
        store.db = db;
    }
    let answer = nhos_core::load(dir).and_then(|estate| {
        let closure = nhos_core::closure::open(system, &store)?;
        let map = nhos_core::closure::read_packages(packages)?;
        nhos_core::closure::why(&estate, profile, &closure, &map, item)
    });
    match answer {
        Ok(w) if json => {
            out!("{}\n", nhos_core::escape::json_pretty(&w));
            ExitCode::SUCCESS
        }
        Ok(w) => {
            out!("{}", render::terminal_safe(&w.to_string()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("nhos: {}", render::terminal_safe(&e.to_string()));
            ExitCode::from(CLOSURE_ERROR)
        }
    }
}
