//! Tables: each key checked against its property, refused as unknown (with the
//! nearest key) or as a plaintext secret, and the required keys that are missing.

use super::Walker;
use crate::diagnostic::{Code, nearest};
use serde_json::{Map, Value};
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

/// Keys that look like secrets. A definition is committed to git and copied into the
/// Nix store, which is world-readable: secrets never belong in it.
fn looks_like_secret(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    (k.contains("password")
        || k.contains("passwd")
        || k.contains("secret")
        || k == "psk"
        || k.ends_with("-psk"))
        && !k.contains("min-password")
        && !k.contains("password-authentication")
        && !k.ends_with("-file")
}

/// Whether a table's other keys are names the user chose (bookmark titles,
/// administrators), not fields: `additionalProperties` is a schema.
fn is_map(additional: Option<&Value>) -> bool {
    matches!(additional, Some(Value::Object(_)))
}

impl<'a> Walker<'a> {
    pub(super) fn check_object(
        &mut self,
        table: &DeTable<'_>,
        span: Range<usize>,
        schema: &'a Value,
        path: &str,
    ) {
        let schema = self.resolve(schema);
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        let props = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new));
        let additional = schema.get("additionalProperties");
        for (key, value) in table.iter() {
            self.check_key(key, value, props, additional, path);
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for r in required.iter().filter_map(Value::as_str) {
                if !table.keys().any(|k| k.get_ref().as_ref() == r) {
                    self.missing_key(r, span.start, props, path);
                }
            }
        }
    }

    /// One key of a table: its property's schema, a secret, or the table's
    /// `additionalProperties` (refused, or a schema for the value).
    fn check_key(
        &mut self,
        key: &Spanned<DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
        props: &'a Map<String, Value>,
        additional: Option<&'a Value>,
        path: &str,
    ) {
        let name = key.get_ref().as_ref();
        let child_path = if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        if let Some(child) = props.get(name) {
            self.check(value, child, &child_path);
        } else if looks_like_secret(name) && !is_map(additional) {
            self.push(
                Code::PlaintextSecret,
                key.span(),
                format!("`{child_path}` looks like a plaintext secret"),
                Some(
                    "definitions are committed to git and copied into the world-readable Nix store; \
                     keep secrets out of them and provision them on the device (e.g. with sops-nix or agenix)"
                        .to_owned(),
                ),
            );
        } else {
            match additional {
                Some(Value::Bool(false)) => self.unknown_key(name, key.span(), props, path),
                Some(s @ Value::Object(_)) => self.check(value, s, &child_path),
                _ => {}
            }
        }
    }

    fn unknown_key(
        &mut self,
        name: &str,
        span: Range<usize>,
        props: &Map<String, Value>,
        path: &str,
    ) {
        let hint = nearest(name, props.keys().map(String::as_str))
            .map(|n| format!("did you mean `{n}`?"))
            .or_else(|| {
                let mut keys: Vec<&str> = props.keys().map(String::as_str).collect();
                keys.sort_unstable();
                (!keys.is_empty()).then(|| format!("known keys here: {}", keys.join(", ")))
            });
        let at = if path.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `{path}`")
        };
        self.push(
            Code::UnknownKey,
            span,
            format!("unknown key `{name}` {at}"),
            hint,
        );
    }

    /// A required key `r` the table starting at `start` lacks: reported at the
    /// table's first character.
    fn missing_key(&mut self, r: &str, start: usize, props: &Map<String, Value>, path: &str) {
        let at = if path.is_empty() {
            "the file".to_owned()
        } else {
            format!("`{path}`")
        };
        let table_hint = if props.get(r).is_some_and(|p| {
            let p = self.resolve(p);
            p.get("type").and_then(Value::as_str) == Some("object")
        }) {
            format!(
                "add a `[{}]` table",
                if path.is_empty() {
                    r.to_owned()
                } else {
                    format!("{path}.{r}")
                }
            )
        } else {
            format!("add `{r} = …`")
        };
        let head = start..start.saturating_add(1).min(self.file.text.len()).max(start);
        self.push(
            Code::MissingKey,
            head,
            format!("{at} is missing the required key `{r}`"),
            Some(table_hint),
        );
    }
}
