//! R13: Temporary file systems nodev,nosuid,noexec; homes nodev,nosuid.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R13, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.tmp-noexec", true);
}

fn options_have(t: &Tree<'_>, path: &str, inner: Option<&str>, want: &[&str]) -> bool {
    let v = match inner {
        Some(i) => t.attr(path, i),
        None => t.get(path),
    };
    match v {
        Some(Nix::List(items)) => want.iter().all(|w| items.contains(&Nix::str(*w))),
        _ => false,
    }
}

/// A systemd mount unit binding `dir` onto itself with every option of `want`,
/// started with the local file systems.
fn bound(t: &Tree<'_>, dir: &str, want: &[&str]) -> bool {
    let Some(Nix::List(units)) = t.get("systemd.mounts") else {
        return false;
    };
    units.iter().any(|u| {
        let Nix::Attrs(es) = u else { return false };
        let field = |k: &str| es.iter().find(|e| e.key == k).map(|e| &e.value);
        let opts = match field("options") {
            Some(Nix::Str(s)) => s.split(',').map(str::to_owned).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        field("what") == Some(&Nix::str(dir))
            && field("where") == Some(&Nix::str(dir))
            && opts.iter().any(|o| o == "bind")
            && want.iter().all(|w| opts.iter().any(|o| o == w))
            && matches!(field("wantedBy"), Some(Nix::List(t)) if t.contains(&Nix::str("local-fs.target")))
    })
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let all = ["nodev", "nosuid", "noexec"];
    Check::default()
        .require(
            options_have(&t, "fileSystems./tmp", Some("options"), &all),
            "fileSystems./tmp",
            "/tmp is not mounted nodev,nosuid,noexec",
        )
        .require(
            bound(&t, "/var/tmp", &all),
            "systemd.mounts",
            "/var/tmp is not mounted nodev,nosuid,noexec",
        )
        .require(
            options_have(&t, "boot.specialFileSystems./dev/shm.options", None, &["noexec"]),
            "boot.specialFileSystems./dev/shm.options",
            "/dev/shm is not mounted noexec",
        )
        .require(
            bound(&t, "/home", &["nodev", "nosuid"]),
            "systemd.mounts",
            "/home is not mounted nodev,nosuid",
        )
        .done()
}
