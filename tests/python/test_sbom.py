"""CycloneDX SBOMs from `nhos sbom` validate against the CycloneDX 1.6 JSON schema
(cyclonedx-python-lib's strict validator, which ships the schema: no network) and
are byte-identical across runs: from the definition, and from example-valley's
clinical system built with Nix 2.8 in a private store
(nhos-core/tests/closure/systems.nix), with VEX statements from the test
advisories."""

import json
import os
import pathlib
import shutil
from collections.abc import Iterator

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

import nix_store
from conftest import EXAMPLE, cli

ADVISORIES = nix_store.ADVISORIES
VALIDATOR = JsonStrictValidator(SchemaVersion.V1_6)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Old and new builds of the clinical system and their package maps."""
    root = tmp_path_factory.mktemp("store")
    try:
        built = nix_store.build(root)
    except RuntimeError as e:
        pytest.fail(str(e))
    yield built
    nix_store.clean(root)


def sbom(*args: str, env: dict[str, str] | None = None) -> str:
    r = cli("sbom", str(EXAMPLE), "clinical", *args, env=env)
    assert r.returncode == 0, r.stderr
    return r.stdout


def valid(text: str) -> None:
    error = VALIDATOR.validate_str(text)
    assert error is None, str(error)[:2000]


def test_the_definition_sbom_is_valid_cyclonedx_1_6_and_reproducible() -> None:
    text = sbom()
    valid(text)
    assert sbom() == text
    doc = json.loads(text)
    assert "timestamp" not in doc["metadata"]
    names = {c["name"] for c in doc["components"]}
    assert {"firefox-esr", "openconnect", "weasis"} <= names
    firefox = next(c for c in doc["components"] if c["name"] == "firefox-esr")
    props = {p["name"]: p["value"] for p in firefox["properties"]}
    assert props["nhos:definition"] == "profiles/site.toml:8:19"
    assert firefox["purl"] == "pkg:nix/firefox-esr"


def test_the_closure_sbom_is_valid_with_vex_and_reproducible(store: dict[str, str]) -> None:
    env = {k: v for k, v in store.items() if k.startswith("NIX_")}
    args = ("--closure", store["new"], "--packages", store["new-packages"],
            "--advisories", str(ADVISORIES), "--today", "2024-06-01")
    text = sbom(*args, env=env)
    valid(text)
    assert sbom(*args, env=env) == text, "byte-identical across runs"
    doc = json.loads(text)
    by_name = {c["name"]: c for c in doc["components"]}
    openssl = by_name["openssl"]
    assert openssl["purl"] == "pkg:nix/openssl@3.0.13"
    assert openssl["hashes"][0]["alg"] == "SHA-256" and len(openssl["hashes"][0]["content"]) == 64
    props = {p["name"]: p["value"] for p in by_name["weasis"]["properties"]}
    assert props["nhos:definition"] == "profiles/clinical.toml:8:21"
    assert props["nhos:package-attribute"] == "weasis"
    bash = {p["name"]: p["value"] for p in by_name["bash-interactive"]["properties"]}
    assert bash["nhos:brought-by"] == "nixos"
    vex = {v["id"]: v for v in doc["vulnerabilities"]}
    assert vex["CVE-2024-2961"]["analysis"]["state"] == "not_affected"
    assert vex["CVE-2024-2961"]["analysis"]["justification"] == "code_not_present"
    assert vex["CVE-2024-2398"]["analysis"]["state"] == "in_triage"
    refs = {c["bom-ref"] for c in doc["components"]} | {doc["metadata"]["component"]["bom-ref"]}
    for d in doc["dependencies"]:
        assert d["ref"] in refs and set(d["dependsOn"]) <= refs


def test_a_broken_sbom_fails_the_validator() -> None:
    """The validator is not a rubber stamp: one wrong type fails."""
    doc = json.loads(sbom())
    doc["components"][0]["type"] = "pkg"
    assert VALIDATOR.validate_str(json.dumps(doc)) is not None


def test_vulns_exit_code_follows_the_cyber_essentials_window(store: dict[str, str]) -> None:
    env = {k: v for k, v in store.items() if k.startswith("NIX_")}
    base = ("vulns", str(EXAMPLE), "clinical", "--advisories", str(ADVISORIES), "--format", "json")
    old = cli(*base, "--closure", store["old"], "--packages", store["old-packages"], "--today", "2024-06-01", env=env)
    assert old.returncode == 1, old.stderr
    result = json.loads(old.stdout)
    overdue = [m["advisory"] for m in result["matches"] if m["overdue"]]
    assert overdue == ["CVE-2024-2961"]
    # Rule R39 judges the build: one open error, for that advisory.
    open_findings = [f for f in result["report"]["findings"] if f["status"] == "open"]
    assert [(f["rule"], f["value"]) for f in open_findings] == [("R39", "CVE-2024-2961")]
    # Within 14 days of publication it is not yet overdue.
    early = cli(*base, "--closure", store["old"], "--packages", store["old-packages"], "--today", "2024-04-20", env=env)
    assert early.returncode == 0, early.stdout
    new = cli(*base, "--closure", store["new"], "--packages", store["new-packages"], "--today", "2024-06-01", env=env)
    assert new.returncode == 0, new.stdout
    # Without advisories nothing could match: refused, not reported as a pass.
    bare = ("vulns", str(EXAMPLE), "clinical", "--closure", store["new"], "--packages", store["new-packages"])
    none = cli(*bare, env=env)
    assert none.returncode == 1 and "--advisories" in none.stderr, none.stderr
    assert pathlib.Path(store["new"]).name.endswith("nixos-system-clinical-24.05")


def test_plan_with_both_builds_attributes_closure_changes_to_definition_lines(
    store: dict[str, str], tmp_path: pathlib.Path
) -> None:
    env = {k: v for k, v in store.items() if k.startswith("NIX_")}
    # Old: clinical without pcsc-tools; new: without dcmtk, as the systems built.
    sides = {}
    for side, package in (("old", "pcsc-tools"), ("new", "dcmtk")):
        d = tmp_path / side
        shutil.copytree(EXAMPLE, d)
        r = cli("edit", str(d), "remove-package", "clinical", package, "--allow-errors")
        assert r.returncode == 0, r.stderr
        sides[side] = str(d)
    built = ("--closure", store["old"], store["new"],
             "--packages", store["old-packages"], store["new-packages"], "--profile", "clinical")
    r = cli("plan", sides["old"], sides["new"], "--no-nix-diff", "--format", "json", *built, env=env)
    assert r.returncode == 2, r.stderr
    impact = json.loads(r.stdout)["closure"]
    first, second = impact["groups"][0], impact["groups"][1]
    assert first["cause"]["kind"] == "package-added"
    assert first["cause"]["attribute"] == "pcsc-tools"
    assert first["cause"]["source"]["at"].startswith("profiles/clinical.toml:")
    assert [t["package"] for t in first["packages"]] == ["pcsc-tools 1.7.1"]
    assert second["cause"]["kind"] == "package-removed" and second["paths_removed"] == 1
    assert sum(g["paths_added"] for g in impact["groups"]) == impact["paths_added"]
    # Without the package maps the builds cannot be joined: a usage error.
    r = cli("plan", sides["old"], sides["new"], "--closure", store["old"], store["new"], env=env)
    assert r.returncode == 2 and "--packages" in r.stderr, r.stderr
    # The maps swapped do not match the systems: refused, naming what is missing.
    swapped = ("--closure", store["old"], store["new"],
               "--packages", store["new-packages"], store["old-packages"], "--profile", "clinical")
    r = cli("plan", sides["old"], sides["new"], *swapped, env=env)
    assert r.returncode == 1 and "old package map has no `dcmtk`" in r.stderr, r.stderr


def test_python_closure_verbs_equal_the_cli(store: dict[str, str]) -> None:
    import nhos

    env = {k: v for k, v in store.items() if k.startswith("NIX_")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        d = nhos.closure_diff(store["old"], store["new"])
        cli_json = cli("closure", "diff", store["old"], store["new"], "--format", "json", env=env)
        assert cli_json.returncode == 2, cli_json.stderr
        assert d.to_json() == cli_json.stdout
        assert d.to_markdown() == cli("closure", "diff", store["old"], store["new"], "--format", "markdown", env=env).stdout
        assert not d.is_empty and d.totals["paths_added"] == d.to_dict()["totals"]["paths_added"] > 0
        assert nhos.closure_diff(store["old"], store["old"]).is_empty
        estate = nhos.load(EXAMPLE)
        w = estate.why("clinical", "openssl", closure=store["old"], packages=store["old-packages"])
        cli_why = cli("why", str(EXAMPLE), "clinical", "openssl", "--closure", store["old"],
                      "--packages", store["old-packages"], "--format", "json", env=env)
        assert w.to_dict() == json.loads(cli_why.stdout)
        assert w.references[-1] == w.target and w.attribute is not None
        sbom_args = dict(closure=store["new"], packages=store["new-packages"], advisories=[ADVISORIES], today="2024-06-01")
        text = estate.sbom("clinical", **sbom_args)
        assert text == sbom("--closure", store["new"], "--packages", store["new-packages"],
                            "--advisories", str(ADVISORIES), "--today", "2024-06-01", env=env)
        valid(text)
        with pytest.raises(nhos.UsageError, match="together"):
            estate.sbom("clinical", closure=store["new"])
        with pytest.raises(nhos.UsageError):
            nhos.closure_diff(str(EXAMPLE), store["new"])
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
