//! The `nhos` binary end to end: exit codes and outputs as documented in docs/cli.md.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn nhos(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_nhos"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_exit_codes() {
    assert_eq!(nhos(&["check", "examples/example-valley"]).0, 0);
    let (code, _, err) = nhos(&["check", "tests/corpus/load-unknown-parent"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("NHOS110")
            && err.contains("profiles/desk.toml:3:13")
            && err.contains("did you mean `base`?"),
        "{err}"
    );
    assert_eq!(nhos(&["check", "no/such/dir"]).0, 2);
}

#[test]
fn check_json() {
    let (code, out, _) = nhos(&["check", "tests/corpus/load-wrong-types", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["schema"], "nhos-check/1");
    assert_eq!(v["diagnostics"].as_array().map(Vec::len), Some(3));
}

#[test]
fn validate_formats_and_ratchet() {
    let ex = "examples/example-valley";
    let (code, out, _) = nhos(&["validate", ex, "--today", "2026-11-23"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("4 waived"), "{out}");
    for f in ["json", "sarif", "junit"] {
        let (code, out, _) = nhos(&["validate", ex, "--today", "2026-11-23", "--format", f]);
        assert_eq!(code, 0);
        assert!(!out.is_empty());
    }
    // After the waivers expire the gate fails ...
    let (code, _, _) = nhos(&["validate", ex, "--today", "2027-04-02"]);
    assert_eq!(code, 1);
    // ... unless those findings are already in the baseline.
    let tmp = tempfile::tempdir().expect("tmp");
    let base = tmp.path().join("baseline.json");
    let base_s = base.to_str().expect("utf8");
    let (code, _, _) = nhos(&[
        "validate",
        ex,
        "--today",
        "2027-04-02",
        "--format",
        "json",
        "-o",
        base_s,
    ]);
    assert_eq!(code, 1);
    let (code, out, _) = nhos(&[
        "validate",
        ex,
        "--today",
        "2027-04-02",
        "--baseline",
        base_s,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 new against the baseline"));
    // A bad date is a usage error.
    assert_eq!(nhos(&["validate", ex, "--today", "2027-13-01"]).0, 2);
}

#[test]
fn generate_writes_and_check_detects_drift() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("flake");
    let o = out.to_str().expect("utf8");
    let (code, stdout, err) = nhos(&[
        "generate",
        "examples/example-valley",
        "-o",
        o,
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("files generated") && stdout.contains("written"),
        "{stdout}"
    );
    assert_eq!(
        nhos(&[
            "generate",
            "examples/example-valley",
            "-o",
            o,
            "--today",
            "2026-11-23",
            "--check"
        ])
        .0,
        0
    );
    std::fs::write(out.join("hosts/admin.nix"), "{ }\n").expect("edit");
    let (code, stdout, _) = nhos(&[
        "generate",
        "examples/example-valley",
        "-o",
        o,
        "--today",
        "2026-11-23",
        "--check",
    ]);
    assert_eq!(code, 1);
    assert_eq!(stdout.trim(), "changed: hosts/admin.nix");
    // A directory that is not nhos output is refused: exit 2, nothing changed.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "mine").expect("write");
    let (code, _, err) = nhos(&[
        "generate",
        "examples/example-valley",
        "-o",
        foreign.to_str().expect("utf8"),
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("refusing to write into it"), "{err}");
    // A broken estate cannot be generated: exit 2.
    assert_eq!(
        nhos(&["generate", "tests/corpus/load-unknown-parent", "-o", o]).0,
        2
    );
}

#[test]
fn plan_exit_codes_and_formats() {
    let ex = "examples/example-valley";
    let (code, out, _) = nhos(&["plan", ex, ex, "--today", "2026-11-23"]);
    assert_eq!(code, 0);
    assert!(out.trim_end().ends_with("No changes."));
    let before = "tests/corpus/plan-nhos-0.1.22-add-vpn/before";
    let after = "tests/corpus/plan-nhos-0.1.22-add-vpn/after";
    // Overlay cases need materializing; build the two sides by copying.
    let tmp = tempfile::tempdir().expect("tmp");
    for (side, dir) in [("a", before), ("b", after)] {
        let dest = tmp.path().join(side);
        copy(&root().join(ex), &dest);
        copy(&root().join(dir), &dest);
    }
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let (code, out, _) = nhos(&[
        "plan",
        a.to_str().expect("utf8"),
        b.to_str().expect("utf8"),
        "--today",
        "2026-11-23",
        "--no-nix-diff",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("+ capability vpn") && out.contains("+ package openconnect"),
        "{out}"
    );
    let (code, md, _) = nhos(&[
        "plan",
        a.to_str().expect("utf8"),
        b.to_str().expect("utf8"),
        "--format",
        "markdown",
    ]);
    assert_eq!(code, 2);
    assert!(
        md.starts_with("## nhos plan:") && md.contains("```diff"),
        "{md}"
    );
    let (code, json, _) = nhos(&[
        "plan",
        a.to_str().expect("utf8"),
        b.to_str().expect("utf8"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["schema"], "nhos-plan/1");
    // Errors: a missing side, or no git repository for --from.
    assert_eq!(nhos(&["plan", ex, "no/such/dir"]).0, 1);
    assert_eq!(
        nhos(&["plan", a.to_str().expect("utf8"), "--from", "HEAD"]).0,
        1
    );
}

#[test]
fn explain_text_and_json() {
    let (code, out, _) = nhos(&[
        "explain",
        "examples/example-valley",
        "clinical",
        "screen.idle-delay",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("clinical: setting screen.idle-delay = 300"),
        "{out}"
    );
    assert!(
        out.contains("overriding 600 set by profile `baseline` at profiles/baseline.toml:"),
        "{out}"
    );
    let (code, out, _) = nhos(&[
        "explain",
        "examples/example-valley",
        "clinical",
        "opensc",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["kind"], "package");
    let (code, _, err) = nhos(&["explain", "examples/example-valley", "clinical", "opnsc"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `opensc`?"));
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy(&e.path(), &dest);
        } else if e.file_name() != "case.toml" && e.file_name() != "README.md" {
            std::fs::copy(e.path(), dest).expect("copy");
        }
    }
}

#[test]
fn edit_dry_run_writes_nothing_and_real_edits_write_only_their_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("estate");
    copy(&root().join("examples/example-valley"), &dir);
    let d = dir.to_str().expect("utf8");
    let before = std::fs::read(dir.join("profiles/clinical.toml")).expect("read");
    let (code, out, _) = nhos(&[
        "edit",
        d,
        "--today",
        "2026-11-23",
        "add-package",
        "clinical",
        "keepassxc",
        "--dry-run",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("+add = [\"keepassxc\"]") && out.contains("dry run: nothing written"),
        "{out}"
    );
    assert_eq!(
        std::fs::read(dir.join("profiles/clinical.toml")).expect("read"),
        before
    );
    let admin_before = std::fs::read(dir.join("profiles/admin.toml")).expect("read");
    let (code, out, _) = nhos(&[
        "edit",
        d,
        "--today",
        "2026-11-23",
        "add-package",
        "clinical",
        "keepassxc",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("wrote 1 file"));
    assert_ne!(
        std::fs::read(dir.join("profiles/clinical.toml")).expect("read"),
        before
    );
    assert_eq!(
        std::fs::read(dir.join("profiles/admin.toml")).expect("read"),
        admin_before
    );
    // A loosening edit is refused without --allow-errors, with exit 2.
    let (code, _, err) = nhos(&[
        "edit",
        d,
        "--today",
        "2026-11-23",
        "set",
        "admin",
        "screen.idle-delay",
        "900",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("R5 admin"), "{err}");
    assert_eq!(
        nhos(&[
            "edit",
            d,
            "--today",
            "2026-11-23",
            "--allow-errors",
            "set",
            "admin",
            "screen.idle-delay",
            "900"
        ])
        .0,
        0
    );
    let (code, out, _) = nhos(&[
        "edit",
        d,
        "--today",
        "2026-11-23",
        "add-waiver",
        "--id",
        "W-9",
        "--rule",
        "R5",
        "--profile",
        "admin",
        "--justification",
        "trial",
        "--approver",
        "CISO",
        "--approved",
        "2026-11-01",
        "--expires",
        "2027-01-31",
        "--accepts",
        "screen.idle-delay=900",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(r#"+accepts = { "screen.idle-delay" = 900 }"#),
        "{out}"
    );
    assert_eq!(
        nhos(&["validate", d, "--today", "2026-11-23"]).0,
        0,
        "the waiver covers the loosened lock"
    );
    // A worse value than the waiver accepts is not covered.
    nhos(&[
        "edit",
        d,
        "--today",
        "2026-11-23",
        "--allow-errors",
        "set",
        "admin",
        "screen.idle-delay",
        "0",
    ]);
    let (code, out, _) = nhos(&["validate", d, "--today", "2026-11-23"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("W-9 for R5 covers no finding"), "{out}");
    let (code, _, err) = nhos(&[
        "edit",
        d,
        "--today",
        "2026-11-23",
        "add-waiver",
        "--id",
        "W-10",
        "--rule",
        "R5",
        "--justification",
        "x",
        "--approver",
        "CISO",
        "--expires",
        "2027-01-31",
        "--accepts",
        "screen.idle-delay",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("is not KEY=VALUE"), "{err}");
}

#[test]
fn demo_prints_how_to_build_and_install_each_profile() {
    let tmp = tempfile::tempdir().expect("tmp");
    let example = root().join("examples/example-valley");
    let out = Command::new(env!("CARGO_BIN_EXE_nhos"))
        .args(["demo", "--today", "2026-11-23", "--estate"])
        .arg(&example)
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "nix flake check ./out",
        "nix build ./out#clinical-installer",
        "run `sudo nhos-install`; record the recovery key it shows",
        "nix run   ./out#admin-vm",
        "nix build ./out#dr-iso",
        "nix build ./out#kiosk-raw",
        "nix build ./out#analyst-qcow2",
        "clinical  nixos-rebuild switch --refresh --flake git+https://git.evt.nhs.uk/desktop/estate?ref=main&dir=flake#clinical at 04:40",
    ] {
        assert!(text.contains(want), "demo lacks {want:?}:\n{text}");
    }
    // A live stick is replaced, not updated.
    assert!(!text.contains("#dr at"), "{text}");
    assert!(tmp.path().join("out/flake.nix").is_file());
}

#[test]
fn generation_is_byte_identical_across_directories_time_zones_and_locales() {
    // Cargo builds the binary for this test: nothing to skip.
    let bin = env!("CARGO_BIN_EXE_nhos");
    let example = root()
        .join("examples/example-valley")
        .canonicalize()
        .expect("example");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut trees = Vec::new();
    for (i, (tz, lang)) in [
        ("UTC", "C"),
        ("Pacific/Auckland", "cy_GB.UTF-8"),
        ("America/New_York", "ja_JP.UTF-8"),
    ]
    .iter()
    .enumerate()
    {
        let cwd = tmp.path().join(format!("cwd{i}"));
        std::fs::create_dir_all(cwd.join("deeper")).expect("mkdir");
        let out = std::process::Command::new(bin)
            .args([
                "generate",
                example.to_str().expect("utf8"),
                "-o",
                "flake",
                "--today",
                "2026-11-23",
            ])
            .current_dir(cwd.join("deeper"))
            .env("TZ", tz)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut files = std::collections::BTreeMap::new();
        let root = cwd.join("deeper/flake");
        let mut stack = vec![root.clone()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).expect("dir") {
                let p = entry.expect("entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.insert(
                        p.strip_prefix(&root).expect("prefix").to_path_buf(),
                        std::fs::read(&p).expect("read"),
                    );
                }
            }
        }
        trees.push(files);
    }
    assert!(trees[0].len() > 20);
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
    // No absolute path of this machine leaks into the output.
    let root = example.to_string_lossy().into_owned();
    for bytes in trees[0].values() {
        assert!(!String::from_utf8_lossy(bytes).contains(&root));
    }
}

/// A directory of estates: the example, a copy with its firewall off on the server
/// (an error-level finding), and the example again under another name.
fn estates_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let example = root().join("examples/example-valley");
    for name in ["a-valley", "b-lax", "c-valley"] {
        copy(&example, &tmp.path().join(name));
    }
    let server = tmp.path().join("b-lax/profiles/server.toml");
    let text = std::fs::read_to_string(&server).expect("read").replace(
        "[settings.firewall]\n",
        "[settings.firewall]\nenable = false\n",
    );
    std::fs::write(&server, text).expect("write");
    tmp
}

#[test]
fn many_estates_in_one_run_give_the_findings_of_separate_runs() {
    let tmp = estates_dir();
    let all = tmp.path().to_str().expect("utf8");
    let today = ["--today", "2026-11-23"];
    // One run over the directory of estates.
    let (code, out, err) = nhos(&[&["validate", all, "--format", "json"][..], &today[..]].concat());
    assert_eq!(code, 1, "one estate fails: {err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(doc["schema"], "nhos-reports/1");
    let estates = doc["estates"].as_array().expect("estates");
    assert_eq!(estates.len(), 3);
    for e in estates {
        let dir = e["estate"].as_str().expect("label");
        // The same report as a run on that estate alone.
        let (_, alone, _) =
            nhos(&[&["validate", dir, "--format", "json"][..], &today[..]].concat());
        let alone: serde_json::Value = serde_json::from_str(&alone).expect("json");
        assert_eq!(e["report"]["findings"], alone["findings"], "{dir}");
        assert_eq!(e["report"]["summary"], alone["summary"], "{dir}");
    }
    assert!(
        estates[1]["estate"]
            .as_str()
            .expect("label")
            .ends_with("b-lax")
    );
    // SARIF: one run per estate, each result naming its estate.
    let (_, sarif, _) = nhos(&[&["validate", all, "--format", "sarif"][..], &today[..]].concat());
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("json");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 3);
    assert!(
        runs[1]["automationDetails"]["id"]
            .as_str()
            .expect("id")
            .contains("b-lax")
    );
    assert!(
        runs[1]["results"]
            .as_array()
            .expect("results")
            .iter()
            .all(|r| r["properties"]["estate"]
                .as_str()
                .is_some_and(|e| e.ends_with("b-lax")))
    );
    // JUnit: each estate's suites carry its name.
    let (_, junit, _) = nhos(&[&["validate", all, "--format", "junit"][..], &today[..]].concat());
    assert!(junit.contains("b-lax: profile server") && junit.contains("a-valley: estate"));
    // Text: a section per estate and one summary line.
    let (_, text, _) = nhos(&[&["validate", all][..], &today[..]].concat());
    assert!(
        text.contains("3 estates validated, 1 failing, 0 could not be validated"),
        "{text}"
    );
    // Check: several estates, one exit code.
    let (code, out, _) = nhos(&["check", all]);
    assert_eq!(code, 0);
    assert!(out.contains("3 estates checked, 0 with errors"), "{out}");
    // Generate: each estate into OUT/<name>.
    let out_dir = tmp.path().join("flakes");
    let (code, _, err) = nhos(&[
        "generate",
        &format!("{all}/a-valley"),
        &format!("{all}/c-valley"),
        "-o",
        out_dir.to_str().expect("utf8"),
        "--today",
        "2026-11-23",
    ]);
    assert_eq!(code, 0, "{err}");
    for name in ["a-valley", "c-valley"] {
        assert!(out_dir.join(name).join("flake.nix").is_file(), "{name}");
    }
}
