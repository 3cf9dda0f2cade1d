"""The closure verbs through the C API (tests/c/closure.c) equal the CLI's on two
builds of the example's clinical system in a private Nix store: the diff in all
three formats and the SBOM byte for byte, `why` as the same JSON value.

Usage: closure_parity.py CLOSURE_BINARY NHOS_CLI [WRAPPER...]
(WRAPPER: e.g. valgrind and its options, to run the C program under it)."""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "python"))
import nix_store  # noqa: E402

binary, cli, wrapper = sys.argv[1], sys.argv[2], sys.argv[3:]
example = str(nix_store.ROOT / "examples" / "example-valley")
with tempfile.TemporaryDirectory() as tmp:
    root = pathlib.Path(tmp)
    s = nix_store.build(root / "nix")
    env = {**os.environ, **{k: v for k, v in s.items() if k.startswith("NIX_")}, "NO_COLOR": "1"}
    out = root / "out"
    out.mkdir()
    subprocess.run(
        [*wrapper, binary, str(out), example, s["old"], s["new"], s["old-packages"], s["new-packages"],
         str(nix_store.ADVISORIES)],
        check=True, env=env,
    )

    def run(*args: str) -> str:
        return subprocess.run([cli, *args], capture_output=True, text=True, env=env).stdout

    for name, fmt in (("diff.json", "json"), ("diff.txt", "text"), ("diff.md", "markdown")):
        want = run("closure", "diff", s["old"], s["new"], "--format", fmt)
        assert (out / name).read_text() == want, name
    why = run("why", example, "clinical", "openssl", "--closure", s["old"], "--packages", s["old-packages"],
              "--format", "json")
    assert json.loads((out / "why.json").read_text()) == json.loads(why)
    sbom = run("sbom", example, "clinical", "--closure", s["new"], "--packages", s["new-packages"],
               "--advisories", str(nix_store.ADVISORIES), "--today", "2024-06-01")
    assert (out / "sbom-closure.json").read_text() == sbom
    assert "not_affected" in sbom
    assert (out / "sbom-definition.json").read_text() == run("sbom", example, "clinical")
    nix_store.clean(root / "nix")
print("closure parity: diff (3 formats), why and SBOM equal the CLI's")
