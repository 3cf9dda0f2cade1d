//! B4: No \.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::estate(&meta::B4, judge, None);

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    let e = cx.e;
    if e.organisation.nhs_identity {
        return;
    }
    let b = &e.branding;
    for (field, v) in [
        ("os-name", &b.os_name),
        ("os-id", &b.os_id),
        ("iso-volume-id", &b.iso_volume_id),
        ("image-base-name", &b.image_base_name),
    ] {
        if contains_nhs(&v.value) {
            j.push(
                Severity::Error,
                &format!("branding.{field}"),
                Some(v.value.clone()),
                format!(
                    "`{field}` {:?} uses \"NHS\", but the organisation does not declare the NHS identity",
                    v.value
                ),
                Some(v.origin.location.clone()),
            );
        }
    }
}

/// "NHS" as a word or word part in any case (NHSbuntu, NHoS count; "sunshine" not).
fn contains_nhs(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    lower.match_indices("nhs").any(|(i, _)| {
        let before = lower[..i].chars().next_back();
        !before.is_some_and(|c| c.is_ascii_alphabetic())
    }) || lower.contains("nhos")
}

#[cfg(test)]
mod tests {
    use super::contains_nhs;

    #[test]
    fn nhs_in_names() {
        assert!(contains_nhs("NHS Desktop"));
        assert!(contains_nhs("NHSbuntu"));
        assert!(contains_nhs("my-nhs-os"));
        assert!(contains_nhs("NHoS"));
        assert!(!contains_nhs("Valley Desktop"));
        assert!(!contains_nhs("sunhsine"));
    }
}
