"""``index.html``: the report folder's front page (``templates/index.html.j2``).

The status of every area, links to the reports (HTML, and PDF when printed), the
exports, and the inputs' SHA-256. The executed notebooks are not in the folder: the page
names the folder that holds them and their file names, as text (no link that a shared
copy would break, nothing of their content).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from juro_privacy import __version__
from juro_privacy.paths import templates_dir
from juro_privacy.periods import Period
from juro_privacy.workbook.load import Workbook


def index_html(
    wb: Workbook,
    period: Period,
    *,
    reports: Sequence[Mapping[str, Any]],
    exports: Sequence[str],
    internal_folder: str,
    internal: Sequence[str],
    inputs: Mapping[str, str],
    status: Sequence[Mapping[str, str]],
    started: dt.datetime,
) -> str:
    """The page: ``reports`` as ``{"topic", "title", "pdf"}``, ``exports`` as paths in the
    folder, ``internal`` as the executed notebooks' names in ``internal_folder`` (the audit
    trail's location), ``inputs`` as name to SHA-256, ``status`` as the board's rows
    (``area``, ``status``, ``headline``, ``report``), ``started`` the run's UTC time."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()), autoescape=True, keep_trailing_newline=True
    )
    return env.get_template("index.html.j2").render(
        organisation=wb.config.organisation,
        dpo=wb.config.dpo,
        period=period,
        reports=reports,
        exports=exports,
        internal_folder=internal_folder,
        internal=internal,
        inputs=inputs,
        status=status,
        started=started.strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
    )
