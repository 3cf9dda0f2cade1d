//! B2: Colours from the NHS palette.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::estate(&meta::B2, judge, None);

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    use crate::rules::colour::{NHS_PALETTE, nearest_palette};
    for (role, c) in &cx.e.branding.colours {
        if !NHS_PALETTE.iter().any(|(_, h)| h.eq_ignore_ascii_case(&c.value)) {
            let near = nearest_palette(&c.value)
                .map(|(n, h)| format!("; the nearest is {n} {h}"))
                .unwrap_or_default();
            j.push(
                Severity::Warning,
                &format!("branding.colours.{role}"),
                Some(c.value.clone()),
                format!("colour `{role}` {} is not in the NHS palette{near}", c.value),
                Some(c.origin.location.clone()),
            );
        }
    }
}
