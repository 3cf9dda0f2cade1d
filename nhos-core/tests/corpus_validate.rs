//! Every `tests/corpus/rule-*` case: what the change does to the example's report
//! (the findings that differ from the example's own) is a reviewed insta snapshot,
//! and the rule the case is named for is among them.

mod common;

use nhos_core::{Finding, Status, ValidateOptions, validate};
use std::collections::BTreeSet;

fn key(f: &Finding) -> (String, String, Status) {
    (f.fingerprint.clone(), f.message.clone(), f.status)
}

#[test]
fn rule_corpus() {
    let base = nhos_core::load(common::example()).expect("example loads");
    let cases = common::cases("rule-");
    let mut covered = BTreeSet::new();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/corpus");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, path) in cases {
            let today = common::today(&path);
            let base_report = validate(
                &base,
                &ValidateOptions {
                    today: common::FIXED_TODAY,
                },
            );
            let before: BTreeSet<_> = base_report.findings.iter().map(key).collect();
            let dir = common::materialize(&path);
            let estate = nhos_core::load(dir.path()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let report = validate(&estate, &ValidateOptions { today });
            let changed: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| !before.contains(&key(f)))
                .collect();
            // The case shows its own rule as an open (or manual) finding.
            let rule = name.split('-').nth(1).expect("rule-<id>-…").to_uppercase();
            assert!(
                changed
                    .iter()
                    .any(|f| f.rule == rule && f.status != Status::Waived),
                "{name}: no new {rule} finding in {changed:#?}"
            );
            covered.insert(rule);
            insta::assert_json_snapshot!(
                name.as_str(),
                serde_json::json!({ "summary": report.summary, "changed": changed })
            );
        }
    });
    for r in nhos_core::rules::RULES {
        // Rules judged on a built system are tested on systems built with Nix
        // (tests/closure.rs: rule_r39_…), not on definitions.
        if r.judged == nhos_core::rules::Judged::Build {
            continue;
        }
        assert!(covered.contains(r.id), "no corpus case for rule {}", r.id);
    }
    assert!(covered.contains("W"), "no corpus case for waivers");
}

#[test]
fn example_passes_apart_from_what_it_waives() {
    let e = nhos_core::load(common::example()).expect("example loads");
    let report = validate(
        &e,
        &ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    let open: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Open)
        .collect();
    assert!(open.is_empty(), "open findings in the example: {open:#?}");
    // The kiosk and DR waivers (documented in examples/example-valley/policy.toml) are used.
    let waived: BTreeSet<&str> = report
        .findings
        .iter()
        .filter_map(|f| f.waiver.as_deref())
        .collect();
    assert_eq!(waived, BTreeSet::from(["W-001", "W-002", "W-003"]));
    assert!(report.summary.manual > 0, "R22 is reported as manual");
    assert!(!report.fails());
}
