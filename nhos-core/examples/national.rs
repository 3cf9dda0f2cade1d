//! Writes the synthetic national estate to disk, for whole-process benchmarks:
//! `cargo run --release -p nhos-core --example national -- DIR [TRUSTS]` creates
//! DIR/trust-000 … (250 trusts by default), each an estate of the example's shape
//! with its own names and values.

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: national DIR [TRUSTS]");
        std::process::exit(2);
    };
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(250);
    let dir = std::path::Path::new(&dir);
    for i in 0..n {
        nhos_core::synthetic::write_trust(&dir.join(format!("trust-{i:03}")), i, false)?;
    }
    println!("{n} trusts in {}", dir.display());
    Ok(())
}
