//! R6: Login screen hides the user list.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R6, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "login.hide-user-list", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    if !cx.has("desktop") {
        return Enforcement::NotApplicable;
    }
    let ok = matches!(
        l.dconf_key("gdm", "org/gnome/login-screen", "disable-user-list"),
        Some(k) if k.value == Nix::Bool(true)
    );
    Check::default()
        .require(ok, "disable-user-list", "the GDM user list is not disabled")
        .done()
}
