//! Plan formats: text in the style of `terraform plan`, JSON (versioned, schema in
//! `schema/plan.schema.json`), and Markdown for a pull request or a change board.

use super::{Change, Item, Plan};
use std::fmt::Write as _;

/// Pretty JSON with a trailing newline.
pub fn json(plan: &Plan) -> String {
    let mut s = crate::escape::json_pretty(plan);
    s.push('\n');
    s
}

/// The JSON Schema of the JSON plan.
pub fn plan_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<Plan>();
    schema.insert(
        "$id".into(),
        serde_json::Value::String("https://nhos.invalid/schema/plan.schema.json".into()),
    );
    let mut s = crate::escape::json_pretty(&schema);
    s.push('\n');
    s
}

fn change_line(c: &Change) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => format!(
            "~ {}: {} → {}   ({}; was {})",
            c.key, o.value, n.value, n.source.at, o.source.at
        ),
        (None, Some(n)) => format!("+ {} = {}   ({})", c.key, n.value, n.source.at),
        (Some(o), None) => format!("- {} (was {}, {})", c.key, o.value, o.source.at),
        (None, None) => format!("? {}", c.key),
    }
}

fn item_line(sign: char, what: &str, i: &Item) -> String {
    format!(
        "{sign} {what} {}   ({}, {})",
        i.name, i.source.via, i.source.at
    )
}

/// The summary line.
pub fn summary_line(plan: &Plan) -> String {
    let s = &plan.summary;
    if plan.is_empty() {
        return "No changes.".to_owned();
    }
    format!(
        "Plan: {} profile{} changed, {} added, {} removed; +{} / -{} packages, {} setting{} changed, {} branding change{}; {} new finding{}, {} fixed; {} generated file{} changed.",
        s.profiles_changed,
        if s.profiles_changed == 1 { "" } else { "s" },
        s.profiles_added,
        s.profiles_removed,
        s.packages_added,
        s.packages_removed,
        s.settings_changed,
        if s.settings_changed == 1 { "" } else { "s" },
        s.branding_changed,
        if s.branding_changed == 1 { "" } else { "s" },
        s.findings_new,
        if s.findings_new == 1 { "" } else { "s" },
        s.findings_fixed,
        s.files_changed,
        if s.files_changed == 1 { "" } else { "s" },
    )
}

/// Text for a terminal, without colour: lines start with `+`, `-` or `~` (after
/// indentation) for what is added, removed or changed, so a front end can colour
/// them (the CLI does, on a terminal).
pub fn text(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "nhos plan: {}\n", plan.organisation);
    for p in &plan.profiles_added {
        let _ = writeln!(out, "+ profile {p}");
    }
    for p in &plan.profiles_removed {
        let _ = writeln!(out, "- profile {p}");
    }
    for p in &plan.profiles {
        let _ = writeln!(out, "~ profile {}", p.name);
        for l in profile_lines(p) {
            let _ = writeln!(out, "    {l}");
        }
    }
    if !plan.branding.is_empty() {
        let _ = writeln!(out, "~ branding");
        for c in &plan.branding {
            let _ = writeln!(out, "    {}", change_line(c));
        }
    }
    if let Some(i) = &plan.closure {
        super::closure::text(i, &mut out);
    }
    rule_results_and_nix(&mut out, plan);
    let _ = writeln!(out, "\n{}", summary_line(plan));
    out
}

/// The lines of one changed profile: capabilities, packages, settings, outputs.
fn profile_lines(p: &crate::plan::ProfilePlan) -> Vec<String> {
    let mut lines = Vec::new();
    lines.extend(
        p.capabilities_added
            .iter()
            .map(|i| item_line('+', "capability", i)),
    );
    lines.extend(
        p.capabilities_removed
            .iter()
            .map(|i| item_line('-', "capability", i)),
    );
    lines.extend(
        p.capabilities_changed
            .iter()
            .map(|c| change_line(c).replacen("~ ", "~ capability ", 1)),
    );
    lines.extend(
        p.packages_added
            .iter()
            .map(|i| item_line('+', "package", i)),
    );
    lines.extend(
        p.packages_removed
            .iter()
            .map(|i| item_line('-', "package", i)),
    );
    lines.extend(p.settings.iter().map(change_line));
    lines.extend(
        p.outputs_added
            .iter()
            .map(|o| format!("+ output {}-{o}", p.name)),
    );
    lines.extend(
        p.outputs_removed
            .iter()
            .map(|o| format!("- output {}-{o}", p.name)),
    );
    lines
}

/// New and fixed rule results, then the diff of the generated Nix.
fn rule_results_and_nix(out: &mut String, plan: &Plan) {
    if !plan.findings_new.is_empty() || !plan.findings_fixed.is_empty() {
        let _ = writeln!(out, "\nrule results:");
        for f in &plan.findings_new {
            let _ = writeln!(out, "    + {} {}", f.severity.as_str(), f.brief());
        }
        for f in &plan.findings_fixed {
            let _ = writeln!(out, "    - {} {} (fixed)", f.severity.as_str(), f.brief());
        }
    }
    if !plan.nix_diff.is_empty() {
        let _ = writeln!(out, "\ngenerated Nix:");
        for d in &plan.nix_diff {
            if d.unified.is_empty() {
                let _ = writeln!(out, "    ~ {} (binary)", d.path);
            } else {
                for line in d.unified.lines() {
                    let _ = writeln!(out, "    {line}");
                }
            }
        }
    }
}

use crate::escape::{md_code, md_fence, md_text};

/// Markdown for a pull-request comment or a change-board paper.
pub fn markdown(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## nhos plan: {}\n", md_text(&plan.organisation));
    let _ = writeln!(out, "{}\n", summary_line(plan));
    if !plan.profiles_added.is_empty() || !plan.profiles_removed.is_empty() {
        for p in &plan.profiles_added {
            let _ = writeln!(out, "- **added** profile {}", md_code(p));
        }
        for p in &plan.profiles_removed {
            let _ = writeln!(out, "- **removed** profile {}", md_code(p));
        }
        out.push('\n');
    }
    for p in &plan.profiles {
        md_profile(&mut out, p);
    }
    md_branding(&mut out, plan);
    if let Some(i) = &plan.closure {
        super::closure::markdown(i, &mut out);
    }
    md_rule_results(&mut out, plan);
    md_nix_diff(&mut out, plan);
    out
}

/// One changed profile's section: a table of its capability, package, setting and
/// output changes.
fn md_profile(out: &mut String, p: &crate::plan::ProfilePlan) {
    let _ = writeln!(out, "### Profile {}\n", md_code(&p.name));
    let _ = writeln!(
        out,
        "| change | item | detail | source |\n|---|---|---|---|"
    );
    let items = [
        ("added", "capability", &p.capabilities_added),
        ("removed", "capability", &p.capabilities_removed),
        ("added", "package", &p.packages_added),
        ("removed", "package", &p.packages_removed),
    ];
    for (change, what, list) in items {
        for i in list {
            let _ = writeln!(
                out,
                "| {change} | {what} {} | | {} ({}) |",
                md_code(&i.name),
                md_text(&i.source.via),
                md_text(&i.source.at)
            );
        }
    }
    for c in p.settings.iter().chain(&p.capabilities_changed) {
        let old = c.old.as_ref().map_or("—".to_owned(), |s| md_code(&s.value));
        let new = c.new.as_ref().map_or("—".to_owned(), |s| md_code(&s.value));
        let src = c
            .new
            .as_ref()
            .or(c.old.as_ref())
            .map_or(String::new(), |s| md_text(&s.source.at));
        let _ = writeln!(
            out,
            "| changed | {} | {old} → {new} | {src} |",
            md_code(&c.key)
        );
    }
    for o in &p.outputs_added {
        let _ = writeln!(
            out,
            "| added | output {} | | |",
            md_code(&format!("{}-{o}", p.name))
        );
    }
    for o in &p.outputs_removed {
        let _ = writeln!(
            out,
            "| removed | output {} | | |",
            md_code(&format!("{}-{o}", p.name))
        );
    }
    out.push('\n');
}

/// The branding section: each changed field, old and new.
fn md_branding(out: &mut String, plan: &Plan) {
    if plan.branding.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Branding\n\n| item | old | new |\n|---|---|---|");
    for c in &plan.branding {
        let v =
            |s: &Option<super::Side>| s.as_ref().map_or("—".to_owned(), |s| md_code(&s.value));
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            md_code(&c.key),
            v(&c.old),
            v(&c.new)
        );
    }
    out.push('\n');
}

/// The rule results section: new findings, then fixed ones.
fn md_rule_results(out: &mut String, plan: &Plan) {
    if plan.findings_new.is_empty() && plan.findings_fixed.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "### Rule results\n\n| | rule | severity | profile | finding |\n|---|---|---|---|---|"
    );
    for (mark, fs) in [("new", &plan.findings_new), ("fixed", &plan.findings_fixed)] {
        for f in fs {
            let _ = writeln!(
                out,
                "| {mark} | {} | {} | {} | {} |",
                f.rule,
                f.severity.as_str(),
                md_text(f.profile.as_deref().unwrap_or("estate")),
                md_text(&f.message)
            );
        }
    }
    out.push('\n');
}

/// The diff of the generated Nix, folded in a `<details>` block.
fn md_nix_diff(out: &mut String, plan: &Plan) {
    if plan.nix_diff.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<details><summary>Generated Nix: {} file(s) changed</summary>\n",
        plan.nix_diff.len()
    );
    for d in &plan.nix_diff {
        if d.unified.is_empty() {
            let _ = writeln!(out, "- {} (binary)", md_code(&d.path));
        } else {
            let fence = md_fence(&d.unified);
            let _ = writeln!(out, "{fence}diff\n{}{fence}", d.unified);
        }
    }
    let _ = writeln!(out, "\n</details>");
}
