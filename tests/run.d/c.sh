#!/usr/bin/env bash
# The C and C++ APIs, as an integrator gets them: installed with nhos-c/install.sh
# into a prefix. The installed shared library has the SONAME libnhos.so.0 and exports
# only nhos_*; the header compiles on its own (C and C++); the README's C and C++
# quickstarts build with pkg-config against the prefix and run. Then, against a
# build with the test hooks, the C contract test runs under AddressSanitizer +
# UndefinedBehaviorSanitizer and under valgrind memcheck (no definite or indirect
# leaks: the worker pool's thread stacks are "possibly lost" by design, as the
# header says), the C++ test runs, and C results equal the CLI's over the corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
build=target/c-tests
rm -rf "$build"
mkdir -p "$build"
prefix="$root/$build/prefix"
command -v pkg-config >/dev/null || { echo "pkg-config is not installed (apt-get install pkg-config)"; exit 1; }

echo "-- install into a prefix (no test hooks)"
nhos-c/install.sh "$prefix" --debug
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"

echo "-- SONAME and exported symbols"
soname=$(readelf -d "$prefix/lib/libnhos.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = libnhos.so.0 ] || { echo "SONAME is '$soname', expected libnhos.so.0"; exit 1; }
exported=$(nm -D --defined-only "$prefix/lib/libnhos.so" | awk '{print $3}')
others=$(grep -v '^nhos_' <<<"$exported" || true)
[ -z "$others" ] || { echo "libnhos.so exports symbols outside nhos_*:"; echo "$others" | head; exit 1; }
for hook in nhos_debug_panic nhos_bench_rust; do
  ! grep -qx "$hook" <<<"$exported" || { echo "release libnhos.so exports the test hook $hook"; exit 1; }
done
echo "soname $soname; $(wc -l <<<"$exported") symbols exported, all nhos_*"

echo "-- the header compiles on its own, as C and as C++"
printf '#include "nhos.h"\n' > "$build/only.c"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror $(pkg-config --cflags nhos) -c "$build/only.c" -o "$build/only.o"
# shellcheck disable=SC2046
g++ -std=c++17 -Wall -Wextra -Werror $(pkg-config --cflags nhos) -x c++ -c "$build/only.c" -o "$build/only-cpp.o"
printf '#include "rust/cxx.h"\n#include "nhos-cxx/nhos.hpp"\n' > "$build/only.cc"
# shellcheck disable=SC2046
g++ -std=c++17 -Wall -Wextra -Werror $(pkg-config --cflags nhos-cxx) -c "$build/only.cc" -o "$build/only-cxx.o"

echo "-- README quickstarts (C and C++), built with pkg-config against the prefix"
python3 - "$build" <<'PY'
import pathlib, re, sys
text = pathlib.Path("README.md").read_text()
out = pathlib.Path(sys.argv[1])
for lang, ext in (("c", "c"), ("cpp", "cc")):
    blocks = re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)
    assert blocks, f"README has no {lang} quickstart"
    (out / f"readme.{ext}").write_text(blocks[0])
PY
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror "$build/readme.c" $(pkg-config --cflags --libs nhos) -Wl,-rpath,"$prefix/lib" -o "$build/readme_c"
ldd "$build/readme_c" | grep -q "libnhos.so.0 => $prefix/lib/libnhos.so.0" || { echo "readme_c does not load libnhos.so.0 from the prefix"; ldd "$build/readme_c"; exit 1; }
(cd "$root" && "$build/readme_c" > /dev/null)
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror "$build/readme.c" "$prefix/lib/libnhos.a" $(pkg-config --cflags --libs --static nhos | sed 's/-lnhos//') -o "$build/readme_c_static"
(cd "$root" && "$build/readme_c_static" > /dev/null)
# shellcheck disable=SC2046
g++ -std=c++17 -Wall -Wextra -Werror "$build/readme.cc" $(pkg-config --cflags --libs nhos-cxx) -o "$build/readme_cc"
(cd "$root" && "$build/readme_cc" > /dev/null)
echo "quickstarts: ok (shared, static, C++)"

echo "-- build with the test hooks"
cargo build -q -p nhos-c --features test-hooks
lib=target/debug
inc=nhos-c/include
libs="-lpthread -ldl -lm"

scratch() {
  local d
  d=$(mktemp -d)
  cp -r examples/example-valley "$d/estate"
  mkdir "$d/foreign" && echo mine > "$d/foreign/keep.txt"
  echo "$d"
}

echo "-- C contract test under ASan + UBSan"
gcc -std=c11 -Wall -Wextra -Werror -g -DNHOS_TEST_HOOKS -fsanitize=address,undefined -fno-omit-frame-pointer -I"$inc" \
  tests/c/test_api.c "$lib/libnhos.a" $libs -o "$build/test_api_asan"
s=$(scratch)
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "$build/test_api_asan" "$root" "$s"
rm -rf "$s"

echo "-- C contract test under valgrind memcheck"
gcc -std=c11 -Wall -Wextra -Werror -g -DNHOS_TEST_HOOKS -I"$inc" tests/c/test_api.c -L"$lib" -lnhos -lpthread -Wl,-rpath,"$root/$lib" -o "$build/test_api"
s=$(scratch)
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=3 "$build/test_api" "$root" "$s"
rm -rf "$s"

echo "-- C++ test against the cxx bridge (installed)"
# shellcheck disable=SC2046
g++ -std=c++17 -Wall -Wextra -Werror tests/cpp/test_cxx.cc $(pkg-config --cflags --libs nhos-cxx) -o "$build/test_cxx"
"$build/test_cxx" "$root"

echo "-- corpus parity: C report JSON equals the CLI's"
gcc -std=c11 -Wall -Wextra -Werror -I"$inc" tests/c/report_json.c "$lib/libnhos.a" $libs -o "$build/report_json"
python3 tests/c/parity.py "$build/report_json" target/debug/nhos

echo "-- closure verbs through C (diff, why, SBOM) equal the CLI's, under valgrind"
gcc -std=c11 -Wall -Wextra -Werror -g -I"$inc" tests/c/closure.c -L"$lib" -lnhos -lpthread -Wl,-rpath,"$root/$lib" -o "$build/closure"
python3 tests/c/closure_parity.py "$build/closure" target/debug/nhos \
  valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=3
