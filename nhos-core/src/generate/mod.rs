//! The `generate` verb: a resolved estate → a flake directory. Generation is pure
//! (an in-memory tree of files); [`write`] and [`check`] are the only I/O.

pub mod contract;
pub mod flake;
pub mod invariants;
pub mod lower;
pub mod nix;
mod render;

use crate::diagnostic::Severity;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Estate, hex};
use crate::validate::{Finding, Report, Status, ValidateOptions, validate};
use lower::Lowered;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the manifest that marks a directory as nhos output.
pub const MANIFEST: &str = "nhos-manifest.json";

// The NixOS modules generated hosts import, shipped inside every generated flake:
// every `.nix` file of `modules/nhos/`, embedded by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/modules.rs"));

/// Options for [`generate`].
#[derive(Debug, Clone, Copy)]
pub struct GenerateOptions {
    /// The day the policy is judged on (waivers, release support).
    pub today: crate::Date,
    /// Generate even though error-level findings remain. The manifest records the
    /// findings it was generated despite.
    pub allow_findings: bool,
}

impl GenerateOptions {
    /// Options that refuse to generate while error-level findings remain.
    pub fn new(today: crate::Date) -> Self {
        Self {
            today,
            allow_findings: false,
        }
    }
}

/// A generated flake, in memory.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Relative path → bytes, sorted.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The option tree of each concrete profile.
    pub lowered: BTreeMap<String, Lowered>,
    /// The validation report the generation was judged with.
    pub report: Report,
    /// Error-level open findings: generation refuses while there are any, unless
    /// [`GenerateOptions::allow_findings`] is set.
    pub findings: Vec<Finding>,
}

fn nul_in(v: &nix::Nix) -> bool {
    use nix::Nix;
    match v {
        Nix::Str(s) | Nix::Path(s) | Nix::Pkg(s) => s.contains('\0'),
        Nix::List(items) => items.iter().any(nul_in),
        Nix::Attrs(es) => es.iter().any(|e| e.key.contains('\0') || nul_in(&e.value)),
        Nix::Call(_, v) | Nix::Commented(v, _) => nul_in(v),
        Nix::Bool(_) | Nix::Int(_) => false,
    }
}

/// Lowers every concrete profile (the load step does this once per estate).
pub(crate) fn lower_profiles(estate: &Estate) -> BTreeMap<String, Lowered> {
    estate
        .concrete_profiles()
        .map(|p| {
            let mut l = lower::lower(estate, p);
            l.finish();
            (p.name.clone(), l)
        })
        .collect()
}

/// The option trees of every concrete profile: those the load step made, or made
/// now for an estate built another way.
pub fn lower_all(estate: &Estate) -> BTreeMap<String, Lowered> {
    if estate.lowered.len() == estate.concrete_profiles().count() {
        estate.lowered.clone()
    } else {
        lower_profiles(estate)
    }
}

/// Generates the flake directory for an estate, in memory.
pub fn generate(estate: &Estate, opts: &GenerateOptions) -> Result<Generated> {
    let report = validate(estate, &ValidateOptions { today: opts.today });
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Open && f.severity == Severity::Error)
        .cloned()
        .collect();
    if !findings.is_empty() && !opts.allow_findings {
        let list: Vec<String> = findings
            .iter()
            .map(|f| {
                format!(
                    "{} {}: {}",
                    f.rule,
                    f.profile.as_deref().unwrap_or("estate"),
                    f.message
                )
            })
            .collect();
        return Err(Error::new(
            ErrorKind::Findings,
            format!(
                "{} error-level finding{} remain, so nothing was generated: {}. Fix them, waive them in policy.toml, or generate anyway with --allow-findings (recorded in the manifest)",
                findings.len(),
                if findings.len() == 1 { "" } else { "s" },
                list.join("; ")
            ),
        ));
    }
    let lowered = lower_all(estate);
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, l) in &lowered {
        problems.extend(contract::check(l));
        if l.options.iter().any(|o| nul_in(&o.value)) {
            return Err(Error::new(
                ErrorKind::Generate,
                format!(
                    "profile `{name}` has a value with a NUL character, which Nix strings cannot hold; remove it from the definition"
                ),
            ));
        }
        let p = &estate.profiles[name];
        files.insert(
            format!("hosts/{name}.nix"),
            render::host(estate, p, l).into_bytes(),
        );
    }
    if !problems.is_empty() {
        return Err(Error::new(
            ErrorKind::Generate,
            format!(
                "nhos bug: the option contract is broken: {}",
                problems.join("; ")
            ),
        ));
    }
    let names: Vec<&str> = lowered.keys().map(String::as_str).collect();
    files.insert(
        "hosts/default.nix".into(),
        flake::hosts_default(&names).into_bytes(),
    );
    files.insert(
        "outputs.nix".into(),
        flake::outputs_nix(estate).into_bytes(),
    );
    files.insert("flake.nix".into(), flake::flake_nix(estate).into_bytes());
    if let Some(lock) = flake::flake_lock(estate) {
        files.insert("flake.lock".into(), lock.into_bytes());
    }
    for (path, text) in MODULES {
        files.insert((*path).to_owned(), text.as_bytes().to_vec());
    }
    for a in estate.branding.assets.values() {
        files.insert(format!("assets/{}", a.stored_name()), a.bytes.to_vec());
    }
    let mut hashes = serde_json::Map::new();
    for (path, bytes) in &files {
        hashes.insert(
            path.clone(),
            serde_json::Value::String(hex(&Sha256::digest(bytes))),
        );
    }
    let manifest = serde_json::json!({
        "schema": "nhos-manifest/1",
        "nhos_version": crate::VERSION,
        "organisation": { "name": estate.organisation.name, "ods_code": estate.organisation.ods_code },
        "definition_hash": estate.definition_hash(),
        "nixpkgs": { "release": estate.nixpkgs.release, "commit": estate.nixpkgs.commit, "nar_hash": estate.nixpkgs.nar_hash },
        "profiles": estate.concrete_profiles().map(|p| (p.name.clone(), serde_json::json!({
            "role": p.role.map(|r| r.as_str()),
            "outputs": p.outputs.keys().map(|f| format!("{}-{}", p.name, f.as_str())).collect::<Vec<_>>(),
            "packages": p.packages.len(),
        }))).collect::<serde_json::Map<_, _>>(),
        "written_despite_findings": findings.iter().map(|f| f.fingerprint.clone()).collect::<Vec<_>>(),
        "files": hashes,
    });
    let mut m = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    m.push('\n');
    files.insert(MANIFEST.into(), m.into_bytes());
    Ok(Generated {
        files,
        lowered,
        report,
        findings,
    })
}

fn io(path: &Path, e: &std::io::Error) -> Error {
    Error::io(path.display(), e)
}

/// How the output directory stands before writing.
fn inspect_target(out: &Path) -> Result<bool> {
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io(out, &e)),
        Ok(m) if m.file_type().is_symlink() => Err(Error::new(
            ErrorKind::Generate,
            format!(
                "{} is a symbolic link; nhos does not write through links",
                out.display()
            ),
        )),
        Ok(m) if !m.is_dir() => Err(Error::new(
            ErrorKind::Generate,
            format!("{} exists and is not a directory", out.display()),
        )),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out).map_err(|e| io(out, &e))?;
            let empty = entries.next().is_none();
            let ours = std::fs::symlink_metadata(out.join(MANIFEST)).is_ok_and(|m| m.is_file());
            if !empty && !ours {
                return Err(Error::new(
                    ErrorKind::Generate,
                    format!(
                        "{} is not empty and holds no {MANIFEST}: refusing to overwrite it; choose an empty or new directory",
                        out.display()
                    ),
                ));
            }
            Ok(!empty)
        }
    }
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.nhos-{tag}-{}", std::process::id()))
}

/// Writes a generated tree to `out`: into a temporary directory beside it, then
/// renamed into place, so `out` holds the old tree or the new one, never a mix.
/// Refuses a non-empty `out` without an nhos manifest, and a symlinked `out`.
pub fn write(g: &Generated, out: &Path) -> Result<()> {
    let replace = inspect_target(out)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
    }
    let tmp = sibling(out, "tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    let result = (|| -> Result<()> {
        for (rel, bytes) in &g.files {
            let path = tmp.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| io(&path, &e))?;
        }
        if replace {
            let old = sibling(out, "old");
            let _ = std::fs::remove_dir_all(&old);
            std::fs::rename(out, &old).map_err(|e| io(out, &e))?;
            if let Err(e) = std::fs::rename(&tmp, out) {
                let _ = std::fs::rename(&old, out);
                return Err(io(out, &e));
            }
            std::fs::remove_dir_all(&old).map_err(|e| io(&old, &e))?;
        } else {
            if out.exists() {
                std::fs::remove_dir(out).map_err(|e| io(out, &e))?;
            }
            std::fs::rename(&tmp, out).map_err(|e| io(out, &e))?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

/// How a file on disk differs from what would be generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    Missing(String),
    Changed(String),
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {p}"),
            Drift::Changed(p) => write!(f, "changed: {p}"),
            Drift::Extra(p) => write!(f, "not generated: {p}"),
        }
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let ty = entry.file_type()?;
        let path = entry.path();
        if ty.is_dir() {
            walk(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    Ok(())
}

/// Compares `out` with what would be generated (the `--check` mode).
pub fn check(g: &Generated, out: &Path) -> Result<Vec<Drift>> {
    let mut drift = Vec::new();
    let mut on_disk = Vec::new();
    if out.is_dir() {
        walk(out, out, &mut on_disk).map_err(|e| io(out, &e))?;
    }
    for (rel, bytes) in &g.files {
        match std::fs::read(out.join(rel)) {
            Ok(b) if b == *bytes => {}
            Ok(_) => drift.push(Drift::Changed(rel.clone())),
            Err(_) => drift.push(Drift::Missing(rel.clone())),
        }
    }
    for rel in on_disk {
        if !g.files.contains_key(&rel) {
            drift.push(Drift::Extra(rel));
        }
    }
    drift.sort_by_key(|a| a.to_string());
    Ok(drift)
}
