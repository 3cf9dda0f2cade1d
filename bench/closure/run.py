#!/usr/bin/env python3
"""Closure-diff benchmark, side by side in one run, whole process: `nhos closure
diff`, `nix store diff-closures` and dix, on synthetic stores of two system
closures (synth.py) of the sizes given. Each store is bind-mounted on /nix in a
private mount namespace (`unshare -m`, so run as root), where all three read the
same /nix/var/nix/db/db.sqlite. Reports the median wall time of RUNS runs and the
peak resident memory, and checks the answers: nhos lists exactly the lines nix
does, and the same version changes as dix.

usage: run.py NHOS DIX [RUNS] SIZE...     e.g. run.py target/release/nhos ~/.cargo/bin/dix 7 2000 10000 40000
"""

import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = {**os.environ, "NIX_CONFIG": "experimental-features = nix-command", "NIX_REMOTE": "local", "NO_COLOR": "1"}
for k in ("NIX_STORE_DIR", "NIX_STATE_DIR"):
    ENV.pop(k, None)


def measure(cmd: list[str]) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS in KiB, standard output, CPU seconds (user + system)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
    out = p.stdout.read() if p.stdout else b""
    _, _, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, out.decode(), usage.ru_utime + usage.ru_stime


def version_changes_nhos(text: str) -> dict[str, tuple[list[str], list[str]]]:
    d = json.loads(text)
    return {
        p["name"]: (sorted(p["versions_removed"]), sorted(p["versions_added"]))
        for p in d["packages"]
        if p["versions_removed"] or p["versions_added"]
    }


def version_changes_dix(text: str) -> dict[str, tuple[list[str], list[str]]]:
    out = {}
    for d in json.loads(text)["diffs"]:
        removed, added = [], []
        for v in d["versions"]:
            if v["kind"] == "changed":
                removed.append(v["old"]["name"])
                added.append(v["new"]["name"])
            elif v["kind"] == "added":
                added.append(v["version"]["name"])
            elif v["kind"] == "removed":
                removed.append(v["version"]["name"])
        if removed or added:
            out[d["name"]] = (sorted(removed), sorted(added))
    return out


def inside(nhos: str, dix: str, runs: int, root: str, old: str, new: str) -> None:
    subprocess.run(["mount", "--bind", os.path.join(root, "nix"), "/nix"], check=True)
    tools = {
        "nhos closure diff": [nhos, "closure", "diff", old, new],
        "nix store diff-closures": ["nix", "store", "diff-closures", old, new],
        "dix": [dix, "--color", "never", old, new],
    }
    # Round-robin: each run measures every tool once, so that a machine whose speed
    # drifts during the benchmark affects all three alike.
    times = {name: [] for name in tools}
    cpus = {name: [] for name in tools}
    peaks = {name: 0 for name in tools}
    for _ in range(runs):
        for name, cmd in tools.items():
            t, rss, _, cpu = measure(cmd)
            times[name].append(t)
            cpus[name].append(cpu)
            peaks[name] = max(peaks[name], rss)
    result = {
        name: {"median_s": statistics.median(times[name]), "cpu_s": statistics.median(cpus[name]), "peak_kib": peaks[name]}
        for name in tools
    }
    # Answers.
    nix_lines = re.sub(r"\x1b\[[0-9;]*m", "", measure(tools["nix store diff-closures"])[2])
    nhos_text = measure(tools["nhos closure diff"])[2]
    nhos_lines = nhos_text.split("\n\n")[0] + "\n" if nhos_text.strip() else ""
    nhos_json = measure([nhos, "closure", "diff", "--format", "json", old, new])[2]
    dix_json = measure([dix, "--color", "never", "--output", "json", old, new])[2]
    result["same_as_nix"] = nhos_lines == nix_lines
    result["same_as_dix"] = version_changes_nhos(nhos_json) == version_changes_dix(dix_json)
    result["listed"] = len(nix_lines.splitlines())
    print(json.dumps(result))


def main() -> None:
    if sys.argv[1] == "--inside":
        inside(sys.argv[2], sys.argv[3], int(sys.argv[4]), *sys.argv[5:8])
        return
    nhos, dix = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs, sizes = int(sys.argv[3]), [int(s) for s in sys.argv[4:]]
    print("| paths (old) | tool | median wall | median CPU | peak RSS | answers |")
    print("| ---: | --- | ---: | ---: | ---: | --- |")
    for n in sizes:
        root = f"/tmp/nhos-bench-{n}"
        old, new = subprocess.run(
            [sys.executable, os.path.join(HERE, "synth.py"), root, str(n)], check=True, capture_output=True, text=True
        ).stdout.split()
        r = json.loads(subprocess.run(
            ["unshare", "-m", "--propagation", "private", sys.executable, __file__, "--inside", nhos, dix, str(runs), root, old, new],
            check=True, capture_output=True, text=True,
        ).stdout)
        for tool in ("nhos closure diff", "nix store diff-closures", "dix"):
            m = r[tool]
            answer = {
                "nhos closure diff": f"{r['listed']} lines; same as nix: {r['same_as_nix']}; same version changes as dix: {r['same_as_dix']}",
            }.get(tool, "")
            print(
                f"| {n} | {tool} | {m['median_s'] * 1000:.0f} ms | {m['cpu_s'] * 1000:.0f} ms "
                f"| {m['peak_kib'] / 1024:.1f} MiB | {answer} |"
            )


if __name__ == "__main__":
    main()
