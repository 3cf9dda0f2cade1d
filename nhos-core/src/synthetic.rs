//! Synthetic estates for benchmarks and scale tests: trust number `i` is the example
//! estate's shape with its own name, ODS code and a few values varied, so national
//! runs (250 trusts × 6 profiles) exercise real resolution, not copies.

use crate::tree::MemTree;

const EXAMPLE: &[(&str, &str)] = &[
    (
        "estate.toml",
        include_str!("../../examples/example-valley/estate.toml"),
    ),
    (
        "branding.toml",
        include_str!("../../examples/example-valley/branding.toml"),
    ),
    (
        "policy.toml",
        include_str!("../../examples/example-valley/policy.toml"),
    ),
    (
        "profiles/baseline.toml",
        include_str!("../../examples/example-valley/profiles/baseline.toml"),
    ),
    (
        "profiles/site.toml",
        include_str!("../../examples/example-valley/profiles/site.toml"),
    ),
    (
        "profiles/admin.toml",
        include_str!("../../examples/example-valley/profiles/admin.toml"),
    ),
    (
        "profiles/clinical.toml",
        include_str!("../../examples/example-valley/profiles/clinical.toml"),
    ),
    (
        "profiles/analyst.toml",
        include_str!("../../examples/example-valley/profiles/analyst.toml"),
    ),
    (
        "profiles/dr.toml",
        include_str!("../../examples/example-valley/profiles/dr.toml"),
    ),
    (
        "profiles/kiosk.toml",
        include_str!("../../examples/example-valley/profiles/kiosk.toml"),
    ),
    (
        "profiles/server.toml",
        include_str!("../../examples/example-valley/profiles/server.toml"),
    ),
];

const ASSETS: &[(&str, &[u8])] = &[
    (
        "assets/wallpaper.png",
        include_bytes!("../../examples/example-valley/assets/wallpaper.png"),
    ),
    (
        "assets/dr-wallpaper.png",
        include_bytes!("../../examples/example-valley/assets/dr-wallpaper.png"),
    ),
    (
        "assets/splash.png",
        include_bytes!("../../examples/example-valley/assets/splash.png"),
    ),
    (
        "assets/logo.svg",
        include_bytes!("../../examples/example-valley/assets/logo.svg"),
    ),
];

/// Trust number `i` (0-based) as an in-memory estate. `variant` changes about 1 % of
/// the values (used to benchmark plans between two national estates).
pub fn trust(i: usize, variant: bool) -> MemTree {
    let mut t = MemTree::new();
    let ods = format!("R{:03}", i % 1000);
    for (path, text) in EXAMPLE {
        let mut s = text
            .replace("Example Valley", &format!("Synthetic Trust {i}"))
            .replace("\"RXX\"", &format!("\"{ods}\""))
            .replace("evt.nhs.uk", &format!("t{i}.nhs.uk"));
        if *path == "profiles/clinical.toml" {
            let idle = 240 + (i % 5) * 15 - if variant { 60 } else { 0 };
            s = s.replace("idle-delay = 300", &format!("idle-delay = {idle}"));
        }
        // About one value in a hundred: the clinical idle lock (above), the admin
        // profile's USB policy and, for one trust in four, an extra package.
        if variant && *path == "profiles/admin.toml" {
            s = s.replace("usb-storage = \"lockscreen\"", "usb-storage = \"blocked\"");
            if i.is_multiple_of(4) {
                s = s.replace(
                    "[outputs]",
                    "[packages]\nadd = [\"keepassxc\"]\n\n[outputs]",
                );
            }
        }
        t = t.with(path, s);
    }
    for (path, bytes) in ASSETS {
        t = t.with(path, bytes.to_vec());
    }
    t
}

/// Writes trust `i` under `dir`.
pub fn write_trust(dir: &std::path::Path, i: usize, variant: bool) -> std::io::Result<()> {
    for (rel, bytes) in trust(i, variant).files {
        let p = dir.join(&rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(p, bytes)?;
    }
    Ok(())
}
