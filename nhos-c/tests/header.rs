#![allow(unsafe_code)] // reads the version string nhos_version returns
//! `include/nhos.h` is what cbindgen generates from the source (drift test).
//! Regenerate with `NHOS_UPDATE_HEADER=1 cargo test -p nhos-c --test header`.

use std::path::Path;

#[test]
fn version_macros_are_the_crate_version() {
    let v = |s: &str| s.parse::<u32>().expect("a number");
    assert_eq!(nhos::NHOS_VERSION_MAJOR, v(env!("CARGO_PKG_VERSION_MAJOR")));
    assert_eq!(nhos::NHOS_VERSION_MINOR, v(env!("CARGO_PKG_VERSION_MINOR")));
    assert_eq!(nhos::NHOS_VERSION_PATCH, v(env!("CARGO_PKG_VERSION_PATCH")));
    let s = unsafe { std::ffi::CStr::from_ptr(nhos::nhos_version()) };
    assert_eq!(s.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    assert!(nhos::nhos_version_check(0, 1, 0));
    assert!(
        !nhos::nhos_version_check(0, 2, 0),
        "a newer minor is not served by 0.1"
    );
    assert!(!nhos::nhos_version_check(1, 1, 0));
    assert!(
        !nhos::nhos_version_check(0, 1, 1),
        "a newer patch is not served"
    );
}

#[test]
fn header_is_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates")
        .write(&mut generated);
    let generated = String::from_utf8(generated).expect("utf8");
    let path = dir.join("include/nhos.h");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        // An update run rewrites the header and still fails, so that it cannot pass
        // by comparing the file with itself.
        if std::env::var_os("NHOS_UPDATE_HEADER").is_some() {
            std::fs::write(&path, &generated).expect("write header");
            panic!(
                "include/nhos.h was out of date and has been rewritten: review it and run again"
            );
        }
        panic!(
            "include/nhos.h is out of date: NHOS_UPDATE_HEADER=1 cargo test -p nhos-c --test header"
        );
    }
    for f in [
        "nhos_estate_load",
        "nhos_estate_validate",
        "nhos_report_get",
        "nhos_plan_new",
        "nhos_estate_explain",
        "nhos_edit",
        "nhos_estate_generate",
        "nhos_error_free",
        "nhos_string_free",
    ] {
        assert_eq!(
            generated.matches(&format!(" *{f}(")).count()
                + generated.matches(&format!(" {f}(")).count(),
            1,
            "{f} is declared once"
        );
    }
}
