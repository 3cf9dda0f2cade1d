"""Misuse the stubs must catch under `mypy --strict`: every line with an "E"
comment must be reported (tests/python/test_typing.py checks each line)."""

import nhos

estate = nhos.load("examples/example-valley")
report = nhos.Report()  # E: not constructible
finding = report.findings[0]
finding.severity == "critical"  # E: not a severity
finding.status == "failed"  # E: not a status
estate.validate(today=20261123)  # E: a day is a date or a string
count: str = report.summary["errors"]  # E: counts are int
drift: list[str] = estate.generate("out", check=True)  # E: check=True returns Drift
estate.profile("x").role == "desktop"  # E: not a role
