//! The checks of the rule pack, on the resolved definition.

use super::colour::{NHS_PALETTE, contrast_ratio, nearest_palette};
use super::{Sink, ValidateOptions, days};
use crate::definition::{Date, Role};
use crate::diagnostic::Severity;
use crate::model::{Estate, Origin, Profile};
use crate::rules::{Applies, Rule, rule};
use crate::setting::SettingValue;
use crate::source::Location;

fn r(id: &str) -> &'static Rule {
    rule(id).unwrap_or_else(|| unreachable!("rule {id} is in the table"))
}

/// The end of support of a NixOS release: the end of the month seven months after
/// it (26.05 → 2026-12-31), as NixOS supports a release until a month after the next.
pub(crate) fn end_of_support(release: &str) -> Option<Date> {
    let (y, m) = release.split_once('.')?;
    let (y, m): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
    let total = u32::from(m) + 7;
    let (year, month) = (
        2000 + y + ((total - 1) / 12) as u16,
        ((total - 1) % 12 + 1) as u8,
    );
    (28..=31).rev().find_map(|d| Date::new(year, month, d))
}

pub(super) fn estate(e: &Estate, opts: &ValidateOptions, sink: &mut Sink) {
    let at_release = Some(e.nixpkgs.location.clone());
    let rule1 = r("R1");
    sink.check(None, rule1);
    match end_of_support(&e.nixpkgs.release) {
        Some(eol) => {
            let left = days(eol) - days(opts.today);
            if left < 0 {
                sink.push(
                    rule1,
                    Severity::Error,
                    None,
                    "nixpkgs.release",
                    format!(
                        "NixOS {} reached end of support on {eol}",
                        e.nixpkgs.release
                    ),
                    at_release,
                );
            } else if left <= 30 {
                sink.push(
                    rule1,
                    Severity::Warning,
                    None,
                    "nixpkgs.release",
                    format!(
                        "NixOS {} reaches end of support on {eol} ({left} days)",
                        e.nixpkgs.release
                    ),
                    at_release,
                );
            }
        }
        None => sink.push(
            rule1,
            Severity::Error,
            None,
            "nixpkgs.release",
            format!("cannot tell the support period of {:?}", e.nixpkgs.release),
            at_release,
        ),
    }

    let b = &e.branding;
    sink.check(None, r("B1"));
    let vol = &b.iso_volume_id;
    if vol.value.chars().count() > 32 || vol.value.is_empty() {
        sink.push(
            r("B1"),
            Severity::Error,
            None,
            "branding.iso-volume-id",
            format!(
                "ISO volume ID {:?} has {} characters; the limit is 32",
                vol.value,
                vol.value.chars().count()
            ),
            Sink::at(Some(&vol.origin)),
        );
    }
    sink.check(None, r("B2"));
    for (role, c) in &b.colours {
        if !NHS_PALETTE
            .iter()
            .any(|(_, h)| h.eq_ignore_ascii_case(&c.value))
        {
            let near = nearest_palette(&c.value)
                .map(|(n, h)| format!("; the nearest is {n} {h}"))
                .unwrap_or_default();
            sink.push(
                r("B2"),
                Severity::Warning,
                None,
                &format!("branding.colours.{role}"),
                format!(
                    "colour `{role}` {} is not in the NHS palette{near}",
                    c.value
                ),
                Sink::at(Some(&c.origin)),
            );
        }
    }
    sink.check(None, r("B3"));
    if let (Some(fg), Some(bg)) = (
        b.colours.get("banner-text"),
        b.colours.get("banner-background"),
    ) {
        if let Some(ratio) = contrast_ratio(&fg.value, &bg.value) {
            if ratio < 4.5 {
                sink.push(
                    r("B3"),
                    Severity::Error,
                    None,
                    "branding.colours.banner-text",
                    format!(
                        "login banner text {} on {} has contrast {ratio:.2}:1; WCAG AA needs 4.5:1",
                        fg.value, bg.value
                    ),
                    Sink::at(Some(&fg.origin)),
                );
            }
        }
    }
    sink.check(None, r("B4"));
    if !e.organisation.nhs_identity {
        for (field, v) in [
            ("os-name", &b.os_name),
            ("os-id", &b.os_id),
            ("iso-volume-id", &b.iso_volume_id),
            ("image-base-name", &b.image_base_name),
        ] {
            if contains_nhs(&v.value) {
                sink.push(r("B4"), Severity::Error, None, &format!("branding.{field}"), format!("`{field}` {:?} uses \"NHS\", but the organisation does not declare the NHS identity", v.value), Sink::at(Some(&v.origin)));
            }
        }
    }
    sink.check(None, r("B5"));
    for (role, a) in &e.branding.assets {
        if role.starts_with("wallpaper") {
            if let (Some(w), Some(h)) = (a.width, a.height) {
                if w < 1280 || h < 720 {
                    sink.push(
                        r("B5"),
                        Severity::Warning,
                        None,
                        &format!("asset:{role}"),
                        format!("wallpaper `{}` is {w}×{h}; use at least 1280×720", a.path),
                        Some(a.location.clone()),
                    );
                }
            }
        }
    }
}

/// "NHS" as a word or word part in any case (NHSbuntu, NHoS count; "sunshine" not).
fn contains_nhs(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.match_indices("nhs").any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        !before.is_some_and(|c| c.is_ascii_alphabetic())
    }) || lower.contains("nhos")
}

struct P<'a> {
    p: &'a Profile,
    e: &'a Estate,
    role: Role,
}

impl<'a> P<'a> {
    fn name(&self) -> Option<&'a str> {
        Some(self.p.name.as_str())
    }
    fn origin(&self, key: &str) -> Option<Location> {
        self.p
            .settings
            .get(key)
            .map(|s| s.origin.location.clone())
            .or_else(|| Some(self.file_top()))
    }
    fn file_top(&self) -> Location {
        Location {
            line: 1,
            column: 1,
            span: (0, 0),
            ..Location::file(self.p.file.clone())
        }
    }
    /// A rule parameter: the profile's own tightening, else the estate's, else the
    /// baseline default.
    fn param(&self, key: &str, default: i64) -> (i64, Option<Origin>) {
        if let Some(s) = self.p.settings.get(key) {
            if let SettingValue::Int(i) = s.value {
                return (i, Some(s.origin.clone()));
            }
        }
        if let Some(v) = self.e.policy.parameters.get(key) {
            if let SettingValue::Int(i) = v.value {
                return (i, Some(v.origin.clone()));
            }
        }
        (default, None)
    }
}

pub(super) fn profile(e: &Estate, p: &Profile, sink: &mut Sink) {
    let Some(role) = p.role else { return };
    let cx = P { p, e, role };
    let name = cx.name();
    for rule in crate::rules::RULES
        .iter()
        .filter(|r| r.id.starts_with('R') && r.id != "R1")
    {
        let applies = rule.applies_to(role);
        if applies == Applies::No {
            continue;
        }
        sink.check(name, rule);
        let severity = if applies == Applies::Advisory {
            Severity::Warning
        } else {
            rule.severity
        };
        // Parameters loosened beyond the baseline.
        for param in rule.parameters {
            let (v, origin) = cx.param(param.key, param.default);
            let looser = if param.larger_is_looser {
                v > param.default
            } else {
                v < param.default
            };
            if looser {
                sink.push(
                    rule,
                    severity,
                    name,
                    param.key,
                    format!(
                        "`{}` = {v} is looser than the baseline {}; loosening needs a waiver",
                        param.key, param.default
                    ),
                    Sink::at(origin.as_ref()),
                );
            }
        }
        check_rule(&cx, rule, severity, sink);
    }
    sink.check(name, r("C1"));
    for (cname, use_) in &p.capabilities {
        if let Some(notice) = crate::catalogue::Catalogue::builtin()
            .capabilities
            .get(cname)
            .and_then(|c| c.notice.as_ref())
        {
            sink.push(
                r("C1"),
                Severity::Warning,
                name,
                &format!("capability:{cname}"),
                format!("capability `{cname}`: {notice}"),
                Some(use_.origin.location.clone()),
            );
        }
    }
}

fn want_bool(
    cx: &P<'_>,
    rule: &'static Rule,
    severity: Severity,
    key: &str,
    want: bool,
    sink: &mut Sink,
) {
    match cx.p.bool(key) {
        Some(v) if v == want => {}
        Some(v) => sink.push(
            rule,
            severity,
            cx.name(),
            key,
            format!("`{key}` is {v}; it must be {want}"),
            cx.origin(key),
        ),
        None => sink.push(
            rule,
            severity,
            cx.name(),
            key,
            format!("`{key}` is not set; it must be {want}"),
            cx.origin(key),
        ),
    }
}

fn check_rule(cx: &P<'_>, rule: &'static Rule, sev: Severity, sink: &mut Sink) {
    let p = cx.p;
    let name = cx.name();
    match rule.id {
        "R2" if cx.role == Role::Dr => match p.int("live.max-image-age-days") {
            Some(d) if d <= 31 => {}
            Some(d) => sink.push(
                rule,
                sev,
                name,
                "live.max-image-age-days",
                format!("live images may be {d} days old; the limit is 31"),
                cx.origin("live.max-image-age-days"),
            ),
            None => sink.push(
                rule,
                sev,
                name,
                "live.max-image-age-days",
                "a live image needs `live.max-image-age-days` (at most 31): it cannot patch itself"
                    .into(),
                cx.origin("live.max-image-age-days"),
            ),
        },
        "R3" => want_bool(cx, rule, sev, "updates.automatic", true, sink),
        "R4" => {
            let key = "disk.encryption";
            let ok: &[&str] = match cx.role {
                Role::Clinical => &["required"],
                Role::Analyst => &["required", "hypervisor"],
                _ => &["required", "hypervisor"],
            };
            match p.str(key) {
                Some(v) if ok.contains(&v) => {}
                Some("recommended") if cx.role != Role::Clinical => sink.push(rule, Severity::Warning, name, key, "full-disk encryption is left to a decision by risk; record the decision as a waiver".into(), cx.origin(key)),
                Some(v) => sink.push(rule, sev, name, key, format!("`{key}` is {v:?}; this role needs {}", ok.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(" or ")), cx.origin(key)),
                None => sink.push(rule, sev, name, key, format!("`{key}` is not set"), cx.origin(key)),
            }
        }
        "R5" => {
            let (limit, _) = cx.param("policy.idle-lock-max-seconds", 600);
            let key = "screen.idle-delay";
            match p.int(key) {
                Some(0) => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is 0: the screen never locks"),
                    cx.origin(key),
                ),
                Some(v) if v > limit => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is {v} s; the limit is {limit} s"),
                    cx.origin(key),
                ),
                Some(_) => {}
                None => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is not set; the limit is {limit} s"),
                    cx.origin(key),
                ),
            }
            want_bool(cx, rule, sev, "screen.lock-enabled", true, sink);
        }
        "R6" => want_bool(cx, rule, sev, "login.hide-user-list", true, sink),
        "R7" => want_bool(cx, rule, sev, "users.standard-users-admin", false, sink),
        "R8" => want_bool(cx, rule, sev, "users.su-restricted", true, sink),
        "R9" => want_bool(cx, rule, sev, "firewall.enable", true, sink),
        "R10" => {
            let (limit, _) = cx.param("policy.max-failed-logins", 10);
            let key = "login.max-failed-attempts";
            match p.int(key) {
                Some(v) if (1..=limit).contains(&v) => {}
                Some(v) => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is {v}; it must be between 1 and {limit}"),
                    cx.origin(key),
                ),
                None => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is not set; lock after at most {limit} failures"),
                    cx.origin(key),
                ),
            }
        }
        "R11" => {
            let (limit, _) = cx.param("policy.min-password-length", 12);
            let key = "password.min-length";
            match p.int(key) {
                Some(v) if v >= limit => {}
                Some(v) => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is {v}; it must be at least {limit}"),
                    cx.origin(key),
                ),
                None => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is not set; it must be at least {limit}"),
                    cx.origin(key),
                ),
            }
        }
        "R12" => {
            want_bool(cx, rule, sev, "boot.loader-locked", true, sink);
            want_bool(cx, rule, sev, "boot.module-signatures", true, sink);
        }
        "R13" => want_bool(cx, rule, sev, "hardening.tmp-noexec", true, sink),
        "R14" => want_bool(cx, rule, sev, "hardening.apparmor", true, sink),
        "R15" => want_bool(cx, rule, sev, "hardening.audit", true, sink),
        "R16" => want_bool(cx, rule, sev, "hardening.telemetry-off", true, sink),
        "R17" => want_bool(cx, rule, sev, "hardening.private-homes", true, sink),
        "R18" => {
            let key = "media.usb-storage";
            let ok: &[&str] = if cx.role == Role::Admin {
                &["blocked", "lockscreen"]
            } else {
                &["blocked"]
            };
            match p.str(key) {
                Some(v) if ok.contains(&v) => {}
                Some(v) => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!(
                        "`{key}` is {v:?}; this role needs {}",
                        ok.iter()
                            .map(|o| format!("{o:?}"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                    cx.origin(key),
                ),
                None => sink.push(
                    rule,
                    sev,
                    name,
                    key,
                    format!("`{key}` is not set"),
                    cx.origin(key),
                ),
            }
            want_bool(cx, rule, sev, "media.automount", false, sink);
            want_bool(cx, rule, sev, "media.autorun", false, sink);
        }
        "R19" => want_bool(cx, rule, sev, "software.user-install", false, sink),
        "R20" if p.str("software.malware-method").is_none() => {
            sink.push(
                rule,
                sev,
                name,
                "software.malware-method",
                "no anti-malware method is declared".into(),
                cx.origin("software.malware-method"),
            );
        }
        "R21" => {
            if !p.has_capability("vpn") {
                sink.push(
                    rule,
                    sev,
                    name,
                    "capability:vpn",
                    "the `vpn` capability is missing".into(),
                    Some(cx.file_top()),
                );
            }
            want_bool(cx, rule, sev, "vpn.always-on", true, sink);
            if p.str("vpn.gateway").is_none() {
                sink.push(
                    rule,
                    sev,
                    name,
                    "vpn.gateway",
                    "`vpn.gateway` is not set".into(),
                    cx.origin("vpn.gateway"),
                );
            }
        }
        "R22" => {
            let how = if p.bool("inventory.export") == Some(true) {
                "the profile exports its inventory"
            } else {
                "`inventory.export` is not on"
            };
            sink.push(
                rule,
                Severity::Info,
                name,
                "inventory",
                format!("check each device is in the asset register ({how})"),
                cx.origin("inventory.export"),
            );
        }
        "R23" if (p.has_capability("nhsmail") || p.has_capability("nhsmail-evolution")) => {
            want_bool(cx, rule, sev, "auth.cloud-mfa", true, sink);
        }
        "R24" => {
            let key = "auth.spine-route";
            match p.str(key) {
                Some("cis2-web") if !p.has_capability("fido2") => sink.push(rule, sev, name, key, "CIS2 web access needs the `fido2` capability (approved authenticators)".into(), cx.origin(key)),
                Some("windows-rds") if !p.has_capability("remote-desktop") => sink.push(rule, sev, name, key, "the Windows/RDS route needs the `remote-desktop` capability".into(), cx.origin(key)),
                Some("cis2-web" | "windows-rds") => {}
                Some(v) => sink.push(rule, sev, name, key, format!("`{key}` is {v:?}: this role reaches Spine, so declare \"cis2-web\" or \"windows-rds\""), cx.origin(key)),
                None => sink.push(rule, sev, name, key, format!("`{key}` is not set"), cx.origin(key)),
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_ends_seven_months_after_release() {
        assert_eq!(end_of_support("26.05"), Date::new(2026, 12, 31));
        assert_eq!(end_of_support("25.11"), Date::new(2026, 6, 30));
        assert_eq!(end_of_support("26.11"), Date::new(2027, 6, 30));
    }

    #[test]
    fn nhs_in_names() {
        assert!(contains_nhs("NHS Desktop"));
        assert!(contains_nhs("NHSbuntu"));
        assert!(contains_nhs("my-nhs-os"));
        assert!(contains_nhs("NHoS"));
        assert!(!contains_nhs("Valley Desktop"));
        assert!(!contains_nhs("sunhsine"));
    }
}
