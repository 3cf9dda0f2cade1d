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
    /// The core's evidence for `sbom` and `vulns`.
    pub fn evidence(&self) -> nhos_core::closure::Evidence {
        nhos_core::closure::Evidence {
            closure: self.closure.clone(),
            packages: self.packages.clone(),
            advisories: self.advisories.clone(),
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
    let d = match nhos_core::closure::diff_of(old, new, db.as_deref()) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
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
    // The process ends here: leave the diff's many strings to the OS.
    std::mem::forget(d);
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
    let answer = nhos_core::load(dir).and_then(|estate| {
        nhos_core::closure::why_of(&estate, profile, item, system, packages, db.as_deref())
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

fn fail(e: &nhos_core::Error) -> ExitCode {
    eprintln!("nhos: {}", render::terminal_safe(&e.to_string()));
    ExitCode::from(CLOSURE_ERROR)
}

/// `nhos sbom DIR PROFILE`: CycloneDX 1.6 JSON.
pub fn sbom(
    dir: &Path,
    profile: &str,
    ev: &nhos_core::closure::Evidence,
    output: Option<&Path>,
) -> ExitCode {
    let doc = nhos_core::load(dir).and_then(|estate| {
        nhos_core::closure::sbom_of(&estate, profile, ev, &dir.display().to_string())
    });
    let written = doc.and_then(|text| match output {
        Some(o) => nhos_core::write_atomic(o, text.as_bytes()),
        None => {
            out!("{text}");
            Ok(())
        }
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// `nhos vulns DIR PROFILE --closure … --packages … --advisories …`: the matches,
/// and rule R39 judged on them with the estate's waivers; exit 1 when a critical,
/// high or unrated advisory past the Cyber Essentials window is not waived.
pub fn vulns(dir: &Path, profile: &str, ev: &nhos_core::closure::Evidence, json: bool) -> ExitCode {
    let result = nhos_core::load(dir).and_then(|estate| {
        nhos_core::validate::vulns(&estate, profile, ev, &dir.display().to_string())
    });
    let (matches, report) = match result {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    if json {
        let both = serde_json::json!({ "matches": matches, "report": report });
        out!("{}\n", nhos_core::escape::json_pretty(&both));
    } else {
        let mut text = nhos_core::closure::scan::text(&matches);
        for f in &report.findings {
            let waiver = f
                .waiver
                .as_deref()
                .map(|w| format!(" by {w}"))
                .unwrap_or_default();
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
        } => sbom(&dir, &profile, &built.evidence(), output.as_deref()),
        crate::Command::Vulns {
            dir,
            profile,
            built,
            format,
        } => vulns(
            &dir,
            &profile,
            &built.evidence(),
            format == CheckFormat::Json,
        ),
        _ => unreachable!("main dispatches only these commands here"),
    }
}
