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
