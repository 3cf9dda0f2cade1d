//! The compliance report (`nhos report`): self-contained (no script, no external
//! asset), every in-page link lands on an anchor the report has, the matrix has a
//! cell per rule and concrete profile with the status the report gives, the status
//! colours pass WCAG AA, and the same estate and day give the same bytes.

mod common;

use nhos_core::html::{Cell, ReportOptions, STATUS_COLOURS, html, matrix};
use std::collections::BTreeSet;

fn report_of(e: &nhos_core::Estate) -> String {
    let report = nhos_core::validate(
        e,
        &nhos_core::ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    html(
        e,
        &ReportOptions {
            report: &report,
            plan: None,
        },
    )
}

/// The values of `attr="…"` in `html`.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    html.split(&format!("{attr}=\""))
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_report_is_self_contained_and_its_links_land() {
    let e = nhos_core::load(common::example()).expect("example");
    let page = report_of(&e);
    assert_eq!(page, report_of(&e), "deterministic");
    for banned in [
        "<script",
        "<link",
        "src=\"http",
        "href=\"http",
        "@import",
        "url(http",
    ] {
        assert!(!page.contains(banned), "{banned}");
    }
    let ids: BTreeSet<String> = attrs(&page, "id").into_iter().collect();
    let hrefs = attrs(&page, "href");
    assert!(hrefs.len() > 40, "{} links", hrefs.len());
    for href in &hrefs {
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{href}: not in the page"));
        assert!(ids.contains(target), "#{target} is not in the report");
    }
    // Each waiver's definition line is linked, to its line in the sources.
    assert!(
        hrefs.iter().any(|h| h.starts_with("#src-policy.toml-")),
        "{hrefs:?}"
    );
    let cells = page.matches("<td class=\"cell ").count();
    assert_eq!(
        cells,
        nhos_core::rules::RULES.len() * e.concrete_profiles().count()
    );
}

#[test]
fn the_matrix_shows_what_the_report_says() {
    let e = nhos_core::load(common::example()).expect("example");
    let report = nhos_core::validate(
        &e,
        &nhos_core::ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    let m = matrix(&e, &report);
    let cell = |rule: &str, profile: &str| {
        m.iter()
            .find(|(r, _)| *r == rule)
            .and_then(|(_, row)| row.iter().find(|(p, _)| p == profile))
            .map(|(_, c)| *c)
    };
    // The example waives R5 on kiosks and R4 on kiosks; R39 is judged on builds.
    assert_eq!(cell("R5", "kiosk"), Some(Cell::Waived));
    assert_eq!(cell("R5", "clinical"), Some(Cell::Pass));
    assert_eq!(cell("R39", "clinical"), Some(Cell::Build));
    assert_eq!(
        cell("R38", "clinical"),
        Some(Cell::NotEnforced),
        "Secure Boot is declared, not enforced"
    );
    // A broken variant: the clinical screen lock off fails R5 there, and only there.
    let dir = common::materialize(&common::example());
    let edit = nhos_core::edit::EditOp::SetSetting
        .edit("clinical", "screen.lock-enabled", Some("false"))
        .expect("edit");
    let opts = nhos_core::EditOptions {
        allow_errors: true,
        today: common::FIXED_TODAY,
    };
    nhos_core::edit::edit_dir(dir.path(), &edit, &opts).expect("edited");
    let broken = nhos_core::load(dir.path()).expect("loads");
    let r2 = nhos_core::validate(
        &broken,
        &nhos_core::ValidateOptions {
            today: common::FIXED_TODAY,
        },
    );
    let m2 = matrix(&broken, &r2);
    let r5: Vec<(String, Cell)> = m2.iter().find(|(r, _)| *r == "R5").expect("R5").1.clone();
    assert!(r5.contains(&("clinical".into(), Cell::Fail)), "{r5:?}");
    assert!(r5.contains(&("admin".into(), Cell::Pass)), "{r5:?}");
}

#[test]
fn status_colours_pass_wcag_aa() {
    for (status, bg, fg) in STATUS_COLOURS {
        let ratio = nhos_core::validate::contrast_ratio(bg, fg).expect("colours");
        assert!(ratio >= 4.5, "{status}: {fg} on {bg} is {ratio:.2}:1");
    }
    // And the stylesheet uses exactly these pairs.
    let css = include_str!("../src/html/style.css");
    for (status, bg, fg) in STATUS_COLOURS {
        let rule = css
            .lines()
            .find(|l| l.starts_with(&format!("td.{status} ")))
            .unwrap_or_else(|| panic!("td.{status}"));
        assert!(
            rule.contains(&format!("background: {bg}")) && rule.contains(&format!("color: {fg}")),
            "{rule}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
    /// The evidence pack's parsers take any text without panicking: the index, and a
    /// signature checked against an allowed-signers file; garbage never verifies.
    #[test]
    fn evidence_parsers_take_any_text(
        index in "([0-9a-f]{64}  [a-z.]{1,12}\n|[^\n]{0,80}\n){0,6}",
        sig in "(-----BEGIN SSH SIGNATURE-----\n)?[A-Za-z0-9+/=\n]{0,200}(-----END SSH SIGNATURE-----\n)?",
        signers in "([a-z@.]{1,20} (namespaces=\"[a-z-]{1,20}\" )?(ssh-ed25519 [A-Za-z0-9+/=]{0,80})?\n){0,3}",
    ) {
        let _ = nhos_core::evidence::parse_index(&index);
        let verdict =
            nhos_core::evidence::verify_signature(index.as_bytes(), &sig, &signers, common::FIXED_TODAY);
        proptest::prop_assert!(verdict.is_err());
    }
}
