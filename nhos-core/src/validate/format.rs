//! Report formats: text for people, JSON (versioned, schema in
//! `schema/report.schema.json`), SARIF 2.1.0 for code-scanning annotations, and
//! JUnit XML for CI dashboards.

use super::{Finding, Report, Status};
use crate::diagnostic::Severity;
use crate::rules::RULES;
use serde_json::{Value, json};
use std::fmt::Write as _;

mod junit;

pub use junit::{junit, junit_many};

/// The report as pretty JSON with a trailing newline.
pub fn json(report: &Report) -> String {
    let mut s = crate::escape::json_pretty(report);
    s.push('\n');
    s
}

/// Several estates' reports as one JSON document: `{"schema": "nhos-reports/1",
/// "estates": [{"estate": <label>, "report": <report>}, …]}`.
pub fn json_many(reports: &[(&str, &Report)]) -> String {
    let doc = json!({
        "schema": "nhos-reports/1",
        "estates": reports.iter().map(|(label, r)| json!({ "estate": label, "report": r })).collect::<Vec<_>>(),
    });
    let mut s = crate::escape::json_pretty(&doc);
    s.push('\n');
    s
}

/// The JSON Schema of the JSON report.
pub fn report_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Report>();
    schema.insert(
        "$id".into(),
        Value::String("https://nhos.invalid/schema/report.schema.json".into()),
    );
    let mut s = crate::escape::json_pretty(&schema);
    s.push('\n');
    s
}

fn status_word(f: &Finding) -> &'static str {
    match f.status {
        Status::Open => f.severity.as_str(),
        Status::Waived => "waived",
        Status::Manual => "manual",
        Status::NotEnforced => "not-enforced",
    }
}

/// Text for a terminal or a log.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut current: Option<Option<&str>> = None;
    for f in &report.findings {
        if current != Some(f.profile.as_deref()) {
            current = Some(f.profile.as_deref());
            let _ = writeln!(
                out,
                "\n{}",
                f.profile
                    .as_deref()
                    .map_or("estate".to_owned(), |p| format!("profile {p}"))
            );
        }
        let new = if f.new == Some(true) { " NEW" } else { "" };
        let _ = writeln!(
            out,
            "  {:<12} {:<4} {}{new}",
            status_word(f),
            f.rule,
            f.message
        );
        if let Some(l) = &f.location {
            let _ = writeln!(out, "               at {l}");
        }
        match (&f.waiver, f.status) {
            (Some(w), _) => {
                let _ = writeln!(out, "               waived by {w}");
            }
            (None, Status::Open | Status::Manual | Status::NotEnforced) => {
                let _ = writeln!(out, "               fix: {}", f.remediation);
            }
            _ => {}
        }
    }
    let s = &report.summary;
    let _ = write!(
        out,
        "\n{} error{}, {} warning{}, {} info; {} waived, {} manual, {} declared but not enforced",
        s.errors,
        if s.errors == 1 { "" } else { "s" },
        s.warnings,
        if s.warnings == 1 { "" } else { "s" },
        s.infos,
        s.waived,
        s.manual,
        s.not_enforced
    );
    if let Some(n) = s.new {
        let _ = write!(out, "; {n} new against the baseline");
    }
    out.push('\n');
    out
}

fn sarif_level(f: &Finding) -> &'static str {
    match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0. Locations are relative to the estate directory (`uriBaseId`
/// `ESTATE`); waived findings carry an accepted external suppression.
pub fn sarif(report: &Report) -> String {
    sarif_doc(vec![sarif_run(report, None)])
}

/// Several estates' reports as one SARIF log: one run per estate, each naming its
/// estate (`automationDetails.id`, and `estate` on every result).
pub fn sarif_many(reports: &[(&str, &Report)]) -> String {
    sarif_doc(
        reports
            .iter()
            .map(|(label, r)| sarif_run(r, Some(label)))
            .collect(),
    )
}

fn sarif_doc(runs: Vec<Value>) -> String {
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": runs,
    });
    let mut s = crate::escape::json_pretty(&doc);
    s.push('\n');
    s
}

fn sarif_run(report: &Report, estate: Option<&str>) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.title,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": r.rationale },
                "help": { "text": r.remediation },
                "defaultConfiguration": { "level": match r.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Info => "note" } },
                "properties": {
                    "judged": r.judged,
                    "references": r.references,
                    "parameters": r.parameters,
                    "enforcedBy": r.enforced_by,
                    "enforcement": r.enforcement,
                }
            })
        })
        .chain(std::iter::once(json!({
            "id": "W",
            "name": "Waiver in force",
            "shortDescription": { "text": "Waivers must be in force and used" },
            "help": { "text": "Renew expired waivers or fix what they covered; retire unused ones." },
            "defaultConfiguration": { "level": "error" }
        })))
        .collect();
    let index = |id: &str| RULES.iter().position(|r| r.id == id).unwrap_or(RULES.len());
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut res = json!({
                "ruleId": f.rule,
                "ruleIndex": index(&f.rule),
                "level": match f.status { Status::Manual => "note", Status::NotEnforced => "warning", _ => sarif_level(f) },
                "kind": match f.status { Status::Manual | Status::NotEnforced => "review", _ => "fail" },
                "message": { "text": match &f.profile { Some(p) => format!("{p}: {}", f.message), None => f.message.clone() } },
                "partialFingerprints": { "nhosFinding/v1": f.fingerprint },
                "properties": { "estate": estate, "profile": f.profile, "subject": f.subject, "status": f.status.as_str() },
            });
            if let Some(l) = &f.location {
                let mut region = json!({});
                if l.line > 0 {
                    region = json!({ "startLine": l.line, "startColumn": l.column });
                }
                let mut phys = json!({ "artifactLocation": { "uri": l.file, "uriBaseId": "ESTATE" } });
                if l.line > 0 {
                    phys["region"] = region;
                }
                res["locations"] = json!([{ "physicalLocation": phys }]);
            }
            if let Some(w) = &f.waiver {
                res["suppressions"] = json!([{ "kind": "external", "status": "accepted", "justification": format!("waiver {w}") }]);
            }
            if let Some(n) = f.new {
                res["baselineState"] = json!(if n { "new" } else { "unchanged" });
            }
            res
        })
        .collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "nhos",
            "version": report.nhos_version,
            "informationUri": "https://example.invalid/nhos/docs/rules.md",
            "rules": rules,
        }},
        "originalUriBaseIds": { "ESTATE": { "description": { "text": estate.map_or("The estate directory".to_owned(), |e| format!("The estate directory {e}")) } } },
        "results": results,
        "properties": { "rulePack": report.rule_pack, "today": report.today, "definitionHash": report.definition_hash },
    });
    if let Some(e) = estate {
        run["automationDetails"] = json!({ "id": format!("nhos/{e}/") });
        run["properties"]["estate"] = json!(e);
    }
    run
}

/// The rule pack as Markdown (`docs/rules.md` is this, drift-tested).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rule pack `nhs-desktop-baseline`\n\nGenerated by `nhos rules`; do not edit. Rules R1–R24 come from \
         the NHS desktop baseline (the domain reference, §4.5), R25–R38 from an NCSC / CIS review of a \
         Linux desktop; applicability per role follows §7.8. \"advisory\" means a violation is a warning \
         (decided by risk). Each rule is judged on the definition and, where the definition passes it, \
         its enforcement is checked on the generated NixOS option tree: a rule the generated system \
         cannot make true is reported as **declared, not enforced**, never as a pass. Findings of rule \
         `W` concern waivers themselves: expired (error), expiring within 30 days (warning), unused \
         (info).\n\n| rule | judged on the definition | enforced on the device | by | NCSC · Cyber Essentials · CIS · DSPT |\n|---|---|---|---|---|\n",
    );
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    for r in RULES {
        let by = if r.enforced_by.is_empty() {
            "—".to_owned()
        } else {
            r.enforced_by
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let refs = &r.references;
        let _ = writeln!(
            out,
            "| {} {} | {} | {} | {} | {} · {} · {} · {} |",
            r.id,
            cell(r.title),
            cell(r.remediation),
            cell(r.enforcement),
            cell(&by),
            cell(refs.ncsc),
            cell(refs.cyber_essentials),
            cell(refs.cis),
            cell(refs.dspt)
        );
    }
    for r in RULES {
        rule_section(&mut out, r);
    }
    out
}

/// One rule's section: rationale, severity, where it applies, parameters,
/// references, remediation and enforcement.
fn rule_section(out: &mut String, r: &crate::rules::Rule) {
    let roles = ["admin", "clinical", "analyst", "dr", "kiosk", "server"];
    let _ = write!(
        out,
        "\n## {} — {}\n\n{}\n\n- severity: {}; judged: {}\n",
        r.id,
        r.title,
        r.rationale,
        r.severity.as_str(),
        match r.judged {
            crate::rules::Judged::Definition => "from the definition",
            crate::rules::Judged::Manual => "manually (reported with guidance)",
            crate::rules::Judged::Build =>
                "on the built system (`nhos vulns`), not by `nhos validate`",
        }
    );
    let applies: Vec<String> = roles
        .iter()
        .enumerate()
        .map(|(i, role)| {
            format!(
                "{role}: {}",
                match r.applies[i] {
                    crate::rules::Applies::Yes => "yes",
                    crate::rules::Applies::Advisory => "advisory",
                    crate::rules::Applies::No => "n/a",
                }
            )
        })
        .collect();
    let _ = writeln!(out, "- applies: {}", applies.join(", "));
    for p in r.parameters {
        let _ = writeln!(
            out,
            "- parameter `{}`, baseline {} ({} is looser)",
            p.key,
            p.default,
            if p.larger_is_looser {
                "larger"
            } else {
                "smaller"
            }
        );
    }
    let refs = &r.references;
    let _ = writeln!(
        out,
        "- references: NCSC {}; Cyber Essentials {}; CIS Ubuntu 22.04 {}; DSPT {}",
        refs.ncsc, refs.cyber_essentials, refs.cis, refs.dspt
    );
    let _ = writeln!(out, "- remediation: {}", r.remediation);
    let _ = writeln!(out, "- enforcement: {}", r.enforcement);
}
