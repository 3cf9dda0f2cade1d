//! R2: Security fixes within the patch window.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R2, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.loosened_parameters(cx);
    if cx.role == Role::Dr {
        let key = "live.max-image-age-days";
        match cx.int(key) {
            Some(d) if d <= 31 => {}
            Some(d) => j.fail(
                key,
                Some(d.to_string()),
                format!("live images may be {d} days old; the limit is 31"),
                cx.origin(key),
            ),
            None => j.fail(
                key,
                None,
                "a live image needs `live.max-image-age-days` (at most 31): it cannot patch itself"
                    .into(),
                cx.origin(key),
            ),
        }
    }
}

fn enforce(cx: &ProfileCx<'_>, _: &Lowered) -> Enforcement {
    let (window, _) = cx.param("policy.patch-window-days", 14);
    if cx.role == Role::Dr || cx.layout() == Some("live") {
        let age = cx.int("live.max-image-age-days").unwrap_or(31);
        return Enforcement::NotEnforced(format!(
            "a live stick runs the image it was built with: rebuild the ISO and replace the sticks at least every {age} days"
        ));
    }
    Enforcement::NotEnforced(format!(
        "devices install what the estate repository's flake.lock pins: update it (`nix flake update`, reviewed in CI) at least every {window} days so that fixes arrive within the window"
    ))
}
