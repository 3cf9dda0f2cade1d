//! `nhos check DIR...`: load each estate and report every problem in its
//! definition.

use crate::{CheckFormat, EXIT_FINDINGS, estates, render, sources_for};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

struct Checked {
    label: String,
    ok: bool,
    /// The estate could not be read at all (not a definition problem).
    broken: bool,
    json: serde_json::Value,
    rendered: Option<render::Drawn>,
    summary: String,
}

pub fn run(dirs: &[PathBuf], format: CheckFormat) -> ExitCode {
    let dirs = match estates::expand_or_exit(dirs) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let color = render::color_choice(std::io::stderr().is_terminal());
    let results = estates::each(&dirs, |dir| check_one(dir, format, color));
    print(&results, format);
    if results.iter().any(|r| r.broken) {
        ExitCode::from(crate::EXIT_COULD_NOT_RUN)
    } else if results.iter().all(|r| r.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FINDINGS)
    }
}

/// Loads one estate (keeping no option trees: memory stays small per profile) and
/// renders what the format needs.
fn check_one(
    dir: &std::path::Path,
    format: CheckFormat,
    color: codespan_reporting::term::termcolor::ColorChoice,
) -> Checked {
    // A definition check keeps no option trees: memory stays small per profile.
    let result = nhos_core::load_with(dir, &nhos_core::LoadOptions { keep_trees: false });
    let (diags, ok) = match &result {
        Ok(e) => (e.warnings.clone(), true),
        Err(err) if err.kind() == nhos_core::ErrorKind::Load => (err.diagnostics().to_vec(), false),
        Err(_) => (Vec::new(), false),
    };
    let broken = matches!(&result, Err(err) if err.kind() != nhos_core::ErrorKind::Load);
    let estate = result.as_ref().ok();
    let json = serde_json::json!({
        "schema": "nhos-check/1",
        "ok": ok,
        "diagnostics": diags,
        "profiles": estate.map(|e| e.profiles.keys().collect::<Vec<_>>()),
    });
    let (rendered, summary) = if format == CheckFormat::Text {
        let sources = match estate {
            Some(e) => e.files.clone(),
            None => sources_for(dir, &diags),
        };
        let errors = diags.iter().filter(|d| d.is_error()).count();
        let warnings = diags.len() - errors;
        let summary = match (estate, &result) {
            (Some(e), _) => format!(
                "{}: {} profiles ({} buildable), {} warning{}",
                e.organisation.name,
                e.profiles.len(),
                e.concrete_profiles().count(),
                warnings,
                if warnings == 1 { "" } else { "s" }
            ),
            (None, Err(err)) if err.kind() != nhos_core::ErrorKind::Load => {
                format!("could not check: {err}")
            }
            _ => format!(
                "{errors} error{}, {warnings} warning{}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            ),
        };
        (Some(render::draw(&diags, &sources, color)), summary)
    } else {
        (None, String::new())
    };
    Checked {
        label: estates::label(dir),
        ok,
        broken,
        json,
        rendered,
        summary,
    }
}

/// Prints the results: one estate's, or each and a total.
fn print(results: &[Checked], format: CheckFormat) {
    let many = results.len() > 1;
    match format {
        CheckFormat::Json if !many => {
            outln!("{}", nhos_core::escape::json_pretty(&results[0].json));
        }
        CheckFormat::Json => {
            let doc = serde_json::json!({
                "schema": "nhos-checks/1",
                "estates": results.iter().map(|r| {
                    let mut j = r.json.clone();
                    j["estate"] = serde_json::Value::String(r.label.clone());
                    j
                }).collect::<Vec<_>>(),
            });
            outln!("{}", nhos_core::escape::json_pretty(&doc));
        }
        CheckFormat::Text => {
            for r in results {
                if many {
                    eprintln!("== {}", render::terminal_safe(&r.label));
                }
                if let Some(d) = &r.rendered {
                    render::print(d);
                }
                if many {
                    outln!("{}: {}", render::terminal_safe(&r.label), r.summary);
                } else {
                    outln!("{}", r.summary);
                }
            }
            if many {
                let failed = results.iter().filter(|r| !r.ok).count();
                outln!(
                    "{} estate{} checked, {failed} with errors",
                    results.len(),
                    if results.len() == 1 { "" } else { "s" }
                );
            }
        }
    }
}
