//! Every `tests/corpus/load-*` case: its diagnostics (code, severity, file, line,
//! column, message, hint) are a reviewed insta snapshot.

mod common;

use serde_json::json;

fn outcome(dir: &std::path::Path) -> serde_json::Value {
    match nhos_core::load(dir) {
        Ok(e) => {
            json!({ "loaded": true, "profiles": e.profiles.keys().collect::<Vec<_>>(), "diagnostics": e.warnings })
        }
        Err(err) => {
            json!({ "loaded": false, "kind": err.kind().as_str(), "diagnostics": err.diagnostics() })
        }
    }
}

#[test]
fn load_corpus() {
    let cases = common::cases("load-");
    assert!(cases.len() >= 20, "the load corpus has at least 20 cases");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/corpus");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, path) in cases {
            let dir = common::materialize(&path);
            insta::assert_json_snapshot!(name.as_str(), outcome(dir.path()));
        }
    });
}

#[test]
fn every_bad_input_kind_is_covered() {
    // Each code the loader can raise for bad input has a corpus case that shows it.
    let mut seen = std::collections::BTreeSet::new();
    for (_, path) in common::cases("load-") {
        let dir = common::materialize(&path);
        let diags = match nhos_core::load(dir.path()) {
            Ok(e) => e.warnings,
            Err(e) => e.diagnostics().to_vec(),
        };
        seen.extend(diags.iter().map(|d| d.code.as_str()));
    }
    for code in [
        "NHOS101", "NHOS102", "NHOS103", "NHOS104", "NHOS105", "NHOS106", "NHOS110", "NHOS111",
        "NHOS112", "NHOS120", "NHOS121", "NHOS122", "NHOS123", "NHOS130", "NHOS131", "NHOS132",
        "NHOS133", "NHOS134", "NHOS140", "NHOS150",
        // NixOS's own invariants (generate/invariants.rs). NHOS203 (NetworkManager
        // and networking.wireless), NHOS209 (an option twice) and NHOS210 (host
        // name) cannot come from a definition nhos accepts: nhos never emits
        // networking.wireless, emits each option once, and profile names are
        // stricter than host names. tests/deploy.rs shows each on a broken tree.
        "NHOS200", "NHOS201", "NHOS202", "NHOS204", "NHOS205", "NHOS206", "NHOS207", "NHOS208",
    ] {
        assert!(seen.contains(code), "no corpus case shows {code}");
    }
}
