#!/usr/bin/env bash
# The Python package: build it into a fresh virtual environment with maturin, run
# pytest (API, errors, values, typing under mypy --strict, notebook views in
# headless Chromium, lifetimes, corpus parity with the Rust CLI, README), check the
# stubs with mypy's stubtest, and install the release abi3 wheel into a second,
# fresh environment to show it imports.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/py-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
export VIRTUAL_ENV="$PWD/$venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
"$venv/bin/pip" install -q --disable-pip-version-check 'maturin>=1.7,<2' 'pytest>=7' 'mypy>=1.10' 'pillow>=10' 'cyclonedx-python-lib[json-validation]>=8,<12' 'pyyaml>=6'
(cd nhos-py && "../$venv/bin/maturin" develop -q)
"$venv/bin/python" -m pytest -q tests/python
"$venv/bin/python" -m mypy.stubtest nhos._nhos
echo "stubtest: nhos._nhos matches its stubs"

rm -rf target/wheels
(cd nhos-py && "../$venv/bin/maturin" build --release -q --out ../target/wheels)
wheel=$(ls target/wheels/nhos-*-abi3-*.whl)
echo "built $wheel"
fresh=$(mktemp -d)
python3 -m venv "$fresh/venv"
"$fresh/venv/bin/pip" install -q --disable-pip-version-check "$wheel"
root=$PWD
(cd "$fresh" && "$fresh/venv/bin/python" -c 'import nhos; e = nhos.load("'"$root"'/examples/example-valley"); assert not e.validate(today="2026-11-23").fails(); print("wheel imports:", nhos.__version__, e)')
rm -rf "$fresh"
