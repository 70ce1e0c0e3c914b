"""Notebook helpers: set up rendering and show frames the same way everywhere.

Only notebooks call this module. It keeps plotly on its JSON mimetype (small
notebooks, stable nbval output; the report template draws it) and shows tables
as plain HTML without the index.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import plotly.io as pio
from IPython.core.display import HTML, Markdown

from juro_privacy.paths import sample_dir
from juro_privacy.periods import Period, parse_period
from juro_privacy.workbook.load import Workbook, load_shared_workbook


def setup() -> None:
    """Plotly renders as its JSON mimetype; pandas shows whole tables."""
    pio.renderers.default = "plotly_mimetype"
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_colwidth", 200)


def open_workbook(data_dir: str | None, engine: str = "") -> Workbook:
    """The workbook at ``data_dir``, or the bundled sample when it is empty, counting its
    accounts at ``engine`` (an Ibis URL; "": its accounts file). Within a quarterly run,
    the one the run validated: see :mod:`juro_privacy.run_cache`."""
    return load_shared_workbook(Path(data_dir) if data_dir else sample_dir(), engine=engine)


def period_of(workbook: Workbook, period: str | None) -> Period:
    """The period asked for, or the workbook's default."""
    return parse_period(period or workbook.config.default_period)


def table(
    frame: pd.DataFrame, empty: str = "None.", *, wide: bool | None = None
) -> HTML | Markdown:
    """A frame as an HTML table without its index; a sentence when it is empty.

    A ``wide`` table prints on landscape pages (the report template's ``@page wide``),
    with the heading just above it. By default a frame is wide when the view that made
    it says so: ``frame.attrs["page"] == "wide"`` (as ``register_view`` does).
    """
    if frame.empty:
        return Markdown(f"*{empty}*")
    if wide is None:
        wide = frame.attrs.get("page") == "wide"
    classes = "jp-table jp-wide" if wide else "jp-table"
    return HTML(frame.to_html(index=False, escape=True, na_rep="", border=0, classes=classes))


def headline(text: str) -> Markdown:
    return Markdown(text)
