//! Arbitrary bytes as the definition files: load must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Split the input into four files at NUL bytes.
    let mut parts = data.splitn(4, |b| *b == 0);
    let tree = nhos_core::MemTree::new()
        .with("estate.toml", parts.next().unwrap_or_default().to_vec())
        .with("branding.toml", parts.next().unwrap_or_default().to_vec())
        .with("policy.toml", parts.next().unwrap_or_default().to_vec())
        .with("profiles/p.toml", parts.next().unwrap_or_default().to_vec());
    let _ = nhos_core::load_tree(&tree);
});
