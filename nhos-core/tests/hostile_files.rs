//! Definition files that are not what they seem: links out of the estate,
//! directories, FIFOs, and files too large or too deep. Each is refused with a
//! diagnostic at the file, and nothing of what lies behind a link is read or shown.

#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

fn example_copy() -> tempfile::TempDir {
    common::materialize(&common::example())
}

/// The diagnostics of a load that must fail, as text (messages and hints).
fn refused(dir: &Path) -> (Vec<nhos_core::Diagnostic>, String) {
    let err = nhos_core::load(dir).expect_err("refused");
    let diags = err.diagnostics().to_vec();
    let text = format!("{err}\n{diags:?}");
    (diags, text)
}

fn located_at(diags: &[nhos_core::Diagnostic], file: &str) -> bool {
    diags
        .iter()
        .any(|d| d.location.as_ref().is_some_and(|l| l.file == file))
}

#[test]
fn a_definition_file_linked_out_of_the_estate_is_refused_and_not_shown() {
    // The environment holds a CI token; branding.toml points at it.
    let dir = example_copy();
    std::fs::remove_file(dir.path().join("branding.toml")).expect("rm");
    symlink("/proc/self/environ", dir.path().join("branding.toml")).expect("symlink");
    let (diags, text) = refused(dir.path());
    assert!(located_at(&diags, "branding.toml"), "{text}");
    assert!(text.contains("symbolic link"), "{text}");
    assert!(!text.contains("PATH="), "the environment leaked: {text}");

    let dir = example_copy();
    std::fs::remove_file(dir.path().join("policy.toml")).expect("rm");
    symlink("/etc/passwd", dir.path().join("policy.toml")).expect("symlink");
    let (diags, text) = refused(dir.path());
    assert!(located_at(&diags, "policy.toml"), "{text}");
    assert!(!text.contains("root:"), "/etc/passwd leaked: {text}");
}

#[test]
fn a_symlinked_profile_or_profiles_directory_is_refused_not_skipped() {
    let dir = example_copy();
    let p = dir.path().join("profiles");
    std::fs::rename(
        p.join("kiosk.toml"),
        dir.path().join("kiosk-elsewhere.toml"),
    )
    .expect("mv");
    symlink(
        dir.path().join("kiosk-elsewhere.toml"),
        p.join("kiosk.toml"),
    )
    .expect("symlink");
    let (diags, text) = refused(dir.path());
    assert!(located_at(&diags, "profiles/kiosk.toml"), "{text}");

    let dir = example_copy();
    let real = dir.path().join("real-profiles");
    std::fs::rename(dir.path().join("profiles"), &real).expect("mv");
    symlink(&real, dir.path().join("profiles")).expect("symlink");
    let (diags, text) = refused(dir.path());
    assert!(located_at(&diags, "profiles"), "{text}");
}

#[test]
fn a_directory_or_fifo_with_a_definition_name_is_refused_not_ignored() {
    // Without its policy the estate would lose its waivers and tightened
    // parameters, and validation would turn green.
    let dir = example_copy();
    std::fs::remove_file(dir.path().join("policy.toml")).expect("rm");
    std::fs::create_dir(dir.path().join("policy.toml")).expect("mkdir");
    let (diags, text) = refused(dir.path());
    assert!(
        located_at(&diags, "policy.toml") && text.contains("directory"),
        "{text}"
    );

    let dir = example_copy();
    let fifo = dir.path().join("profiles/ward.toml");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs")
        .success();
    assert!(ok, "mkfifo");
    // A FIFO nobody writes to: the load must not hang on it.
    let (diags, text) = refused(dir.path());
    assert!(
        located_at(&diags, "profiles/ward.toml") && text.contains("special file"),
        "{text}"
    );
}

#[test]
fn an_oversized_definition_file_is_refused_before_it_is_read() {
    let dir = example_copy();
    let big = dir.path().join("profiles/huge.toml");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(nhos_core::MAX_DEFINITION_BYTES + 1)
        .expect("sparse file");
    let (diags, text) = refused(dir.path());
    assert!(
        located_at(&diags, "profiles/huge.toml") && text.contains("at most"),
        "{text}"
    );
}

/// An estate with a chain of `n` profiles, each inheriting from the one before.
fn chain(n: usize) -> tempfile::TempDir {
    let dir = common::materialize(&common::corpus().join("load-ok-minimal"));
    let p = dir.path().join("profiles");
    for i in 0..n {
        let parent = if i == 0 {
            "base".to_owned()
        } else {
            format!("c{}", i - 1)
        };
        std::fs::write(
            p.join(format!("c{i}.toml")),
            format!("[profile]\nabstract = true\ninherits = [\"{parent}\"]\n"),
        )
        .expect("write");
    }
    dir
}

#[test]
fn a_long_inheritance_chain_is_refused_quickly_at_its_line() {
    // Within the limit: loads.
    let dir = chain(nhos_core::MAX_INHERITANCE_DEPTH - 2);
    nhos_core::load(dir.path()).expect("a chain within the limit loads");
    // 10,000 deep (which took minutes and a gigabyte before): a located error, once.
    let dir = chain(10_000);
    let (diags, text) = refused(dir.path());
    let deep: Vec<_> = diags
        .iter()
        .filter(|d| d.message.contains("inherits through a chain"))
        .collect();
    assert_eq!(deep.len(), 1, "{text}");
    let at = deep[0].location.as_ref().expect("located");
    assert_eq!((at.line, at.column), (3, 13), "{at:?}");
}

#[test]
fn too_many_profiles_is_a_located_error() {
    let dir = common::materialize(&common::corpus().join("load-ok-minimal"));
    let p = dir.path().join("profiles");
    for i in 0..=nhos_core::MAX_PROFILES {
        std::fs::write(p.join(format!("p{i}.toml")), "").expect("write");
    }
    let (diags, text) = refused(dir.path());
    assert!(
        located_at(&diags, "profiles") && text.contains("at most"),
        "{text}"
    );
}
