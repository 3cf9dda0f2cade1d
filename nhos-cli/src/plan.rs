//! `nhos plan OLD NEW` / `nhos plan DIR --from REV`: what a change does to every
//! profile.

use crate::{PlanFormat, render, sources_for};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Exit codes of `plan` (as documented): 0 no changes, 2 changes, 1 error.
const PLAN_CHANGES: u8 = 2;
const PLAN_ERROR: u8 = 1;

fn load_side(dir: &std::path::Path, rev: Option<&str>) -> Result<nhos_core::Estate, ExitCode> {
    let result = match rev {
        Some(r) => nhos_core::git_tree(dir, r).and_then(|t| nhos_core::load_tree(&t)),
        None => nhos_core::load(dir),
    };
    result.map_err(|e| {
        if e.kind() == nhos_core::ErrorKind::Load {
            let d = e.diagnostics();
            render::diagnostics(
                d,
                &sources_for(dir, d),
                render::color_choice(std::io::stderr().is_terminal()),
            );
        }
        eprintln!(
            "nhos: {}{e}",
            rev.map(|r| format!("at {r}: ")).unwrap_or_default()
        );
        ExitCode::from(PLAN_ERROR)
    })
}

pub fn run(
    old: &std::path::Path,
    new: Option<&std::path::Path>,
    from: Option<&str>,
    to: Option<&str>,
    format: PlanFormat,
    nix_diff: bool,
    today: nhos_core::Date,
) -> ExitCode {
    let sides = match (new, from) {
        (Some(n), None) => load_side(old, None).and_then(|a| Ok((a, load_side(n, None)?))),
        (None, Some(rev)) => load_side(old, Some(rev)).and_then(|a| Ok((a, load_side(old, to)?))),
        _ => {
            eprintln!("nhos: give two directories (nhos plan OLD NEW) or one with --from REV");
            return ExitCode::from(PLAN_ERROR);
        }
    };
    let (a, b) = match sides {
        Ok(s) => s,
        Err(code) => return code,
    };
    let p = nhos_core::plan(&a, &b, &nhos_core::PlanOptions::new(today, nix_diff));
    use nhos_core::plan::format;
    let text = match format {
        PlanFormat::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            crate::render::paint_plan(&format::text(&p), colour)
        }
        PlanFormat::Json => format::json(&p),
        PlanFormat::Markdown => format::markdown(&p),
    };
    out!("{text}");
    if p.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(PLAN_CHANGES)
    }
}
