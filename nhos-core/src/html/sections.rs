//! The report's sections other than the matrix.

use super::{h, line_anchor};
use crate::model::Estate;
use crate::report::{Report, Status};
use std::fmt::Write as _;

pub(super) fn summary(o: &mut String, estate: &Estate, report: &Report) {
    let s = &report.summary;
    let concrete = estate.concrete_profiles().count();
    let _ = write!(
        o,
        "<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"facts\">\n\
         <dt>Organisation</dt><dd>{} ({})</dd>\n\
         <dt>Profiles</dt><dd><span id=\"profile-count\">{concrete}</span> that build systems, {} in all</dd>\n\
         <dt>NixOS release</dt><dd>{}</dd>\n\
         <dt>Judged on</dt><dd>{}, with the rule pack {} (nhos {})</dd>\n\
         <dt>Definition</dt><dd><code>{}</code></dd>\n</dl>\n\
         <table class=\"counts\">\n<caption>Findings</caption>\n<thead><tr><th scope=\"col\">Errors</th><th scope=\"col\">Warnings</th><th scope=\"col\">Waived</th><th scope=\"col\">Manual</th><th scope=\"col\">Not enforced</th></tr></thead>\n\
         <tbody><tr><td id=\"count-errors\">{}</td><td id=\"count-warnings\">{}</td><td id=\"count-waived\">{}</td><td id=\"count-manual\">{}</td><td id=\"count-not-enforced\">{}</td></tr></tbody>\n</table>\n</section>\n",
        h(&estate.organisation.name),
        h(&estate.organisation.ods_code),
        estate.profiles.len(),
        h(&estate.nixpkgs.release),
        h(&report.today),
        h(&report.rule_pack),
        h(&report.nhos_version),
        h(&report.definition_hash),
        s.errors,
        s.warnings,
        s.waived,
        s.manual,
        s.not_enforced,
    );
}

pub(super) fn estate_graph(o: &mut String, estate: &Estate) {
    o.push_str("<section id=\"graph\">\n<h2>Profiles and inheritance</h2>\n<figure>\n");
    o.push_str(&crate::graph::render(estate, crate::graph::Format::Svg));
    o.push_str("<figcaption>Each profile inherits what the profiles above it define; abstract profiles (dashed) build nothing themselves.</figcaption>\n</figure>\n</section>\n");
}

/// A finding's definition line as a link into the definition sources below.
fn at(f: &crate::report::Finding) -> String {
    match &f.location {
        Some(l) if l.line > 0 => format!(
            "<a class=\"at\" href=\"#{}\">{}:{}:{}</a>",
            line_anchor(&l.file, l.line),
            h(&l.file),
            l.line,
            l.column
        ),
        Some(l) => h(&l.file),
        None => "—".to_owned(),
    }
}

pub(super) fn findings(o: &mut String, report: &Report) {
    o.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    let shown: Vec<&crate::report::Finding> = report
        .findings
        .iter()
        .filter(|f| !(f.status == Status::Open && f.severity == crate::Severity::Info))
        .collect();
    if shown.is_empty() {
        o.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    o.push_str("<table class=\"findings\">\n<caption>Every finding, with the definition line behind it, what to do, and the guidance it serves</caption>\n<thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Profile</th><th scope=\"col\">Status</th><th scope=\"col\">Finding</th><th scope=\"col\">Definition</th><th scope=\"col\">Remediation</th><th scope=\"col\">References</th></tr></thead>\n<tbody>\n");
    for f in shown {
        let refs = crate::rules::rule(&f.rule).map_or(String::new(), |r| {
            let x = &r.references;
            format!(
                "NCSC {}; Cyber Essentials {}; CIS {}; DSPT {}",
                h(x.ncsc),
                h(x.cyber_essentials),
                h(x.cis),
                h(x.dspt)
            )
        });
        let status = match (&f.status, &f.waiver) {
            (Status::Waived, Some(w)) => format!("waived ({})", h(w)),
            (s, _) => format!("{} {}", f.severity.as_str(), s.as_str()),
        };
        let _ = writeln!(
            o,
            "<tr class=\"finding\"><td><a href=\"#rule-{}\">{}</a></td><td>{}</td><td>{status}</td><td>{}</td><td>{}</td><td>{}</td><td>{refs}</td></tr>",
            h(&f.rule),
            h(&f.rule),
            h(f.profile.as_deref().unwrap_or("estate")),
            h(&f.message),
            at(f),
            h(&f.remediation),
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

pub(super) fn waivers(o: &mut String, estate: &Estate, report: &Report) {
    o.push_str("<section id=\"waivers\">\n<h2>Waivers</h2>\n");
    let ws = &estate.policy.waivers;
    if ws.is_empty() {
        o.push_str("<p>No waivers.</p>\n</section>\n");
        return;
    }
    let today = crate::Date::parse(&report.today);
    // The timeline spans from the earliest approval (or today) to the last expiry.
    let start = ws.iter().filter_map(|w| w.approved).chain(today).min();
    let end = ws.iter().map(|w| w.expires).chain(today).max();
    let (Some(start), Some(end)) = (start, end) else {
        o.push_str("</section>\n");
        return;
    };
    let span = start.days_until(end).max(1) as f64;
    let pct = |d: crate::Date| (start.days_until(d).max(0) as f64 / span * 100.0).clamp(0.0, 100.0);
    o.push_str("<table class=\"waivers\">\n<caption>Accepted risks: each bar runs from approval to expiry; the line marks the day judged</caption>\n<thead><tr><th scope=\"col\">Waiver</th><th scope=\"col\">Rule</th><th scope=\"col\">Profiles</th><th scope=\"col\">Approved by</th><th scope=\"col\">Expires</th><th scope=\"col\">Timeline</th><th scope=\"col\">Justification</th></tr></thead>\n<tbody>\n");
    for w in ws {
        let from = pct(w.approved.unwrap_or(start));
        let to = pct(w.expires);
        let left = today.map(|t| t.days_until(w.expires));
        let state = match left {
            Some(d) if d < 0 => "expired".to_owned(),
            Some(d) => format!("{d} days left"),
            None => String::new(),
        };
        let marker = today.map_or(String::new(), |t| {
            format!(
                "<span class=\"today\" style=\"left:{:.1}%\"></span>",
                pct(t)
            )
        });
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{} ({state})</td><td><div class=\"timeline\" role=\"img\" aria-label=\"{} to {}\"><span class=\"bar\" style=\"left:{from:.1}%;width:{:.1}%\"></span>{marker}</div></td><td>{}</td></tr>",
            line_anchor(&w.location.file, w.location.line.max(1)),
            h(&w.id),
            h(&w.rule),
            h(&if w.profiles.is_empty() {
                "all".to_owned()
            } else {
                w.profiles.join(", ")
            }),
            h(&w.approver),
            w.expires,
            w.approved.map_or("—".to_owned(), |d| d.to_string()),
            w.expires,
            (to - from).max(0.5),
            h(&w.justification),
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

pub(super) fn plan(o: &mut String, plan: &crate::Plan) {
    let _ = write!(
        o,
        "<section id=\"plan\">\n<h2>Plan</h2>\n<p>{}</p>\n<pre class=\"plan\">{}</pre>\n</section>\n",
        h(&crate::plan::format::summary_line(plan)),
        h(&crate::plan::format::text(plan))
    );
}

/// The definition files, each line with an anchor the findings link to.
pub(super) fn sources(o: &mut String, estate: &Estate) {
    o.push_str("<section id=\"sources\">\n<h2>The definition</h2>\n");
    for f in &estate.files {
        let _ = write!(o, "<h3>{}</h3>\n<pre class=\"source\">", h(&f.path));
        for (i, line) in f.text.lines().enumerate() {
            let n = i as u32 + 1;
            let _ = writeln!(
                o,
                "<span class=\"line\" id=\"{}\"><span class=\"n\">{n}</span>{}</span>",
                line_anchor(&f.path, n),
                h(line)
            );
        }
        o.push_str("</pre>\n");
    }
    o.push_str("</section>\n");
}

/// The rule pack: each rule's rationale, references, remediation and how the
/// generated configuration enforces it (the matrix and the findings link here).
pub(super) fn rules(o: &mut String) {
    o.push_str("<section id=\"rules\">\n<h2>The rules</h2>\n<dl class=\"rules\">\n");
    for r in crate::rules::RULES {
        let x = &r.references;
        let _ = writeln!(
            o,
            "<dt id=\"rule-{}\">{} — {}</dt><dd><p>{}</p><p>Severity {}. NCSC {}; Cyber Essentials {}; CIS {}; DSPT {}.</p><p>Remediation: {}</p><p>Enforcement: {}</p></dd>",
            r.id,
            r.id,
            h(r.title),
            h(r.rationale),
            r.severity.as_str(),
            h(x.ncsc),
            h(x.cyber_essentials),
            h(x.cis),
            h(x.dspt),
            h(r.remediation),
            h(r.enforcement),
        );
    }
    o.push_str("</dl>\n</section>\n");
}
