//! B5: Wallpaper fits the screen.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::estate(&meta::B5, judge, None);

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
