//! The bundled example estate loads cleanly, has all six roles, and resolves with
//! provenance that points at real definition lines.

mod common;

use nhos_core::{SettingValue, Via};

#[test]
fn example_loads_with_all_six_roles() {
    let e = nhos_core::load(common::example()).expect("example loads");
    assert!(
        e.warnings.is_empty(),
        "example has warnings: {:?}",
        e.warnings
    );
    let mut roles: Vec<&str> = e
        .concrete_profiles()
        .filter_map(|p| p.role.map(|r| r.as_str()))
        .collect();
    roles.sort_unstable();
    assert_eq!(
        roles,
        ["admin", "analyst", "clinical", "dr", "kiosk", "server"]
    );
}

#[test]
fn clinical_idle_lock_names_its_line_and_what_it_overrode() {
    let e = nhos_core::load(common::example()).expect("example loads");
    let clinical = &e.profiles["clinical"];
    assert_eq!(
        clinical.linearization,
        ["clinical", "admin", "site", "baseline"]
    );
    let idle = &clinical.settings["screen.idle-delay"];
    assert_eq!(idle.value, SettingValue::Int(300));
    assert_eq!(
        idle.origin.via,
        Via::Profile {
            profile: "clinical".into()
        }
    );
    assert_eq!(idle.origin.location.file, "profiles/clinical.toml");
    let line = e
        .file("profiles/clinical.toml")
        .expect("file kept")
        .text
        .lines()
        .nth(idle.origin.location.line as usize - 1)
        .map(str::to_owned);
    assert_eq!(
        line.as_deref().map(str::trim_start),
        Some("idle-delay = 300                 # shorter lock on shared ward devices")
    );
    // It overrode exactly the baseline's 600, at the baseline's line.
    assert_eq!(idle.overrode.len(), 1);
    assert_eq!(idle.overrode[0].value, SettingValue::Int(600));
    assert_eq!(
        idle.overrode[0].origin.location.file,
        "profiles/baseline.toml"
    );
    let base_line = e
        .file("profiles/baseline.toml")
        .expect("file kept")
        .text
        .lines()
        .nth(idle.overrode[0].origin.location.line as usize - 1)
        .map(str::to_owned);
    assert!(base_line.is_some_and(|l| l.starts_with("idle-delay = 600")));
}

#[test]
fn packages_come_from_capabilities_and_removals_win() {
    let e = nhos_core::load(common::example()).expect("example loads");
    let clinical = &e.profiles["clinical"];
    // Smartcard packages come from the capability the clinical profile added.
    let opensc = &clinical.packages["opensc"];
    assert!(
        matches!(&opensc.via, Via::Capability { capability, profile, .. } if capability == "smartcard" && profile == "clinical")
    );
    // The office suite is inherited from admin.
    assert!(
        matches!(&clinical.packages["libreoffice-still"].via, Via::Capability { profile, .. } if profile == "admin")
    );
    // The DR stick removed the AD join its site parent added.
    let dr = &e.profiles["dr"];
    assert!(!dr.has_capability("ad-join") && !dr.packages.contains_key("sssd"));
    assert!(e.profiles["admin"].packages.contains_key("sssd"));
    // GNOME games are removed from every GNOME desktop, with the baseline line as
    // provenance; the kiosk and the server run no GNOME, so there the removal
    // removes nothing and `explain` does not claim it.
    assert_eq!(
        e.profiles["clinical"].removed_packages["gnome-mines"]
            .location
            .file,
        "profiles/baseline.toml"
    );
    for p in ["kiosk", "server"] {
        assert!(
            !e.profiles[p].removed_packages.contains_key("gnome-mines"),
            "{p}"
        );
        assert!(nhos_core::explain(&e, p, "gnome-mines").is_err(), "{p}");
    }
}

#[test]
fn capability_settings_are_the_lowest_layer() {
    let e = nhos_core::load(common::example()).expect("example loads");
    let kiosk = &e.profiles["kiosk"];
    // Implied by the kiosk capability.
    let user = &kiosk.settings["login.autologin-user"];
    assert!(
        matches!(&user.origin.via, Via::Capability { capability, .. } if capability == "kiosk")
    );
    // The kiosk's own malware method beats nothing implied; the server's comes from
    // its capability, overriding nothing but below the baseline's explicit value.
    let server = &e.profiles["server"];
    let mm = &server.settings["software.malware-method"];
    assert_eq!(mm.value, SettingValue::Str("allow-list".into()));
    assert!(
        matches!(&mm.overrode[0].origin.via, Via::Capability { capability, .. } if capability == "server-base")
    );
}

#[test]
fn graph_has_stable_ids_and_every_node_kind() {
    let e = nhos_core::load(common::example()).expect("example loads");
    let g = nhos_core::graph::Graph::of(&e);
    let kinds: std::collections::BTreeSet<_> =
        g.nodes.iter().map(|n| format!("{:?}", n.kind)).collect();
    for k in [
        "Estate",
        "Profile",
        "Capability",
        "Package",
        "Setting",
        "Branding",
        "Asset",
        "Rule",
        "Waiver",
        "Output",
    ] {
        assert!(kinds.contains(k), "no {k} node");
    }
    assert!(
        g.edges
            .iter()
            .any(|ed| ed.from == "profile:clinical" && ed.to == "profile:admin")
    );
    assert!(g.nodes.iter().any(|n| n.id == "capability:smartcard@1.0.0"));
    // Every edge joins two nodes that exist.
    let ids: std::collections::BTreeSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    for ed in &g.edges {
        assert!(
            ids.contains(ed.from.as_str()) && ids.contains(ed.to.as_str()),
            "dangling edge {ed:?}"
        );
    }
    assert_eq!(
        g,
        nhos_core::graph::Graph::of(&nhos_core::load(common::example()).expect("loads"))
    );
}
