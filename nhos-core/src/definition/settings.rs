//! Profile settings: every key declared once in `settings!`, which generates the
//! typed groups, their flattening to dotted keys and the `SETTINGS` table; local
//! administrators; and the look-up of a key's specification.

use super::*;

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

/// A raw setting read from one file: its dotted key, value and span.
#[derive(Debug, Clone)]
pub struct RawSetting {
    pub key: std::borrow::Cow<'static, str>,
    pub value: SettingValue,
    pub span: Range<usize>,
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
