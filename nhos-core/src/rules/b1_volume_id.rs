//! B1: ISO volume ID at most 32 characters.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::estate(&meta::B1, judge, None);

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    let vol = &cx.e.branding.iso_volume_id;
    let n = vol.value.chars().count();
    if n > 32 || vol.value.is_empty() {
        j.push(
            Severity::Error,
            "branding.iso-volume-id",
            Some(vol.value.clone()),
            format!("ISO volume ID {:?} has {n} characters; the limit is 32", vol.value),
            Some(vol.origin.location.clone()),
        );
    }
}
