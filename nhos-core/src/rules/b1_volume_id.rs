//! B1: ISO volume ID at most 32 characters.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "B1",
    title: "ISO volume ID at most 32 characters",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "NixOS refuses longer ISO volume IDs (ISO 9660).",
    remediation: "Shorten `iso-volume-id` in branding.toml.",
    references: refs("—", "—", "—", "—"),
    parameters: &[],
    enforced_by: &[],
    enforcement: "The ISO volume ID is the branding's; NixOS refuses one over 32 characters, which nhos checks at load for estates that build ISOs (NHOS204).",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Estate(judge),
    enforce: None,
};

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
