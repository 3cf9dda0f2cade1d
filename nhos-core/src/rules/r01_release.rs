//! R1: OS release is supported.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R1",
    title: "OS release is supported",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "An unsupported release gets no security fixes.",
    remediation: "Move `nixpkgs.release` in estate.toml to a supported NixOS release.",
    references: refs(
        "EUD: keep up to date",
        "Security update management",
        "1.2.2.1",
        "8.3.1",
    ),
    parameters: &[],
    enforced_by: &[],
    enforcement: "The generated flake builds every system from the pinned nixpkgs release; nothing on a device can extend its support.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Estate(judge),
    enforce: None,
};

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
