//! `nix path-info --json --recursive` output: an array of path records (Nix 2.8
//! and later 2.x) or an object keyed by path (Nix 2.19 and later).

use super::{Closure, Record, hash};
use crate::{Error, ErrorKind, Result};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    nar_hash: Option<String>,
    #[serde(default)]
    nar_size: Option<u64>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    deriver: Option<String>,
    #[serde(default)]
    valid: Option<bool>,
}

/// Reads a path-info file; `roots` as in [`parse_path_info`].
pub fn read_path_info(file: &Path, roots: &[String]) -> Result<Closure> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file.display(), &e))?;
    parse_path_info(&text, &file.display().to_string(), roots)
}

/// Parses path-info JSON (`source` names it in errors). The closure of `roots`, or
/// when `roots` is empty, of the records nothing in the file refers to.
pub fn parse_path_info(text: &str, source: &str, roots: &[String]) -> Result<Closure> {
    let bad = |e: serde_json::Error| {
        Error::new(
            ErrorKind::Usage,
            format!(
                "{source}:{}:{}: not `nix path-info --json` output: {e}",
                e.line(),
                e.column()
            ),
        )
    };
    let entries: Vec<Entry> = match text.trim_start().as_bytes().first() {
        Some(b'{') => {
            let map: BTreeMap<String, Option<Entry>> = serde_json::from_str(text).map_err(bad)?;
            let mut v = Vec::with_capacity(map.len());
            for (path, e) in map {
                let mut e = e.ok_or_else(|| invalid(source, &path))?;
                e.path = Some(path);
                v.push(e);
            }
            v
        }
        _ => serde_json::from_str(text).map_err(bad)?,
    };
    let mut records = Vec::with_capacity(entries.len());
    for e in entries {
        records.push(record(e, source)?);
    }
    Closure::from_records(records, roots, source)
}

fn invalid(source: &str, path: &str) -> Error {
    Error::new(
        ErrorKind::Usage,
        format!("{source}: {path} is not a valid path in that store; build or fetch it first"),
    )
}

fn record(e: Entry, source: &str) -> Result<Record> {
    let path = e.path.ok_or_else(|| {
        Error::new(
            ErrorKind::Usage,
            format!("{source}: a record has no \"path\""),
        )
    })?;
    if e.valid == Some(false) {
        return Err(invalid(source, &path));
    }
    let missing = |field: &str| {
        Error::new(
            ErrorKind::Usage,
            format!(
                "{source}: {path} has no \"{field}\"; was this written by `nix path-info --json`?"
            ),
        )
    };
    let raw = e.nar_hash.ok_or_else(|| missing("narHash"))?;
    let nar_hash = hash::to_sri(&raw).ok_or_else(|| {
        Error::new(
            ErrorKind::Usage,
            format!("{source}: {path} has a narHash Nix does not write: {raw}"),
        )
    })?;
    let nar_size = e.nar_size.ok_or_else(|| missing("narSize"))?;
    Ok(Record {
        path,
        nar_hash,
        nar_size,
        references: e.references,
        deriver: e.deriver,
    })
}
