//! R11: Password length.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R11, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.loosened_parameters(cx);
    let (limit, _) = cx.param("policy.min-password-length", 12);
    let key = "password.min-length";
    match cx.int(key) {
        Some(v) if v >= limit => {}
        Some(v) => j.fail(
            key,
            Some(v.to_string()),
            format!("`{key}` is {v}; it must be at least {limit}"),
            cx.origin(key),
        ),
        None => j.fail(
            key,
            None,
            format!("`{key}` is not set; it must be at least {limit}"),
            cx.origin(key),
        ),
    }
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            cx.int("password.min-length").map(Nix::Int).as_ref()
                == Tree(l).get("nhos.accounts.passwordMinLength"),
            "nhos.accounts.passwordMinLength",
            "the minimum password length is not the definition's",
        )
        .done()
}
