//! C1: Capability notice.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::C1, judge, None);

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    let cat = crate::catalogue::Catalogue::builtin();
    for (name, use_) in &cx.p.capabilities {
        let Some(c) = cat.capabilities.get(name) else {
            continue;
        };
        let Some(notice) = &c.notice else { continue };
        let (severity, message) = match c.ends {
            Some(end) if cx.today > end => (
                Severity::Error,
                format!("capability `{name}`: the service ended on {end}; {}", notice.after),
            ),
            Some(end) => (
                Severity::Warning,
                format!("capability `{name}`: {} (it ends on {end})", notice.before),
            ),
            None => (Severity::Warning, format!("capability `{name}`: {}", notice.before)),
        };
        j.push(
            severity,
            &format!("capability:{name}"),
            None,
            message,
            Some(use_.origin.location.clone()),
        );
    }
}
