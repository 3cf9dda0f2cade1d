//! R33: Autologin only where the role allows it.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R33",
    title: "Autologin only where the role allows it",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "An automatic login gives anyone at the device its account.",
    remediation: "Remove `login.autologin-user`; only kiosks and DR sticks log in automatically.",
    references: refs("EUD N13 (authentication)", "User access control", "1.7.x", "4.5"),
    parameters: &[],
    enforced_by: &["services.displayManager.autoLogin.enable"],
    enforcement: "Only kiosk and DR profiles log in automatically (cage's session, or GDM autologin on a DR stick); no other profile has an autologin.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

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
