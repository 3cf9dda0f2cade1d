//! The committed JSON Schemas under `schema/` equal what the Rust types generate.
//! Run with `NHOS_UPDATE_SCHEMA=1` to rewrite them after changing the format.

mod common;

use nhos_core::schema::{FileKind, schema_text};

#[test]
fn committed_schemas_match_the_types() {
    let dir = common::repo_root().join("schema");
    for kind in FileKind::ALL {
        common::assert_current(
            &dir.join(kind.schema_file()),
            &schema_text(kind),
            "NHOS_UPDATE_SCHEMA",
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
    common::assert_current(&root.join("docs/rules.md"), &rules, "NHOS_UPDATE_SCHEMA");
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
