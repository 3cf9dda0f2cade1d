//! `nhos`: the command-line tool. A thin layer over `nhos-core`: it parses arguments,
//! calls one verb, and prints the result. Exit codes are documented in
//! `docs/cli.md`: 0 clean, 1 error-level findings, 2 could not run (and, for
//! `plan`, 2 also means "changes").

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

mod render;

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
    /// Load an estate and report every problem in its definition.
    Check {
        /// The estate directory.
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Validate an estate against the NHS desktop baseline rule pack.
    Validate {
        /// The estate directory.
        dir: PathBuf,
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
    /// Generate the Nix flake (hosts, modules, assets, manifest) for an estate.
    Generate {
        /// The estate directory.
        dir: PathBuf,
        /// The output directory (created; replaced only if it holds an nhos manifest).
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
    },
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
        Command::Check { dir, format } => check(&dir, format),
        Command::Validate {
            dir,
            format,
            baseline,
            today: day,
            output,
        } => validate(
            &dir,
            format,
            baseline.as_deref(),
            day.unwrap_or_else(today),
            output.as_deref(),
        ),
        Command::Generate {
            dir,
            output,
            check,
            today: day,
            allow_findings,
        } => generate(
            &dir,
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
        } => plan(
            &old,
            new.as_deref(),
            from.as_deref(),
            to.as_deref(),
            format,
            !no_nix_diff,
            day.unwrap_or_else(today),
        ),
        Command::Explain {
            dir,
            profile,
            item,
            format,
        } => explain(&dir, &profile, &item, format),
        Command::Edit {
            dir,
            dry_run,
            allow_errors,
            today: day,
            op,
        } => edit(&dir, op, dry_run, allow_errors, day.unwrap_or_else(today)),
        Command::Rules => {
            out!("{}", nhos_core::validate::format::rules_markdown());
            ExitCode::SUCCESS
        }
        Command::Demo { estate, today: day } => demo(estate, day.unwrap_or_else(today)),
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

fn check(dir: &std::path::Path, format: CheckFormat) -> ExitCode {
    let color = render::color_choice(std::io::stderr().is_terminal());
    let result = nhos_core::load(dir);
    let (diags, ok, summary) = match &result {
        Ok(e) => (e.warnings.clone(), true, Some(e)),
        Err(err) if err.kind() == nhos_core::ErrorKind::Load => {
            (err.diagnostics().to_vec(), false, None)
        }
        Err(err) => return fail(err),
    };
    match format {
        CheckFormat::Json => {
            let doc = serde_json::json!({
                "schema": "nhos-check/1",
                "ok": ok,
                "diagnostics": diags,
                "profiles": summary.map(|e| e.profiles.keys().collect::<Vec<_>>()),
            });
            outln!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        }
        CheckFormat::Text => {
            let sources = match summary {
                Some(e) => e.files.clone(),
                None => sources_for(dir, &diags),
            };
            render::diagnostics(&diags, &sources, color);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            let warnings = diags.len() - errors;
            match summary {
                Some(e) => outln!(
                    "{}: {} profiles ({} buildable), {} warning{}",
                    e.organisation.name,
                    e.profiles.len(),
                    e.concrete_profiles().count(),
                    warnings,
                    if warnings == 1 { "" } else { "s" }
                ),
                None => outln!(
                    "{errors} error{}, {warnings} warning{}",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" }
                ),
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDINGS)
    }
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

fn validate(
    dir: &std::path::Path,
    format: ReportFormat,
    baseline: Option<&std::path::Path>,
    today: nhos_core::Date,
    output: Option<&std::path::Path>,
) -> ExitCode {
    let estate = match load_or_report(dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let mut report = nhos_core::validate(&estate, &nhos_core::ValidateOptions { today });
    if let Some(b) = baseline {
        let text = match std::fs::read_to_string(b) {
            Ok(t) => t,
            Err(e) => return fail(&nhos_core::Error::io(b.display(), &e)),
        };
        match nhos_core::Report::from_json(&text) {
            Ok(base) => report.ratchet(&base),
            Err(e) => {
                eprintln!("nhos: {}: not an nhos JSON report: {e}", b.display());
                return ExitCode::from(EXIT_COULD_NOT_RUN);
            }
        }
    }
    use nhos_core::validate::format;
    let text = match format {
        ReportFormat::Text => format::text(&report),
        ReportFormat::Json => format::json(&report),
        ReportFormat::Sarif => format::sarif(&report),
        ReportFormat::Junit => format::junit(&report),
    };
    if let Err(code) = emit(&text, output) {
        return code;
    }
    if report.fails() {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn generate(
    dir: &std::path::Path,
    out: &std::path::Path,
    check: bool,
    opts: nhos_core::GenerateOptions,
) -> ExitCode {
    let estate = match load_or_report(dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let generated = match nhos_core::generate(&estate, &opts) {
        Ok(g) => g,
        Err(e) if e.kind() == nhos_core::ErrorKind::Findings => {
            eprintln!("nhos: {e}");
            return ExitCode::from(EXIT_FINDINGS);
        }
        Err(e) => return fail(&e),
    };
    for f in &generated.findings {
        eprintln!(
            "nhos: generated despite {} {}: {}",
            f.rule,
            f.profile.as_deref().unwrap_or("-"),
            f.message
        );
    }
    if check {
        return match nhos_core::generate::check(&generated, out) {
            Ok(drift) if drift.is_empty() => {
                outln!(
                    "{}: up to date ({} files)",
                    out.display(),
                    generated.files.len()
                );
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                for d in &drift {
                    outln!("{d}");
                }
                eprintln!(
                    "nhos: {} differs from what would be generated; run `nhos generate` without --check",
                    out.display()
                );
                ExitCode::from(EXIT_FINDINGS)
            }
            Err(e) => fail(&e),
        };
    }
    match nhos_core::generate::write(&generated, out) {
        Ok(w) => {
            if w.recovered {
                outln!("finished an interrupted earlier write first");
            }
            outln!(
                "{}: {} files generated, {} written, {} removed",
                out.display(),
                generated.files.len(),
                w.written.len(),
                w.removed.len()
            );
            if !w.kept.is_empty() {
                outln!("kept what nhos did not write: {}", w.kept.join(", "));
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

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

fn plan(
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
    let p = nhos_core::plan(
        &a,
        &b,
        &nhos_core::PlanOptions {
            today,
            findings: true,
            nix_diff,
        },
    );
    use nhos_core::plan::format;
    let text = match format {
        PlanFormat::Text => format::text(
            &p,
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        ),
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

fn explain(dir: &std::path::Path, profile: &str, item: &str, format: CheckFormat) -> ExitCode {
    let estate = match load_or_report(dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    match nhos_core::explain(&estate, profile, item) {
        Ok(ex) => {
            match format {
                CheckFormat::Text => out!("{ex}"),
                CheckFormat::Json => {
                    outln!("{}", serde_json::to_string_pretty(&ex).unwrap_or_default())
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn edit(
    dir: &std::path::Path,
    op: EditOp,
    dry_run: bool,
    allow_errors: bool,
    day: nhos_core::Date,
) -> ExitCode {
    use nhos_core::Edit;
    let edit = match op {
        EditOp::AddPackage { profile, package } => Edit::AddPackage { profile, package },
        EditOp::RemovePackage { profile, package } => Edit::RemovePackage { profile, package },
        EditOp::AddCapability {
            profile,
            capability,
        } => Edit::AddCapability {
            profile,
            capability,
        },
        EditOp::RemoveCapability {
            profile,
            capability,
        } => Edit::RemoveCapability {
            profile,
            capability,
        },
        EditOp::Set {
            profile,
            key,
            value,
        } => Edit::SetSetting {
            profile,
            key,
            value,
        },
        EditOp::Unset { profile, key } => Edit::UnsetSetting { profile, key },
        EditOp::SetBranding { field, value } => Edit::SetBranding { field, value },
        EditOp::AddWaiver {
            id,
            rule,
            profiles,
            justification,
            approver,
            approved,
            expires,
            accepts,
        } => Edit::AddWaiver {
            id,
            rule,
            profiles,
            justification,
            approver,
            approved,
            expires,
            accepts,
        },
        EditOp::AddProfile {
            name,
            role,
            inherits,
        } => Edit::AddProfile {
            name,
            role,
            inherits,
        },
        EditOp::RenameProfile { from, to } => Edit::RenameProfile { from, to },
    };
    let opts = nhos_core::EditOptions {
        allow_errors,
        today: day,
    };
    let tree = match nhos_core::edit::read_dir_tree(dir) {
        Ok(t) => t,
        Err(e) => return fail(&e),
    };
    let result = match nhos_core::edit::prepare(&tree, &edit, &opts) {
        Ok(r) => r,
        Err(e) => {
            if !e.diagnostics().is_empty() {
                let d = e.diagnostics();
                render::diagnostics(
                    d,
                    &sources_for(dir, d),
                    render::color_choice(std::io::stderr().is_terminal()),
                );
            }
            return fail(&e);
        }
    };
    out!("{}", result.diff());
    for f in &result.findings_added {
        outln!(
            "+ finding {} {} {}: {}",
            f.severity.as_str(),
            f.rule,
            f.profile.as_deref().unwrap_or("estate"),
            f.message
        );
    }
    for f in &result.findings_removed {
        outln!(
            "- finding {} {} {}: {} (fixed)",
            f.severity.as_str(),
            f.rule,
            f.profile.as_deref().unwrap_or("estate"),
            f.message
        );
    }
    if dry_run {
        outln!("dry run: nothing written");
        return ExitCode::SUCCESS;
    }
    match result.write(dir) {
        Ok(()) => {
            outln!(
                "wrote {} file{}",
                result.files.len(),
                if result.files.len() == 1 { "" } else { "s" }
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn default_example() -> PathBuf {
    let here = PathBuf::from("examples/example-valley");
    if here.join("estate.toml").is_file() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/example-valley")
}

fn demo(estate: Option<PathBuf>, day: nhos_core::Date) -> ExitCode {
    let dir = estate.unwrap_or_else(default_example);
    outln!("nhos demo: the Example Valley estate\n");
    let estate = match nhos_core::load(&dir) {
        Ok(e) => e,
        Err(e) => {
            if e.kind() == nhos_core::ErrorKind::Load {
                render::diagnostics(
                    e.diagnostics(),
                    &sources_for(&dir, e.diagnostics()),
                    render::color_choice(false),
                );
            }
            return fail(&e);
        }
    };
    outln!(
        "== load: {} ({}), nixpkgs {}",
        estate.organisation.name,
        estate.organisation.ods_code,
        estate.nixpkgs.release
    );
    for p in estate.profiles.values() {
        let kind = if p.is_abstract {
            "abstract".to_owned()
        } else {
            p.role.map_or("-", |r| r.as_str()).to_owned()
        };
        outln!(
            "   {:<10} {:<9} {:>3} packages, {:>2} capabilities, {:>2} settings; linearization {}",
            p.name,
            kind,
            p.packages.len(),
            p.capabilities.len(),
            p.settings.len(),
            p.linearization.join(" → ")
        );
    }
    let report = nhos_core::validate(&estate, &nhos_core::ValidateOptions { today: day });
    outln!(
        "\n== validate on {day}: {} errors, {} warnings; {} waived, {} manual checks, {} declared but not enforced",
        report.summary.errors,
        report.summary.warnings,
        report.summary.waived,
        report.summary.manual,
        report.summary.not_enforced
    );
    for f in report
        .findings
        .iter()
        .filter(|f| f.status == nhos_core::Status::Open && f.severity == nhos_core::Severity::Error)
    {
        outln!(
            "   error {} {}: {}",
            f.rule,
            f.profile.as_deref().unwrap_or("estate"),
            f.message
        );
    }
    if let Some(c) = estate.profiles.get("clinical")
        && let Some(s) = c.settings.get("screen.idle-delay")
    {
        outln!(
            "\n== provenance: clinical screen.idle-delay = {} from {}",
            s.value,
            s.origin
        );
        for o in &s.overrode {
            outln!("   overrode {} from {}", o.value, o.origin);
        }
    }
    let out = PathBuf::from("out");
    // The example ages (its nixpkgs release reaches its end of life): when findings
    // remain, the demo says so and generates anyway, as `--allow-findings` would,
    // with the manifest recording it.
    let allow = report.fails();
    if allow {
        outln!(
            "   `nhos generate` would refuse these; the demo generates anyway, as --allow-findings does (recorded in the manifest)"
        );
    }
    let opts = nhos_core::GenerateOptions {
        allow_findings: allow,
        ..nhos_core::GenerateOptions::new(day)
    };
    let generated = match nhos_core::generate(&estate, &opts) {
        Ok(g) => g,
        Err(e) => return fail(&e),
    };
    if let Err(e) = nhos_core::generate::write(&generated, &out) {
        return fail(&e);
    }
    outln!(
        "\n== generate: {} files in ./out (flake.nix, hosts/, modules/, assets/, nhos-manifest.json)",
        generated.files.len()
    );
    outln!(
        "\n== build and install, on a machine with Nix (this one cannot reach nixpkgs, so nothing was built here):"
    );
    outln!("   nix flake check ./out                  # builds the system of every profile");
    for p in estate.concrete_profiles() {
        for f in p.outputs.keys() {
            let attr = format!("./out#{}-{}", p.name, f.as_str());
            let how = match f {
                nhos_core::definition::OutputFormat::Installer => format!(
                    "installer ISO: write result/iso/*.iso to a USB stick, boot the device from it, run `sudo nhos-install`{}",
                    if p.str("disk.encryption") == Some("required") {
                        "; record the recovery key it shows"
                    } else {
                        ""
                    }
                ),
                nhos_core::definition::OutputFormat::Iso => {
                    "live ISO: write result/iso/*.iso to a USB stick".to_owned()
                }
                nhos_core::definition::OutputFormat::Vm => "a throw-away VM".to_owned(),
                nhos_core::definition::OutputFormat::Qcow2 => {
                    "qcow2 image for a hypervisor".to_owned()
                }
                nhos_core::definition::OutputFormat::Raw => {
                    "raw EFI disk image: write it to the device's disk".to_owned()
                }
            };
            let verb = if *f == nhos_core::definition::OutputFormat::Vm {
                "nix run  "
            } else {
                "nix build"
            };
            outln!("   {verb} {attr:<28} # {how}");
        }
    }
    let mut updates: Vec<String> = Vec::new();
    for p in estate.concrete_profiles() {
        if let (Some(true), Some(f)) = (p.bool("updates.automatic"), p.str("updates.flake"))
            && p.str("disk.layout") != Some("live")
        {
            updates.push(format!(
                "   {:<9} nixos-rebuild switch --refresh --flake {f}#{} at {}",
                p.name,
                p.name,
                p.str("updates.schedule").unwrap_or("04:40")
            ));
        }
    }
    if !updates.is_empty() {
        outln!(
            "\n== updates: commit ./out to the repository updates.flake names (here as flake/); each device then runs, on its schedule:"
        );
        for u in updates {
            outln!("{u}");
        }
    }
    if estate.nixpkgs.nar_hash.is_none() {
        outln!(
            "   The pin has no narHash, so no flake.lock was written: run `nix flake lock` in ./out once."
        );
    }
    ExitCode::SUCCESS
}
