//! Generation: snapshots of the example's flake, the option contract, the second
//! policy check, output safety, determinism, and the Nix checks (parse every file,
//! evaluate what needs no nixpkgs, and an injection corpus).

mod common;
#[path = "common/nixast.rs"]
mod nixast;
#[path = "common/nix.rs"]
mod nixrun;

use nhos_core::generate::{self, Drift};
use nhos_core::{Catalogue, GenerateOptions};

fn opts() -> GenerateOptions {
    GenerateOptions::new(common::FIXED_TODAY)
}

/// For the bare test estates of the corpus, which leave most rules unmet: what is
/// under test is the shape of the flake.
fn opts_allowing() -> GenerateOptions {
    GenerateOptions {
        allow_findings: true,
        ..opts()
    }
}

fn example_generated() -> nhos_core::Generated {
    let e = nhos_core::load(common::example()).expect("example loads");
    nhos_core::generate(&e, &opts()).expect("generates")
}

#[test]
fn example_tree_snapshots() {
    let g = example_generated();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/generate");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (path, bytes) in &g.files {
            // Modules are copied verbatim from modules/; assets are binary.
            if path.starts_with("modules/") || path.starts_with("assets/") {
                continue;
            }
            let name = path.replace('/', "__");
            insta::assert_snapshot!(name, String::from_utf8(bytes.clone()).expect("text"));
        }
    });
    let names: Vec<&str> = g.files.keys().map(String::as_str).collect();
    for want in [
        "flake.nix",
        "outputs.nix",
        "hosts/default.nix",
        "hosts/clinical.nix",
        "nhos-manifest.json",
        "modules/nhos/default.nix",
    ] {
        assert!(names.contains(&want), "{want} missing from {names:?}");
    }
    assert!(
        !names.contains(&"flake.lock"),
        "no narHash in the example pin, so no lock"
    );
    assert_eq!(names.iter().filter(|n| n.starts_with("assets/")).count(), 4);
}

#[test]
fn flake_lock_is_written_when_the_pin_has_a_nar_hash() {
    let dir = common::materialize(&common::corpus().join("load-ok-minimal"));
    let estate = std::fs::read_to_string(dir.path().join("estate.toml")).expect("read").replace(
        "release = \"26.05\"",
        "release = \"26.05\"\ncommit = \"0123456789abcdef0123456789abcdef01234567\"\nnar-hash = \"sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"",
    );
    std::fs::write(dir.path().join("estate.toml"), estate).expect("write");
    let e = nhos_core::load(dir.path()).expect("loads");
    let g = nhos_core::generate(&e, &opts_allowing()).expect("generates");
    let lock: serde_json::Value = serde_json::from_slice(&g.files["flake.lock"]).expect("json");
    assert_eq!(
        lock["nodes"]["nixpkgs"]["locked"]["rev"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    assert_eq!(
        lock["nodes"]["nixpkgs"]["locked"]["narHash"],
        "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
    );
    assert_eq!(lock["version"], 7);
}

#[test]
fn every_emitted_option_path_is_in_the_contract() {
    let mut estates = vec![nhos_core::load(common::example()).expect("loads")];
    for (_, path) in common::cases("rule-")
        .into_iter()
        .chain(common::cases("generate-"))
    {
        let dir = common::materialize(&path);
        estates.push(nhos_core::load(dir.path()).expect("loads"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for e in &estates {
        let lowered = generate::lower_all(e);
        for l in lowered.values() {
            assert_eq!(generate::contract::check(l), Vec::<String>::new());
            for o in &l.options {
                let (pattern, spec) = generate::contract::lookup(&o.path).expect("in contract");
                seen.insert((pattern, spec.status.as_str()));
            }
        }
    }
    // The contract is not padded: each entry is emitted for the example or the
    // corpus, or set by a module of modules/ or the flake (tests/nix_tree.rs walks
    // those with rnix).
    let g = example_generated();
    let lookup = |p: &[String]| {
        generate::contract::lookup(p).map(|(k, spec)| nixast::Entry {
            pattern: k.to_owned(),
            module: spec.ty == "module",
            only_in: spec.only_in.clone(),
        })
    };
    for (path, bytes) in &g.files {
        let text = String::from_utf8_lossy(bytes);
        let mut modules = Vec::new();
        if path.starts_with("modules/") && !nixast::is_submodule_function(path) {
            modules.push(text.to_string());
        } else if path == "flake.nix" {
            modules.extend(nixast::flake_inline_modules(&text).expect("flake parses"));
        }
        let resolve = |rel: &str| nixast::resolve_in(&g.files, path, rel);
        for m in modules {
            for (_, found) in
                nixast::module_options_with(&m, &lookup, Some(&resolve)).expect("parses")
            {
                if let nixast::Found::Declared(pattern) = found {
                    let spec = &generate::contract::contract()[&pattern];
                    seen.insert((
                        generate::contract::contract()
                            .get_key_value(&pattern)
                            .map(|(k, _)| k.as_str())
                            .unwrap_or_default(),
                        spec.status.as_str(),
                    ));
                }
            }
        }
    }
    let dead: Vec<String> = generate::contract::contract()
        .iter()
        .filter(|(pattern, _)| !seen.iter().any(|(p, _)| p == pattern))
        .map(|(pattern, spec)| format!("{pattern} ({})", spec.status))
        .collect();
    assert!(dead.is_empty(), "contract entries never emitted: {dead:#?}");
}

#[test]
fn write_refuses_foreign_directories_and_symlinks_and_check_names_drift() {
    let g = example_generated();
    let tmp = tempfile::tempdir().expect("tmp");
    // A non-empty directory that is not nhos output is left alone.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("precious.txt"), "keep me").expect("write");
    let err = generate::write(&g, &foreign).expect_err("refused");
    assert!(
        err.to_string().contains("refusing to write into it"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(foreign.join("precious.txt")).expect("still there"),
        "keep me"
    );
    // A symlink as the output is refused, and its target untouched.
    #[cfg(unix)]
    {
        let target = tmp.path().join("target");
        std::fs::create_dir(&target).expect("mkdir");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(generate::write(&g, &link).is_err());
        assert_eq!(std::fs::read_dir(&target).expect("dir").count(), 0);
    }
    // Fresh output, then regenerating over our own output works.
    let out = tmp.path().join("out");
    generate::write(&g, &out).expect("writes");
    assert_eq!(
        generate::check(&g, &out).expect("checks"),
        Vec::<Drift>::new()
    );
    std::fs::write(out.join("hosts/kiosk.nix"), "# edited by hand\n").expect("edit");
    std::fs::remove_file(out.join("outputs.nix")).expect("rm");
    // A file of the user's is not drift: nhos did not write it.
    std::fs::write(out.join("stray.nix"), "{}").expect("write");
    let drift = generate::check(&g, &out).expect("checks");
    assert_eq!(
        drift,
        [
            Drift::Changed("hosts/kiosk.nix".into()),
            Drift::Missing("outputs.nix".into()),
        ]
    );
    let w = generate::write(&g, &out).expect("rewrites our own output");
    assert_eq!(w.written, ["hosts/kiosk.nix", "outputs.nix"]);
    assert_eq!(w.kept, ["stray.nix"]);
    assert_eq!(
        generate::check(&g, &out).expect("checks"),
        Vec::<Drift>::new()
    );
    // Nothing is left beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("nhos-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn stub_packages() -> Vec<String> {
    let cat = Catalogue::builtin();
    cat.package_names().map(str::to_owned).collect()
}

#[test]
fn nix_parses_every_generated_and_hand_written_file() {
    nixrun::require();
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    generate::write(&example_generated(), &out).expect("writes");
    let mut files = Vec::new();
    for root in [
        out.clone(),
        common::repo_root().join("modules"),
        common::repo_root().join("nix"),
        common::repo_root().join("templates"),
        common::repo_root().join("tests/nix"),
    ] {
        let mut stack = vec![root];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in rd {
                let p = entry.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|e| e == "nix") {
                    files.push(p);
                }
            }
        }
    }
    files.push(common::repo_root().join("flake.nix"));
    assert!(files.len() >= 20, "{files:?}");
    for f in &files {
        nixrun::parse(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
}

#[test]
fn nix_evaluates_the_manifest_flake_shape_and_hosts() {
    nixrun::require();
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    generate::write(&example_generated(), &out).expect("writes");
    nixrun::write_stubs(tmp.path(), stub_packages());
    let manifest = nixrun::eval_json(
        "builtins.fromJSON (builtins.readFile ./out/nhos-manifest.json)",
        tmp.path(),
    )
    .expect("manifest evaluates");
    assert_eq!(manifest["schema"], "nhos-manifest/1");
    assert_eq!(
        manifest["profiles"]["analyst"]["outputs"],
        serde_json::json!(["analyst-qcow2", "analyst-vm"])
    );

    let shape = nixrun::eval_json(
        r#"let s = import ./stubs.nix; o = s.flake ./out; in {
             systems = builtins.attrNames o.packages;
             packages = o.packages.x86_64-linux;
             apps = o.apps.x86_64-linux;
             configs = builtins.attrNames o.nixosConfigurations;
             checks = o.checks.x86_64-linux;
             hydra = builtins.attrNames o.hydraJobs.images.x86_64-linux;
             modules = builtins.length o.nixosConfigurations.clinical.modules;
           }"#,
        tmp.path(),
    )
    .expect("flake outputs evaluate with a stub nixpkgs");
    assert_eq!(shape["systems"], serde_json::json!(["x86_64-linux"]));
    // Each package is built by what its format needs, from its own configuration.
    assert_eq!(
        shape["packages"],
        serde_json::json!({
            "admin-installer": "iso:installer-of-admin:x86_64-linux",
            "admin-vm": "vm:admin:x86_64-linux",
            "analyst-qcow2": "qemu-efi:analyst:x86_64-linux",
            "analyst-vm": "vm:analyst:x86_64-linux",
            "clinical-installer": "iso:installer-of-clinical:x86_64-linux",
            "clinical-vm": "vm:clinical:x86_64-linux",
            "dr-iso": "iso:dr:x86_64-linux",
            "kiosk-raw": "raw-efi:kiosk:x86_64-linux",
            "server-qcow2": "qemu-efi:server:x86_64-linux"
        })
    );
    assert_eq!(
        shape["apps"],
        serde_json::json!({
            "admin-vm": { "type": "app", "program": "vm:admin:x86_64-linux/bin/run-admin-vm" },
            "analyst-vm": { "type": "app", "program": "vm:analyst:x86_64-linux/bin/run-analyst-vm" },
            "clinical-vm": { "type": "app", "program": "vm:clinical:x86_64-linux/bin/run-clinical-vm" }
        })
    );
    assert_eq!(
        shape["configs"],
        serde_json::json!(["admin", "analyst", "clinical", "dr", "kiosk", "server"])
    );
    assert_eq!(shape["checks"]["kiosk"], "toplevel:kiosk:x86_64-linux");
    assert_eq!(shape["checks"].as_object().map(|o| o.len()), Some(6));
    assert_eq!(
        shape["hydra"],
        serde_json::json!(
            shape["packages"]
                .as_object()
                .expect("packages")
                .keys()
                .collect::<Vec<_>>()
        )
    );
    // disko, the nhos modules, the host, and the inline module.
    assert_eq!(shape["modules"], 4);

    // Every host module evaluates (strictly) against the stubs.
    let hosts = nixrun::eval_json(
        r#"let s = import ./stubs.nix; in builtins.mapAttrs (n: _: builtins.removeAttrs (s.host ./out n) [ "nhos" ]) (import ./out/hosts)"#,
        tmp.path(),
    )
    .expect("hosts evaluate");
    assert_eq!(hosts["clinical"]["networking"]["hostName"], "clinical");
    assert_eq!(
        hosts["kiosk"]["boot"]["blacklistedKernelModules"],
        serde_json::json!(["usb_storage", "uas"])
    );
    assert_eq!(hosts["admin"]["services"]["usbguard"]["enable"], true);
    assert_eq!(
        hosts["server"]["services"]["openssh"]["settings"]["PermitRootLogin"],
        "no"
    );
    let dconf = nixrun::eval_json(
        r#"let s = import ./stubs.nix; in (s.host ./out "clinical").nhos.dconf"#,
        tmp.path(),
    )
    .expect("dconf evaluates");
    assert_eq!(
        dconf["user"]["settings"]["org/gnome/desktop/session"]["idle-delay"],
        serde_json::json!({ "_type": "gvariant", "type": "u", "value": 300 })
    );
    assert!(
        dconf["user"]["locks"]
            .as_array()
            .expect("locks")
            .contains(&serde_json::json!("/org/gnome/desktop/session/idle-delay"))
    );
    assert_eq!(
        dconf["gdm"]["settings"]["org/gnome/login-screen"]["disable-user-list"],
        true
    );
}

/// A single-line TOML basic string, usable as a key.
fn toml_key(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Hostile strings: quotes, backslashes, interpolation, indented-string quotes,
/// newlines and other control characters, non-ASCII, and very long values.
fn hostile() -> Vec<String> {
    let mut v: Vec<String> = [
        "\"",
        "\\",
        "${builtins.abort \"injected\"}",
        "$${x}",
        "\\${x}",
        "''",
        "''${x}''",
        "a\nb\n}; evil = true; {",
        "carriage\rreturn",
        "tab\there",
        "\"; networking.firewall.enable = false; x = \"",
        "*/ /* # not a comment",
        "trailing dollar $",
        "${",
        "Ysbyty Gwynedd – café ✓ 日本語",
        "emoji 🏥🔒",
        "'single' and `backtick`",
        "with import <nixpkgs> {}; abort \"x\"",
        "escape \u{1b}[31m and del \u{7f}",
        "nul \u{0} and bell \u{7}",
        "{ } ; = : @ ? .. //",
        "\\n is not a newline",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    v.push("${".repeat(5000));
    v.push("é".repeat(20_000));
    v
}

#[test]
fn nix_injection_corpus_round_trips_every_field() {
    nixrun::require();
    let tmp = tempfile::tempdir().expect("tmp");
    nixrun::write_stubs(tmp.path(), stub_packages());
    let strings = hostile();
    assert!(strings.len() >= 20);
    let mut refused_cases = 0;
    for (i, h) in strings.iter().enumerate() {
        let lit = toml::Value::String(h.clone()).to_string();
        let key = toml_key(h);
        let dir = common::materialize(&common::corpus().join("load-ok-minimal"));
        let root = dir.path();
        std::fs::write(
            root.join("estate.toml"),
            format!("[organisation]\nname = {lit}\nods-code = \"RZZ\"\nnhs-identity = true\n\n[nixpkgs]\nrelease = \"26.05\"\n"),
        )
        .expect("write");
        std::fs::write(
            root.join("branding.toml"),
            format!("os-name = {lit}\nvendor = {lit}\niso-volume-id = {lit}\nlogin-banner = {lit}\n\n[fonts]\nsans = {lit}\n"),
        )
        .expect("write");
        std::fs::write(
            root.join("profiles/desk.toml"),
            format!(
                "[profile]\nrole = \"admin\"\ninherits = [\"base\"]\ndescription = {lit}\n\n[capabilities]\nadd = [\"desktop\", \"browser\", \"nhsmail\", \"ad-join\"]\n\n\
                 [settings.login]\nshow-banner = true\n\n[settings.browser]\nhomepage = {lit}\nbookmarks = {{ {key} = {lit} }}\n\n\
                 [settings.nhsmail]\nurl = {lit}\n\n[settings.branding]\nvariant = {lit}\n\n[settings.updates]\nautomatic = true\nschedule = \"04:40\"\nflake = \"github:example/estate\"\n\n[settings.locale]\ntimezone = {lit}\n\n[settings.ad]\ndomain = {lit}\n"
            ),
        )
        .expect("write");
        std::fs::write(
            root.join("profiles/kio.toml"),
            format!("[profile]\nrole = \"kiosk\"\ninherits = [\"base\"]\n\n[capabilities]\nadd = [\"kiosk\", \"browser\"]\n\n[settings.kiosk]\nurl = {lit}\n"),
        )
        .expect("write");
        // Control characters other than tab and line feed are refused at load, at
        // their line; everything else must round-trip.
        let refused = h.chars().any(|c| c.is_control() && c != '\t' && c != '\n');
        if refused {
            let err = nhos_core::load(root).expect_err("control characters are refused");
            assert!(
                err.diagnostics()
                    .iter()
                    .all(|d| d.code.as_str() == "NHOS105"
                        && d.message.contains("which nhos refuses")
                        && d.location.as_ref().is_some_and(|l| l.line > 0)),
                "case {i}: {:?}",
                err.diagnostics()
            );
            refused_cases += 1;
            continue;
        }
        let e = nhos_core::load(root).unwrap_or_else(|e| panic!("case {i}: {e}"));
        let g =
            nhos_core::generate(&e, &opts_allowing()).unwrap_or_else(|e| panic!("case {i}: {e}"));
        let out = tmp.path().join(format!("out{i}"));
        generate::write(&g, &out).expect("writes");
        for f in [
            "hosts/desk.nix",
            "hosts/kio.nix",
            "flake.nix",
            "outputs.nix",
            "hosts/default.nix",
        ] {
            nixrun::parse(&out.join(f)).unwrap_or_else(|err| panic!("case {i} {f}: {err}"));
        }
        let got = nixrun::eval_json(
            &format!(
                r#"let s = import ./stubs.nix; h = s.host ./out{i} "desk"; ff = import ./out{i}/flake.nix; in [
                     h.nhos.branding.osName h.nhos.branding.vendorName h.nhos.images.volumeId h.nhos.branding.loginBanner
                     (s.host ./out{i} "kio").nhos.kiosk.url h.programs.firefox.policies.Homepage.URL
                     (builtins.elemAt h.programs.firefox.policies.ManagedBookmarks 1).name
                     (builtins.elemAt h.programs.firefox.policies.ManagedBookmarks 1).url
                     h.nhos.launchers.nhsmail h.nhos.branding.variantName
                     h.time.timeZone (builtins.head h.fonts.fontconfig.defaultFonts.sansSerif)
                     ff.description h.security.krb5.settings.libdefaults.default_realm ]"#
            ),
            tmp.path(),
        )
        .unwrap_or_else(|err| panic!("case {i}: {err}"));
        let want = serde_json::json!([
            h,
            h,
            h,
            h.trim(),
            h,
            h,
            h,
            h,
            h,
            h,
            h,
            h,
            format!("NixOS images of the {h} desktop estate, generated by nhos"),
            h.to_uppercase()
        ]);
        assert_eq!(got, want, "case {i}: {h:?}");
    }
    // Both branches ran: the refused controls (CR; ESC and DEL; NUL and BEL) and
    // the rest.
    assert_eq!(refused_cases, 3);
}

#[test]
fn nothing_generated_depends_on_the_day() {
    // Two days on which the example has different warnings (R1's end of support
    // draws near) but no errors: the trees are byte-identical.
    let e = nhos_core::load(common::example()).expect("loads");
    let day = |d: u8| {
        nhos_core::generate(
            &e,
            &GenerateOptions::new(nhos_core::Date {
                year: 2026,
                month: 12,
                day: d,
            }),
        )
        .expect("generates")
    };
    let (a, b) = (day(1), day(30));
    assert_ne!(a.report.summary.warnings, 0);
    assert_eq!(a.files, b.files);
}
