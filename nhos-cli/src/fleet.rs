//! `nhos fleet DIR [--format fleet|pack] [--toplevel PROFILE=PATH]... [-o FILE]`:
//! device checks compiled from the rule pack.

use crate::{fail, load_or_report};
use clap::ValueEnum;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FleetFormat {
    /// Fleet policies, for `fleetctl apply -f` (one Fleet team per profile).
    Fleet,
    /// An osquery query pack (JSON).
    Pack,
}

/// The `fleet` command's arguments.
#[derive(clap::Args, Debug)]
pub struct FleetArgs {
    /// The estate directory.
    pub dir: std::path::PathBuf,
    #[arg(long, value_enum, default_value_t = FleetFormat::Fleet)]
    pub format: FleetFormat,
    /// Add a drift check: devices of PROFILE run this system toplevel
    /// (PROFILE=/nix/store/…); repeat per profile.
    #[arg(long, value_parser = parse_toplevel)]
    pub toplevel: Vec<(String, String)>,
    /// Write to this file (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<std::path::PathBuf>,
}

fn parse_toplevel(s: &str) -> Result<(String, String), String> {
    let (p, t) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?}: give PROFILE=/nix/store/<hash>-nixos-system-…"))?;
    let name_ok = |c: char| c.is_ascii_alphanumeric() || "+-._?=/".contains(c);
    if !t.starts_with("/nix/store/") || !t.chars().all(name_ok) || t.contains("..") {
        return Err(format!("{t:?} is not a store path"));
    }
    Ok((p.to_owned(), t.to_owned()))
}

pub fn run(args: &FleetArgs) -> ExitCode {
    let estate = match load_or_report(&args.dir) {
        Ok(e) => e,
        Err(code) => return code,
    };
    if let Some((p, _)) = args
        .toplevel
        .iter()
        .find(|(p, _)| !estate.profiles.contains_key(p))
    {
        return fail(&nhos_core::Error::new(
            nhos_core::ErrorKind::Usage,
            format!("--toplevel: no profile `{p}`"),
        ));
    }
    let checks = nhos_core::device::checks(&estate, &args.toplevel);
    let text = match args.format {
        FleetFormat::Fleet => nhos_core::device::fleet_yaml(&checks),
        FleetFormat::Pack => nhos_core::device::osquery_pack(&checks),
    };
    match args.output.as_deref() {
        Some(o) => match nhos_core::write_atomic(o, text.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        None => {
            out!("{text}");
            ExitCode::SUCCESS
        }
    }
}
