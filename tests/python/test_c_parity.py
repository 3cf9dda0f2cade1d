"""Every public member of the Python API has a C counterpart: nhos-c/PARITY.md has a
row for it, and every C name the row gives is declared in include/nhos.h (a
function, a constant or macro, a type, or a field of the named struct)."""

import re

import nhos
from conftest import ROOT

HEADER = (ROOT / "nhos-c" / "include" / "nhos.h").read_text()
TABLE = (ROOT / "nhos-c" / "PARITY.md").read_text()


def python_api() -> set[str]:
    names = set()
    for name in nhos.__all__:
        if name == "types":  # annotations only: Literal and TypedDict aliases
            continue
        names.add(name)
        obj = getattr(nhos, name)
        if isinstance(obj, type) and obj.__module__ == "nhos._nhos" and not issubclass(obj, BaseException):
            names.update(f"{name}.{m}" for m in vars(obj) if not m.startswith("_"))
    return names


def rows() -> dict[str, str]:
    out = {}
    for line in TABLE.splitlines():
        m = re.match(r"\| `([^`]+)` \| (.+) \|$", line)
        if m:
            out[m.group(1)] = m.group(2)
    return out


def struct_fields(struct: str) -> set[str]:
    m = re.search(r"typedef struct %s \{(.*?)\} %s;" % (struct, struct), HEADER, flags=re.S)
    assert m, f"no struct {struct} in the header"
    return set(re.findall(r"(\w+);", m.group(1)))


def declared(name: str) -> bool:
    if "." in name:
        struct, field = name.split(".", 1)
        return field in struct_fields(struct)
    return bool(
        re.search(rf"\b{name}\(", HEADER)  # function or function-like macro
        or re.search(rf"#define {name}\b", HEADER)
        or re.search(rf"typedef [^;]*\b{name};", HEADER)
        or re.search(rf"\}} {name};", HEADER)
        or re.search(rf"\b{name} = \d+", HEADER)  # enum constant
    )


def test_every_python_member_has_a_c_counterpart():
    table = rows()
    missing = sorted(python_api() - set(table))
    assert missing == [], f"Python members with no C counterpart in nhos-c/PARITY.md: {missing}"
    stale = sorted(set(table) - python_api())
    assert stale == [], f"PARITY.md rows for members Python no longer has: {stale}"


def test_every_c_name_in_the_table_is_declared():
    undeclared = []
    for py, c in rows().items():
        names = re.findall(r"`((?:nhos|NHOS)_\w+(?:\.\w+)?)`", c)
        assert names, f"{py}: the row names no C function, constant or field"
        undeclared += [f"{py}: {n}" for n in names if not declared(n)]
    assert undeclared == [], undeclared


def test_the_check_can_fail():
    assert not declared("nhos_estate_frobnicate")
    assert not declared("nhos_finding.colour")
    assert declared("nhos_finding.is_new") and declared("NHOS_CODE_FINDINGS") and declared("nhos_summary")
