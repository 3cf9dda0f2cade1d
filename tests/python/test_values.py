"""Value objects behave like values: they pickle (also across a process pool),
copy and deep-copy, compare and hash by value; errors pickle with their
diagnostics; OS errors carry errno and filename; days may be datetime.date."""

import copy
import datetime
import errno
import os
import pickle
import shutil
from concurrent.futures import ProcessPoolExecutor

import nhos
import pytest
from conftest import CORPUS, EXAMPLE, TODAY


def _values():
    e = nhos.load(EXAMPLE)
    report = e.validate(today=TODAY)
    clinical = e.profile("clinical")
    setting = next(iter(clinical.settings.values()))
    origin = next(iter(clinical.packages.values()))
    explanation = e.explain("clinical", "opensc")
    plan = nhos.plan(e, e, today=TODAY)
    with pytest.raises(nhos.LoadError) as info:
        nhos.load(CORPUS / "load-wrong-types")
    diagnostic = info.value.diagnostics[0]
    return [report, report.findings[0], plan, explanation, setting, origin, diagnostic]


def test_every_value_pickles_copies_and_compares_by_value():
    for v in _values():
        for clone in (pickle.loads(pickle.dumps(v)), copy.copy(v), copy.deepcopy(v)):
            assert type(clone) is type(v)
            assert clone == v, v
            assert hash(clone) == hash(v), v
            assert not (clone != v)
            assert repr(clone) == repr(v)


def test_equality_is_by_value_not_identity():
    e = nhos.load(EXAMPLE)
    a, b = e.validate(today=TODAY), e.validate(today=TODAY)
    assert a is not b and a == b and hash(a) == hash(b)
    f = a.findings[0]
    assert f == b.findings[0] and f in set(b.findings)
    assert a.findings[0] != a.findings[1]
    assert e.validate(today="2030-01-01") != a  # judged on another day: other waivers expire
    assert (f == "R1") is False


def test_edit_results_and_drift_pickle(tmp_path, estate_dir):
    e = nhos.load(estate_dir)
    r = e.add_package("clinical", "gimp", dry_run=True, today=TODAY)
    assert pickle.loads(pickle.dumps(r)) == r
    assert pickle.loads(pickle.dumps(r)).diff == r.diff
    out = tmp_path / "out"
    e.generate(out, today=TODAY)
    (out / "outputs.nix").write_text("changed\n")
    (drift,) = e.generate(out, check=True, today=TODAY)
    assert (drift.kind, drift.path) == ("changed", "outputs.nix")
    assert pickle.loads(pickle.dumps(drift)) == drift


def test_load_error_pickles_with_its_diagnostics():
    with pytest.raises(nhos.LoadError) as info:
        nhos.load(CORPUS / "load-wrong-types")
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is nhos.LoadError and str(back) == str(info.value)
    assert back.diagnostics == info.value.diagnostics


def _worker_load(path):
    return nhos.load(path).validate(today=TODAY)


def test_process_pool_returns_values_and_raises_load_error():
    with ProcessPoolExecutor(max_workers=2) as pool:
        report = pool.submit(_worker_load, str(EXAMPLE)).result()
        assert report == nhos.load(EXAMPLE).validate(today=TODAY)
        with pytest.raises(nhos.LoadError) as info:
            pool.submit(_worker_load, str(CORPUS / "load-wrong-types")).result()
    assert info.value.diagnostics[0].code == "NHOS102"


def test_os_errors_carry_errno_and_filename(tmp_path):
    missing = tmp_path / "missing"
    with pytest.raises(FileNotFoundError) as info:
        nhos.load(missing)
    assert info.value.errno == errno.ENOENT
    assert info.value.filename == str(missing)
    assert "No such file" in info.value.strerror


def test_unreadable_root_is_permission_error_not_missing_estate(tmp_path):
    """An estate directory nhos may not read is a PermissionError naming it, not
    "no estate.toml". Root reads everything, so as root (CI) the load runs without
    the capabilities that let root ignore permissions."""
    import subprocess
    import sys

    d = tmp_path / "estate"
    shutil.copytree(EXAMPLE, d)
    code = (
        "import errno, nhos, sys\n"
        "try:\n    nhos.load(sys.argv[1])\n"
        "except PermissionError as e:\n"
        "    assert e.errno == errno.EACCES and e.filename == sys.argv[1], (e.errno, e.filename)\n"
        "    print('permission error')\n"
    )
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    d.chmod(0)
    try:
        r = subprocess.run(
            [*prefix, sys.executable, "-c", code, str(d)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    finally:
        d.chmod(0o755)
    assert r.stdout.strip() == "permission error", r.stderr


def test_nul_in_a_path_is_value_error():
    for call in (
        lambda: nhos.load("exam\0ple"),
        lambda: nhos.load_git("exam\0ple", "HEAD"),
        lambda: nhos.load_many(["ok", "exam\0ple"]),
        lambda: nhos.load(EXAMPLE).generate("out\0dir", today=TODAY),
    ):
        with pytest.raises(ValueError, match="null byte"):
            call()
    with pytest.raises(ValueError):
        open("exam\0ple")  # the same as Python's own


def test_days_may_be_dates():
    e = nhos.load(EXAMPLE)
    assert e.validate(today=datetime.date(2026, 11, 23)) == e.validate(today=TODAY)
    assert e.validate(today=datetime.date(2026, 11, 23)).today == TODAY
    with pytest.raises(TypeError, match="time zone"):
        e.validate(today=datetime.datetime(2026, 11, 23, 12, 0))
    with pytest.raises(TypeError):
        e.validate(today=20261123)


def test_reload_sees_an_edit(estate_dir):
    e = nhos.load(estate_dir)
    assert "gimp" not in e.profile("clinical").packages
    e.add_package("clinical", "gimp", today=TODAY)
    assert "gimp" not in e.profile("clinical").packages  # as loaded
    assert "gimp" in e.reload().profile("clinical").packages


def test_every_public_member_has_a_docstring():
    missing = []
    for name in nhos.__all__:
        if name == "__version__":
            continue
        obj = getattr(nhos, name)
        if not (obj.__doc__ or "").strip():
            missing.append(name)
        if isinstance(obj, type) and obj.__module__ == "nhos._nhos":
            for member, value in vars(obj).items():
                if member.startswith("_"):
                    continue
                if not (getattr(value, "__doc__", None) or "").strip():
                    missing.append(f"{name}.{member}")
    assert missing == [], f"public members without a docstring: {missing}"
    # The check is not vacuous: it sees the members.
    assert "fingerprint" in vars(nhos.Finding) and "reload" in vars(nhos.Estate)


def test_values_are_not_constructible():
    for cls in (nhos.Report, nhos.Finding, nhos.Plan, nhos.Estate):
        with pytest.raises(TypeError):
            cls()
