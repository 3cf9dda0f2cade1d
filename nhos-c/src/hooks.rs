//! Test and benchmark hooks, compiled only with the `test-hooks` feature (the
//! header declares them under `#if defined(NHOS_TEST_HOOKS)`); release builds do
//! not export them.
#![allow(unsafe_code)]

use crate::api::today;
use crate::boundary::{guard, out_arg, str_arg, write_out};
use crate::error::nhos_error;
use std::ffi::c_char;

/// Test support: panics inside the guard, to show a panic becomes `NHOS_CODE_PANIC`.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_debug_panic() -> *mut nhos_error {
    guard(|| panic!("nhos_debug_panic was called"))
}

/// Benchmark support: load + validate `path` `iterations` times in Rust and write
/// the median seconds of one round to `out_seconds`.
#[unsafe(no_mangle)]
pub extern "C" fn nhos_bench_rust(
    path: *const c_char,
    today_: *const c_char,
    iterations: usize,
    out_seconds: *mut f64,
) -> *mut nhos_error {
    guard(|| {
        let path = str_arg(path, "path")?;
        let day = today(today_)?;
        let out = out_arg(out_seconds, "out_seconds")?;
        let mut times = Vec::new();
        for _ in 0..iterations.max(1) {
            let t = std::time::Instant::now();
            let e = nhos_core::load(path)?;
            std::hint::black_box(nhos_core::validate(
                &e,
                &nhos_core::ValidateOptions { today: day },
            ));
            times.push(t.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        write_out(out, times[times.len() / 2]);
        Ok(())
    })
}
