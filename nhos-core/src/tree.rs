//! Where an estate's files come from: a directory on disk, or files held in memory
//! (a git revision, a test). Paths are relative to the estate root and use `/`.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Why an asset could not be read.
#[derive(Debug)]
pub enum AssetProblem {
    Missing,
    Symlink(String),
    TooLarge(u64),
    NotAFile,
    Io(io::Error),
}

/// A read-only view of an estate's files.
pub trait EstateTree: Sync {
    /// Every `.toml` definition file: `estate.toml`, `branding.toml`, `policy.toml`
    /// and `profiles/*.toml`, sorted.
    fn definition_files(&self) -> io::Result<Vec<String>>;
    /// The bytes of a definition file.
    fn read(&self, rel: &str) -> io::Result<Vec<u8>>;
    /// The bytes of an asset, refusing symlinks anywhere on its path and files over
    /// `limit` bytes (checked before reading).
    fn read_asset(&self, rel: &str, limit: u64) -> Result<Vec<u8>, AssetProblem>;
    /// Reads a whole auxiliary file (such as the package index), at most `limit` bytes.
    fn read_aux(&self, rel: &str, limit: u64) -> Result<Vec<u8>, AssetProblem> {
        self.read_asset(rel, limit)
    }
}

fn is_definition(rel: &str) -> bool {
    matches!(rel, "estate.toml" | "branding.toml" | "policy.toml")
        || rel
            .strip_prefix("profiles/")
            .is_some_and(|n| !n.contains('/') && n.ends_with(".toml"))
}

/// An estate directory on disk.
#[derive(Debug, Clone)]
pub struct DirTree {
    root: PathBuf,
}

impl DirTree {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// The largest definition file nhos reads (a real profile is a few kilobytes).
pub const MAX_DEFINITION_BYTES: u64 = 4 * 1024 * 1024;

fn refused(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what)
}

/// Reads a definition file without following a symbolic link (`O_NOFOLLOW`) or
/// blocking on a FIFO (`O_NONBLOCK`); only a regular file of at most
/// [`MAX_DEFINITION_BYTES`] is read.
fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match opts.open(path) {
        Ok(f) => f,
        Err(e) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            let _ = e;
            return Err(refused(
                "it is a symbolic link; definition files are read only as regular files inside the estate".into(),
            ));
        }
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refused(format!(
            "it is {}, not a regular file",
            if meta.is_dir() {
                "a directory"
            } else {
                "a special file"
            }
        )));
    }
    if meta.len() > limit {
        return Err(refused(format!(
            "it is {} bytes; definition files may be at most {limit} bytes",
            meta.len()
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(refused(format!(
            "it grew past {limit} bytes while being read"
        )));
    }
    Ok(bytes)
}

impl EstateTree for DirTree {
    /// Every entry with a definition file's name, whatever it is: a directory, a
    /// FIFO or a link named `policy.toml` is refused when read, never skipped.
    fn definition_files(&self) -> io::Result<Vec<String>> {
        let mut out = Vec::new();
        for name in ["estate.toml", "branding.toml", "policy.toml"] {
            match std::fs::symlink_metadata(self.root.join(name)) {
                Ok(_) => out.push(name.to_owned()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let profiles = self.root.join("profiles");
        match std::fs::symlink_metadata(&profiles) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(refused(
                    "`profiles` is a symbolic link; nhos reads the estate's own directory only"
                        .into(),
                ));
            }
            Ok(m) if m.is_dir() => {
                for entry in std::fs::read_dir(&profiles)? {
                    let entry = entry?;
                    let name = entry.file_name();
                    let Some(name) = name.to_str() else { continue };
                    if name.ends_with(".toml") {
                        out.push(format!("profiles/{name}"));
                    }
                }
            }
            _ => {}
        }
        out.sort();
        Ok(out)
    }

    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        read_regular(&self.root.join(rel), MAX_DEFINITION_BYTES)
    }

    fn read_asset(&self, rel: &str, limit: u64) -> Result<Vec<u8>, AssetProblem> {
        // Walk each component with lstat so that no symlink, anywhere, is followed.
        let mut path = self.root.clone();
        let mut shown = String::new();
        for comp in rel.split('/') {
            path.push(comp);
            if !shown.is_empty() {
                shown.push('/');
            }
            shown.push_str(comp);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_symlink() => return Err(AssetProblem::Symlink(shown)),
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(AssetProblem::Missing),
                Err(e) => return Err(AssetProblem::Io(e)),
            }
        }
        let meta = std::fs::symlink_metadata(&path).map_err(AssetProblem::Io)?;
        if !meta.is_file() {
            return Err(AssetProblem::NotAFile);
        }
        if meta.len() > limit {
            return Err(AssetProblem::TooLarge(meta.len()));
        }
        std::fs::read(&path).map_err(AssetProblem::Io)
    }
}

/// An estate held in memory.
#[derive(Debug, Clone, Default)]
pub struct MemTree {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Paths that are symbolic links (as recorded by git), refused as assets.
    pub symlinks: std::collections::BTreeSet<String>,
}

impl MemTree {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn with(mut self, rel: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(rel.to_owned(), bytes.into());
        self
    }
}

impl EstateTree for MemTree {
    fn definition_files(&self) -> io::Result<Vec<String>> {
        // Symbolic links with a definition file's name are listed too, so that
        // reading them is refused rather than skipped.
        let mut out: Vec<String> = self
            .files
            .keys()
            .chain(&self.symlinks)
            .filter(|k| is_definition(k))
            .cloned()
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }
    fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        let mut prefix = String::new();
        for comp in rel.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(comp);
            if self.symlinks.contains(&prefix) {
                return Err(refused(
                    "it is a symbolic link; definition files are read only as regular files inside the estate".into(),
                ));
            }
        }
        let bytes = self
            .files
            .get(rel)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))?;
        if bytes.len() as u64 > MAX_DEFINITION_BYTES {
            return Err(refused(format!(
                "it is {} bytes; definition files may be at most {MAX_DEFINITION_BYTES} bytes",
                bytes.len()
            )));
        }
        Ok(bytes.clone())
    }
    fn read_asset(&self, rel: &str, limit: u64) -> Result<Vec<u8>, AssetProblem> {
        let mut prefix = String::new();
        for comp in rel.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(comp);
            if self.symlinks.contains(&prefix) {
                return Err(AssetProblem::Symlink(prefix));
            }
        }
        match self.files.get(rel) {
            None => Err(AssetProblem::Missing),
            Some(b) if b.len() as u64 > limit => Err(AssetProblem::TooLarge(b.len() as u64)),
            Some(b) => Ok(b.clone()),
        }
    }
}

/// Reads the estate in `dir` as it is at git revision `rev` (any revision git
/// understands). `dir` may be a subdirectory of the repository.
pub fn git_tree(dir: &Path, rev: &str) -> crate::Result<MemTree> {
    use crate::error::{Error, ErrorKind};
    let git = |args: &[&str]| -> crate::Result<Vec<u8>> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .map_err(|e| Error::new(ErrorKind::Git, format!("cannot run git: {e}")))?;
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(Error::new(
                ErrorKind::Git,
                format!("git {}: {}", args.join(" "), err.trim()),
            ));
        }
        Ok(out.stdout)
    };
    if rev.starts_with('-') {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("{rev:?} is not a revision"),
        ));
    }
    let listing = git(&["ls-tree", "-r", "-z", rev, "--", "."])?;
    let mut tree = MemTree::new();
    let mut wanted_blobs: Vec<(String, String)> = Vec::new();
    for entry in listing.split(|b| *b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split_whitespace();
        let (mode, kind, object) = (
            meta.next().unwrap_or(""),
            meta.next().unwrap_or(""),
            meta.next().unwrap_or(""),
        );
        if kind != "blob" {
            continue;
        }
        if mode == "120000" {
            tree.symlinks.insert(path.to_owned());
            continue;
        }
        let wanted = is_definition(path)
            || path.starts_with("assets/")
            || path.ends_with(".json")
            || path.ends_with(".png")
            || path.ends_with(".jpg")
            || path.ends_with(".svg");
        if wanted {
            wanted_blobs.push((path.to_owned(), object.to_owned()));
        }
    }
    let oids: Vec<&str> = wanted_blobs.iter().map(|(_, o)| o.as_str()).collect();
    for ((path, _), bytes) in wanted_blobs.iter().zip(cat_blobs(dir, &oids)?) {
        tree.files.insert(path.clone(), bytes);
    }
    Ok(tree)
}

/// The contents of blobs, in order, from one `git cat-file --batch` process (not
/// one process per file).
fn cat_blobs(dir: &Path, oids: &[&str]) -> crate::Result<Vec<Vec<u8>>> {
    use crate::error::{Error, ErrorKind};
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    if oids.is_empty() {
        return Ok(Vec::new());
    }
    let fail = |what: String| Error::new(ErrorKind::Git, what);
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run git: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| fail("git cat-file: no stdin".into()))?;
    let request: String = oids.iter().map(|o| format!("{o}\n")).collect();
    // Written from another thread: git answers while it reads, and a large answer
    // would otherwise fill the pipe while we are still writing.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = Vec::new();
    let read = child.stdout.take().map(|mut o| o.read_to_end(&mut out));
    let wrote = writer
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("writer panicked")));
    let status = child
        .wait()
        .map_err(|e| fail(format!("git cat-file: {e}")))?;
    if !status.success() || !matches!(read, Some(Ok(_))) || wrote.is_err() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        return Err(fail(format!("git cat-file --batch: {}", err.trim())));
    }
    parse_batch(&out, oids.len()).ok_or_else(|| {
        fail("git cat-file --batch: an answer nhos could not read (a missing object?)".into())
    })
}

/// `<oid> blob <size>\n<contents>\n`, `n` times; `None` for anything else.
fn parse_batch(mut out: &[u8], n: usize) -> Option<Vec<Vec<u8>>> {
    let mut blobs = Vec::with_capacity(n);
    for _ in 0..n {
        let nl = out.iter().position(|b| *b == b'\n')?;
        let header = std::str::from_utf8(&out[..nl]).ok()?;
        let mut fields = header.split(' ');
        let (_, kind, size) = (fields.next()?, fields.next()?, fields.next()?);
        if kind != "blob" {
            return None;
        }
        let size: usize = size.parse().ok()?;
        let body = out.get(nl + 1..nl + 1 + size)?;
        blobs.push(body.to_vec());
        out = out.get(nl + 1 + size + 1..)?;
    }
    Some(blobs)
}

#[cfg(test)]
mod batch_tests {
    use super::parse_batch;

    #[test]
    fn batch_answers_are_read_in_order_and_anything_else_is_refused() {
        let out = b"aa blob 3\nabc\nbb blob 0\n\ncc blob 2\n\n\x00\n";
        let blobs = parse_batch(out, 3).expect("three blobs");
        assert_eq!(blobs, vec![b"abc".to_vec(), Vec::new(), b"\n\x00".to_vec()]);
        // A missing object, a tree, a short body, a bad size, too few answers.
        for bad in [
            &b"aa missing\n"[..],
            b"aa tree 3\nabc\n",
            b"aa blob 9\nabc\n",
            b"aa blob x\nabc\n",
            b"aa blob 3\nabc\n",
        ] {
            assert_eq!(
                parse_batch(bad, 2),
                None,
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        // Arbitrary bytes never panic.
        for n in 0..64u8 {
            let junk: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37) ^ n).collect();
            let _ = parse_batch(&junk, 2);
        }
    }
}
