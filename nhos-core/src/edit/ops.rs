//! Each edit as a change to `toml_edit` documents.

use super::{Edit, no_profile};
use crate::catalogue::Catalogue;
use crate::definition::setting_spec;
use crate::diagnostic::nearest;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Estate, Via};
use crate::setting::SettingKind;
use crate::tree::MemTree;
use std::collections::BTreeMap;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

type Changes = BTreeMap<String, (Option<Vec<u8>>, Option<Vec<u8>>)>;

fn err(msg: impl Into<String>) -> Error {
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

fn doc(tree: &MemTree, rel: &str) -> Result<DocumentMut> {
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

fn put(changes: &mut Changes, tree: &MemTree, rel: &str, doc: &DocumentMut) {
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

fn profile_file(name: &str) -> String {
    format!("profiles/{name}.toml")
}

/// The table at `path` (created, as a standard table, when missing; parents are
/// implicit so they print as `[a.b]` headers only).
fn table_mut<'a>(doc: &'a mut DocumentMut, path: &[&str]) -> Result<&'a mut Table> {
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

fn array_mut<'a>(t: &'a mut Table, key: &str) -> Result<&'a mut Array> {
    if !t.contains_key(key) {
        t.insert(key, toml_edit::value(Array::new()));
    }
    t.get_mut(key)
        .and_then(Item::as_array_mut)
        .ok_or_else(|| err(format!("`{key}` is not an array")))
}

fn position(arr: &Array, s: &str) -> Option<usize> {
    arr.iter().position(|v| v.as_str() == Some(s))
}

/// Removes `s` from the array at `path.key`; drops the key, and tables left empty.
fn remove_from(doc: &mut DocumentMut, path: &[&str], key: &str, s: &str) -> bool {
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
fn remove_item(arr: &mut Array, i: usize) {
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
fn prune(doc: &mut DocumentMut, path: &[&str]) {
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

fn push(doc: &mut DocumentMut, path: &[&str], key: &str, s: &str) -> Result<()> {
    let t = table_mut(doc, path)?;
    array_mut(t, key)?.push(s);
    Ok(())
}

fn parse_value(key: &str, kind: SettingKind, text: &str) -> Result<Value> {
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
fn set_keeping_decor(t: &mut Table, key: &str, mut v: Value) {
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

fn check_profile<'a>(estate: &'a Estate, name: &str) -> Result<&'a crate::model::Profile> {
    estate
        .profiles
        .get(name)
        .ok_or_else(|| no_profile(estate, name))
}

pub(super) fn apply(tree: &MemTree, estate: &Estate, edit: &Edit) -> Result<Changes> {
    let mut changes = Changes::new();
    let cat = Catalogue::builtin();
    match edit {
        Edit::AddPackage { profile, package } => {
            let p = check_profile(estate, profile)?;
            if !crate::load::is_attr_path(package) {
                return Err(err(format!("{package:?} is not a nixpkgs attribute path")));
            }
            if let Some(o) = p.packages.get(package) {
                return Err(err(format!(
                    "profile `{profile}` already has `{package}` ({o})"
                )));
            }
            let rel = profile_file(profile);
            let mut d = doc(tree, &rel)?;
            if !remove_from(&mut d, &["packages"], "remove", package) {
                push(&mut d, &["packages"], "add", package)?;
            }
            put(&mut changes, tree, &rel, &d);
        }
        Edit::RemovePackage { profile, package } => {
            let p = check_profile(estate, profile)?;
            if !p.packages.contains_key(package) {
                let hint = nearest(package, p.packages.keys().map(String::as_str))
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err(err(format!(
                    "profile `{profile}` has no package `{package}`{hint}"
                )));
            }
            let rel = profile_file(profile);
            let mut d = doc(tree, &rel)?;
            let own =
                matches!(&p.packages[package].via, Via::Profile { profile: by } if by == profile);
            let removed_own = own && remove_from(&mut d, &["packages"], "add", package);
            let still_there = !removed_own || ancestors_or_capabilities_add(estate, p, package);
            if still_there {
                push(&mut d, &["packages"], "remove", package)?;
            }
            put(&mut changes, tree, &rel, &d);
        }
        Edit::AddCapability {
            profile,
            capability,
        } => {
            let p = check_profile(estate, profile)?;
            if !cat.capabilities.contains_key(capability) {
                let hint = nearest(capability, cat.capabilities.keys().map(String::as_str))
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err(err(format!("unknown capability `{capability}`{hint}")));
            }
            if p.has_capability(capability) {
                return Err(err(format!(
                    "profile `{profile}` already has capability `{capability}`"
                )));
            }
            let rel = profile_file(profile);
            let mut d = doc(tree, &rel)?;
            if !remove_from(&mut d, &["capabilities"], "remove", capability) {
                push(&mut d, &["capabilities"], "add", capability)?;
            }
            put(&mut changes, tree, &rel, &d);
        }
        Edit::RemoveCapability {
            profile,
            capability,
        } => {
            let p = check_profile(estate, profile)?;
            let Some(u) = p.capabilities.get(capability) else {
                let hint = nearest(capability, p.capabilities.keys().map(String::as_str))
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err(err(format!(
                    "profile `{profile}` has no capability `{capability}`{hint}"
                )));
            };
            let rel = profile_file(profile);
            let mut d = doc(tree, &rel)?;
            let own = matches!(&u.origin.via, Via::Profile { profile: by } if by == profile);
            let removed_own = own && remove_from(&mut d, &["capabilities"], "add", capability);
            let inherited = p.linearization.iter().skip(1).any(|a| {
                estate
                    .profiles
                    .get(a)
                    .is_some_and(|ap| ap.has_capability(capability))
            });
            if !removed_own || inherited {
                push(&mut d, &["capabilities"], "remove", capability)?;
            }
            put(&mut changes, tree, &rel, &d);
        }
        Edit::SetSetting {
            profile,
            key,
            value,
        } => {
            check_profile(estate, profile)?;
            let spec = setting_spec(key).ok_or_else(|| {
                let hint = nearest(key, crate::definition::SETTINGS.iter().map(|s| s.key))
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                err(format!("unknown setting `{key}`{hint}"))
            })?;
            let v = parse_value(key, spec.kind, value)?;
            let (group, leaf) = key
                .split_once('.')
                .ok_or_else(|| err(format!("`{key}` is not a setting key")))?;
            let rel = profile_file(profile);
            let mut d = doc(tree, &rel)?;
            let t = table_mut(&mut d, &["settings", group])?;
            set_keeping_decor(t, leaf, v);
            put(&mut changes, tree, &rel, &d);
        }
        Edit::UnsetSetting { profile, key } => {
            let p = check_profile(estate, profile)?;
            let own = p.settings.get(key).is_some_and(
                |s| matches!(&s.origin.via, Via::Profile { profile: by } if by == profile),
            );
            if !own {
                let from = p
                    .settings
                    .get(key)
                    .map(|s| format!(" (its value comes from {})", s.origin))
                    .unwrap_or_default();
                return Err(err(format!(
                    "profile `{profile}` does not set `{key}` itself{from}"
                )));
            }
            let (group, leaf) = key
                .split_once('.')
                .ok_or_else(|| err(format!("`{key}` is not a setting key")))?;
            let rel = profile_file(profile);
            let mut d = doc(tree, &rel)?;
            table_mut(&mut d, &["settings", group])?.remove(leaf);
            prune(&mut d, &["settings", group]);
            put(&mut changes, tree, &rel, &d);
        }
        Edit::SetBranding { field, value } => {
            const FIELDS: &[&str] = &[
                "os-name",
                "os-id",
                "vendor",
                "iso-volume-id",
                "image-base-name",
                "login-banner",
                "colours.accent",
                "colours.background",
                "colours.banner-text",
                "colours.banner-background",
                "assets.wallpaper",
                "assets.logo",
                "assets.boot-splash",
                "fonts.sans",
            ];
            if !FIELDS.contains(&field.as_str()) {
                let hint = nearest(field, FIELDS.iter().copied())
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err(err(format!("unknown branding field `{field}`{hint}")));
            }
            let rel = "branding.toml";
            let mut d = doc(tree, rel)?;
            let (path, leaf): (Vec<&str>, &str) = match field.split_once('.') {
                Some((t, k)) => (vec![t], k),
                None => (vec![], field.as_str()),
            };
            let t = table_mut(&mut d, &path)?;
            set_keeping_decor(t, leaf, Value::from(value.as_str()));
            put(&mut changes, tree, rel, &d);
        }
        Edit::AddWaiver {
            id,
            rule,
            profiles,
            justification,
            approver,
            approved,
            expires,
            accepts,
        } => {
            if estate.policy.waivers.iter().any(|w| &w.id == id) {
                return Err(err(format!("a waiver `{id}` already exists")));
            }
            for p in profiles {
                check_profile(estate, p)?;
            }
            let rel = "policy.toml";
            let mut d = doc(tree, rel)?;
            let mut t = Table::new();
            t.insert("id", toml_edit::value(id.as_str()));
            t.insert("rule", toml_edit::value(rule.as_str()));
            let mut arr = Array::new();
            for p in profiles {
                arr.push(p.as_str());
            }
            t.insert("profiles", toml_edit::value(arr));
            t.insert("justification", toml_edit::value(justification.as_str()));
            t.insert("approver", toml_edit::value(approver.as_str()));
            let date = |d: &crate::Date| toml_edit::Datetime {
                date: Some(toml_edit::Date {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                }),
                time: None,
                offset: None,
            };
            if let Some(a) = approved {
                t.insert("approved", toml_edit::value(date(a)));
            }
            t.insert("expires", toml_edit::value(date(expires)));
            if !accepts.is_empty() {
                let mut table = toml_edit::InlineTable::new();
                for (key, text) in accepts {
                    let v = accepted_value(text).ok_or_else(|| {
                        err(format!(
                            "`accepts` {key} = {text:?} is not a boolean, integer or string"
                        ))
                    })?;
                    table.insert(key.as_str(), v);
                }
                table.fmt();
                t.insert("accepts", toml_edit::value(table));
            }
            let root = d.as_table_mut();
            if !root.contains_key("waiver") {
                root.insert(
                    "waiver",
                    Item::ArrayOfTables(toml_edit::ArrayOfTables::new()),
                );
            }
            match root.get_mut("waiver") {
                Some(Item::ArrayOfTables(a)) => a.push(t),
                _ => return Err(err("policy.toml: `waiver` is not an array of tables")),
            }
            put(&mut changes, tree, rel, &d);
        }
        Edit::AddProfile {
            name,
            role,
            inherits,
        } => {
            if !crate::load::is_profile_name(name) {
                return Err(err(format!(
                    "`{name}` cannot be a profile name: use lower-case letters, digits and `-`"
                )));
            }
            if estate.profiles.contains_key(name) {
                return Err(err(format!("profile `{name}` already exists")));
            }
            for parent in inherits {
                check_profile(estate, parent)?;
            }
            let mut d = DocumentMut::new();
            let t = table_mut(&mut d, &["profile"])?;
            match role {
                Some(r) => {
                    t.insert("role", toml_edit::value(r.as_str()));
                }
                None => {
                    t.insert("abstract", toml_edit::value(true));
                }
            }
            let mut arr = Array::new();
            for p in inherits {
                arr.push(p.as_str());
            }
            t.insert("inherits", toml_edit::value(arr));
            let rel = profile_file(name);
            changes.insert(rel, (None, Some(d.to_string().into_bytes())));
        }
        Edit::RenameProfile { from, to } => {
            check_profile(estate, from)?;
            if !crate::load::is_profile_name(to) {
                return Err(err(format!(
                    "`{to}` cannot be a profile name: use lower-case letters, digits and `-`"
                )));
            }
            if estate.profiles.contains_key(to) {
                return Err(err(format!("profile `{to}` already exists")));
            }
            let old = profile_file(from);
            let bytes = tree
                .files
                .get(&old)
                .cloned()
                .ok_or_else(|| err(format!("no file {old}")))?;
            changes.insert(old.clone(), (Some(bytes.clone()), None));
            changes.insert(profile_file(to), (None, Some(bytes)));
            for (name, p) in &estate.profiles {
                if name != from && p.parents.iter().any(|x| x == from) {
                    let rel = profile_file(name);
                    let mut d = doc(tree, &rel)?;
                    if let Some(arr) = d
                        .get_mut("profile")
                        .and_then(|t| t.get_mut("inherits"))
                        .and_then(Item::as_array_mut)
                    {
                        rename_in(arr, from, to);
                    }
                    put(&mut changes, tree, &rel, &d);
                }
            }
            if estate
                .policy
                .waivers
                .iter()
                .any(|w| w.profiles.iter().any(|p| p == from))
            {
                let mut d = doc(tree, "policy.toml")?;
                if let Some(Item::ArrayOfTables(ws)) = d.get_mut("waiver") {
                    for w in ws.iter_mut() {
                        if let Some(arr) = w.get_mut("profiles").and_then(Item::as_array_mut) {
                            rename_in(arr, from, to);
                        }
                    }
                }
                put(&mut changes, tree, "policy.toml", &d);
            }
        }
    }
    if changes.is_empty() {
        return Err(err("the edit changes nothing"));
    }
    Ok(changes)
}

fn rename_in(arr: &mut Array, from: &str, to: &str) {
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
fn ancestors_or_capabilities_add(
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
fn accepted_value(text: &str) -> Option<toml_edit::Value> {
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
