"""The C results for the shared corpus equal the Rust CLI's (same JSON).

Usage: parity.py REPORT_JSON_BINARY NHOS_CLI"""
import json
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "python"))
from corpus_tools import CORPUS, case_today, materialize  # noqa: E402

binary, cli = sys.argv[1], sys.argv[2]
cases = sorted(p for p in CORPUS.iterdir() if p.is_dir() and (p.name.startswith("load-") or p.name.startswith("rule-")))
checked = 0
for case in cases:
    with tempfile.TemporaryDirectory() as tmp:
        d = materialize(case, pathlib.Path(tmp) / "e")
        today = case_today(case)
        c_out = json.loads(subprocess.run([binary, today, str(d)], capture_output=True, text=True, check=True).stdout)
        if "error" in c_out:
            rust = json.loads(subprocess.run([cli, "check", str(d), "--format", "json"], capture_output=True, text=True).stdout)
            assert rust["ok"] is False, case.name
            assert c_out["diagnostics"] == rust["diagnostics"], case.name
        else:
            rust = json.loads(subprocess.run([cli, "validate", str(d), "--format", "json", "--today", today], capture_output=True, text=True).stdout)
            assert c_out == rust, case.name
        checked += 1
print(f"corpus parity: {checked} passed, 0 failed")
