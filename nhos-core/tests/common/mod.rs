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
///
/// A case with `base = "example-valley"` is an overlay: the example estate is copied
/// first and the case's own files replace its files.
pub fn materialize(case: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let spec = case.join("case.toml");
    let v: toml::Table = if spec.is_file() {
        std::fs::read_to_string(&spec)
            .expect("case.toml")
            .parse()
            .expect("case.toml parses")
    } else {
        toml::Table::new()
    };
    if let Some(base) = v.get("base").and_then(|b| b.as_str()) {
        copy_tree(&repo_root().join("examples").join(base), tmp.path());
    }
    copy_tree(case, tmp.path());
    for extra in ["README.md", "case.toml"] {
        let _ = std::fs::remove_file(tmp.path().join(extra));
    }
    // `[[set]]` / `[[unset]]`: settings changed with nhos's own edit verb, so a case
    // states only its change and follows the example as it grows.
    for (table, unset) in [("set", false), ("unset", true)] {
        for e in v
            .get(table)
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            let field = |k: &str| {
                e.get(k)
                    .and_then(|x| x.as_str())
                    .unwrap_or_else(|| panic!("{}: [[{table}]] needs `{k}`", case.display()))
                    .to_owned()
            };
            let edit = if unset {
                nhos_core::Edit::UnsetSetting {
                    profile: field("profile"),
                    key: field("key"),
                }
            } else {
                nhos_core::Edit::SetSetting {
                    profile: field("profile"),
                    key: field("key"),
                    value: field("value"),
                }
            };
            let opts = nhos_core::EditOptions {
                allow_errors: true,
                today: FIXED_TODAY,
            };
            nhos_core::edit::edit_dir(tmp.path(), &edit, &opts)
                .unwrap_or_else(|err| panic!("{}: {edit:?}: {err}", case.display()));
        }
    }
    {
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

/// The day a case is judged on: `today` in its case.toml, else 2026-11-23.
pub fn today(case: &Path) -> nhos_core::Date {
    let spec = case.join("case.toml");
    std::fs::read_to_string(spec)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|v| v.get("today").map(|d| d.to_string()))
        .and_then(|d| nhos_core::Date::parse(d.trim_matches('"')))
        .unwrap_or(FIXED_TODAY)
}

/// The fixed "today" of the tests.
pub const FIXED_TODAY: nhos_core::Date = nhos_core::Date {
    year: 2026,
    month: 11,
    day: 23,
};

/// A committed generated file equals what the code generates now. With `var` set,
/// a drifted file is rewritten — and the test still fails, so that an update run
/// cannot pass by comparing the file with itself: review the change, run again.
pub fn assert_current(path: &Path, want: &str, var: &str) {
    let have = std::fs::read_to_string(path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os(var).is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        std::fs::write(path, want).expect("write");
        panic!(
            "{} was out of date and has been rewritten: review the change and run again without {var}",
            path.display()
        );
    }
    panic!(
        "{} is out of date: run {var}=1 cargo test, then review the change",
        path.display()
    );
}
