//! Hardening: telemetry (R16), removable and USB devices (R18, R36), mounts (R13),
//! AppArmor (R14), audit (R15), kernel settings and modules (R12, R27, R28),
//! software sources and anti-malware (R19, R20, R37), radios (R29).

use super::Cx;
use crate::generate::nix::{Func, Nix};

/// The audit rules the generated configuration loads (R15): changes to identity,
/// sudo and PAM files and to the system generation, privileged commands by users,
/// kernel module loading and clock changes. Only paths that exist at sysinit:
/// `auditctl -R` stops at the first rule it cannot load.
const AUDIT_RULES: &[&str] = &[
    "-w /etc/passwd -p wa -k identity",
    "-w /etc/group -p wa -k identity",
    "-w /etc/shadow -p wa -k identity",
    "-w /etc/sudoers -p wa -k sudoers",
    "-w /etc/pam.d -p wa -k pam",
    "-w /nix/var/nix/profiles -p wa -k generation",
    "-a always,exit -F arch=b64 -S execve -F euid=0 -F auid>=1000 -F auid!=unset -k privileged",
    "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules",
    "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change",
    "-a always,exit -F arch=b64 -S mount,umount2 -F auid>=1000 -F auid!=unset -k mounts",
];

/// The kernel settings R27 needs, as the lowering writes them.
pub(crate) const SYSCTLS: &[(&str, i64)] = &[
    ("kernel.yama.ptrace_scope", 1),
    ("kernel.kptr_restrict", 2),
    ("kernel.dmesg_restrict", 1),
    ("kernel.unprivileged_bpf_disabled", 1),
    ("fs.suid_dumpable", 0),
    ("net.ipv4.conf.all.accept_redirects", 0),
    ("net.ipv4.conf.default.accept_redirects", 0),
    ("net.ipv4.conf.all.secure_redirects", 0),
    ("net.ipv4.conf.all.send_redirects", 0),
    ("net.ipv4.conf.all.accept_source_route", 0),
    ("net.ipv4.conf.default.send_redirects", 0),
    ("net.ipv4.icmp_echo_ignore_broadcasts", 1),
    ("net.ipv4.tcp_syncookies", 1),
    ("kernel.kexec_load_disabled", 1),
    ("dev.tty.ldisc_autoload", 0),
    ("net.ipv4.conf.all.log_martians", 1),
    ("net.ipv6.conf.all.accept_redirects", 0),
    ("net.ipv6.conf.default.accept_redirects", 0),
    ("net.ipv6.conf.all.accept_source_route", 0),
];

/// The modules R28 keeps out. Not squashfs, isofs or vfat (live images, the
/// ESP and USB sticks need them), and not udf: imaging discs (DICOM CDs) use it.
pub(crate) const BLOCKED_MODULES: &[&str] = &[
    "cramfs",
    "freevxfs",
    "jffs2",
    "hfs",
    "hfsplus",
    "dccp",
    "sctp",
    "rds",
    "tipc",
    "appletalk",
    "ipx",
    "ax25",
    "netrom",
    "rose",
    "x25",
    "decnet",
    "econet",
    "af_802154",
    "atm",
];

fn strs(items: &[&str]) -> Nix {
    Nix::List(items.iter().map(|s| Nix::str(*s)).collect())
}

fn attrs(entries: Vec<(&str, Nix)>) -> Nix {
    Nix::attrs(entries.into_iter().map(|(k, v)| (k.to_owned(), v)))
}

pub(super) fn lower(cx: &mut Cx) {
    telemetry(cx);
    usb(cx);
    mounts(cx);
    kernel(cx);
    if let Some(v) = cx.bool("hardening.apparmor") {
        cx.by(
            "hardening.apparmor",
            "security.apparmor.enable",
            Nix::Bool(v),
        );
    }
    if let Some(v) = cx.bool("hardening.audit") {
        cx.by("hardening.audit", "security.audit.enable", Nix::Bool(v));
        cx.set("security.auditd.enable", Nix::Bool(v), None);
        if v {
            // Paths that exist at sysinit only: auditctl -R stops at the first
            // rule it cannot load (nixos/modules/security/audit.nix).
            cx.by(
                "hardening.audit",
                "security.audit.rules",
                Nix::List(AUDIT_RULES.iter().map(|r| Nix::str(*r)).collect()),
            );
        }
    }
    if cx.bool("software.user-install") == Some(false) {
        cx.by(
            "software.user-install",
            "nix.settings.allowed-users",
            strs(&["root", "@wheel"]),
        );
    }
    // Only root is trusted by the Nix daemon unless the definition says otherwise
    // (R37 judges that).
    match cx
        .p
        .setting("software.nix-trusted-users")
        .and_then(|v| v.as_list())
    {
        Some(users) => cx.by(
            "software.nix-trusted-users",
            "nix.settings.trusted-users",
            Nix::List(users.iter().map(Nix::str).collect()),
        ),
        None => cx.set(
            "nix.settings.trusted-users",
            strs(&["root"]),
            "trusted users of the Nix daemon are root-equivalent: root only".to_owned(),
        ),
    }
    if cx.str("software.malware-method") == Some("antivirus") {
        cx.by(
            "software.malware-method",
            "services.clamav.daemon.enable",
            Nix::Bool(true),
        );
        cx.set("services.clamav.updater.enable", Nix::Bool(true), None);
    }
    if let Some(false) = cx.bool("devices.bluetooth") {
        // GNOME switches Bluetooth on with mkDefault; a plain false wins.
        cx.by(
            "devices.bluetooth",
            "hardware.bluetooth.enable",
            Nix::Bool(false),
        );
    }
}

fn telemetry(cx: &mut Cx) {
    if cx.bool("hardening.telemetry-off") != Some(true) {
        return;
    }
    cx.by(
        "hardening.telemetry-off",
        "services.geoclue2.enable",
        Nix::call(Func::MkForce, Nix::Bool(false)),
    );
    if cx.has("desktop") {
        cx.by(
            "hardening.telemetry-off",
            "services.gnome.gnome-online-accounts.enable",
            Nix::Bool(false),
        );
    }
}

/// USB storage (R18) and the authorisation of devices plugged in after boot (R18's
/// lock-screen mode, R36): one USBGuard configuration.
fn usb(cx: &mut Cx) {
    const KEY: &str = "media.usb-storage";
    let lockscreen = cx.str(KEY) == Some("lockscreen");
    let authorise = cx.bool("media.usb-authorisation") == Some(true);
    if cx.str(KEY) == Some("blocked") {
        cx.by(
            KEY,
            "boot.blacklistedKernelModules",
            strs(&["usb_storage", "uas"]),
        );
    }
    if !(lockscreen || authorise) {
        return;
    }
    let why = if lockscreen {
        KEY
    } else {
        "media.usb-authorisation"
    };
    cx.by(why, "services.usbguard.enable", Nix::Bool(true));
    cx.set(
        "services.usbguard.presentDevicePolicy",
        Nix::str("allow"),
        "devices present at boot (keyboards, readers) stay allowed".to_owned(),
    );
    cx.set(
        "services.usbguard.implicitPolicyTarget",
        Nix::str("block"),
        "a device plugged in later is blocked until authorised".to_owned(),
    );
    if lockscreen {
        // GNOME's USB protection asks USBGuard over D-Bus to allow devices while the
        // session is unlocked; modules/nhos/usb.nix lets the active session do so.
        cx.by(KEY, "nhos.usb.sessionAuthorises", Nix::Bool(true));
        if cx.has("desktop") {
            let dir = "org/gnome/desktop/privacy";
            cx.dconf(KEY, "user", dir, "usb-protection", Nix::Bool(true), true);
            cx.dconf(
                KEY,
                "user",
                dir,
                "usb-protection-level",
                Nix::str("lockscreen"),
                true,
            );
        }
    }
}

/// R13: temporary file systems that cannot run code, homes without devices or
/// set-user-ID files.
fn mounts(cx: &mut Cx) {
    const KEY: &str = "hardening.tmp-noexec";
    if cx.bool(KEY) != Some(true) {
        return;
    }
    // Not boot.tmp.useTmpfs: its mount unit has no noexec and no option to add one
    // (nixos/modules/system/boot/tmp.nix). Nix builds in /nix/var/nix/builds.
    cx.by(
        KEY,
        "fileSystems./tmp",
        attrs(vec![
            ("device", Nix::str("tmpfs")),
            ("fsType", Nix::str("tmpfs")),
            (
                "options",
                strs(&[
                    "mode=1777",
                    "strictatime",
                    "nosuid",
                    "nodev",
                    "noexec",
                    "size=50%",
                ]),
            ),
        ]),
    );
    // /var/tmp and /home are bound onto themselves with the options added. As
    // systemd mount units, not fileSystems entries: security.lockKernelModules
    // preloads every fileSystems fsType as a kernel module, and "none" is none
    // (nixos/modules/security/lock-kernel-modules.nix; systemd.mounts in
    // nixos/modules/system/boot/systemd.nix).
    let bind = |dir: &str, options: &str| {
        attrs(vec![
            ("what", Nix::str(dir)),
            ("where", Nix::str(dir)),
            ("type", Nix::str("none")),
            ("options", Nix::str(options)),
            ("wantedBy", strs(&["local-fs.target"])),
        ])
    };
    cx.by(
        KEY,
        "systemd.mounts",
        Nix::List(vec![
            bind("/var/tmp", "bind,nosuid,nodev,noexec"),
            bind("/home", "bind,nosuid,nodev"),
        ]),
    );
    // A list: it adds noexec to nixpkgs' own options for /dev/shm
    // (nixos/modules/tasks/filesystems.nix).
    cx.by(
        KEY,
        "boot.specialFileSystems./dev/shm.options",
        strs(&["noexec"]),
    );
}

/// R12, R27, R28: what the kernel allows.
fn kernel(cx: &mut Cx) {
    if cx.bool("hardening.lock-kernel-modules") == Some(true) {
        cx.by(
            "hardening.lock-kernel-modules",
            "security.lockKernelModules",
            Nix::Bool(true),
        );
    }
    if cx.bool("hardening.kernel-sysctls") == Some(true) {
        cx.by(
            "hardening.kernel-sysctls",
            "boot.kernel.sysctl",
            Nix::attrs(SYSCTLS.iter().map(|(k, v)| ((*k).to_owned(), Nix::Int(*v)))),
        );
        // Keep systemd-coredump (without it the kernel writes cores into the
        // crashing program's directory) and have it store nothing.
        cx.by(
            "hardening.kernel-sysctls",
            "systemd.coredump.settings.Coredump",
            attrs(vec![
                ("Storage", Nix::str("none")),
                ("ProcessSizeMax", Nix::str("0")),
            ]),
        );
    }
    if cx.bool("hardening.block-unused-modules") == Some(true) {
        cx.by(
            "hardening.block-unused-modules",
            "nhos.hardening.blockedModules",
            strs(BLOCKED_MODULES),
        );
    }
}
