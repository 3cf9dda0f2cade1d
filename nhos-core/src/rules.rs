//! The built-in rule pack `nhs-desktop-baseline`: rule metadata (title, severity,
//! rationale, remediation, references, parameters, where each rule applies).
//! The checks themselves are in `validate/checks.rs`.

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
    /// Applicability for admin, clinical, analyst, dr, kiosk, server.
    #[serde(skip)]
    pub(crate) applies: [Applies; 6],
}

impl Rule {
    pub fn applies_to(&self, role: Role) -> Applies {
        self.applies[role as usize]
    }
}

use Applies::{Advisory as A, No as N, Yes as Y};

const fn refs(
    ncsc: &'static str,
    ce: &'static str,
    cis: &'static str,
    dspt: &'static str,
) -> References {
    References {
        ncsc,
        cyber_essentials: ce,
        cis,
        dspt,
    }
}

const ALL: [Applies; 6] = [Y, Y, Y, Y, Y, Y];
const DESKTOPS: [Applies; 6] = [Y, Y, Y, Y, N, N];

/// The rule pack, in ID order.
pub const RULES: &[Rule] = &[
    Rule {
        id: "R1",
        title: "OS release is supported",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "An unsupported release gets no security fixes.",
        remediation: "Move `nixpkgs.release` in estate.toml to a supported NixOS release.",
        references: refs(
            "EUD: keep up to date",
            "Security update management",
            "1.2.2.1",
            "8.3.1",
        ),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R2",
        title: "Security fixes within the patch window",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Critical and high-risk fixes must be installed within 14 days of release.",
        remediation: "Keep `policy.patch-window-days` at 14 or less; on live images set `live.max-image-age-days` to 31 or less.",
        references: refs(
            "EUD N6",
            "Security update management (14 days)",
            "1.2.2.1",
            "9.2.3",
        ),
        parameters: &[Parameter {
            key: "policy.patch-window-days",
            default: 14,
            larger_is_looser: true,
        }],
        applies: ALL,
    },
    Rule {
        id: "R3",
        title: "Automatic security updates",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Updates that wait for a person are late.",
        remediation: "Set `updates.automatic = true`.",
        references: refs("EUD N6", "Security update management", "1.2.2.1", "9.2.3"),
        parameters: &[],
        applies: [Y, Y, Y, N, Y, Y],
    },
    Rule {
        id: "R4",
        title: "Full-disk encryption",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "A lost or stolen device must not expose data.",
        remediation: "Set `disk.encryption = \"required\"` (or \"hypervisor\" for VMs); record a decision by risk as a waiver.",
        references: refs("EUD N1", "Secure configuration", "1.1", "7.3"),
        parameters: &[],
        applies: [Y, Y, Y, N, A, A],
    },
    Rule {
        id: "R5",
        title: "Idle screen lock, locked against override",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "An unattended unlocked session gives anyone the user's access.",
        remediation: "Set `screen.idle-delay` to at most the limit (and not 0) and `screen.lock-enabled = true`.",
        references: refs("EUD N13", "Secure configuration", "1.7.4-1.7.5", "4.5"),
        parameters: &[Parameter {
            key: "policy.idle-lock-max-seconds",
            default: 600,
            larger_is_looser: true,
        }],
        applies: [Y, Y, Y, Y, A, N],
    },
    Rule {
        id: "R6",
        title: "Login screen hides the user list",
        severity: Severity::Warning,
        judged: Judged::Definition,
        rationale: "A user list hands an attacker half of every credential.",
        remediation: "Set `login.hide-user-list = true`.",
        references: refs("EUD N13", "Secure configuration", "1.7.3", "4.5"),
        parameters: &[],
        applies: DESKTOPS,
    },
    Rule {
        id: "R7",
        title: "Day-to-day users are not administrators",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Admin rights in a browsing session turn any exploit into full control.",
        remediation: "Set `users.standard-users-admin = false`; use separate admin accounts.",
        references: refs("EUD: privilege", "User access control", "5.2", "4.2"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R8",
        title: "su and sudo restricted to the admin group",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Privilege escalation must be limited to administrators.",
        remediation: "Set `users.su-restricted = true`.",
        references: refs("EUD N7", "User access control", "5.2.7", "4.2"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R9",
        title: "Host firewall, inbound default deny",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Services must not be reachable unless meant to be.",
        remediation: "Set `firewall.enable = true` and list only needed ports.",
        references: refs("EUD N16", "Firewalls", "4.1", "9.1"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R10",
        title: "Lockout after failed logins",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Brute-force guessing of local passwords must be stopped.",
        remediation: "Set `login.max-failed-attempts` to at most the limit.",
        references: refs(
            "EUD: authentication",
            "User access control (throttling)",
            "5.3.3.1",
            "4.5",
        ),
        parameters: &[Parameter {
            key: "policy.max-failed-logins",
            default: 10,
            larger_is_looser: true,
        }],
        applies: [Y, Y, Y, Y, N, Y],
    },
    Rule {
        id: "R11",
        title: "Password length",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Short passwords are guessed.",
        remediation: "Set `password.min-length` to at least the limit (12, or 8 with MFA).",
        references: refs(
            "EUD: authentication",
            "User access control (passwords)",
            "5.3.3.2",
            "4.5",
        ),
        parameters: &[Parameter {
            key: "policy.min-password-length",
            default: 12,
            larger_is_looser: false,
        }],
        applies: [Y, Y, Y, Y, N, Y],
    },
    Rule {
        id: "R12",
        title: "Boot integrity: locked loader, signed modules",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "An editable boot loader or unsigned kernel modules defeat every other control.",
        remediation: "Set `boot.loader-locked = true` and `boot.module-signatures = true`.",
        references: refs("EUD N4", "Secure configuration", "1.4.1", "8.3"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R13",
        title: "/tmp and /dev/shm nodev,nosuid,noexec",
        severity: Severity::Warning,
        judged: Judged::Definition,
        rationale: "World-writable mounts must not run code.",
        remediation: "Set `hardening.tmp-noexec = true`.",
        references: refs("EUD N3", "Secure configuration", "1.1.2", "8.3"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R14",
        title: "AppArmor enabled",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Mandatory access control limits what a compromised program can do.",
        remediation: "Set `hardening.apparmor = true`.",
        references: refs("EUD N10", "Malware protection", "1.3", "8.3"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R15",
        title: "Audit logging",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Without audit records an incident cannot be investigated.",
        remediation: "Set `hardening.audit = true`.",
        references: refs("EUD N11", "—", "6.3", "9.3"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R16",
        title: "Telemetry and error reporting off",
        severity: Severity::Warning,
        judged: Judged::Definition,
        rationale: "Patient-adjacent devices must not send data to third parties.",
        remediation: "Set `hardening.telemetry-off = true`.",
        references: refs("EUD N12", "—", "1.5.5", "1.2"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R17",
        title: "Private homes, umask 077",
        severity: Severity::Warning,
        judged: Judged::Definition,
        rationale: "Users must not read each other's files on shared devices.",
        remediation: "Set `hardening.private-homes = true`.",
        references: refs("EUD N5", "User access control", "6.2", "4.2"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R18",
        title: "Removable storage controlled",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "USB storage carries malware in and patient data out.",
        remediation: "Set `media.usb-storage = \"blocked\"` (\"lockscreen\" is allowed on admin desktops), and `media.automount`/`media.autorun = false`.",
        references: refs(
            "EUD N14",
            "Secure configuration (auto-run)",
            "1.1.1.8, 1.7.6-9",
            "7.2",
        ),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R19",
        title: "Only approved software",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Users installing arbitrary software defeats allow-listing.",
        remediation: "Set `software.user-install = false`.",
        references: refs(
            "EUD: software",
            "Malware protection (allow-listing)",
            "1.2",
            "8.2",
        ),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R20",
        title: "Anti-malware method declared",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Cyber Essentials requires a stated malware protection method.",
        remediation: "Set `software.malware-method`.",
        references: refs("EUD: malware", "Malware protection", "—", "8.2"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R21",
        title: "VPN when off-site",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Off-site traffic must go through the enterprise VPN.",
        remediation: "Add the `vpn` capability and set `vpn.always-on = true` and `vpn.gateway`.",
        references: refs("EUD: networking", "Firewalls", "—", "9.5"),
        parameters: &[],
        applies: [A, A, N, Y, N, N],
    },
    Rule {
        id: "R22",
        title: "Device in the asset register",
        severity: Severity::Info,
        judged: Judged::Manual,
        rationale: "Every device must appear in the asset register with its OS and software versions.",
        remediation: "Check that each device reports its inventory (set `inventory.export = true`) and appears in the register.",
        references: refs("—", "Scope", "—", "8.1"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "R23",
        title: "MFA for cloud services",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "NHSmail and Microsoft 365 accounts must be protected by MFA.",
        remediation: "Set `auth.cloud-mfa = true` (the `fido2` capability does).",
        references: refs(
            "EUD: authentication",
            "User access control (MFA)",
            "—",
            "4.5",
        ),
        parameters: &[],
        applies: [Y, Y, Y, Y, N, N],
    },
    Rule {
        id: "R24",
        title: "Spine access route declared",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Linux desktops reach Spine only through CIS2 web apps with approved authenticators, or a Windows session inside WES.",
        remediation: "Set `auth.spine-route` to \"cis2-web\" (with the `fido2` capability) or \"windows-rds\" (with `remote-desktop`).",
        references: refs("—", "—", "—", "4.5 (WES, CIS2)"),
        parameters: &[],
        applies: [N, Y, N, Y, N, N],
    },
    Rule {
        id: "B1",
        title: "ISO volume ID at most 32 characters",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "NixOS refuses longer ISO volume IDs (ISO 9660).",
        remediation: "Shorten `iso-volume-id` in branding.toml.",
        references: refs("—", "—", "—", "—"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "B2",
        title: "Colours from the NHS palette",
        severity: Severity::Warning,
        judged: Judged::Definition,
        rationale: "NHS identity guidelines allow only the NHS palette.",
        remediation: "Use an NHS palette colour (NHS Blue is #005EB8).",
        references: refs("—", "—", "—", "NHS identity guidelines: colours"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "B3",
        title: "Login banner readable (WCAG AA)",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "Banner text must have a contrast ratio of at least 4.5:1.",
        remediation: "Choose `banner-text` and `banner-background` with more contrast (white on NHS Blue passes).",
        references: refs("—", "—", "—", "WCAG 2.1 SC 1.4.3"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "B4",
        title: "No \"NHS\" in product names without the NHS identity",
        severity: Severity::Error,
        judged: Judged::Definition,
        rationale: "\"NHS\" is a trade mark; only NHS organisations may use it (NHSbuntu and NHoS both got legal letters).",
        remediation: "Use a neutral product name, or set `organisation.nhs-identity = true` if the organisation is an NHS body.",
        references: refs("—", "—", "—", "NHS identity: who can use it"),
        parameters: &[],
        applies: ALL,
    },
    Rule {
        id: "B5",
        title: "Wallpaper fits the screen",
        severity: Severity::Warning,
        judged: Judged::Definition,
        rationale: "A small wallpaper is stretched and looks broken.",
        remediation: "Supply a wallpaper of at least 1280×720.",
        references: refs("—", "—", "—", "—"),
        parameters: &[],
        applies: DESKTOPS,
    },
    Rule {
        id: "C1",
        title: "Capability notice",
        severity: Severity::Warning,
        judged: Judged::Definition,
        rationale: "A capability in use carries a notice (for example, a service that ends).",
        remediation: "Read the notice and plan the change it asks for.",
        references: refs("—", "—", "—", "—"),
        parameters: &[],
        applies: ALL,
    },
];

/// Every rule ID a waiver may name.
pub const RULE_IDS: &[&str] = &[
    "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
    "R16", "R17", "R18", "R19", "R20", "R21", "R22", "R23", "R24", "B1", "B2", "B3", "B4", "B5",
    "C1",
];

/// Looks up a rule by ID.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_the_table() {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RULE_IDS);
    }
}
