"""The complaints topic on a workbook: the complaints of a period, findings, metrics.

The only module of the topic that touches a :class:`Workbook`; the rules it applies
(DPA 2018 s. 164A(3)) are in :mod:`juro_privacy.topics.complaints.analysis`. The
workbook's settings (``small_count_threshold``, ``complaint_routes``) are read here and
passed on. ``complaints`` is an optional table: without it there is no evidence, and
every metric is ``None``.
"""

from __future__ import annotations

import pandas as pd

from juro_privacy.periods import Period
from juro_privacy.topics.complaints.analysis import (
    COLUMNS,
    assess_complaints,
    complaints_findings,
    handled_in,
    metrics,
)
from juro_privacy.workbook.load import Workbook
from juro_privacy.workbook.schemas import METRICS

#: The metrics this topic publishes (``complaints.*`` of the data contract).
METRIC_NAMES = tuple(name for name in METRICS if name.startswith("complaints."))


def jurisdictions(wb: Workbook) -> dict[str, object]:
    """Each site's ``jurisdiction`` (``sites``): the regime of the processing done there."""
    sites = wb.sites
    return dict(zip(sites["site_id"].astype(str), sites["jurisdiction"], strict=True))


def complaints_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The complaints the report of ``period`` covers, judged as of its last day (see
    :func:`~juro_privacy.topics.complaints.analysis.assess_complaints` and
    :func:`~juro_privacy.topics.complaints.analysis.handled_in`); an empty frame when
    the workbook has no complaints table."""
    if "complaints" not in wb.tables:
        return pd.DataFrame(columns=COLUMNS)
    assessed = assess_complaints(wb.complaints, jurisdictions(wb), period.end)
    return handled_in(assessed, period)


def findings_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The complaint findings of ``period`` (late and overdue acknowledgements)."""
    return complaints_findings(complaints_for(wb, period), wb.config.small_count_threshold)


def metrics_for(wb: Workbook, period: Period) -> dict[str, float | None]:
    """``complaints.*``: ``None`` when the workbook has no complaints table (no evidence,
    not a zero)."""
    if "complaints" not in wb.tables:
        return dict.fromkeys(METRIC_NAMES)
    return {name: value for name, value in metrics(complaints_for(wb, period)).items()}
