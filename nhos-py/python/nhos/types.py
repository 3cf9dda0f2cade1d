"""The types of nhos's values, for annotations: the literal strings its fields
take and the dicts its summaries return. They are plain ``typing`` constructs,
available at run time as well as to type checkers."""

import sys
from typing import Literal, Union

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # pragma: no cover - exercised on Python 3.9 and 3.10 only
    from typing_extensions import NotRequired, TypedDict

__all__ = [
    "DriftKind",
    "ErrorSeverity",
    "PlanSummary",
    "ReportSummary",
    "Role",
    "SettingValue",
    "Severity",
    "Status",
    "Via",
]

Severity = Literal["error", "warning", "info"]
"""How much a finding or diagnostic matters."""

ErrorSeverity = Severity
"""The severity of a load diagnostic (the same three levels)."""

Status = Literal["open", "waived", "manual", "not-enforced"]
"""Where a finding stands: open, covered by a waiver, checked by people, or
declared by the definition but not made true by the generated system."""

Via = Literal["profile", "capability", "branding", "policy", "default"]
"""Who set a value."""

Role = Literal["admin", "clinical", "analyst", "dr", "kiosk", "server"]
"""What a profile's machines are for."""

DriftKind = Literal["missing", "changed", "no-longer-generated", "interrupted"]
"""How a generated file differs from what ``generate`` would write."""

SettingValue = Union[bool, int, str, list[str], dict[str, str]]
"""A setting's value."""


class ReportSummary(TypedDict):
    """Counts of a validation report."""

    errors: int
    warnings: int
    infos: int
    waived: int
    manual: int
    not_enforced: int
    new: NotRequired[int]


class PlanSummary(TypedDict):
    """Counts of a plan."""

    profiles_changed: int
    profiles_added: int
    profiles_removed: int
    packages_added: int
    packages_removed: int
    settings_changed: int
    branding_changed: int
    findings_new: int
    findings_fixed: int
    files_changed: int
