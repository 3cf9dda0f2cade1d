//! Properties: the loader never panics, whatever the bytes; resolution is
//! deterministic, whatever the order files appear in.

mod common;

use nhos_core::MemTree;
use proptest::prelude::*;

const ESTATE: &str =
    "[organisation]\nname = \"T\"\nods-code = \"RZZ\"\n\n[nixpkgs]\nrelease = \"26.05\"\n";

fn toml_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        "[a-z\"\\\\${}' \n-]{0,12}".prop_map(|s| format!("{s:?}")),
        Just("2027-03-31".to_owned()),
        Just("1.5".to_owned()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(("[a-z-]{1,8}", inner), 0..4).prop_map(|kv| format!(
                "{{ {} }}",
                kv.into_iter()
                    .map(|(k, v)| format!("{k} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ]
    })
}

/// Plausible profile documents: real section and key names mixed with noise.
fn profile_doc() -> impl Strategy<Value = String> {
    let section = prop::sample::select(vec![
        "profile",
        "capabilities",
        "packages",
        "settings.screen",
        "settings.media",
        "settings.browser",
        "outputs",
        "settings",
        "x",
    ]);
    let key = prop::sample::select(vec![
        "role",
        "inherits",
        "abstract",
        "add",
        "remove",
        "idle-delay",
        "usb-storage",
        "bookmarks",
        "formats",
        "password",
        "zzz",
    ]);
    prop::collection::vec(
        (section, prop::collection::vec((key, toml_value()), 0..4)),
        0..5,
    )
    .prop_map(|secs| {
        secs.into_iter()
            .map(|(s, kvs)| {
                let body: String = kvs
                    .into_iter()
                    .map(|(k, v)| format!("{k} = {v}\n"))
                    .collect();
                format!("[{s}]\n{body}")
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn loader_never_panics_on_arbitrary_bytes(a in prop::collection::vec(any::<u8>(), 0..400), b in prop::collection::vec(any::<u8>(), 0..400)) {
        let tree = MemTree::new().with("estate.toml", a).with("profiles/p.toml", b);
        let _ = nhos_core::load_tree(&tree);
    }

    #[test]
    fn loader_never_panics_on_arbitrary_toml(p in profile_doc(), q in profile_doc(), branding in profile_doc()) {
        let tree = MemTree::new()
            .with("estate.toml", ESTATE)
            .with("branding.toml", branding)
            .with("profiles/p.toml", p)
            .with("profiles/q.toml", q);
        match nhos_core::load_tree(&tree) {
            Ok(e) => {
                prop_assert!(e.warnings.iter().all(|d| !d.is_error()));
                // Every verb runs on whatever loads, without panicking.
                let today = nhos_core::Date { year: 2026, month: 11, day: 23 };
                let report = nhos_core::validate(&e, &nhos_core::ValidateOptions { today });
                let _ = nhos_core::validate::format::sarif(&report);
                let _ = nhos_core::validate::format::junit(&report);
                let _ = nhos_core::generate(&e, &nhos_core::GenerateOptions { today, allow_findings: true });
            }
            Err(err) => prop_assert!(!err.diagnostics().is_empty() && err.diagnostics().iter().any(|d| d.is_error())),
        }
    }
}

fn snapshot(e: &nhos_core::Estate) -> String {
    serde_json::to_string(e).expect("serializes")
}

#[test]
fn resolution_is_deterministic_whatever_the_file_order() {
    let src = common::example();
    let a = nhos_core::load(&src).expect("loads");
    // Copy the estate twice, creating the profile files in opposite orders, so that
    // directory listing order differs between the copies.
    let mut names: Vec<_> = std::fs::read_dir(src.join("profiles"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    for order in [names.clone(), names.iter().rev().cloned().collect()] {
        let tmp = tempfile::tempdir().expect("tmp");
        for f in ["estate.toml", "branding.toml", "policy.toml"] {
            std::fs::copy(src.join(f), tmp.path().join(f)).expect("copy");
        }
        common::copy_tree(&src.join("assets"), &tmp.path().join("assets"));
        std::fs::create_dir(tmp.path().join("profiles")).expect("mkdir");
        for n in &order {
            std::fs::copy(
                src.join("profiles").join(n),
                tmp.path().join("profiles").join(n),
            )
            .expect("copy");
        }
        let b = nhos_core::load(tmp.path()).expect("loads");
        assert_eq!(snapshot(&a), snapshot(&b));
        assert_eq!(a.definition_hash(), b.definition_hash());
    }
}

/// A TOML value of the kind a setting takes, chosen at random (strings include
/// hostile ones; integers may be out of range for u32/u16).
fn value_for(kind: nhos_core::SettingKind) -> BoxedStrategy<String> {
    use nhos_core::SettingKind as K;
    let text = prop_oneof![
        Just("plain".to_owned()),
        "\\PC{0,12}",
        Just("${x}\"\\\n''".to_owned())
    ];
    match kind {
        K::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        K::Int => prop_oneof![0i64..100_000, any::<i64>()]
            .prop_map(|i| i.to_string())
            .boxed(),
        K::Str => text
            .prop_map(|s| toml::Value::String(s).to_string())
            .boxed(),
        K::List => prop::collection::vec(0u16..2000, 0..4)
            .prop_map(|v| format!("{v:?}"))
            .boxed(),
        K::Map => ("[a-zA-Z ]{1,8}", text)
            .prop_map(|(k, v)| format!("{{ {:?} = {} }}", k, toml::Value::String(v)))
            .boxed(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Random settings on top of the example's clinical profile: whatever loads is
    /// validated, reported in every format and generated without a panic, and the
    /// generated host file names the profile.
    #[test]
    fn verbs_never_panic_on_loadable_estates(picks in prop::collection::vec((0..nhos_core::definition::SETTINGS.len(), any::<u32>()), 1..8)) {
        let mut tree = nhos_core::synthetic::trust(0, false);
        let mut extra = String::new();
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut used = std::collections::BTreeSet::new();
        for (i, _) in &picks {
            let spec = &nhos_core::definition::SETTINGS[*i];
            if !used.insert(spec.key) {
                continue;
            }
            let v = value_for(spec.kind).new_tree(&mut runner).expect("value").current();
            let (group, leaf) = spec.key.split_once('.').expect("dotted");
            extra.push_str(&format!("\n[settings.{group}]\n{leaf} = {v}\n"));
        }
        let clinical = String::from_utf8(tree.files["profiles/clinical.toml"].clone()).expect("utf8");
        // Drop the clinical file's own tables of the picked groups to avoid duplicates.
        let mut kept = String::new();
        let mut skip = false;
        for line in clinical.lines() {
            if line.starts_with('[') {
                skip = used.iter().any(|k| line.starts_with(&format!("[settings.{}]", k.split_once('.').expect("dotted").0)));
            }
            if !skip {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        tree = tree.with("profiles/clinical.toml", kept + &extra);
        if let Ok(e) = nhos_core::load_tree(&tree) {
            let today = nhos_core::Date { year: 2026, month: 11, day: 23 };
            let report = nhos_core::validate(&e, &nhos_core::ValidateOptions { today });
            let _ = nhos_core::validate::format::text(&report);
            let _ = nhos_core::validate::format::sarif(&report);
            let _ = nhos_core::validate::format::junit(&report);
            if let Ok(g) = nhos_core::generate(&e, &nhos_core::GenerateOptions { today, allow_findings: true }) {
                let host = String::from_utf8(g.files["hosts/clinical.nix"].clone()).expect("utf8");
                prop_assert!(host.contains("networking.hostName = \"clinical\";"));
            }
        }
    }
}
