//! R6: Login screen hides the user list.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R6",
    title: "Login screen hides the user list",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "A user list hands an attacker half of every credential.",
    remediation: "Set `login.hide-user-list = true`.",
    references: refs("EUD N13", "Secure configuration", "1.7.3", "4.5"),
    parameters: &[],
    enforced_by: &["dconf:gdm:org/gnome/login-screen/disable-user-list"],
    enforcement: "GDM's user list is switched off in the gdm dconf database.",
    applies: DESKTOPS,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

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
