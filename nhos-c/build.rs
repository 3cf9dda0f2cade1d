// Links libnhos.so with its SONAME (libnhos.so.0: the ABI major; 0.x releases
// bump it with the minor) and writes `nhos.pc` beside the built library, pointing
// at it and at include/nhos.h (an uninstalled pkg-config file, for building
// against the tree; `install.sh` writes the installed one), with the
// libnhos.so.0 link that programs linked against the tree load.
use std::path::PathBuf;

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnhos.so.0");
    println!("cargo:rerun-if-changed=nhos.pc.in");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    // OUT_DIR is <target>/<profile>/build/nhos-c-<hash>/out.
    let Some(profile_dir) = out.ancestors().nth(3) else {
        return;
    };
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let pc = format!(
        "# Uninstalled: points into the build tree. Written by nhos-c/build.rs.\n\
         libdir={}\nincludedir={}\n\n\
         Name: nhos\nDescription: nhos C API (build tree)\nVersion: {version}\n\
         Libs: -L${{libdir}} -lnhos\nLibs.private: -lpthread -ldl -lm\nCflags: -I${{includedir}}\n",
        profile_dir.display(),
        manifest.join("include").display()
    );
    // Best effort: a read-only target directory only loses the convenience files.
    let _ = std::fs::write(profile_dir.join("nhos.pc"), pc);
    // Programs linked against the build tree look for the SONAME.
    #[cfg(unix)]
    {
        let link = profile_dir.join("libnhos.so.0");
        if std::fs::symlink_metadata(&link).is_err() {
            let _ = std::os::unix::fs::symlink("libnhos.so", &link);
        }
    }
}
