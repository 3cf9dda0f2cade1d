//! R34: Browser extensions only from an allow-list.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R34, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    if (cx.has("browser") || cx.has("browser-chromium")) && cx.p.setting("browser.extensions").is_none() {
        j.fail(
            "browser.extensions",
            None,
            "the browser accepts any extension: set `browser.extensions` to the allowed IDs ([] allows none)".into(),
            cx.origin("browser.extensions"),
        );
    }
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    let mut any = false;
    if cx.has("browser") {
        any = true;
        c.require(
            t.attr("programs.firefox.policies", "ExtensionSettings.*.installation_mode")
                == Some(&Nix::str("blocked")),
            "programs.firefox.policies",
            "Firefox does not block extensions outside the allow-list",
        );
    }
    if cx.has("browser-chromium") {
        any = true;
        c.require(
            t.attr("programs.chromium.extraOpts", "ExtensionInstallBlocklist")
                == Some(&Nix::List(vec![Nix::str("*")])),
            "programs.chromium.extraOpts",
            "Chromium does not block extensions outside the allow-list",
        );
    }
    if any { c.done() } else { Enforcement::NotApplicable }
}
