//! The shape of the source, as ARCHITECTURE.md promises it: no Rust source file over
//! 500 lines and no function over 80 lines. The files and functions that are still
//! larger are listed below with their size today; the list may only shrink. A new
//! oversized file or function, or a listed one that grows, fails; a listed one that
//! has come under the limit fails too, until its line is removed (so the list stays
//! true). Tests and generated code are not counted.

use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 500;
const MAX_FN_LINES: usize = 80;

/// Files over the limit today, with their line counts.
const OVERSIZE_FILES: &[(&str, usize)] = &[];

/// Functions over the limit today: file, name, lines.
const LONG_FUNCTIONS: &[(&str, &str, usize)] = &[];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `nhos-*/src`, relative to the repository, sorted.
fn sources() -> Vec<String> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("repository")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("nhos-"))
        })
        .map(|p| p.join("src"))
        .filter(|p| p.is_dir())
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("source directory")
            .filter_map(|e| e.ok())
        {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root()).expect("under the root");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// Functions and their lengths in lines, from the signature to the closing brace at
/// the same indentation (rustfmt's layout). Functions inside `mod tests` count too:
/// helpers in tests should be short as well, but test modules are skipped.
fn functions(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with("mod tests") || trimmed.starts_with("#[cfg(test)]") {
            break; // unit tests sit at the end of a file
        }
        let indent = line.len() - trimmed.len();
        let sig = trimmed
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("const ")
            .trim_start_matches("extern \"C\" ");
        if let Some(rest) = sig.strip_prefix("fn ")
            && !line.trim_end().ends_with(';')
        {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let mut j = i;
            while j < lines.len() && !lines[j].trim_end().ends_with('{') {
                j += 1;
            }
            let mut k = j + 1;
            while k < lines.len() {
                let l = lines[k];
                if l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}') {
                    break;
                }
                k += 1;
            }
            out.push((name, k - i + 1));
            i = k;
        }
        i += 1;
    }
    out
}

#[test]
fn files_and_functions_stay_small_and_the_list_only_shrinks() {
    let mut problems = Vec::new();
    let mut seen_files = 0;
    let mut seen_fns = 0;
    let mut listed_found: std::collections::BTreeSet<(&str, &str)> =
        std::collections::BTreeSet::new();
    for rel in sources() {
        let text = std::fs::read_to_string(root().join(&rel)).expect("readable");
        let n = text.lines().count();
        seen_files += 1;
        match OVERSIZE_FILES.iter().find(|(f, _)| *f == rel) {
            Some((_, was)) if n > *was => {
                problems.push(format!("{rel}: {n} lines, grew from {was}"))
            }
            Some(_) if n <= MAX_FILE_LINES => problems.push(format!(
                "{rel}: now {n} lines: remove it from OVERSIZE_FILES"
            )),
            Some(_) => {}
            None if n > MAX_FILE_LINES => problems.push(format!(
                "{rel}: {n} lines (at most {MAX_FILE_LINES}): split it"
            )),
            None => {}
        }
        for (name, len) in functions(&text) {
            seen_fns += 1;
            let listed = LONG_FUNCTIONS
                .iter()
                .find(|(f, g, _)| *f == rel && *g == name);
            if let Some((f, g, _)) = listed {
                listed_found.insert((*f, *g));
            }
            match listed {
                Some((_, _, was)) if len > *was => {
                    problems.push(format!("{rel}: fn {name} is {len} lines, grew from {was}"))
                }
                Some(_) if len <= MAX_FN_LINES => problems.push(format!(
                    "{rel}: fn {name} is now {len} lines: remove it from LONG_FUNCTIONS"
                )),
                Some(_) => {}
                None if len > MAX_FN_LINES => problems.push(format!(
                    "{rel}: fn {name} is {len} lines (at most {MAX_FN_LINES}): split it"
                )),
                None => {}
            }
        }
    }
    for (f, g, _) in LONG_FUNCTIONS {
        if !listed_found.contains(&(*f, *g)) {
            problems.push(format!(
                "{f}: fn {g} no longer exists: remove it from LONG_FUNCTIONS"
            ));
        }
    }
    for (f, _) in OVERSIZE_FILES {
        if !root().join(f).exists() {
            problems.push(format!(
                "{f} no longer exists: remove it from OVERSIZE_FILES"
            ));
        }
    }
    assert!(
        seen_files > 100 && seen_fns > 500,
        "the walk found {seen_files} files, {seen_fns} functions"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_function_measure_sees_what_it_should() {
    let text =
        "fn a() {\n    x;\n}\n\npub fn b(\n    y: u8,\n) -> u8 {\n    if y {\n    }\n    y\n}\n";
    assert_eq!(
        functions(text),
        vec![("a".to_owned(), 3), ("b".to_owned(), 7)]
    );
}
