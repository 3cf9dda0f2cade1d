//! Validation behaviour beyond the corpus: waivers on fixed days, the ratchet, and
//! the report formats checked against their schemas.

mod common;

use nhos_core::validate::format;
use nhos_core::{Date, Report, Severity, Status, ValidateOptions, validate};

fn example_report(today: Date) -> Report {
    let e = nhos_core::load(common::example()).expect("example loads");
    validate(&e, &ValidateOptions { today })
}

fn d(y: u16, m: u8, day: u8) -> Date {
    Date::new(y, m, day).expect("valid date")
}

fn waiver_findings(r: &Report) -> Vec<(String, Severity)> {
    r.findings
        .iter()
        .filter(|f| f.rule == "W")
        .map(|f| (f.subject.clone(), f.severity))
        .collect()
}

#[test]
fn a_waiver_applies_through_its_expiry_day_and_not_after() {
    // The kiosk waivers expire on 2027-03-31. R1 is set aside: 26.05 is out of
    // support by then, which is a separate finding.
    let on_the_day = example_report(d(2027, 3, 31));
    assert!(
        on_the_day
            .findings
            .iter()
            .any(|f| f.waiver.as_deref() == Some("W-001") && f.status == Status::Waived)
    );
    assert!(
        waiver_findings(&on_the_day)
            .iter()
            .all(|(_, s)| *s == Severity::Warning),
        "expiring, not expired"
    );

    let day_after = example_report(d(2027, 4, 1));
    assert!(
        day_after
            .findings
            .iter()
            .all(|f| f.status != Status::Waived),
        "no waiver applies after expiry"
    );
    assert_eq!(
        waiver_findings(&day_after),
        vec![
            ("waiver:W-001".to_owned(), Severity::Error),
            ("waiver:W-002".to_owned(), Severity::Error),
            ("waiver:W-003".to_owned(), Severity::Error)
        ]
    );
    let kiosk_open: Vec<_> = day_after
        .findings
        .iter()
        .filter(|f| f.profile.as_deref() == Some("kiosk") && f.status == Status::Open)
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(kiosk_open, ["R4", "R5", "R5"]);
}

#[test]
fn a_waiver_warns_thirty_days_before_expiry() {
    assert!(
        waiver_findings(&example_report(d(2027, 2, 28))).is_empty(),
        "31 days left: quiet"
    );
    let r = example_report(d(2027, 3, 1));
    assert_eq!(
        waiver_findings(&r).len(),
        3,
        "30 days left: all three waivers warn"
    );
    assert!(
        r.findings
            .iter()
            .any(|f| f.message.contains("expires on 2027-03-31 (30 days)"))
    );
}

#[test]
fn a_waiver_that_covers_nothing_is_reported_as_unused() {
    let dir = common::materialize(&common::corpus().join("rule-r9-firewall-off"));
    // Turn the kiosk into a compliant one: its waivers then cover nothing.
    let kiosk = std::fs::read_to_string(dir.path().join("profiles/kiosk.toml"))
        .expect("read")
        .replace("idle-delay = 0 ", "idle-delay = 300 ")
        .replace("lock-enabled = false", "lock-enabled = true")
        .replace("encryption = \"recommended\"", "encryption = \"required\"");
    std::fs::write(dir.path().join("profiles/kiosk.toml"), kiosk).expect("write");
    let e = nhos_core::load(dir.path()).expect("loads");
    let r = validate(
        &e,
        &ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    let unused: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "W" && f.severity == Severity::Info)
        .map(|f| f.subject.as_str())
        .collect();
    assert_eq!(unused, ["waiver:W-001", "waiver:W-002"]);
}

/// The example with one more waiver (TOML appended to policy.toml) and the admin
/// laptop's idle delay set to `idle`.
fn with_waiver(waiver: &str, idle: u32) -> Report {
    with_policy(waiver, idle, None)
}

/// [`with_waiver`], with `max-waiver-days` set in the policy's parameters.
fn with_policy(waiver: &str, idle: u32, max_waiver_days: Option<u32>) -> Report {
    let dir = common::materialize(&common::corpus().join("rule-r9-firewall-off"));
    let policy = dir.path().join("policy.toml");
    let mut text = std::fs::read_to_string(&policy).expect("read");
    if let Some(n) = max_waiver_days {
        text = text.replace(
            "[parameters]\n",
            &format!("[parameters]\nmax-waiver-days = {n}\n"),
        );
    }
    std::fs::write(&policy, format!("{text}\n[[waiver]]\n{waiver}")).expect("write");
    let opts = nhos_core::EditOptions {
        allow_errors: true,
        today: common::FIXED_TODAY,
    };
    let edit = nhos_core::Edit::SetSetting {
        profile: "admin".into(),
        key: "screen.idle-delay".into(),
        value: idle.to_string(),
    };
    nhos_core::edit::edit_dir(dir.path(), &edit, &opts).expect("edit");
    let e = nhos_core::load(dir.path()).expect("loads");
    validate(
        &e,
        &ValidateOptions {
            today: common::FIXED_TODAY,
        },
    )
}

fn admin_idle(r: &Report) -> Vec<(Status, Option<String>)> {
    r.findings
        .iter()
        .filter(|f| {
            f.rule == "R5"
                && f.profile.as_deref() == Some("admin")
                && f.subject == "screen.idle-delay"
        })
        .map(|f| (f.status, f.waiver.clone()))
        .collect()
}

const TRIAL: &str = r#"id = "W-009"
rule = "R5"
profiles = ["admin"]
accepts = { "screen.idle-delay" = 900 }
justification = "Trial of a 15-minute idle lock for the informatics team."
approver = "Chief Information Security Officer"
approved = 2026-11-01
expires = 2027-01-31
"#;

#[test]
fn a_scoped_waiver_covers_its_value_and_not_a_worse_one() {
    // 900 s is what the waiver accepts: waived.
    let r = with_waiver(TRIAL, 900);
    assert_eq!(admin_idle(&r), [(Status::Waived, Some("W-009".into()))]);
    // 0 (never lock) is worse than what was accepted: open, and the waiver is unused.
    let r = with_waiver(TRIAL, 0);
    assert_eq!(admin_idle(&r), [(Status::Open, None)]);
    assert!(
        r.findings
            .iter()
            .any(|f| f.fingerprint == "W/-/waiver:W-009/unused")
    );
    // An unscoped waiver hides both, and says so.
    let unscoped = TRIAL.replace("accepts = { \"screen.idle-delay\" = 900 }\n", "");
    let r = with_waiver(&unscoped, 0);
    assert_eq!(admin_idle(&r), [(Status::Waived, Some("W-009".into()))]);
    let warn = r
        .findings
        .iter()
        .find(|f| f.fingerprint == "W/-/waiver:W-009/unscoped")
        .expect("an unscoped waiver is reported");
    assert_eq!(warn.severity, Severity::Warning);
}

#[test]
fn a_waiver_longer_than_the_policy_allows_covers_nothing() {
    // A year and a half from approval: over the default 365 days.
    let long = TRIAL.replace("expires = 2027-01-31", "expires = 2028-05-01");
    let r = with_waiver(&long, 900);
    assert_eq!(admin_idle(&r), [(Status::Open, None)]);
    let too_long = r
        .findings
        .iter()
        .find(|f| f.fingerprint == "W/-/waiver:W-009/too-long")
        .expect("reported");
    assert_eq!(too_long.severity, Severity::Error);
    assert!(
        too_long
            .message
            .contains("runs 547 days from its approval on 2026-11-01"),
        "{}",
        too_long.message
    );
    // Without `approved`, the length counts from the day judged (2026-11-23).
    let undated = long.replace("approved = 2026-11-01\n", "");
    let r = with_waiver(&undated, 900);
    let m = &r
        .findings
        .iter()
        .find(|f| f.fingerprint == "W/-/waiver:W-009/too-long")
        .expect("reported")
        .message;
    assert!(m.contains("runs 525 days from 2026-11-23"), "{m}");
    // The policy may allow less: 60 days rejects the three-month trial.
    let r = with_policy(TRIAL, 900, Some(60));
    assert_eq!(admin_idle(&r), [(Status::Open, None)]);
    assert!(
        r.findings
            .iter()
            .any(|f| f.fingerprint == "W/-/waiver:W-009/too-long"
                && f.message.contains("runs 91 days")
                && f.message.contains("at most 60"))
    );
}

/// A waiver of another rule: it changes nothing about R5.
const UNRELATED: &str = "id = \"W-009\"\nrule = \"R1\"\njustification = \"Unused here, on purpose.\"\napprover = \"Chief Information Security Officer\"\nexpires = 2027-01-31\n";

#[test]
fn the_ratchet_sees_a_violation_that_got_worse() {
    // A baseline with idle 900 open; then 0: same rule, profile and setting, worse
    // value — new.
    let before = with_waiver(UNRELATED, 900);
    let baseline = Report::from_json(&format::json(&before)).expect("parses");
    let mut same = with_waiver(UNRELATED, 900);
    same.ratchet(&baseline);
    assert_eq!(same.summary.new, Some(0));
    let mut worse = with_waiver(UNRELATED, 0);
    worse.ratchet(&baseline);
    let new: Vec<_> = worse
        .new_findings()
        .map(|f| (f.subject.as_str(), f.value.as_deref()))
        .collect();
    assert_eq!(new, [("screen.idle-delay", Some("0"))]);
    assert!(worse.fails());
}

#[test]
fn ratchet_fails_only_on_the_new_finding() {
    // A baseline with N open findings (the R9 case), then one more violation.
    let before_dir = common::materialize(&common::corpus().join("rule-r3-manual-updates"));
    let before = nhos_core::load(before_dir.path()).expect("loads");
    let baseline = validate(
        &before,
        &ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    let n = baseline.summary.errors;
    assert!(
        n >= 2 && baseline.fails(),
        "the baseline already has errors"
    );
    // Round-trip the baseline through JSON, as `--baseline previous.json` does.
    let baseline = Report::from_json(&format::json(&baseline)).expect("parses");

    let after_dir = common::materialize(&common::corpus().join("rule-r3-manual-updates"));
    let server = after_dir.path().join("profiles/server.toml");
    let text = std::fs::read_to_string(&server).expect("read").replace(
        "[settings.firewall]\n",
        "[settings.firewall]\nenable = false\n",
    );
    // Moving lines must not make old findings new: prepend a comment everywhere.
    for f in ["profiles/admin.toml", "profiles/baseline.toml"] {
        let p = after_dir.path().join(f);
        let t = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, format!("# moved down a line\n{t}")).expect("write");
    }
    std::fs::write(&server, text).expect("write");
    let after = nhos_core::load(after_dir.path()).expect("loads");
    let mut report = validate(
        &after,
        &ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    assert_eq!(report.summary.errors, n + 1);
    report.ratchet(&baseline);
    let new: Vec<_> = report
        .new_findings()
        .map(|f| (f.rule.as_str(), f.profile.as_deref(), f.subject.as_str()))
        .collect();
    assert_eq!(new, [("R9", Some("server"), "firewall.enable")]);
    assert_eq!(report.summary.new, Some(1));
    assert!(report.fails());

    // Against itself, nothing is new and the gate passes although errors remain.
    let mut same = validate(
        &before,
        &ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    same.ratchet(&baseline);
    assert_eq!(same.summary.new, Some(0));
    assert!(same.summary.errors > 0 && !same.fails());
}

fn compile(schema: &serde_json::Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).expect("schema compiles")
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::repo_root().join("tests/schemas/sarif-schema-2.1.0.json"))
            .expect("SARIF schema"),
    )
    .expect("json");
    let v = compile(&schema);
    for case in [
        "rule-w-expired-waiver",
        "rule-r2-patch-window-loosened",
        "rule-b4-nhs-name",
    ] {
        let path = common::corpus().join(case);
        let dir = common::materialize(&path);
        let e = nhos_core::load(dir.path()).expect("loads");
        let mut r = validate(
            &e,
            &ValidateOptions {
                today: common::today(&path),
            },
        );
        r.ratchet(&example_report(common::FIXED_TODAY));
        let sarif: serde_json::Value = serde_json::from_str(&format::sarif(&r)).expect("json");
        let errors: Vec<String> = v
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{case}: {errors:#?}");
        let results = sarif["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), r.findings.len());
        // Locations are relative, with file and line.
        assert!(
            results
                .iter()
                .filter_map(
                    |x| x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str()
                )
                .all(|u| !u.starts_with('/'))
        );
    }
}

#[test]
fn json_output_matches_the_committed_report_schema() {
    let path = common::repo_root().join("schema/report.schema.json");
    let want = format::report_schema();
    common::assert_current(&path, &want, "NHOS_UPDATE_SCHEMA");
    let schema: serde_json::Value = serde_json::from_str(&want).expect("json");
    let v = compile(&schema);
    let mut r = example_report(d(2027, 4, 2));
    r.ratchet(&example_report(common::FIXED_TODAY));
    let json: serde_json::Value = serde_json::from_str(&format::json(&r)).expect("json");
    let errors: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        format::json(&Report::from_json(&format::json(&r)).expect("round trip")),
        format::json(&r)
    );
}

#[test]
fn junit_is_well_formed_with_a_case_per_rule_checked() {
    let r = example_report(d(2027, 4, 2));
    let xml = format::junit(&r);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut skipped) = (0, 0, 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    b"skipped" => skipped += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let checked: usize = r.checked.values().map(Vec::len).sum();
    // Every rule checked, and the waivers' own case (W) in the estate suite.
    assert_eq!(cases, checked + 1);
    assert!(
        xml.contains("name=\"W Waivers\">\n      <failure") && xml.contains("W-001 for R4 expired"),
        "expired waivers fail the W case"
    );
    assert!(failures >= 3, "expired waivers bring kiosk findings back");
    assert!(skipped >= 6, "manual R22 checks are skipped");
}

#[test]
fn junit_stays_well_formed_xml_whatever_a_message_holds() {
    let mut r = example_report(common::FIXED_TODAY);
    r.findings[0].message = "esc \u{1b}[31m nul \u{0} amp & lt < \u{fffe}".to_owned();
    r.findings[0].status = Status::Open;
    r.findings[0].severity = Severity::Error;
    let xml = format::junit(&r);
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Text(t) => {
                let bytes: &[u8] = t.as_ref();
                assert!(!bytes.contains(&0x1b), "raw ESC in XML");
            }
            _ => {}
        }
    }
    assert!(
        !xml.contains("&#x1B;") && !xml.contains("&#x0;"),
        "no illegal character references"
    );
    assert!(xml.contains("esc \u{fffd}[31m nul \u{fffd} amp &amp; lt &lt; \u{fffd}"));
}

#[test]
fn text_report_names_each_finding_and_the_summary() {
    let r = example_report(common::FIXED_TODAY);
    let t = format::text(&r);
    assert!(t.contains("  waived       R4") && t.contains("waived by W-001"));
    assert!(t.contains("  not-enforced R38  declared, not enforced: "));
    assert!(t.trim_end().ends_with(
        "0 errors, 0 warnings, 0 info; 4 waived, 6 manual, 25 declared but not enforced"
    ));
}
