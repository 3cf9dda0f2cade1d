// Builds the C++ side of the cxx bridge (src/lib.rs). Writes only to OUT_DIR (and
// cxx's own target/cxxbridge include tree).
fn main() {
    cxx_build::bridge("src/lib.rs")
        .std("c++17")
        .compile("nhos-cxx");
    println!("cargo:rerun-if-changed=src/lib.rs");
}
