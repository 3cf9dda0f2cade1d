#!/usr/bin/env bash
# Builds and installs the C and C++ APIs of nhos into PREFIX:
#   lib/libnhos.so.<version> (SONAME libnhos.so.0) with the libnhos.so.0 and
#   libnhos.so links, lib/libnhos.a, lib/libnhoscxx.a (the C++ API),
#   include/nhos.h, include/nhos-cxx/nhos.hpp with include/rust/cxx.h, and
#   lib/pkgconfig/nhos.pc and nhos-cxx.pc (relocatable: they find PREFIX from
#   their own place).
# Usage: nhos-c/install.sh PREFIX [--debug]   (release build unless --debug)
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PREFIX [--debug]" >&2; exit 2; }
prefix=$1
profile=release
flags=(--release)
if [ "${2:-}" = "--debug" ]; then
  profile=debug
  flags=()
fi
cd "$(dirname "$0")/.."
cargo build -q "${flags[@]}" -p nhos-c -p nhos-cxx
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
major=${version%%.*}
lib=target/$profile

install -d "$prefix/lib/pkgconfig" "$prefix/include/nhos-cxx" "$prefix/include/rust"
install -m 644 nhos-c/include/nhos.h "$prefix/include/nhos.h"
install -m 755 "$lib/libnhos.so" "$prefix/lib/libnhos.so.$version"
ln -sf "libnhos.so.$version" "$prefix/lib/libnhos.so.$major"
ln -sf "libnhos.so.$major" "$prefix/lib/libnhos.so"
install -m 644 "$lib/libnhos.a" "$prefix/lib/libnhos.a"
install -m 644 "$lib/libnhoscxx.a" "$prefix/lib/libnhoscxx.a"
# cxx writes its headers as symbolic links into target/ and the cargo registry:
# install copies what they point to.
install -m 644 target/cxxbridge/rust/cxx.h "$prefix/include/rust/cxx.h"
install -m 644 target/cxxbridge/nhos-cxx/src/lib.rs.h "$prefix/include/nhos-cxx/nhos.hpp"
for pc in nhos nhos-cxx; do
  sed -e "s|@VERSION@|$version|" "nhos-c/$pc.pc.in" > "$prefix/lib/pkgconfig/$pc.pc"
done
echo "installed nhos $version ($profile) into $prefix"
