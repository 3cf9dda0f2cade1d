//! The resolved estate: plain values, no I/O. Every effective value carries its
//! [`Origin`]: which profile, capability or file put it there, and where.

use crate::definition::{Date, OutputFormat, Role};
use crate::diagnostic::Diagnostic;
use crate::setting::SettingValue;
use crate::source::{Location, SourceFile};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Who put a value where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Via {
    /// Set directly in a profile file.
    Profile { profile: String },
    /// Implied by a capability that a profile added.
    Capability {
        capability: String,
        version: String,
        profile: String,
    },
    /// From the estate's branding file.
    Branding,
    /// From the estate's policy file.
    Policy,
    /// The built-in default.
    Default,
}

/// Provenance: who, and the definition line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct OriginData {
    pub via: Via,
    pub location: Location,
}

/// Provenance, shared: every profile that inherits a value holds the same origin
/// (one allocation per definition line, not one per profile). Derefs to
/// [`OriginData`], so `origin.via` and `origin.location` read as fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin(pub(crate) Arc<OriginData>);

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.as_ref().serialize(s)
    }
}

impl Origin {
    pub fn new(via: Via, location: Location) -> Self {
        Origin(Arc::new(OriginData { via, location }))
    }
}

impl std::ops::Deref for Origin {
    type Target = OriginData;
    fn deref(&self) -> &OriginData {
        &self.0
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.via {
            Via::Profile { profile } => write!(f, "profile `{profile}` at {}", self.location),
            Via::Capability {
                capability,
                version,
                profile,
            } => {
                write!(
                    f,
                    "capability `{capability}` {version} (added by profile `{profile}` at {})",
                    self.location
                )
            }
            Via::Branding => write!(f, "branding at {}", self.location),
            Via::Policy => write!(f, "policy at {}", self.location),
            Via::Default => write!(f, "built-in default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Valued<T> {
    pub value: T,
    pub origin: Origin,
}

/// An effective setting: the winning value, and the values it overrode in
/// linearization order (nearest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveSetting {
    pub value: SettingValue,
    pub origin: Origin,
    pub overrode: Vec<Valued<SettingValue>>,
}

/// A capability in effect in a profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapabilityUse {
    pub version: String,
    pub origin: Origin,
}

/// A resolved profile.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub name: String,
    pub file: String,
    pub role: Option<Role>,
    pub description: Option<String>,
    #[serde(rename = "abstract")]
    pub is_abstract: bool,
    /// Direct parents, in the order written.
    pub parents: Vec<String>,
    /// C3 linearization: the profile itself first, then its ancestors.
    pub linearization: Vec<String>,
    pub capabilities: BTreeMap<String, CapabilityUse>,
    /// Effective packages (nixpkgs attribute paths).
    pub packages: BTreeMap<String, Origin>,
    /// Packages removed; GNOME default apps among them are excluded from the desktop.
    pub removed_packages: BTreeMap<String, Origin>,
    /// Effective settings; profiles that inherit the same value from the same lines
    /// share one [`EffectiveSetting`].
    pub settings: BTreeMap<String, Arc<EffectiveSetting>>,
    pub outputs: BTreeMap<OutputFormat, Origin>,
}

impl Profile {
    pub fn setting(&self, key: &str) -> Option<&SettingValue> {
        self.settings.get(key).map(|s| &s.value)
    }
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.setting(key).and_then(SettingValue::as_bool)
    }
    pub fn int(&self, key: &str) -> Option<i64> {
        self.setting(key).and_then(SettingValue::as_int)
    }
    pub fn str(&self, key: &str) -> Option<&str> {
        self.setting(key).and_then(SettingValue::as_str)
    }
    pub fn has_capability(&self, name: &str) -> bool {
        self.capabilities.contains_key(name)
    }
}

/// The pinned nixpkgs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pin {
    pub release: String,
    /// Where the release is written.
    pub location: Location,
    pub commit: Option<String>,
    pub nar_hash: Option<String>,
    /// `system.stateVersion`: `nixpkgs.state-version`, or the release when unset.
    pub state_version: String,
    /// Where the state version comes from.
    pub state_version_location: Location,
}

/// The pinned disko: a commit (and its narHash), or the release tag nhos follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiskoPin {
    /// The git revision the flake input names: a commit or a release tag.
    pub rev: String,
    pub commit: Option<String>,
    pub nar_hash: Option<String>,
}

/// The owning organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub name: String,
    pub ods_code: String,
    pub nhs_identity: bool,
    pub location: Location,
}

/// A checked, content-hashed asset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Asset {
    /// Path relative to the estate directory.
    pub path: String,
    pub format: AssetFormat,
    pub sha256: String,
    pub size: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub location: Location,
    #[serde(skip)]
    pub bytes: Arc<[u8]>,
}

impl Asset {
    /// The content-addressed file name used in generated output.
    pub fn stored_name(&self) -> String {
        format!("{}.{}", &self.sha256[..16], self.format.extension())
    }
}

/// Image formats nhos accepts for assets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssetFormat {
    Png,
    Jpeg,
    Svg,
}

impl AssetFormat {
    pub fn extension(self) -> &'static str {
        match self {
            AssetFormat::Png => "png",
            AssetFormat::Jpeg => "jpg",
            AssetFormat::Svg => "svg",
        }
    }
}

/// The estate's branding, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Branding {
    pub os_name: Valued<String>,
    pub os_id: Valued<String>,
    pub vendor: Valued<String>,
    pub iso_volume_id: Valued<String>,
    pub image_base_name: Valued<String>,
    pub login_banner: Option<Valued<String>>,
    /// Colours by role (`accent`, `background`, `banner-text`, `banner-background`).
    pub colours: BTreeMap<String, Valued<String>>,
    /// Assets by role (`wallpaper`, `logo`, `boot-splash`, and per-profile wallpapers
    /// as `wallpaper@<profile>`).
    pub assets: BTreeMap<String, Asset>,
    pub font_sans: Valued<String>,
    pub font_packages: Vec<Valued<String>>,
}

/// A waiver, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiver {
    pub id: String,
    pub rule: String,
    pub profiles: Vec<String>,
    pub justification: String,
    pub approver: String,
    pub approved: Option<Date>,
    pub expires: Date,
    /// Setting key → the exact value accepted (as findings carry values); empty
    /// when the waiver is not scoped.
    pub accepts: BTreeMap<String, String>,
    pub location: Location,
}

/// The estate's policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub rule_pack: String,
    /// Estate-wide parameters (`policy.*` setting keys).
    pub parameters: BTreeMap<String, Valued<SettingValue>>,
    pub waivers: Vec<Waiver>,
}

/// A loaded, resolved estate.
#[derive(Debug, Clone, Serialize)]
pub struct Estate {
    pub organisation: Organisation,
    pub nixpkgs: Pin,
    pub disko: DiskoPin,
    /// Target systems; the first is the primary one.
    pub systems: Vec<String>,
    pub branding: Branding,
    pub policy: Policy,
    pub profiles: BTreeMap<String, Profile>,
    /// Warnings from loading (errors make loading fail).
    pub warnings: Vec<Diagnostic>,
    /// The definition files, sorted by path, as read.
    #[serde(skip)]
    pub files: Vec<SourceFile>,
    /// The option tree of each concrete profile, made the first time a verb needs
    /// it (see [`Estate::lowered`]) and shared by validate, generate and plan. Not
    /// kept by `load` itself, which checks NixOS's invariants profile by profile,
    /// so that `check` of a large estate never holds every tree at once.
    #[serde(skip)]
    pub(crate) lowered: std::sync::OnceLock<BTreeMap<String, crate::option_tree::Lowered>>,
}

impl Estate {
    /// The profiles that build outputs (not abstract).
    pub fn concrete_profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values().filter(|p| !p.is_abstract)
    }

    /// A hash of the definition files' paths and contents, stable across machines.
    pub fn definition_hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        // By path, whatever order the files were read in.
        let mut files: Vec<&SourceFile> = self.files.iter().collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        for f in files {
            h.update(f.path.as_bytes());
            h.update([0]);
            h.update((f.text.len() as u64).to_le_bytes());
            h.update(f.text.as_bytes());
        }
        for a in self.branding.assets.values() {
            h.update(a.path.as_bytes());
            h.update([0]);
            h.update(a.sha256.as_bytes());
        }
        hex(&h.finalize())
    }

    pub fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}
