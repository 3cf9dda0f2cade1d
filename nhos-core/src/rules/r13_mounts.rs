//! R13: Temporary file systems nodev,nosuid,noexec; homes nodev,nosuid.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R13",
    title: "Temporary file systems nodev,nosuid,noexec; homes nodev,nosuid",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "World-writable mounts must not run code.",
    remediation: "Set `hardening.tmp-noexec = true`.",
    references: refs("EUD N3", "Secure configuration", "1.1.2", "8.3"),
    parameters: &[],
    enforced_by: &[
        "fileSystems./tmp",
        "fileSystems./var/tmp",
        "fileSystems./home",
        "boot.specialFileSystems./dev/shm.options",
    ],
    enforcement: "/tmp is a tmpfs and /var/tmp a bind mount, both nodev,nosuid,noexec; /dev/shm gains noexec (boot.specialFileSystems); /home is bound nodev,nosuid.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

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
            options_have(&t, "fileSystems./var/tmp", Some("options"), &all),
            "fileSystems./var/tmp",
            "/var/tmp is not mounted nodev,nosuid,noexec",
        )
        .require(
            options_have(&t, "boot.specialFileSystems./dev/shm.options", None, &["noexec"]),
            "boot.specialFileSystems./dev/shm.options",
            "/dev/shm is not mounted noexec",
        )
        .require(
            options_have(&t, "fileSystems./home", Some("options"), &["nodev", "nosuid"]),
            "fileSystems./home",
            "/home is not mounted nodev,nosuid",
        )
        .done()
}
