"""Every public function and class of the `nhos` package."""

import json
import pathlib
import subprocess

import nhos
import pytest
from conftest import CORPUS, EXAMPLE, TODAY


def test_load_and_profiles():
    e = nhos.load(EXAMPLE)
    assert e.organisation == "Example Valley NHS Foundation Trust"
    assert e.ods_code == "RXX" and e.release == "26.05"
    assert e.profiles == ["admin", "analyst", "baseline", "clinical", "dr", "kiosk", "server", "site"]
    assert e.warnings == []
    assert len(e.definition_hash) == 64
    assert "Estate Example Valley" in repr(e)
    assert e.to_dict()["organisation"]["ods_code"] == "RXX"


def test_profile_provenance():
    p = nhos.load(str(EXAMPLE)).profile("clinical")
    assert p.name == "clinical" and p.role == "clinical" and not p.is_abstract
    assert p.parents == ["admin"]
    assert p.linearization == ["clinical", "admin", "site", "baseline"]
    idle = p.settings["screen.idle-delay"]
    assert idle.key == "screen.idle-delay" and idle.value == 300
    assert (idle.origin.via, idle.origin.profile, idle.origin.file) == ("profile", "clinical", "profiles/clinical.toml")
    (old, origin), = idle.overrode
    assert old == 600 and origin.file == "profiles/baseline.toml"
    assert p.settings["browser.bookmarks"].value["NCRS"].startswith("https://")
    opensc = p.packages["opensc"]
    assert (opensc.via, opensc.capability, opensc.profile) == ("capability", "smartcard", "clinical")
    assert p.capabilities["smartcard"] == "1.0.0"
    assert p.outputs == ["clinical-installer", "clinical-vm"]
    assert "Profile clinical" in repr(p) and "Setting screen.idle-delay = 300" in repr(idle)


def test_validate_report():
    e = nhos.load(EXAMPLE)
    r = e.validate(today=TODAY)
    assert not r.fails() and r.today == TODAY
    assert r.summary["waived"] == 4 and r.summary["manual"] == 6 and r.summary["not_enforced"] == 25
    waived = [f for f in r.findings if f.status == "waived"]
    assert {f.waiver for f in waived} == {"W-001", "W-002", "W-003"}
    f = next(f for f in waived if f.profile == "kiosk")
    assert f.rule in ("R4", "R5") and f.profile == "kiosk" and f.file == "profiles/kiosk.toml" and f.line > 0
    assert f.to_dict()["fingerprint"] == f.fingerprint and f.title and f.severity and f.subject and f.message and f.remediation
    assert json.loads(r.to_json())["schema"] == "nhos-report/1"
    assert r.to_dict()["summary"]["waived"] == 4
    assert json.loads(r.to_sarif())["version"] == "2.1.0"
    assert r.to_junit().startswith("<?xml")
    assert "4 waived" in r.to_text() and "<table>" in r._repr_html_()
    assert "Report 0 errors" in repr(r) and "Finding" in repr(f)
    # The ratchet: after the waivers expire the report fails, unless against a baseline.
    late = e.validate(today="2027-04-02")
    assert late.fails()
    baseline = nhos.Report.from_json(late.to_json())
    assert not late.ratchet(baseline).fails()
    assert late.ratchet(baseline).summary["new"] == 0
    assert r.findings[0].new is None


def test_plan_explain(estate_dir):
    old = nhos.load(EXAMPLE)
    assert nhos.plan(old, old, today=TODAY).is_empty
    estate = nhos.load(estate_dir)
    res = estate.remove_capability("admin", "remote-desktop", today=TODAY)
    assert res.files == ["profiles/admin.toml"]
    new = nhos.load(estate_dir)
    p = nhos.plan(old, new, today=TODAY)
    assert not p.is_empty and p.changed_profiles == ["admin", "clinical"]
    assert p.summary["packages_removed"] == 4
    assert json.loads(p.to_json())["schema"] == "nhos-plan/1" and p.to_dict()["profiles"][0]["name"] == "admin"
    assert "- package remmina" in p.to_text() and p.to_markdown().startswith("## nhos plan")
    html = p._repr_html_()
    assert '<span class="badge removed">removed</span></td><td>package</td><td><code>remmina</code>' in html
    assert "<pre>" not in html and "Plan:" in repr(p)
    assert nhos.plan(old, new, today=TODAY, nix_diff=False).summary["files_changed"] == 0
    x = old.explain("clinical", "opensc")
    assert x.kind == "package" and "smartcard" in x.chain[0][0]
    assert x.to_dict()["kind"] == "package" and "clinical: package opensc" in str(x) and "Explanation" in repr(x)
    assert old.explain("clinical", "screen.idle-delay").value == "300"


def test_edits(estate_dir):
    e = nhos.load(estate_dir)
    before = (estate_dir / "profiles/clinical.toml").read_bytes()
    dry = e.add_package("clinical", "keepassxc", dry_run=True, today=TODAY)
    assert '+add = ["keepassxc"]' in dry.diff and (estate_dir / "profiles/clinical.toml").read_bytes() == before
    e.add_package("clinical", "keepassxc", today=TODAY)
    e.remove_package("clinical", "keepassxc", today=TODAY)
    assert (estate_dir / "profiles/clinical.toml").read_bytes() == before
    e.add_capability("analyst", "vpn", today=TODAY)
    e.set_setting("clinical", "screen.idle-delay", "240", today=TODAY)
    assert nhos.load(estate_dir).profile("clinical").settings["screen.idle-delay"].value == 240
    e.unset_setting("clinical", "screen.idle-delay", today=TODAY)
    assert nhos.load(estate_dir).profile("clinical").settings["screen.idle-delay"].value == 600
    e.set_branding("os-name", "Valley Workplace", today=TODAY)
    r = e.set_setting("admin", "screen.idle-delay", "900", allow_errors=True, today=TODAY)
    # clinical no longer sets its own idle delay, so it inherits admin's too.
    assert [(f.rule, f.profile) for f in r.findings_added] == [("R5", "admin"), ("R5", "clinical")]
    assert r.findings_removed == []
    e.unset_setting("admin", "screen.idle-delay", today=TODAY)
    e.add_waiver("W-9", "R5", ["admin"], "trial", "Chief Information Security Officer", "2027-01-31", today=TODAY)
    r = e.add_waiver(
        "W-10",
        "R5",
        ["admin"],
        "15-minute trial",
        "Chief Information Security Officer",
        "2027-01-31",
        approved="2026-11-01",
        accepts={"screen.idle-delay": 900, "screen.lock-enabled": True, "disk.encryption": 'say "hi"'},
        dry_run=True,
        today=TODAY,
    )
    assert 'accepts = { "disk.encryption" = "say \\"hi\\"", "screen.idle-delay" = 900, "screen.lock-enabled" = true }' in r.diff
    assert "approved = 2026-11-01" in r.diff
    e.add_profile("ward", ["clinical"], role="clinical", today=TODAY)
    e.rename_profile("ward", "ward-desk", today=TODAY)
    e.remove_capability("analyst", "vpn", today=TODAY)
    assert "EditResult" in repr(r)
    e2 = nhos.load(estate_dir)
    assert "ward-desk" in e2.profiles and not e2.validate(today=TODAY).fails()


def test_generate(tmp_path):
    e = nhos.load(EXAMPLE)
    out = tmp_path / "flake"
    files = e.generate(out, today=TODAY)
    assert "flake.nix" in files and (out / "hosts/clinical.nix").is_file()
    assert e.generate(out, check=True, today=TODAY) == []
    (out / "outputs.nix").write_text("{ }\n")
    drift = e.generate(str(out), check=True, today=TODAY)
    assert [(d.kind, d.path) for d in drift] == [("changed", "outputs.nix")]


def test_load_git(tmp_path):
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=repo, check=True)
    e = nhos.load_git(repo, "HEAD")
    assert e.definition_hash == nhos.load(repo).definition_hash


def test_version_and_all():
    assert nhos.__version__ == "0.1.0"
    for name in nhos.__all__:
        assert hasattr(nhos, name), name


def test_load_many_returns_each_estate_or_its_error_in_order(tmp_path):
    import shutil

    good = tmp_path / "good"
    shutil.copytree(EXAMPLE, good)
    bad = CORPUS / "load-unknown-parent"
    results = nhos.load_many([good, bad, EXAMPLE])
    assert len(results) == 3
    assert isinstance(results[0], nhos.Estate) and isinstance(results[2], nhos.Estate)
    assert isinstance(results[1], nhos.LoadError)
    assert results[1].diagnostics[0].code == "NHOS110"
    # The same reports as loading one by one.
    one = nhos.load(good).validate(today=TODAY).to_json()
    assert results[0].validate(today=TODAY).to_json() == one
