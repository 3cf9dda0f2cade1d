//! Writes one estate with many profiles, for the large-estate benchmarks:
//! `cargo run --release -p nhos-core --example big_estate -- DIR PROFILES [WAIVED]`.
//! The example's abstract baseline and site, two mixins, and PROFILES concrete
//! profiles cycling through the example's roles, each inheriting the site and a
//! mixin (multiple inheritance) with a few settings and packages of its own. With
//! WAIVED, one waiver names that many profiles (the kiosks first).

use std::fmt::Write as _;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (
        args.next(),
        args.next().and_then(|a| a.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: big_estate DIR PROFILES [WAIVED]");
        std::process::exit(2);
    };
    let waived: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    let dir = std::path::Path::new(&dir);
    let example = nhos_core::synthetic::trust(0, false);
    for (rel, bytes) in &example.files {
        // The example's own concrete profiles are replaced by the generated ones.
        let keep = !rel.starts_with("profiles/")
            || rel.ends_with("/baseline.toml")
            || rel.ends_with("/site.toml");
        if keep {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent"))?;
            std::fs::write(p, bytes)?;
        }
    }
    let profiles = dir.join("profiles");
    std::fs::write(
        profiles.join("mixin-office.toml"),
        "[profile]\nabstract = true\ninherits = [\"baseline\"]\n\n[capabilities]\nadd = [\"office\", \"printing\"]\n\n[settings.screen]\nidle-delay = 480\n",
    )?;
    std::fs::write(
        profiles.join("mixin-secure.toml"),
        "[profile]\nabstract = true\ninherits = [\"baseline\"]\n\n[settings.media]\nusb-storage = \"blocked\"\n\n[settings.login]\nmax-failed-attempts = 3\n",
    )?;
    let roles = [
        ("clinical", "installed", "required"),
        ("admin", "installed", "required"),
        ("analyst", "image", "hypervisor"),
        ("kiosk", "installed", "recommended"),
    ];
    let mut kiosks = Vec::new();
    for i in 0..n {
        let (role, layout, enc) = roles[i % roles.len()];
        let mixin = if i % 2 == 0 || role == "kiosk" {
            "mixin-secure"
        } else {
            "mixin-office"
        };
        let parents = if role == "kiosk" {
            format!("[\"{mixin}\"]")
        } else {
            format!("[\"site\", \"{mixin}\"]")
        };
        let mut t = format!(
            "[profile]\nrole = \"{role}\"\ninherits = {parents}\ndescription = \"Generated profile {i}\"\n\n"
        );
        if role == "kiosk" {
            let _ = write!(
                t,
                "[capabilities]\nadd = [\"kiosk\", \"browser\"]\n\n[settings.kiosk]\nurl = \"https://queue.example.nhs.uk/{i}\"\n\n[settings.screen]\nidle-delay = 0\nlock-enabled = false\n\n[settings.administrators.breakglass]\nenable = false\n\n"
            );
            kiosks.push(format!("p{i:05}"));
        } else {
            let _ = write!(t, "[packages]\nadd = [\"htop\", \"git\"]\n\n");
        }
        let _ = write!(
            t,
            "[settings.disk]\nlayout = \"{layout}\"\nencryption = \"{enc}\"\n\n[outputs]\nformats = [\"{}\"]\n",
            if layout == "image" { "qcow2" } else { "raw" }
        );
        std::fs::write(profiles.join(format!("p{i:05}.toml")), t)?;
    }
    // The example's policy, without its waivers (they name the example's profiles).
    let policy = std::fs::read_to_string(dir.join("policy.toml"))?;
    let cut = policy.find("[[waiver]]").unwrap_or(policy.len());
    std::fs::write(dir.join("policy.toml"), &policy[..cut])?;
    if waived > 0 {
        let names: Vec<String> = kiosks
            .iter()
            .take(waived)
            .map(|k| format!("\"{k}\""))
            .collect();
        let mut policy = std::fs::read_to_string(dir.join("policy.toml"))?;
        let _ = write!(
            policy,
            "\n[[waiver]]\nid = \"W-BIG\"\nrule = \"R5\"\nprofiles = [{}]\naccepts = {{ \"screen.idle-delay\" = 0, \"screen.lock-enabled\" = false }}\njustification = \"Queue displays show public information only.\"\napprover = \"Chief Information Security Officer\"\napproved = 2026-10-01\nexpires = 2027-03-31\n",
            names.join(", ")
        );
        std::fs::write(dir.join("policy.toml"), policy)?;
    }
    println!("{n} profiles in {}", dir.display());
    Ok(())
}
