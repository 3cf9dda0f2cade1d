//! The built-in rule pack `nhs-desktop-baseline`. Each rule is one unit, in two
//! files of the same name: `<unit>.toml` holds its metadata (title, severity,
//! rationale, remediation, references, parameters, where it applies) and `<unit>.rs`
//! its judgement on the resolved definition and its enforcement: the options of the generated configuration that make it true on
//! the device, checked on the lowered option tree. A rule the generated system
//! cannot make true for a profile says so ("declared, not enforced"), never "pass".
//! `UNITS` is the one table that registers them.

use crate::definition::Role;
use crate::diagnostic::Severity;
use serde::Serialize;

/// References of a rule to the guidance it serves.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct References {
    pub ncsc: &'static str,
    pub cyber_essentials: &'static str,
    pub cis: &'static str,
    pub dspt: &'static str,
}

/// A rule parameter with its baseline default. Estates and profiles may tighten it;
/// loosening beyond the default needs a waiver.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Parameter {
    /// The `policy.*` setting key.
    pub key: &'static str,
    pub default: i64,
    /// `true` when larger values are looser (e.g. a longer idle delay).
    pub larger_is_looser: bool,
}

/// Whether and how strictly a rule applies to a role (nhos-domain.md §7.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applies {
    Yes,
    /// Applies, but a violation is only a warning (decided by risk).
    Advisory,
    No,
}

/// How a rule is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judged {
    /// From the definition (and again on the generated option tree where it maps).
    Definition,
    /// Cannot be judged from a definition: reported as manual with guidance.
    Manual,
    /// On the built system (its closure against an advisory feed, `nhos vulns`),
    /// not from the definition: `nhos validate` leaves it out rather than pass it.
    Build,
}

/// One rule.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub judged: Judged,
    pub rationale: &'static str,
    pub remediation: &'static str,
    pub references: References,
    pub parameters: &'static [Parameter],
    /// The NixOS options (and dconf keys, as `dconf:<profile>:<dir>/<key>`) of the
    /// generated configuration that enforce the rule; empty when nothing on the
    /// device can (the rule is then reported as declared, not enforced).
    pub enforced_by: &'static [&'static str],
    /// What the enforcement does, in one sentence, for the rule table.
    pub enforcement: &'static str,
    /// Keys a waiver of the rule may accept besides settings (`advisory`).
    pub accepts: &'static [&'static str],
    /// Applicability for admin, clinical, analyst, dr, kiosk, server.
    #[serde(skip)]
    pub(crate) applies: [Applies; 6],
}

impl Rule {
    pub fn applies_to(&self, role: Role) -> Applies {
        self.applies[role as usize]
    }
}

/// The metadata of every rule, one `const` per rule named by its ID, generated at
/// build time from `src/rules/<unit>.toml` (see `build/rules.rs`).
#[allow(clippy::all)]
pub(crate) mod meta {
    use super::{Applies, Judged, Parameter, References, Rule};
    use crate::diagnostic::Severity;
    include!(concat!(env!("OUT_DIR"), "/rule_meta.rs"));
}

pub(crate) mod colour;
mod enforce;
#[cfg(test)]
mod example_x1;
mod judge;
mod prelude;

pub use enforce::Enforcement;
pub(crate) use judge::{EstateCx, Findings, Judgement, ProfileCx};

/// How a unit judges the definition.
#[derive(Clone, Copy)]
pub(crate) enum Judge {
    /// Once per estate.
    Estate(fn(&EstateCx<'_>, &mut Judgement<'_>)),
    /// Once per concrete profile the rule applies to.
    Profile(fn(&ProfileCx<'_>, &mut Judgement<'_>)),
    /// On a profile's built system, matched against advisories (not by `check`).
    Build(fn(&ProfileCx<'_>, &[crate::closure::scan::Match], &mut Judgement<'_>)),
}

/// One rule: metadata, judgement, enforcement.
#[derive(Clone, Copy)]
pub(crate) struct Unit {
    pub rule: &'static Rule,
    pub judge: Judge,
    /// Checks the lowered option tree of a profile whose definition passes the rule.
    pub enforce: Option<Enforce>,
}

/// A unit's enforcement: checks the lowered option tree of a profile.
pub(crate) type Enforce = fn(&ProfileCx<'_>, &crate::generate::lower::Lowered) -> Enforcement;

impl Unit {
    /// A rule judged once per concrete profile it applies to.
    pub const fn profile(
        rule: &'static Rule,
        judge: fn(&ProfileCx<'_>, &mut Judgement<'_>),
        enforce: Option<Enforce>,
    ) -> Unit {
        Unit {
            rule,
            judge: Judge::Profile(judge),
            enforce,
        }
    }

    /// A rule judged once per estate.
    pub const fn estate(
        rule: &'static Rule,
        judge: fn(&EstateCx<'_>, &mut Judgement<'_>),
        enforce: Option<Enforce>,
    ) -> Unit {
        Unit {
            rule,
            judge: Judge::Estate(judge),
            enforce,
        }
    }

    /// A rule judged on a profile's built system.
    pub const fn build(
        rule: &'static Rule,
        judge: fn(&ProfileCx<'_>, &[crate::closure::scan::Match], &mut Judgement<'_>),
    ) -> Unit {
        Unit {
            rule,
            judge: Judge::Build(judge),
            enforce: None,
        }
    }
}

impl std::fmt::Debug for Unit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unit").field("rule", &self.rule.id).finish()
    }
}

macro_rules! pack {
    ($($m:ident),* $(,)?) => {
        $(mod $m;)*
        /// The rule pack, in ID order.
        pub const RULES: &[Rule] = &[$(*$m::UNIT.rule),*];
        /// The rules as units, in ID order: the one table that registers them.
        pub(crate) const UNITS: &[Unit] = &[$($m::UNIT),*];
    };
}

pack! {
    r01_release, r02_patch_window, r03_updates, r04_encryption, r05_screen_lock,
    r06_user_list, r07_standard_users, r08_su, r09_firewall, r10_lockout, r11_passwords,
    r12_boot_integrity, r13_mounts, r14_apparmor, r15_audit, r16_telemetry,
    r17_private_homes, r18_removable_media, r19_software_sources, r20_malware, r21_vpn,
    r22_inventory, r23_mfa, r24_spine, r25_ssh, r26_inbound, r27_kernel,
    r28_unused_modules, r29_bluetooth, r30_time_sync, r31_logging, r32_sudo_logging,
    r33_autologin, r34_browser_extensions, r35_firmware, r36_usb_devices, r37_nix_trust,
    r38_secure_boot, r39_known_vulnerabilities,
    b1_volume_id, b2_palette, b3_contrast, b4_nhs_identity, b5_wallpaper, c1_notices,
}

/// Looks up a rule by ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Every rule ID, in order.
pub fn rule_ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id)
}

/// What the generated configuration does about a rule for one profile: the rule's
/// enforcement applied to an option tree (the profile's own, or one a test broke).
/// None when the rule does not apply to the profile's role or has no enforcement.
pub fn enforcement(
    rule: &Rule,
    estate: &crate::Estate,
    profile: &str,
    tree: &crate::generate::lower::Lowered,
    today: crate::Date,
) -> Option<Enforcement> {
    let unit = UNITS.iter().find(|u| u.rule.id == rule.id)?;
    let p = estate.profiles.get(profile)?;
    let cx = ProfileCx::new(estate, p, today)?;
    if rule.applies_to(cx.role) == Applies::No {
        return None;
    }
    unit.enforce.map(|f| f(&cx, tree))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_in_order() {
        let ids: Vec<&str> = rule_ids().collect();
        let mut sorted = ids.clone();
        sorted.sort_by_key(|id| crate::validate::rule_order(id));
        assert_eq!(ids, sorted);
        let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len());
        for (u, r) in UNITS.iter().zip(RULES) {
            assert_eq!(u.rule.id, r.id);
        }
    }

    #[test]
    fn a_rule_that_nothing_enforces_says_so() {
        for r in RULES {
            assert!(
                !r.enforcement.is_empty(),
                "{} has no enforcement sentence",
                r.id
            );
        }
    }
}
