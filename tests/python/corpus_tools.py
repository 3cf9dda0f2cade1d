"""Corpus helpers shared by the Python tests and the C parity check (no pytest here)."""

import os
import pathlib
import shutil
import subprocess
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10
    import tomli as tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "example-valley"
CORPUS = ROOT / "tests" / "corpus"
TODAY = "2026-11-23"


def _spec(case: pathlib.Path) -> dict:
    f = case / "case.toml"
    return tomllib.loads(f.read_text()) if f.is_file() else {}


def materialize(case: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """Copies a corpus case (an overlay on the example when its case.toml says so)."""
    spec = _spec(case)
    if "base" in spec:
        shutil.copytree(ROOT / "examples" / spec["base"], dest, symlinks=True)
    shutil.copytree(case, dest, symlinks=True, dirs_exist_ok=True)
    for extra in ("README.md", "case.toml"):
        (dest / extra).unlink(missing_ok=True)
    # `[[set]]` / `[[unset]]`: settings changed with nhos's own edit verb (the CLI,
    # as the Rust corpus harness uses the core's), so a case states only its change.
    for kind in ("set", "unset"):
        for e in spec.get(kind, []):
            args = [e["profile"], e["key"]] + ([e["value"]] if kind == "set" else [])
            subprocess.run([str(cli()), "edit", "--allow-errors", "--today", TODAY, str(dest), kind, *args], check=True, capture_output=True)
    for rel, size in spec.get("sparse", {}).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(size - 8))
    return dest


def cli() -> pathlib.Path:
    """The nhos CLI built by `cargo build` (tests/run builds it first)."""
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    path = target / "debug" / "nhos"
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: run `cargo build -p nhos-cli` first")
    return path


def case_today(case: pathlib.Path) -> str:
    today = _spec(case).get("today")
    return str(today) if today else TODAY
