//! The evidence pack (`nhos evidence DIR -o PACK`): what an assessor or a DSPT
//! submission takes away — the compliance report (HTML), the validation report as
//! JSON and SARIF, the manifest
//! of the generated flake, the estate graph, and the plan when asked — with an
//! index of SHA-256 hashes (`SHA256SUMS`, as `sha256sum -c` reads it), signed in
//! the SSH signature format (`ssh-keygen -Y sign`, namespace `nhos-evidence`) when a
//! key is given, and verified (`nhos evidence verify`) against an allowed-signers
//! file. Deterministic: the same estate and day give the same bytes.

mod sign;

pub use sign::{NAMESPACE, SIGNATURE, sign, verify_signature};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Estate, hex};
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::Path;

/// The index file.
pub const INDEX: &str = "SHA256SUMS";

/// Every file a pack can hold besides its index and signature: an earlier pack is
/// recognised by listing only these, so that a directory that merely has a
/// `SHA256SUMS` of its own is never taken for one (and its files never removed).
pub const PACK_FILES: &[&str] = &[
    "estate-graph.svg",
    "nhos-manifest.json",
    "plan.json",
    "plan.md",
    "report.html",
    "validation.json",
    "validation.sarif",
];

/// What goes into a pack beside the estate.
#[derive(Debug, Clone)]
pub struct PackOptions {
    /// The day the rules and waivers are judged on.
    pub today: crate::Date,
    /// The plan to include (from an older version of the estate), if any.
    pub plan: Option<crate::Plan>,
}

/// The files of a pack, by name, and its index (`SHA256SUMS`).
pub fn contents(estate: &Estate, opts: &PackOptions) -> Result<BTreeMap<String, Vec<u8>>> {
    let report = crate::validate(estate, &crate::ValidateOptions { today: opts.today });
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert(
        "validation.json".into(),
        crate::validate::format::json(&report).into_bytes(),
    );
    files.insert(
        "validation.sarif".into(),
        crate::validate::format::sarif(&report).into_bytes(),
    );
    let page = crate::html::html(
        estate,
        &crate::html::ReportOptions {
            report: &report,
            plan: opts.plan.as_ref(),
        },
    );
    files.insert("report.html".into(), page.into_bytes());
    let generated = crate::generate::generate_from(
        estate,
        report,
        &crate::GenerateOptions {
            today: opts.today,
            // The manifest records the findings the flake was made despite.
            allow_findings: true,
        },
    )?;
    let manifest = generated
        .files
        .get(crate::generate::MANIFEST)
        .cloned()
        .ok_or_else(|| Error::new(ErrorKind::Generate, "nhos bug: no manifest generated"))?;
    files.insert("nhos-manifest.json".into(), manifest);
    files.insert(
        "estate-graph.svg".into(),
        crate::graph::render(estate, crate::graph::Format::Svg).into_bytes(),
    );
    if let Some(plan) = &opts.plan {
        files.insert(
            "plan.json".into(),
            crate::plan::format::json(plan).into_bytes(),
        );
        files.insert(
            "plan.md".into(),
            crate::plan::format::markdown(plan).into_bytes(),
        );
    }
    let index = index(&files);
    files.insert(INDEX.into(), index.into_bytes());
    Ok(files)
}

/// `<sha256 hex>  <name>` per file, sorted by name, as `sha256sum` writes it.
pub fn index(files: &BTreeMap<String, Vec<u8>>) -> String {
    files
        .iter()
        .filter(|(name, _)| name.as_str() != INDEX && name.as_str() != SIGNATURE)
        .map(|(name, bytes)| format!("{}  {name}\n", hex(&sha2::Sha256::digest(bytes))))
        .collect()
}

/// Writes a pack into `dir`: a new or empty directory, or an earlier pack (whose
/// listed files it replaces; it writes nothing else and removes only files an
/// earlier index listed). Each file is written atomically.
pub fn write(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> Result<()> {
    let earlier = earlier_files(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), &e))?;
    for (name, bytes) in files {
        crate::write_atomic(&dir.join(name), bytes)?;
    }
    for stale in earlier.iter().filter(|n| !files.contains_key(*n)) {
        let p = dir.join(stale);
        if p.is_file() {
            std::fs::remove_file(&p).map_err(|e| Error::io(p.display(), &e))?;
        }
    }
    Ok(())
}

/// The files an earlier pack in `dir` lists (and its signature); an error when
/// `dir` holds anything that is not an nhos pack.
fn earlier_files(dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect::<Vec<_>>(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir.display(), &e)),
    };
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let refuse = || {
        Error::new(
            ErrorKind::Usage,
            format!(
                "{}: not empty and not an evidence pack nhos wrote (no {INDEX} listing its files): give a new or empty directory",
                dir.display()
            ),
        )
    };
    let index = std::fs::read_to_string(dir.join(INDEX)).map_err(|_| refuse())?;
    let mut listed: Vec<String> = parse_index(&index)
        .map_err(|_| refuse())?
        .into_keys()
        .collect();
    if listed.iter().any(|n| !PACK_FILES.contains(&n.as_str())) {
        return Err(refuse());
    }
    listed.push(INDEX.into());
    listed.push(SIGNATURE.into());
    if entries.iter().any(|e| !listed.contains(e)) {
        return Err(refuse());
    }
    Ok(listed)
}

/// The index's file → hash; an error naming the line that is not `<hex>  <name>`.
pub fn parse_index(text: &str) -> std::result::Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let (hash, name) = line
            .split_once("  ")
            .filter(|(h, n)| {
                h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()) && !n.is_empty()
            })
            .ok_or_else(|| format!("{INDEX}:{}: not `<sha256>  <file>`", i + 1))?;
        if name.contains('/') || name.starts_with('.') {
            return Err(format!(
                "{INDEX}:{}: `{name}` is not a file of the pack",
                i + 1
            ));
        }
        if out
            .insert(name.to_owned(), hash.to_ascii_lowercase())
            .is_some()
        {
            return Err(format!("{INDEX}:{}: `{name}` is listed twice", i + 1));
        }
    }
    Ok(out)
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The files the index lists, all with their hash.
    pub files: usize,
    /// The principal of the allowed signer whose key made the signature.
    pub signer: String,
}

/// Verifies a pack: every file the index lists has its hash, no other file is
/// there, and the index's signature was made, in the `nhos-evidence` namespace, by
/// a key of `allowed_signers` (the `ssh-keygen` ALLOWED SIGNERS format) valid on
/// `today`. Every
/// failure says what failed.
pub fn verify(dir: &Path, allowed_signers: &str, today: crate::Date) -> Result<Verified> {
    let fail = |msg: String| Error::new(ErrorKind::Usage, msg);
    let index_bytes =
        std::fs::read(dir.join(INDEX)).map_err(|e| Error::io(dir.join(INDEX).display(), &e))?;
    let index =
        std::str::from_utf8(&index_bytes).map_err(|_| fail(format!("{INDEX} is not UTF-8")))?;
    let listed = parse_index(index).map_err(fail)?;
    for (name, want) in &listed {
        let meta = std::fs::symlink_metadata(dir.join(name))
            .map_err(|e| Error::io(dir.join(name).display(), &e))?;
        if !meta.is_file() {
            return Err(fail(format!(
                "{name}: not a regular file (a link or a directory)"
            )));
        }
        let bytes =
            std::fs::read(dir.join(name)).map_err(|e| Error::io(dir.join(name).display(), &e))?;
        let got = hex(&sha2::Sha256::digest(&bytes));
        if &got != want {
            return Err(fail(format!(
                "{name}: its SHA-256 is {got}, the index says {want}: the file changed after the pack was made"
            )));
        }
    }
    let rd = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display(), &e))?;
    for e in rd.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n != INDEX && n != SIGNATURE && !listed.contains_key(&n) {
            return Err(fail(format!("{n}: in the pack but not in its index")));
        }
    }
    let sig = std::fs::read_to_string(dir.join(SIGNATURE))
        .map_err(|e| Error::io(dir.join(SIGNATURE).display(), &e))?;
    let signer = verify_signature(&index_bytes, &sig, allowed_signers, today)?;
    Ok(Verified {
        files: listed.len(),
        signer,
    })
}
