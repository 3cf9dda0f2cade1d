//! The `plan` verb: two estates → what changes, per profile, at the level of the
//! definition (packages, capabilities, settings with provenance, outputs), the
//! branding, the rule results, and the generated Nix as a text diff.

pub mod closure;
pub mod format;
mod nix_diff;

use nix_diff::nix_diff;

use crate::model::{Estate, Origin, Profile};
use crate::setting::SettingValue;
use crate::validate::{Finding, Status, ValidateOptions, validate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The version of the JSON plan format (`schema/plan.schema.json`).
pub const PLAN_SCHEMA: &str = "nhos-plan/1";

/// Options for [`plan`].
#[derive(Debug, Clone, Copy)]
pub struct PlanOptions {
    /// The day both sides' rule results are judged on.
    pub today: crate::Date,
    /// Compare rule results (validates both sides).
    pub findings: bool,
    /// Add the text diff of the generated Nix (generates both sides).
    pub nix_diff: bool,
}

impl PlanOptions {
    /// What every front end asks for: rule results compared, and the generated Nix
    /// diffed when `nix_diff`.
    pub fn new(today: crate::Date, nix_diff: bool) -> Self {
        PlanOptions {
            today,
            findings: true,
            nix_diff,
        }
    }
}

/// Where a value came from, for people: `file:line:column` and who set it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    pub at: String,
    pub via: String,
}

impl Source {
    fn of(o: &Origin) -> Self {
        let via = match &o.via {
            crate::model::Via::Profile { profile } => format!("profile {profile}"),
            crate::model::Via::Capability {
                capability,
                version,
                profile,
            } => {
                format!("capability {capability} {version} (added by {profile})")
            }
            crate::model::Via::Branding => "branding".into(),
            crate::model::Via::Policy => "policy".into(),
            crate::model::Via::Default => "default".into(),
        };
        Source {
            at: o.location.to_string(),
            via,
        }
    }
}

/// An item added or removed, with where it comes from (on the side that has it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Item {
    pub name: String,
    pub source: Source,
}

/// A value on one side of a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Side {
    /// The value, as written in TOML terms.
    pub value: String,
    pub source: Source,
}

/// A changed value: `old` is absent when it is new, `new` absent when removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<Side>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Side>,
}

/// What changes in one profile present on both sides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProfilePlan {
    pub name: String,
    pub packages_added: Vec<Item>,
    pub packages_removed: Vec<Item>,
    pub capabilities_added: Vec<Item>,
    pub capabilities_removed: Vec<Item>,
    /// Capabilities on both sides whose version changed.
    pub capabilities_changed: Vec<Change>,
    pub settings: Vec<Change>,
    pub outputs_added: Vec<String>,
    pub outputs_removed: Vec<String>,
}

impl ProfilePlan {
    pub fn is_empty(&self) -> bool {
        self.packages_added.is_empty()
            && self.packages_removed.is_empty()
            && self.capabilities_added.is_empty()
            && self.capabilities_removed.is_empty()
            && self.capabilities_changed.is_empty()
            && self.settings.is_empty()
            && self.outputs_added.is_empty()
            && self.outputs_removed.is_empty()
    }

    fn invert(&self) -> ProfilePlan {
        ProfilePlan {
            name: self.name.clone(),
            packages_added: self.packages_removed.clone(),
            packages_removed: self.packages_added.clone(),
            capabilities_added: self.capabilities_removed.clone(),
            capabilities_removed: self.capabilities_added.clone(),
            capabilities_changed: self
                .capabilities_changed
                .iter()
                .map(Change::invert)
                .collect(),
            settings: self.settings.iter().map(Change::invert).collect(),
            outputs_added: self.outputs_removed.clone(),
            outputs_removed: self.outputs_added.clone(),
        }
    }
}

impl Change {
    fn invert(&self) -> Change {
        Change {
            key: self.key.clone(),
            old: self.new.clone(),
            new: self.old.clone(),
        }
    }
}

/// The text diff of one generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileDiff {
    pub path: String,
    /// Unified diff (empty for binary files, which are only named).
    pub unified: String,
}

/// Counts, for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PlanSummary {
    pub profiles_changed: usize,
    pub profiles_added: usize,
    pub profiles_removed: usize,
    pub packages_added: usize,
    pub packages_removed: usize,
    pub settings_changed: usize,
    pub branding_changed: usize,
    pub findings_new: usize,
    pub findings_fixed: usize,
    pub files_changed: usize,
}

/// A plan: everything that changes from `old` to `new`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Plan {
    /// Always "nhos-plan/1".
    pub schema: String,
    pub organisation: String,
    pub profiles_added: Vec<String>,
    pub profiles_removed: Vec<String>,
    pub profiles: Vec<ProfilePlan>,
    pub branding: Vec<Change>,
    /// Open findings in `new` that `old` does not have.
    pub findings_new: Vec<Finding>,
    /// Open findings in `old` that `new` no longer has.
    pub findings_fixed: Vec<Finding>,
    pub nix_diff: Vec<FileDiff>,
    pub summary: PlanSummary,
    /// What the change did to one profile's built system, when both builds were
    /// given (`--closure`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<closure::ClosureImpact>,
}

impl Plan {
    /// No change at all.
    pub fn is_empty(&self) -> bool {
        self.profiles_added.is_empty()
            && self.profiles_removed.is_empty()
            && self.profiles.is_empty()
            && self.branding.is_empty()
            && self.findings_new.is_empty()
            && self.findings_fixed.is_empty()
            && self.nix_diff.is_empty()
    }

    /// The plan of the opposite change (new → old), without its Nix diff.
    pub fn invert(&self) -> Plan {
        let mut p = Plan {
            schema: self.schema.clone(),
            organisation: self.organisation.clone(),
            profiles_added: self.profiles_removed.clone(),
            profiles_removed: self.profiles_added.clone(),
            profiles: self.profiles.iter().map(ProfilePlan::invert).collect(),
            branding: self.branding.iter().map(Change::invert).collect(),
            findings_new: self.findings_fixed.clone(),
            findings_fixed: self.findings_new.clone(),
            nix_diff: Vec::new(),
            summary: PlanSummary::default(),
            closure: None,
        };
        p.summary = summarize(&p);
        p
    }
}

fn items<'a, V>(
    names: impl Iterator<Item = &'a String>,
    map: &BTreeMap<String, V>,
    origin: impl Fn(&V) -> &Origin,
) -> Vec<Item> {
    names
        .map(|n| Item {
            name: n.clone(),
            source: Source::of(origin(&map[n])),
        })
        .collect()
}

fn diff_keys<'a, V>(
    a: &'a BTreeMap<String, V>,
    b: &'a BTreeMap<String, V>,
) -> (Vec<&'a String>, Vec<&'a String>) {
    let added = b.keys().filter(|k| !a.contains_key(*k)).collect();
    let removed = a.keys().filter(|k| !b.contains_key(*k)).collect();
    (added, removed)
}

fn side(v: &SettingValue, o: &Origin) -> Side {
    Side {
        value: v.to_string(),
        source: Source::of(o),
    }
}

fn profile_plan(a: &Profile, b: &Profile) -> ProfilePlan {
    let mut p = ProfilePlan {
        name: a.name.clone(),
        ..ProfilePlan::default()
    };
    let (added, removed) = diff_keys(&a.packages, &b.packages);
    p.packages_added = items(added.into_iter(), &b.packages, |o| o);
    p.packages_removed = items(removed.into_iter(), &a.packages, |o| o);
    let (added, removed) = diff_keys(&a.capabilities, &b.capabilities);
    p.capabilities_added = items(added.into_iter(), &b.capabilities, |u| &u.origin);
    p.capabilities_removed = items(removed.into_iter(), &a.capabilities, |u| &u.origin);
    for (name, ua) in &a.capabilities {
        if let Some(ub) = b.capabilities.get(name)
            && ua.version != ub.version
        {
            p.capabilities_changed.push(Change {
                key: name.clone(),
                old: Some(Side {
                    value: ua.version.clone(),
                    source: Source::of(&ua.origin),
                }),
                new: Some(Side {
                    value: ub.version.clone(),
                    source: Source::of(&ub.origin),
                }),
            });
        }
    }
    let keys: BTreeSet<&String> = a.settings.keys().chain(b.settings.keys()).collect();
    for k in keys {
        let (sa, sb) = (a.settings.get(k), b.settings.get(k));
        if sa.map(|s| &s.value) != sb.map(|s| &s.value) {
            p.settings.push(Change {
                key: k.clone(),
                old: sa.map(|s| side(&s.value, &s.origin)),
                new: sb.map(|s| side(&s.value, &s.origin)),
            });
        }
    }
    p.outputs_added = b
        .outputs
        .keys()
        .filter(|f| !a.outputs.contains_key(*f))
        .map(|f| f.as_str().to_owned())
        .collect();
    p.outputs_removed = a
        .outputs
        .keys()
        .filter(|f| !b.outputs.contains_key(*f))
        .map(|f| f.as_str().to_owned())
        .collect();
    p
}

fn branding(a: &Estate, b: &Estate) -> Vec<Change> {
    let fields = |e: &Estate| -> BTreeMap<String, (String, Origin)> {
        let br = &e.branding;
        let mut m = BTreeMap::new();
        for (k, v) in [
            ("os-name", &br.os_name),
            ("os-id", &br.os_id),
            ("vendor", &br.vendor),
            ("iso-volume-id", &br.iso_volume_id),
            ("image-base-name", &br.image_base_name),
            ("font-sans", &br.font_sans),
        ] {
            m.insert(k.to_owned(), (format!("{:?}", v.value), v.origin.clone()));
        }
        if let Some(l) = &br.login_banner {
            m.insert(
                "login-banner".into(),
                (format!("{:?}", l.value), l.origin.clone()),
            );
        }
        for (k, v) in &br.colours {
            m.insert(format!("colours.{k}"), (v.value.clone(), v.origin.clone()));
        }
        for (k, a) in &br.assets {
            let origin = Origin::new(crate::model::Via::Branding, a.location.clone());
            m.insert(
                format!("assets.{k}"),
                (format!("{} (sha256 {})", a.path, &a.sha256[..12]), origin),
            );
        }
        m
    };
    let (fa, fb) = (fields(a), fields(b));
    let keys: BTreeSet<&String> = fa.keys().chain(fb.keys()).collect();
    keys.into_iter()
        .filter(|k| fa.get(*k).map(|v| &v.0) != fb.get(*k).map(|v| &v.0))
        .map(|k| Change {
            key: k.clone(),
            old: fa.get(k).map(|(v, o)| Side {
                value: v.clone(),
                source: Source::of(o),
            }),
            new: fb.get(k).map(|(v, o)| Side {
                value: v.clone(),
                source: Source::of(o),
            }),
        })
        .collect()
}

fn open_by_fingerprint(fs: &[Finding]) -> BTreeMap<(&str, &str), &Finding> {
    fs.iter()
        .filter(|f| f.status == Status::Open)
        .map(|f| ((f.fingerprint.as_str(), f.message.as_str()), f))
        .collect()
}

fn summarize(p: &Plan) -> PlanSummary {
    PlanSummary {
        profiles_changed: p.profiles.len(),
        profiles_added: p.profiles_added.len(),
        profiles_removed: p.profiles_removed.len(),
        packages_added: p.profiles.iter().map(|x| x.packages_added.len()).sum(),
        packages_removed: p.profiles.iter().map(|x| x.packages_removed.len()).sum(),
        settings_changed: p.profiles.iter().map(|x| x.settings.len()).sum(),
        branding_changed: p.branding.len(),
        findings_new: p.findings_new.len(),
        findings_fixed: p.findings_fixed.len(),
        files_changed: p.nix_diff.len(),
    }
}

/// Plans the change from `old` to `new`.
pub fn plan(old: &Estate, new: &Estate, opts: &PlanOptions) -> Plan {
    let profiles_added = new
        .profiles
        .keys()
        .filter(|k| !old.profiles.contains_key(*k))
        .cloned()
        .collect();
    let profiles_removed = old
        .profiles
        .keys()
        .filter(|k| !new.profiles.contains_key(*k))
        .cloned()
        .collect();
    let profiles = old
        .profiles
        .iter()
        .filter_map(|(n, a)| new.profiles.get(n).map(|b| profile_plan(a, b)))
        .filter(|p| !p.is_empty())
        .collect();
    let (findings_new, findings_fixed) = if opts.findings {
        let vo = ValidateOptions { today: opts.today };
        let (ra, rb) = (validate(old, &vo), validate(new, &vo));
        let (fa, fb) = (
            open_by_fingerprint(&ra.findings),
            open_by_fingerprint(&rb.findings),
        );
        (
            fb.iter()
                .filter(|(k, _)| !fa.contains_key(*k))
                .map(|(_, f)| (*f).clone())
                .collect(),
            fa.iter()
                .filter(|(k, _)| !fb.contains_key(*k))
                .map(|(_, f)| (*f).clone())
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let mut p = Plan {
        schema: PLAN_SCHEMA.to_owned(),
        organisation: new.organisation.name.clone(),
        profiles_added,
        profiles_removed,
        profiles,
        branding: branding(old, new),
        findings_new,
        findings_fixed,
        nix_diff: if opts.nix_diff {
            nix_diff(old, new, opts.today)
        } else {
            Vec::new()
        },
        summary: PlanSummary::default(),
        closure: None,
    };
    p.summary = summarize(&p);
    p
}

#[cfg(test)]
mod tests {
    use super::nix_diff::meaningful_diff;

    #[test]
    fn comment_only_hunks_are_left_out() {
        let old = "{\n  # set at a.toml:3:5\n  x = 1;\n  # set at a.toml:9:5\n  y = 2;\n}\n";
        let moved = "{\n  # set at a.toml:4:5\n  x = 1;\n  # set at a.toml:10:5\n  y = 2;\n}\n";
        assert_eq!(meaningful_diff("f.nix", old, moved), None);
        let changed = "{\n  # set at a.toml:4:5\n  x = 1;\n  # set at a.toml:10:5\n  y = 3;\n}\n";
        let d = meaningful_diff("f.nix", old, changed).expect("a real change");
        assert!(d.starts_with("--- a/f.nix\n+++ b/f.nix\n@@"), "{d}");
        assert!(
            d.contains("\n-  y = 2;\n") && d.contains("\n+  y = 3;\n"),
            "{d}"
        );
    }
}
