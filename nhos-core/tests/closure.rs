//! Closures of systems built with Nix 2.8 in a private store (`tests/closure/
//! systems.nix`, two builds of example-valley's clinical system): the database and
//! path-info readers agree, the diff agrees with `nix store diff-closures` line for
//! line, its formats are snapshot-tested, and `why` links store paths back to the
//! definition lines of the example estate.

mod common;
#[path = "common/store.rs"]
mod store;

use nhos_core::closure::{self, format};
use std::path::PathBuf;
use store::Store;

fn systems() -> PathBuf {
    common::repo_root().join("nhos-core/tests/closure/systems.nix")
}

/// The store, the old system and the new system.
fn lab() -> (Store, String, String) {
    let s = Store::new();
    let old = s.build(&systems(), &[]);
    let new = s.build(&systems(), &["--arg", "new", "true"]);
    (s, old, new)
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c == '\x1b' {
            for d in it.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn the_database_and_path_info_readers_give_the_same_closure() {
    let (s, old, new) = lab();
    for root in [&old, &new] {
        let from_db = closure::read_db(&s.db(), std::slice::from_ref(root)).expect("db");
        let json = s.path_info(root);
        let from_json = closure::parse_path_info(&json, "path-info.json", &[]).expect("path-info");
        assert_eq!(from_db, from_json, "{root}");
        // The same paths as Nix's own closure query.
        let requisites = s.run("nix-store", &["--query", "--requisites", root]);
        let mut want: Vec<&str> = requisites.lines().collect();
        want.sort_unstable();
        let have: Vec<&str> = from_db.paths.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(have, want);
        assert_eq!(from_db.root_paths(), vec![root.as_str()]);
    }
    assert_eq!(
        closure::read_db(&s.db(), std::slice::from_ref(&old))
            .expect("db")
            .paths
            .len(),
        15
    );
}

#[test]
fn the_diff_lists_what_nix_store_diff_closures_lists() {
    let (s, old, new) = lab();
    let store = s.nhos_store();
    for (a, b) in [(&old, &new), (&new, &old), (&old, &old)] {
        let nix = strip_ansi(&s.run("nix", &["store", "diff-closures", a, b]));
        let d = closure::diff(
            &closure::open(a.as_ref(), &store).expect("old"),
            &closure::open(b.as_ref(), &store).expect("new"),
        );
        let ours: String = d
            .packages
            .iter()
            .filter_map(format::diff_closures_line)
            .map(|l| l + "\n")
            .collect();
        assert_eq!(ours, nix, "{a} → {b}");
    }
    // And the case with something to show: the pair is not trivially equal.
    let nix = strip_ansi(&s.run("nix", &["store", "diff-closures", &old, &new]));
    assert_eq!(nix.lines().count(), 4, "{nix}");
}

#[test]
fn the_diff_in_three_formats() {
    let (s, old, new) = lab();
    let store = s.nhos_store();
    let d = closure::diff(
        &closure::open(old.as_ref(), &store).expect("old"),
        &closure::open(new.as_ref(), &store).expect("new"),
    );
    insta::assert_snapshot!("closure-diff-text", s.redact(&format::text(&d)));
    insta::assert_snapshot!("closure-diff-markdown", s.redact(&format::markdown(&d)));
    insta::assert_snapshot!("closure-diff-json", s.redact(&format::json(&d)));
    // Deterministic: a second read and diff give the same bytes.
    let again = closure::diff(
        &closure::open(old.as_ref(), &store).expect("old"),
        &closure::open(new.as_ref(), &store).expect("new"),
    );
    assert_eq!(format::json(&again), format::json(&d));
}

#[test]
fn json_follows_the_committed_schema() {
    let (s, old, new) = lab();
    let store = s.nhos_store();
    let want = format::closure_diff_schema();
    common::assert_current(
        &common::repo_root().join("schema/closure-diff.schema.json"),
        &want,
        "NHOS_UPDATE_SCHEMA",
    );
    let schema: serde_json::Value = serde_json::from_str(&want).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let d = closure::diff(
        &closure::open(old.as_ref(), &store).expect("old"),
        &closure::open(new.as_ref(), &store).expect("new"),
    );
    let doc: serde_json::Value = serde_json::from_str(&format::json(&d)).expect("json");
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn the_database_is_read_without_writing_or_locking() {
    let (s, old, _) = lab();
    let db = s.db();
    let before = std::fs::read(&db).expect("db");
    let dir = db.parent().expect("db dir");
    let listing = |d: &std::path::Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let files = listing(dir);
    // A read-only database in a read-only directory: immutable mode needs neither
    // a lock nor a journal.
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let c = closure::read_db(&db, std::slice::from_ref(&old));
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert_eq!(c.expect("read").paths.len(), 15);
    assert_eq!(listing(dir), files, "no -wal or -shm file appears");
    assert_eq!(
        std::fs::read(&db).expect("db"),
        before,
        "the database is unchanged"
    );
}

#[test]
fn inputs_that_are_not_closures_are_refused_with_what_to_do() {
    let (s, old, _) = lab();
    let store = s.nhos_store();
    // A path outside the store.
    let e = closure::open("/etc/hostname".as_ref(), &store).expect_err("not a store path");
    assert!(e.to_string().contains("not a path in the store"), "{e}");
    // A store path the database does not hold.
    let missing = format!("{}/00000000000000000000000000000000-nothing", s.store_dir());
    let e = closure::read_db(&s.db(), &[missing]).expect_err("not valid");
    assert!(e.to_string().contains("build it first"), "{e}");
    // path-info of one path only (not --recursive): not closed.
    let one = s.run("nix", &["path-info", "--json", &old]);
    let e = closure::parse_path_info(&one, "one.json", &[]).expect_err("not closed");
    assert!(e.to_string().contains("--recursive"), "{e}");
    // Not JSON: file, line and column.
    let e = closure::parse_path_info("[\n  {\"path\": 3}\n]", "bad.json", &[]).expect_err("bad");
    assert!(e.to_string().contains("bad.json:2:"), "{e}");
    // A link to a system toplevel is followed (as ./result is).
    let link = s.root().join("result");
    std::os::unix::fs::symlink(&old, &link).expect("symlink");
    assert_eq!(
        closure::open(&link, &store).expect("via link").root_paths(),
        vec![old.as_str()]
    );
}

#[test]
fn why_links_store_paths_to_definition_lines() {
    let (s, old, _) = lab();
    let estate = nhos_core::load(common::example()).expect("example");
    let expr = format!("(import {} {{}}).nhosPackages", systems().display());
    let json = s.run(
        "nix-instantiate",
        &["--eval", "--json", "--strict", "-E", &expr],
    );
    let packages: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&json).expect("packages");
    let c = closure::open(old.as_ref(), &s.nhos_store()).expect("closure");
    let mut text = String::new();
    for item in ["openssl", "glibc", "nss", "weasis", "bash-interactive"] {
        let w = closure::why(&estate, "clinical", &c, &packages, item).expect(item);
        text.push_str(&w.to_string());
        // Each link of the chain refers to the next.
        for pair in w.references.windows(2) {
            let (a, b) = (c.find(&pair[0]).expect("a"), c.find(&pair[1]).expect("b"));
            assert!(
                c.paths[a].references.contains(&b),
                "{} → {}",
                pair[0],
                pair[1]
            );
        }
    }
    insta::assert_snapshot!("why-clinical", s.redact(&text));
    let w = closure::why(&estate, "clinical", &c, &packages, "openssl").expect("openssl");
    insta::assert_snapshot!(
        "why-openssl-json",
        s.redact(&nhos_core::escape::json_pretty(&w))
    );
    // A store path and a package attribute name the same thing as the name does.
    let by_path = closure::why(&estate, "clinical", &c, &packages, &w.target).expect("path");
    assert_eq!(by_path, w);
    let e = closure::why(&estate, "clinical", &c, &packages, "opensll").expect_err("typo");
    assert!(e.to_string().contains("did you mean `openssl`"), "{e}");
    let e = closure::why(&estate, "clinicl", &c, &packages, "openssl").expect_err("profile");
    assert!(e.to_string().contains("did you mean `clinical`"), "{e}");
}

#[test]
fn advisories_match_by_nix_name_and_version_and_patches_count_as_fixed() {
    use closure::scan::{MatchStatus, scan};
    let (s, old, new) = lab();
    let estate = nhos_core::load(common::example()).expect("example");
    let dir = common::repo_root().join("nhos-core/tests/closure/advisories");
    let advisories = closure::vex::read_advisories(&[dir.as_path()]).expect("advisories");
    // The npm `krb5` record is not about a Nix package: it is not even read as one.
    assert!(advisories.iter().all(|a| a.id != "GHSA-xxxx-krb5-npm0"));
    let today = nhos_core::Date::parse("2024-06-01").expect("day");
    let read = |drv: &str| std::fs::read_to_string(drv).ok();
    let mut text = String::new();
    for (side, root, arg) in [("old", &old, "false"), ("new", &new, "true")] {
        let expr = format!(
            "(import {} {{ new = {arg}; }}).nhosPackages",
            systems().display()
        );
        let json = s.run(
            "nix-instantiate",
            &["--eval", "--json", "--strict", "-E", &expr],
        );
        let packages: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&json).expect("packages");
        let c = closure::open(root.as_ref(), &s.nhos_store()).expect("closure");
        let m = scan(
            &estate,
            "clinical",
            &c,
            &packages,
            &advisories,
            &read,
            today,
            "examples/example-valley",
        );
        // Name collisions and ranges that miss never match.
        for m in &m {
            assert!(
                !["x_NHOS-2024-0002", "x_NHOS-2024-0003"].contains(&m.advisory.as_str()),
                "{m:?}"
            );
            assert_ne!(m.package, "krb5");
        }
        let glibc = m
            .iter()
            .find(|m| m.package == "glibc")
            .expect("glibc matched");
        let openssl = m.iter().find(|m| m.package == "openssl");
        if side == "old" {
            assert_eq!(glibc.status, MatchStatus::Affected);
            assert!(glibc.overdue);
            assert_eq!(
                openssl.expect("openssl 3.0.12").status,
                MatchStatus::Affected
            );
        } else {
            // The new glibc's derivation patches CVE-2024-2961: VEX "not affected".
            assert_eq!(glibc.status, MatchStatus::NotAffected);
            assert_eq!(glibc.patched.as_deref(), Some("CVE-2024-2961"));
            assert!(!glibc.overdue);
            // openssl 3.0.13 is where the fix landed.
            assert!(openssl.is_none());
            let vex = closure::vex::vulnerabilities(&m);
            let v = serde_json::to_value(&vex).expect("vex");
            assert!(v.to_string().contains("\"state\":\"not_affected\""), "{v}");
        }
        text.push_str(&format!("# {side}\n{}", closure::scan::text(&m)));
    }
    insta::assert_snapshot!("vulns-clinical", s.redact(&text));
}

/// The example estate with one package removed from `clinical`.
fn example_without(package: &str) -> (tempfile::TempDir, nhos_core::Estate) {
    let dir = common::materialize(&common::example());
    let edit = nhos_core::edit::Edit::RemovePackage {
        profile: "clinical".into(),
        package: package.into(),
    };
    let opts = nhos_core::edit::EditOptions {
        allow_errors: true,
        today: common::FIXED_TODAY,
    };
    nhos_core::edit::edit_dir(dir.path(), &edit, &opts).expect("edit");
    let estate = nhos_core::load(dir.path()).expect("loads");
    (dir, estate)
}

fn packages_of(s: &Store, new: bool) -> std::collections::BTreeMap<String, String> {
    let expr = format!(
        "(import {} {{ new = {new}; }}).nhosPackages",
        systems().display()
    );
    let json = s.run(
        "nix-instantiate",
        &["--eval", "--json", "--strict", "-E", &expr],
    );
    serde_json::from_str(&json).expect("packages")
}

#[test]
fn the_plan_attributes_each_closure_change_to_the_definition_change() {
    use nhos_core::plan::closure::{Built, ImpactCause, attribute};
    let (s, old, new) = lab();
    // Old: clinical without pcsc-tools; new: without dcmtk (the systems built).
    let (_a, ea) = example_without("pcsc-tools");
    let (_b, eb) = example_without("dcmtk");
    let (ca, cb) = closure::open_pair(old.as_ref(), new.as_ref(), &s.nhos_store()).expect("both");
    let (pa, pb) = (packages_of(&s, false), packages_of(&s, true));
    let built = Built {
        old: &ca,
        new: &cb,
        old_packages: &pa,
        new_packages: &pb,
    };
    let (a, b) = (&ea.profiles["clinical"], &eb.profiles["clinical"]);
    let impact = attribute(a, b, &built).expect("attributes");
    // Every path added or removed is in exactly one group.
    let added: usize = impact.groups.iter().map(|g| g.paths_added).sum();
    let removed: usize = impact.groups.iter().map(|g| g.paths_removed).sum();
    assert_eq!((added, removed), (impact.paths_added, impact.paths_removed));
    let d = closure::diff(&ca, &cb);
    assert_eq!(
        (impact.paths_added, impact.paths_removed),
        (d.totals.paths_added, d.totals.paths_removed)
    );
    // The added package brings its one path, from its definition line; the removed
    // one takes its own away.
    let cause = |g: &nhos_core::plan::closure::Attribution| match &g.cause {
        ImpactCause::PackageAdded { attribute, source } => format!("+{attribute} {}", source.at),
        ImpactCause::PackageRemoved { attribute, source } => format!("-{attribute} {}", source.at),
        other => format!("{other:?}"),
    };
    let causes: Vec<String> = impact.groups.iter().map(cause).collect();
    assert!(causes[0].starts_with("+pcsc-tools profiles/"), "{causes:?}");
    assert!(causes[1].starts_with("-dcmtk profiles/"), "{causes:?}");
    assert_eq!(impact.groups[0].paths_added, 1);
    assert_eq!(impact.groups[1].paths_removed, 1);
    let mut p = nhos_core::plan(
        &ea,
        &eb,
        &nhos_core::PlanOptions::new(common::FIXED_TODAY, false),
    );
    p.closure = Some(impact.clone());
    let text = nhos_core::plan::format::text(&p);
    insta::assert_snapshot!("plan-closure-text", s.redact(&text));
    insta::assert_snapshot!(
        "plan-closure-markdown",
        s.redact(&nhos_core::plan::format::markdown(&p))
    );
    insta::assert_snapshot!(
        "plan-closure-json",
        s.redact(&nhos_core::escape::json_pretty(&impact))
    );
    // A package map that does not match the system is refused, saying why.
    let mut wrong = pb.clone();
    wrong.insert("pcsc-tools".into(), pa["dcmtk"].clone());
    let e = attribute(
        a,
        b,
        &Built {
            new_packages: &wrong,
            ..built
        },
    )
    .expect_err("mismatch");
    assert!(e.to_string().contains("different builds"), "{e}");
    wrong.remove("pcsc-tools");
    let e = attribute(
        a,
        b,
        &Built {
            new_packages: &wrong,
            ..built
        },
    )
    .expect_err("missing");
    assert!(e.to_string().contains("has no `pcsc-tools`"), "{e}");
}

/// The example estate with a waiver appended to its policy.
fn example_with_waiver(waiver: &str) -> (tempfile::TempDir, nhos_core::Estate) {
    let dir = common::materialize(&common::example());
    let policy = dir.path().join("policy.toml");
    let mut text = std::fs::read_to_string(&policy).expect("policy");
    text.push_str(waiver);
    std::fs::write(&policy, text).expect("write");
    let estate = nhos_core::load(dir.path()).expect("loads");
    (dir, estate)
}

#[test]
fn rule_r39_fails_an_overdue_advisory_unless_a_waiver_accepts_it() {
    use nhos_core::{Status, ValidateOptions, validate::validate_build};
    let (s, old, _) = lab();
    let dir = common::repo_root().join("nhos-core/tests/closure/advisories");
    let advisories = closure::vex::read_advisories(&[dir.as_path()]).expect("advisories");
    let c = closure::open(old.as_ref(), &s.nhos_store()).expect("closure");
    let packages = packages_of(&s, false);
    let today = nhos_core::Date::parse("2024-06-01").expect("day");
    let opts = ValidateOptions { today };
    let judge = |estate: &nhos_core::Estate, day| {
        let read = |drv: &str| std::fs::read_to_string(drv).ok();
        let m = closure::scan::scan(
            estate,
            "clinical",
            &c,
            &packages,
            &advisories,
            &read,
            day,
            "x",
        );
        validate_build(estate, "clinical", &m, &ValidateOptions { today: day }).expect("judged")
    };
    // The plain example: glibc's CVE-2024-2961 (high, published 2024-04-17) is open.
    let estate = nhos_core::load(common::example()).expect("example");
    let r = judge(&estate, today);
    assert_eq!(r.checked["clinical"], ["R39"]);
    let open: Vec<&nhos_core::Finding> = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Open)
        .collect();
    assert_eq!(open.len(), 1, "{:#?}", r.findings);
    assert_eq!(open[0].rule, "R39");
    assert_eq!(open[0].value.as_deref(), Some("CVE-2024-2961"));
    assert!(
        open[0].message.contains("glibc 2.38-44"),
        "{}",
        open[0].message
    );
    assert!(r.has_errors());
    // Within the 14 days it is not yet a finding.
    let early = nhos_core::Date::parse("2024-04-20").expect("day");
    assert!(!judge(&estate, early).has_errors());
    // A waiver that accepts the advisory for the profile: waived, no error.
    let waiver = |id: &str, cve: &str| {
        format!(
            "\n[[waiver]]\nid = \"{id}\"\nrule = \"R39\"\nprofiles = [\"clinical\"]\n\
             accepts = {{ advisory = \"{cve}\" }}\njustification = \"The fix ships in the next image.\"\n\
             approver = \"CISO\"\napproved = 2024-05-20\nexpires = 2024-07-31\n"
        )
    };
    let (_d, waived) = example_with_waiver(&waiver("W-900", "CVE-2024-2961"));
    let r = judge(&waived, today);
    assert!(!r.has_errors(), "{:#?}", r.findings);
    let f = r.findings.iter().find(|f| f.rule == "R39").expect("R39");
    assert_eq!(
        (f.status, f.waiver.as_deref()),
        (Status::Waived, Some("W-900"))
    );
    // `check` leaves build-judged rules and their waivers to `vulns`: not checked,
    // and the waiver is not reported unused there.
    let report = nhos_core::validate(&waived, &opts);
    assert!(
        report
            .checked
            .values()
            .all(|ids| !ids.iter().any(|i| i == "R39"))
    );
    assert!(
        !report.findings.iter().any(|f| f.subject.contains("W-900")),
        "{:#?}",
        report.findings
    );
    // An unrated advisory (zlib, published 2024-05-25) counts as Cyber Essentials
    // counts it: once 14 days old it is a finding too, which W-900 does not cover.
    let later = nhos_core::Date::parse("2024-06-10").expect("day");
    let r = judge(&waived, later);
    let open: Vec<(&str, Option<&str>)> = (r.findings.iter())
        .filter(|f| f.status == Status::Open && f.rule == "R39")
        .map(|f| (f.rule.as_str(), f.value.as_deref()))
        .collect();
    assert_eq!(open, [("R39", Some("CVE-2024-99001"))], "{:#?}", r.findings);
    // A waiver of another advisory covers nothing: the finding stays open and the
    // waiver is reported unused.
    let (_d, other) = example_with_waiver(&waiver("W-901", "CVE-2099-0001"));
    let r = judge(&other, today);
    assert!(r.has_errors());
    assert!(
        r.findings
            .iter()
            .any(|f| f.rule == "W" && f.message.contains("W-901")),
        "{:#?}",
        r.findings
    );
}

#[test]
fn only_rules_that_name_advisory_waiver_keys_accept_them() {
    let bad = "\n[[waiver]]\nid = \"W-902\"\nrule = \"R4\"\nprofiles = [\"clinical\"]\n\
               accepts = { advisory = \"CVE-2024-2961\" }\njustification = \"x\"\n\
               approver = \"CISO\"\napproved = 2026-10-01\nexpires = 2027-01-31\n";
    let dir = common::materialize(&common::example());
    let policy = dir.path().join("policy.toml");
    let text = std::fs::read_to_string(&policy).expect("policy") + bad;
    std::fs::write(&policy, text).expect("write");
    let e = nhos_core::load(dir.path()).expect_err("R4 has no advisory key");
    let d = e.diagnostics();
    assert!(
        d.iter()
            .any(|d| d.message.contains("accepts unknown setting `advisory`")),
        "{d:#?}"
    );
}
