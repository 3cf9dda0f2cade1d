//! R33: Autologin only where the role allows it.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R33, judge, Some(enforce));

fn allowed(role: Role) -> bool {
    matches!(role, Role::Kiosk | Role::Dr)
}

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    let key = "login.autologin-user";
    if let (Some(u), false) = (cx.str(key), allowed(cx.role)) {
        j.fail(
            key,
            Some(u.to_owned()),
            format!("`{key}` logs `{u}` in automatically on a {} profile", cx.role.as_str()),
            cx.origin(key),
        );
    }
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    if allowed(cx.role) {
        return Enforcement::NotApplicable;
    }
    let t = Tree(l);
    Check::default()
        .require(
            !t.is_true("services.displayManager.autoLogin.enable")
                && t.get("services.getty.autologinUser").is_none()
                && !t.is_true("nhos.kiosk.enable"),
            "services.displayManager.autoLogin.enable",
            "the profile logs a user in automatically",
        )
        .done()
}
