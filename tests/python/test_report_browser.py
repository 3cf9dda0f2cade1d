"""`nhos report`: the compliance report of the example estate and of a broken
variant opens in headless Chromium (Debian's `chromium`); the rendered DOM has the
matrix (a cell per rule and profile, the broken rule red for its profile), the
counts the JSON report gives, and definition-line links that land; screenshots and
a PDF print are kept in target/test-artefacts/. Chromium is required."""

import json
import re
import shutil

from conftest import EXAMPLE, TODAY, cli
from test_notebook import ARTEFACTS, browse


def report(estate, name: str) -> tuple[str, dict]:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    html = ARTEFACTS / f"{name}.html"
    r = cli("report", str(estate), "-o", str(html), "--today", TODAY)
    assert r.returncode == 0, r.stderr
    dom = browse(html, "--dump-dom")
    assert dom.returncode == 0, dom.stderr
    shot = browse(html, f"--screenshot={ARTEFACTS / (name + '.png')}", "--window-size=1280,2400")
    assert shot.returncode == 0 and (ARTEFACTS / f"{name}.png").exists(), shot.stderr
    pdf = browse(html, f"--print-to-pdf={ARTEFACTS / (name + '.pdf')}", "--no-pdf-header-footer")
    assert pdf.returncode == 0 and (ARTEFACTS / f"{name}.pdf").read_bytes().startswith(b"%PDF"), pdf.stderr
    v = json.loads(cli("validate", str(estate), "--format", "json", "--today", TODAY).stdout)
    return dom.stdout, v


def count(dom: str, ident: str) -> int:
    m = re.search(rf'id="{ident}">(\d+)<', dom)
    assert m, ident
    return int(m.group(1))


def test_the_report_renders_with_its_matrix_counts_and_links(tmp_path) -> None:
    dom, v = report(EXAMPLE, "report-example")
    profiles = int(re.search(r'id="profile-count">(\d+)<', dom).group(1))
    rules = len(set(re.findall(r'data-rule="([A-Z0-9]+)"', dom)))
    assert len(re.findall(r'<td class="cell ', dom)) == rules * profiles
    for key, ident in (("errors", "count-errors"), ("warnings", "count-warnings"), ("waived", "count-waived")):
        assert count(dom, ident) == v["summary"][key], key
    ids = set(re.findall(r' id="([^"]+)"', dom))
    links = re.findall(r'href="#([^"]+)"', dom)
    assert any(link.startswith("src-") for link in links)
    assert all(link in ids for link in links), [link for link in links if link not in ids][:5]

    broken = tmp_path / "broken"
    shutil.copytree(EXAMPLE, broken)
    r = cli("edit", str(broken), "set", "clinical", "screen.lock-enabled", "false", "--allow-errors")
    assert r.returncode == 0, r.stderr
    dom2, v2 = report(broken, "report-broken")
    assert count(dom2, "count-errors") == v2["summary"]["errors"] > v["summary"]["errors"]
    assert re.search(r'<td class="cell fail" data-rule="R5" data-profile="clinical">fail</td>', dom2)
    assert not re.search(r'<td class="cell fail" data-rule="R5" data-profile="clinical">', dom)
