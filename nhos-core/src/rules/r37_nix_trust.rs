//! R37: The Nix daemon trusts only root.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R37, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    let key = "software.nix-trusted-users";
    if let Some(users) = cx.p.setting(key).and_then(|v| v.as_list())
        && users.iter().any(|u| u != "root") {
            j.fail(
                key,
                Some(users.join(",")),
                format!("the Nix daemon trusts {}", users.join(", ")),
                cx.origin(key),
            );
        }
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            Tree(l).get("nix.settings.trusted-users") == Some(&Nix::List(vec![Nix::str("root")])),
            "nix.settings.trusted-users",
            "the Nix daemon trusts users other than root",
        )
        .done()
}
