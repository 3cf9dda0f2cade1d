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
    let open = || Connection::open_with_flags(uri(db), flags);
    let conn = open().map_err(|e| db_error(db, e))?;
    read(&conn, &open, sets).map_err(|e| match e {
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

/// Reads the reference table (on a second connection, in parallel) and every path
/// row, then walks from each set of roots.
fn read(
    conn: &Connection,
    open: &(dyn Fn() -> rusqlite::Result<Connection> + Sync),
    sets: &[Vec<String>],
) -> std::result::Result<Vec<Closure>, Failure> {
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
    let (adjacency, all_rows) = std::thread::scope(|s| {
        let refs = s.spawn(|| references(&open()?, slots));
        let rows = rows(conn);
        (refs.join(), rows)
    });
    let adjacency = adjacency.unwrap_or_else(|p| std::panic::resume_unwind(p))?;
    let reached: Vec<Vec<usize>> = root_sets
        .iter()
        .map(|r| walk(&adjacency, r, slots))
        .collect();
    let mut wanted = vec![false; slots];
    reached.iter().flatten().for_each(|&i| wanted[i] = true);
    let mut rows_by_id: Vec<Option<Row>> = vec![None; slots];
    for row in all_rows? {
        if let Some(true) = wanted.get(row.0) {
            let id = row.0;
            rows_by_id[id] = Some(row);
        }
    }
    // One sort by path for all the closures; each takes its ids in that order.
    let mut by_path: Vec<usize> = (0..slots).filter(|&id| rows_by_id[id].is_some()).collect();
    by_path.sort_unstable_by(|&a, &b| {
        let path = |id: usize| rows_by_id[id].as_ref().map(|r| r.1.as_str());
        path(a).cmp(&path(b))
    });
    // The last closure takes the rows; the others copy what they share with it.
    let last = reached.len().saturating_sub(1);
    let mut member = vec![false; slots];
    let mut out = Vec::with_capacity(reached.len());
    for (k, (ids, roots)) in reached.iter().zip(&root_sets).enumerate() {
        ids.iter().for_each(|&i| member[i] = true);
        let order: Vec<usize> = by_path.iter().copied().filter(|&i| member[i]).collect();
        ids.iter().for_each(|&i| member[i] = false);
        out.push(assemble(
            &order,
            roots,
            &mut rows_by_id,
            k == last,
            &adjacency,
            slots,
        ));
    }
    Ok(out)
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

/// One closure from its ids in path order, references renumbered.
fn assemble(
    order: &[usize],
    roots: &[usize],
    rows: &mut [Option<Row>],
    take: bool,
    adjacency: &Adjacency,
    slots: usize,
) -> Closure {
    let mut new_ix = vec![usize::MAX; slots];
    for (n, &id) in order.iter().enumerate() {
        new_ix[id] = n;
    }
    let paths = order
        .iter()
        .filter_map(|&id| {
            let (_, path, nar_hash, nar_size, deriver) = if take {
                rows[id].take()?
            } else {
                rows[id].clone()?
            };
            let mut references: Vec<usize> = adjacency
                .of(id)
                .iter()
                .filter(|&&j| j != id && new_ix[j] != usize::MAX)
                .map(|&j| new_ix[j])
                .collect();
            references.sort_unstable();
            references.dedup();
            Some(StorePath {
                path,
                nar_hash,
                nar_size,
                references,
                deriver,
            })
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

/// Every path row, in one scan.
fn rows(conn: &Connection) -> std::result::Result<Vec<Row>, Failure> {
    let mut out = Vec::new();
    let mut q = conn.prepare("SELECT id, path, hash, narSize, deriver FROM ValidPaths")?;
    let mut it = q.query([])?;
    while let Some(r) = it.next()? {
        let (id, path, h): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (size, deriver): (Option<i64>, Option<String>) = (r.get(3)?, r.get(4)?);
        if let Ok(id) = usize::try_from(id) {
            let nar_hash = hash::to_sri(&h).unwrap_or(h);
            out.push((id, path, nar_hash, size.unwrap_or(0).max(0) as u64, deriver));
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
