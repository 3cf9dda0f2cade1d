//! Output ownership: nhos replaces exactly the files its manifest lists, keeps the
//! rest, never writes through a symbolic link, survives a crash at any step, and
//! serialises concurrent writers.

mod common;

use nhos_core::generate::{self, Drift, Generated, output};
use std::collections::BTreeMap;
use std::path::Path;

fn example() -> nhos_core::Estate {
    nhos_core::load(common::example()).expect("example loads")
}

fn generated(e: &nhos_core::Estate) -> Generated {
    nhos_core::generate(e, &nhos_core::GenerateOptions::new(common::FIXED_TODAY))
        .expect("generates")
}

/// The example without its kiosk: a smaller tree, so the kiosk's host is stale.
fn without_kiosk() -> Generated {
    let dir = common::materialize(&common::example());
    std::fs::remove_file(dir.path().join("profiles/kiosk.toml")).expect("rm");
    let policy = dir.path().join("policy.toml");
    let text = std::fs::read_to_string(&policy).expect("read");
    // The kiosk waivers name a profile that is gone.
    let cut = text.find("[[waiver]]").expect("waivers");
    std::fs::write(&policy, &text[..cut]).expect("write");
    let e = nhos_core::load(dir.path()).expect("loads");
    nhos_core::generate(
        &e,
        &nhos_core::GenerateOptions {
            allow_findings: true,
            ..nhos_core::GenerateOptions::new(common::FIXED_TODAY)
        },
    )
    .expect("generates")
}

fn tree(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = output::list(out).expect("lists");
    t.remove(output::LOCK);
    t
}

#[test]
fn user_files_flake_lock_and_git_survive_regeneration() {
    let g = generated(&example());
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("flake");
    generate::write(&g, &out).expect("writes");
    // What users put beside the generated files.
    std::fs::write(out.join("flake.lock"), "{\"nodes\":{},\"version\":7}\n").expect("lock");
    std::fs::create_dir_all(out.join(".git/objects")).expect("git");
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/main\n").expect("git");
    std::fs::write(out.join("README.md"), "ours\n").expect("readme");
    std::fs::write(out.join("hosts/local-notes.txt"), "notes\n").expect("notes");

    let w = generate::write(&g, &out).expect("regenerates");
    assert!(w.written.is_empty(), "nothing changed: {:?}", w.written);
    assert_eq!(w.kept, [".git", "README.md", "flake.lock"]);
    assert_eq!(
        std::fs::read_to_string(out.join("flake.lock")).expect("lock"),
        "{\"nodes\":{},\"version\":7}\n"
    );
    assert!(out.join(".git/HEAD").is_file() && out.join(".git/objects").is_dir());
    assert!(out.join("hosts/local-notes.txt").is_file());
    // --check does not call them drift.
    assert_eq!(
        generate::check(&g, &out).expect("checks"),
        Vec::<Drift>::new()
    );

    // A smaller estate: the kiosk's host goes (nhos wrote it), the user's files stay.
    let small = without_kiosk();
    let drift = generate::check(&small, &out).expect("checks");
    assert!(
        drift.contains(&Drift::Extra("hosts/kiosk.nix".into())),
        "{drift:?}"
    );
    assert!(
        !drift
            .iter()
            .any(|d| d.to_string().contains("flake.lock") || d.to_string().contains(".git"))
    );
    let w = generate::write(&small, &out).expect("writes");
    assert!(
        w.removed.contains(&"hosts/kiosk.nix".to_owned()),
        "{:?}",
        w.removed
    );
    assert!(!out.join("hosts/kiosk.nix").exists());
    assert!(out.join("flake.lock").is_file() && out.join(".git/HEAD").is_file());
    assert!(out.join("hosts/local-notes.txt").is_file());
    assert_eq!(
        generate::check(&small, &out).expect("checks"),
        Vec::<Drift>::new()
    );
}

#[test]
fn a_file_nhos_did_not_write_is_never_overwritten() {
    let g = generated(&example());
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("flake");
    generate::write(&g, &out).expect("writes");
    // The user's own outputs.nix replaces ours, and the manifest no longer lists it
    // (as if the user had taken the file over).
    let manifest = out.join(generate::MANIFEST);
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&manifest).expect("read")).expect("json");
    m["files"]
        .as_object_mut()
        .expect("files")
        .remove("outputs.nix");
    std::fs::write(&manifest, serde_json::to_vec(&m).expect("json")).expect("write");
    std::fs::write(out.join("outputs.nix"), "{ mine = true; }\n").expect("write");
    let err = generate::write(&g, &out).expect_err("refused");
    assert!(err.to_string().contains("nhos did not write it"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("outputs.nix")).expect("read"),
        "{ mine = true; }\n"
    );
}

#[test]
fn a_manifest_that_does_not_parse_makes_the_directory_foreign() {
    let g = generated(&example());
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("flake");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join(generate::MANIFEST), "").expect("empty manifest");
    std::fs::write(out.join("flake.nix"), "{ outputs = _: { }; }\n").expect("user flake");
    let err = generate::write(&g, &out).expect_err("refused");
    assert!(
        err.to_string().contains("refusing to write into it"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("flake.nix")).expect("read"),
        "{ outputs = _: { }; }\n"
    );
    // A manifest naming paths outside the directory is not trusted either.
    std::fs::write(
        out.join(generate::MANIFEST),
        r#"{"schema":"nhos-manifest/1","files":{"../estate.toml":"x"}}"#,
    )
    .expect("write");
    assert!(generate::write(&g, &out).is_err());
}

#[test]
fn the_estate_inside_the_output_directory_survives() {
    let g = generated(&example());
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("flake");
    generate::write(&g, &out).expect("writes");
    common::copy_tree(&common::example(), &out.join("estate"));
    let before = tree(&out.join("estate"));
    generate::write(&g, &out).expect("regenerates");
    assert_eq!(tree(&out.join("estate")), before);
}

#[cfg(unix)]
#[test]
fn no_write_goes_through_a_symbolic_link() {
    let g = generated(&example());
    let tmp = tempfile::tempdir().expect("tmp");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    // A symlinked parent: o3 → elsewhere; writing o3/out must not create
    // elsewhere/out.
    std::os::unix::fs::symlink(&elsewhere, tmp.path().join("o3")).expect("symlink");
    let err = generate::write(&g, &tmp.path().join("o3/out")).expect_err("refused");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_dir(&elsewhere).expect("dir").count(), 0);
    // A symlinked subdirectory of our own output.
    let out = tmp.path().join("out");
    generate::write(&g, &out).expect("writes");
    std::fs::remove_dir_all(out.join("hosts")).expect("rm");
    std::os::unix::fs::symlink(&elsewhere, out.join("hosts")).expect("symlink");
    assert!(generate::write(&g, &out).is_err());
    assert_eq!(std::fs::read_dir(&elsewhere).expect("dir").count(), 0);
    // A symlinked generated file.
    std::fs::remove_file(out.join("hosts")).expect("rm link");
    generate::write(&g, &out).expect("repairs");
    let target = elsewhere.join("target.nix");
    std::fs::write(&target, "keep").expect("write");
    std::fs::remove_file(out.join("outputs.nix")).expect("rm");
    std::os::unix::fs::symlink(&target, out.join("outputs.nix")).expect("symlink");
    assert!(generate::write(&g, &out).is_err());
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep");
}

#[test]
fn a_write_killed_at_any_step_leaves_whole_files_and_the_next_run_finishes_it() {
    let old = generated(&example());
    let new = without_kiosk();
    let tmp = tempfile::tempdir().expect("tmp");
    // Count the steps of a full write of `new` over `old`.
    let probe = tmp.path().join("probe");
    generate::write(&old, &probe).expect("writes");
    let mut steps = Vec::new();
    output::write_with(&new, &probe, &mut |s| {
        steps.push(s.clone());
        true
    })
    .expect("writes");
    assert!(
        steps.iter().any(|s| matches!(s, output::Step::Rename(_)))
            && steps.iter().any(|s| matches!(s, output::Step::Remove(_))),
        "{steps:?}"
    );
    for k in 0..steps.len() {
        let out = tmp.path().join(format!("out{k}"));
        generate::write(&old, &out).expect("writes");
        std::fs::write(out.join("flake.lock"), "user's lock\n").expect("lock");
        let mut n = 0;
        output::write_with(&new, &out, &mut |_| {
            n += 1;
            n <= k
        })
        .expect("stops quietly");
        // Killed before step k: every generated file is whole, old or new.
        for (rel, bytes) in tree(&out) {
            if rel.ends_with(".nhos-new") || rel == output::JOURNAL || rel == "flake.lock" {
                continue;
            }
            assert!(
                old.files.get(&rel) == Some(&bytes) || new.files.get(&rel) == Some(&bytes),
                "step {k} ({:?}): {rel} is neither old nor new",
                steps[k]
            );
        }
        // The next run finishes (or redoes) the write; the user's file stays.
        let w = generate::write(&new, &out).expect("recovers and writes");
        assert_eq!(
            generate::check(&new, &out).expect("checks"),
            Vec::<Drift>::new(),
            "after a kill at step {k} ({:?})",
            steps[k]
        );
        let leftovers: Vec<String> = tree(&out)
            .into_keys()
            .filter(|r| r.ends_with(".nhos-new") || r == output::JOURNAL)
            .collect();
        assert!(leftovers.is_empty(), "step {k}: {leftovers:?}");
        assert_eq!(
            std::fs::read_to_string(out.join("flake.lock")).expect("lock"),
            "user's lock\n"
        );
        let journal_step = steps
            .iter()
            .position(|s| *s == output::Step::Journal)
            .expect("journal");
        assert_eq!(w.recovered, k > journal_step, "step {k}");
    }
}

#[test]
fn an_interrupted_write_shows_in_check() {
    let old = generated(&example());
    let new = without_kiosk();
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    generate::write(&old, &out).expect("writes");
    output::write_with(&new, &out, &mut |s| !matches!(s, output::Step::Rename(_))).expect("stops");
    let drift = generate::check(&new, &out).expect("checks");
    assert!(drift.contains(&Drift::Interrupted), "{drift:?}");
}

#[test]
fn concurrent_writers_into_one_fresh_directory_all_succeed() {
    let a = generated(&example());
    let b = without_kiosk();
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let g = if i % 2 == 0 { &a } else { &b };
                let out = &out;
                s.spawn(move || generate::write(g, out).map(|_| ()))
            })
            .collect();
        for h in handles {
            h.join().expect("no panic").expect("every writer succeeds");
        }
    });
    // The tree is exactly one of the two, whole.
    let ok_a = generate::check(&a, &out).expect("checks").is_empty();
    let ok_b = generate::check(&b, &out).expect("checks").is_empty();
    assert!(ok_a ^ ok_b, "a={ok_a} b={ok_b}");
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "out")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
