//! B3: Login banner readable (WCAG AA).

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "B3",
    title: "Login banner readable (WCAG AA)",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Banner text must have a contrast ratio of at least 4.5:1.",
    remediation: "Choose `banner-text` and `banner-background` with more contrast (white on NHS Blue passes).",
    references: refs("—", "—", "—", "WCAG 2.1 SC 1.4.3"),
    parameters: &[],
    enforced_by: &[],
    enforcement: "A judgement on the branding; the banner colours are used as given.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Estate(judge),
    enforce: None,
};

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    let b = &cx.e.branding;
    if let (Some(fg), Some(bg)) = (b.colours.get("banner-text"), b.colours.get("banner-background"))
        && let Some(ratio) = crate::validate::colour::contrast_ratio(&fg.value, &bg.value)
            && ratio < 4.5 {
                j.push(
                    Severity::Error,
                    "branding.colours.banner-text",
                    Some(format!("{}/{}", fg.value, bg.value)),
                    format!(
                        "login banner text {} on {} has contrast {ratio:.2}:1; WCAG AA needs 4.5:1",
                        fg.value, bg.value
                    ),
                    Some(fg.origin.location.clone()),
                );
            }
}
