//! The committed JSON Schemas under `schema/` equal what the Rust types generate.
//! Run with `NHOS_UPDATE_SCHEMA=1` to rewrite them after changing the format.

mod common;

use nhos_core::schema::{FileKind, schema_text};

#[test]
fn committed_schemas_match_the_types() {
    let dir = common::repo_root().join("schema");
    let update = std::env::var_os("NHOS_UPDATE_SCHEMA").is_some();
    for kind in FileKind::ALL {
        let path = dir.join(kind.schema_file());
        let want = schema_text(kind);
        if update {
            std::fs::create_dir_all(&dir).expect("mkdir schema");
            std::fs::write(&path, &want).expect("write schema");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is out of date: run NHOS_UPDATE_SCHEMA=1 cargo test --test schema_drift",
            path.display()
        );
    }
}

#[test]
fn schema_knows_every_setting_key() {
    let profile: serde_json::Value =
        serde_json::from_str(&schema_text(FileKind::Profile)).expect("json");
    let text = profile.to_string();
    for spec in nhos_core::definition::SETTINGS {
        let leaf = spec.key.rsplit('.').next().expect("dotted");
        assert!(
            text.contains(&format!("\"{leaf}\"")),
            "schema lacks {}",
            spec.key
        );
    }
}

#[test]
fn docs_are_current() {
    let root = common::repo_root();
    let rules = nhos_core::validate::format::rules_markdown();
    let path = root.join("docs/rules.md");
    if std::env::var_os("NHOS_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &rules).expect("write");
    }
    assert_eq!(
        std::fs::read_to_string(&path).unwrap_or_default(),
        rules,
        "docs/rules.md drifted: NHOS_UPDATE_SCHEMA=1 cargo test"
    );
    let definition =
        std::fs::read_to_string(root.join("docs/definition.md")).expect("docs/definition.md");
    for spec in nhos_core::definition::SETTINGS {
        let (group, rest) = spec.key.split_once('.').expect("dotted");
        let (table, leaf) = match rest.split_once('.') {
            Some((name, leaf)) => (format!("[settings.{group}.{name}]"), leaf),
            None => (format!("[settings.{group}]"), rest),
        };
        assert!(
            definition.contains(&table) && definition.contains(&format!("`{leaf}`")),
            "docs/definition.md lacks {}",
            spec.key
        );
    }
}
