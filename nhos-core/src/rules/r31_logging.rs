//! R31: Logs kept and forwarded.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R31, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "logging.persistent", true);
    if cx.str("logging.forward-url").is_none() {
        j.fail(
            "logging.forward-url",
            None,
            "logs stay on the device: set `logging.forward-url` to the trust's journal collector".into(),
            cx.origin("logging.forward-url"),
        );
    }
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    if cx.layout() == Some("live") {
        if cx.str("logging.forward-url").is_none() {
            return Enforcement::NotEnforced("a live stick keeps no logs across reboots".into());
        }
        return match Check::default()
            .require_true(t, "services.journald.upload.enable", "the journal is not forwarded")
            .done()
        {
            Enforcement::Enforced => Enforcement::NotEnforced(
                "a live stick keeps no logs across reboots; they survive only in the trust's collector".into(),
            ),
            broken => broken,
        };
    }
    let mut c = Check::default();
    c.require(
        t.is("services.journald.storage", &Nix::str("persistent")),
        "services.journald.storage",
        "the journal is not kept on disk",
    );
    if cx.str("logging.forward-url").is_some() {
        c.require_true(t, "services.journald.upload.enable", "the journal is not forwarded");
    }
    c.done()
}
