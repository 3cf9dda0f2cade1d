//! Each edit as a change to `toml_edit` documents.

use super::no_profile;
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorKind, Result};
use crate::model::Estate;
use crate::setting::SettingKind;
use crate::tree::MemTree;
use std::collections::BTreeMap;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

pub(super) type Changes = BTreeMap<String, (Option<Vec<u8>>, Option<Vec<u8>>)>;

pub(super) fn err(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Edit, msg)
}

/// How a file writes itself: CRLF line ends (most of its lines), a UTF-8 BOM.
/// An edit writes the file back the same way.
#[derive(Debug, Clone, Copy, Default)]
struct Style {
    crlf: bool,
    bom: bool,
}

fn style(bytes: &[u8]) -> Style {
    let lf = bytes.iter().filter(|b| **b == b'\n').count();
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    Style {
        crlf: crlf > 0 && crlf * 2 >= lf,
        bom: bytes.starts_with("\u{feff}".as_bytes()),
    }
}

pub(super) fn doc(tree: &MemTree, rel: &str) -> Result<DocumentMut> {
    let text = tree
        .files
        .get(rel)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    text.parse::<DocumentMut>()
        .map_err(|e| err(format!("{rel}: {e}")))
}

pub(super) fn put(changes: &mut Changes, tree: &MemTree, rel: &str, doc: &DocumentMut) {
    let st = tree.files.get(rel).map(|b| style(b)).unwrap_or_default();
    let mut text = doc.to_string();
    if st.crlf {
        text = text.replace('\n', "\r\n");
    }
    if st.bom {
        text.insert(0, '\u{feff}');
    }
    let new = text.into_bytes();
    let old = tree.files.get(rel).cloned();
    if old.as_ref() != Some(&new) {
        changes.insert(rel.to_owned(), (old, Some(new)));
    }
}

pub(super) fn profile_file(name: &str) -> String {
    format!("profiles/{name}.toml")
}

/// The table at `path` (created, as a standard table, when missing; parents are
/// implicit so they print as `[a.b]` headers only).
pub(super) fn table_mut<'a>(doc: &'a mut DocumentMut, path: &[&str]) -> Result<&'a mut Table> {
    let mut t = doc.as_table_mut();
    for (i, key) in path.iter().enumerate() {
        if !t.contains_key(key) {
            let mut nt = Table::new();
            if i + 1 < path.len() {
                nt.set_implicit(true);
            }
            t.insert(key, Item::Table(nt));
        }
        t = match t.get_mut(key) {
            Some(Item::Table(nt)) => nt,
            _ => {
                return Err(err(format!(
                    "`{}` is not a table in the definition",
                    path[..=i].join(".")
                )));
            }
        };
    }
    Ok(t)
}

pub(super) fn array_mut<'a>(t: &'a mut Table, key: &str) -> Result<&'a mut Array> {
    if !t.contains_key(key) {
        t.insert(key, toml_edit::value(Array::new()));
    }
    t.get_mut(key)
        .and_then(Item::as_array_mut)
        .ok_or_else(|| err(format!("`{key}` is not an array")))
}

pub(super) fn position(arr: &Array, s: &str) -> Option<usize> {
    arr.iter().position(|v| v.as_str() == Some(s))
}

/// Removes `s` from the array at `path.key`; drops the key, and tables left empty.
pub(super) fn remove_from(doc: &mut DocumentMut, path: &[&str], key: &str, s: &str) -> bool {
    let Ok(t) = table_mut(doc, path) else {
        return false;
    };
    let Some(arr) = t.get_mut(key).and_then(Item::as_array_mut) else {
        prune(doc, path);
        return false;
    };
    let Some(i) = position(arr, s) else {
        prune(doc, path);
        return false;
    };
    remove_item(arr, i);
    if arr.is_empty() {
        t.remove(key);
    }
    prune(doc, path);
    true
}

/// Removes item `i` of an array with the comments that belong to it, and no
/// others. In a multi-line array toml_edit keeps the rest of an item's line (its
/// trailing comment) at the start of the *next* item's prefix: that part of the
/// removed item's prefix belongs to the item before it and stays; the start of the
/// next prefix was the removed item's own comment and goes with it.
pub(super) fn remove_item(arr: &mut Array, i: usize) {
    let prefix = |v: Option<&toml_edit::Value>| {
        v.and_then(|v| v.decor().prefix())
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let own = prefix(arr.get(i));
    arr.remove(i);
    let Some(nl) = own.find('\n') else {
        return; // a single-line array holds no comments
    };
    let keep = &own[..nl];
    let after = |text: &str| -> String {
        match text.find('\n') {
            Some(n) => format!("{keep}{}", &text[n..]),
            None => format!("{keep}\n"),
        }
    };
    if i < arr.len() {
        let next = prefix(arr.get(i));
        let new = after(&next);
        if let Some(v) = arr.get_mut(i) {
            v.decor_mut().set_prefix(new);
        }
    } else {
        let trailing = arr.trailing().as_str().unwrap_or("").to_owned();
        arr.set_trailing(after(&trailing));
    }
}

/// Removes empty tables along `path`, innermost first.
pub(super) fn prune(doc: &mut DocumentMut, path: &[&str]) {
    for depth in (1..=path.len()).rev() {
        let (parent, last) = (&path[..depth - 1], path[depth - 1]);
        let mut t = doc.as_table_mut();
        for k in parent {
            match t.get_mut(k) {
                Some(Item::Table(nt)) => t = nt,
                _ => return,
            }
        }
        let empty = matches!(t.get(last), Some(Item::Table(x)) if x.is_empty());
        if empty {
            t.remove(last);
        } else {
            return;
        }
    }
}

pub(super) fn push(doc: &mut DocumentMut, path: &[&str], key: &str, s: &str) -> Result<()> {
    let t = table_mut(doc, path)?;
    array_mut(t, key)?.push(s);
    Ok(())
}

pub(super) fn parse_value(key: &str, kind: SettingKind, text: &str) -> Result<Value> {
    let parsed = text.trim().parse::<Value>().ok();
    let ok = |v: &Value| match kind {
        SettingKind::Bool => v.is_bool(),
        SettingKind::Int => v.is_integer(),
        SettingKind::Str => v.is_str(),
        SettingKind::List => v.is_array(),
        SettingKind::Map => v.is_inline_table(),
    };
    match parsed {
        Some(v) if ok(&v) => Ok(v),
        _ if kind == SettingKind::Str => Ok(Value::from(text)),
        _ => {
            let want = match kind {
                SettingKind::Bool => "true or false",
                SettingKind::Int => "a whole number",
                SettingKind::Str => "a string",
                SettingKind::List => "a list such as [22, 443]",
                SettingKind::Map => "a table such as { Name = \"https://…\" }",
            };
            Err(err(format!("`{key}` takes {want}, not {text:?}")))
        }
    }
}

/// Sets `key` in `t`. An existing value is replaced in place: the key, its comments
/// and the whitespace and comment around the value stay.
pub(super) fn set_keeping_decor(t: &mut Table, key: &str, mut v: Value) {
    match t.get_mut(key) {
        Some(item) => {
            if let Some(old) = item.as_value() {
                let d = old.decor();
                if let Some(p) = d.prefix().cloned() {
                    v.decor_mut().set_prefix(p);
                }
                if let Some(s) = d.suffix().cloned() {
                    v.decor_mut().set_suffix(s);
                }
            }
            *item = Item::Value(v);
        }
        None => {
            t.insert(key, Item::Value(v));
        }
    }
}

pub(super) fn check_profile<'a>(
    estate: &'a Estate,
    name: &str,
) -> Result<&'a crate::model::Profile> {
    estate
        .profiles
        .get(name)
        .ok_or_else(|| no_profile(estate, name))
}

pub(super) fn rename_in(arr: &mut Array, from: &str, to: &str) {
    for v in arr.iter_mut() {
        if v.as_str() == Some(from) {
            let d = v.decor().clone();
            let mut nv = Value::from(to);
            *nv.decor_mut() = d;
            *v = nv;
        }
    }
}

/// Whether `package` would still be in `p` without `p`'s own `packages.add`.
pub(super) fn ancestors_or_capabilities_add(
    estate: &Estate,
    p: &crate::model::Profile,
    package: &str,
) -> bool {
    let cat = Catalogue::builtin();
    p.capabilities.keys().any(|c| {
        cat.capabilities
            .get(c)
            .is_some_and(|cap| cap.packages.iter().any(|x| x == package))
    }) || p.linearization.iter().skip(1).any(|a| {
        estate
            .profiles
            .get(a)
            .is_some_and(|ap| ap.packages.contains_key(package))
    })
}

/// A waiver's accepted value from TOML text: `900`, `false`, `"x"`, or a bare word
/// as a string.
pub(super) fn accepted_value(text: &str) -> Option<toml_edit::Value> {
    match text.trim().parse::<toml_edit::Value>() {
        Ok(
            v @ (toml_edit::Value::Boolean(_)
            | toml_edit::Value::Integer(_)
            | toml_edit::Value::String(_)),
        ) => Some(v.decorated("", "")),
        Ok(_) => None,
        Err(_) if !text.trim().is_empty() && !text.contains(['"', '\'', '\n']) => {
            Some(toml_edit::Value::from(text.trim()))
        }
        Err(_) => None,
    }
}
