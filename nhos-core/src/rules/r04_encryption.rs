//! R4: Full-disk encryption.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R4, judge, Some(enforce));

const KEY: &str = "disk.encryption";

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    match (cx.str(KEY), cx.layout()) {
        (Some("required"), _) => {}
        (Some("hypervisor"), Some("image")) if cx.role != Role::Clinical => {}
        (Some("hypervisor"), Some("image")) => j.fail(
            KEY,
            Some("hypervisor".into()),
            "clinical workstations need LUKS on the device itself: set `disk.encryption = \"required\"`".into(),
            cx.origin(KEY),
        ),
        (Some("hypervisor"), layout) => j.fail(
            KEY,
            Some("hypervisor".into()),
            format!(
                "`{KEY}` is \"hypervisor\", but the profile's disk is {}, not a VM's: set \"required\"",
                match layout {
                    Some("installed") => "the device's own (layout \"installed\")",
                    Some("live") => "a live stick's",
                    _ => "not declared",
                }
            ),
            cx.origin(KEY),
        ),
        (Some(v), _) => j.fail(
            KEY,
            Some(v.to_owned()),
            format!("`{KEY}` is {v:?}; this role needs \"required\" (or \"hypervisor\" for a VM)"),
            cx.origin(KEY),
        ),
        (None, _) => j.fail(KEY, None, format!("`{KEY}` is not set"), cx.origin(KEY)),
    }
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    match (cx.str(KEY), cx.layout()) {
        (Some("required"), Some("installed")) => {
            let root = t.attr("disko.devices.disk.main", "content.partitions.root.content");
            let luks2 = root
                .and_then(|r| match r {
                    Nix::Attrs(es) => es
                        .iter()
                        .find(|e| e.key == "extraFormatArgs")
                        .map(|e| &e.value),
                    _ => None,
                })
                .is_some_and(|v| matches!(v, Nix::List(items) if items.contains(&Nix::str("luks2"))));
            let luks = t.attr("disko.devices.disk.main", "content.partitions.root.content.type")
                == Some(&Nix::str("luks"));
            let images: Vec<&str> = cx
                .p
                .outputs
                .keys()
                .filter(|f| {
                    matches!(
                        f,
                        crate::definition::OutputFormat::Raw | crate::definition::OutputFormat::Qcow2
                    )
                })
                .map(|f| f.as_str())
                .collect();
            let mut c = Check::default();
            c.require(luks && luks2, "disko.devices.disk.main", "the root partition is not LUKS2");
            match c.done() {
                Enforcement::Enforced if !images.is_empty() => Enforcement::NotEnforced(format!(
                    "devices installed with the installer are encrypted, but the {} image{} of this profile {} not (an image cannot carry a per-device key): install devices with the installer",
                    images.join(" and "),
                    if images.len() > 1 { "s" } else { "" },
                    if images.len() > 1 { "are" } else { "is" }
                )),
                other => other,
            }
        }
        (Some("required"), Some("image")) => Enforcement::NotEnforced(
            "the disk of a qcow2/raw image is made without LUKS by the image builder: encrypt it at the hypervisor and declare `disk.encryption = \"hypervisor\"`".into(),
        ),
        (Some("required"), _) => Enforcement::NotEnforced(
            "a live stick keeps nothing on disk, so there is nothing to encrypt".into(),
        ),
        (Some("hypervisor"), _) => Enforcement::NotEnforced(
            "the VM's disk is encrypted by the hypervisor, which nhos does not configure; keep the hypervisor's evidence".into(),
        ),
        _ => Enforcement::NotApplicable,
    }
}
