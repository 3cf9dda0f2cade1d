//! Work done once: loading lowers each profile once (checking NixOS's invariants on
//! the tree) and validate, generate and plan reuse those trees; a lean load keeps
//! none and the first verb that needs them lowers once; generating an unchanged
//! estate rewrites no file.
//!
//! (One test per file: the lowering counter is process-wide.)

mod common;

use nhos_core::generate::lower::lowerings;

#[test]
fn each_profile_is_lowered_once_per_side_and_an_unchanged_estate_rewrites_nothing() {
    let today = common::FIXED_TODAY;
    let before = lowerings();
    let a = nhos_core::load(common::example()).expect("loads");
    let b = nhos_core::load(common::example()).expect("loads");
    let concrete = a.concrete_profiles().count();
    assert_eq!(
        lowerings() - before,
        2 * concrete,
        "load lowers each profile once"
    );

    let at = lowerings();
    let _ = nhos_core::validate(&a, &nhos_core::ValidateOptions { today });
    let g = nhos_core::generate(&a, &nhos_core::GenerateOptions::new(today)).expect("generates");
    let p = nhos_core::plan(
        &a,
        &b,
        &nhos_core::PlanOptions {
            today,
            findings: true,
            nix_diff: true,
        },
    );
    assert!(p.is_empty());
    assert_eq!(
        lowerings(),
        at,
        "validate, generate and plan lower nothing again"
    );

    // A lean load (nhos check) keeps no tree; the first verb that needs the trees
    // lowers each profile once, and nothing more after that.
    let lean = nhos_core::load_with(
        common::example(),
        &nhos_core::LoadOptions { keep_trees: false },
    )
    .expect("loads");
    let at = lowerings();
    let _ = nhos_core::validate(&lean, &nhos_core::ValidateOptions { today });
    let _ = nhos_core::plan(
        &lean,
        &b,
        &nhos_core::PlanOptions {
            today,
            findings: true,
            nix_diff: true,
        },
    );
    assert_eq!(lowerings() - at, concrete);

    // Generating into the same directory again rewrites no file: same inodes and
    // modification times.
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("flake");
    nhos_core::generate::write(&g, &out).expect("writes");
    let stamp = |p: &std::path::Path| {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(p).expect("meta");
        (m.ino(), m.mtime(), m.mtime_nsec())
    };
    let files: Vec<std::path::PathBuf> = g.files.keys().map(|k| out.join(k)).collect();
    let first: Vec<_> = files.iter().map(|f| stamp(f)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let w = nhos_core::generate::write(&g, &out).expect("writes again");
    assert!(w.written.is_empty() && w.removed.is_empty(), "{w:?}");
    let second: Vec<_> = files.iter().map(|f| stamp(f)).collect();
    assert_eq!(first, second, "no file was rewritten");
}
