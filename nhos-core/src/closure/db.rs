//! The local Nix store database (`db.sqlite`, schema in NixOS/nix
//! `src/libstore/schema.sql`: tables `ValidPaths` and `Refs`), opened read-only and
//! immutable: no root needed, no lock taken, no `-wal`/`-shm` file written. The
//! reference table is read once and walked in memory. Immutable mode does not see
//! what a running Nix process has not yet checkpointed: read a quiescent store.

use super::{Closure, StorePath, hash};
use crate::{Error, ErrorKind, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::Path;

/// Where Nix keeps the database of the default store.
pub const DEFAULT_DB: &str = "/nix/var/nix/db/db.sqlite";

fn db_error(db: &Path, e: rusqlite::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!(
            "{}: cannot read the Nix store database: {e}; give the store's db.sqlite \
             (default {DEFAULT_DB}) or a `nix path-info --json --recursive` file",
            db.display()
        ),
    )
}

/// SQLite's URI form of a file name, opened read-only and immutable.
fn uri(db: &Path) -> String {
    let mut s = String::from("file:");
    for b in db.as_os_str().as_encoded_bytes() {
        match b {
            b'%' | b'?' | b'#' => s.push_str(&format!("%{b:02X}")),
            _ if b.is_ascii() && !b.is_ascii_control() => s.push(*b as char),
            _ => s.push_str(&format!("%{b:02X}")),
        }
    }
    s.push_str("?mode=ro&immutable=1");
    s
}

/// The closure of `roots` (store paths) in the store whose database is `db`.
pub fn read_db(db: &Path, roots: &[String]) -> Result<Closure> {
    let mut v = read_db_sets(db, &[roots.to_vec()])?;
    Ok(v.pop().unwrap_or_default())
}

/// The closures of several sets of roots in one store, reading its reference
/// table and path rows once for all of them (a diff's two sides).
pub fn read_db_sets(db: &Path, sets: &[Vec<String>]) -> Result<Vec<Closure>> {
    if !db.is_file() {
        return Err(Error::new(
            ErrorKind::Io,
            format!("{}: no Nix store database here", db.display()),
        ));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(uri(db), flags).map_err(|e| db_error(db, e))?;
    read(&conn, sets).map_err(|e| match e {
        Failure::Sql(e) => db_error(db, e),
        Failure::NotValid(p) => Error::new(
            ErrorKind::Usage,
            format!(
                "{p} is not a valid path in the store of {}; build it first",
                db.display()
            ),
        ),
    })
}

enum Failure {
    Sql(rusqlite::Error),
    NotValid(String),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sql(e)
    }
}

fn read(conn: &Connection, sets: &[Vec<String>]) -> std::result::Result<Vec<Closure>, Failure> {
    let max: i64 = conn.query_row("SELECT coalesce(max(id), 0) FROM ValidPaths", [], |r| {
        r.get(0)
    })?;
    let slots = usize::try_from(max).unwrap_or(0) + 1;
    let mut root_sets = Vec::with_capacity(sets.len());
    {
        let mut q = conn.prepare("SELECT id FROM ValidPaths WHERE path = ?1")?;
        for roots in sets {
            let mut ids = Vec::with_capacity(roots.len());
            for r in roots {
                let id: Option<i64> = q.query_row([r], |row| row.get(0)).optional()?;
                let id = id
                    .and_then(|i| usize::try_from(i).ok())
                    .filter(|&i| i < slots);
                ids.push(id.ok_or_else(|| Failure::NotValid(r.clone()))?);
            }
            root_sets.push(ids);
        }
    }
    let adjacency = references(conn, slots)?;
    let reached: Vec<Vec<usize>> = root_sets
        .iter()
        .map(|r| walk(&adjacency, r, slots))
        .collect();
    let mut wanted = vec![false; slots];
    reached.iter().flatten().for_each(|&i| wanted[i] = true);
    let count = wanted.iter().filter(|w| **w).count();
    let mut rows_by_id: Vec<Option<Row>> = vec![None; slots];
    for row in rows(conn, &wanted, count)? {
        let id = row.0;
        rows_by_id[id] = Some(row);
    }
    Ok(reached
        .iter()
        .zip(&root_sets)
        .map(|(ids, roots)| assemble(ids, roots, &rows_by_id, &adjacency, slots))
        .collect())
}

/// The ids reachable from `roots`.
fn walk(adjacency: &Adjacency, roots: &[usize], slots: usize) -> Vec<usize> {
    let mut seen = vec![false; slots];
    let mut stack: Vec<usize> = roots.to_vec();
    let mut reached = Vec::new();
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut seen[i], true) {
            reached.push(i);
            stack.extend(adjacency.of(i).iter().copied().filter(|&j| !seen[j]));
        }
    }
    reached
}

/// One closure from its ids: sorted by path, references renumbered.
fn assemble(
    ids: &[usize],
    roots: &[usize],
    rows: &[Option<Row>],
    adjacency: &Adjacency,
    slots: usize,
) -> Closure {
    let mut order: Vec<(&str, usize)> = ids
        .iter()
        .filter_map(|&id| rows[id].as_ref().map(|r| (r.1.as_str(), id)))
        .collect();
    order.sort_unstable();
    let mut new_ix = vec![usize::MAX; slots];
    for (n, &(_, id)) in order.iter().enumerate() {
        new_ix[id] = n;
    }
    let paths = order
        .iter()
        .map(|&(_, id)| {
            let (_, path, nar_hash, nar_size, deriver) = rows[id]
                .clone()
                .unwrap_or_else(|| unreachable!("ordered ids have rows"));
            let mut references: Vec<usize> = adjacency
                .of(id)
                .iter()
                .filter(|&&j| j != id && new_ix[j] != usize::MAX)
                .map(|&j| new_ix[j])
                .collect();
            references.sort_unstable();
            references.dedup();
            StorePath {
                path,
                nar_hash,
                nar_size,
                references,
                deriver,
            }
        })
        .collect();
    let mut roots: Vec<usize> = roots
        .iter()
        .map(|&i| new_ix[i])
        .filter(|&i| i != usize::MAX)
        .collect();
    roots.sort_unstable();
    roots.dedup();
    Closure { paths, roots }
}

/// (id, path, SRI hash, NAR size, deriver).
type Row = (usize, String, String, u64, Option<String>);

/// The rows of the reached ids: point queries for a small part of a large store,
/// one scan otherwise.
fn rows(conn: &Connection, seen: &[bool], count: usize) -> std::result::Result<Vec<Row>, Failure> {
    let convert = |id: i64, path: String, h: String, size: Option<i64>, deriver: Option<String>| {
        let nar_hash = hash::to_sri(&h).unwrap_or(h);
        (
            id as usize,
            path,
            nar_hash,
            size.unwrap_or(0).max(0) as u64,
            deriver,
        )
    };
    let mut out = Vec::with_capacity(count);
    let select = "SELECT id, path, hash, narSize, deriver FROM ValidPaths";
    if count * 8 < seen.len() {
        let mut q = conn.prepare(&format!("{select} WHERE id = ?1"))?;
        for (id, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
            let row = q.query_row([id as i64], |r| {
                Ok(convert(
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                ))
            })?;
            out.push(row);
        }
    } else {
        let mut q = conn.prepare(select)?;
        let mut it = q.query([])?;
        while let Some(r) = it.next()? {
            let id: i64 = r.get(0)?;
            if usize::try_from(id)
                .ok()
                .and_then(|i| seen.get(i))
                .copied()
                .unwrap_or(false)
            {
                out.push(convert(id, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
            }
        }
    }
    Ok(out)
}

/// The reference table as adjacency lists (compressed rows), read in one query.
struct Adjacency {
    start: Vec<usize>,
    targets: Vec<usize>,
}

impl Adjacency {
    fn of(&self, id: usize) -> &[usize] {
        &self.targets[self.start[id]..self.start[id + 1]]
    }
}

fn references(conn: &Connection, slots: usize) -> std::result::Result<Adjacency, Failure> {
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut q = conn.prepare("SELECT referrer, reference FROM Refs")?;
    let mut it = q.query([])?;
    while let Some(r) = it.next()? {
        let (a, b): (i64, i64) = (r.get(0)?, r.get(1)?);
        if let (Ok(a), Ok(b)) = (usize::try_from(a), usize::try_from(b))
            && a < slots
            && b < slots
        {
            pairs.push((a, b));
        }
    }
    let mut start = vec![0usize; slots + 1];
    for &(a, _) in &pairs {
        start[a + 1] += 1;
    }
    for i in 0..slots {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut targets = vec![0usize; pairs.len()];
    for (a, b) in pairs {
        targets[fill[a]] = b;
        fill[a] += 1;
    }
    Ok(Adjacency { start, targets })
}
