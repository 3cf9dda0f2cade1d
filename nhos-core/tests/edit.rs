//! Edits: inverse edits give back the original bytes, nothing outside the edited span
//! moves, every edit loads; diffs of each kind of edit are reviewed snapshots; a
//! failed write leaves the old file; impossible edits name the nearest valid choice.

mod common;

use nhos_core::edit::{prepare, read_dir_tree};
use nhos_core::{Edit, EditOptions, MemTree};
use proptest::prelude::*;

fn opts() -> EditOptions {
    EditOptions {
        allow_errors: true,
        today: common::FIXED_TODAY,
    }
}

fn example_tree() -> MemTree {
    read_dir_tree(&common::example()).expect("reads")
}

/// A profile with comments in awkward places: inside arrays, after values, between
/// a header and its keys, and at the end of the file with no final newline.
const AWKWARD: &str = "# leading comment\n[profile] # after the header\nrole = \"admin\" # trailing\n# between\ninherits = [\n  \"site\", # inside the array\n  # a comment line inside the array\n]\n\n[capabilities]\nadd = [\"office\",   \"vpn\"] # odd spacing\n\n[settings.screen]\n# above the key\nidle-delay = 480 # below the limit\n\n# the end, without a newline";

fn with_awkward(t: MemTree) -> MemTree {
    // The same profile saved on Windows: CRLF line ends and a byte-order mark.
    let windows = format!("\u{feff}{}", AWKWARD.replace('\n', "\r\n"));
    t.with("profiles/awkward.toml", AWKWARD)
        .with("profiles/windows.toml", windows)
}

/// Applies a prepared edit to a tree.
fn applied(t: &MemTree, e: &Edit) -> Result<MemTree, nhos_core::Error> {
    let r = prepare(t, e, &opts())?;
    let mut out = t.clone();
    for (rel, (_, new)) in r.files {
        match new {
            Some(b) => {
                out.files.insert(rel, b);
            }
            None => {
                out.files.remove(&rel);
            }
        }
    }
    Ok(out)
}

/// Comment lines and trailing comments of every file, in order.
fn comments(t: &MemTree) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (rel, b) in &t.files {
        if rel.ends_with(".toml") {
            for line in String::from_utf8_lossy(b).lines() {
                if let Some(i) = line.find('#') {
                    out.push((rel.clone(), line[i..].to_owned()));
                }
            }
        }
    }
    out
}

const PROFILES: &[&str] = &[
    "admin", "clinical", "analyst", "dr", "kiosk", "server", "site", "baseline", "awkward",
    "windows",
];
const PACKAGES: &[&str] = &["keepassxc", "htop", "vim", "weasis", "git", "curl", "tmux"];
const CAPABILITIES: &[&str] = &[
    "vpn",
    "scanning",
    "printing",
    "dicom-viewer",
    "windows-shares",
    "smartcard",
];
const SETTINGS: &[(&str, &str)] = &[
    ("screen.lock-delay", "5"),
    ("login.unlock-time", "600"),
    ("password.min-length", "14"),
    ("firewall.allowed-tcp-ports", "[443]"),
    ("browser.homepage", "\"https://example.nhs.uk\""),
    ("updates.allow-reboot", "true"),
    ("vm.cores", "2"),
];

/// An edit and its inverse for a profile: the first item from `item` on (cycling
/// through the lists) that the profile lacks.
fn pair(t: &MemTree, kind: usize, profile: &str, item: usize) -> Option<(Edit, Edit)> {
    (0..16).find_map(|k| pair_at(t, kind, profile, item + k))
}

/// An edit and its inverse, for a profile and an item that the profile lacks.
fn pair_at(t: &MemTree, kind: usize, profile: &str, item: usize) -> Option<(Edit, Edit)> {
    let e = nhos_core::load_tree(t).ok()?;
    let p = e.profiles.get(profile)?;
    let profile = profile.to_owned();
    match kind {
        0 => {
            let package = PACKAGES[item % PACKAGES.len()].to_owned();
            (!p.packages.contains_key(&package)).then(|| {
                (
                    Edit::AddPackage {
                        profile: profile.clone(),
                        package: package.clone(),
                    },
                    Edit::RemovePackage { profile, package },
                )
            })
        }
        1 => {
            let capability = CAPABILITIES[item % CAPABILITIES.len()].to_owned();
            (!p.has_capability(&capability)
                && !p.has_capability("kiosk")
                && !p.has_capability("server-base"))
            .then(|| {
                (
                    Edit::AddCapability {
                        profile: profile.clone(),
                        capability: capability.clone(),
                    },
                    Edit::RemoveCapability {
                        profile,
                        capability,
                    },
                )
            })
        }
        _ => {
            let (key, value) = SETTINGS[item % SETTINGS.len()];
            let own = p.settings.get(key).is_some_and(|s| matches!(&s.origin.via, nhos_core::Via::Profile { profile: by } if *by == profile));
            (!own).then(|| {
                (
                    Edit::SetSetting {
                        profile: profile.clone(),
                        key: key.into(),
                        value: value.into(),
                    },
                    Edit::UnsetSetting {
                        profile,
                        key: key.into(),
                    },
                )
            })
        }
    }
}

/// One run of the inverse law; false when the profile admits no edit of the kind.
fn inverse_law(
    t: &MemTree,
    kind: usize,
    profile: &str,
    item: usize,
) -> Result<bool, TestCaseError> {
    let Some((edit, inverse)) = pair(t, kind, profile, item) else {
        return Ok(false);
    };
    let once = applied(t, &edit).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    // The edited estate loads, and comments survive where they were.
    prop_assert!(nhos_core::load_tree(&once).is_ok());
    prop_assert_eq!(comments(&once), comments(t));
    // Only the profile's own file changed, and only a few lines of it.
    let changed: Vec<String> = once
        .files
        .iter()
        .filter(|(k, v)| t.files.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    prop_assert_eq!(changed, vec![format!("profiles/{profile}.toml")]);
    let before =
        String::from_utf8_lossy(&t.files[&format!("profiles/{profile}.toml")]).into_owned();
    let after =
        String::from_utf8_lossy(&once.files[&format!("profiles/{profile}.toml")]).into_owned();
    // Line ends and the byte-order mark are the file's own.
    prop_assert_eq!(
        after.starts_with('\u{feff}'),
        before.starts_with('\u{feff}')
    );
    prop_assert_eq!(after.contains("\r\n"), before.contains("\r\n"));
    if before.contains("\r\n") {
        prop_assert_eq!(
            after.matches('\n').count(),
            after.matches("\r\n").count(),
            "a bare LF in a CRLF file"
        );
    }
    let diff = similar::TextDiff::from_lines(&before, &after);
    let touched = diff
        .ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| op.new_range().len().max(op.old_range().len()))
        .sum::<usize>();
    prop_assert!(
        touched <= 4,
        "{edit:?} touched {touched} lines:\n{}",
        diff.unified_diff()
    );
    let back = applied(&once, &inverse).unwrap_or_else(|e| panic!("{inverse:?}: {e}"));
    prop_assert_eq!(&back.files, &t.files);
    Ok(true)
}

#[test]
fn an_edit_and_its_inverse_give_back_the_bytes() {
    let t = with_awkward(example_tree());
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 96,
        ..ProptestConfig::default()
    });
    let (ran, total) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(
            &(0usize..3, prop::sample::select(PROFILES), 0usize..16),
            |(kind, profile, item)| {
                total.set(total.get() + 1);
                if inverse_law(&t, kind, profile, item)? {
                    ran.set(ran.get() + 1);
                }
                Ok(())
            },
        )
        .unwrap_or_else(|e| panic!("{e}"));
    // Only capabilities on the kiosk and the server admit none: most cases run.
    let (ran, total) = (ran.get(), total.get());
    eprintln!("inverse law: {ran} of {total} cases had an edit to make");
    assert!(ran * 10 >= total * 8, "{ran} of {total}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn setting_a_value_and_back_restores_the_bytes(profile in prop::sample::select(&["baseline", "clinical", "awkward"][..]), v in 1u32..599) {
        let t = with_awkward(example_tree());
        let e = nhos_core::load_tree(&t).expect("loads");
        let old = e.profiles[profile].settings["screen.idle-delay"].value.to_string();
        if old == v.to_string() {
            // Setting the value it already has is refused as "changes nothing".
            let same = Edit::SetSetting { profile: profile.into(), key: "screen.idle-delay".into(), value: old };
            prop_assert!(applied(&t, &same).is_err());
            return Ok(());
        }
        let edit = Edit::SetSetting { profile: profile.into(), key: "screen.idle-delay".into(), value: v.to_string() };
        let once = applied(&t, &edit).expect("applies");
        prop_assert_eq!(comments(&once), comments(&t));
        let back = applied(&once, &Edit::SetSetting { profile: profile.into(), key: "screen.idle-delay".into(), value: old }).expect("applies");
        prop_assert_eq!(&back.files, &t.files);
    }
}

#[test]
fn diffs_of_each_kind_of_edit() {
    let t = with_awkward(example_tree());
    let edits = [
        (
            "add-package",
            Edit::AddPackage {
                profile: "clinical".into(),
                package: "keepassxc".into(),
            },
        ),
        (
            "add-package-awkward",
            Edit::AddPackage {
                profile: "awkward".into(),
                package: "htop".into(),
            },
        ),
        (
            "remove-inherited-package",
            Edit::RemovePackage {
                profile: "clinical".into(),
                package: "remmina".into(),
            },
        ),
        (
            "remove-capability-awkward",
            Edit::RemoveCapability {
                profile: "awkward".into(),
                capability: "vpn".into(),
            },
        ),
        (
            "add-capability",
            Edit::AddCapability {
                profile: "analyst".into(),
                capability: "vpn".into(),
            },
        ),
        (
            "set-existing-awkward",
            Edit::SetSetting {
                profile: "awkward".into(),
                key: "screen.idle-delay".into(),
                value: "300".into(),
            },
        ),
        (
            "set-new-table",
            Edit::SetSetting {
                profile: "kiosk".into(),
                key: "browser.bookmarks".into(),
                value: "{ Help = \"https://help.evt.nhs.uk\" }".into(),
            },
        ),
        (
            "set-bare-string",
            Edit::SetSetting {
                profile: "admin".into(),
                key: "media.usb-storage".into(),
                value: "blocked".into(),
            },
        ),
        (
            "unset",
            Edit::UnsetSetting {
                profile: "clinical".into(),
                key: "auth.spine-route".into(),
            },
        ),
        (
            "set-branding",
            Edit::SetBranding {
                field: "colours.accent".into(),
                value: "#003087".into(),
            },
        ),
        (
            "add-waiver",
            Edit::AddWaiver {
                id: "W-010".into(),
                rule: "R21".into(),
                profiles: vec!["admin".into()],
                justification: "Desktops never leave the site.".into(),
                approver: "CISO".into(),
                approved: Some(nhos_core::Date {
                    year: 2026,
                    month: 11,
                    day: 1,
                }),
                expires: nhos_core::Date {
                    year: 2027,
                    month: 6,
                    day: 30,
                },
                accepts: vec![("vpn.always-on".into(), "false".into())],
            },
        ),
        (
            "add-profile",
            Edit::AddProfile {
                name: "ward".into(),
                role: Some("clinical".into()),
                inherits: vec!["clinical".into()],
            },
        ),
        (
            "rename-profile",
            Edit::RenameProfile {
                from: "site".into(),
                to: "valley-site".into(),
            },
        ),
    ];
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/edit");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, e) in edits {
            let r = prepare(&t, &e, &opts()).unwrap_or_else(|err| panic!("{name}: {err}"));
            let findings: Vec<String> = r
                .findings_added
                .iter()
                .map(|f| {
                    format!(
                        "+ {} {}: {}",
                        f.rule,
                        f.profile.as_deref().unwrap_or("-"),
                        f.message
                    )
                })
                .chain(r.findings_removed.iter().map(|f| {
                    format!(
                        "- {} {}: {}",
                        f.rule,
                        f.profile.as_deref().unwrap_or("-"),
                        f.message
                    )
                }))
                .collect();
            insta::assert_snapshot!(name, format!("{}\n{}", r.diff(), findings.join("\n")));
        }
    });
}

#[test]
fn impossible_edits_name_the_nearest_choice() {
    let t = example_tree();
    let cases = [
        (
            Edit::AddPackage {
                profile: "clincal".into(),
                package: "weasis".into(),
            },
            "no profile `clincal`; did you mean `clinical`?",
        ),
        (
            Edit::AddCapability {
                profile: "admin".into(),
                capability: "vpm".into(),
            },
            "unknown capability `vpm`; did you mean `vpn`?",
        ),
        (
            Edit::SetSetting {
                profile: "admin".into(),
                key: "screen.idle-delay".into(),
                value: "ten".into(),
            },
            "`screen.idle-delay` takes a whole number, not \"ten\"",
        ),
        (
            Edit::SetSetting {
                profile: "admin".into(),
                key: "screen.idle-dely".into(),
                value: "10".into(),
            },
            "did you mean `screen.idle-delay`?",
        ),
        (
            Edit::RemovePackage {
                profile: "admin".into(),
                package: "remina".into(),
            },
            "did you mean `remmina`?",
        ),
        (
            Edit::UnsetSetting {
                profile: "admin".into(),
                key: "screen.idle-delay".into(),
            },
            "does not set `screen.idle-delay` itself",
        ),
        (
            Edit::AddPackage {
                profile: "admin".into(),
                package: "x; rm -rf /".into(),
            },
            "not a nixpkgs attribute path",
        ),
        (
            Edit::RenameProfile {
                from: "site".into(),
                to: "Bad Name".into(),
            },
            "cannot be a profile name",
        ),
        (
            Edit::SetBranding {
                field: "os-nam".into(),
                value: "x".into(),
            },
            "did you mean `os-name`?",
        ),
    ];
    for (e, want) in cases {
        let err = prepare(&t, &e, &opts()).expect_err("refused");
        assert_eq!(err.kind(), nhos_core::ErrorKind::Edit);
        assert!(err.to_string().contains(want), "{e:?}: {err}");
    }
    // An edit that breaks loading is refused with the load diagnostics.
    let err = prepare(
        &t,
        &Edit::SetSetting {
            profile: "admin".into(),
            key: "media.usb-storage".into(),
            value: "sometimes".into(),
        },
        &opts(),
    )
    .expect_err("refused");
    assert!(
        err.diagnostics()
            .iter()
            .any(|d| d.code.as_str() == "NHOS105"),
        "{err}"
    );
}

#[test]
fn new_errors_need_permission_and_fixed_ones_are_reported() {
    let t = example_tree();
    let strict = EditOptions {
        allow_errors: false,
        ..opts()
    };
    let loosen = Edit::SetSetting {
        profile: "admin".into(),
        key: "screen.idle-delay".into(),
        value: "900".into(),
    };
    let err = prepare(&t, &loosen, &strict).expect_err("refused");
    assert!(err.to_string().contains("R5 admin"), "{err}");
    let r = prepare(&t, &loosen, &opts()).expect("allowed");
    assert_eq!(
        r.findings_added
            .iter()
            .map(|f| f.rule.as_str())
            .collect::<Vec<_>>(),
        ["R5"]
    );
    let fix = Edit::SetSetting {
        profile: "kiosk".into(),
        key: "disk.encryption".into(),
        value: "required".into(),
    };
    let r = prepare(&t, &fix, &strict).expect("allowed");
    assert!(
        r.findings_added
            .iter()
            .any(|f| f.rule == "W" && f.message.contains("covers no finding"))
    );
}

#[test]
fn a_failed_rename_leaves_the_old_file_whole() {
    let tmp = tempfile::tempdir().expect("tmp");
    common::copy_tree(&common::example(), tmp.path());
    let path = tmp.path().join("profiles/clinical.toml");
    let before = std::fs::read(&path).expect("read");
    let tree = read_dir_tree(tmp.path()).expect("reads");
    let r = prepare(
        &tree,
        &Edit::AddPackage {
            profile: "clinical".into(),
            package: "keepassxc".into(),
        },
        &opts(),
    )
    .expect("prepares");
    // The process "dies" between writing the temporary file and renaming it.
    let err = r
        .write_with(tmp.path(), &|_, _| {
            Err(std::io::Error::other("killed before rename"))
        })
        .expect_err("fails");
    assert!(err.to_string().contains("killed before rename"));
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "the old file is untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("profiles"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().contains(".nhos-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The same edit written for real is the new file, whole.
    r.write(tmp.path()).expect("writes");
    let after = std::fs::read_to_string(&path).expect("read");
    assert!(after.contains("keepassxc") && after.starts_with("# Clinical workstation"));
    nhos_core::load(tmp.path()).expect("still loads");
}

#[test]
fn removing_from_a_commented_multi_line_array_keeps_each_comment_with_its_item() {
    let profile = "[profile]\nrole = \"admin\"\ninherits = [\"site\"]\n\n[packages]\nadd = [\n  \"htop\",   # for support\n  # curl is for the ward scripts\n  \"curl\",   # for scripts\n  \"tmux\",   # for long jobs\n]\n";
    let t = example_tree().with("profiles/ward.toml", profile);
    for (package, want) in [
        // The middle item: its comment line and its trailing comment go; the others
        // stay on their own lines.
        (
            "curl",
            "add = [\n  \"htop\",   # for support\n  \"tmux\",   # for long jobs\n]\n",
        ),
        // The last item.
        (
            "tmux",
            "add = [\n  \"htop\",   # for support\n  # curl is for the ward scripts\n  \"curl\",   # for scripts\n]\n",
        ),
        // The first item.
        (
            "htop",
            "add = [\n  # curl is for the ward scripts\n  \"curl\",   # for scripts\n  \"tmux\",   # for long jobs\n]\n",
        ),
    ] {
        let e = Edit::RemovePackage {
            profile: "ward".into(),
            package: package.into(),
        };
        let out = applied(&t, &e).unwrap_or_else(|err| panic!("{package}: {err}"));
        let text = String::from_utf8(out.files["profiles/ward.toml"].clone()).expect("utf8");
        let got = &text[text.find("add = [").expect("array")..];
        assert_eq!(got, want, "removing {package}");
    }
}

#[test]
fn a_crlf_file_with_a_bom_stays_so() {
    let t = with_awkward(example_tree());
    let e = Edit::SetSetting {
        profile: "windows".into(),
        key: "screen.idle-delay".into(),
        value: "300".into(),
    };
    let out = applied(&t, &e).expect("applies");
    let after = &out.files["profiles/windows.toml"];
    let before = &t.files["profiles/windows.toml"];
    assert!(after.starts_with("\u{feff}".as_bytes()));
    let lf = after.iter().filter(|b| **b == b'\n').count();
    let crlf = after.windows(2).filter(|w| w == b"\r\n").count();
    assert_eq!(lf, crlf, "every line ends CRLF");
    // Only the value changed.
    let text = |b: &[u8]| String::from_utf8_lossy(b).replace("300", "480");
    assert_eq!(text(after), text(before));
}

#[test]
fn a_rename_is_one_transaction_whichever_step_fails() {
    // Renaming `site` rewrites every profile that inherits it, and the policy.
    let edit = Edit::RenameProfile {
        from: "site".into(),
        to: "valley-site".into(),
    };
    let probe = tempfile::tempdir().expect("tmp");
    common::copy_tree(&common::example(), probe.path());
    let r =
        prepare(&read_dir_tree(probe.path()).expect("reads"), &edit, &opts()).expect("prepares");
    let renames = r.files.values().filter(|(_, new)| new.is_some()).count();
    assert!(renames >= 4, "{renames}");
    for fail_at in 0..renames {
        let tmp = tempfile::tempdir().expect("tmp");
        common::copy_tree(&common::example(), tmp.path());
        let before = read_dir_tree(tmp.path()).expect("reads");
        let count = std::cell::Cell::new(0);
        let err = r
            .write_with(tmp.path(), &|from, to| {
                let n = count.get();
                count.set(n + 1);
                if n == fail_at {
                    Err(std::io::Error::other("killed"))
                } else {
                    std::fs::rename(from, to)
                }
            })
            .expect_err("fails");
        assert!(err.to_string().contains("killed"));
        // Every file is as it was, nothing new is left, and the estate loads.
        let after = read_dir_tree(tmp.path()).expect("reads");
        assert_eq!(after.files, before.files, "failing rename {fail_at}");
        let leftovers: Vec<String> = walk(tmp.path())
            .into_iter()
            .filter(|n| n.contains(".nhos-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        nhos_core::load(tmp.path()).expect("loads");
    }
}

fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let e = e.expect("entry");
        if e.file_type().expect("type").is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path().display().to_string());
        }
    }
    out
}
