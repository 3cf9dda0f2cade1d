//! The structural check: walks a parsed TOML document against the JSON Schema of its
//! file kind and reports *every* wrong type, unknown key, missing key and
//! out-of-range value at once, each at its own span. Only a document that passes is
//! handed to serde.

use crate::diagnostic::{Code, Diagnostic, nearest};
use crate::source::SourceFile;
use serde_json::Value;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeInteger, DeTable, DeValue};

mod object;

/// Characters no definition value may hold: C0 and C1 controls other than tab and
/// line feed, DEL, bidirectional overrides and isolates, zero-width marks and the
/// byte-order mark.
pub(crate) fn forbidden_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

pub(crate) struct Walker<'a> {
    root: &'a Value,
    file: &'a SourceFile,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Walker<'a> {
    pub fn new(root: &'a Value, file: &'a SourceFile) -> Self {
        Self {
            root,
            file,
            diagnostics: Vec::new(),
        }
    }

    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        // Follow local `$ref`s (`#/$defs/Name`); a bounded loop guards against cycles.
        for _ in 0..16 {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let Some(target) = r.strip_prefix('#').and_then(|p| self.root.pointer(p)) else {
                break;
            };
            schema = target;
        }
        schema
    }

    fn push(&mut self, code: Code, span: Range<usize>, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(code, Some(self.file.location(span)), message);
        d.hint = hint;
        self.diagnostics.push(d);
    }

    /// Refuses control characters, bidirectional overrides and invisible marks in
    /// every key and string (TOML escapes such as `\u001b` or `\u0000` produce
    /// them): they would reach terminals, Nix files, XML and systemd units. Tab and
    /// line feed are text.
    pub fn check_characters(&mut self, table: &Spanned<DeTable<'_>>) {
        fn walk(w: &mut Walker<'_>, t: &DeTable<'_>, budget: &mut usize) {
            for (k, v) in t.iter() {
                w.character(k.get_ref(), k.span(), "a key", budget);
                value(w, v, budget);
            }
        }
        fn value(w: &mut Walker<'_>, v: &Spanned<DeValue<'_>>, budget: &mut usize) {
            match v.get_ref() {
                DeValue::String(s) => w.character(s, v.span(), "a value", budget),
                DeValue::Array(items) => {
                    for i in items.iter() {
                        value(w, i, budget);
                    }
                }
                DeValue::Table(t) => walk(w, t, budget),
                _ => {}
            }
        }
        let mut budget = 20;
        walk(self, table.get_ref(), &mut budget);
    }

    fn character(&mut self, s: &str, span: Range<usize>, what: &str, budget: &mut usize) {
        if *budget == 0 {
            return;
        }
        if let Some(c) = s.chars().find(|c| forbidden_char(*c)) {
            *budget -= 1;
            self.push(
                Code::InvalidValue,
                span,
                format!(
                    "{what} holds the character U+{:04X}, which nhos refuses (control characters, bidirectional overrides and invisible marks would reach terminals, Nix files and systemd units)",
                    c as u32
                ),
                Some("remove it; write line breaks as real ones in a multi-line string".to_owned()),
            );
        }
    }

    pub fn check_table(&mut self, table: &Spanned<DeTable<'_>>, schema: &'a Value, path: &str) {
        let span = table.span();
        self.check_object(table.get_ref(), span, schema, path);
    }

    fn check(&mut self, value: &Spanned<DeValue<'_>>, schema: &'a Value, path: &str) {
        let schema = self.resolve(schema);
        if self.check_variants(value, schema, path)
            || self.check_const(value, schema, path)
            || !self.check_type(value, schema, path)
        {
            return;
        }
        let span = value.span();
        let v = value.get_ref();
        match v {
            DeValue::Table(t) => self.check_object(t, span, schema, path),
            DeValue::Array(items) => {
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item, item_schema, &format!("{path}[{i}]"));
                    }
                }
            }
            DeValue::Integer(i) => self.check_integer(i, span, schema, path),
            DeValue::String(s) => {
                if let Some(e) = schema.get("enum").and_then(Value::as_array) {
                    let allowed: Vec<String> = e
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect();
                    if !allowed.iter().any(|a| a == s.as_ref()) {
                        self.invalid_choice(v, span, path, &allowed);
                    }
                }
            }
            _ => {}
        }
    }

    /// Variants (`oneOf`/`anyOf`): the value passes if one branch takes it; TOML has
    /// no null, so `null` branches drop out. Whether the schema had variants (and the
    /// value is judged).
    fn check_variants(
        &mut self,
        value: &Spanned<DeValue<'_>>,
        schema: &'a Value,
        path: &str,
    ) -> bool {
        for key in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array) {
                let branches: Vec<&'a Value> = branches
                    .iter()
                    .map(|b| self.resolve(b))
                    .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                    .collect();
                if let [only] = branches.as_slice() {
                    self.check(value, only, path);
                    return true;
                }
                let mut allowed = Vec::new();
                for b in &branches {
                    let mut probe = Walker::new(self.root, self.file);
                    probe.check(value, b, path);
                    if probe.diagnostics.is_empty() {
                        return true;
                    }
                    if let Some(c) = b.get("const").and_then(Value::as_str) {
                        allowed.push(c.to_owned());
                    }
                    if let Some(e) = b.get("enum").and_then(Value::as_array) {
                        allowed.extend(e.iter().filter_map(Value::as_str).map(str::to_owned));
                    }
                }
                self.invalid_choice(value.get_ref(), value.span(), path, &allowed);
                return true;
            }
        }
        false
    }

    /// A string `const`: whether the schema had one (and the value is judged).
    fn check_const(&mut self, value: &Spanned<DeValue<'_>>, schema: &'a Value, path: &str) -> bool {
        let v = value.get_ref();
        if let Some(c) = schema.get("const")
            && let (Some(c), DeValue::String(s)) = (c.as_str(), v)
        {
            if c != s.as_ref() {
                self.invalid_choice(v, value.span(), path, &[c.to_owned()]);
            }
            return true;
        }
        false
    }

    /// The schema's `type` (or date `format`): whether the value has it, reporting
    /// it if not.
    fn check_type(&mut self, value: &Spanned<DeValue<'_>>, schema: &'a Value, path: &str) -> bool {
        let Some(types) = schema.get("type") else {
            return true;
        };
        let v = value.get_ref();
        let want: Vec<&str> = match types {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a
                .iter()
                .filter_map(Value::as_str)
                .filter(|t| *t != "null")
                .collect(),
            _ => vec![],
        };
        let is_date = schema.get("format").and_then(Value::as_str) == Some("date");
        let found = type_name(v);
        let ok = if is_date {
            matches!(v, DeValue::Datetime(_))
        } else {
            want.iter()
                .any(|t| *t == found || (*t == "number" && found == "integer"))
        };
        if !ok {
            let expected = if is_date {
                "a date such as 2027-03-31".to_owned()
            } else {
                describe(&want)
            };
            self.push(
                Code::WrongType,
                value.span(),
                format!("`{path}` should be {expected}, found {}", article(found)),
                Some(wrong_type_hint(found, want.first().copied(), is_date)),
            );
        }
        ok
    }

    /// An integer within `minimum`/`maximum`, or the range its `format` implies.
    fn check_integer(
        &mut self,
        i: &DeInteger<'_>,
        span: Range<usize>,
        schema: &'a Value,
        path: &str,
    ) {
        let n = parse_int(i.as_str(), i.radix());
        let (fmin, fmax) = format_range(schema);
        let min = schema.get("minimum").and_then(Value::as_f64).or(fmin);
        let max = schema.get("maximum").and_then(Value::as_f64).or(fmax);
        match n {
            Some(n) if min.is_none_or(|m| n as f64 >= m) && max.is_none_or(|m| n as f64 <= m) => {}
            _ => {
                let range = match (min, max) {
                    (Some(a), Some(b)) => format!("between {a} and {b}"),
                    (Some(a), None) => format!("at least {a}"),
                    (None, Some(b)) => format!("at most {b}"),
                    (None, None) => "a 64-bit integer".to_owned(),
                };
                self.push(
                    Code::InvalidValue,
                    span,
                    format!("`{path}` is out of range: it must be {range}"),
                    Some(format!("use a whole number {range}")),
                );
            }
        }
    }

    fn invalid_choice(
        &mut self,
        v: &DeValue<'_>,
        span: Range<usize>,
        path: &str,
        allowed: &[String],
    ) {
        let shown = match v {
            DeValue::String(s) => format!("{:?}", s.as_ref()),
            other => article(type_name(other)),
        };
        let hint = match v {
            DeValue::String(s) => nearest(s, allowed.iter().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?")),
            _ => None,
        };
        let list = allowed
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        self.push(
            Code::InvalidValue,
            span,
            format!("`{path}` is {shown}, which is not one of {list}"),
            hint.or_else(|| Some(format!("use one of {list}"))),
        );
    }
}

fn parse_int(digits: &str, radix: u32) -> Option<i64> {
    let clean: String = digits.chars().filter(|c| *c != '_').collect();
    let clean = clean.strip_prefix('+').unwrap_or(&clean);
    i64::from_str_radix(clean, radix).ok()
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "string",
        DeValue::Integer(_) => "integer",
        DeValue::Float(_) => "number",
        DeValue::Boolean(_) => "boolean",
        DeValue::Datetime(_) => "datetime",
        DeValue::Array(_) => "array",
        DeValue::Table(_) => "object",
    }
}

fn article(t: &str) -> String {
    match t {
        "string" => "a string".into(),
        "integer" => "an integer".into(),
        "number" => "a number".into(),
        "boolean" => "a boolean (true or false)".into(),
        "datetime" => "a date or time".into(),
        "array" => "an array".into(),
        "object" => "a table".into(),
        other => other.into(),
    }
}

fn describe(types: &[&str]) -> String {
    types
        .iter()
        .map(|t| article(t))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// What to change when a value has the wrong type.
fn wrong_type_hint(found: &str, want: Option<&str>, is_date: bool) -> String {
    match (found, want) {
        ("string", Some("integer" | "boolean")) => "remove the quotes".to_owned(),
        ("integer" | "boolean", Some("string")) => "put the value in quotes".to_owned(),
        (_, Some("array")) => "write a list in brackets: [\"a\", \"b\"]".to_owned(),
        (_, Some("object")) => {
            "write a table: [name] with keys below it, or { key = value }".to_owned()
        }
        _ if is_date => "write a bare TOML date without quotes".to_owned(),
        _ => "see docs/definition.md for the type of each key".to_owned(),
    }
}

/// The range an integer `format` implies (schemars writes `uint32` with a
/// `minimum` of 0 but no `maximum`).
fn format_range(schema: &Value) -> (Option<f64>, Option<f64>) {
    match schema.get("format").and_then(Value::as_str) {
        Some("uint8") => (Some(0.0), Some(u8::MAX as f64)),
        Some("uint16") => (Some(0.0), Some(u16::MAX as f64)),
        Some("uint32") => (Some(0.0), Some(u32::MAX as f64)),
        Some("uint64" | "uint") => (Some(0.0), None),
        Some("int32") => (Some(i32::MIN as f64), Some(i32::MAX as f64)),
        _ => (None, None),
    }
}

/// The schema keywords the walker acts on, and those that only annotate. A schema
/// that uses any other keyword fails `every_schema_keyword_is_understood`: the
/// walker must never skip a constraint silently.
#[cfg(test)]
pub(crate) const UNDERSTOOD_KEYWORDS: &[&str] = &[
    // constraints the walker checks
    "$ref",
    "$defs",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "minimum",
    "maximum",
    "format",
    // annotations
    "$schema",
    "$id",
    "title",
    "description",
    "default",
];

/// The integer and string formats the walker understands.
#[cfg(test)]
pub(crate) const UNDERSTOOD_FORMATS: &[&str] = &[
    "uint8", "uint16", "uint32", "uint64", "uint", "int32", "int64", "date",
];

#[cfg(test)]
mod keyword_tests;
