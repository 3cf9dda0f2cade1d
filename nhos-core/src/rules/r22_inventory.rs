//! R22: Device in the asset register.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R22, judge, None);

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    let how = if cx.bool("inventory.export") == Some(true) {
        "the profile exports its inventory"
    } else {
        "`inventory.export` is not on"
    };
    j.push(
        Severity::Info,
        "inventory",
        None,
        format!("check each device is in the asset register ({how})"),
        cx.origin("inventory.export"),
    );
}
