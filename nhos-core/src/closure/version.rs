//! Nix's version order (`compareVersions` in `src/libexpr/names.cc`): components
//! are runs of digits or of other characters between `.` and `-`; numbers compare
//! as numbers, `pre` sorts before anything, a missing component before a number, and
//! a word before a number (`2.3a` < `2.3.1`).

use std::cmp::Ordering;

fn next(s: &str) -> (&str, &str) {
    let s = s.trim_start_matches(['.', '-']);
    let digits = s.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let end = s
        .bytes()
        .position(|b| b == b'.' || b == b'-' || b.is_ascii_digit() != digits)
        .unwrap_or(s.len());
    (&s[..end], &s[end..])
}

fn number(c: &str) -> Option<u128> {
    if c.is_empty() { None } else { c.parse().ok() }
}

fn less(c1: &str, c2: &str) -> bool {
    match (number(c1), number(c2)) {
        (Some(a), Some(b)) => a < b,
        (_, Some(_)) if c1.is_empty() => true,
        _ if c1 == "pre" && c2 != "pre" => true,
        _ if c2 == "pre" => false,
        (_, Some(_)) => true,
        (Some(_), _) => false,
        _ => c1 < c2,
    }
}

/// Compares two versions as Nix does.
pub fn compare(v1: &str, v2: &str) -> Ordering {
    let (mut a, mut b) = (v1, v2);
    while !a.is_empty() || !b.is_empty() {
        let (c1, r1) = next(a);
        let (c2, r2) = next(b);
        if less(c1, c2) {
            return Ordering::Less;
        }
        if less(c2, c1) {
            return Ordering::Greater;
        }
        (a, b) = (r1, r2);
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::compare;
    use std::cmp::Ordering::*;

    #[test]
    fn versions_order_as_nix_orders_them() {
        // Cases from `builtins.compareVersions` (Nix 2.8).
        for (a, b, want) in [
            ("1.0", "2.3", Less),
            ("2.1", "2.3", Less),
            ("2.3", "2.3", Equal),
            ("2.5", "2.3", Greater),
            ("3.1", "2.3", Greater),
            ("2.3.1", "2.3", Greater),
            ("2.3.1", "2.3a", Greater),
            ("2.3pre1", "2.3", Less),
            ("2.3", "2.3pre1", Greater),
            ("3.0.13", "3.0.12", Greater),
            ("1.10", "1.9", Greater),
            ("2.38-44", "2.38-45", Less),
            ("", "1", Less),
            ("a", "b", Less),
        ] {
            assert_eq!(compare(a, b), want, "{a} vs {b}");
        }
    }
}
