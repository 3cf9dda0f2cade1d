//! Closure-diff formats: text in the style of `nix store diff-closures` (its lines
//! first, byte for byte without colour, then the rebuilds and totals it does not
//! give; the CLI makes text safe for a terminal and paints it), JSON
//! (versioned; schema in `schema/closure-diff.schema.json`), and Markdown.

use super::diff::{CauseKind, ClosureDiff, PackageChange, RebuildGroup};
use crate::escape;
use std::fmt::Write as _;

/// A size change as `diff-closures` prints it: `+12.3 KiB`.
pub fn kib(delta: i64) -> String {
    format!("{:+.1} KiB", delta as f64 / 1024.0)
}

/// A size in bytes, human-readable (KiB, MiB, GiB with one decimal).
pub fn size(bytes: u64) -> String {
    let mut v = bytes as f64;
    for unit in ["B", "KiB", "MiB", "GiB"] {
        if v < 1024.0 || unit == "GiB" {
            return if unit == "B" {
                format!("{bytes} B")
            } else {
                format!("{v:.1} {unit}")
            };
        }
        v /= 1024.0;
    }
    unreachable!("the loop returns at GiB")
}

fn versions(v: &[String]) -> String {
    if v.is_empty() {
        "∅".to_owned()
    } else {
        v.iter()
            .map(|x| if x.is_empty() { "ε" } else { x.as_str() })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The line `nix store diff-closures` prints for a package, without colour; `None`
/// when it prints none.
pub fn diff_closures_line(p: &PackageChange) -> Option<String> {
    if !p.listed {
        return None;
    }
    let mut items = Vec::new();
    if !p.versions_removed.is_empty() || !p.versions_added.is_empty() {
        items.push(format!(
            "{} → {}",
            versions(&p.versions_removed),
            versions(&p.versions_added)
        ));
    }
    if p.size_delta.unsigned_abs() >= super::diff::LISTED_DELTA {
        items.push(kib(p.size_delta));
    }
    Some(format!("{}: {}", &p.name, items.join(", ")))
}

fn cause_text(g: &RebuildGroup) -> String {
    let c = &g.cause;
    let what = match c.kind {
        CauseKind::NewVersion => "new version",
        CauseKind::Added => "added",
        CauseKind::Rebuilt => "rebuilt",
    };
    let v = if c.version.is_empty() {
        String::new()
    } else {
        format!(" {}", c.version)
    };
    format!("{}{v} ({what})", c.name)
}

/// At most this many rebuilt packages are named per group in text and Markdown
/// (JSON has them all).
pub const NAMED_REBUILDS: usize = 12;

fn rebuilt_list(g: &RebuildGroup) -> String {
    let mut s = g
        .packages
        .iter()
        .take(NAMED_REBUILDS)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if g.packages.len() > NAMED_REBUILDS {
        s.push_str(&format!(" and {} more", g.packages.len() - NAMED_REBUILDS));
    }
    s
}

fn paths_text(g: &RebuildGroup) -> String {
    let n = g.paths;
    let mut s = format!("{n} path{}", if n == 1 { "" } else { "s" });
    if g.with_other_causes > 0 {
        s.push_str(&format!(
            " ({} also from {})",
            g.with_other_causes,
            g.other_causes.join(", ")
        ));
    }
    s
}

/// Text: the `diff-closures` lines, then rebuilds by cause, then totals.
pub fn text(d: &ClosureDiff) -> String {
    let mut s = String::new();
    for line in d.packages.iter().filter_map(diff_closures_line) {
        let _ = writeln!(s, "{line}");
    }
    if !d.rebuilds.is_empty() {
        let _ = writeln!(s, "\nRebuilt with the same version, by cause:");
        for g in &d.rebuilds {
            let _ = writeln!(
                s,
                "  {} → {}: {}",
                cause_text(g),
                paths_text(g),
                rebuilt_list(g)
            );
        }
    }
    let _ = writeln!(
        s,
        "\nPaths: {} → {} (+{}, -{}); size: {} → {} ({})",
        d.old.paths,
        d.new.paths,
        d.totals.paths_added,
        d.totals.paths_removed,
        size(d.old.nar_size),
        size(d.new.nar_size),
        kib(d.totals.size_delta)
    );
    s
}

/// Pretty JSON with a trailing newline.
pub fn json(d: &ClosureDiff) -> String {
    let mut s = escape::json_pretty(d);
    s.push('\n');
    s
}

/// The JSON Schema of the JSON closure diff.
pub fn closure_diff_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<ClosureDiff>();
    schema.insert(
        "$id".into(),
        serde_json::Value::String("https://nhos.invalid/schema/closure-diff.schema.json".into()),
    );
    let mut s = escape::json_pretty(&schema);
    s.push('\n');
    s
}

/// Markdown for a pull request or a change board.
pub fn markdown(d: &ClosureDiff) -> String {
    let md = escape::md_text;
    let mut s = String::from("## Closure changes\n\n");
    let _ = writeln!(
        s,
        "{} → {} store paths (+{}, −{}), {} → {} ({}).\n",
        d.old.paths,
        d.new.paths,
        d.totals.paths_added,
        d.totals.paths_removed,
        size(d.old.nar_size),
        size(d.new.nar_size),
        kib(d.totals.size_delta)
    );
    if d.packages.is_empty() {
        s.push_str("No package changed.\n");
        return s;
    }
    s.push_str("| Package | Change | Versions | Size |\n| --- | --- | --- | ---: |\n");
    for p in &d.packages {
        let status = serde_json::to_value(p.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            md(&p.name),
            status,
            if p.versions_removed.is_empty() && p.versions_added.is_empty() {
                "unchanged".to_owned()
            } else {
                md(&format!(
                    "{} → {}",
                    versions(&p.versions_removed),
                    versions(&p.versions_added)
                ))
            },
            kib(p.size_delta)
        );
    }
    if !d.rebuilds.is_empty() {
        s.push_str("\n### Rebuilt with the same version\n\n| Cause | Paths | Packages |\n| --- | ---: | --- |\n");
        for g in &d.rebuilds {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                md(&cause_text(g)),
                md(&paths_text(g)),
                md(&rebuilt_list(g))
            );
        }
    }
    s
}
