#!/usr/bin/env bash
# No test depends on the day it runs: the Rust and Python suites again, with the
# system clock at 2030-01-01 (libfaketime), after the release, waivers and dates the
# example uses have all passed.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v faketime >/dev/null || { echo "faketime is not installed (apt-get install faketime)"; exit 1; }
faketime -f '@2030-01-01 12:00:00' date -u +"clock: %Y-%m-%d"
# Built first with the real clock; run (all but doc tests, which are not dated)
# with the fake one.
cargo test -q --locked --no-run --lib --bins --tests
faketime -f '@2030-01-01 12:00:00' cargo test -q --locked --lib --bins --tests
venv=target/py-venv
faketime -f '@2030-01-01 12:00:00' "$venv/bin/python" -m pytest -q tests/python
