//! Renders diagnostics for people (source snippets, colour on a terminal) and for
//! programs (JSON).

use codespan_reporting::diagnostic::{Diagnostic as Cs, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{
    self,
    termcolor::{ColorChoice, StandardStream},
};
use nhos_core::{Diagnostic, Severity, SourceFile};
use std::collections::BTreeMap;

pub fn color_choice(stream_is_tty: bool) -> ColorChoice {
    if std::env::var_os("NO_COLOR").is_some() || !stream_is_tty {
        ColorChoice::Never
    } else {
        ColorChoice::Auto
    }
}

/// Prints diagnostics with source snippets to stderr.
pub fn diagnostics(diags: &[Diagnostic], sources: &[SourceFile], color: ColorChoice) {
    let mut files = SimpleFiles::new();
    let mut ids = BTreeMap::new();
    for s in sources {
        ids.insert(
            s.path.clone(),
            files.add(s.path.clone(), s.text.to_string()),
        );
    }
    let writer = StandardStream::stderr(color);
    let config = term::Config::default();
    for d in diags {
        let sev = match d.severity {
            Severity::Error => CsSeverity::Error,
            Severity::Warning => CsSeverity::Warning,
            Severity::Info => CsSeverity::Note,
        };
        let mut cs = Cs::new(sev)
            .with_code(d.code.as_str())
            .with_message(&d.message);
        match &d.location {
            Some(loc) if loc.line > 0 && ids.contains_key(&loc.file) => {
                let (s, e) = loc.span;
                let e = e.max(s + 1);
                cs = cs.with_labels(vec![Label::primary(ids[&loc.file], s..e)]);
            }
            Some(loc) => cs = cs.with_notes(vec![format!("in {loc}")]),
            None => {}
        }
        if let Some(h) = &d.hint {
            cs = cs.with_notes(vec![format!("hint: {h}")]);
        }
        let mut lock = writer.lock();
        // A snippet that cannot be drawn falls back to the plain one-line form.
        if term::emit_to_write_style(&mut lock, &config, &files, &cs).is_err() {
            eprintln!("{d}");
        }
    }
}
