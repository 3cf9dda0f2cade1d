//! B5: Wallpaper fits the screen.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "B5",
    title: "Wallpaper fits the screen",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "A small wallpaper is stretched and looks broken.",
    remediation: "Supply a wallpaper of at least 1280×720.",
    references: refs("—", "—", "—", "—"),
    parameters: &[],
    enforced_by: &[],
    enforcement: "A judgement on the branding assets.",
    applies: DESKTOPS,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Estate(judge),
    enforce: None,
};

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    for (role, a) in &cx.e.branding.assets {
        if role.starts_with("wallpaper")
            && let (Some(w), Some(h)) = (a.width, a.height)
                && (w < 1280 || h < 720) {
                    j.push(
                        Severity::Warning,
                        &format!("asset:{role}"),
                        Some(format!("{w}x{h}")),
                        format!("wallpaper `{}` is {w}×{h}; use at least 1280×720", a.path),
                        Some(a.location.clone()),
                    );
                }
    }
}
