//! `nhos demo`: the main job on the bundled example estate.

use crate::{fail, render, sources_for};
use std::path::PathBuf;
use std::process::ExitCode;

fn default_example() -> PathBuf {
    let here = PathBuf::from("examples/example-valley");
    if here.join("estate.toml").is_file() {
        return here;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/example-valley")
}

pub fn run(estate: Option<PathBuf>, day: nhos_core::Date) -> ExitCode {
    let dir = estate.unwrap_or_else(default_example);
    outln!("nhos demo: the Example Valley estate\n");
    let estate = match nhos_core::load(&dir) {
        Ok(e) => e,
        Err(e) => {
            if e.kind() == nhos_core::ErrorKind::Load {
                render::diagnostics(
                    e.diagnostics(),
                    &sources_for(&dir, e.diagnostics()),
                    render::color_choice(false),
                );
            }
            return fail(&e);
        }
    };
    outln!(
        "== load: {} ({}), nixpkgs {}",
        estate.organisation.name,
        estate.organisation.ods_code,
        estate.nixpkgs.release
    );
    show_profiles(&estate);
    let report = nhos_core::validate(&estate, &nhos_core::ValidateOptions { today: day });
    show_report(&report, day);
    show_provenance(&estate);
    let out = PathBuf::from("out");
    // The example ages (its nixpkgs release reaches its end of life): when findings
    // remain, the demo says so and generates anyway, as `--allow-findings` would,
    // with the manifest recording it.
    let allow = report.fails();
    if allow {
        outln!(
            "   `nhos generate` would refuse these; the demo generates anyway, as --allow-findings does (recorded in the manifest)"
        );
    }
    let opts = nhos_core::GenerateOptions {
        allow_findings: allow,
        ..nhos_core::GenerateOptions::new(day)
    };
    let generated = match nhos_core::generate(&estate, &opts) {
        Ok(g) => g,
        Err(e) => return fail(&e),
    };
    if let Err(e) = nhos_core::generate::write(&generated, &out) {
        return fail(&e);
    }
    outln!(
        "\n== generate: {} files in ./out (flake.nix, hosts/, modules/, assets/, nhos-manifest.json)",
        generated.files.len()
    );
    outln!(
        "\n== build and install, on a machine with Nix (this one cannot reach nixpkgs, so nothing was built here):"
    );
    outln!("   nix flake check ./out                  # builds the system of every profile");
    show_builds(&estate);
    show_updates(&estate);
    if estate.nixpkgs.nar_hash.is_none() {
        outln!(
            "   The pin has no narHash, so no flake.lock was written: run `nix flake lock` in ./out once."
        );
    }
    ExitCode::SUCCESS
}

/// Each profile: role, counts, linearization.
fn show_profiles(estate: &nhos_core::Estate) {
    for p in estate.profiles.values() {
        let kind = if p.is_abstract {
            "abstract".to_owned()
        } else {
            p.role.map_or("-", |r| r.as_str()).to_owned()
        };
        outln!(
            "   {:<10} {:<9} {:>3} packages, {:>2} capabilities, {:>2} settings; linearization {}",
            p.name,
            kind,
            p.packages.len(),
            p.capabilities.len(),
            p.settings.len(),
            p.linearization.join(" → ")
        );
    }
}

/// The validation summary and the open errors.
fn show_report(report: &nhos_core::Report, day: nhos_core::Date) {
    outln!(
        "\n== validate on {day}: {} errors, {} warnings; {} waived, {} manual checks, {} declared but not enforced",
        report.summary.errors,
        report.summary.warnings,
        report.summary.waived,
        report.summary.manual,
        report.summary.not_enforced
    );
    for f in report
        .findings
        .iter()
        .filter(|f| f.status == nhos_core::Status::Open && f.severity == nhos_core::Severity::Error)
    {
        outln!(
            "   error {} {}: {}",
            f.rule,
            f.profile.as_deref().unwrap_or("estate"),
            f.message
        );
    }
}

/// Where one setting comes from, and what it overrode.
fn show_provenance(estate: &nhos_core::Estate) {
    if let Some(c) = estate.profiles.get("clinical")
        && let Some(s) = c.settings.get("screen.idle-delay")
    {
        outln!(
            "\n== provenance: clinical screen.idle-delay = {} from {}",
            s.value,
            s.origin
        );
        for o in &s.overrode {
            outln!("   overrode {} from {}", o.value, o.origin);
        }
    }
}

/// How to build and install each output.
fn show_builds(estate: &nhos_core::Estate) {
    for p in estate.concrete_profiles() {
        for f in p.outputs.keys() {
            let attr = format!("./out#{}-{}", p.name, f.as_str());
            let how = match f {
                nhos_core::definition::OutputFormat::Installer => format!(
                    "installer ISO: write result/iso/*.iso to a USB stick, boot the device from it, run `sudo nhos-install`{}",
                    if p.str("disk.encryption") == Some("required") {
                        "; record the recovery key it shows"
                    } else {
                        ""
                    }
                ),
                nhos_core::definition::OutputFormat::Iso => {
                    "live ISO: write result/iso/*.iso to a USB stick".to_owned()
                }
                nhos_core::definition::OutputFormat::Vm => "a throw-away VM".to_owned(),
                nhos_core::definition::OutputFormat::Qcow2 => {
                    "qcow2 image for a hypervisor".to_owned()
                }
                nhos_core::definition::OutputFormat::Raw => {
                    "raw EFI disk image: write it to the device's disk".to_owned()
                }
            };
            let verb = if *f == nhos_core::definition::OutputFormat::Vm {
                "nix run  "
            } else {
                "nix build"
            };
            outln!("   {verb} {attr:<28} # {how}");
        }
    }
}

/// How each automatically updated profile updates itself.
fn show_updates(estate: &nhos_core::Estate) {
    let mut updates: Vec<String> = Vec::new();
    for p in estate.concrete_profiles() {
        if let (Some(true), Some(f)) = (p.bool("updates.automatic"), p.str("updates.flake"))
            && p.str("disk.layout") != Some("live")
        {
            updates.push(format!(
                "   {:<9} nixos-rebuild switch --refresh --flake {f}#{} at {}",
                p.name,
                p.name,
                p.str("updates.schedule").unwrap_or("04:40")
            ));
        }
    }
    if !updates.is_empty() {
        outln!(
            "\n== updates: commit ./out to the repository updates.flake names (here as flake/); each device then runs, on its schedule:"
        );
        for u in updates {
            outln!("{u}");
        }
    }
}
