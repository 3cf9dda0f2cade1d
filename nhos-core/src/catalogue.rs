//! The built-in capability catalogue and the list of known nixpkgs attributes, both
//! kept as data in `nhos-core/catalogue/`.

use crate::definition::setting_spec;
use crate::setting::{SettingKind, SettingValue};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

pub(crate) const CAPABILITIES: &str = include_str!("../catalogue/capabilities.toml");
pub(crate) const PACKAGES: &str = include_str!("../catalogue/packages.toml");

/// A named, versioned building block of a profile.
#[derive(Debug, Clone)]
pub struct Capability {
    pub name: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub packages: Vec<String>,
    /// Implied settings, by dotted key.
    pub settings: BTreeMap<String, SettingValue>,
    pub conflicts: Vec<String>,
    pub requires_one_of: Vec<String>,
    /// A warning shown wherever the capability is used.
    pub notice: Option<Notice>,
    /// The day the service behind the capability ends, if it does.
    pub ends: Option<crate::Date>,
}

/// What is said about a capability whose service ends: before and after the day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub before: String,
    pub after: String,
}

/// How far a package attribute's existence in nixpkgs 26.05 is verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PackageStatus {
    Verified,
    Seen,
    Unverified,
}

/// The catalogue: capabilities and known packages.
#[derive(Debug)]
pub struct Catalogue {
    pub capabilities: BTreeMap<String, Capability>,
    pub packages: BTreeMap<String, PackageStatus>,
    /// GNOME applications removable through `environment.gnome.excludePackages`.
    pub gnome_removable: BTreeSet<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CapabilityData {
    version: String,
    title: String,
    description: String,
    packages: Vec<String>,
    #[serde(default)]
    settings: BTreeMap<String, toml::Value>,
    #[serde(default)]
    conflicts: Vec<String>,
    #[serde(default)]
    requires_one_of: Vec<String>,
    #[serde(default)]
    notice: Option<String>,
    #[serde(default)]
    notice_after: Option<String>,
    #[serde(default)]
    ends: Option<crate::Date>,
}

#[derive(Deserialize)]
struct CapabilitiesData {
    capability: BTreeMap<String, CapabilityData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PackagesData {
    verified: Vec<String>,
    seen: Vec<String>,
    unverified: Vec<String>,
    gnome_removable: Vec<String>,
}

/// Converts a catalogue value into a setting value of the key's kind.
pub(crate) fn setting_from_toml(key: &str, v: &toml::Value) -> Option<SettingValue> {
    let spec = setting_spec(key)?;
    Some(match (spec.kind, v) {
        (SettingKind::Bool, toml::Value::Boolean(b)) => SettingValue::Bool(*b),
        (SettingKind::Int, toml::Value::Integer(i)) => SettingValue::Int(*i),
        (SettingKind::Str, toml::Value::String(s)) => SettingValue::Str(s.clone()),
        (SettingKind::List, toml::Value::Array(a)) => SettingValue::List(
            a.iter()
                .map(|x| x.as_str().map(str::to_owned))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

impl Catalogue {
    /// The built-in catalogue. Parsed once; a test proves it parses.
    pub fn builtin() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| {
            Self::from_texts(CAPABILITIES, PACKAGES)
                .expect("the built-in catalogue is checked by tests")
        })
    }

    /// A catalogue from the texts of `capabilities.toml` and `packages.toml`.
    pub(crate) fn from_texts(capabilities: &str, packages: &str) -> Result<Catalogue, String> {
        let caps: CapabilitiesData = toml::from_str(capabilities).map_err(|e| e.to_string())?;
        let pkgs: PackagesData = toml::from_str(packages).map_err(|e| e.to_string())?;
        let mut capabilities = BTreeMap::new();
        for (name, c) in caps.capability {
            let mut settings = BTreeMap::new();
            for (k, v) in &c.settings {
                let sv = setting_from_toml(k, v)
                    .ok_or_else(|| format!("capability {name}: bad setting {k}"))?;
                settings.insert(k.clone(), sv);
            }
            capabilities.insert(
                name.clone(),
                Capability {
                    name,
                    version: c.version,
                    title: c.title,
                    description: c.description,
                    packages: c.packages,
                    settings,
                    conflicts: c.conflicts,
                    requires_one_of: c.requires_one_of,
                    notice: c.notice.map(|before| Notice {
                        after: c.notice_after.unwrap_or_else(|| before.clone()),
                        before,
                    }),
                    ends: c.ends,
                },
            );
        }
        let mut packages = BTreeMap::new();
        for (list, status) in [
            (pkgs.verified, PackageStatus::Verified),
            (pkgs.seen, PackageStatus::Seen),
            (pkgs.unverified, PackageStatus::Unverified),
        ] {
            for p in list {
                if packages.insert(p.clone(), status).is_some() {
                    return Err(format!("package {p} listed twice"));
                }
            }
        }
        let gnome_removable: BTreeSet<String> = pkgs.gnome_removable.into_iter().collect();
        Ok(Catalogue {
            capabilities,
            packages,
            gnome_removable,
        })
    }

    /// Is this a package attribute nhos knows (including removable GNOME apps)?
    pub fn knows_package(&self, attr: &str) -> bool {
        self.packages.contains_key(attr) || self.gnome_removable.contains(attr)
    }

    /// Every known package name, for suggestions.
    pub fn package_names(&self) -> impl Iterator<Item = &str> {
        self.packages
            .keys()
            .chain(self.gnome_removable.iter())
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_and_has_no_dangling_reference() {
        let cat = Catalogue::from_texts(CAPABILITIES, PACKAGES).expect("catalogue parses");
        assert!(cat.capabilities.len() >= 15);
        for c in cat.capabilities.values() {
            for p in &c.packages {
                assert!(
                    cat.packages.contains_key(p),
                    "capability {} names unknown package {p}",
                    c.name
                );
            }
            for other in c.conflicts.iter().chain(&c.requires_one_of) {
                assert!(
                    cat.capabilities.contains_key(other),
                    "capability {} names unknown capability {other}",
                    c.name
                );
            }
            for k in c.settings.keys() {
                assert!(
                    setting_spec(k).is_some(),
                    "capability {} implies unknown setting {k}",
                    c.name
                );
            }
            assert!(
                c.version.split('.').count() == 3,
                "capability {} version is not semver",
                c.name
            );
        }
        for g in &cat.gnome_removable {
            assert!(
                !cat.packages.contains_key(g),
                "{g} is both a package and a removable GNOME app"
            );
        }
    }

    #[test]
    fn conflicts_are_symmetric() {
        let cat = Catalogue::builtin();
        for c in cat.capabilities.values() {
            for other in &c.conflicts {
                let o = &cat.capabilities[other];
                // Kiosk and server conflict with the desktop one way only: the desktop
                // does not need to know about them.
                if other != "desktop" {
                    assert!(
                        o.conflicts.contains(&c.name),
                        "{} conflicts with {other} but not back",
                        c.name
                    );
                }
            }
        }
    }
}
