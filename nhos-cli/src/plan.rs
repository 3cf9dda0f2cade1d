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

/// Both builds of one profile's system, to attribute their closure changes to the
/// plan's definition changes.
#[derive(clap::Args, Debug)]
pub struct BuiltPair {
    /// The old and new builds of the profile's system (./result, store paths, or
    /// `nix path-info --json --recursive` files).
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], requires_all = ["packages", "profile"])]
    pub closure: Vec<std::path::PathBuf>,
    /// The old and new package maps: `nix eval --json .#nhos.<profile>.packages` on
    /// each side's generated flake.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"], requires = "closure")]
    pub packages: Vec<std::path::PathBuf>,
    /// The profile the builds are of.
    #[arg(long, requires = "closure")]
    pub profile: Option<String>,
    /// The store database (default: $NIX_STATE_DIR/db/db.sqlite, else
    /// /nix/var/nix/db/db.sqlite); opened read-only.
    #[arg(long, requires = "closure")]
    pub db: Option<std::path::PathBuf>,
}

/// The closure impact of the plan on the profile built, when asked.
fn impact(
    a: &nhos_core::Estate,
    b: &nhos_core::Estate,
    built: &BuiltPair,
) -> nhos_core::Result<Option<nhos_core::plan::closure::ClosureImpact>> {
    use nhos_core::closure;
    let (Some(profile), [old, new], [po, pn]) = (
        built.profile.as_deref(),
        built.closure.as_slice(),
        built.packages.as_slice(),
    ) else {
        return Ok(None);
    };
    let missing = |side: &str| {
        nhos_core::Error::new(
            nhos_core::ErrorKind::Usage,
            format!("the {side} estate has no profile `{profile}`"),
        )
    };
    let pa = a.profiles.get(profile).ok_or_else(|| missing("old"))?;
    let pb = b.profiles.get(profile).ok_or_else(|| missing("new"))?;
    let (ca, cb) = closure::open_pair(old, new, &closure::store(built.db.as_deref()))?;
    let (ma, mb) = (closure::read_packages(po)?, closure::read_packages(pn)?);
    let pair = nhos_core::plan::closure::Built {
        old: &ca,
        new: &cb,
        old_packages: &ma,
        new_packages: &mb,
    };
    nhos_core::plan::closure::attribute(pa, pb, &pair).map(Some)
}

#[allow(clippy::too_many_arguments)]
pub fn run(
    old: &std::path::Path,
    new: Option<&std::path::Path>,
    from: Option<&str>,
    to: Option<&str>,
    format: PlanFormat,
    nix_diff: bool,
    today: nhos_core::Date,
    built: &BuiltPair,
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
    let mut p = nhos_core::plan(&a, &b, &nhos_core::PlanOptions::new(today, nix_diff));
    match impact(&a, &b, built) {
        Ok(i) => p.closure = i,
        Err(e) => {
            eprintln!("nhos: {e}");
            return ExitCode::from(PLAN_ERROR);
        }
    }
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
