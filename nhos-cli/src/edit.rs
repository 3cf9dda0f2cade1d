//! `nhos edit DIR …`: change the definition, keeping comments and layout.

use crate::{EditOp, fail, render, sources_for};
use std::io::IsTerminal;
use std::process::ExitCode;

pub fn run(
    dir: &std::path::Path,
    op: EditOp,
    dry_run: bool,
    allow_errors: bool,
    day: nhos_core::Date,
) -> ExitCode {
    let edit = edit_of(op);
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
        outln!("+ finding {} {}", f.severity.as_str(), f.brief());
    }
    for f in &result.findings_removed {
        outln!("- finding {} {} (fixed)", f.severity.as_str(), f.brief());
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

/// The core's edit for a command line's.
fn edit_of(op: EditOp) -> nhos_core::Edit {
    use nhos_core::Edit;
    match op {
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
    }
}
