//! R30: Clock synchronised.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R30, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "time.sync", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    c.require_true(t, "services.timesyncd.enable", "the clock is not synchronised");
    if let Some(servers) = cx.p.setting("time.servers").and_then(|v| v.as_list()) {
        c.require(
            t.get("services.timesyncd.servers")
                == Some(&Nix::List(servers.iter().map(Nix::str).collect())),
            "services.timesyncd.servers",
            "the clock does not use the definition's servers",
        );
    }
    c.done()
}
