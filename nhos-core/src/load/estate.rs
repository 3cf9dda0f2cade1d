//! Checks of `estate.toml`: organisation, pins, systems, the package index.

use super::*;

impl Checker<'_> {
    pub(super) fn estate(
        &mut self,
        e: &EstateFile,
        file: &SourceFile,
    ) -> (Organisation, Pin, Vec<String>) {
        let org = &e.organisation;
        if !is_ods(&org.ods_code) {
            self.invalid(
                file,
                &org.ods_code,
                format!(
                    "`organisation.ods-code` = {:?} is not an ODS code",
                    org.ods_code.value
                ),
                "an ODS code is 3 to 6 upper-case letters and digits, e.g. \"RXX\"",
            );
        }
        let pin = self.pin(e, file);
        let systems = self.systems(e, file);
        if let Some(ix) = &e.package_index {
            self.load_index(ix, file);
        }
        (
            Organisation {
                name: org.name.value.clone(),
                ods_code: org.ods_code.value.clone(),
                nhs_identity: org.nhs_identity.as_ref().is_some_and(|b| b.value),
                location: file.location(org.name.span.clone()),
            },
            pin,
            systems,
        )
    }

    /// The nixpkgs pin: release, commit, hash and state version.
    fn pin(&mut self, e: &EstateFile, file: &SourceFile) -> Pin {
        let pin = &e.nixpkgs;
        let rel = &pin.release.value;
        let ok_release = is_release(rel);
        if !ok_release {
            self.invalid(
                file,
                &pin.release,
                format!("`nixpkgs.release` = {rel:?} is not a NixOS release"),
                "use a release such as \"26.05\" (YY.05 or YY.11)",
            );
        }
        if let Some(c) = &pin.commit {
            self.commit(file, c, "nixpkgs.commit");
        }
        if let Some(h) = &pin.nar_hash {
            self.nar_hash(file, h, "nixpkgs.nar-hash");
            if pin.commit.is_none() {
                self.invalid(
                    file,
                    h,
                    "`nixpkgs.nar-hash` without `nixpkgs.commit`".into(),
                    "add the commit the hash belongs to",
                );
            }
        }
        let state_version = match &pin.state_version {
            Some(sv) => {
                let ok =
                    is_release(&sv.value) && (!ok_release || sv.value.as_str() <= rel.as_str());
                if !ok {
                    self.diags.push(
                        Diagnostic::error(
                            Code::StateVersion,
                            Some(file.location(sv.span.clone())),
                            format!(
                                "`nixpkgs.state-version` = {:?} is not a NixOS release at or before the pinned {rel:?}",
                                sv.value
                            ),
                        )
                        .with_hint(
                            "system.stateVersion is the release the devices were first installed with (\"YY.05\" or \"YY.11\"); it never moves ahead of the pin and never changes on upgrade (nixos/modules/misc/version.nix)",
                        ),
                    );
                }
                (sv.value.clone(), file.location(sv.span.clone()))
            }
            None => (rel.clone(), file.location(pin.release.span.clone())),
        };
        Pin {
            release: pin.release.value.clone(),
            location: file.location(pin.release.span.clone()),
            commit: pin.commit.as_ref().map(|c| c.value.clone()),
            nar_hash: pin.nar_hash.as_ref().map(|h| h.value.clone()),
            state_version: state_version.0,
            state_version_location: state_version.1,
        }
    }

    /// The systems to build for, in the order written (the first is the primary).
    fn systems(&mut self, e: &EstateFile, file: &SourceFile) -> Vec<String> {
        let mut systems: Vec<String> = Vec::new();
        for s in &e.systems {
            if SYSTEMS.contains(&s.value.as_str()) {
                // The first system written is the estate's primary one: keep the order.
                if !systems.contains(&s.value) {
                    systems.push(s.value.clone());
                }
            } else {
                let hint = nearest(&s.value, SYSTEMS.iter().copied())
                    .map(|n| format!("did you mean `{n}`?"))
                    .unwrap_or_else(|| format!("supported: {}", SYSTEMS.join(", ")));
                self.invalid(file, s, format!("unsupported system {:?}", s.value), &hint);
            }
        }
        if systems.is_empty() {
            systems.push("x86_64-linux".to_owned());
        }
        systems
    }
}
