//! R17: Private homes, umask 077.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R17, judge, Some(enforce));

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
