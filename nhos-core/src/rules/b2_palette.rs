//! B2: Colours from the NHS palette.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "B2",
    title: "Colours from the NHS palette",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "NHS identity guidelines allow only the NHS palette.",
    remediation: "Use an NHS palette colour (NHS Blue is #005EB8).",
    references: refs("—", "—", "—", "NHS identity guidelines: colours"),
    parameters: &[],
    enforced_by: &[],
    enforcement: "A judgement on the branding; the colours are used as given.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Estate(judge),
    enforce: None,
};

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    use crate::validate::colour::{NHS_PALETTE, nearest_palette};
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
