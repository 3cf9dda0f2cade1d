//! R32: Administrator sessions recorded.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R32, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "users.sudo-logging", true);
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let ok = matches!(
        Tree(l).get("security.sudo.extraConfig"),
        Some(Nix::Str(s)) if s.contains("log_input") && s.contains("log_output")
    );
    Check::default()
        .require(ok, "security.sudo.extraConfig", "sudo does not record sessions")
        .done()
}
