//! R16: Telemetry and error reporting off.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R16, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "hardening.telemetry-off", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    c.require(
        t.is("services.geoclue2.enable", &Nix::Bool(false)),
        "services.geoclue2.enable",
        "location services are not off",
    );
    if cx.has("desktop") {
        c.require(
            t.is("services.gnome.gnome-online-accounts.enable", &Nix::Bool(false)),
            "services.gnome.gnome-online-accounts.enable",
            "GNOME online accounts are not off",
        )
        .require(
            t.dconf_locked("user", "org/gnome/system/location", "enabled") == Some(&Nix::Bool(false)),
            "location",
            "GNOME's location setting is not off and locked",
        )
        .require(
            t.dconf_locked("user", "org/gnome/desktop/privacy", "report-technical-problems")
                == Some(&Nix::Bool(false)),
            "report-technical-problems",
            "GNOME's problem reporting is not off and locked",
        );
    }
    if cx.has("browser") {
        c.require(
            t.attr("programs.firefox.policies", "DisableTelemetry") == Some(&Nix::Bool(true)),
            "programs.firefox.policies",
            "Firefox telemetry is not off",
        );
    }
    if cx.has("browser-chromium") {
        c.require(
            t.attr("programs.chromium.extraOpts", "MetricsReportingEnabled") == Some(&Nix::Bool(false)),
            "programs.chromium.extraOpts",
            "Chromium metrics reporting is not off",
        );
    }
    c.done()
}
