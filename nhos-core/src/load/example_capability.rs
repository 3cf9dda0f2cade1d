//! `dictation`, a test-only capability: ARCHITECTURE.md's "How to add a capability",
//! followed once in a catalogue extended only here (the built-in one is unchanged).
//! Each test is a step's check.

use crate::catalogue::{CAPABILITIES, Catalogue, PACKAGES};
use crate::model::Via;

/// Step 1: the catalogue entry.
const ENTRY: &str = r#"
[capability.dictation]
version = "1.0.0"
title = "Dictation"
description = "Offline speech-to-text for clinical letters."
packages = ["nerd-dictation"]
settings = { "locale.keyboard" = "gb" }
conflicts = ["kiosk"]
"#;

/// Step 2: its package, with how far it is verified.
fn packages() -> String {
    PACKAGES.replacen("unverified = [", "unverified = [\"nerd-dictation\", ", 1)
}

fn catalogue() -> Catalogue {
    Catalogue::from_texts(&format!("{CAPABILITIES}{ENTRY}"), &packages())
        .expect("the extended catalogue parses")
}

fn example_using_it() -> crate::tree::MemTree {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/example-valley");
    let mut tree = crate::edit::read_dir_tree(&dir).expect("reads the example");
    let clinical = tree
        .files
        .get_mut("profiles/clinical.toml")
        .expect("clinical");
    let text = String::from_utf8(clinical.clone()).expect("utf-8");
    let added = text.replacen(
        r#"add = ["smartcard", "dicom-viewer"]"#,
        r#"add = ["smartcard", "dicom-viewer", "dictation"]"#,
        1,
    );
    assert_ne!(
        text, added,
        "the example's clinical profile adds capabilities on one line"
    );
    *clinical = added.into_bytes();
    tree
}

#[test]
fn the_entry_and_its_package_are_in_the_catalogue() {
    let c = catalogue();
    let d = &c.capabilities["dictation"];
    assert_eq!(
        (d.version.as_str(), d.packages.as_slice()),
        ("1.0.0", &["nerd-dictation".to_owned()][..])
    );
    assert!(c.packages.contains_key("nerd-dictation"));
    assert!(
        !Catalogue::builtin().capabilities.contains_key("dictation"),
        "only in this test"
    );
}

#[test]
fn a_profile_that_adds_it_gets_its_packages_with_their_origin() {
    let c = catalogue();
    let estate = super::load_tree_in(&example_using_it(), &super::LoadOptions::default(), &c)
        .expect("loads with the extended catalogue");
    let clinical = &estate.profiles["clinical"];
    assert!(clinical.has_capability("dictation"));
    let origin = &clinical.packages["nerd-dictation"];
    assert!(
        matches!(&origin.via, Via::Capability { capability, .. } if capability == "dictation"),
        "{origin:?}"
    );
    assert_eq!(origin.location.file, "profiles/clinical.toml");
    // Inherited by nobody else, and the lowered host installs it.
    assert!(!estate.profiles["admin"].has_capability("dictation"));
    let today = crate::Date::parse("2026-11-23").expect("date");
    let opts = crate::GenerateOptions {
        allow_findings: true,
        ..crate::GenerateOptions::new(today)
    };
    let flake = crate::generate(&estate, &opts).expect("generates");
    let host = String::from_utf8_lossy(&flake.files["hosts/clinical.nix"]).into_owned();
    assert!(
        host.contains("nerd-dictation"),
        "the host installs the package"
    );
    let admin = String::from_utf8_lossy(&flake.files["hosts/admin.nix"]).into_owned();
    assert!(!admin.contains("nerd-dictation"));
}

#[test]
fn the_built_in_catalogue_refuses_it() {
    let err = super::load_tree(&example_using_it()).expect_err("unknown without step 1");
    assert!(
        err.diagnostics()
            .iter()
            .any(|d| d.message.contains("unknown capability `dictation`")),
        "{err:?}"
    );
}
