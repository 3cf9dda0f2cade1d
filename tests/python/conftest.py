"""Shared fixtures: the repository, the example estate, the corpus, and the `nhos`
CLI binary the Python results are compared with."""

import os
import pathlib
import shutil
import subprocess

import pytest

from corpus_tools import CORPUS, EXAMPLE, ROOT, TODAY, case_today, materialize  # noqa: F401

CLI = ROOT / "target" / "debug" / "nhos"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Runs the nhos CLI; a missing binary fails the test (tests/run builds it)."""
    if not CLI.exists():
        pytest.fail(f"{CLI} is missing: run `cargo build -p nhos-cli` first (tests/run does)")
    return subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1", **(env or {})}
    )


@pytest.fixture()
def estate_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    """A writable copy of the example estate."""
    dest = tmp_path / "estate"
    shutil.copytree(EXAMPLE, dest)
    return dest
