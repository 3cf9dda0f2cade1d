//! Plans: laws (property tests), corpus snapshots of real changes, git revisions,
//! the JSON schema, and explain.

mod common;

use nhos_core::plan::format;
use nhos_core::{MemTree, PlanOptions, plan};
use proptest::prelude::*;
use std::collections::BTreeSet;

fn opts(nix_diff: bool) -> PlanOptions {
    PlanOptions {
        today: common::FIXED_TODAY,
        findings: true,
        nix_diff,
    }
}

/// A varied estate: synthetic trust `i` with random package and capability edits in
/// the admin and clinical profiles and a random baseline idle delay.
fn varied(adds: &[usize], removes: &[usize], caps: &[usize], idle: u32) -> MemTree {
    let pkgs: Vec<&str> = [
        "weasis",
        "keepassxc",
        "htop",
        "vim",
        "remmina",
        "gnome-maps",
        "libreoffice-still",
        "git",
    ]
    .to_vec();
    let capabilities = ["vpn", "dicom-viewer", "scanning", "smartcard", "printing"];
    let mut t = nhos_core::synthetic::trust(1, false);
    let admin = String::from_utf8(t.files["profiles/admin.toml"].clone()).expect("utf8");
    let add: Vec<String> = adds
        .iter()
        .map(|i| format!("{:?}", pkgs[i % pkgs.len()]))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rem: Vec<String> = removes
        .iter()
        .map(|i| format!("{:?}", pkgs[i % pkgs.len()]))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let admin = admin.replace(
        "[outputs]",
        &format!(
            "[packages]\nadd = [{}]\nremove = [{}]\n\n[outputs]",
            add.join(", "),
            rem.join(", ")
        ),
    );
    let cl = String::from_utf8(t.files["profiles/clinical.toml"].clone()).expect("utf8");
    let cap: Vec<String> = caps
        .iter()
        .map(|i| format!("{:?}", capabilities[i % capabilities.len()]))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let cl = cl.replace(
        "add = [\"smartcard\", \"dicom-viewer\"]",
        &format!("add = [{}]", cap.join(", ")),
    );
    let base = String::from_utf8(t.files["profiles/baseline.toml"].clone())
        .expect("utf8")
        .replace("idle-delay = 600", &format!("idle-delay = {idle}"));
    t = t
        .with("profiles/admin.toml", admin)
        .with("profiles/clinical.toml", cl)
        .with("profiles/baseline.toml", base);
    t
}

fn estate() -> impl Strategy<Value = nhos_core::Estate> {
    (
        prop::collection::vec(0usize..8, 0..4),
        prop::collection::vec(0usize..8, 0..3),
        prop::collection::vec(0usize..5, 0..4),
        prop_oneof![Just(600u32), 60u32..900],
    )
        .prop_map(|(a, r, c, idle)| {
            nhos_core::load_tree(&varied(&a, &r, &c, idle)).expect("varied estates load")
        })
}

fn semantic(p: &nhos_core::Plan) -> String {
    let mut p = p.clone();
    p.nix_diff.clear();
    p.summary = Default::default();
    format::json(&p)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn plan_of_an_estate_with_itself_is_empty(a in estate()) {
        let p = plan(&a, &a, &opts(true));
        prop_assert!(p.is_empty(), "{}", format::text(&p));
    }

    #[test]
    fn plan_backwards_is_the_inverse(a in estate(), b in estate()) {
        let forward = plan(&a, &b, &opts(false));
        let backward = plan(&b, &a, &opts(false));
        prop_assert_eq!(semantic(&backward), semantic(&forward.invert()));
    }

    #[test]
    fn package_changes_are_the_set_differences(a in estate(), b in estate()) {
        let p = plan(&a, &b, &opts(false));
        for (name, pa) in &a.profiles {
            let pb = &b.profiles[name];
            let (sa, sb): (BTreeSet<&String>, BTreeSet<&String>) = (pa.packages.keys().collect(), pb.packages.keys().collect());
            let want_added: Vec<&String> = sb.difference(&sa).copied().collect();
            let want_removed: Vec<&String> = sa.difference(&sb).copied().collect();
            let pp = p.profiles.iter().find(|x| &x.name == name);
            let got_added: Vec<&String> = pp.map(|x| x.packages_added.iter().map(|i| &i.name).collect()).unwrap_or_default();
            let got_removed: Vec<&String> = pp.map(|x| x.packages_removed.iter().map(|i| &i.name).collect()).unwrap_or_default();
            prop_assert_eq!(got_added, want_added, "profile {}", name);
            prop_assert_eq!(got_removed, want_removed, "profile {}", name);
        }
    }
}

#[test]
fn plan_corpus() {
    let cases = common::cases("plan-");
    assert!(cases.len() >= 4);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/plan");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, path) in cases {
            let (before, after) = (
                common::materialize(&path.join("before")),
                common::materialize(&path.join("after")),
            );
            let a = nhos_core::load(before.path()).unwrap_or_else(|e| panic!("{name} before: {e}"));
            let b = nhos_core::load(after.path()).unwrap_or_else(|e| panic!("{name} after: {e}"));
            let p = plan(&a, &b, &opts(true));
            assert!(!p.is_empty(), "{name}: no change");
            insta::assert_snapshot!(name.as_str(), format::text(&p));
        }
    });
}

#[test]
fn the_remmina_removal_ripples_to_clinical_and_the_baseline_change_to_three_profiles() {
    let load = |case: &str, side: &str| {
        nhos_core::load(common::materialize(&common::corpus().join(case).join(side)).path())
            .expect("loads")
    };
    let p = plan(
        &load("plan-nhos-0.1.33-remove-remmina", "before"),
        &load("plan-nhos-0.1.33-remove-remmina", "after"),
        &opts(false),
    );
    let changed: Vec<&str> = p.profiles.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(changed, ["admin", "clinical"]);
    for pp in &p.profiles {
        let removed: Vec<&str> = pp
            .packages_removed
            .iter()
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(removed, ["freerdp", "remmina"]);
    }
    let p = plan(
        &load("plan-baseline-ripple", "before"),
        &load("plan-baseline-ripple", "after"),
        &opts(false),
    );
    let changed: Vec<&str> = p.profiles.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        changed,
        ["admin", "analyst", "baseline", "dr", "server", "site"]
    );
    let c = &p.profiles[0].settings[0];
    assert_eq!(c.key, "screen.idle-delay");
    assert_eq!(
        (
            c.old.as_ref().map(|s| s.value.as_str()),
            c.new.as_ref().map(|s| s.value.as_str())
        ),
        (Some("600"), Some("480"))
    );
    assert!(
        c.new
            .as_ref()
            .is_some_and(|s| s.source.at.starts_with("profiles/baseline.toml:"))
    );
}

#[test]
fn plan_json_matches_its_committed_schema() {
    let path = common::repo_root().join("schema/plan.schema.json");
    let want = format::plan_schema();
    common::assert_current(&path, &want, "NHOS_UPDATE_SCHEMA");
    let case = common::corpus().join("plan-profile-added-and-branding");
    let a = nhos_core::load(common::materialize(&case.join("before")).path()).expect("loads");
    let b = nhos_core::load(common::materialize(&case.join("after")).path()).expect("loads");
    let p = plan(&a, &b, &opts(true));
    let v =
        jsonschema::validator_for(&serde_json::from_str(&want).expect("json")).expect("compiles");
    let doc: serde_json::Value = serde_json::from_str(&format::json(&p)).expect("json");
    let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let md = format::markdown(&p);
    assert!(
        md.contains("| `os-name` | `\"Valley Desktop\"` | `\"Valley Workplace\"` |"),
        "{md}"
    );
    assert!(md.contains("- **added** profile `ward`"));
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn plan_between_git_revisions() {
    let tmp = tempfile::tempdir().expect("tmp");
    let repo = tmp.path();
    let estate = repo.join("estates/valley");
    common::copy_tree(&common::example(), &estate);
    git(repo, &["init", "-q"]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "example"]);
    let admin = estate.join("profiles/admin.toml");
    let text = std::fs::read_to_string(&admin).expect("read").replace(
        "add = [\"office\", \"remote-desktop\", ",
        "add = [\"office\", ",
    );
    std::fs::write(&admin, text).expect("write");
    git(repo, &["commit", "-qam", "remove remmina"]);
    // A working-tree change on top.
    let base = estate.join("profiles/baseline.toml");
    let text = std::fs::read_to_string(&base)
        .expect("read")
        .replace("idle-delay = 600", "idle-delay = 540");
    std::fs::write(&base, text).expect("write");

    let a = nhos_core::load_tree(&nhos_core::git_tree(&estate, "HEAD~1").expect("reads HEAD~1"))
        .expect("loads");
    let b = nhos_core::load_tree(&nhos_core::git_tree(&estate, "HEAD").expect("reads HEAD"))
        .expect("loads");
    let p = plan(&a, &b, &opts(false));
    assert_eq!(
        p.profiles
            .iter()
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>(),
        ["admin", "clinical"]
    );
    // --from with the working tree as the new side sees both changes.
    let w = nhos_core::load(&estate).expect("loads");
    let p = plan(&a, &w, &opts(false));
    assert_eq!(
        p.profiles
            .iter()
            .map(|x| x.name.as_str())
            .collect::<Vec<_>>(),
        [
            "admin", "analyst", "baseline", "clinical", "dr", "server", "site"
        ]
    );
    // A bad revision is a git error, not a panic.
    let err = nhos_core::git_tree(&estate, "no-such-rev").expect_err("fails");
    assert_eq!(err.kind(), nhos_core::ErrorKind::Git);
    // The assets came from git too (content hashes match the files on disk).
    assert_eq!(
        a.branding.assets["wallpaper"].sha256,
        w.branding.assets["wallpaper"].sha256
    );
}

#[test]
fn explain_gives_the_chain() {
    let e = nhos_core::load(common::example()).expect("loads");
    let ex = nhos_core::explain(&e, "clinical", "opensc").expect("explains");
    assert_eq!(ex.kind, "package");
    assert!(ex.chain[0].what.contains("capability `smartcard` 1.0.0"));
    assert!(
        ex.chain[1]
            .at
            .as_deref()
            .is_some_and(|a| a.starts_with("profiles/clinical.toml:"))
    );
    let ex = nhos_core::explain(&e, "clinical", "screen.idle-delay").expect("explains");
    assert_eq!(ex.value.as_deref(), Some("300"));
    assert!(
        ex.chain[1].what.starts_with("overriding 600")
            && ex.chain[1]
                .at
                .as_deref()
                .is_some_and(|a| a.starts_with("profiles/baseline.toml:"))
    );
    let ex = nhos_core::explain(&e, "clinical", "services.pcscd.enable").expect("explains");
    assert_eq!(
        (ex.kind.as_str(), ex.value.as_deref()),
        ("option", Some("true"))
    );
    let ex = nhos_core::explain(&e, "clinical", "/org/gnome/desktop/session/idle-delay")
        .expect("explains");
    assert_eq!(ex.value.as_deref(), Some("lib.gvariant.mkUint32 300"));
    assert!(ex.chain[0].what.contains("locked"));
    let ex = nhos_core::explain(&e, "admin", "programs.firefox.policies.Homepage.URL")
        .expect("explains");
    assert!(ex.chain[0].what.contains("programs.firefox.policies"));
    let ex = nhos_core::explain(&e, "clinical", "gnome-maps").expect("explains");
    assert_eq!(ex.kind, "removed-package");
    let err = nhos_core::explain(&e, "clinical", "opnsc").expect_err("unknown");
    assert!(err.to_string().contains("did you mean `opensc`?"), "{err}");
    let err = nhos_core::explain(&e, "clinicl", "opensc").expect_err("unknown");
    assert!(
        err.to_string().contains("did you mean `clinical`?"),
        "{err}"
    );
}
