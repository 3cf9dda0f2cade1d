//! Speed and memory of the core verbs, on the example estate and on a national-scale
//! synthetic estate (250 trusts × 6 profiles). Run with `cargo bench --bench estate`;
//! figures go in BENCHMARKS.md. Not a test: nothing here asserts a time.

use rayon::prelude::*;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(iters: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut v = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    median(v)
}

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    let want = |name: &str| filter.is_empty() || name.contains(filter.as_str());
    let example =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/example-valley");
    let opts = nhos_core::ValidateOptions {
        today: nhos_core::Date {
            year: 2026,
            month: 11,
            day: 23,
        },
    };
    println!("nhos benchmarks ({} threads)", rayon::current_num_threads());

    if want("example") {
        let d = time(200, || nhos_core::load(&example).expect("example loads"));
        println!(
            "example   load+resolve                          median {:>9.3} ms",
            d.as_secs_f64() * 1e3
        );
        let d = time(200, || {
            nhos_core::validate(&nhos_core::load(&example).expect("loads"), &opts)
        });
        println!(
            "example   load+resolve+validate                 median {:>9.3} ms",
            d.as_secs_f64() * 1e3
        );
        let gopts = nhos_core::GenerateOptions {
            today: opts.today,
            allow_findings: true,
        };
        let d = time(200, || {
            let e = nhos_core::load(&example).expect("loads");
            (
                nhos_core::validate(&e, &opts),
                nhos_core::generate(&e, &gopts).expect("generates"),
            )
        });
        println!(
            "example   load+validate+generate (in memory)    median {:>9.3} ms",
            d.as_secs_f64() * 1e3
        );
    }

    if want("national") {
        let tmp = tempfile::tempdir().expect("tmp");
        let dirs: Vec<_> = (0..250)
            .map(|i| tmp.path().join(format!("trust-{i:03}")))
            .collect();
        for (i, d) in dirs.iter().enumerate() {
            nhos_core::synthetic::write_trust(d, i, false).expect("write");
        }
        let before = peak_rss_mib();
        let d = time(5, || {
            dirs.par_iter()
                .map(|d| nhos_core::load(d).expect("loads"))
                .collect::<Vec<_>>()
        });
        println!(
            "national  load+resolve (250 trusts × 6 profiles) median {:>9.1} ms",
            d.as_secs_f64() * 1e3
        );
        let d = time(5, || {
            dirs.par_iter()
                .map(|d| nhos_core::validate(&nhos_core::load(d).expect("loads"), &opts))
                .collect::<Vec<_>>()
        });
        println!(
            "national  load+resolve+validate                 median {:>9.1} ms",
            d.as_secs_f64() * 1e3
        );
        let gopts = nhos_core::GenerateOptions {
            today: opts.today,
            allow_findings: true,
        };
        let estates: Vec<_> = dirs
            .par_iter()
            .map(|d| nhos_core::load(d).expect("loads"))
            .collect();
        let d = time(5, || {
            estates
                .par_iter()
                .map(|e| nhos_core::generate(e, &gopts).expect("generates"))
                .collect::<Vec<_>>()
        });
        println!(
            "national  generate (in memory, loaded estates)  median {:>9.1} ms",
            d.as_secs_f64() * 1e3
        );
        // A plan between two national estates that differ in about 1 % of their values.
        let tmp2 = tempfile::tempdir().expect("tmp");
        let dirs2: Vec<_> = (0..250)
            .map(|i| tmp2.path().join(format!("trust-{i:03}")))
            .collect();
        for (i, d) in dirs2.iter().enumerate() {
            nhos_core::synthetic::write_trust(d, i, true).expect("write");
        }
        let estates2: Vec<_> = dirs2
            .par_iter()
            .map(|d| nhos_core::load(d).expect("loads"))
            .collect();
        let semantic = nhos_core::PlanOptions {
            today: opts.today,
            findings: false,
            nix_diff: false,
        };
        let d = time(5, || {
            estates
                .par_iter()
                .zip(&estates2)
                .map(|(a, b)| nhos_core::plan(a, b, &semantic))
                .collect::<Vec<_>>()
        });
        println!(
            "national  plan: definitions (estates loaded)    median {:>9.1} ms",
            d.as_secs_f64() * 1e3
        );
        let with_rules = nhos_core::PlanOptions {
            findings: true,
            ..semantic
        };
        let d = time(5, || {
            estates
                .par_iter()
                .zip(&estates2)
                .map(|(a, b)| nhos_core::plan(a, b, &with_rules))
                .collect::<Vec<_>>()
        });
        println!(
            "national  plan: + rule results                  median {:>9.1} ms",
            d.as_secs_f64() * 1e3
        );
        let full = nhos_core::PlanOptions {
            nix_diff: true,
            ..with_rules
        };
        let d = time(3, || {
            estates
                .par_iter()
                .zip(&estates2)
                .map(|(a, b)| nhos_core::plan(a, b, &full))
                .collect::<Vec<_>>()
        });
        println!(
            "national  plan: + generated Nix diff            median {:>9.1} ms",
            d.as_secs_f64() * 1e3
        );
        let changed: usize = estates
            .par_iter()
            .zip(&estates2)
            .map(|(a, b)| nhos_core::plan(a, b, &semantic).summary.settings_changed)
            .sum();
        println!("national  plan: {changed} settings changed across 250 trusts");
        drop((estates, estates2));
        if let (Some(b), Some(a)) = (before, peak_rss_mib()) {
            println!("national  peak RSS {a:.1} MiB (before the national runs: {b:.1} MiB)");
        }
    }
}
