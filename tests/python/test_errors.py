"""The exception mapping: one class per error kind under nhos.Error, I/O errors as
the matching OSError subclass, findings never raised."""

import json
import shutil

import nhos
import pytest
from conftest import CORPUS, EXAMPLE, TODAY, materialize


def test_load_error_carries_diagnostics(tmp_path):
    with pytest.raises(nhos.LoadError) as info:
        nhos.load(CORPUS / "load-wrong-types")
    err = info.value
    assert isinstance(err, nhos.Error)
    assert [d.code for d in err.diagnostics] == ["NHOS102", "NHOS102", "NHOS102"]
    d = err.diagnostics[0]
    assert (d.file, d.line, d.column, d.severity) == ("profiles/desk.toml", 9, 14, "error")
    assert d.hint == "remove the quotes" and "NHOS102" in repr(d)


def test_io_errors_are_oserrors(tmp_path):
    with pytest.raises(FileNotFoundError):
        nhos.load(tmp_path / "missing")
    with pytest.raises(nhos.LoadError) as info:
        nhos.load(tmp_path)  # exists, but no estate.toml
    assert info.value.diagnostics[0].code == "NHOS150"


def test_usage_edit_generate_git_errors(tmp_path, estate_dir):
    e = nhos.load(EXAMPLE)
    with pytest.raises(nhos.UsageError, match="did you mean `clinical`"):
        e.profile("clinicl")
    with pytest.raises(nhos.UsageError):
        e.validate(today="2026-13-01")
    with pytest.raises(nhos.UsageError, match="did you mean `opensc`"):
        e.explain("clinical", "opnsc")
    ed = nhos.load(estate_dir)
    with pytest.raises(nhos.EditError, match="did you mean `vpn`"):
        ed.add_capability("admin", "vpm", today=TODAY)
    with pytest.raises(nhos.EditError, match="R5 admin"):
        ed.set_setting("admin", "screen.idle-delay", "900", today=TODAY)
    with pytest.raises(nhos.EditError) as info:
        ed.set_setting("admin", "media.usb-storage", "sometimes", today=TODAY)
    assert any(d.code == "NHOS105" for d in info.value.diagnostics)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    with pytest.raises(nhos.GenerateError, match="refusing to write into it"):
        e.generate(foreign, today=TODAY)
    # Generation refuses while error-level findings remain, unless allowed (and
    # then the manifest says so).
    ed.set_setting("admin", "screen.idle-delay", "900", allow_errors=True, today=TODAY)
    lax = nhos.load(estate_dir)
    with pytest.raises(nhos.FindingsError, match="R5 admin"):
        lax.generate(tmp_path / "refused", today=TODAY)
    assert not (tmp_path / "refused").exists()
    lax.generate(tmp_path / "allowed", today=TODAY, allow_findings=True)
    manifest = json.loads((tmp_path / "allowed" / "nhos-manifest.json").read_text())
    assert any("R5" in f for f in manifest["written_despite_findings"])
    with pytest.raises(nhos.GitError):
        nhos.load_git(tmp_path, "HEAD")
    with pytest.raises(nhos.UsageError):
        nhos.load_git(EXAMPLE, "--output=/tmp/x")


def test_findings_are_never_raised(tmp_path):
    case = materialize(CORPUS / "rule-r9-firewall-off", tmp_path / "e")
    report = nhos.load(case).validate(today=TODAY)
    assert report.fails() and any(f.rule == "R9" for f in report.findings)
