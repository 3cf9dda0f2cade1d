//! R5: Idle screen lock, locked against override.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R5",
    title: "Idle screen lock, locked against override",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "An unattended unlocked session gives anyone the user's access.",
    remediation: "Set `screen.idle-delay` to at most the limit (and not 0), `screen.lock-enabled = true`, `screen.lock-delay` to at most the lock-delay limit, and `screen.lock-on-suspend = true`.",
    references: refs("EUD N13", "Secure configuration", "1.7.4-1.7.5", "4.5"),
    parameters: &[
        Parameter {
            key: "policy.idle-lock-max-seconds",
            default: 600,
            larger_is_looser: true,
        },
        Parameter {
            key: "policy.lock-delay-max-seconds",
            default: 5,
            larger_is_looser: true,
        },
    ],
    enforced_by: &[
        "dconf:user:org/gnome/desktop/session/idle-delay",
        "dconf:user:org/gnome/desktop/screensaver/lock-enabled",
        "dconf:user:org/gnome/desktop/screensaver/lock-delay",
        "dconf:user:org/gnome/desktop/lockdown/disable-lock-screen",
    ],
    enforcement: "GNOME's idle delay, screen lock, lock delay and lock screen (which also locks on suspend) are set in the dconf user database and locked (programs.dconf via nhos.dconf). A kiosk's cage session has no screen lock: declared, not enforced.",
    applies: [Y, Y, Y, Y, A, N],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

const SESSION: &str = "org/gnome/desktop/session";
const SCREENSAVER: &str = "org/gnome/desktop/screensaver";

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.loosened_parameters(cx);
    let (limit, _) = cx.param("policy.idle-lock-max-seconds", 600);
    let key = "screen.idle-delay";
    match cx.int(key) {
        Some(0) => j.fail(
            key,
            Some("0".into()),
            format!("`{key}` is 0: the screen never locks"),
            cx.origin(key),
        ),
        Some(v) if v > limit => j.fail(
            key,
            Some(v.to_string()),
            format!("`{key}` is {v} s; the limit is {limit} s"),
            cx.origin(key),
        ),
        Some(_) => {}
        None => j.fail(
            key,
            None,
            format!("`{key}` is not set; the limit is {limit} s"),
            cx.origin(key),
        ),
    }
    j.want_bool(cx, "screen.lock-enabled", true);
    let (max_delay, _) = cx.param("policy.lock-delay-max-seconds", 5);
    j.want_range(cx, "screen.lock-delay", 0, max_delay, " s");
    j.want_bool(cx, "screen.lock-on-suspend", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    if !cx.has("desktop") {
        return if cx.has("kiosk") {
            Enforcement::NotEnforced("the kiosk session (cage) has no screen lock".into())
        } else {
            Enforcement::NotApplicable
        };
    }
    let t = Tree(l);
    let uint = |v: Option<i64>| v.map(|v| Nix::call(Func::MkUint32, Nix::Int(v)));
    Check::default()
        .require(
            t.dconf_locked("user", SESSION, "idle-delay").cloned() == uint(cx.int("screen.idle-delay")),
            "idle-delay",
            "`org/gnome/desktop/session/idle-delay` is not the definition's value, locked",
        )
        .require(
            t.dconf_locked("user", SCREENSAVER, "lock-enabled") == Some(&Nix::Bool(true)),
            "lock-enabled",
            "`org/gnome/desktop/screensaver/lock-enabled` is not true and locked",
        )
        .require(
            t.dconf_locked("user", SCREENSAVER, "lock-delay").cloned() == uint(cx.int("screen.lock-delay")),
            "lock-delay",
            "`org/gnome/desktop/screensaver/lock-delay` is not the definition's value, locked",
        )
        .require(
            t.dconf_locked("user", "org/gnome/desktop/lockdown", "disable-lock-screen")
                == Some(&Nix::Bool(false)),
            "disable-lock-screen",
            "`org/gnome/desktop/lockdown/disable-lock-screen` is not false and locked, so the screen may not lock on suspend",
        )
        .done()
}
