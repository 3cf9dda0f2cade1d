//! Waivers applied to findings: scoped by rule, profiles and `accepts`, limited by
//! `max-waiver-days`, judged on the `today` passed in; and the findings about the
//! waivers themselves (rule `W`: expired, expiring, unused, too long, unscoped).

use super::*;

/// Days before a waiver expires at which it is reported as expiring.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// The longest a waiver may run when the policy does not say (`max-waiver-days`).
pub const DEFAULT_MAX_WAIVER_DAYS: i64 = 365;

pub(super) fn apply_waivers(estate: &Estate, opts: &ValidateOptions, sink: &mut Sink) {
    // Waivers of rules judged on the built system are `nhos vulns`'s to apply.
    let definition = |w: &crate::model::Waiver| {
        crate::rules::rule(&w.rule).is_none_or(|r| r.judged != crate::rules::Judged::Build)
    };
    apply_waivers_of(estate, opts, sink, &definition);
}

/// [`apply_waivers`] for the waivers of the rules `scope` takes only (a judgement
/// of some rules, such as the build-judged ones, reports only on their waivers).
pub(super) fn apply_waivers_of(
    estate: &Estate,
    opts: &ValidateOptions,
    sink: &mut Sink,
    scope: &dyn Fn(&crate::model::Waiver) -> bool,
) {
    let mut used = BTreeSet::new();
    let max_days = max_waiver_days(estate);
    // Open findings by rule, so that each waiver looks only at its rule's findings
    // (and its profiles through a set): matching is linear in findings and named
    // profiles, however many profiles a waiver names.
    let mut by_rule: std::collections::HashMap<String, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, f) in sink.findings.iter().enumerate() {
        if f.status == Status::Open {
            by_rule.entry(f.rule.clone()).or_default().push(i);
        }
    }
    for w in estate.policy.waivers.iter().filter(|w| scope(w)) {
        if !in_force(w, opts.today, max_days, sink) {
            continue;
        }
        if w.accepts.is_empty() {
            sink.findings.push(waiver_finding(
                &w.id,
                "unscoped",
                Severity::Warning,
                format!(
                    "waiver {} for {} is not scoped: it hides every {} finding of its profiles, including values worse than the one accepted",
                    w.id, w.rule, w.rule
                ),
                "Name what it accepts, e.g. `accepts = { \"screen.idle-delay\" = 900 }`.",
                &w.location,
            ));
        }
        let profiles: std::collections::HashSet<&str> =
            w.profiles.iter().map(String::as_str).collect();
        for &i in by_rule.get(&w.rule).map(Vec::as_slice).unwrap_or_default() {
            let f = &mut sink.findings[i];
            if f.status == Status::Open && covers(w, &profiles, f) {
                f.status = Status::Waived;
                f.waiver = Some(w.id.clone());
                used.insert(w.id.clone());
            }
        }
        let left = opts.today.days_until(w.expires);
        if left <= EXPIRY_WARNING_DAYS {
            sink.findings.push(waiver_finding(
                &w.id,
                "expiring",
                Severity::Warning,
                format!(
                    "waiver {} for {} expires on {} ({left} days)",
                    w.id, w.rule, w.expires
                ),
                "Renew or retire the waiver before it expires.",
                &w.location,
            ));
        }
    }
    unused_waivers(estate, opts, max_days, &used, sink, scope);
}

/// The longest a waiver may run: `policy.max-waiver-days`, or the default.
fn max_waiver_days(estate: &Estate) -> i64 {
    (estate.policy.parameters.get("policy.max-waiver-days"))
        .and_then(|v| v.value.as_int())
        .unwrap_or(DEFAULT_MAX_WAIVER_DAYS)
}

/// Whether a waiver is in force on `today`: not expired, and no longer than the
/// policy allows. One that is not says so in a finding and covers nothing.
fn in_force(w: &crate::model::Waiver, today: Date, max_days: i64, sink: &mut Sink) -> bool {
    if today.days_until(w.expires) < 0 {
        sink.findings.push(waiver_finding(
            &w.id,
            "expired",
            Severity::Error,
            format!("waiver {} for {} expired on {} (approved by {}); the findings it covered count again", w.id, w.rule, w.expires, w.approver),
            "Renew the waiver with a new expiry date and approval, or fix what it covered.",
            &w.location,
        ));
        return false;
    }
    let length = w.approved.unwrap_or(today).days_until(w.expires);
    if length > max_days {
        let from = match w.approved {
            Some(a) => format!("from its approval on {a}"),
            None => format!("from {today}"),
        };
        sink.findings.push(waiver_finding(
            &w.id,
            "too-long",
            Severity::Error,
            format!(
                "waiver {} for {} runs {length} days {from} to {}; the policy allows at most {max_days} (`max-waiver-days`), so it covers nothing",
                w.id, w.rule, w.expires
            ),
            "Shorten the waiver (an earlier `expires`) and review it again then.",
            &w.location,
        ));
        return false;
    }
    true
}

/// Whether a waiver covers a finding: its rule, one of its profiles (or all), and —
/// when scoped — a setting it names with the value it accepts (a worse value stays
/// open).
fn covers(
    w: &crate::model::Waiver,
    profiles: &std::collections::HashSet<&str>,
    f: &Finding,
) -> bool {
    f.rule == w.rule
        && (profiles.is_empty() || f.profile.as_deref().is_some_and(|p| profiles.contains(p)))
        && (w.accepts.is_empty()
            || (w.accepts.get(&f.subject)).is_some_and(|v| f.value.as_ref() == Some(v)))
}

/// Waivers in force that cover no finding.
fn unused_waivers(
    estate: &Estate,
    opts: &ValidateOptions,
    max_days: i64,
    used: &BTreeSet<String>,
    sink: &mut Sink,
    scope: &dyn Fn(&crate::model::Waiver) -> bool,
) {
    for w in estate.policy.waivers.iter().filter(|w| scope(w)) {
        let live = opts.today.days_until(w.expires) >= 0
            && w.approved.unwrap_or(opts.today).days_until(w.expires) <= max_days;
        if live && !used.contains(&w.id) {
            sink.findings.push(waiver_finding(
                &w.id,
                "unused",
                Severity::Info,
                format!(
                    "waiver {} for {} covers no finding; it may be retired",
                    w.id, w.rule
                ),
                "Remove the waiver if the risk it accepted no longer exists.",
                &w.location,
            ));
        }
    }
}

fn waiver_finding(
    id: &str,
    kind: &str,
    severity: Severity,
    message: String,
    remediation: &str,
    at: &Location,
) -> Finding {
    Finding {
        rule: "W".to_owned(),
        title: "Waiver in force".to_owned(),
        severity,
        status: Status::Open,
        profile: None,
        subject: format!("waiver:{id}"),
        message,
        remediation: remediation.to_owned(),
        location: Some(at.clone()),
        waiver: None,
        value: None,
        fingerprint: format!("W/-/waiver:{id}/{kind}"),
        new: None,
    }
}
