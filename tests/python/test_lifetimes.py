"""Objects outlive what made them, and are safe to use from several threads."""

import gc
from concurrent.futures import ThreadPoolExecutor

import nhos
from conftest import EXAMPLE, TODAY


def test_report_and_profile_outlive_their_estate():
    e = nhos.load(EXAMPLE)
    report = e.validate(today=TODAY)
    profile = e.profile("kiosk")
    setting = profile.settings["kiosk.url"]
    del e
    gc.collect()
    assert report.summary["waived"] == 4
    assert profile.linearization == ["kiosk", "baseline"]
    assert setting.value == "https://checkin.evt.nhs.uk"
    assert report.findings[0].fingerprint


def test_threads_share_one_estate():
    e = nhos.load(EXAMPLE)
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: e.validate(today=TODAY).to_json(), range(16)))
        plans = list(pool.map(lambda _: nhos.plan(e, e, today=TODAY, nix_diff=False).is_empty, range(8)))
    assert len(set(reports)) == 1 and all(plans)
