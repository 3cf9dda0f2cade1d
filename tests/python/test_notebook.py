"""Notebook views render as styled tables: the HTML of a report and a plan is
loaded in headless Chromium (Debian's `chromium`), the rendered DOM is checked, and
a screenshot is taken, kept in target/test-artefacts/ and checked for the badge
colours. Chromium is required: a missing browser fails, it does not skip."""

import pathlib
import shutil
import subprocess

import nhos
from conftest import EXAMPLE, ROOT, TODAY
from PIL import Image

ARTEFACTS = ROOT / "target" / "test-artefacts"
RED = (0xD5, 0x28, 0x1B)  # error badge
BLUE = (0x00, 0x5E, 0xB8)  # table header
YELLOW = (0xFF, 0xB8, 0x1C)  # warning badge


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is not installed (tests/run installs Debian's `chromium`)"
    return path


def browse(html_file: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args, html_file.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )


def page(body: str) -> str:
    return f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>nhos</title></head><body>{body}</body></html>'


def near(pixel, colour, tolerance=6):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


def test_report_and_plan_render_as_styled_tables(estate_dir):
    # A report with errors and warnings: the screen lock off, an off-palette accent.
    e = nhos.load(estate_dir)
    old = nhos.load(EXAMPLE)
    e.set_setting("clinical", "screen.lock-enabled", "false", allow_errors=True, today=TODAY)
    e.add_package("admin", "gimp", today=TODAY)
    e.set_branding("colours.accent", "#123456", allow_errors=True, today=TODAY)  # off the NHS palette: B2 warns
    new = e.reload()
    report = new.validate(today=TODAY)
    assert report.summary["errors"] > 0 and report.summary["warnings"] > 0
    plan = nhos.plan(old, new, today=TODAY, nix_diff=False)

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    html = ARTEFACTS / "notebook.html"
    html.write_text(page(report._repr_html_() + plan._repr_html_()), encoding="utf-8")

    dom = browse(html, "--dump-dom")
    assert dom.returncode == 0, dom.stderr
    text = dom.stdout
    n = report.summary["errors"]
    assert f">{n} {'error' if n == 1 else 'errors'}<" in text
    assert 'class="badge error">error<' in text and 'class="badge warning">warning<' in text
    for f in report.findings:
        assert f.rule in text
    first_error = next(f for f in report.findings if f.severity == "error" and f.status == "open")
    assert nhos_escape(first_error.remediation) in text
    assert f"{first_error.file}:{first_error.line}:{first_error.column}" in text
    assert "<code>gimp</code>" in text and "profiles/admin.toml" in text

    png = ARTEFACTS / "notebook.png"
    png.unlink(missing_ok=True)
    shot = browse(html, f"--screenshot={png}", "--window-size=1280,2400")
    assert shot.returncode == 0 and png.exists(), shot.stderr
    image = Image.open(png).convert("RGB")
    assert image.size == (1280, 2400)
    raw = image.tobytes()
    pixels = [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]
    counts = {name: sum(1 for p in pixels if near(p, c)) for name, c in (("red", RED), ("blue", BLUE), ("yellow", YELLOW))}
    # Badges and the header row are drawn: hundreds of pixels of each colour.
    assert all(n > 300 for n in counts.values()), counts
    # And the page is not one colour: most of it is the white background.
    white = sum(1 for p in pixels if near(p, (255, 255, 255)))
    assert white > len(pixels) // 3, white


def nhos_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")


def test_views_escape_what_the_definition_says(estate_dir):
    e = nhos.load(estate_dir)
    html = e.validate(today=TODAY)._repr_html_()
    assert "<script" not in html.lower()
    # A value with markup is shown as text.
    e.set_branding("vendor", "<b>Valley</b> & Co", allow_errors=True, today=TODAY)
    plan = nhos.plan(nhos.load(EXAMPLE), e.reload(), today=TODAY, nix_diff=False)
    out = plan._repr_html_()
    assert "&lt;b&gt;Valley&lt;/b&gt; &amp; Co" in out and "<b>Valley</b>" not in out
