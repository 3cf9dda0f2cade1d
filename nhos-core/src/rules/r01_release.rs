//! R1: OS release is supported.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::estate(&meta::R1, judge, None);

fn judge(cx: &EstateCx<'_>, j: &mut Judgement<'_>) {
    let e = cx.e;
    let at = Some(e.nixpkgs.location.clone());
    match end_of_support(&e.nixpkgs.release) {
        Some(eol) => {
            let left = cx.today.days_until(eol);
            if left < 0 {
                j.push(
                    Severity::Error,
                    "nixpkgs.release",
                    Some(e.nixpkgs.release.clone()),
                    format!("NixOS {} reached end of support on {eol}", e.nixpkgs.release),
                    at,
                );
            } else if left <= 30 {
                j.push(
                    Severity::Warning,
                    "nixpkgs.release",
                    Some(e.nixpkgs.release.clone()),
                    format!(
                        "NixOS {} reaches end of support on {eol} ({left} days)",
                        e.nixpkgs.release
                    ),
                    at,
                );
            }
        }
        None => j.push(
            Severity::Error,
            "nixpkgs.release",
            Some(e.nixpkgs.release.clone()),
            format!("cannot tell the support period of {:?}", e.nixpkgs.release),
            at,
        ),
    }
}

/// The end of support of a NixOS release: the end of the month seven months after
/// it (26.05 → 2026-12-31), as NixOS supports a release until a month after the next.
pub(crate) fn end_of_support(release: &str) -> Option<crate::Date> {
    let (y, m) = release.split_once('.')?;
    let (y, m): (u16, u8) = (y.parse().ok()?, m.parse().ok()?);
    let total = u32::from(m) + 7;
    let (year, month) = (
        2000 + y + ((total - 1) / 12) as u16,
        ((total - 1) % 12 + 1) as u8,
    );
    (28..=31).rev().find_map(|d| crate::Date::new(year, month, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_ends_seven_months_after_release() {
        assert_eq!(end_of_support("26.05"), crate::Date::new(2026, 12, 31));
        assert_eq!(end_of_support("25.11"), crate::Date::new(2026, 6, 30));
        assert_eq!(end_of_support("26.11"), crate::Date::new(2027, 6, 30));
    }
}
