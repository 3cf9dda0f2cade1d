//! X1, a test-only rule: ARCHITECTURE.md's "How to add a rule", followed once. It
//! is compiled only for tests and registered only in the test table below, so the
//! built-in pack is unchanged. Each step is marked as the how-to numbers it.

use super::prelude::*;

// Step 1: the metadata is `example_x1.toml`, beside this file (`meta::X1`).

// Step 2: the unit: judgement on the definition, enforcement on the lowered tree.
pub(super) const UNIT: Unit = Unit::profile(&meta::X1, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "screen.lock-enabled", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    if !cx.has("desktop") {
        return Enforcement::NotApplicable;
    }
    let locked = Tree(l).dconf_locked("user", "org/gnome/desktop/screensaver", "lock-enabled");
    Check::default()
        .require(
            locked == Some(&Nix::Bool(true)),
            "lock-enabled",
            "`org/gnome/desktop/screensaver/lock-enabled` is not true and locked",
        )
        .done()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{Status, ValidateOptions, validate_with};

    const TODAY: &str = "2026-11-23";

    fn example_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/example-valley")
    }

    /// Step 3: registered in the table (here a test table: the pack plus X1).
    fn units() -> Vec<Unit> {
        let mut units = super::super::UNITS.to_vec();
        units.push(UNIT);
        units
    }

    fn x1(report: &crate::validate::Report, profile: &str) -> Vec<(Status, String)> {
        (report.findings.iter())
            .filter(|f| f.rule == "X1" && f.profile.as_deref() == Some(profile))
            .map(|f| (f.status, f.subject.clone()))
            .collect()
    }

    #[test]
    fn the_example_rule_passes_where_the_definition_and_the_system_agree() {
        let today = crate::Date::parse(TODAY).expect("date");
        let estate = crate::load(example_dir()).expect("the example loads");
        let report = validate_with(&estate, &ValidateOptions { today }, &units());
        assert_eq!(x1(&report, "clinical"), vec![], "X1 passes on clinical");
        assert!(report.checked["clinical"].contains(&"X1".to_owned()));
        assert!(
            !report
                .checked
                .get("kiosk")
                .is_some_and(|r| r.contains(&"X1".to_owned())),
            "not for kiosks"
        );
    }

    /// Step 4: a violating case is reported at the definition line.
    #[test]
    fn the_example_rule_fails_a_definition_that_switches_the_lock_off() {
        let today = crate::Date::parse(TODAY).expect("date");
        let tree = crate::edit::read_dir_tree(&example_dir()).expect("reads");
        let edit = crate::Edit::SetSetting {
            profile: "clinical".into(),
            key: "screen.lock-enabled".into(),
            value: "false".into(),
        };
        let opts = crate::EditOptions {
            allow_errors: true,
            today,
        };
        let change = crate::edit::prepare(&tree, &edit, &opts).expect("edits");
        let mut edited = tree.clone();
        for (path, (_, new)) in change.files {
            edited
                .files
                .insert(path, new.expect("the edit keeps the file"));
        }
        let estate = crate::load_tree(&edited).expect("still loads");
        let report = validate_with(&estate, &ValidateOptions { today }, &units());
        let found: Vec<_> = (report.findings.iter())
            .filter(|f| f.rule == "X1" && f.profile.as_deref() == Some("clinical"))
            .collect();
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(found[0].status, Status::Open);
        let at = found[0].location.as_ref().expect("a line");
        assert_eq!(at.file, "profiles/clinical.toml");
        assert!(at.line > 0);
    }

    /// Step 5: the enforcement is checked, and fails when the tree is broken.
    #[test]
    fn the_example_rule_enforcement_fails_on_a_broken_tree() {
        let today = crate::Date::parse(TODAY).expect("date");
        let mut estate = crate::load(example_dir()).expect("the example loads");
        let l = estate.lowered_mut().get_mut("clinical").expect("clinical");
        l.dconf
            .get_mut("user")
            .and_then(|d| d.get_mut("org/gnome/desktop/screensaver"))
            .and_then(|k| k.get_mut("lock-enabled"))
            .expect("lock-enabled is lowered")
            .locked = false;
        let report = validate_with(&estate, &ValidateOptions { today }, &units());
        let x = x1(&report, "clinical");
        assert_eq!(x, vec![(Status::Open, "option:lock-enabled".to_owned())]);
    }
}
