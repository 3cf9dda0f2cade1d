//! `nhos validate DIR...`: judge each estate against the rule pack. With several
//! estates, one combined report: per-estate sections in text, an `estates` list in
//! JSON, one SARIF run and one group of JUnit suites per estate, one exit code.

use crate::{EXIT_COULD_NOT_RUN, EXIT_FINDINGS, ReportFormat, emit, estates, render, sources_for};
use nhos_core::validate::format;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Judged {
    label: String,
    /// Warnings from loading, or the diagnostics of a load that failed.
    drawn: Option<render::Drawn>,
    outcome: Result<nhos_core::Report, String>,
}

pub fn run(
    dirs: &[PathBuf],
    fmt: ReportFormat,
    baseline: Option<&Path>,
    today: nhos_core::Date,
    output: Option<&Path>,
) -> ExitCode {
    let dirs = match estates::expand_or_exit(dirs) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let base = match read_baseline(baseline, dirs.len()) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let color = render::color_choice(std::io::stderr().is_terminal());
    let judged = estates::each(&dirs, |dir| judge(dir, today, base.as_ref(), color));
    for j in &judged {
        if let Some(d) = &j.drawn {
            if judged.len() > 1 {
                eprintln!("== {}", render::terminal_safe(&j.label));
            }
            render::print(d);
        }
        if let Err(why) = &j.outcome {
            eprintln!("nhos: {}: {why}", render::terminal_safe(&j.label));
        }
    }
    let reports: Vec<(&str, &nhos_core::Report)> = judged
        .iter()
        .filter_map(|j| j.outcome.as_ref().ok().map(|r| (j.label.as_str(), r)))
        .collect();
    let text = match render_reports(&judged, &reports, fmt) {
        Some(t) => t,
        None => return ExitCode::from(EXIT_COULD_NOT_RUN),
    };
    if let Err(code) = emit(&text, output) {
        return code;
    }
    if reports.len() < judged.len() {
        ExitCode::from(EXIT_COULD_NOT_RUN)
    } else if reports.iter().any(|(_, r)| r.fails()) {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The saved report `--baseline` names (one estate only).
fn read_baseline(
    baseline: Option<&Path>,
    estates: usize,
) -> Result<Option<nhos_core::Report>, ExitCode> {
    Ok(match baseline {
        None => None,
        Some(_) if estates > 1 => {
            eprintln!(
                "nhos: --baseline compares one estate with its saved report; give one estate"
            );
            return Err(ExitCode::from(EXIT_COULD_NOT_RUN));
        }
        Some(b) => {
            let text = match std::fs::read_to_string(b) {
                Ok(t) => t,
                Err(e) => return Err(crate::fail(&nhos_core::Error::io(b.display(), &e))),
            };
            match nhos_core::Report::from_json(&text) {
                Ok(r) => Some(r),
                Err(e) => {
                    eprintln!("nhos: {}: not an nhos JSON report: {e}", b.display());
                    return Err(ExitCode::from(EXIT_COULD_NOT_RUN));
                }
            }
        }
    })
}

/// Loads and validates one estate, drawing its diagnostics.
fn judge(
    dir: &Path,
    today: nhos_core::Date,
    base: Option<&nhos_core::Report>,
    color: codespan_reporting::term::termcolor::ColorChoice,
) -> Judged {
    let label = estates::label(dir);
    match nhos_core::load(dir) {
        Ok(e) => {
            let drawn =
                (!e.warnings.is_empty()).then(|| render::draw(&e.warnings, &e.files, color));
            let mut report = nhos_core::validate(&e, &nhos_core::ValidateOptions { today });
            if let Some(b) = &base {
                report.ratchet(b);
            }
            Judged {
                label,
                drawn,
                outcome: Ok(report),
            }
        }
        Err(err) if err.kind() == nhos_core::ErrorKind::Load => {
            let d = err.diagnostics();
            Judged {
                label,
                drawn: Some(render::draw(d, &sources_for(dir, d), color)),
                outcome: Err(
                    "the estate has errors; fix them (see `nhos check`) before it can be validated"
                        .to_owned(),
                ),
            }
        }
        Err(err) => Judged {
            label,
            drawn: None,
            outcome: Err(err.to_string()),
        },
    }
}

/// The reports in the format asked for: one estate's, or every estate's combined.
/// None when the only estate could not be validated.
fn render_reports(
    judged: &[Judged],
    reports: &[(&str, &nhos_core::Report)],
    fmt: ReportFormat,
) -> Option<String> {
    Some(if judged.len() == 1 {
        match (&judged[0].outcome, fmt) {
            (Err(_), _) => return None,
            (Ok(r), ReportFormat::Text) => format::text(r),
            (Ok(r), ReportFormat::Json) => format::json(r),
            (Ok(r), ReportFormat::Sarif) => format::sarif(r),
            (Ok(r), ReportFormat::Junit) => format::junit(r),
        }
    } else {
        match fmt {
            ReportFormat::Text => {
                let mut t = String::new();
                for (label, r) in reports {
                    t.push_str(&format!("== {}\n", render::terminal_safe(label)));
                    t.push_str(&format::text(r));
                    t.push('\n');
                }
                let failing = reports.iter().filter(|(_, r)| r.fails()).count();
                t.push_str(&format!(
                    "{} estate{} validated, {failing} failing, {} could not be validated\n",
                    reports.len(),
                    if reports.len() == 1 { "" } else { "s" },
                    judged.len() - reports.len()
                ));
                t
            }
            ReportFormat::Json => format::json_many(reports),
            ReportFormat::Sarif => format::sarif_many(reports),
            ReportFormat::Junit => format::junit_many(reports),
        }
    })
}
