//! The estate definition format: the Rust types that the TOML files deserialize into.
//!
//! These types are the single source of truth for the format. The JSON Schema in
//! `schema/estate-definition.schema.json` is generated from them (and drift-tested),
//! and the loader's structural check walks that same schema, so what editors
//! complete and what the loader accepts cannot disagree.

use crate::at::At;
use crate::setting::{IntoSetting, SettingKind, SettingSpec, SettingValue};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

#[macro_use]
mod macros;
mod settings;
pub use settings::*;

/// `estate.toml`: who the estate belongs to and which nixpkgs it builds from.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EstateFile {
    /// The organisation that owns the estate.
    pub organisation: Organisation,
    /// The pinned nixpkgs every image is built from.
    pub nixpkgs: NixpkgsPin,
    /// The pinned disko (nix-community/disko), which declares installed disks.
    #[serde(default)]
    pub disko: Option<DiskoPin>,
    /// Target systems, such as `x86_64-linux`.
    #[serde(default)]
    pub systems: Vec<At<String>>,
    /// Optional package index (the JSON `nix-env -qaP --json` writes), relative to the
    /// estate directory. With an index, an unknown package is an error.
    #[serde(default)]
    pub package_index: Option<At<String>>,
}

/// The organisation that owns the estate.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Organisation {
    /// Full name, e.g. "Example Valley NHS Foundation Trust".
    pub name: At<String>,
    /// ODS code of the organisation (letters and digits, 3 to 6 characters).
    pub ods_code: At<String>,
    /// The organisation is itself an NHS body entitled to the NHS identity; only then
    /// may "NHS" appear in product names (see docs/definition.md, branding).
    #[serde(default)]
    pub nhs_identity: Option<At<bool>>,
}

/// The nixpkgs pin.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NixpkgsPin {
    /// Release, such as "26.05".
    pub release: At<String>,
    /// Full 40-character git commit of nixpkgs.
    #[serde(default)]
    pub commit: Option<At<String>>,
    /// SRI narHash of that commit's source (`sha256-…`), when known.
    #[serde(default)]
    pub nar_hash: Option<At<String>>,
    /// The NixOS release the estate's devices were first installed with
    /// (`system.stateVersion`, "YY.MM"). It stays when `release` moves on: NixOS uses
    /// it to keep data formats of services that were set up under it. Defaults to
    /// `release`; set it before the first release upgrade.
    #[serde(default)]
    pub state_version: Option<At<String>>,
}

/// The disko pin. Without one, generated flakes follow disko's release tag
/// [`DISKO_RELEASE`] and `nix flake lock` pins it on first use.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DiskoPin {
    /// Full 40-character git commit of nix-community/disko.
    pub commit: At<String>,
    /// SRI narHash of that commit's source (`sha256-…`).
    #[serde(default)]
    pub nar_hash: Option<At<String>>,
}

/// The disko release generated flakes follow when the estate pins no commit.
pub const DISKO_RELEASE: &str = "v1.13.0";

/// `branding.toml`: the trust's own identity, as typed values.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct BrandingFile {
    /// Operating system name shown to users (os-release NAME).
    pub os_name: Option<At<String>>,
    /// Operating system ID: lower-case letters, digits, `.`, `_`, `-`.
    pub os_id: Option<At<String>>,
    /// Vendor name (os-release VENDOR_NAME).
    pub vendor: Option<At<String>>,
    /// ISO volume ID; at most 32 characters.
    pub iso_volume_id: Option<At<String>>,
    /// Base name of image files.
    pub image_base_name: Option<At<String>>,
    /// Login banner text shown on the login screen and the console.
    pub login_banner: Option<At<String>>,
    /// Colours as `#RRGGBB`.
    pub colours: Colours,
    /// Image assets, as paths relative to the estate directory.
    pub assets: Assets,
    /// Fonts.
    pub fonts: Fonts,
}

/// Branding colours.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Colours {
    /// Accent colour (GTK accent, desktop fill).
    pub accent: Option<At<String>>,
    /// Desktop background colour behind the wallpaper.
    pub background: Option<At<String>>,
    /// Login banner text colour.
    pub banner_text: Option<At<String>>,
    /// Login banner background colour.
    pub banner_background: Option<At<String>>,
}

/// Branding assets.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Assets {
    /// Desktop wallpaper (PNG or JPEG, at most 8 MiB).
    pub wallpaper: Option<At<String>>,
    /// Organisation logotype for the login screen (PNG or SVG, at most 1 MiB).
    pub logo: Option<At<String>>,
    /// Boot splash logo (PNG, at most 1 MiB).
    pub boot_splash: Option<At<String>>,
}

/// Fonts.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Fonts {
    /// Default sans-serif font family.
    pub sans: Option<At<String>>,
    /// Font packages (nixpkgs attributes) installed on every desktop.
    pub packages: Vec<At<String>>,
}

/// `policy.toml`: the rule pack, estate-wide parameters and waivers.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PolicyFile {
    /// Rule pack; only `nhs-desktop-baseline` is built in.
    #[serde(default)]
    pub rule_pack: Option<At<String>>,
    /// Estate-wide rule parameters. Tightening is always allowed; loosening beyond the
    /// baseline needs a waiver.
    #[serde(default)]
    pub parameters: Option<PolicyGroup>,
    /// Waivers: accepted exceptions with a justification, approver and expiry date.
    #[serde(default, rename = "waiver")]
    pub waivers: Vec<WaiverDef>,
}

/// A waiver.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct WaiverDef {
    /// Stable waiver ID, e.g. "W-001".
    pub id: At<String>,
    /// The rule waived, e.g. "R4".
    pub rule: At<String>,
    /// Profiles the waiver covers; empty means all.
    #[serde(default)]
    pub profiles: Vec<At<String>>,
    /// Why the risk is accepted.
    pub justification: At<String>,
    /// Who accepted it: a named person or role, e.g. "Chief Information Security
    /// Officer".
    pub approver: At<String>,
    /// The day the risk was accepted; the waiver's length (to `expires`) may not
    /// exceed the policy's `max-waiver-days`. Without it, the length counts from the
    /// day the estate is judged.
    #[serde(default)]
    pub approved: Option<At<Date>>,
    /// Last day the waiver applies (a TOML date, e.g. 2027-03-31).
    pub expires: At<Date>,
    /// What the waiver accepts: setting keys with the exact value accepted, e.g.
    /// `{ "screen.idle-delay" = 0 }`. It covers only findings about these settings
    /// with these values, so a worse value is not hidden. Without it the waiver
    /// covers every finding of the rule in its profiles (reported as unscoped).
    #[serde(default)]
    pub accepts: Option<At<BTreeMap<String, AcceptedValue>>>,
}

/// A value a waiver accepts.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AcceptedValue {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl AcceptedValue {
    /// As findings carry values: `true`, `0`, `recommended`.
    pub fn canonical(&self) -> String {
        match self {
            AcceptedValue::Bool(b) => b.to_string(),
            AcceptedValue::Int(i) => i.to_string(),
            AcceptedValue::Str(s) => s.clone(),
        }
    }
}

pub use crate::date::Date;

/// `profiles/<name>.toml`: one desktop profile.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProfileFile {
    /// What the profile is and where it sits.
    pub profile: ProfileMeta,
    /// Capabilities added to or removed from what the parents have.
    #[serde(default)]
    pub capabilities: AddRemove,
    /// Plain nixpkgs packages added or removed.
    #[serde(default)]
    pub packages: AddRemove,
    /// Settings; each overrides the same key from the parents.
    #[serde(default)]
    pub settings: Settings,
    /// The images and VMs built from this profile.
    #[serde(default)]
    pub outputs: Option<Outputs>,
}

/// Profile header.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProfileMeta {
    /// The role of the profile (see docs/definition.md); abstract profiles have none.
    #[serde(default)]
    pub role: Option<At<Role>>,
    /// One-line description.
    #[serde(default)]
    pub description: Option<At<String>>,
    /// Parents, most important first (baseline → site → role order is linearized with C3).
    #[serde(default)]
    pub inherits: Vec<At<String>>,
    /// An abstract profile is only inherited from; it builds no output.
    #[serde(default, rename = "abstract")]
    pub is_abstract: bool,
}

/// The roles of an NHS desktop estate.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Admin desktop: corporate, admin and ward-clerk staff.
    Admin,
    /// Clinical workstation: wards, outpatients, ED, pharmacy.
    Clinical,
    /// Analyst VM: reproducible, rebuilt rather than patched.
    Analyst,
    /// Disaster-recovery live USB.
    Dr,
    /// Kiosk: one full-screen browser.
    Kiosk,
    /// Server: headless.
    Server,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Clinical => "clinical",
            Role::Analyst => "analyst",
            Role::Dr => "dr",
            Role::Kiosk => "kiosk",
            Role::Server => "server",
        }
    }
}

/// A list of additions and a list of removals.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AddRemove {
    /// Names to add.
    pub add: Vec<At<String>>,
    /// Names to remove (also from what parents added).
    pub remove: Vec<At<String>>,
}

/// Outputs of a profile.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// Image formats to build.
    pub formats: Vec<At<OutputFormat>>,
}

/// An image or VM format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum OutputFormat {
    /// Live ISO (`system.build.isoImage`); needs `disk.layout = "live"`.
    Iso,
    /// Installer ISO that puts the profile onto a device's disk (disko, LUKS2, TPM2);
    /// needs `disk.layout = "installed"`.
    Installer,
    /// qcow2 disk with EFI (`system.build.images.qemu-efi`).
    Qcow2,
    /// Raw EFI disk (`system.build.images.raw-efi`).
    Raw,
    /// Runnable QEMU VM (`system.build.vm`).
    Vm,
}

impl OutputFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            OutputFormat::Iso => "iso",
            OutputFormat::Installer => "installer",
            OutputFormat::Qcow2 => "qcow2",
            OutputFormat::Raw => "raw",
            OutputFormat::Vm => "vm",
        }
    }
}
