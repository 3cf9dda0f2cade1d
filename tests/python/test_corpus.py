"""The shared corpus through Python gives exactly what the Rust CLI gives (same JSON)."""

import json
import pathlib

import nhos
import pytest
from conftest import CORPUS, case_today, cli, materialize

LOAD = sorted(p for p in CORPUS.glob("load-*") if p.is_dir())
RULES = sorted(p for p in CORPUS.glob("rule-*") if p.is_dir())


@pytest.mark.parametrize("case", LOAD, ids=lambda p: p.name)
def test_load_cases_match_rust(case, tmp_path):
    d = materialize(case, tmp_path / "e")
    rust = json.loads(cli("check", str(d), "--format", "json").stdout)
    try:
        e = nhos.load(d)
        got = [(w.code, w.file, w.line, w.column, w.message, w.hint) for w in e.warnings]
        assert rust["ok"] is True
    except nhos.LoadError as err:
        got = [(x.code, x.file, x.line, x.column, x.message, x.hint) for x in err.diagnostics]
        assert rust["ok"] is False
    want = [
        (x["code"], (x.get("location") or {}).get("file"), (x.get("location") or {}).get("line") or None,
         (x.get("location") or {}).get("column") or None, x["message"], x.get("hint"))
        for x in rust["diagnostics"]
    ]
    assert got == want


@pytest.mark.parametrize("case", RULES, ids=lambda p: p.name)
def test_rule_cases_match_rust(case, tmp_path):
    d = materialize(case, tmp_path / "e")
    today = case_today(case)
    rust = cli("validate", str(d), "--format", "json", "--today", today).stdout
    assert json.loads(nhos.load(d).validate(today=today).to_json()) == json.loads(rust)
