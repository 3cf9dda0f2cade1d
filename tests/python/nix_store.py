"""Two builds of example-valley's clinical system (nhos-core/tests/closure/
systems.nix) in a private Nix store, made with Nix 2.8's nix-build from the host's
/bin/sh and coreutils (no network, no substituters), and their package maps: what
the SBOM, vulns, plan and C closure tests read."""

import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
SYSTEMS = ROOT / "nhos-core" / "tests" / "closure" / "systems.nix"
ADVISORIES = ROOT / "nhos-core" / "tests" / "closure" / "advisories"


def build(root: pathlib.Path) -> dict[str, str]:
    """`old`, `new` (toplevels), `old-packages`, `new-packages` (files) and the
    NIX_* variables that name the store. Raises when nix-build is missing."""
    if shutil.which("nix-build") is None:
        raise RuntimeError("nix-build is missing: apt-get install nix-bin (tests/run does)")
    (root / "conf").mkdir(parents=True)
    (root / "conf" / "nix.conf").write_text(
        "sandbox = false\nbuild-users-group =\nsubstituters =\nexperimental-features = nix-command\n"
    )
    env = {
        "NIX_STORE_DIR": str(root / "store"),
        "NIX_STATE_DIR": str(root / "var"),
        "NIX_LOG_DIR": str(root / "log"),
        "NIX_CONF_DIR": str(root / "conf"),
        "NIX_REMOTE": "",
    }
    full = {**os.environ, **env}

    def run(*args: str) -> str:
        return subprocess.run(args, check=True, capture_output=True, text=True, env=full).stdout.strip()

    out: dict[str, str] = {}
    for side, arg in (("old", "false"), ("new", "true")):
        out[side] = run("nix-build", str(SYSTEMS), "--arg", "new", arg, "--no-out-link")
        packages = run(
            "nix-instantiate", "--eval", "--json", "--strict",
            "-E", f"(import {SYSTEMS} {{ new = {arg}; }}).nhosPackages",
        )
        (root / f"{side}.json").write_text(packages)
        out[f"{side}-packages"] = str(root / f"{side}.json")
    out.update(env)
    return out


def clean(root: pathlib.Path) -> None:
    """Makes the store writable again so that it can be deleted."""
    subprocess.run(["chmod", "-R", "u+w", str(root)], check=False)
