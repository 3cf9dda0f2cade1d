//! A deployable system: what the lowering emits for disks, boot, login and updates,
//! the NixOS invariants checked on the option tree (each shown to fire on a broken
//! tree), the checked fields that refuse hostile values at their line, and a flake
//! with every system.

mod common;
#[path = "common/nix.rs"]
mod nixrun;

use nhos_core::generate::invariants::{self, INVARIANTS};
use nhos_core::generate::lower::{Lowered, Opt};
use nhos_core::generate::nix::{Func, Nix};
use nhos_core::{Code, Estate};
use std::collections::BTreeSet;

fn example() -> Estate {
    nhos_core::load(common::example()).expect("example loads")
}

fn get<'a>(l: &'a Lowered, path: &str) -> Option<&'a Nix> {
    let segs: Vec<&str> = path.split('.').collect();
    l.get(&segs)
}

fn attr<'a>(v: &'a Nix, path: &str) -> Option<&'a Nix> {
    path.split('.').try_fold(v, |v, k| match v {
        Nix::Attrs(es) => es.iter().find(|e| e.key == k).map(|e| &e.value),
        _ => None,
    })
}

fn strs(items: &[&str]) -> Nix {
    Nix::List(items.iter().map(|s| Nix::str(*s)).collect())
}

#[test]
fn installed_disks_are_declared_once_with_disko_and_encrypted_where_required() {
    let e = example();
    let clinical = &e.lowered()["clinical"];
    let disk = get(clinical, "disko.devices.disk.main").expect("a disko disk");
    let parts = attr(disk, "content.partitions").expect("partitions");
    assert_eq!(attr(parts, "ESP.type"), Some(&Nix::str("EF00")));
    assert_eq!(
        attr(parts, "ESP.content.mountpoint"),
        Some(&Nix::str("/boot"))
    );
    assert_eq!(
        attr(parts, "ESP.content.mountOptions"),
        Some(&strs(&["umask=0077"]))
    );
    assert_eq!(
        attr(parts, "swap.content.randomEncryption"),
        Some(&Nix::Bool(true))
    );
    assert_eq!(attr(parts, "root.content.type"), Some(&Nix::str("luks")));
    assert_eq!(
        attr(parts, "root.content.extraFormatArgs"),
        Some(&strs(&["--type", "luks2"]))
    );
    assert_eq!(
        attr(parts, "root.content.settings.crypttabExtraOpts"),
        Some(&strs(&["tpm2-device=auto"]))
    );
    assert_eq!(
        attr(parts, "root.content.content.mountpoint"),
        Some(&Nix::str("/"))
    );
    // disko alone declares the disk's file systems and swap; nhos adds only the
    // hardening mounts (R13), none of which disko declares.
    let mounts: Vec<&str> = clinical
        .options
        .iter()
        .filter(|o| o.path[0] == "fileSystems")
        .map(|o| o.path[1].as_str())
        .collect();
    assert_eq!(mounts, ["/tmp"]);
    assert!(clinical.options.iter().all(|o| o.path[0] != "swapDevices"));
    assert_eq!(get(clinical, "nhos.disk.tpm2"), Some(&Nix::Bool(true)));
    assert_eq!(
        get(clinical, "boot.loader.systemd-boot.enable"),
        Some(&Nix::Bool(true))
    );
    assert_eq!(
        get(clinical, "boot.loader.systemd-boot.editor"),
        Some(&Nix::Bool(false))
    );
    assert_eq!(
        get(clinical, "boot.initrd.systemd.enable"),
        Some(&Nix::Bool(true))
    );
    assert_eq!(
        get(clinical, "boot.loader.timeout"),
        Some(&Nix::call(Func::MkDefault, Nix::Int(3)))
    );

    // The kiosk's encryption is decided by risk (waived): a plain root, no LUKS.
    let kiosk = &e.lowered()["kiosk"];
    let parts = attr(
        get(kiosk, "disko.devices.disk.main").expect("disk"),
        "content.partitions",
    )
    .expect("partitions");
    assert_eq!(
        attr(parts, "root.content.type"),
        Some(&Nix::str("filesystem"))
    );
    assert_eq!(get(kiosk, "nhos.disk.luks"), None);

    // A VM's disk is the image's: root and ESP by label, no disko, no EFI variables.
    let analyst = &e.lowered()["analyst"];
    assert_eq!(
        get(analyst, "fileSystems./").and_then(|v| attr(v, "device")),
        Some(&Nix::str("/dev/disk/by-label/nixos"))
    );
    assert!(get(analyst, "disko.devices.disk.main").is_none());
    assert!(get(analyst, "boot.loader.efi.canTouchEfiVariables").is_none());

    // The DR stick runs from its ISO.
    let dr = &e.lowered()["dr"];
    assert_eq!(
        dr.imports,
        vec!["installer/cd-dvd/iso-image.nix".to_owned()]
    );
    assert_eq!(
        get(dr, "isoImage.volumeID"),
        Some(&Nix::str("VALLEY_DESKTOP"))
    );
    assert!(get(dr, "boot.loader.systemd-boot.enable").is_none());
}

#[test]
fn break_glass_administrators_directory_users_and_autologin() {
    let e = example();
    let admin = &e.lowered()["admin"];
    assert_eq!(get(admin, "users.mutableUsers"), Some(&Nix::Bool(false)));
    assert_eq!(
        get(admin, "users.users.breakglass.extraGroups"),
        Some(&strs(&["wheel"]))
    );
    assert_eq!(
        get(admin, "users.users.breakglass.hashedPasswordFile"),
        Some(&Nix::str("/var/lib/nhos/secrets/breakglass.hash"))
    );
    assert!(matches!(
        get(admin, "users.users.breakglass.openssh.authorizedKeys.keys"),
        Some(Nix::List(keys)) if keys.len() == 1
    ));
    assert_eq!(
        get(admin, "users.users.root.hashedPassword"),
        Some(&Nix::str("!"))
    );
    assert_eq!(get(admin, "users.allowNoPasswordLogin"), None);
    assert_eq!(get(admin, "services.sssd.enable"), Some(&Nix::Bool(true)));

    // No administrator on the kiosk and the DR stick: their sessions are the login,
    // and NixOS is told so on purpose.
    for p in ["kiosk", "dr"] {
        let l = &e.lowered()[p];
        assert!(
            get(l, "users.users.breakglass.isNormalUser").is_none(),
            "{p}"
        );
        assert_eq!(
            get(l, "users.allowNoPasswordLogin"),
            Some(&Nix::Bool(true)),
            "{p}"
        );
    }
    let dr = &e.lowered()["dr"];
    assert_eq!(
        get(dr, "services.displayManager.autoLogin.user"),
        Some(&Nix::str("staff"))
    );
    assert_eq!(
        get(dr, "users.users.staff.isNormalUser"),
        Some(&Nix::Bool(true))
    );
}

#[test]
fn updates_come_from_the_estate_flake_on_a_schedule_inside_the_reboot_window() {
    let e = example();
    let clinical = &e.lowered()["clinical"];
    assert_eq!(
        get(clinical, "nhos.updates.flake"),
        Some(&Nix::str(
            "git+https://git.evt.nhs.uk/desktop/estate?ref=main&dir=flake"
        ))
    );
    assert_eq!(
        get(clinical, "system.autoUpgrade.dates"),
        Some(&Nix::str("04:40"))
    );
    assert_eq!(
        get(clinical, "system.autoUpgrade.rebootWindow"),
        Some(&Nix::attrs([
            ("lower".to_owned(), Nix::str("01:00")),
            ("upper".to_owned(), Nix::str("05:00")),
        ]))
    );
    assert_eq!(
        get(clinical, "system.autoUpgrade.randomizedDelaySec"),
        Some(&Nix::str("45min"))
    );
    // The flake reference is the module's to complete, per system; never a
    // hand-written `#`.
    assert!(get(clinical, "system.autoUpgrade.flake").is_none());
    let module = std::fs::read_to_string(common::repo_root().join("modules/nhos/updates.nix"))
        .expect("updates.nix");
    assert!(module.contains(r#"system.autoUpgrade.flake = "${cfg.flake}#${cfg.attr}";"#));
    // A live stick is replaced, not updated.
    assert!(get(&e.lowered()["dr"], "system.autoUpgrade.enable").is_none());
}

fn codes(estate: &Estate, profile: &str, l: &Lowered) -> BTreeSet<Code> {
    invariants::check(estate, &estate.profiles[profile], l)
        .into_iter()
        .map(|d| d.code)
        .collect()
}

fn without(l: &Lowered, prefix: &str) -> Lowered {
    let mut l = l.clone();
    l.options.retain(|o| !o.path.join(".").starts_with(prefix));
    l
}

fn with(l: &Lowered, path: &str, value: Nix) -> Lowered {
    let mut l = l.clone();
    l.options.push(Opt {
        path: path.split('.').map(str::to_owned).collect(),
        value,
        comment: None,
    });
    l
}

#[test]
fn every_invariant_fires_on_a_tree_that_breaks_it() {
    let e = example();
    let good = &e.lowered()["clinical"];
    assert_eq!(
        codes(&e, "clinical", good),
        BTreeSet::new(),
        "the example passes"
    );
    let broken: Vec<(Code, Lowered)> = vec![
        (Code::NoRootFileSystem, without(good, "disko.")),
        (
            Code::NoBootLoader,
            without(good, "boot.loader.systemd-boot.enable"),
        ),
        (
            Code::NobodyCanLogIn,
            without(good, "users.users.breakglass"),
        ),
        (
            Code::WirelessConflict,
            with(good, "networking.wireless.enable", Nix::Bool(false)),
        ),
        (
            Code::StateVersion,
            with(
                &without(good, "system.stateVersion"),
                "system.stateVersion",
                Nix::str("2605"),
            ),
        ),
        (Code::AutoUpgradeFlake, without(good, "nhos.updates.flake")),
        (
            Code::Calendar,
            with(
                &without(good, "system.autoUpgrade.dates"),
                "system.autoUpgrade.dates",
                Nix::str("25:00"),
            ),
        ),
        (
            Code::DuplicateOption,
            with(good, "networking.firewall.enable", Nix::Bool(true)),
        ),
        (
            Code::HostName,
            with(
                &without(good, "networking.hostName"),
                "networking.hostName",
                Nix::str("ward_7.evt"),
            ),
        ),
    ];
    let mut shown = BTreeSet::new();
    for (want, tree) in &broken {
        let got = codes(&e, "clinical", tree);
        assert!(got.contains(want), "{want:?} not raised: {got:?}");
        shown.insert(*want);
    }
    // The ones that need the definition (ISO volume ID, outputs vs layout) are shown
    // by the corpus (load-iso-volume-id-too-long, load-output-layout).
    shown.insert(Code::IsoVolumeId);
    shown.insert(Code::OutputLayout);
    // And the DR stick's passwordless session with a screen lock
    // (load-unlockable-lock).
    shown.insert(Code::UnlockableLock);
    let all: BTreeSet<Code> = INVARIANTS.iter().map(|i| i.code).collect();
    assert_eq!(shown, all, "every invariant is exercised");
    for i in INVARIANTS {
        assert!(
            i.nixpkgs_file.ends_with(".nix"),
            "{:?} names the nixpkgs file that enforces it",
            i.code
        );
    }
}

#[test]
fn every_invariant_diagnostic_names_the_nixpkgs_file() {
    let e = example();
    let l = without(&e.lowered()["server"], "users.users.breakglass");
    let d = invariants::check(&e, &e.profiles["server"], &l);
    let login = d
        .iter()
        .find(|d| d.code == Code::NobodyCanLogIn)
        .expect("nobody can log in");
    assert!(
        login
            .hint
            .as_deref()
            .unwrap_or_default()
            .contains("nixos/modules/config/users-groups.nix"),
        "{login:?}"
    );
    let at = login.location.as_ref().expect("located");
    assert_eq!(
        at.file, "profiles/baseline.toml",
        "at users.mutable, where immutability comes from"
    );
}

/// A profile file with one field set to `value`, for the checked fields.
fn desk_with(field: &str, value: &str) -> String {
    let lit = toml::Value::String(value.to_owned()).to_string();
    let body = match field {
        "schedule" => format!(
            "[settings.updates]\nautomatic = true\nflake = \"github:t/e\"\nschedule = {lit}\n"
        ),
        "flake" => format!("[settings.updates]\nautomatic = true\nflake = {lit}\n"),
        "reboot-window" => format!("[settings.updates]\nreboot-window = {lit}\n"),
        "autologin-user" => format!("[settings.login]\nautologin-user = {lit}\n"),
        "device" => format!("[settings.disk]\ndevice = {lit}\n"),
        "ssh-key" => format!("[settings.administrators.it]\nssh-keys = [{lit}]\n"),
        "password-file" => format!("[settings.administrators.it]\nhashed-password-file = {lit}\n"),
        other => unreachable!("{other}"),
    };
    format!("[profile]\nrole = \"admin\"\ninherits = [\"base\"]\n\n{body}")
}

#[test]
fn checked_fields_refuse_hostile_values_at_their_line() {
    let hostile = [
        "\"",
        "${builtins.abort \"x\"}",
        "a\nb",
        "\"; networking.firewall.enable = false; x = \"",
        "emoji 🏥🔒",
        "{ } ; = : @ ? .. //",
        "escape \u{1b}[31m",
        "'' ''${x}",
    ];
    let mut checked = 0;
    for field in [
        "schedule",
        "flake",
        "reboot-window",
        "autologin-user",
        "device",
        "ssh-key",
        "password-file",
    ] {
        for h in hostile {
            let dir = common::materialize(&common::corpus().join("load-ok-minimal"));
            let text = desk_with(field, h);
            std::fs::write(dir.path().join("profiles/desk.toml"), &text).expect("write");
            let err = match nhos_core::load(dir.path()) {
                Ok(_) => panic!("{field} = {h:?} was accepted"),
                Err(e) => e,
            };
            let line = text
                .lines()
                .position(|l| {
                    l.contains('=')
                        && l.starts_with(match field {
                            "ssh-key" => "ssh-keys",
                            "password-file" => "hashed-password-file",
                            f => f,
                        })
                })
                .expect("the field's line") as u32
                + 1;
            assert!(
                err.diagnostics().iter().any(|d| d
                    .location
                    .as_ref()
                    .is_some_and(|l| l.file == "profiles/desk.toml" && l.line == line)),
                "{field} = {h:?}: no diagnostic at line {line}: {:?}",
                err.diagnostics()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 56);
}

#[test]
fn every_system_gets_packages_apps_and_checks() {
    let dir = common::materialize(&common::corpus().join("load-ok-minimal"));
    let estate = std::fs::read_to_string(dir.path().join("estate.toml")).expect("read");
    std::fs::write(
        dir.path().join("estate.toml"),
        format!("systems = [\"x86_64-linux\", \"aarch64-linux\"]\n{estate}"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("profiles/desk.toml"),
        "[profile]\nrole = \"analyst\"\ninherits = [\"base\"]\n\n[capabilities]\nadd = [\"desktop\"]\n\n[packages]\nadd = [\"weasis\", \"hunspellDicts.en_GB-ise\"]\n\n[outputs]\nformats = [\"vm\", \"qcow2\"]\n",
    )
    .expect("write");
    let e = nhos_core::load(dir.path()).expect("loads");
    assert_eq!(
        e.systems,
        ["x86_64-linux", "aarch64-linux"],
        "the order written"
    );
    let g = nhos_core::generate(
        &e,
        // A bare test estate: only the flake's shape is under test here.
        &nhos_core::GenerateOptions {
            allow_findings: true,
            ..nhos_core::GenerateOptions::new(common::FIXED_TODAY)
        },
    )
    .expect("generates");
    let outputs = String::from_utf8_lossy(&g.files["outputs.nix"]).into_owned();
    assert!(
        outputs.contains(r#"systems = [ "x86_64-linux" "aarch64-linux" ];"#),
        "{outputs}"
    );
    nixrun::require();
    let tmp = tempfile::tempdir().expect("tmp");
    nhos_core::generate::write(&g, &tmp.path().join("out")).expect("writes");
    let desk = &e.profiles["desk"];
    let installed: Vec<String> = nhos_core::generate::lower::installed_packages(desk)
        .map(str::to_owned)
        .collect();
    assert!(
        installed.contains(&"hunspellDicts.en_GB-ise".to_owned()),
        "{installed:?}"
    );
    nixrun::write_stubs(tmp.path(), installed.clone());
    let shape = nixrun::eval_json(
        r#"let s = import ./stubs.nix; o = s.flake ./out; in {
             configs = builtins.attrNames o.nixosConfigurations;
             packages = o.packages;
             apps = builtins.mapAttrs (_: a: builtins.attrNames a) o.apps;
             checks = o.checks;
             nhos = o.nhos;
           }"#,
        tmp.path(),
    )
    .expect("the flake evaluates");
    assert_eq!(
        shape["configs"],
        serde_json::json!(["desk", "desk-aarch64-linux"])
    );
    assert_eq!(
        shape["packages"],
        serde_json::json!({
            "aarch64-linux": { "desk-qcow2": "qemu-efi:desk-aarch64-linux:aarch64-linux", "desk-vm": "vm:desk-aarch64-linux:aarch64-linux" },
            "x86_64-linux": { "desk-qcow2": "qemu-efi:desk:x86_64-linux", "desk-vm": "vm:desk:x86_64-linux" }
        })
    );
    assert_eq!(
        shape["apps"],
        serde_json::json!({ "aarch64-linux": ["desk-vm"], "x86_64-linux": ["desk-vm"] })
    );
    assert_eq!(
        shape["checks"],
        serde_json::json!({
            "aarch64-linux": { "desk": "toplevel:desk-aarch64-linux:aarch64-linux" },
            "x86_64-linux": { "desk": "toplevel:desk:x86_64-linux" }
        })
    );
    // Each installed definition package -> the package the primary system's
    // package set has under that attribute (the stubs name it `pkg:<attr>`).
    let packages: serde_json::Map<String, serde_json::Value> = installed
        .iter()
        .map(|a| (a.clone(), serde_json::Value::String(format!("pkg:{a}"))))
        .collect();
    assert_eq!(
        shape["nhos"],
        serde_json::json!({ "desk": { "packages": packages } })
    );
}

#[test]
fn every_invariant_a_definition_can_break_has_a_corpus_case() {
    // Guards on nhos's own lowering, which no definition reaches: nhos never sets
    // networking.wireless (NHOS203), never defines an option twice (NHOS209), and
    // profile names are refused before they become host names (NHOS210). The
    // tree-breaking test above shows that they fire.
    let unreachable = [
        Code::WirelessConflict,
        Code::DuplicateOption,
        Code::HostName,
    ];
    let snaps = common::repo_root().join("nhos-core/tests/snapshots/corpus");
    let texts: Vec<String> = std::fs::read_dir(&snaps)
        .expect("snapshots")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("load-"))
        })
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();
    for i in INVARIANTS {
        if unreachable.contains(&i.code) {
            continue;
        }
        let code = format!("\"code\": \"{}\"", i.code.as_str());
        assert!(
            texts.iter().any(|t| t.contains(&code)),
            "no load- corpus case shows {}",
            i.code.as_str()
        );
    }
}
