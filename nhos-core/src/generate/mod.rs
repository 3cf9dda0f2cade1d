//! The `generate` verb: a resolved estate → a flake directory. Generation is pure
//! (an in-memory tree of files); [`write`] and [`check`] are the only I/O.

pub mod contract;
pub mod flake;
pub mod invariants;
pub mod lower;
pub mod nix;
pub mod output;
mod render;

pub use output::{Drift, Written, check, write};

use crate::diagnostic::Severity;
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Estate, hex};
use crate::report::{Finding, Report, Status};
use lower::Lowered;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

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

/// The option trees an estate keeps: the lowering owns how they are made.
impl Estate {
    /// The option tree of each concrete profile, lowered (in parallel) on first use.
    pub fn lowered(&self) -> &BTreeMap<String, Lowered> {
        self.lowered.get_or_init(|| lower_profiles(self))
    }

    /// The option trees, to change (tests break the lowering on purpose to show
    /// that the second check catches it).
    pub fn lowered_mut(&mut self) -> &mut BTreeMap<String, Lowered> {
        self.lowered();
        self.lowered.get_mut().expect("initialised just above")
    }
}

/// Lowers every concrete profile, in parallel ([`Estate::lowered`] keeps the result).
pub(crate) fn lower_profiles(estate: &Estate) -> BTreeMap<String, Lowered> {
    use rayon::prelude::*;
    let concrete: Vec<&crate::model::Profile> = estate.concrete_profiles().collect();
    crate::pool::install(|| {
        concrete
            .par_iter()
            .map(|p| {
                let mut l = lower::lower(estate, p);
                l.finish();
                (p.name.clone(), l)
            })
            .collect()
    })
}

/// The option trees of every concrete profile (a copy of [`Estate::lowered`]).
pub fn lower_all(estate: &Estate) -> BTreeMap<String, Lowered> {
    estate.lowered().clone()
}

/// Generates the flake directory for an estate, in memory, given its validation
/// `report` (made on `opts.today`): refuses while the report has error-level open
/// findings, unless `opts.allow_findings`. [`crate::generate`] validates and calls
/// this.
pub fn generate_from(estate: &Estate, report: Report, opts: &GenerateOptions) -> Result<Generated> {
    let findings = blocking_findings(&report, opts)?;
    let lowered = lower_all(estate);
    let mut files = hosts(estate, &lowered)?;
    let names: Vec<&str> = lowered.keys().map(String::as_str).collect();
    add_flake_files(estate, &names, &mut files);
    let manifest = manifest(estate, &files, &findings)?;
    files.insert(MANIFEST.into(), manifest);
    Ok(Generated {
        files,
        lowered,
        report,
        findings,
    })
}

/// The error-level open findings of a report; an error naming them unless the
/// options allow generating despite them.
fn blocking_findings(report: &Report, opts: &GenerateOptions) -> Result<Vec<Finding>> {
    let findings: Vec<Finding> = report
        .findings
        .iter()
        .filter(|f| f.status == Status::Open && f.severity == Severity::Error)
        .cloned()
        .collect();
    if !findings.is_empty() && !opts.allow_findings {
        let list: Vec<String> = findings.iter().map(|f| f.brief()).collect();
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
    Ok(findings)
}

/// `hosts/<profile>.nix` for every lowered profile, once its tree keeps the option
/// contract and holds no NUL.
fn hosts(
    estate: &Estate,
    lowered: &BTreeMap<String, Lowered>,
) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, l) in lowered {
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
    Ok(files)
}

/// The rest of the flake: `hosts/default.nix`, `outputs.nix`, `flake.nix`,
/// `flake.lock` (when the pin allows), the NixOS modules and the branding assets.
fn add_flake_files(estate: &Estate, names: &[&str], files: &mut BTreeMap<String, Vec<u8>>) {
    files.insert(
        "hosts/default.nix".into(),
        flake::hosts_default(names).into_bytes(),
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
}

/// `nhos-manifest.json`: what was generated from what, the findings it was written
/// despite, and the hash of every file.
fn manifest(
    estate: &Estate,
    files: &BTreeMap<String, Vec<u8>>,
    findings: &[Finding],
) -> Result<Vec<u8>> {
    let mut hashes = serde_json::Map::new();
    for (path, bytes) in files {
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
    let mut m = serde_json::to_string_pretty(&manifest).map_err(|e| {
        Error::new(
            ErrorKind::Generate,
            format!("could not write the manifest: {e}"),
        )
    })?;
    m.push('\n');
    Ok(m.into_bytes())
}
