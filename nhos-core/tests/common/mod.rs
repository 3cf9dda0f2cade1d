//! Helpers shared by the integration tests: the corpus location and copying a case
//! into a temporary directory (creating the large files some cases describe).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn corpus() -> PathBuf {
    repo_root().join("tests/corpus")
}

pub fn example() -> PathBuf {
    repo_root().join("examples/example-valley")
}

/// The corpus cases whose names start with `prefix`, sorted.
pub fn cases(prefix: &str) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(corpus())
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, p)| n.starts_with(prefix) && p.is_dir())
        .collect();
    out.sort();
    out
}

/// Copies a directory tree, keeping symlinks as symlinks.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let ty = entry.file_type().expect("file type");
        let dest = to.join(entry.file_name());
        if ty.is_symlink() {
            let target = std::fs::read_link(entry.path()).expect("read link");
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &dest).expect("symlink");
        } else if ty.is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Copies a corpus case into a fresh temporary directory and creates the files its
/// `case.toml` describes (`[sparse] "path" = size` makes a PNG of that size).
pub fn materialize(case: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_tree(case, tmp.path());
    let spec = case.join("case.toml");
    if spec.is_file() {
        let text = std::fs::read_to_string(&spec).expect("case.toml");
        let v: toml::Table = text.parse().expect("case.toml parses");
        if let Some(sparse) = v.get("sparse").and_then(|s| s.as_table()) {
            for (path, size) in sparse {
                let size = size.as_integer().expect("size") as usize;
                let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
                bytes.resize(size, 0);
                let dest = tmp.path().join(path);
                std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
                std::fs::write(dest, bytes).expect("write");
            }
        }
    }
    tmp
}
