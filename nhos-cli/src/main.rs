//! `nhos`: the command-line tool. A thin layer over `nhos-core`: it parses arguments,
//! calls one verb, and prints the result. Exit codes are documented in
//! `docs/cli.md`: 0 clean, 1 error-level findings, 2 could not run (and, for
//! `plan`, 2 also means "changes").

use clap::{Parser, Subcommand, ValueEnum};
use closure::{Built, ClosureOp};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Prints to standard output, ignoring a closed pipe (`nhos … | head` must not panic).
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

/// As [`out!`], with a newline.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

mod check;
mod closure;
mod demo;
mod edit;
mod estates;
mod evidence;
mod explain;
mod fleet;
mod generate;
mod graph;
mod plan;
mod render;
mod report;
mod validate;

#[derive(Parser, Debug)]
#[command(
    name = "nhos",
    version,
    about = "An NHS desktop estate as code: check, validate, plan and generate it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
enum EditOp {
    /// Add a nixpkgs package to a profile.
    AddPackage { profile: String, package: String },
    /// Remove a package from a profile (also one it inherits or gets from a capability).
    RemovePackage { profile: String, package: String },
    /// Add a capability to a profile.
    AddCapability { profile: String, capability: String },
    /// Remove a capability from a profile.
    RemoveCapability { profile: String, capability: String },
    /// Set a setting (VALUE is TOML: 300, true, "blocked"; a bare word is a string).
    Set {
        profile: String,
        key: String,
        value: String,
    },
    /// Remove a setting the profile sets itself (it then inherits the value).
    Unset { profile: String, key: String },
    /// Set a branding field (os-name, colours.accent, assets.wallpaper, ...).
    SetBranding { field: String, value: String },
    /// Add a waiver to policy.toml.
    AddWaiver {
        #[arg(long)]
        id: String,
        #[arg(long)]
        rule: String,
        /// Profiles it covers (repeat; none = all).
        #[arg(long = "profile")]
        profiles: Vec<String>,
        #[arg(long)]
        justification: String,
        #[arg(long)]
        approver: String,
        /// The day the risk was accepted (its length to --expires is limited by the
        /// policy's max-waiver-days).
        #[arg(long, value_parser = parse_date)]
        approved: Option<nhos_core::Date>,
        #[arg(long, value_parser = parse_date)]
        expires: nhos_core::Date,
        /// What it accepts, as KEY=VALUE (repeat), e.g. screen.idle-delay=900: it
        /// covers only findings about these settings with these values.
        #[arg(long = "accepts", value_parser = parse_accepts)]
        accepts: Vec<(String, String)>,
    },
    /// Add a profile that inherits from others.
    AddProfile {
        name: String,
        /// The role; without one the profile is abstract.
        #[arg(long)]
        role: Option<String>,
        /// Parents (repeat, most important first).
        #[arg(long = "inherits")]
        inherits: Vec<String>,
    },
    /// Rename a profile, updating every profile and waiver that names it.
    RenameProfile { from: String, to: String },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum PlanFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ReportFormat {
    Text,
    Json,
    Sarif,
    Junit,
}

fn parse_accepts(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_owned(), v.trim().to_owned()))
        }
        _ => Err(format!(
            "{s:?} is not KEY=VALUE, e.g. screen.idle-delay=900"
        )),
    }
}

fn parse_date(s: &str) -> Result<nhos_core::Date, String> {
    nhos_core::Date::parse(s).ok_or_else(|| format!("{s:?} is not a date such as 2026-11-23"))
}

/// Today's date (UTC) from the system clock: the only place nhos reads the clock.
fn today() -> nhos_core::Date {
    nhos_core::Date::today_utc()
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Load estates and report every problem in their definitions.
    Check {
        /// Estate directories, or directories of estates (several are checked in
        /// parallel, with one combined report).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Validate estates against the NHS desktop baseline rule pack.
    Validate {
        /// Estate directories, or directories of estates (several are validated in
        /// parallel, with one combined report and one exit code).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
        /// A saved JSON report: fail only on findings that are new against it.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Judge waivers and release support on this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_date)]
        today: Option<nhos_core::Date>,
        /// Write the report to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Generate the Nix flake (hosts, modules, assets, manifest) for estates.
    Generate {
        /// Estate directories, or directories of estates (several are generated in
        /// parallel, each into OUTPUT/<estate directory name>).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The output directory (created; nhos replaces only the files its manifest lists).
        #[arg(long, short)]
        output: PathBuf,
        /// Do not write: exit 1 and name the files that differ from what would be generated.
        #[arg(long)]
        check: bool,
        /// Judge the policy on this day (YYYY-MM-DD): waivers, release support.
        #[arg(long, value_parser = parse_date)]
        today: Option<nhos_core::Date>,
        /// Generate although error-level findings remain; the manifest records them.
        #[arg(long)]
        allow_findings: bool,
    },
    /// Plan a change: what moving from OLD to NEW does to every profile.
    ///
    /// `nhos plan OLD NEW` compares two directories; `nhos plan DIR --from REV [--to REV]`
    /// compares git revisions of one estate (the working tree when --to is omitted).
    /// Exit code: 0 no changes, 2 changes, 1 error.
    Plan {
        /// The old estate (or the estate, with --from).
        old: PathBuf,
        /// The new estate.
        new: Option<PathBuf>,
        /// Git revision of the old estate.
        #[arg(long)]
        from: Option<String>,
        /// Git revision of the new estate (default: the working tree).
        #[arg(long, requires = "from")]
        to: Option<String>,
        #[arg(long, value_enum, default_value_t = PlanFormat::Text)]
        format: PlanFormat,
        /// Leave out the text diff of the generated Nix.
        #[arg(long)]
        no_nix_diff: bool,
        /// Judge rule results on this day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        today: Option<nhos_core::Date>,
        #[command(flatten)]
        built: plan::BuiltPair,
    },
    /// Draw the estate: profiles, inheritance, capabilities and outputs, as SVG or for
    /// Graphviz (dot) or Mermaid.
    Graph(graph::GraphArgs),
    /// Write an evidence pack (validation JSON and SARIF, manifest, graph, plan, a
    /// SHA-256 index, signed with --sign), or check one: `evidence verify PACK`.
    Evidence(evidence::EvidenceArgs),
    /// Device checks compiled from the rule pack: Fleet policies or an osquery pack,
    /// each query named for its rule and profile.
    Fleet(fleet::FleetArgs),
    /// The compliance report: one self-contained HTML file (summary, inheritance,
    /// rule x profile matrix, findings with their lines, waivers, plan).
    Report(report::ReportArgs),
    /// Explain why a package, capability, setting or generated option is in a profile.
    Explain {
        /// The estate directory.
        dir: PathBuf,
        /// The profile.
        profile: String,
        /// A package, capability, setting key (screen.idle-delay), option path or dconf key.
        item: String,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Edit the definition, keeping comments and layout; checked before writing.
    Edit {
        /// The estate directory.
        dir: PathBuf,
        /// Print the text diff and findings, write nothing.
        #[arg(long, global = true)]
        dry_run: bool,
        /// Go ahead even if the edit adds error-level findings.
        #[arg(long, global = true)]
        allow_errors: bool,
        /// Judge the findings the edit adds or fixes on this day (YYYY-MM-DD)
        /// instead of today.
        #[arg(long, global = true, value_parser = parse_date)]
        today: Option<nhos_core::Date>,
        #[command(subcommand)]
        op: EditOp,
    },
    /// Why a store path is in a profile's built system: the definition line,
    /// capability and package attribute that bring it, and the shortest reference
    /// chain below the package.
    Why {
        /// The estate directory.
        dir: PathBuf,
        /// The profile.
        profile: String,
        /// A store path, a package attribute, or a package name (openssl).
        item: String,
        /// The profile's built system (./result, a store path) or a `nix path-info
        /// --json --recursive` file of it.
        #[arg(long)]
        closure: PathBuf,
        /// The profile's package attributes and out paths: the output of
        /// `nix eval --json .#nhos.<profile>.packages` on the generated flake.
        #[arg(long)]
        packages: PathBuf,
        /// The store database (as for `closure diff`).
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// A CycloneDX 1.6 SBOM of a profile: from its built system when given (every
    /// store path, with purl, NAR hash and the definition line that brought it in),
    /// else from the definition. Reproducible: no timestamp, serial from content.
    Sbom {
        dir: PathBuf,
        profile: String,
        #[command(flatten)]
        built: Built,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Known vulnerabilities of a profile's built system, from advisory files (OSV
    /// records or vulnix --json output), with CVEs its derivations patch counted as
    /// fixed; rule R39 judged on them with the estate's waivers. Exit code 1 when a
    /// critical, high or unrated one over 14 days old is not waived.
    Vulns {
        dir: PathBuf,
        profile: String,
        #[command(flatten)]
        built: Built,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Store closures of built systems: `nhos closure diff OLD NEW`.
    Closure {
        #[command(subcommand)]
        op: ClosureOp,
    },
    /// List the rules of the built-in rule pack (Markdown).
    Rules,
    /// Run the main job on the bundled example estate.
    Demo {
        /// The example estate (defaults to examples/example-valley beside the binary's source).
        #[arg(long)]
        estate: Option<PathBuf>,
        /// Judge the estate on this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_parser = parse_date)]
        today: Option<nhos_core::Date>,
    },
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_COULD_NOT_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { dirs, format } => check::run(&dirs, format),
        Command::Validate {
            dirs,
            format,
            baseline,
            today: day,
            output,
        } => validate::run(
            &dirs,
            format,
            baseline.as_deref(),
            day.unwrap_or_else(today),
            output.as_deref(),
        ),
        Command::Generate {
            dirs,
            output,
            check,
            today: day,
            allow_findings,
        } => generate::run(
            &dirs,
            &output,
            check,
            nhos_core::GenerateOptions {
                today: day.unwrap_or_else(today),
                allow_findings,
            },
        ),
        Command::Plan {
            old,
            new,
            from,
            to,
            format,
            no_nix_diff,
            today: day,
            built,
        } => plan::run(
            &old,
            new.as_deref(),
            from.as_deref(),
            to.as_deref(),
            format,
            !no_nix_diff,
            day.unwrap_or_else(today),
            &built,
        ),
        Command::Graph(args) => graph::run(&args),
        Command::Evidence(args) => evidence::run(args),
        Command::Fleet(args) => fleet::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Explain {
            dir,
            profile,
            item,
            format,
        } => explain::run(&dir, &profile, &item, format),
        Command::Edit {
            dir,
            dry_run,
            allow_errors,
            today: day,
            op,
        } => edit::run(&dir, op, dry_run, allow_errors, day.unwrap_or_else(today)),
        Command::Why { .. }
        | Command::Sbom { .. }
        | Command::Vulns { .. }
        | Command::Closure { .. } => closure::dispatch(cli.command),
        Command::Rules => {
            out!("{}", nhos_core::validate::format::rules_markdown());
            ExitCode::SUCCESS
        }
        Command::Demo { estate, today: day } => demo::run(estate, day.unwrap_or_else(today)),
    }
}

fn fail(err: &nhos_core::Error) -> ExitCode {
    eprintln!("nhos: {err}");
    ExitCode::from(EXIT_COULD_NOT_RUN)
}

/// Reads the files of a failed load for snippets (only the ones diagnostics name).
fn sources_for(
    dir: &std::path::Path,
    diags: &[nhos_core::Diagnostic],
) -> Vec<nhos_core::SourceFile> {
    let mut names: Vec<&str> = diags
        .iter()
        .filter_map(|d| d.location.as_ref())
        .map(|l| l.file.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter_map(|n| {
            let bytes = std::fs::read(dir.join(n)).ok()?;
            Some(nhos_core::SourceFile::new(
                n,
                String::from_utf8_lossy(&bytes).into_owned(),
            ))
        })
        .collect()
}

/// Loads an estate, printing diagnostics; `None` means the caller should exit with
/// the returned code.
fn load_or_report(dir: &std::path::Path) -> Result<nhos_core::Estate, ExitCode> {
    match nhos_core::load(dir) {
        Ok(e) => {
            if !e.warnings.is_empty() {
                render::diagnostics(
                    &e.warnings,
                    &e.files,
                    render::color_choice(std::io::stderr().is_terminal()),
                );
            }
            Ok(e)
        }
        Err(err) if err.kind() == nhos_core::ErrorKind::Load => {
            let d = err.diagnostics();
            render::diagnostics(
                d,
                &sources_for(dir, d),
                render::color_choice(std::io::stderr().is_terminal()),
            );
            eprintln!(
                "nhos: the estate has errors; fix them (see `nhos check`) before this command can run"
            );
            Err(ExitCode::from(EXIT_COULD_NOT_RUN))
        }
        Err(err) => Err(fail(&err)),
    }
}

/// Writes `text` to `output` (atomically) or standard output.
fn emit(text: &str, output: Option<&std::path::Path>) -> Result<(), ExitCode> {
    match output {
        None => {
            out!("{text}");
            Ok(())
        }
        Some(path) => nhos_core::write_atomic(path, text.as_bytes()).map_err(|e| fail(&e)),
    }
}
