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
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BrandingFile {
    /// Operating system name shown to users (os-release NAME).
    #[serde(default)]
    pub os_name: Option<At<String>>,
    /// Operating system ID: lower-case letters, digits, `.`, `_`, `-`.
    #[serde(default)]
    pub os_id: Option<At<String>>,
    /// Vendor name (os-release VENDOR_NAME).
    #[serde(default)]
    pub vendor: Option<At<String>>,
    /// ISO volume ID; at most 32 characters.
    #[serde(default)]
    pub iso_volume_id: Option<At<String>>,
    /// Base name of image files.
    #[serde(default)]
    pub image_base_name: Option<At<String>>,
    /// Login banner text shown on the login screen and the console.
    #[serde(default)]
    pub login_banner: Option<At<String>>,
    /// Colours as `#RRGGBB`.
    #[serde(default)]
    pub colours: Colours,
    /// Image assets, as paths relative to the estate directory.
    #[serde(default)]
    pub assets: Assets,
    /// Fonts.
    #[serde(default)]
    pub fonts: Fonts,
}

/// Branding colours.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Colours {
    /// Accent colour (GTK accent, desktop fill).
    #[serde(default)]
    pub accent: Option<At<String>>,
    /// Desktop background colour behind the wallpaper.
    #[serde(default)]
    pub background: Option<At<String>>,
    /// Login banner text colour.
    #[serde(default)]
    pub banner_text: Option<At<String>>,
    /// Login banner background colour.
    #[serde(default)]
    pub banner_background: Option<At<String>>,
}

/// Branding assets.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Assets {
    /// Desktop wallpaper (PNG or JPEG, at most 8 MiB).
    #[serde(default)]
    pub wallpaper: Option<At<String>>,
    /// Organisation logotype for the login screen (PNG or SVG, at most 1 MiB).
    #[serde(default)]
    pub logo: Option<At<String>>,
    /// Boot splash logo (PNG, at most 1 MiB).
    #[serde(default)]
    pub boot_splash: Option<At<String>>,
}

/// Fonts.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Fonts {
    /// Default sans-serif font family.
    #[serde(default)]
    pub sans: Option<At<String>>,
    /// Font packages (nixpkgs attributes) installed on every desktop.
    #[serde(default)]
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
#[serde(deny_unknown_fields)]
pub struct AddRemove {
    /// Names to add.
    #[serde(default)]
    pub add: Vec<At<String>>,
    /// Names to remove (also from what parents added).
    #[serde(default)]
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

/// A raw setting read from one file: its dotted key, value and span.
#[derive(Debug, Clone)]
pub struct RawSetting {
    pub key: std::borrow::Cow<'static, str>,
    pub value: SettingValue,
    pub span: Range<usize>,
}

macro_rules! setting_enum {
    ($(#[doc = $edoc:literal])* $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $s:literal ),* $(,)? }) => {
        $(#[doc = $edoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
        pub enum $name { $( $(#[doc = $vdoc])* #[serde(rename = $s)] $variant ),* }
        impl $name {
            pub const ALL: &'static [&'static str] = &[$($s),*];
        }
        impl IntoSetting for $name {
            const KIND: SettingKind = SettingKind::Str;
            fn into_setting(self) -> SettingValue {
                SettingValue::Str(match self { $( $name::$variant => $s ),* }.to_owned())
            }
        }
    };
}

setting_enum! {
    /// How removable USB storage is handled (R18).
    UsbStorage {
        /// Allowed.
        Allow = "allow",
        /// Allowed only while the session is unlocked.
        Lockscreen = "lockscreen",
        /// Blocked.
        Blocked = "blocked",
    }
}

setting_enum! {
    /// Full-disk encryption (R4).
    DiskEncryption {
        /// Required: LUKS on system and home.
        Required = "required",
        /// Recommended, decided per device by risk.
        Recommended = "recommended",
        /// Encrypted by the hypervisor.
        Hypervisor = "hypervisor",
        /// None (only for images without persistence).
        None = "none",
    }
}

setting_enum! {
    /// Where a profile's root file system and boot loader come from.
    DiskLayout {
        /// A device's own disk, partitioned by the installer with disko: an EFI system
        /// partition, optional swap, and the root file system (LUKS2 when encrypted).
        Installed = "installed",
        /// The disk of a qcow2 or raw image as the image builder makes it (ext4 root
        /// labelled `nixos`, ESP labelled `ESP`): for VMs and hypervisors.
        Image = "image",
        /// Nothing on disk: the system runs from its ISO (live / DR USB).
        Live = "live",
    }
}

setting_enum! {
    /// The root file system of an installed disk.
    FileSystem {
        /// ext4.
        Ext4 = "ext4",
        /// btrfs with subvolumes for `/`, `/home` and `/nix`.
        Btrfs = "btrfs",
        /// XFS.
        Xfs = "xfs",
    }
}

setting_enum! {
    /// How an encrypted disk is unlocked at boot.
    DiskUnlock {
        /// By the device's TPM2 (enrolled on first boot), with a recovery key.
        Tpm2 = "tpm2",
        /// By a passphrase typed at boot, with a recovery key.
        Passphrase = "passphrase",
    }
}

setting_enum! {
    /// Anti-malware method declared for Cyber Essentials (R20).
    MalwareMethod {
        /// Application allow-listing (approved repositories only).
        AllowList = "allow-list",
        /// An anti-virus daemon (ClamAV).
        Antivirus = "antivirus",
        /// A read-only image.
        ReadOnlyImage = "read-only-image",
        /// File integrity checking (AIDE).
        Integrity = "integrity",
    }
}

setting_enum! {
    /// How a device reaches Spine-connected systems (R24).
    SpineRoute {
        /// CIS2 web applications with approved authenticators.
        Cis2Web = "cis2-web",
        /// A Windows/RDS session inside WES.
        WindowsRds = "windows-rds",
        /// The device does not use Spine.
        None = "none",
    }
}

setting_enum! {
    /// The browser used by the browser and kiosk capabilities.
    BrowserEngine {
        /// Firefox ESR with enterprise policies.
        FirefoxEsr = "firefox-esr",
        /// Chromium with enterprise policies.
        Chromium = "chromium",
    }
}

macro_rules! settings {
    ($(
        $(#[doc = $gdoc:literal])*
        $group:ident $gkey:literal $gty:ident {
            $( $(#[doc = $doc:literal])+ $field:ident $key:literal : $ty:ty ),* $(,)?
        }
    )*) => {
        $(
            $(#[doc = $gdoc])*
            #[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
            #[serde(deny_unknown_fields)]
            pub struct $gty {
                $( $(#[doc = $doc])+ #[serde(rename = $key, default)] pub $field: Option<At<$ty>>, )*
            }

            impl $gty {
                pub(crate) fn flatten_into(&self, out: &mut Vec<RawSetting>) {
                    $( if let Some(v) = &self.$field {
                        out.push(RawSetting {
                            key: std::borrow::Cow::Borrowed(concat!($gkey, ".", $key)),
                            value: v.value.clone().into_setting(),
                            span: v.span.clone(),
                        });
                    } )*
                }
            }
        )*

        /// A profile's settings, grouped by concern. Every leaf is optional: an unset
        /// key is inherited from the parents.
        #[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct Settings {
            $( $(#[doc = $gdoc])* #[serde(rename = $gkey, default)] pub $group: Option<$gty>, )*
            /// Local break-glass administrators, by user name (see [`Administrator`]).
            #[serde(default)]
            pub administrators: BTreeMap<String, Administrator>,
        }

        impl Settings {
            /// The settings as dotted keys, in declaration order; administrators as
            /// `administrators.<name>.<key>`.
            pub fn flatten(&self) -> Vec<RawSetting> {
                let mut out = Vec::new();
                $( if let Some(g) = &self.$group { g.flatten_into(&mut out); } )*
                for (name, a) in &self.administrators {
                    a.flatten_into(name, &mut out);
                }
                out
            }
        }

        /// Every setting key the definition format knows; `<name>` stands for an
        /// administrator's user name.
        pub const SETTINGS: &[SettingSpec] = &[
            $( $( SettingSpec {
                key: concat!($gkey, ".", $key),
                kind: <$ty as IntoSetting>::KIND,
                doc: concat!($($doc),+),
            }, )* )*
            SettingSpec {
                key: "administrators.<name>.ssh-keys",
                kind: SettingKind::List,
                doc: "SSH public keys that may log in as this administrator.",
            },
            SettingSpec {
                key: "administrators.<name>.hashed-password-file",
                kind: SettingKind::Str,
                doc: "Absolute path, on the device, of a file holding the administrator's password hash (never the hash itself).",
            },
            SettingSpec {
                key: "administrators.<name>.enable",
                kind: SettingKind::Bool,
                doc: "Whether the administrator exists on devices of this profile (false drops an inherited one).",
            },
        ];
    };
}

settings! {
    /// Screen lock (R5).
    screen "screen" Screen {
        /// Seconds of inactivity before the session goes idle and locks (0 = never).
        idle_delay "idle-delay": u32,
        /// Lock the screen when the session goes idle.
        lock_enabled "lock-enabled": bool,
        /// Seconds between the screen blanking and locking.
        lock_delay "lock-delay": u32,
        /// Lock the screen on suspend.
        lock_on_suspend "lock-on-suspend": bool,
    }
    /// Login screen and local login.
    login "login" Login {
        /// Hide the user list on the login screen (R6).
        hide_user_list "hide-user-list": bool,
        /// Show the estate's login banner (branding.toml) on the login screen.
        show_banner "show-banner": bool,
        /// Lock an account after this many failed logins (R10).
        max_failed_attempts "max-failed-attempts": u32,
        /// Seconds an account stays locked after too many failures.
        unlock_time "unlock-time": u32,
        /// Log this (non-privileged) user in automatically; kiosks only.
        autologin_user "autologin-user": String,
    }
    /// Local passwords (R11).
    password "password" Password {
        /// Minimum password length.
        min_length "min-length": u32,
    }
    /// User accounts and privilege (R7, R8).
    users "users" Users {
        /// Day-to-day users are administrators (must be false, R7).
        standard_users_admin "standard-users-admin": bool,
        /// `su` and `sudo` restricted to the admin group (R8).
        su_restricted "su-restricted": bool,
        /// Accounts may be changed outside the configuration.
        mutable "mutable": bool,
        /// Record the input and output of every sudo session (R32).
        sudo_logging "sudo-logging": bool,
    }
    /// Host firewall (R9).
    firewall "firewall" Firewall {
        /// Firewall on, inbound default deny.
        enable "enable": bool,
        /// Inbound TCP ports allowed.
        allowed_tcp_ports "allowed-tcp-ports": Vec<u16>,
    }
    /// Updates (R1–R3).
    updates "updates" Updates {
        /// Apply updates automatically from the estate's flake (R3).
        automatic "automatic": bool,
        /// When automatic updates run (systemd calendar expression).
        schedule "schedule": String,
        /// Reboot automatically when the kernel changed.
        allow_reboot "allow-reboot": bool,
        /// Reboots happen only inside this window, "HH:MM-HH:MM" (may cross midnight).
        reboot_window "reboot-window": String,
        /// Spread the start over this many minutes so devices do not update at once.
        random_delay "random-delay": u32,
        /// The trust's estate flake that updates come from, without `#`, e.g.
        /// git+https://git.trust.nhs.uk/desktop/estate?ref=main (the profile is added).
        flake "flake": String,
        /// Firmware updates through fwupd (R35).
        firmware "firmware": bool,
    }
    /// The disk: layout, file system and full-disk encryption (R4).
    disk "disk" Disk {
        /// Where the root file system comes from: installed, image or live.
        layout "layout": DiskLayout,
        /// LUKS full-disk encryption.
        encryption "encryption": DiskEncryption,
        /// How an encrypted disk is unlocked at boot: tpm2 or passphrase.
        unlock "unlock": DiskUnlock,
        /// The disk the installer suggests, e.g. /dev/nvme0n1 (it asks before it writes).
        device "device": String,
        /// Root file system: ext4, btrfs or xfs.
        filesystem "filesystem": FileSystem,
        /// Size of the EFI system partition in MiB.
        esp_size "esp-size": u32,
        /// Size of the swap partition in MiB (0 = none); encrypted with a random key.
        swap_size "swap-size": u32,
    }
    /// Boot (R12).
    boot "boot" Boot {
        /// Kernel module signatures enforced.
        module_signatures "module-signatures": bool,
        /// Boot loader editing locked.
        loader_locked "loader-locked": bool,
        /// The device boots with Secure Boot and the estate's keys (R38).
        secure_boot "secure-boot": bool,
        /// Seconds the boot menu waits.
        timeout "timeout": u32,
    }
    /// Hardening (R13–R17).
    hardening "hardening" Hardening {
        /// `/tmp` and `/dev/shm` mounted nodev,nosuid,noexec (R13).
        tmp_noexec "tmp-noexec": bool,
        /// AppArmor enabled (R14).
        apparmor "apparmor": bool,
        /// Audit framework enabled with rules (R15).
        audit "audit": bool,
        /// Telemetry, crash reporting and location services off (R16).
        telemetry_off "telemetry-off": bool,
        /// Private home directories, umask 077 (R17).
        private_homes "private-homes": bool,
        /// No kernel module can be loaded after boot (R12).
        lock_kernel_modules "lock-kernel-modules": bool,
        /// Kernel hardening settings: ptrace, pointers, dmesg, BPF, core dumps, redirects (R27).
        kernel_sysctls "kernel-sysctls": bool,
        /// Rarely used file systems and network protocols kept out of the kernel (R28).
        block_unused_modules "block-unused-modules": bool,
    }
    /// Removable media (R18).
    media "media" Media {
        /// USB storage: allow, lockscreen (only while unlocked) or blocked.
        usb_storage "usb-storage": UsbStorage,
        /// Automount removable media.
        automount "automount": bool,
        /// Autorun software from removable media.
        autorun "autorun": bool,
        /// USB devices plugged in after boot are blocked until authorised (USBGuard, R36).
        usb_authorisation "usb-authorisation": bool,
    }
    /// Software sources (R19, R20).
    software "software" Software {
        /// Users may install software outside the image (R19).
        user_install "user-install": bool,
        /// Anti-malware method (R20).
        malware_method "malware-method": MalwareMethod,
        /// Users the Nix daemon trusts (R37; only root should be).
        nix_trusted_users "nix-trusted-users": Vec<String>,
    }
    /// Remote access (R21).
    vpn "vpn" Vpn {
        /// All traffic through the enterprise VPN when off-site.
        always_on "always-on": bool,
        /// VPN gateway host name.
        gateway "gateway": String,
    }
    /// Radios and other devices.
    devices "devices" Devices {
        /// Bluetooth on (R29).
        bluetooth "bluetooth": bool,
    }
    /// Time (R30).
    time "time" Time {
        /// Keep the clock synchronised (systemd-timesyncd).
        sync "sync": bool,
        /// NTP servers (the trust's own); empty uses NixOS's defaults.
        servers "servers": Vec<String>,
    }
    /// Logs (R31).
    logging "logging" Logging {
        /// Keep the journal on disk across reboots.
        persistent "persistent": bool,
        /// URL of the trust's journal collector (systemd-journal-remote), e.g. https://logs.trust.nhs.uk:19532.
        forward_url "forward-url": String,
    }
    /// Estate management (R22).
    inventory "inventory" Inventory {
        /// The device reports its software inventory to the asset register.
        export "export": bool,
    }
    /// Authentication (R23, R24).
    auth "auth" Auth {
        /// MFA (FIDO2 or authenticator app) for NHSmail and Microsoft 365.
        cloud_mfa "cloud-mfa": bool,
        /// How the device reaches Spine-connected systems.
        spine_route "spine-route": SpineRoute,
    }
    /// Locale.
    locale "locale" Locale {
        /// Default locale.
        default "default": String,
        /// Keyboard layout (XKB).
        keyboard "keyboard": String,
        /// Time zone.
        timezone "timezone": String,
    }
    /// Browser policy.
    browser "browser" Browser {
        /// Browser engine.
        engine "engine": BrowserEngine,
        /// Start page (locked).
        homepage "homepage": String,
        /// Managed bookmarks: title = URL.
        bookmarks "bookmarks": BTreeMap<String, String>,
        /// Allow downloads.
        downloads "downloads": bool,
        /// Extension IDs the browser may install; an empty list allows none (R34).
        extensions "extensions": Vec<String>,
    }
    /// Kiosk session.
    kiosk "kiosk" Kiosk {
        /// The single URL the kiosk shows.
        url "url": String,
        /// Reboot nightly to a clean state.
        nightly_reboot "nightly-reboot": bool,
    }
    /// Active Directory.
    ad "ad" Ad {
        /// AD DNS domain, e.g. evt.nhs.uk.
        domain "domain": String,
    }
    /// NHSmail.
    nhsmail "nhsmail" Nhsmail {
        /// Web launcher URL.
        url "url": String,
    }
    /// SSH (servers).
    ssh "ssh" Ssh {
        /// Run the SSH daemon.
        enable "enable": bool,
        /// Allow password logins (should be false).
        password_authentication "password-authentication": bool,
        /// Allow root logins (should be false).
        permit_root_login "permit-root-login": bool,
    }
    /// Virtual machine shape (the `vm` output).
    vm "vm" Vm {
        /// Memory in MiB.
        memory "memory": u32,
        /// Virtual CPUs.
        cores "cores": u32,
        /// Disk in MiB.
        disk_size "disk-size": u32,
    }
    /// Live image (DR USB).
    live "live" Live {
        /// Keep changes across reboots (should be false).
        persistence "persistence": bool,
        /// Maximum age of a live image in days before sticks are replaced.
        max_image_age_days "max-image-age-days": u32,
    }
    /// Per-profile branding overrides.
    branding "branding" BrandingOverride {
        /// Variant name shown in os-release (e.g. "Disaster recovery").
        variant "variant": String,
        /// Wallpaper asset replacing the estate wallpaper.
        wallpaper "wallpaper": String,
    }
    /// Rule parameters; a profile may tighten them.
    policy "policy" PolicyGroup {
        /// Largest allowed idle-lock delay in seconds (R5).
        idle_lock_max_seconds "idle-lock-max-seconds": u32,
        /// Largest allowed number of failed logins before lockout (R10).
        max_failed_logins "max-failed-logins": u32,
        /// Days within which security fixes are applied (R2).
        patch_window_days "patch-window-days": u32,
        /// Smallest allowed password length (R11).
        min_password_length "min-password-length": u32,
        /// Largest allowed delay between the screen blanking and locking (R5).
        lock_delay_max_seconds "lock-delay-max-seconds": u32,
        /// Longest a waiver may run, from the day it is judged to its expiry.
        max_waiver_days "max-waiver-days": u32,
    }
}

/// A local break-glass administrator: a member of `wheel` who logs in with an SSH key
/// or a password whose hash is provisioned on the device. The definition never holds
/// a password or a hash.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Administrator {
    /// SSH public keys (`ssh-ed25519 AAAA… comment`) that may log in as this user.
    #[serde(rename = "ssh-keys", default)]
    pub ssh_keys: Option<At<Vec<String>>>,
    /// Absolute path, on the device, of a file holding the password hash
    /// (`mkpasswd -m yescrypt` output), provisioned out of band (sops-nix, agenix,
    /// or the installer).
    #[serde(rename = "hashed-password-file", default)]
    pub hashed_password_file: Option<At<String>>,
    /// Whether the administrator exists on this profile's devices; `false` drops one
    /// that a parent declared (kiosks and DR sticks have no administrator).
    #[serde(default)]
    pub enable: Option<At<bool>>,
}

impl Administrator {
    fn flatten_into(&self, name: &str, out: &mut Vec<RawSetting>) {
        let key = |leaf: &str| std::borrow::Cow::Owned(format!("administrators.{name}.{leaf}"));
        if let Some(v) = &self.ssh_keys {
            out.push(RawSetting {
                key: key("ssh-keys"),
                value: SettingValue::List(v.value.clone()),
                span: v.span.clone(),
            });
        }
        if let Some(v) = &self.hashed_password_file {
            out.push(RawSetting {
                key: key("hashed-password-file"),
                value: SettingValue::Str(v.value.clone()),
                span: v.span.clone(),
            });
        }
        if let Some(v) = &self.enable {
            out.push(RawSetting {
                key: key("enable"),
                value: SettingValue::Bool(v.value),
                span: v.span.clone(),
            });
        }
    }
}

/// Looks up a setting key (`administrators.<user>.<key>` matches its pattern).
pub fn setting_spec(key: &str) -> Option<&'static SettingSpec> {
    if let Some(rest) = key.strip_prefix("administrators.") {
        let (name, leaf) = rest.split_once('.')?;
        if name.is_empty() || name.contains('.') {
            return None;
        }
        let pattern = format!("administrators.<name>.{leaf}");
        return SETTINGS.iter().find(|s| s.key == pattern);
    }
    SETTINGS.iter().find(|s| s.key == key)
}

/// The administrators a profile's settings name, in order.
pub fn administrator_names<'a>(keys: impl IntoIterator<Item = &'a String>) -> Vec<&'a str> {
    let mut names: Vec<&str> = keys
        .into_iter()
        .filter_map(|k| {
            k.strip_prefix("administrators.")?
                .split_once('.')
                .map(|(n, _)| n)
        })
        .collect();
    names.dedup();
    names
}
