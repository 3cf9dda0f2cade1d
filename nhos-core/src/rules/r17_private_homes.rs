//! R17: Private homes, umask 077.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R17",
    title: "Private homes, umask 077",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "Users must not read each other's files on shared devices.",
    remediation: "Set `hardening.private-homes = true`.",
    references: refs("EUD N5", "User access control", "6.2", "4.2"),
    parameters: &[],
    enforced_by: &[
        "security.loginDefs.settings.UMASK",
        "security.pam.makeHomeDir.umask",
    ],
    enforcement: "New files are private (login UMASK 077); homes of local users are 0700 (NixOS's default for normal users) and those pam_mkhomedir creates for directory users are made with umask 0077.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.private-homes", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    c.require(
        t.is("security.loginDefs.settings.UMASK", &Nix::str("077")),
        "security.loginDefs.settings.UMASK",
        "the login umask is not 077",
    );
    if t.is_true("services.sssd.enable") {
        c.require(
            t.is("security.pam.makeHomeDir.umask", &Nix::str("0077")),
            "security.pam.makeHomeDir.umask",
            "homes of directory users are not created private",
        );
    }
    c.done()
}
