//! Notebook views (`_repr_html_`): reports and plans as styled tables. Every value
//! is HTML-escaped; the style is scoped to `.nhos` and uses NHS identity colours
//! with WCAG AA contrast for the text on them.

use std::fmt::Write;

/// HTML text and attribute escaping.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "<style>\
.nhos{font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#212b32;background:#fff}\
.nhos h3{margin:.2em 0 .4em;font-size:16px}\
.nhos .counts{display:flex;gap:.5em;flex-wrap:wrap;margin:0 0 .6em;padding:0;list-style:none}\
.nhos .counts li{padding:.15em .6em;border-radius:1em;font-weight:bold}\
.nhos table{border-collapse:collapse;width:100%}\
.nhos th{background:#005eb8;color:#fff;text-align:left;padding:.35em .5em}\
.nhos td{border-bottom:1px solid #d8dde0;padding:.35em .5em;vertical-align:top}\
.nhos tr:nth-child(even) td{background:#f0f4f5}\
.nhos .badge{display:inline-block;padding:.1em .5em;border-radius:.3em;font-weight:bold;white-space:nowrap}\
.nhos .error{background:#d5281b;color:#fff}\
.nhos .warning{background:#ffb81c;color:#212b32}\
.nhos .info{background:#005eb8;color:#fff}\
.nhos .waived{background:#425563;color:#fff}\
.nhos .manual{background:#330072;color:#fff}\
.nhos .not-enforced{background:#7c2855;color:#fff}\
.nhos .added{background:#007f3b;color:#fff}\
.nhos .removed{background:#d5281b;color:#fff}\
.nhos .changed{background:#005eb8;color:#fff}\
.nhos .ok{background:#007f3b;color:#fff}\
.nhos .fix{color:#425563;font-size:13px;margin-top:.2em}\
.nhos code{font-family:monospace;font-size:13px}\
</style>";

/// The badge class and label for a finding.
fn badge(f: &nhos_core::Finding) -> (&'static str, &'static str) {
    match f.status {
        nhos_core::validate::Status::Open => {
            let s = f.severity.as_str();
            (s, s)
        }
        other => (other.as_str(), other.as_str()),
    }
}

/// One summary count; `label` is "singular|plural".
fn count(out: &mut String, class: &str, n: usize, label: &str) {
    let (one, many) = label.split_once('|').unwrap_or((label, label));
    let label = if n == 1 { one } else { many };
    let _ = write!(out, "<li class=\"{class}\">{n} {}</li>", esc(label));
}

/// A report as a table.
pub fn report(r: &nhos_core::Report) -> String {
    let s = &r.summary;
    let mut out = format!(
        "{STYLE}<div class=\"nhos nhos-report\"><h3>nhos report, judged on {}</h3><ul class=\"counts\">",
        esc(&r.today)
    );
    if s.errors + s.warnings + s.infos == 0 {
        count(&mut out, "ok", 0, "open finding|open findings");
    }
    for (class, n, label) in [
        ("error", s.errors, "error|errors"),
        ("warning", s.warnings, "warning|warnings"),
        ("info", s.infos, "info"),
        ("waived", s.waived, "waived"),
        ("manual", s.manual, "manual"),
        ("not-enforced", s.not_enforced, "not enforced"),
    ] {
        if n > 0 {
            count(&mut out, class, n, label);
        }
    }
    out.push_str(
        "</ul><table><thead><tr><th scope=\"col\">status</th><th scope=\"col\">rule</th>\
         <th scope=\"col\">profile</th><th scope=\"col\">finding</th><th scope=\"col\">where</th></tr></thead><tbody>",
    );
    for f in &r.findings {
        let (class, label) = badge(f);
        let at = f
            .location
            .as_ref()
            .map(|l| l.to_string())
            .unwrap_or_default();
        let waiver = f
            .waiver
            .as_deref()
            .map(|w| format!(" (waiver <code>{}</code>)", esc(w)))
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td><span class=\"badge {class}\">{label}</span></td><td><b>{}</b><br>{}</td><td>{}</td>\
             <td>{}{waiver}<div class=\"fix\">{}</div></td><td><code>{}</code></td></tr>",
            esc(&f.rule),
            esc(&f.title),
            esc(f.profile.as_deref().unwrap_or("estate")),
            esc(&f.message),
            esc(&f.remediation),
            esc(&at)
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

fn source(s: &nhos_core::plan::Source) -> String {
    format!("<code>{}</code> ({})", esc(&s.at), esc(&s.via))
}

fn row(
    out: &mut String,
    profile: &str,
    class: &str,
    what: &str,
    item: &str,
    value: &str,
    from: &str,
) {
    let _ = write!(
        out,
        "<tr><td>{}</td><td><span class=\"badge {class}\">{class}</span></td><td>{}</td><td><code>{}</code></td><td>{value}</td><td>{from}</td></tr>",
        esc(profile),
        esc(what),
        esc(item)
    );
}

/// A plan as a table.
pub fn plan(p: &nhos_core::Plan) -> String {
    let s = &p.summary;
    let mut out = format!(
        "{STYLE}<div class=\"nhos nhos-plan\"><h3>nhos plan for {}</h3><ul class=\"counts\">",
        esc(&p.organisation)
    );
    if p.is_empty() {
        count(&mut out, "ok", 0, "change|changes");
    }
    for (class, n, label) in [
        (
            "changed",
            s.profiles_changed,
            "profile changed|profiles changed",
        ),
        ("added", s.profiles_added, "profile added|profiles added"),
        (
            "removed",
            s.profiles_removed,
            "profile removed|profiles removed",
        ),
        ("added", s.packages_added, "package added|packages added"),
        (
            "removed",
            s.packages_removed,
            "package removed|packages removed",
        ),
        (
            "changed",
            s.settings_changed,
            "setting changed|settings changed",
        ),
        ("changed", s.branding_changed, "branding changed"),
        ("error", s.findings_new, "new finding|new findings"),
        ("added", s.findings_fixed, "finding fixed|findings fixed"),
        ("changed", s.files_changed, "file changed|files changed"),
    ] {
        if n > 0 {
            count(&mut out, class, n, label);
        }
    }
    out.push_str(
        "</ul><table><thead><tr><th scope=\"col\">profile</th><th scope=\"col\">change</th><th scope=\"col\">what</th>\
         <th scope=\"col\">item</th><th scope=\"col\">value</th><th scope=\"col\">from</th></tr></thead><tbody>",
    );
    profile_rows(&mut out, p);
    finding_rows(&mut out, p);
    out.push_str("</tbody></table></div>");
    out
}

/// One row per profile added or removed, and per change inside a profile.
fn profile_rows(out: &mut String, p: &nhos_core::Plan) {
    for name in &p.profiles_added {
        row(out, name, "added", "profile", name, "", "");
    }
    for name in &p.profiles_removed {
        row(out, name, "removed", "profile", name, "", "");
    }
    for pp in &p.profiles {
        for (class, what, items) in [
            ("added", "package", &pp.packages_added),
            ("removed", "package", &pp.packages_removed),
            ("added", "capability", &pp.capabilities_added),
            ("removed", "capability", &pp.capabilities_removed),
        ] {
            for i in items {
                row(out, &pp.name, class, what, &i.name, "", &source(&i.source));
            }
        }
        for (what, changes) in [
            ("capability", &pp.capabilities_changed),
            ("setting", &pp.settings),
        ] {
            for c in changes {
                change(out, &pp.name, what, c);
            }
        }
        for (class, outs) in [
            ("added", &pp.outputs_added),
            ("removed", &pp.outputs_removed),
        ] {
            for o in outs {
                row(out, &pp.name, class, "output", o, "", "");
            }
        }
    }
}

/// Branding changes, then new and fixed findings.
fn finding_rows(out: &mut String, p: &nhos_core::Plan) {
    for c in &p.branding {
        change(out, "estate", "branding", c);
    }
    for (class, what, findings) in [
        ("error", "new finding", &p.findings_new),
        ("added", "fixed finding", &p.findings_fixed),
    ] {
        for f in findings {
            let at = f
                .location
                .as_ref()
                .map(|l| l.to_string())
                .unwrap_or_default();
            let _ = write!(
                out,
                "<tr><td>{}</td><td><span class=\"badge {class}\">{}</span></td><td>{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td></tr>",
                esc(f.profile.as_deref().unwrap_or("estate")),
                esc(what),
                esc(&f.rule),
                esc(&f.subject),
                esc(&f.message),
                esc(&at)
            );
        }
    }
}

fn change(out: &mut String, profile: &str, what: &str, c: &nhos_core::plan::Change) {
    let (class, value, from) = match (&c.old, &c.new) {
        (Some(o), Some(n)) => (
            "changed",
            format!(
                "<code>{}</code> → <code>{}</code>",
                esc(&o.value),
                esc(&n.value)
            ),
            source(&n.source),
        ),
        (None, Some(n)) => (
            "added",
            format!("<code>{}</code>", esc(&n.value)),
            source(&n.source),
        ),
        (Some(o), None) => (
            "removed",
            format!("<code>{}</code>", esc(&o.value)),
            source(&o.source),
        ),
        (None, None) => ("changed", String::new(), String::new()),
    };
    row(out, profile, class, what, &c.key, &value, &from);
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }
}
