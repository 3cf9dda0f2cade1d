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
    #[arg(long)]
    pub from: Option<String>,
    /// Judge rules and waivers on this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = crate::parse_date)]
    pub today: Option<nhos_core::Date>,
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
