//! `nhos generate DIR... -o OUT`: the Nix flake of each estate. One estate is
//! written to OUT; several to OUT/<estate directory name>/, in parallel.

use crate::{EXIT_COULD_NOT_RUN, EXIT_FINDINGS, estates, render, sources_for};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What one estate's generation printed, and its exit code.
struct Done {
    code: u8,
    stdout: String,
    stderr: String,
    drawn: Option<render::Drawn>,
}

pub fn run(
    dirs: &[PathBuf],
    out: &Path,
    check: bool,
    opts: nhos_core::GenerateOptions,
) -> ExitCode {
    let dirs = match estates::expand_or_exit(dirs) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let many = dirs.len() > 1;
    let mut targets = Vec::new();
    for d in &dirs {
        let t = if many {
            let Some(name) = d.file_name() else {
                eprintln!("nhos: {}: an estate directory needs a name", d.display());
                return ExitCode::from(EXIT_COULD_NOT_RUN);
            };
            out.join(name)
        } else {
            out.to_path_buf()
        };
        if targets.contains(&t) {
            eprintln!(
                "nhos: two estates would be generated into {}; give estate directories distinct names",
                t.display()
            );
            return ExitCode::from(EXIT_COULD_NOT_RUN);
        }
        targets.push(t);
    }
    let color = render::color_choice(std::io::stderr().is_terminal());
    let jobs: Vec<(&PathBuf, &PathBuf)> = dirs.iter().zip(&targets).collect();
    let done = estates::each(&jobs, |(dir, target)| one(dir, target, check, opts, color));
    let mut code = 0;
    for (d, r) in dirs.iter().zip(&done) {
        if many {
            eprintln!("== {}", render::terminal_safe(&estates::label(d)));
        }
        if let Some(x) = &r.drawn {
            render::print(x);
        }
        eprint!("{}", r.stderr);
        out!("{}", r.stdout);
        code = code.max(r.code);
    }
    ExitCode::from(code)
}

fn one(
    dir: &Path,
    out: &Path,
    check: bool,
    opts: nhos_core::GenerateOptions,
    color: render::ColorChoice,
) -> Done {
    use std::fmt::Write as _;
    let mut done = Done {
        code: 0,
        stdout: String::new(),
        stderr: String::new(),
        drawn: None,
    };
    let estate = match nhos_core::load(dir) {
        Ok(e) => {
            if !e.warnings.is_empty() {
                done.drawn = Some(render::draw(&e.warnings, &e.files, color));
            }
            e
        }
        Err(err) => {
            if err.kind() == nhos_core::ErrorKind::Load {
                let d = err.diagnostics();
                done.drawn = Some(render::draw(d, &sources_for(dir, d), color));
                let _ = writeln!(
                    done.stderr,
                    "nhos: the estate has errors; fix them (see `nhos check`) before this command can run"
                );
            } else {
                let _ = writeln!(done.stderr, "nhos: {err}");
            }
            done.code = EXIT_COULD_NOT_RUN;
            return done;
        }
    };
    let generated = match nhos_core::generate(&estate, &opts) {
        Ok(g) => g,
        Err(e) => {
            let _ = writeln!(done.stderr, "nhos: {e}");
            done.code = if e.kind() == nhos_core::ErrorKind::Findings {
                EXIT_FINDINGS
            } else {
                EXIT_COULD_NOT_RUN
            };
            return done;
        }
    };
    for f in &generated.findings {
        let _ = writeln!(
            done.stderr,
            "nhos: generated despite {} {}: {}",
            f.rule,
            f.profile.as_deref().unwrap_or("-"),
            f.message
        );
    }
    if check {
        compare(&mut done, &generated, out);
    } else {
        write(&mut done, &generated, out);
    }
    done
}

/// `--check`: how the output directory differs from what would be generated.
fn compare(done: &mut Done, generated: &nhos_core::generate::Generated, out: &Path) {
    use std::fmt::Write as _;
    match nhos_core::generate::check(generated, out) {
        Ok(drift) if drift.is_empty() => {
            let _ = writeln!(
                done.stdout,
                "{}: up to date ({} files)",
                out.display(),
                generated.files.len()
            );
        }
        Ok(drift) => {
            for d in &drift {
                let _ = writeln!(done.stdout, "{d}");
            }
            let _ = writeln!(
                done.stderr,
                "nhos: {} differs from what would be generated; run `nhos generate` without --check",
                out.display()
            );
            done.code = EXIT_FINDINGS;
        }
        Err(e) => {
            let _ = writeln!(done.stderr, "nhos: {e}");
            done.code = EXIT_COULD_NOT_RUN;
        }
    }
}

/// Writes the flake and says what was written, removed and kept.
fn write(done: &mut Done, generated: &nhos_core::generate::Generated, out: &Path) {
    use std::fmt::Write as _;
    match nhos_core::generate::write(generated, out) {
        Ok(w) => {
            if w.recovered {
                let _ = writeln!(done.stdout, "finished an interrupted earlier write first");
            }
            let _ = writeln!(
                done.stdout,
                "{}: {} files generated, {} written, {} removed",
                out.display(),
                generated.files.len(),
                w.written.len(),
                w.removed.len()
            );
            if !w.kept.is_empty() {
                let _ = writeln!(
                    done.stdout,
                    "kept what nhos did not write: {}",
                    w.kept.join(", ")
                );
            }
        }
        Err(e) => {
            let _ = writeln!(done.stderr, "nhos: {e}");
            done.code = EXIT_COULD_NOT_RUN;
        }
    }
}
