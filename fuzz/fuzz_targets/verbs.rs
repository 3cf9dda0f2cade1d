//! An arbitrary profile on top of the example's shape: whatever loads goes through
//! validate, every report format, generate, plan against the original, explain and
//! an edit, none of which may panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let base = nhos_core::synthetic::trust(0, false);
    let tree = base.clone().with("profiles/fuzz.toml", text.as_bytes().to_vec());
    let Ok(estate) = nhos_core::load_tree(&tree) else { return };
    let Ok(original) = nhos_core::load_tree(&base) else { return };
    let today = nhos_core::Date { year: 2026, month: 11, day: 23 };
    let report = nhos_core::validate(&estate, &nhos_core::ValidateOptions { today });
    let _ = nhos_core::validate::format::sarif(&report);
    let _ = nhos_core::validate::format::junit(&report);
    let _ = nhos_core::validate::format::text(&report);
    let _ = nhos_core::generate(&estate, &nhos_core::GenerateOptions { today, allow_findings: true });
    let plan = nhos_core::plan(&original, &estate, &nhos_core::PlanOptions { today, findings: true, nix_diff: true });
    let _ = nhos_core::plan::format::markdown(&plan);
    let _ = nhos_core::explain(&estate, "fuzz", "screen.idle-delay");
    let edit = nhos_core::Edit::SetSetting { profile: "fuzz".into(), key: "screen.idle-delay".into(), value: text.chars().take(20).collect() };
    let _ = nhos_core::edit::prepare(&tree, &edit, &nhos_core::EditOptions { allow_errors: true, today });
});
