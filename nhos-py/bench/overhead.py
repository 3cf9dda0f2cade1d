"""Python overhead over the same work in Rust, side by side in one process.

Run after `maturin develop --release` (tests/run.d/python.sh builds a debug
extension; build a release one for figures):

    python nhos-py/bench/overhead.py

For each case it times `nhos.load(path).validate(today)` called from Python and the
same load + validate loop run entirely in Rust (`nhos._nhos._bench_rust`), and
prints the medians and the overhead. Not a test: nothing here asserts a time.
"""

import pathlib
import statistics
import sys
import tempfile
import time

import nhos
from nhos import _nhos

ROOT = pathlib.Path(__file__).resolve().parents[2]
TODAY = "2026-11-23"


def python_round(paths):
    t = time.perf_counter()
    for p in paths:
        nhos.load(p).validate(today=TODAY)
    return time.perf_counter() - t


def compare(name, paths, rounds):
    for _ in range(2):  # warm up both sides
        python_round(paths)
        _nhos._bench_rust(paths, TODAY, 1)
    py, rs = [], []
    for _ in range(rounds):  # interleave so drift hits both alike
        py.append(python_round(paths))
        rs.append(_nhos._bench_rust(paths, TODAY, 1))
    p, r = statistics.median(py), statistics.median(rs)
    print(f"{name:<34} python {p * 1e3:9.3f} ms   rust {r * 1e3:9.3f} ms   overhead {100 * (p - r) / r:+6.2f} %")


def main():
    print(f"nhos {nhos.__version__}, Python {sys.version.split()[0]}")
    compare("example: load + validate", [str(ROOT / "examples" / "example-valley")], 200)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(250):
            d = pathlib.Path(tmp) / f"trust-{i:03}"
            _nhos._write_synthetic(d, i, False)
            paths.append(str(d))
        compare("national (250 trusts): load + validate", paths, 7)


if __name__ == "__main__":
    main()
