//! The shape of the source, as ARCHITECTURE.md promises it: no Rust source file over
//! 500 lines and no function over 80 lines. The files and functions that are still
//! larger are listed below with their size today; the list may only shrink. A new
//! oversized file or function, or a listed one that grows, fails; a listed one that
//! has come under the limit fails too, until its line is removed (so the list stays
//! true). Tests and generated code are not counted.
//!
//! The top-level modules of `nhos-core/src` (`load`, `validate`, `date`, …) depend on
//! each other without a cycle, but for the edges in `CYCLE_EDGES`, which may only
//! shrink in the same way.

use std::collections::{BTreeMap, BTreeSet};
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
    let mut listed_found: BTreeSet<(&str, &str)> = BTreeSet::new();
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

/// Edges between top-level modules of `nhos-core/src` allowed to close a cycle:
/// from, to, and why. None: the module graph is acyclic. (The last two went when
/// the option-tree data moved to `option_tree` — an `Estate` keeps its trees
/// without depending on the lowering — and findings and reports to `report`, with
/// the `generate` verb composed at the crate root from `validate` and
/// `generate::generate_from`.) Kept so that an edge ever allowed is documented
/// here; one that no longer exists, or no longer closes a cycle, fails.
const CYCLE_EDGES: &[(&str, &str, &str)] = &[];

/// Module → module it refers to → where (`file:line`).
type ModuleGraph = BTreeMap<String, BTreeMap<String, Vec<String>>>;

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules: `src/<name>.rs` and `src/<name>/` (`lib.rs` is the root).
fn top_level_modules() -> BTreeSet<String> {
    std::fs::read_dir(core_src())
        .expect("nhos-core/src")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.path().is_dir() {
                Some(name)
            } else {
                name.strip_suffix(".rs")
                    .filter(|n| *n != "lib")
                    .map(str::to_owned)
            }
        })
        .collect()
}

/// `name` when `line` declares a module from a file (`mod name;`, `pub(crate) mod name;`).
fn declared_module(line: &str) -> Option<String> {
    let mut rest = line.trim();
    for p in ["pub(crate) ", "pub(super) ", "pub "] {
        rest = rest.strip_prefix(p).unwrap_or(rest);
    }
    let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
    Some(name.trim().to_owned())
}

/// The numbered lines of a file outside `#[cfg(test)]` items and comment lines, and
/// the modules it declares test-only (`#[cfg(test)] mod name;`): tests may use any
/// module.
fn non_test_lines(text: &str) -> (Vec<(usize, &str)>, Vec<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let (mut kept, mut test_modules) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if !trimmed.starts_with("#[cfg(test)]") {
            if !trimmed.starts_with("//") {
                kept.push((i + 1, line));
            }
            i += 1;
            continue;
        }
        // Skip the item: one line ending in `;`, or up to the `}` or `]` that closes
        // it at the attribute's indentation.
        let indent = line.len() - trimmed.len();
        let next = lines.get(i + 1).copied().unwrap_or("");
        test_modules.extend(declared_module(next));
        let mut j = i + 1;
        if !next.trim_end().ends_with(';') {
            j += 1;
            while j < lines.len() {
                let t = lines[j].trim_start();
                if lines[j].len() - t.len() == indent && (t.starts_with('}') || t.starts_with(']'))
                {
                    break;
                }
                j += 1;
            }
        }
        i = j + 1;
    }
    (kept, test_modules)
}

/// The first path segment of every `crate::` path on a line, including each of a
/// group's (`crate::{a, b::c}` → `a`, `b`).
fn crate_paths(line: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let before = line[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &line[at + "crate::".len()..];
        let Some(group) = rest.strip_prefix('{') else {
            out.push(ident(rest));
            continue;
        };
        let mut depth = 1;
        let mut start = true;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 1 => break,
                '}' => depth -= 1,
                ',' if depth == 1 => start = true,
                c if start && !c.is_whitespace() => {
                    out.push(ident(&group[i..]));
                    start = false;
                }
                _ => {}
            }
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// What lib.rs re-exports at the crate root (`crate::Estate`), by the module it
/// re-exports from.
fn root_reexports() -> BTreeMap<String, String> {
    let lib = std::fs::read_to_string(core_src().join("lib.rs")).expect("lib.rs");
    let mut out = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(path) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = path.split_once("::") else {
            continue;
        };
        for item in items.trim_matches(|c| c == '{' || c == '}').split(',') {
            let item = item.trim();
            if !item.is_empty() {
                out.insert(item.to_owned(), module.trim().to_owned());
            }
        }
    }
    out
}

/// The source files of a top-level module, without those declared test-only.
fn module_files(module: &str) -> Vec<PathBuf> {
    let file = core_src().join(format!("{module}.rs"));
    if file.is_file() {
        return vec![file];
    }
    let (mut files, mut test_only) = (Vec::new(), Vec::new());
    let mut dirs = vec![core_src().join(module)];
    while let Some(dir) = dirs.pop() {
        for path in std::fs::read_dir(&dir)
            .expect("module directory")
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable");
                let base = if path.ends_with("mod.rs") {
                    dir.clone()
                } else {
                    path.with_extension("")
                };
                for m in non_test_lines(&text).1 {
                    test_only.push(base.join(format!("{m}.rs")));
                    test_only.push(base.join(m));
                }
                files.push(path);
            }
        }
    }
    files.retain(|f| !test_only.iter().any(|t| f.starts_with(t)));
    files.sort();
    files
}

/// Which top-level module refers to which, from the `crate::` paths in its files
/// (outside tests and comments); a path through a crate-root re-export counts as
/// the module re-exported from.
fn module_graph() -> ModuleGraph {
    let modules = top_level_modules();
    let reexports = root_reexports();
    let mut graph = ModuleGraph::new();
    for m in &modules {
        for path in module_files(m) {
            let text = std::fs::read_to_string(&path).expect("readable");
            let rel = path.strip_prefix(core_src()).expect("under src");
            for (n, line) in non_test_lines(&text).0 {
                for first in crate_paths(line) {
                    let to = match reexports.get(&first) {
                        _ if modules.contains(&first) => first,
                        Some(module) => module.clone(),
                        None => continue,
                    };
                    if to != *m {
                        let at = format!("{}:{n}", rel.display());
                        graph
                            .entry(m.clone())
                            .or_default()
                            .entry(to)
                            .or_default()
                            .push(at);
                    }
                }
            }
        }
    }
    graph
}

/// Every module reachable from `from` (itself only through a cycle).
fn reachable(graph: &ModuleGraph, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![from.to_owned()];
    while let Some(m) = todo.pop() {
        for next in graph.get(&m).into_iter().flat_map(|e| e.keys()) {
            if seen.insert(next.clone()) {
                todo.push(next.clone());
            }
        }
    }
    seen
}

/// The cycles of a graph: each strongly connected component of more than one
/// module, with its edges and where they are.
fn cycles(graph: &ModuleGraph) -> Vec<String> {
    let mut out = Vec::new();
    let mut placed = BTreeSet::new();
    for m in graph.keys() {
        let reach = reachable(graph, m);
        if placed.contains(m) || !reach.contains(m) {
            continue;
        }
        let component: BTreeSet<String> = reach
            .into_iter()
            .filter(|other| reachable(graph, other).contains(m))
            .collect();
        let mut text = format!("cycle among {component:?}:");
        for from in &component {
            for (to, at) in &graph[from] {
                if component.contains(to) {
                    text.push_str(&format!("\n  {from} -> {to} ({})", at.join(", ")));
                }
            }
        }
        placed.extend(component);
        out.push(text);
    }
    out
}

#[test]
fn top_level_modules_have_no_dependency_cycle_but_the_listed_edges() {
    let mut graph = module_graph();
    let mut problems = Vec::new();
    for (from, to, _) in CYCLE_EDGES {
        if !graph.get(*from).is_some_and(|e| e.contains_key(*to)) {
            problems.push(format!(
                "{from} -> {to} no longer exists: remove it from CYCLE_EDGES"
            ));
        } else if !reachable(&graph, to).contains(*from) {
            problems.push(format!(
                "{from} -> {to} no longer closes a cycle: remove it from CYCLE_EDGES"
            ));
        }
    }
    let edges: usize = graph.values().map(BTreeMap::len).sum();
    assert!(
        graph.len() > 15 && edges > 50,
        "the walk found {edges} edges from {} modules",
        graph.len()
    );
    for (from, to, _) in CYCLE_EDGES {
        if let Some(e) = graph.get_mut(*from) {
            e.remove(*to);
        }
    }
    problems.extend(cycles(&graph));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_module_references_are_read_as_they_should() {
    let text = "use crate::a::X;\nuse crate::{b, c::{d, e}};\n// crate::f in a comment\n\
                fn g() { my_crate::h(); $crate::i!(); }\n#[cfg(test)]\nmod tests {\n    use crate::j;\n}\n\
                #[cfg(test)]\nmod k;\nconst L: u8 = crate::l::M;\n";
    let (lines, test_modules) = non_test_lines(text);
    let found: Vec<String> = lines.iter().flat_map(|(_, l)| crate_paths(l)).collect();
    assert_eq!(found, ["a", "b", "c", "i", "l"]);
    assert_eq!(test_modules, ["k"]);
}
