"""`nhos fleet`: the Fleet policies are YAML documents of the shape `fleetctl apply
-f` reads (fleetdm/fleet `server/fleet/policies.go` PolicySpec: `apiVersion: v1`,
`kind: policy`, a `spec` with name and query required, description, resolution,
platform among darwin/windows/linux/chrome, critical a boolean, team a name), each
name unique and naming its rule; the osquery pack has the keys osquery reads."""

import json

import yaml

from conftest import EXAMPLE, cli

SPEC_FIELDS = {"name", "query", "description", "critical", "resolution", "team", "platform",
               "calendar_events_enabled", "software_title_id", "script_id"}
PACK_FIELDS = {"query", "interval", "removed", "snapshot", "platform", "version", "shard",
               "denylist", "startup_priority", "description"}


def test_fleet_policies_have_the_shape_fleet_reads() -> None:
    r = cli("fleet", str(EXAMPLE), "--toplevel", "clinical=/nix/store/00000000000000000000000000000000-nixos-system-clinical")
    assert r.returncode == 0, r.stderr
    docs = [d for d in yaml.safe_load_all(r.stdout) if d is not None]
    assert len(docs) > 10
    names = set()
    for d in docs:
        assert set(d) == {"apiVersion", "kind", "spec"}, d
        assert d["apiVersion"] == "v1" and d["kind"] == "policy"
        spec = d["spec"]
        assert set(spec) <= SPEC_FIELDS, set(spec) - SPEC_FIELDS
        assert spec["name"].strip() and spec["query"].strip()
        assert set(spec["platform"].split(",")) <= {"darwin", "windows", "linux", "chrome"}
        assert isinstance(spec["critical"], bool)
        assert spec["team"] in {"admin", "analyst", "clinical", "dr", "kiosk", "server"}
        rule = spec["name"].split("-")[1]
        assert rule == "DRIFT" or rule in spec["description"], spec
        names.add(spec["name"])
    assert len(names) == len(docs), "policy names are unique (Fleet identifies policies by name)"
    assert "nhos-DRIFT-clinical-current-system" in names


def test_the_osquery_pack_has_the_keys_osquery_reads() -> None:
    r = cli("fleet", str(EXAMPLE), "--format", "pack")
    assert r.returncode == 0, r.stderr
    pack = json.loads(r.stdout)
    assert set(pack) == {"queries"}
    for name, q in pack["queries"].items():
        assert set(q) <= PACK_FIELDS, name
        assert 0 < q["interval"] <= 604800 and q["query"].rstrip().endswith(";")


def test_a_toplevel_for_an_unknown_profile_or_not_a_store_path_is_refused() -> None:
    r = cli("fleet", str(EXAMPLE), "--toplevel", "clinicl=/nix/store/x")
    assert r.returncode != 0 and "no profile `clinicl`" in r.stderr
    r = cli("fleet", str(EXAMPLE), "--toplevel", "clinical=/tmp/x'; DROP TABLE")
    assert r.returncode != 0 and "not a store path" in r.stderr
