//! B3: Login banner readable (WCAG AA).

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::estate(&meta::B3, judge, None);

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    let b = &cx.e.branding;
    if let (Some(fg), Some(bg)) = (b.colours.get("banner-text"), b.colours.get("banner-background"))
        && let Some(ratio) = crate::rules::colour::contrast_ratio(&fg.value, &bg.value)
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
