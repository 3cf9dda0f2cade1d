//! R24: Spine access route declared.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R24, judge, Some(enforce));

const KEY: &str = "auth.spine-route";

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    match cx.str(KEY) {
        Some("cis2-web") if !cx.has("fido2") => j.fail(
            KEY,
            Some("cis2-web".into()),
            "CIS2 web access needs the `fido2` capability (approved authenticators)".into(),
            cx.origin(KEY),
        ),
        Some("windows-rds") if !cx.has("remote-desktop") => j.fail(
            KEY,
            Some("windows-rds".into()),
            "the Windows/RDS route needs the `remote-desktop` capability".into(),
            cx.origin(KEY),
        ),
        Some("cis2-web" | "windows-rds") => {}
        Some(v) => j.fail(
            KEY,
            Some(v.to_owned()),
            format!("`{KEY}` is {v:?}: this role reaches Spine, so declare \"cis2-web\" or \"windows-rds\""),
            cx.origin(KEY),
        ),
        None => j.fail(KEY, None, format!("`{KEY}` is not set"), cx.origin(KEY)),
    }
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let needs = match cx.str(KEY) {
        Some("cis2-web") => "libfido2",
        Some("windows-rds") => "freerdp",
        _ => return Enforcement::NotApplicable,
    };
    let installed = matches!(
        Tree(l).get("environment.systemPackages"),
        Some(Nix::List(items)) if items.iter().any(|i| matches!(i, Nix::Commented(p, _) if **p == Nix::Pkg(needs.into())) || *i == Nix::Pkg(needs.into()))
    );
    Check::default()
        .require(installed, "environment.systemPackages", format!("`{needs}` is not installed"))
        .done()
}
