//! Embeds every NixOS module under `modules/` (the `nhos` modules hosts import and
//! the installer's) into the library, so that a generated flake ships the whole
//! module tree and no list of files is kept by hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    for e in entries {
        let e = e.unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        let ty = e
            .file_type()
            .unwrap_or_else(|e| panic!("cannot stat {}: {e}", e));
        let path = e.path();
        if ty.is_dir() {
            collect(&path, out);
        } else if ty.is_file() && path.extension().is_some_and(|x| x == "nix") {
            out.push(path);
        }
    }
}

/// Writes `$OUT_DIR/modules.rs`.
pub fn embed(out_dir: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../modules");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// The NixOS modules of `modules/`, as (path in the generated flake, text).\n\
         pub const MODULES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .unwrap_or_else(|_| panic!("{} is outside modules/", f.display()))
            .components()
            .map(|c| {
                c.as_os_str()
                    .to_str()
                    .unwrap_or_else(|| panic!("module path is not UTF-8: {}", f.display()))
                    .to_owned()
            })
            .collect::<Vec<_>>()
            .join("/");
        let abs = f
            .canonicalize()
            .unwrap_or_else(|e| panic!("cannot resolve {}: {e}", f.display()));
        let _ = writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            format!("modules/{rel}"),
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest = out_dir.join("modules.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
