"""Rendering executed notebooks into reports a DPO can file.

HTML: nbconvert's ``HTMLExporter`` with the package's ``report`` template, code
cells hidden, plotly.js embedded once per page and no network reference (see
DESIGN.md, "The toolchain, as measured"). PDF: headless Chromium's
``Page.printToPDF`` on that HTML, in tabs of one browser (``browser.py``), with every
proxy pointed at a closed port so a page that tried to fetch anything would print
without it.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import nbformat

from juro_privacy.errors import RenderError
from juro_privacy.paths import templates_dir
from juro_privacy.run.browser import Browser
from juro_privacy.topics.flows.geo import geo_assets_script, uses_map

PLOTLY_MIME = "application/vnd.plotly.v1+json"
#: The tag of cells whose output is for the DPO only (request ids): a report drops it.
INTERNAL_TAG = "internal"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # offline: any request other than file:// goes to a closed local port
    "--proxy-server=socks5://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
)
#: What a report draws, best first: plotly figures, then static outputs. Widgets and
#: raw JavaScript outputs are not drawn (a report runs no notebook code).
DISPLAY_PRIORITY = (
    PLOTLY_MIME,
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/plain",
)
#: A tag or CSS rule that would make the page fetch something over the network.
NETWORK_REFERENCE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//"""
    r"""|@import\s+url\(\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1)
def plotly_js() -> str:
    """plotly.js as shipped in the installed plotly package."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


@functools.lru_cache(maxsize=1)
def _exporter() -> object:
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config(
        {
            "NbConvertBase": {"display_data_priority": list(DISPLAY_PRIORITY)},
            "TagRemovePreprocessor": {"remove_all_outputs_tags": {INTERNAL_TAG}},
        }
    )
    # nbconvert's own templates (``lab``) live under the prefix that installed it: a
    # virtual environment that borrows system site-packages must still find them.
    bases = [str(templates_dir())]
    for prefix in {sys.prefix, sys.base_prefix}:
        stock = Path(prefix) / "share" / "jupyter" / "nbconvert" / "templates"
        if stock.is_dir():
            bases.append(str(stock))
    exporter = HTMLExporter(
        config=config,
        template_name="report",
        extra_template_basedirs=bases,
        extra_template_paths=bases[1:],
    )
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.exclude_anchor_links = True
    return exporter


def has_plotly(nb: nbformat.NotebookNode) -> bool:
    return any(
        PLOTLY_MIME in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )


def _geo_assets(nb: nbformat.NotebookNode) -> str:
    """The bundled world outline as a script, when a figure draws a map (``geo.py``)."""
    figures = [
        out["data"][PLOTLY_MIME]
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if PLOTLY_MIME in out.get("data", {})
    ]
    return geo_assets_script() if uses_map(figures) else ""


def notebook_to_html(nb: nbformat.NotebookNode, *, title: str, footer: str = "") -> str:
    """Render an executed notebook to one self-contained HTML page."""
    nb = nbformat.from_dict(nb)
    nb.metadata["title"] = title
    for cell in nb.cells:  # papermill gives the cell it injects a random id: pin it
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    resources = {
        "plotly_js": plotly_js() if has_plotly(nb) else "",
        "geo_assets": _geo_assets(nb),
        "footer": footer,
    }
    try:
        body, _ = _exporter().from_notebook_node(nb, resources=resources)  # type: ignore[attr-defined]
    except Exception as exc:  # nbconvert raises template and filter errors of many types
        raise RenderError(f"could not render {title} to HTML: {exc}") from exc
    html = str(body)
    if m := NETWORK_REFERENCE.search(html):
        raise RenderError(f"{title}: the rendered page references the network ({m.group(0)!r})")
    return html


def find_chromium() -> str | None:
    """Path of a Chromium executable: ``$JURO_CHROMIUM``, else the first on ``PATH``."""
    explicit = os.environ.get("JURO_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_path: Path, pdf_path: Path, *, chromium: str, timeout: float = 120) -> None:
    """Print ``html_path`` to ``pdf_path`` (A4, no header or footer) with headless
    Chromium: one browser for this one page (a run prints through :class:`Printer`)."""
    with Browser(chromium, CHROMIUM_FLAGS) as browser:
        browser.print_pdf(html_path, pdf_path, timeout=timeout)


class Printer:
    """Prints HTML pages to PDF in the background, ``jobs`` at a time, in tabs of one
    headless Chromium (``browser.Browser``), so that a report is printed while the other
    notebooks still execute and no page pays for starting a browser (issue 13: printing
    after the last notebook, one Chromium per page, made a run with PDFs 1.7 times one
    without). :meth:`add` queues a page; :meth:`finish` waits and returns the PDFs in
    the order added, or raises the first :class:`RenderError`. Used as a context
    manager: leaving it on an error cancels what is queued, waits for the pages being
    printed and closes the browser."""

    def __init__(self, *, chromium: str, jobs: int) -> None:
        self.chromium = chromium
        self._pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="pdf")
        # started in the background: the first page waits for it, the run does not
        self._browser: Future[Browser] = self._pool.submit(Browser, chromium, CHROMIUM_FLAGS)
        self._queued: list[tuple[Path, Future[None]]] = []

    def _print(self, html_path: Path, pdf_path: Path) -> None:
        self._browser.result().print_pdf(html_path, pdf_path)

    def add(self, html_path: Path) -> None:
        """Queue ``html_path`` to be printed to the ``.pdf`` beside it."""
        pdf = html_path.with_suffix(".pdf")
        self._queued.append((pdf, self._pool.submit(self._print, html_path, pdf)))

    def finish(self) -> list[Path]:
        """Every queued page printed: the PDFs, in the order they were queued."""
        for _, future in self._queued:
            future.result()  # the first failure, a RenderError, is raised here
        missing = [p.name for p, _ in self._queued if not p.is_file()]
        if missing:
            raise RenderError(f"PDF not written: {', '.join(missing)}")
        return [p for p, _ in self._queued]

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=exc[0] is not None)
        if self._browser.done() and self._browser.exception() is None:
            self._browser.result().close()
