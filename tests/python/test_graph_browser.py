"""`nhos graph --format svg` renders in headless Chromium (Debian's `chromium`):
the rendered DOM holds every profile's box and each inheritance arrow with its
accessible title, and a screenshot (kept in target/test-artefacts/) shows the
concrete profiles in NHS Blue. Chromium is required: a missing browser fails."""

from conftest import EXAMPLE, cli
from PIL import Image
from test_notebook import ARTEFACTS, BLUE, browse, near


def test_the_estate_graph_renders_in_a_browser() -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    svg = ARTEFACTS / "estate-graph.svg"
    r = cli("graph", str(EXAMPLE), "--format", "svg", "-o", str(svg))
    assert r.returncode == 0, r.stderr
    dom = browse(svg, "--dump-dom")
    assert dom.returncode == 0, dom.stderr
    for profile in ("baseline", "site", "admin", "analyst", "clinical", "dr", "kiosk", "server"):
        assert f'data-profile="{profile}"' in dom.stdout, profile
    assert "clinical inherits from admin" in dom.stdout
    assert 'role="img"' in dom.stdout and "<title" in dom.stdout
    shot = ARTEFACTS / "estate-graph.png"
    r = browse(svg, f"--screenshot={shot}", "--window-size=640,740")
    assert r.returncode == 0 and shot.exists(), r.stderr
    data = Image.open(shot).convert("RGB").tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    blue = sum(1 for p in pixels if near(p, BLUE))
    assert blue > 5000, f"{blue} NHS Blue pixels: the concrete profiles are not drawn"
