//! Every rule is enforced, not only validated: for each rule with an enforcement, a
//! definition that passes it produces the options that make it true (the example
//! and the generate corpus), and a tree with those options broken on purpose makes
//! the check on the option tree fail. Rules nothing on a device can enforce are
//! reported as declared, not enforced.

mod common;

use nhos_core::generate::lower::{Lowered, Opt};
use nhos_core::generate::nix::Nix;
use nhos_core::rules::{Enforcement, RULES, enforcement};
use nhos_core::{Estate, Status, ValidateOptions, validate};

fn estates() -> Vec<(String, Estate)> {
    let mut out = vec![(
        "example".to_owned(),
        nhos_core::load(common::example()).expect("example loads"),
    )];
    for (name, path) in common::cases("generate-") {
        let dir = common::materialize(&path);
        out.push((name, nhos_core::load(dir.path()).expect("loads")));
    }
    out
}

/// Whether an option path (or dconf key) matches an `enforced_by` entry.
fn matches(entry: &str, path: &[String]) -> bool {
    let segs: Vec<&str> = entry.split('.').collect();
    path.len() >= segs.len()
        && segs
            .iter()
            .zip(path)
            .all(|(e, p)| *e == "<name>" || *e == p.as_str())
}

/// The tree without the options and dconf keys that enforce the rule.
fn without_enforcement(entries: &[&str], l: &Lowered) -> Lowered {
    let mut l = l.clone();
    l.options
        .retain(|o| !entries.iter().any(|e| matches(e, &o.path)));
    for e in entries {
        if let Some(key) = e.strip_prefix("dconf:") {
            let (profile, rest) = key.split_once(':').expect("dconf:<profile>:<dir>/<key>");
            let (dir, name) = rest.rsplit_once('/').expect("<dir>/<key>");
            if let Some(keys) = l.dconf.get_mut(profile).and_then(|d| d.get_mut(dir)) {
                keys.remove(name);
            }
        }
    }
    l
}

/// Rules whose enforcement is that something is absent: breaking it means adding it.
fn with_violation(rule: &str, l: &Lowered) -> Option<Lowered> {
    let add = |path: &str, value: Nix| {
        let mut l = l.clone();
        l.options.push(Opt {
            path: path.split('.').map(str::to_owned).collect(),
            value,
            comment: None,
        });
        l
    };
    match rule {
        "R26" => Some(add("services.openssh.enable", Nix::Bool(true))),
        "R33" => Some(add(
            "services.displayManager.autoLogin.enable",
            Nix::Bool(true),
        )),
        _ => None,
    }
}

fn present(entries: &[&str], l: &Lowered) -> bool {
    l.options
        .iter()
        .any(|o| entries.iter().any(|e| matches(e, &o.path)))
        || entries.iter().any(|e| {
            e.strip_prefix("dconf:").is_some_and(|k| {
                let (profile, rest) = k.split_once(':').unwrap_or_default();
                let (dir, name) = rest.rsplit_once('/').unwrap_or_default();
                l.dconf_key(profile, dir, name).is_some()
            })
        })
}

/// Rules that nothing on a device enforces, or that the example leaves to a person:
/// they are declared, not enforced (or manual) wherever they apply.
const NOT_ON_THE_DEVICE: &[&str] = &[
    "R1", "R2", "R22", "R23", "R38", "B2", "B3", "B4", "B5", "C1",
];

#[test]
fn every_rule_is_enforced_where_the_definition_passes_it_and_fails_when_broken() {
    let estates = estates();
    let today = common::FIXED_TODAY;
    let mut enforced_somewhere = std::collections::BTreeSet::new();
    let mut broken_checked = std::collections::BTreeSet::new();
    for (name, e) in &estates {
        let report = validate(e, &ValidateOptions { today });
        for (profile, l) in e.lowered() {
            for rule in RULES {
                let Some(outcome) = enforcement(rule, e, profile, l, today) else {
                    continue;
                };
                let judged_clean = !report.findings.iter().any(|f| {
                    f.rule == rule.id
                        && f.profile.as_deref() == Some(profile)
                        && matches!(f.status, Status::Open | Status::Waived)
                });
                if !judged_clean {
                    // Enforcement is checked only where the definition passes the
                    // rule: what it promises is what the tree must hold.
                    continue;
                }
                if outcome == Enforcement::Enforced {
                    enforced_somewhere.insert(rule.id);
                }
                assert!(
                    !matches!(outcome, Enforcement::Broken(_)),
                    "{name}/{profile}: {} is broken in a correct lowering: {outcome:?}",
                    rule.id
                );
                // What is enforced must break when its options go; R21 is enforced in
                // part (the VPN connection) and declared, not enforced, for the rest.
                let partial = rule.id == "R21" && matches!(outcome, Enforcement::NotEnforced(_));
                if outcome != Enforcement::Enforced && !partial {
                    continue;
                }
                let broken = if let Some(v) = with_violation(rule.id, l) {
                    v
                } else if present(rule.enforced_by, l) {
                    without_enforcement(rule.enforced_by, l)
                } else {
                    continue;
                };
                let after = enforcement(rule, e, profile, &broken, today);
                assert!(
                    matches!(after, Some(Enforcement::Broken(_))),
                    "{name}/{profile}: breaking {}'s enforcement ({:?}) went unnoticed: {after:?}",
                    rule.id,
                    rule.enforced_by
                );
                broken_checked.insert(rule.id);
            }
        }
    }
    for rule in RULES {
        if rule.enforced_by.is_empty() || NOT_ON_THE_DEVICE.contains(&rule.id) {
            continue;
        }
        assert!(
            broken_checked.contains(rule.id),
            "{}'s enforcement was never broken on purpose",
            rule.id
        );
        if rule.id != "R21" {
            assert!(
                enforced_somewhere.contains(rule.id),
                "{} is enforced nowhere in the example or the generate corpus",
                rule.id
            );
        }
    }
    // R21 is declared, not enforced by design (an always-on VPN needs the user).
    assert!(!enforced_somewhere.contains("R21"));
}

#[test]
fn a_broken_tree_is_reported_by_validate_as_an_error_not_as_a_pass() {
    let mut e = nhos_core::load(common::example()).expect("loads");
    let today = common::FIXED_TODAY;
    let clean = validate(&e, &ValidateOptions { today });
    assert_eq!(clean.summary.errors, 0, "{:#?}", clean.findings);
    // Break the lowering: drop the lock on the idle delay, and turn the firewall off
    // while the definition asks for it.
    let l = e.lowered_mut().get_mut("clinical").expect("clinical");
    l.dconf
        .get_mut("user")
        .and_then(|d| d.get_mut("org/gnome/desktop/session"))
        .and_then(|k| k.get_mut("idle-delay"))
        .expect("idle-delay")
        .locked = false;
    for o in &mut l.options {
        if o.path.join(".") == "networking.firewall.enable" {
            o.value = Nix::Bool(false);
        }
    }
    let report = validate(&e, &ValidateOptions { today });
    let caught: Vec<(&str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Open && f.subject.starts_with("option:"))
        .map(|f| (f.rule.as_str(), f.subject.as_str()))
        .collect();
    assert_eq!(
        caught,
        [
            ("R5", "option:idle-delay"),
            ("R9", "option:networking.firewall.enable")
        ]
    );
    assert!(report.fails());
    // And generate refuses to write it.
    let err =
        nhos_core::generate(&e, &nhos_core::GenerateOptions::new(today)).expect_err("refuses");
    assert_eq!(err.kind(), nhos_core::ErrorKind::Findings);
    let g = nhos_core::generate(
        &e,
        &nhos_core::GenerateOptions {
            today,
            allow_findings: true,
        },
    )
    .expect("generates when allowed");
    let manifest: serde_json::Value =
        serde_json::from_slice(&g.files[nhos_core::generate::MANIFEST]).expect("json");
    assert_eq!(
        manifest["written_despite_findings"],
        serde_json::json!([
            "R5/clinical/option:idle-delay",
            "R9/clinical/option:networking.firewall.enable"
        ])
    );
}

#[test]
fn declared_not_enforced_is_its_own_status_never_a_pass() {
    let e = nhos_core::load(common::example()).expect("loads");
    let report = validate(
        &e,
        &ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    let ne: Vec<(&str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::NotEnforced)
        .map(|f| (f.rule.as_str(), f.profile.as_deref().unwrap_or("-")))
        .collect();
    for want in [
        ("R2", "clinical"),
        ("R4", "analyst"),
        ("R12", "admin"),
        ("R12", "dr"),
        ("R21", "dr"),
        ("R23", "clinical"),
        ("R38", "clinical"),
        ("R31", "dr"),
        ("R20", "kiosk"),
    ] {
        assert!(
            ne.contains(&want),
            "{want:?} not reported as declared, not enforced: {ne:?}"
        );
    }
    // The kiosk locks its kernel modules: R12 is enforced there.
    assert!(!ne.contains(&("R12", "kiosk")));
    assert_eq!(report.summary.not_enforced, ne.len());
    assert!(
        !report.fails(),
        "declared-not-enforced does not fail the gate by itself"
    );
    let text = nhos_core::validate::format::text(&report);
    assert!(text.contains("declared, not enforced: a live ISO boots from its own menu"));
}
