//! R5: Idle screen lock, locked against override.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R5, judge, Some(enforce));

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
