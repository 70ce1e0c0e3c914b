"""Every HTML report of a sample run, opened in Chromium with the network cut off: no
request attempted, no console error, every chart drawn, the headline figures shown.
Screenshots go to ``ci-artifacts/`` (git-ignored) for a person to look at."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from juro_privacy.run.render import find_chromium
from tests.conftest import SampleRun

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[2] / "ci-artifacts"
#: What plotly draws for a trace, whatever its type (bars, points, map shapes, a
#: heatmap's image, a Sankey's nodes, pie slices, table cells).
MARKS = "g.trace, g.sankey-node, path.sankey-link, g.hm, g.slice, g.table, g.indicator"
CHARTS = f"""() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(d => ({{
    traces: (d._fullData || []).length,
    marks: d.querySelectorAll('{MARKS}').length,
    title: ((d.layout || {{}}).title || {{}}).text || '',
    svgText: Array.from(d.querySelectorAll('svg text')).map(t => t.textContent).join(' '),
}}))"""


@pytest.fixture(scope="module")
def folder(sample_run: SampleRun) -> Path:
    """The sample's reports (the session's run, ``tests/conftest.py``)."""
    if find_chromium() is None:
        pytest.skip("Chromium is not installed")
    return sample_run.q3


#: Reports drawn without a chart: the index, and the breach and complaint reports, whose
#: figures are counts of a few incidents a quarter that the small-count rule prints as
#: "<N" (a chart would either draw what the tables hide or draw nothing).
UNCHARTED = {"index.html", "breaches.html", "complaints.html"}


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def test_reports_open_offline_and_draw_every_chart(folder):
    chromium = find_chromium()
    assert chromium is not None
    ARTIFACTS.mkdir(exist_ok=True)
    headlines = {
        "register.html": f"{_rows(folder / 'register.csv')} processing activities",
        "flows.html": f"{_rows(folder / 'flows.csv')} flows",
    }
    pages = sorted(folder.glob("*.html"))
    assert {"index.html", "register.html", "flows.html", "requests.html"} <= {p.name for p in pages}
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for path in pages:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                requests: list[str] = []
                errors: list[str] = []

                def block(route, requests=requests):
                    if route.request.url.startswith("file:"):
                        route.continue_()
                    else:
                        requests.append(route.request.url)
                        route.abort()

                page.route("**/*", block)
                page.on(
                    "console",
                    lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None,
                )
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(path.as_uri(), wait_until="load")
                charts = page.evaluate(CHARTS)
                text = page.inner_text("body")
                page.screenshot(path=str(ARTIFACTS / f"{path.stem}.png"), full_page=True)
                page.close()

                assert requests == [], f"{path.name} tried the network: {requests}"
                assert errors == [], f"{path.name} logged errors: {errors}"
                for i, chart in enumerate(charts, start=1):
                    assert chart["traces"] > 0 and chart["marks"] > 0, f"{path.name} chart {i}"
                    if chart["title"]:
                        assert chart["title"].split("<")[0][:30] in chart["svgText"], path.name
                if path.name not in UNCHARTED:
                    assert charts, f"{path.name} has no chart"
                    assert "Larkspur Online Limited" in text and "2026-Q3" in text, path.name
                if path.name in headlines:
                    assert headlines[path.name] in text, path.name
        finally:
            browser.close()
