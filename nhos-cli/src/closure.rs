//! `nhos closure diff OLD NEW`: what changed between two system closures, package
//! by package, in the style of `nix store diff-closures`, with rebuilds grouped by
//! cause, as text, JSON or Markdown.

use crate::render;
use clap::{Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ClosureFormat {
    Text,
    Json,
    Markdown,
}

/// A profile's built system, and advisories to match against it.
#[derive(clap::Args, Debug)]
pub struct Built {
    /// The profile's built system (./result, a store path) or a `nix path-info
    /// --json --recursive` file of it.
    #[arg(long, requires = "packages")]
    pub closure: Option<PathBuf>,
    /// The profile's package attributes and out paths: `nix eval --json
    /// .#nhos.<profile>.packages` on the generated flake.
    #[arg(long, requires = "closure")]
    pub packages: Option<PathBuf>,
    /// Advisory files or directories of them (OSV JSON, vulnix --json); repeat.
    #[arg(long = "advisories")]
    pub advisories: Vec<PathBuf>,
    /// The store database (default: $NIX_STATE_DIR/db/db.sqlite, else
    /// /nix/var/nix/db/db.sqlite).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Judge the age of advisories on this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = crate::parse_date)]
    pub today: Option<nhos_core::Date>,
}

impl Built {
    pub fn evidence<'a>(&'a self, dir: &'a std::path::Path, profile: &'a str) -> Evidence<'a> {
        Evidence {
            dir,
            profile,
            closure: self.closure.as_deref(),
            packages: self.packages.as_deref(),
            advisories: &self.advisories,
            db: self.db.clone(),
            today: self.today.unwrap_or_else(crate::today),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum ClosureOp {
    /// Compare two system closures package by package, as `nix store diff-closures`
    /// does, with same-version rebuilds grouped by cause and totals.
    ///
    /// Each side is a system toplevel in the local store (./result,
    /// /run/current-system, a store path) or a `nix path-info --json --recursive`
    /// file. Exit code: 0 no changes, 2 changes, 1 error.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// The store database (default: $NIX_STATE_DIR/db/db.sqlite, else
        /// /nix/var/nix/db/db.sqlite); opened read-only, no root needed.
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ClosureFormat::Text)]
        format: ClosureFormat,
    },
}

/// Exit codes of `closure diff` (as `plan`): 0 no changes, 2 changes, 1 error.
const CLOSURE_CHANGES: u8 = 2;
const CLOSURE_ERROR: u8 = 1;

pub fn diff(old: &Path, new: &Path, db: Option<PathBuf>, format: ClosureFormat) -> ExitCode {
    let mut store = nhos_core::closure::Store::from_env();
    if let Some(db) = db {
        store.db = db;
    }
    let (a, b) = match nhos_core::closure::open_pair(old, new, &store) {
        Ok(x) => x,
        Err(e) => return fail(&e),
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
    let changed =
        !(d.packages.is_empty() && d.totals.paths_added == 0 && d.totals.paths_removed == 0);
    // The process ends here: leave the closures' many strings to the OS.
    std::mem::forget((a, b, d));
    if changed {
        ExitCode::from(CLOSURE_CHANGES)
    } else {
        ExitCode::SUCCESS
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

/// What `sbom` and `vulns` read: the estate, and the profile's built system.
pub struct Evidence<'a> {
    pub dir: &'a Path,
    pub profile: &'a str,
    pub closure: Option<&'a Path>,
    pub packages: Option<&'a Path>,
    pub advisories: &'a [PathBuf],
    pub db: Option<PathBuf>,
    pub today: nhos_core::Date,
}

type Loaded = (
    nhos_core::Estate,
    Option<(
        nhos_core::closure::Closure,
        std::collections::BTreeMap<String, String>,
    )>,
    Vec<nhos_core::closure::scan::Match>,
);

fn load_evidence(ev: &Evidence<'_>) -> nhos_core::Result<Loaded> {
    use nhos_core::closure;
    let mut store = closure::Store::from_env();
    if let Some(db) = &ev.db {
        store.db = db.clone();
    }
    let estate = nhos_core::load(ev.dir)?;
    let built = match (ev.closure, ev.packages) {
        (Some(c), Some(p)) => Some((closure::open(c, &store)?, closure::read_packages(p)?)),
        (None, None) => None,
        _ => {
            return Err(nhos_core::Error::new(
                nhos_core::ErrorKind::Usage,
                "give --closure and --packages together",
            ));
        }
    };
    let advisories: Vec<&Path> = ev.advisories.iter().map(PathBuf::as_path).collect();
    let matches = match (&built, advisories.is_empty()) {
        (Some((c, p)), false) => {
            let list = closure::vex::read_advisories(&advisories)?;
            let read = |drv: &str| std::fs::read_to_string(drv).ok();
            let dir = ev.dir.display().to_string();
            closure::scan::scan(&estate, ev.profile, c, p, &list, &read, ev.today, &dir)
        }
        (None, false) => {
            return Err(nhos_core::Error::new(
                nhos_core::ErrorKind::Usage,
                "advisories are matched against a built system: give --closure and --packages",
            ));
        }
        _ => Vec::new(),
    };
    Ok((estate, built, matches))
}

fn fail(e: &nhos_core::Error) -> ExitCode {
    eprintln!("nhos: {}", render::terminal_safe(&e.to_string()));
    ExitCode::from(CLOSURE_ERROR)
}

/// `nhos sbom DIR PROFILE`: CycloneDX 1.6 JSON.
pub fn sbom(ev: &Evidence<'_>, output: Option<&Path>) -> ExitCode {
    let (estate, built, matches) = match load_evidence(ev) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let vulns = nhos_core::closure::vex::vulnerabilities(&matches);
    let doc = nhos_core::closure::sbom::sbom(
        &estate,
        ev.profile,
        built.as_ref().map(|(c, p)| (c, p)),
        &vulns,
    );
    match doc {
        Ok(text) => match output {
            Some(o) => match nhos_core::write_atomic(o, text.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            },
            None => {
                out!("{text}");
                ExitCode::SUCCESS
            }
        },
        Err(e) => fail(&e),
    }
}

/// `nhos vulns DIR PROFILE --closure … --packages … --advisories …`: the matches,
/// and rule R39 judged on them with the estate's waivers; exit 1 when a critical
/// or high advisory past the Cyber Essentials window is not waived.
pub fn vulns(ev: &Evidence<'_>, json: bool) -> ExitCode {
    let (estate, matches) = match load_evidence(ev) {
        Ok((_, None, _)) => {
            return fail(&nhos_core::Error::new(
                nhos_core::ErrorKind::Usage,
                "give the built system: --closure and --packages",
            ));
        }
        Ok((e, _, m)) => (e, m),
        Err(e) => return fail(&e),
    };
    let opts = nhos_core::ValidateOptions { today: ev.today };
    let report = match nhos_core::validate::validate_build(&estate, ev.profile, &matches, &opts) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    if json {
        let both = serde_json::json!({ "matches": matches, "report": report });
        out!("{}\n", nhos_core::escape::json_pretty(&both));
    } else {
        let mut text = nhos_core::closure::scan::text(&matches);
        for f in &report.findings {
            let waiver = f.waiver.as_deref().map(|w| format!(" by {w}")).unwrap_or_default();
            text.push_str(&format!(
                "{} {} ({}{waiver}): {}\n",
                f.rule,
                f.severity.as_str(),
                f.status.as_str(),
                f.message
            ));
        }
        out!("{}", render::terminal_safe(&text));
    }
    if report.has_errors() {
        ExitCode::from(crate::EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `why`, `sbom`, `vulns` and `closure diff`.
pub fn dispatch(command: crate::Command) -> ExitCode {
    use crate::CheckFormat;
    match command {
        crate::Command::Closure {
            op:
                ClosureOp::Diff {
                    old,
                    new,
                    db,
                    format,
                },
        } => diff(&old, &new, db, format),
        crate::Command::Why {
            dir,
            profile,
            item,
            closure,
            packages,
            db,
            format,
        } => why(
            &dir,
            &profile,
            &item,
            &closure,
            &packages,
            db,
            format == CheckFormat::Json,
        ),
        crate::Command::Sbom {
            dir,
            profile,
            built,
            output,
        } => sbom(&built.evidence(&dir, &profile), output.as_deref()),
        crate::Command::Vulns {
            dir,
            profile,
            built,
            format,
        } => vulns(&built.evidence(&dir, &profile), format == CheckFormat::Json),
        _ => unreachable!("main dispatches only these commands here"),
    }
}
