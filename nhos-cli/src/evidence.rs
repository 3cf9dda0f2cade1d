//! `nhos evidence DIR -o PACK [--from REV] [--sign KEY]` and `nhos evidence verify
//! PACK --allowed-signers FILE`.

use crate::{fail, load_or_report};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// The `evidence` command's arguments.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EvidenceArgs {
    #[command(subcommand)]
    pub op: Option<EvidenceOp>,
    /// The estate directory.
    pub dir: Option<PathBuf>,
    /// The pack directory to write (new, empty, or an earlier pack).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Include the plan from this git revision of the estate.
    #[arg(long, conflicts_with = "old")]
    pub from: Option<String>,
    /// Include the plan from this older copy of the estate (a directory).
    #[arg(long)]
    pub old: Option<PathBuf>,
    /// Sign the index with this OpenSSH private key (unencrypted).
    #[arg(long)]
    pub sign: Option<PathBuf>,
    /// Judge rules and waivers on this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_parser = crate::parse_date)]
    pub today: Option<nhos_core::Date>,
}

#[derive(Subcommand, Debug)]
pub enum EvidenceOp {
    /// Check a pack: every file's hash against the index, no file unlisted, and the
    /// index's signature by one of the allowed signers. Exit 0 when it holds, 1 not.
    Verify {
        pack: PathBuf,
        /// ssh-keygen's ALLOWED SIGNERS file: principals, then a public key, per line.
        #[arg(long)]
        allowed_signers: PathBuf,
    },
}

fn usage(msg: &str) -> ExitCode {
    fail(&nhos_core::Error::new(nhos_core::ErrorKind::Usage, msg))
}

pub fn run(args: EvidenceArgs) -> ExitCode {
    if let Some(EvidenceOp::Verify {
        pack,
        allowed_signers,
    }) = &args.op
    {
        return verify(pack, allowed_signers);
    }
    let (Some(dir), Some(out)) = (&args.dir, &args.output) else {
        return usage("give the estate and the pack: nhos evidence DIR -o PACK");
    };
    let estate = match load_or_report(dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let today = args.today.unwrap_or_else(crate::today);
    let plan = match crate::report::plan_from(
        dir,
        &estate,
        args.from.as_deref(),
        args.old.as_deref(),
        today,
    ) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let opts = nhos_core::evidence::PackOptions { today, plan };
    let mut files = match nhos_core::evidence::contents(&estate, &opts) {
        Ok(f) => f,
        Err(e) => return fail(&e),
    };
    if let Some(key_path) = &args.sign {
        let key = match std::fs::read_to_string(key_path) {
            Ok(k) => k,
            Err(e) => return fail(&nhos_core::Error::io(key_path.display(), &e)),
        };
        let index = files
            .get(nhos_core::evidence::INDEX)
            .cloned()
            .unwrap_or_default();
        match nhos_core::evidence::sign(&index, &key, &key_path.display().to_string()) {
            Ok(sig) => {
                files.insert(nhos_core::evidence::SIGNATURE.into(), sig.into_bytes());
            }
            Err(e) => return fail(&e),
        }
    }
    match nhos_core::evidence::write(out, &files) {
        Ok(()) => {
            eprintln!("nhos: wrote {} files to {}", files.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn verify(pack: &std::path::Path, allowed: &std::path::Path) -> ExitCode {
    let signers = match std::fs::read_to_string(allowed) {
        Ok(s) => s,
        Err(e) => return fail(&nhos_core::Error::io(allowed.display(), &e)),
    };
    match nhos_core::evidence::verify(pack, &signers, crate::today()) {
        Ok(v) => {
            outln!(
                "{}: {} files match the index, signed by {}",
                pack.display(),
                v.files,
                v.signer
            );
            ExitCode::SUCCESS
        }
        // The pack does not hold (or could not be read): 1, as a failed check.
        Err(e) => {
            eprintln!("nhos: {e}");
            ExitCode::from(crate::EXIT_FINDINGS)
        }
    }
}
