//! Reads the rule pack's metadata, one `src/rules/<unit>.toml` beside each rule's
//! `<unit>.rs`, and writes `$OUT_DIR/rule_meta.rs`: one `const` [`Rule`] per file,
//! named by the rule's ID. Metadata is data (an assessor reads it without reading
//! Rust); the judgement and the enforcement stay in code. A file that does not have
//! exactly the fields below fails the build, naming the file. Files named
//! `example_*.toml` are test-only rules (`#[cfg(test)]`).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    id: String,
    title: String,
    severity: Severity,
    judged: Judged,
    rationale: String,
    remediation: String,
    applies: Applies,
    enforced_by: Vec<String>,
    enforcement: String,
    references: References,
    #[serde(default)]
    parameters: Vec<Parameter>,
    /// Keys a waiver of the rule may accept besides settings (`advisory`).
    #[serde(default)]
    accepts: Vec<String>,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "lowercase")]
enum Judged {
    Definition,
    Manual,
    Build,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Applies {
    Named(Named),
    Roles(Roles),
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Named {
    All,
    Desktops,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Roles {
    admin: Level,
    clinical: Level,
    analyst: Level,
    dr: Level,
    kiosk: Level,
    server: Level,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Level {
    Yes,
    Advisory,
    No,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct References {
    ncsc: String,
    cyber_essentials: String,
    cis: String,
    dspt: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Parameter {
    key: String,
    default: i64,
    larger_is_looser: bool,
}

impl Applies {
    /// In `Role` order: admin, clinical, analyst, dr, kiosk, server.
    fn levels(&self) -> [Level; 6] {
        use Level::{No, Yes};
        match self {
            Applies::Named(Named::All) => [Yes; 6],
            Applies::Named(Named::Desktops) => [Yes, Yes, Yes, Yes, No, No],
            Applies::Roles(r) => [r.admin, r.clinical, r.analyst, r.dr, r.kiosk, r.server],
        }
    }
}

fn rust(meta: &Meta, test_only: bool) -> String {
    let mut o = String::new();
    if test_only {
        o.push_str("#[cfg(test)]\n");
    }
    let levels: Vec<&str> = meta
        .applies
        .levels()
        .iter()
        .map(|l| match l {
            Level::Yes => "Applies::Yes",
            Level::Advisory => "Applies::Advisory",
            Level::No => "Applies::No",
        })
        .collect();
    let params: String = meta
        .parameters
        .iter()
        .map(|p| {
            format!(
                "Parameter {{ key: {:?}, default: {}, larger_is_looser: {} }}, ",
                p.key, p.default, p.larger_is_looser
            )
        })
        .collect();
    let r = &meta.references;
    let _ = writeln!(
        o,
        "pub(crate) const {id}: Rule = Rule {{\n    id: {id:?},\n    title: {:?},\n    \
         severity: Severity::{:?},\n    judged: Judged::{:?},\n    rationale: {:?},\n    \
         remediation: {:?},\n    references: References {{ ncsc: {:?}, cyber_essentials: {:?}, \
         cis: {:?}, dspt: {:?} }},\n    parameters: &[{params}],\n    enforced_by: &{:?},\n    \
         enforcement: {:?},\n    accepts: &{:?},\n    applies: [{}],\n}};",
        meta.title,
        meta.severity,
        meta.judged,
        meta.rationale,
        meta.remediation,
        r.ncsc,
        r.cyber_essentials,
        r.cis,
        r.dspt,
        meta.enforced_by,
        meta.enforcement,
        meta.accepts,
        levels.join(", "),
        id = meta.id,
    );
    o
}

/// Writes `$OUT_DIR/rule_meta.rs`.
pub fn embed(out_dir: &Path) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries =
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut by_stem = BTreeMap::new();
    for e in entries {
        let path = e
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .path();
        if path.extension().is_some_and(|x| x == "toml") {
            println!("cargo:rerun-if-changed={}", path.display());
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_else(|| panic!("rule file name is not UTF-8: {}", path.display()))
                .to_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let meta: Meta =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            by_stem.insert(stem, meta);
        }
    }
    let mut out =
        String::from("// Generated by build/rules.rs from src/rules/*.toml: do not edit.\n\n");
    for (stem, meta) in &by_stem {
        out.push_str(&rust(meta, stem.starts_with("example_")));
        out.push('\n');
    }
    let dest = out_dir.join("rule_meta.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
