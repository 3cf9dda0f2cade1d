//! `nhos report DIR -o report.html [--from REV] [--today DATE]`: the compliance
//! report, one self-contained HTML file.

use crate::{fail, load_or_report};
use std::process::ExitCode;

/// The `report` command's arguments.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The estate directory.
    pub dir: std::path::PathBuf,
    /// The HTML file to write (atomically).
    #[arg(short, long)]
    pub output: std::path::PathBuf,
    /// Include the plan from this git revision of the estate.
    #[arg(long, conflicts_with = "old")]
    pub from: Option<String>,
    /// Include the plan from this older copy of the estate (a directory).
    #[arg(long)]
    pub old: Option<std::path::PathBuf>,
    /// Judge rules and waivers on this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = crate::parse_date)]
    pub today: Option<nhos_core::Date>,
}

/// The plan from an older version of the estate — a git revision of `dir` or
/// another directory — to `estate`, when one is given.
pub fn plan_from(
    dir: &std::path::Path,
    estate: &nhos_core::Estate,
    from: Option<&str>,
    old: Option<&std::path::Path>,
    today: nhos_core::Date,
) -> nhos_core::Result<Option<nhos_core::Plan>> {
    let old = match (from, old) {
        (Some(rev), _) => nhos_core::git_tree(dir, rev).and_then(|t| nhos_core::load_tree(&t))?,
        (None, Some(o)) => nhos_core::load(o)?,
        (None, None) => return Ok(None),
    };
    let opts = nhos_core::PlanOptions::new(today, false);
    Ok(Some(nhos_core::plan(&old, estate, &opts)))
}

pub fn run(args: &ReportArgs) -> ExitCode {
    let estate = match load_or_report(&args.dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let today = args.today.unwrap_or_else(crate::today);
    let plan = match &args.from {
        Some(rev) => {
            match nhos_core::git_tree(&args.dir, rev).and_then(|t| nhos_core::load_tree(&t)) {
                Ok(old) => Some(nhos_core::plan(
                    &old,
                    &estate,
                    &nhos_core::PlanOptions::new(today, false),
                )),
                Err(e) => return fail(&e),
            }
        }
        None => None,
    };
    let report = nhos_core::validate(&estate, &nhos_core::ValidateOptions { today });
    let opts = nhos_core::html::ReportOptions {
        report: &report,
        plan: plan.as_ref(),
    };
    let text = nhos_core::html::html(&estate, &opts);
    match nhos_core::write_atomic(&args.output, text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}
