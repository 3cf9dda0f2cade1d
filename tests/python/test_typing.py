"""The stubs are precise enough for `mypy --strict`: a typed integrator script
passes (and runs), and each misuse in typed_misuse.py is an error on its line."""

import pathlib
import re
import subprocess
import sys

from conftest import EXAMPLE, ROOT

HERE = pathlib.Path(__file__).parent / "typing"


def mypy(path: pathlib.Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def test_typed_example_passes_mypy_strict_and_runs():
    r = mypy(HERE / "typed_example.py")
    assert r.returncode == 0, r.stdout + r.stderr
    run = subprocess.run([sys.executable, str(HERE / "typed_example.py"), str(EXAMPLE)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_every_misuse_is_a_type_error():
    source = (HERE / "typed_misuse.py").read_text().splitlines()
    expected = {i + 1 for i, line in enumerate(source) if "# E:" in line}
    r = mypy(HERE / "typed_misuse.py")
    reported = {int(m.group(1)) for m in re.finditer(r"typed_misuse\.py:(\d+): error", r.stdout)}
    assert len(expected) == 7
    assert expected <= reported, f"not caught: {sorted(expected - reported)}\n{r.stdout}"
    assert reported <= expected, f"unexpected errors: {sorted(reported - expected)}\n{r.stdout}"
