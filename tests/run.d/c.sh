#!/usr/bin/env bash
# The C and C++ APIs: the header compiles on its own (C and C++), the C contract test
# runs under AddressSanitizer + UndefinedBehaviorSanitizer and once under valgrind
# memcheck (no leaks), the C++ test runs against the cxx bridge, the README's C and
# C++ quickstarts compile and run, and C results equal the CLI's over the corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
cargo build -q -p nhos-c
lib=target/debug
build=target/c-tests
rm -rf "$build"
mkdir -p "$build"
inc=nhos-c/include
libs="-lpthread -ldl -lm -lstdc++"

echo "-- the header compiles on its own, as C and as C++"
printf '#include "nhos.h"\n' > "$build/only.c"
gcc -std=c11 -Wall -Wextra -Werror -I"$inc" -c "$build/only.c" -o "$build/only.o"
g++ -std=c++17 -Wall -Wextra -Werror -I"$inc" -x c++ -c "$build/only.c" -o "$build/only-cpp.o"
printf '#include "nhos-c/src/cxx.rs.h"\n' > "$build/only.cc"
g++ -std=c++17 -Wall -Wextra -Werror -Itarget/cxxbridge -c "$build/only.cc" -o "$build/only-cxx.o"

scratch() {
  local d
  d=$(mktemp -d)
  cp -r examples/example-valley "$d/estate"
  mkdir "$d/foreign" && echo mine > "$d/foreign/keep.txt"
  echo "$d"
}

echo "-- C contract test under ASan + UBSan"
gcc -std=c11 -Wall -Wextra -Werror -g -fsanitize=address,undefined -fno-omit-frame-pointer -I"$inc" \
  tests/c/test_api.c "$lib/libnhos.a" $libs -o "$build/test_api_asan"
s=$(scratch)
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$build/test_api_asan" "$root" "$s"
rm -rf "$s"

echo "-- C contract test under valgrind memcheck"
gcc -std=c11 -Wall -Wextra -Werror -g -I"$inc" tests/c/test_api.c -L"$lib" -lnhos -Wl,-rpath,"$root/$lib" -o "$build/test_api"
s=$(scratch)
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=3 "$build/test_api" "$root" "$s"
rm -rf "$s"

echo "-- C++ test against the cxx bridge"
cxxinc=target/cxxbridge
g++ -std=c++17 -Wall -Wextra -Werror -I"$cxxinc" tests/cpp/test_cxx.cc "$lib/libnhos.a" $libs -o "$build/test_cxx"
"$build/test_cxx" "$root"

echo "-- README quickstarts (C and C++)"
python3 - "$build" <<'PY'
import pathlib, re, sys
text = pathlib.Path("README.md").read_text()
out = pathlib.Path(sys.argv[1])
for lang, ext in (("c", "c"), ("cpp", "cc")):
    blocks = re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)
    assert blocks, f"README has no {lang} quickstart"
    (out / f"readme.{ext}").write_text(blocks[0])
PY
gcc -std=c11 -Wall -Wextra -Werror -I"$inc" "$build/readme.c" "$lib/libnhos.a" $libs -o "$build/readme_c"
(cd "$root" && "$build/readme_c")
g++ -std=c++17 -Wall -Wextra -Werror -I"$cxxinc" "$build/readme.cc" "$lib/libnhos.a" $libs -o "$build/readme_cc"
(cd "$root" && "$build/readme_cc")

echo "-- pkg-config: nhos.pc builds the README's C quickstart"
if command -v pkg-config >/dev/null 2>&1; then
  prefix="$root/$build/prefix"
  mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
  cp "$inc/nhos.h" "$prefix/include/"
  cp "$lib/libnhos.a" "$prefix/lib/"
  sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|0.1.0|" nhos-c/nhos.pc.in > "$prefix/lib/pkgconfig/nhos.pc"
  # shellcheck disable=SC2046
  gcc -std=c11 "$build/readme.c" $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --static --cflags --libs nhos) -o "$build/readme_pc"
  (cd "$root" && "$build/readme_pc" > /dev/null)
  echo "pkg-config: ok"
else
  echo "*** SKIPPED pkg-config check: pkg-config is not installed ***"
fi

echo "-- corpus parity: C report JSON equals the CLI's"
gcc -std=c11 -Wall -Wextra -Werror -I"$inc" tests/c/report_json.c "$lib/libnhos.a" $libs -o "$build/report_json"
python3 tests/c/parity.py "$build/report_json" target/debug/nhos
