//! Diagnostics: what the loader says about a definition. Each has a stable code, a
//! severity, a location and, where one helps, a hint.

use crate::source::Location;
use serde::Serialize;

/// How bad a diagnostic or finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, )*) => {
        /// The stable codes of load diagnostics. A code never changes meaning once
        /// released; `docs/diagnostics.md` lists them all.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code { $( $(#[$doc])* $name, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$name),*];
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$name => $code, )* }
            }
        }
    };
}

codes! {
    /// A file could not be read.
    Io = "NHOS100",
    /// The file is not valid TOML.
    Syntax = "NHOS101",
    /// A value has the wrong type.
    WrongType = "NHOS102",
    /// A key is not part of the definition format.
    UnknownKey = "NHOS103",
    /// A required key is missing.
    MissingKey = "NHOS104",
    /// A value has the right type but is not allowed.
    InvalidValue = "NHOS105",
    /// The file is not UTF-8.
    NotUtf8 = "NHOS106",
    /// A profile inherits from a profile that does not exist.
    UnknownParent = "NHOS110",
    /// Profiles inherit from each other in a cycle.
    InheritanceCycle = "NHOS111",
    /// Parents disagree and the child does not settle it.
    InheritanceConflict = "NHOS112",
    /// Two files define the same profile.
    DuplicateProfile = "NHOS113",
    /// A capability is not in the catalogue.
    UnknownCapability = "NHOS120",
    /// A package is not in the catalogue or the package index.
    UnknownPackage = "NHOS121",
    /// The package index named by the estate could not be used.
    BadPackageIndex = "NHOS122",
    /// Two capabilities in one profile conflict.
    CapabilityConflict = "NHOS123",
    /// A setting or removal that nothing applies (a warning: it is dropped).
    NoEffect = "NHOS124",
    /// An asset path leaves the estate directory.
    AssetOutsideEstate = "NHOS130",
    /// An asset file does not exist.
    AssetMissing = "NHOS131",
    /// An asset is not in the format its field needs.
    AssetFormat = "NHOS132",
    /// An asset is larger than allowed.
    AssetTooLarge = "NHOS133",
    /// An asset path is, or goes through, a symbolic link.
    AssetSymlink = "NHOS134",
    /// A plaintext password or secret in the definition.
    PlaintextSecret = "NHOS140",
    /// The directory is not an estate (no `estate.toml`).
    NotAnEstate = "NHOS150",
    /// The estate has no profiles.
    NoProfiles = "NHOS151",
    /// NixOS would refuse the profile: it has no root file system
    /// (nixos/modules/system/boot/systemd/initrd.nix, system/boot/stage-1.nix).
    NoRootFileSystem = "NHOS200",
    /// NixOS would refuse the profile: no boot loader can make it bootable
    /// (nixos/modules/system/boot/loader/grub/grub.nix).
    NoBootLoader = "NHOS201",
    /// NixOS would refuse the profile: with immutable users nobody could log in
    /// (nixos/modules/config/users-groups.nix).
    NobodyCanLogIn = "NHOS202",
    /// NetworkManager and `networking.wireless` would both manage Wi-Fi
    /// (nixos/modules/services/networking/networkmanager.nix).
    WirelessConflict = "NHOS203",
    /// An ISO volume ID longer than 32 characters
    /// (nixos/modules/installer/cd-dvd/iso-image.nix).
    IsoVolumeId = "NHOS204",
    /// `system.stateVersion` is not a NixOS release ("YY.MM") at or before the pin
    /// (nixos/modules/misc/version.nix).
    StateVersion = "NHOS205",
    /// Automatic updates without a flake to update from, or a flake reference that
    /// nixos-rebuild cannot use (nixos/modules/tasks/auto-upgrade.nix).
    AutoUpgradeFlake = "NHOS206",
    /// A systemd calendar expression or reboot window that systemd would refuse
    /// (nixos/modules/tasks/auto-upgrade.nix passes it to `OnCalendar=`).
    Calendar = "NHOS207",
    /// An output format the profile's disk layout cannot build.
    OutputLayout = "NHOS208",
    /// The generated configuration would define one option twice.
    DuplicateOption = "NHOS209",
    /// A host name NixOS would refuse (nixos/modules/tasks/network-interfaces.nix).
    HostName = "NHOS210",
    /// A screen lock on a session logged in automatically without a password: it
    /// could never be unlocked.
    UnlockableLock = "NHOS211",
}

/// One thing the loader has to say about a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    #[serde(serialize_with = "ser_code")]
    pub code: Code,
    pub severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

fn ser_code<S: serde::Serializer>(c: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.as_str())
}

impl Diagnostic {
    pub fn error(code: Code, location: Option<Location>, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: Severity::Error,
            location,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(code: Code, location: Option<Location>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, location, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{loc}: ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code.as_str(),
            self.message
        )?;
        if let Some(h) = &self.hint {
            write!(f, " (hint: {h})")?;
        }
        Ok(())
    }
}

/// The nearest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = |s: &'a str| -> std::borrow::Cow<'a, str> {
        if s.bytes().any(|b| b.is_ascii_uppercase()) || !s.is_ascii() {
            std::borrow::Cow::Owned(s.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(s)
        }
    };
    let word = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&word, &lower(c));
        if score >= 0.8 && best.is_none_or(|(b, bc)| score > b || (score == b && c < bc)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_and_refuses_strangers() {
        let known = ["firefox-esr", "firefox", "chromium"];
        assert_eq!(nearest("firefox-es", known), Some("firefox-esr"));
        assert_eq!(nearest("chromum", known), Some("chromium"));
        assert_eq!(nearest("libreoffice", known), None);
    }

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {}", c.as_str());
        }
    }
}
