//! Checks of `profiles/*.toml`: names, packages, capabilities, settings.

use super::*;

impl Checker<'_> {
    pub(super) fn profile(&mut self, name: &str, p: &ProfileFile, file: &SourceFile) {
        if !is_profile_name(name) {
            self.diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    Some(file_start(file)),
                    format!("profile name `{name}` (from the file name) is not allowed"),
                )
                .with_hint(
                    "rename the file: lower-case letters, digits and `-`, starting with a letter",
                ),
            );
        } else if let Some(why) = clashes(name) {
            self.diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    Some(file_start(file)),
                    format!("profile name `{name}` would clash with {why}"),
                )
                .with_hint("rename the file"),
            );
        }
        self.capability_names(p, file);
        crate::setting_checks::check(p, file, self.diags);
        for pkg in &p.packages.add {
            self.package(file, pkg, "packages.add");
        }
        for pkg in &p.packages.remove {
            self.package(file, pkg, "packages.remove");
        }
        if p.profile.is_abstract && p.outputs.is_some() {
            self.diags.push(Diagnostic::warning(
                Code::InvalidValue,
                Some(file_start(file)),
                format!("abstract profile `{name}` declares outputs; they are ignored"),
            ));
        }
        if !p.profile.is_abstract && p.profile.role.is_none() {
            self.diags.push(
                Diagnostic::error(
                    Code::MissingKey,
                    Some(file_start(file)),
                    format!("profile `{name}` has no `role`"),
                )
                .with_hint("set `profile.role` (admin, clinical, analyst, dr, kiosk, server) or mark it `abstract = true`"),
            );
        }
    }

    /// Every capability a profile adds or removes is in the catalogue.
    fn capability_names(&mut self, p: &ProfileFile, file: &SourceFile) {
        for c in p.capabilities.add.iter().chain(&p.capabilities.remove) {
            if !self.catalogue.capabilities.contains_key(c.value.as_str()) {
                let hint = nearest(
                    &c.value,
                    self.catalogue.capabilities.keys().map(String::as_str),
                )
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "known capabilities: {}",
                        self.catalogue
                            .capabilities
                            .keys()
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                self.diags.push(
                    Diagnostic::error(
                        Code::UnknownCapability,
                        Some(file.location(c.span.clone())),
                        format!("unknown capability `{}`", c.value),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}

/// The first line of a profile's file: where problems with the file as a whole
/// (its name, its role) are reported.
fn file_start(file: &SourceFile) -> Location {
    Location {
        line: 1,
        column: 1,
        ..Location::file(file.path.clone())
    }
}
