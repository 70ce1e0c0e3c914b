"""The analyst's JupyterLab draws the flows notebook's map with the network cut off.

A JupyterLab server on a free local port (a token, config and data folders of its own,
so the notebook is not trusted), holding the flows notebook executed on the bundled
sample, opened in headless Chromium with every request that is not to that server
aborted and recorded. JupyterLab's plotly extension draws each figure from its JSON
mimetype: the map must draw its countries and ask for nothing (issue 17: it used to ask
``cdn.plot.ly`` for ``world_110m.json``, twice, and stay empty). A figure that does need
plotly.js's own outline, opened the same way, is the control: its request is caught.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from juro_privacy.paths import notebooks_dir
from juro_privacy.run.render import PLOTLY_MIME, find_chromium
from juro_privacy.topics.flows import geo
from juro_privacy.topics.flows.charts import LAND_COLOUR, PANEL_SHAPES, STATUS_COLOURS

pytestmark = pytest.mark.slow

#: Screenshots for a person to look at (git-ignored), as tests/e2e/test_browser.py does.
ARTIFACTS = Path(__file__).resolve().parents[2] / "ci-artifacts"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: What the page shows of a plotly map, per geo subplot: each filled shape's colour,
#: how many polygons its path holds (one ``M`` each) and its size on screen.
MAP_SHAPES = """() => {
  const plot = [...document.querySelectorAll('.jp-RenderedPlotly')]
    .find(e => e.querySelector('g.geo'));
  if (!plot) return null;
  return [...plot.querySelectorAll('g.geo')].map(g => ({
    panel: g.getAttribute('class'),
    width: g.getBBox().width,
    shapes: [...g.querySelectorAll('path.js-line')]
      .map(p => ({fill: getComputedStyle(p).fill,
                  parts: ((p.getAttribute('d') || '').match(/M/g) || []).length,
                  width: p.getBBox().width}))
      .filter(s => s.fill !== 'none'),
  }));
}"""


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lab:
    base: str
    token: str
    root: Path
    browser: Browser

    def contents(self, name: str) -> dict:
        request = urllib.request.Request(
            f"{self.base}/api/contents/{name}?content=1",
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)


@dataclass
class Opened:
    page: Page
    blocked: list[str]
    failed: list[str]
    #: MAP_SHAPES as first drawn, before anything scrolls the page
    shapes: list[dict]
    #: outputs drawn by JupyterLab's plotly extension, then
    plotly_outputs: int
    #: what was blocked and what failed while the flows notebook opened and drew
    blocked_opening: list[str]
    failed_opening: list[str]


def _wait_for_server(base: str, token: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "the JupyterLab server stopped"
        try:
            request = urllib.request.Request(
                f"{base}/api/status", headers={"Authorization": f"token {token}"}
            )
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the JupyterLab server did not start in 120 s")


def _control_notebook(path: Path) -> None:
    """One output: a country placed by its code, which plotly.js draws from its outline."""
    fig = go.Figure(go.Choropleth(locations=["USA"], z=[1], locationmode="ISO-3"))
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    cell = nbformat.v4.new_code_cell("fig", id="control")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={PLOTLY_MIME: fig.to_plotly_json()})
    ]
    nb.cells.append(cell)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    import papermill as pm

    chromium = find_chromium()
    assert chromium, "Chromium is needed (apt-get install chromium)"
    root = tmp_path_factory.mktemp("lab")
    home = tmp_path_factory.mktemp("lab-home")
    env = dict(os.environ)
    for name in (
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_DATA_DIR",  # its own notary database: nothing is trusted
        "JUPYTER_RUNTIME_DIR",
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
    ):
        (home / name).mkdir()
        env[name] = str(home / name)
    port, token = _free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.allow_root=True",
            # the server itself fetches nothing either: no news, no update check
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # the notebook executes while the server starts
        pm.execute_notebook(
            str(notebooks_dir() / "flows.ipynb"),
            str(root / "flows.ipynb"),
            parameters={"period": "2026-Q3"},
            cwd=str(notebooks_dir()),
            progress_bar=False,
        )
        _control_notebook(root / "control.ipynb")
        _wait_for_server(base, token, server)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            try:
                yield Lab(base, token, root, browser)
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def opened(lab) -> Iterator[Opened]:
    """The flows notebook open in JupyterLab, its map drawn; every request elsewhere
    than the server aborted and recorded, and every request that failed."""
    page = lab.browser.new_page(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []
    failed: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(f"{lab.base}/"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on(
        "response", lambda r: failed.append(f"{r.url}: {r.status}") if r.status >= 400 else None
    )
    page.goto(f"{lab.base}/lab/tree/flows.ipynb?reset&token={lab.token}")
    # until the map is drawn, or it asked for something that was blocked (as the map
    # placed by country codes did, and then stayed empty)
    drawn = (
        f"() => {{ const m = ({MAP_SHAPES})(); return !!m && m.length === 2 && "
        "m.every(p => p.shapes.length > 1 && p.shapes[0].parts > 0); }"
    )
    deadline = time.monotonic() + 90
    while not page.evaluate(drawn) and not blocked and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    page.wait_for_timeout(250)  # a last request of the same drawing is recorded too
    shapes = page.evaluate(MAP_SHAPES)
    plotly_outputs = page.locator(".jp-OutputArea-output.jp-RenderedPlotly").count()
    ARTIFACTS.mkdir(exist_ok=True)
    # scrolled as a person would, to the map (it comes after the findings and the Sankey)
    page.mouse.move(320, 480)  # in the notebook, left of the outputs: a wheel on a map zooms it
    the_map = page.locator(".jp-RenderedPlotly", has=page.locator("g.geo"))
    for _ in range(40 if shapes else 0):
        top = the_map.bounding_box(timeout=5_000)
        if top is not None and top["y"] < 160:
            break
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(50)
    page.screenshot(path=str(ARTIFACTS / "flows-jupyterlab.png"))
    try:
        yield Opened(page, blocked, failed, shapes, plotly_outputs, list(blocked), list(failed))
    finally:
        page.close()


def _panel(shapes: list[dict], panel: str) -> dict:
    return next(s for s in shapes if s["panel"].split()[-1] == panel)


def test_the_flows_notebook_is_plotly_json_and_not_trusted(lab):
    executed = nbformat.read(lab.root / "flows.ipynb", as_version=4)
    figures = [
        out
        for cell in executed.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if PLOTLY_MIME in out.get("data", {})
    ]
    # the Sankey and the map, each as plotly's JSON mimetype alone
    assert [sorted(out["data"]) for out in figures] == [[PLOTLY_MIME], [PLOTLY_MIME]]
    assert not any(geo.needs_outline(out["data"][PLOTLY_MIME]) for out in figures)
    # the server does not trust the notebook (nobody signed it), and the map still draws
    served = lab.contents("flows.ipynb")["content"]
    trust = {c["metadata"].get("trusted") for c in served["cells"] if c["cell_type"] == "code"}
    assert trust == {False}


def test_the_flows_map_draws_in_jupyterlab_with_the_network_cut_off(lab, opened):
    # no request left the server and none failed (the map placed by country codes asked
    # https://cdn.plot.ly/un/world_110m.json, twice); both figures drawn by JupyterLab's
    # plotly extension (its jp-RenderedPlotly output)
    assert opened.blocked_opening == [], opened.blocked_opening
    assert opened.failed_opening == [], opened.failed_opening
    assert opened.plotly_outputs == 2
    shapes = opened.shapes
    assert shapes is not None and len(shapes) == 2, "the map was not drawn"

    # what the map's figure in the notebook asks for: per panel, the land and one
    # filled shape per destination country, in its status colour
    executed = nbformat.read(lab.root / "flows.ipynb", as_version=4)
    figure = next(
        out["data"][PLOTLY_MIME]
        for cell in executed.cells
        if cell.cell_type == "code"
        for out in cell.outputs
        if "geo" in out.get("data", {}).get(PLOTLY_MIME, {}).get("layout", {})
    )
    for panel in ("geo", "geo2"):
        drawn = _panel(shapes, panel)
        land, *countries = drawn["shapes"]
        # the land: every country of the panel's box in one path, each ring a polygon
        assert land["fill"] == _rgb(LAND_COLOUR)
        assert land["parts"] >= len(geo.shapes_within(PANEL_SHAPES[panel])) > 50
        want = Counter(
            _rgb(t["fillcolor"])
            for t in figure["data"]
            if t.get("geo") == panel and t.get("fill") == "toself" and t["name"] != "land"
        )
        assert Counter(s["fill"] for s in countries) == want, panel
        # each a country, not the globe (a ring wound the wrong way fills everything)
        assert all(0 < s["width"] < drawn["width"] / 2 for s in countries), panel
    # counted by hand from the sample's flows table: CA, CH, IE, IL and KR adequate, the
    # US and India unsafeguarded, the UK not restricted; Europe's panel reaches CH, IE,
    # IL and the UK
    colour = {s: _rgb(c) for s, c in STATUS_COLOURS.items()}
    world = Counter(s["fill"] for s in _panel(shapes, "geo")["shapes"][1:])
    europe = Counter(s["fill"] for s in _panel(shapes, "geo2")["shapes"][1:])
    assert world == {colour["adequate"]: 5, colour["unsafeguarded"]: 2, colour["not_restricted"]: 1}
    assert europe == {colour["adequate"]: 3, colour["not_restricted"]: 1}


def test_a_map_on_plotlys_own_outline_is_caught_asking_the_cdn(opened):
    """The control, opened from the file browser in the same JupyterLab: a country placed
    by its code, as the flows map was before, asks the CDN, and the request is caught."""
    page = opened.page
    opened.blocked.clear()
    opened.failed.clear()
    page.locator(".jp-DirListing-item", has_text="control.ipynb").dblclick()
    shown = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedPlotly"
    page.wait_for_selector(shown, timeout=60_000)
    deadline = time.monotonic() + 60
    while not opened.blocked and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert [u for u in opened.blocked if u.endswith("/world_110m.json")] != []
    assert all(u.startswith("https://cdn.plot.ly/") for u in opened.blocked), opened.blocked
    # and its map stays empty: no country drawn
    assert page.locator(f"{shown} path.choroplethlocation").count() == 0
