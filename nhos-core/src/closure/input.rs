//! What `nhos closure diff OLD NEW` accepts on each side: a `nix path-info --json
//! --recursive` file, or a system toplevel in a local store (a store path, or a
//! link such as `./result` or `/run/current-system` that leads to one), read from
//! the store's database.

use super::{Closure, db::read_db_sets, read_db, read_path_info};
use crate::{Error, ErrorKind, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The local store to read toplevels from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Store {
    /// The logical store directory (`/nix/store`).
    pub dir: String,
    /// Its database (`/nix/var/nix/db/db.sqlite`).
    pub db: PathBuf,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            dir: "/nix/store".to_owned(),
            db: PathBuf::from(super::DEFAULT_DB),
        }
    }
}

impl Store {
    /// The store Nix itself would use, from `NIX_STORE_DIR` and `NIX_STATE_DIR`
    /// (a relocated store) or the defaults.
    pub fn from_env() -> Store {
        let mut s = Store::default();
        if let Some(d) = std::env::var_os("NIX_STORE_DIR") {
            s.dir = d.to_string_lossy().trim_end_matches('/').to_owned();
        }
        if let Some(d) = std::env::var_os("NIX_STATE_DIR") {
            s.db = PathBuf::from(d).join("db/db.sqlite");
        }
        s
    }

    /// The store path a path lies in or leads to through links (up to 40, as the
    /// kernel allows): `/nix/store/<hash>-<name>`.
    pub fn store_path(&self, given: &Path) -> Result<String> {
        let mut p = given.to_path_buf();
        for _ in 0..40 {
            let text = p.to_string_lossy();
            if let Some(rest) = text.strip_prefix(&format!("{}/", self.dir)) {
                let name = rest.split('/').next().unwrap_or_default();
                if !name.is_empty() {
                    return Ok(format!("{}/{name}", self.dir));
                }
            }
            match std::fs::read_link(&p) {
                Ok(target) => {
                    p = match p.parent() {
                        Some(parent) if target.is_relative() => parent.join(target),
                        _ => target,
                    }
                }
                Err(_) => break,
            }
        }
        Err(Error::new(
            ErrorKind::Usage,
            format!(
                "{}: not a path in the store {} nor a link to one; give a system toplevel \
                 (./result, /run/current-system) or a `nix path-info --json --recursive` file",
                given.display(),
                self.dir
            ),
        ))
    }
}

/// Whether a file holds path-info JSON rather than being a store path: a regular
/// file (not a link) whose first non-blank byte opens a JSON array or object.
fn is_path_info(p: &Path) -> bool {
    use std::io::Read as _;
    let Ok(meta) = std::fs::symlink_metadata(p) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    let mut head = [0u8; 512];
    let n = std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    matches!(
        head[..n].iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'[' | b'{')
    )
}

/// The closure one side names.
pub fn open(given: &Path, store: &Store) -> Result<Closure> {
    if is_path_info(given) {
        read_path_info(given, &[])
    } else {
        let root = store.store_path(given)?;
        read_db(&store.db, &[root])
    }
}

/// The closures two sides name; when both are store paths of one store, its
/// database is read once for both.
pub fn open_pair(old: &Path, new: &Path, store: &Store) -> Result<(Closure, Closure)> {
    if is_path_info(old) || is_path_info(new) {
        return Ok((open(old, store)?, open(new, store)?));
    }
    let roots = vec![vec![store.store_path(old)?], vec![store.store_path(new)?]];
    let mut both = read_db_sets(&store.db, &roots)?.into_iter();
    match (both.next(), both.next()) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(Error::new(
            ErrorKind::Io,
            "the store database gave fewer closures than asked",
        )),
    }
}

/// The package attributes of a profile and their out paths, as `nix eval --json
/// .#nhos.<profile>.packages` prints them: `{"firefox-esr": "/nix/store/…", …}`.
pub fn read_packages(file: &Path) -> Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file.display(), &e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorKind::Usage,
            format!(
                "{}:{}:{}: not a JSON object of package attributes to store paths \
                 (`nix eval --json .#nhos.<profile>.packages`): {e}",
                file.display(),
                e.line(),
                e.column()
            ),
        )
    })
}
