//! R19: Only approved software.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R19, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "software.user-install", false);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    // Administrators may use (R19) and even be trusted by (R37 judges that) the
    // daemon; a standard user may do neither.
    let admins_only = |option: &str| {
        matches!(
            t.get(option),
            Some(Nix::List(items)) if !items.is_empty() && items.iter().all(|i| *i == Nix::str("root") || *i == Nix::str("@wheel"))
        )
    };
    let allowed_ok = admins_only("nix.settings.allowed-users");
    let trusted_ok = admins_only("nix.settings.trusted-users");
    Check::default()
        .require(
            allowed_ok,
            "nix.settings.allowed-users",
            "users other than root and wheel may use the Nix daemon to install software",
        )
        .require(
            trusted_ok,
            "nix.settings.trusted-users",
            "the Nix daemon trusts users other than root and administrators",
        )
        .done()
}
