//! Build-time generation: the NixOS module tree embedded in the library, and the
//! rule pack's metadata read from `src/rules/*.toml`.

#[path = "build/modules.rs"]
mod modules;
#[path = "build/rules.rs"]
mod rules;

fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    modules::embed(&out);
    rules::embed(&out);
}
