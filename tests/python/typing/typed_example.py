"""An integrator's script, written against the stubs: `mypy --strict` must accept
it (tests/python/test_typing.py), and it runs."""

import datetime
import pathlib
import pickle
import sys
import tempfile

import nhos
from nhos.types import ReportSummary, SettingValue, Severity, Status


def worst(findings: list[nhos.Finding]) -> Severity:
    order: dict[Severity, int] = {"info": 0, "warning": 1, "error": 2}
    return max((f.severity for f in findings), key=order.__getitem__, default="info")


def open_by_status(report: nhos.Report) -> dict[Status, int]:
    counts: dict[Status, int] = {}
    for f in report.findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    return counts


def describe(value: SettingValue) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (int, str)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(value)
    return ", ".join(f"{k}={v}" for k, v in value.items())


def main(estate_dir: str) -> int:
    estate: nhos.Estate = nhos.load(estate_dir)
    report = estate.validate(today=datetime.date(2026, 11, 23))
    summary: ReportSummary = report.summary
    errors: int = summary["errors"]
    new: int = summary.get("new", 0)
    column: int | None = report.findings[0].column if report.findings else None
    for name in estate.profiles:
        profile = estate.profile(name)
        for key, setting in profile.settings.items():
            text = describe(setting.value)
            assert key == setting.key and isinstance(text, str)
            for value, origin in setting.overrode:
                assert origin.via in ("profile", "capability", "branding", "policy", "default")
                describe(value)
    copy_of: nhos.Report = pickle.loads(pickle.dumps(report))
    assert copy_of == report
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "flake"
        written: list[str] = estate.generate(out, today="2026-11-23")
        drift: list[nhos.Drift] = estate.generate(out, check=True, today="2026-11-23")
        assert written and drift == []
    try:
        nhos.load(pathlib.Path(estate_dir) / "missing")
    except FileNotFoundError as e:
        assert e.filename is not None
    results = nhos.load_many([estate_dir])
    for r in results:
        if isinstance(r, nhos.Estate):
            r.reload()
        elif isinstance(r, nhos.LoadError):
            print(r.diagnostics)
    print(worst(report.findings), open_by_status(report), errors, new, column)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
