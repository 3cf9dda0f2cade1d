//! Each edit as a function of the current files and the loaded estate: it checks
//! that the edit makes sense (the profile exists, the package is not already
//! there, …) and records the new contents of the files it changes.

use super::Edit;
use super::ops::*;
use crate::Result;
use crate::catalogue::Catalogue;
use crate::definition::setting_spec;
use crate::diagnostic::nearest;
use crate::model::{Estate, Via};
use crate::tree::MemTree;
use toml_edit::{Array, DocumentMut, Item, Table, Value};

pub(super) fn apply(tree: &MemTree, estate: &Estate, edit: &Edit) -> Result<Changes> {
    let mut changes = Changes::new();
    match edit {
        Edit::AddPackage { profile, package } => {
            add_package(tree, estate, &mut changes, profile, package)?
        }
        Edit::RemovePackage { profile, package } => {
            remove_package(tree, estate, &mut changes, profile, package)?
        }
        Edit::AddCapability {
            profile,
            capability,
        } => add_capability(tree, estate, &mut changes, profile, capability)?,
        Edit::RemoveCapability {
            profile,
            capability,
        } => remove_capability(tree, estate, &mut changes, profile, capability)?,
        Edit::SetSetting {
            profile,
            key,
            value,
        } => set_setting(tree, estate, &mut changes, profile, key, value)?,
        Edit::UnsetSetting { profile, key } => {
            unset_setting(tree, estate, &mut changes, profile, key)?
        }
        Edit::SetBranding { field, value } => set_branding(tree, &mut changes, field, value)?,
        Edit::AddWaiver { .. } => add_waiver(tree, estate, &mut changes, edit)?,
        Edit::AddProfile {
            name,
            role,
            inherits,
        } => add_profile(estate, &mut changes, name, role.as_deref(), inherits)?,
        Edit::RenameProfile { from, to } => rename_profile(tree, estate, &mut changes, from, to)?,
    }
    if changes.is_empty() {
        return Err(err("the edit changes nothing"));
    }
    Ok(changes)
}

fn add_package(
    tree: &MemTree,
    estate: &Estate,
    changes: &mut Changes,
    profile: &str,
    package: &str,
) -> Result<()> {
    let p = check_profile(estate, profile)?;
    if !crate::load::is_attr_path(package) {
        return Err(err(format!("{package:?} is not a nixpkgs attribute path")));
    }
    if let Some(o) = p.packages.get(package) {
        return Err(err(format!(
            "profile `{profile}` already has `{package}` ({o})"
        )));
    }
    add_to(tree, changes, profile, "packages", package)
}

/// Adds `item` to `[<table>] add` of the profile's file, or, if the profile itself
/// removes it, takes that removal back instead.
fn add_to(
    tree: &MemTree,
    changes: &mut Changes,
    profile: &str,
    table: &str,
    item: &str,
) -> Result<()> {
    let rel = profile_file(profile);
    let mut d = doc(tree, &rel)?;
    if !remove_from(&mut d, &[table], "remove", item) {
        push(&mut d, &[table], "add", item)?;
    }
    put(changes, tree, &rel, &d);
    Ok(())
}

fn remove_package(
    tree: &MemTree,
    estate: &Estate,
    changes: &mut Changes,
    profile: &str,
    package: &str,
) -> Result<()> {
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
    let own = matches!(&p.packages[package].via, Via::Profile { profile: by } if by == profile);
    let removed_own = own && remove_from(&mut d, &["packages"], "add", package);
    let still_there = !removed_own || ancestors_or_capabilities_add(estate, p, package);
    if still_there {
        push(&mut d, &["packages"], "remove", package)?;
    }
    put(changes, tree, &rel, &d);
    Ok(())
}

fn add_capability(
    tree: &MemTree,
    estate: &Estate,
    changes: &mut Changes,
    profile: &str,
    capability: &str,
) -> Result<()> {
    let cat = Catalogue::builtin();
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
    add_to(tree, changes, profile, "capabilities", capability)
}

fn remove_capability(
    tree: &MemTree,
    estate: &Estate,
    changes: &mut Changes,
    profile: &str,
    capability: &str,
) -> Result<()> {
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
    put(changes, tree, &rel, &d);
    Ok(())
}

fn set_setting(
    tree: &MemTree,
    estate: &Estate,
    changes: &mut Changes,
    profile: &str,
    key: &str,
    value: &str,
) -> Result<()> {
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
    put(changes, tree, &rel, &d);
    Ok(())
}

fn unset_setting(
    tree: &MemTree,
    estate: &Estate,
    changes: &mut Changes,
    profile: &str,
    key: &str,
) -> Result<()> {
    let p = check_profile(estate, profile)?;
    let own = p
        .settings
        .get(key)
        .is_some_and(|s| matches!(&s.origin.via, Via::Profile { profile: by } if by == profile));
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
    put(changes, tree, &rel, &d);
    Ok(())
}

fn set_branding(tree: &MemTree, changes: &mut Changes, field: &str, value: &str) -> Result<()> {
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
    if !FIELDS.contains(&field) {
        let hint = nearest(field, FIELDS.iter().copied())
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        return Err(err(format!("unknown branding field `{field}`{hint}")));
    }
    let rel = "branding.toml";
    let mut d = doc(tree, rel)?;
    let (path, leaf): (Vec<&str>, &str) = match field.split_once('.') {
        Some((t, k)) => (vec![t], k),
        None => (vec![], field),
    };
    let t = table_mut(&mut d, &path)?;
    set_keeping_decor(t, leaf, Value::from(value));
    put(changes, tree, rel, &d);
    Ok(())
}

fn add_waiver(tree: &MemTree, estate: &Estate, changes: &mut Changes, edit: &Edit) -> Result<()> {
    let Edit::AddWaiver {
        id,
        rule,
        profiles,
        justification,
        approver,
        approved,
        expires,
        accepts,
    } = edit
    else {
        return Ok(());
    };
    if estate.policy.waivers.iter().any(|w| &w.id == id) {
        return Err(err(format!("a waiver `{id}` already exists")));
    }
    for p in profiles {
        check_profile(estate, p)?;
    }
    let rel = "policy.toml";
    let mut d = doc(tree, rel)?;
    let mut t = Table::new();
    t.insert("id", toml_edit::value(id));
    t.insert("rule", toml_edit::value(rule));
    let mut arr = Array::new();
    for p in profiles {
        arr.push(p);
    }
    t.insert("profiles", toml_edit::value(arr));
    t.insert("justification", toml_edit::value(justification));
    t.insert("approver", toml_edit::value(approver));
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
            table.insert(key, v);
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
    put(changes, tree, rel, &d);
    Ok(())
}

fn add_profile(
    estate: &Estate,
    changes: &mut Changes,
    name: &str,
    role: Option<&str>,
    inherits: &[String],
) -> Result<()> {
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
            t.insert("role", toml_edit::value(r));
        }
        None => {
            t.insert("abstract", toml_edit::value(true));
        }
    }
    let mut arr = Array::new();
    for p in inherits {
        arr.push(p);
    }
    t.insert("inherits", toml_edit::value(arr));
    let rel = profile_file(name);
    changes.insert(rel, (None, Some(d.to_string().into_bytes())));
    Ok(())
}

fn rename_profile(
    tree: &MemTree,
    estate: &Estate,
    changes: &mut Changes,
    from: &str,
    to: &str,
) -> Result<()> {
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
            put(changes, tree, &rel, &d);
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
        put(changes, tree, "policy.toml", &d);
    }
    Ok(())
}
