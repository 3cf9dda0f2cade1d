"""Shared fixtures: the repository, the example estate, the corpus, and the `nhos`
CLI binary the Python results are compared with."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10
    import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "example-valley"
CORPUS = ROOT / "tests" / "corpus"
TODAY = "2026-11-23"
CLI = ROOT / "target" / "debug" / "nhos"


def materialize(case: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """Copies a corpus case (an overlay on the example when its case.toml says so)."""
    spec = {}
    if (case / "case.toml").is_file():
        spec = tomllib.loads((case / "case.toml").read_text())
    if "base" in spec:
        shutil.copytree(ROOT / "examples" / spec["base"], dest, symlinks=True)
    shutil.copytree(case, dest, symlinks=True, dirs_exist_ok=True)
    for extra in ("README.md", "case.toml"):
        (dest / extra).unlink(missing_ok=True)
    for rel, size in spec.get("sparse", {}).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(size - 8))
    return dest


def case_today(case: pathlib.Path) -> str:
    spec = {}
    if (case / "case.toml").is_file():
        spec = tomllib.loads((case / "case.toml").read_text())
    today = spec.get("today")
    return str(today) if today else TODAY


def cli(*args: str) -> subprocess.CompletedProcess:
    if not CLI.exists():
        pytest.skip("build the nhos CLI first (tests/run does)")
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture()
def estate_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A writable copy of the example estate."""
    dest = tmp_path / "estate"
    shutil.copytree(EXAMPLE, dest)
    return dest
