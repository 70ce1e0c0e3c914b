"""The flows topic on a workbook: the flow table, its findings, metrics and export.

The only module of the topic that touches a :class:`Workbook` or the run's cache; the
rules it applies are in :mod:`juro_privacy.topics.flows.analysis`.
"""

from __future__ import annotations

import math

import pandas as pd

from juro_privacy import run_cache
from juro_privacy.periods import Period
from juro_privacy.topics.flows.analysis import (
    build_flows,
    flow_findings,
    metrics,
    transfers_by_activity,
)
from juro_privacy.workbook.load import Workbook


@run_cache.shared
def flows_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """The flow table of ``workbook`` for ``period`` (see :func:`build_flows`)."""
    return build_flows(
        workbook.activities, workbook.sites, workbook.processors, workbook.categories, period
    )


@run_cache.shared
def findings_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """The flow findings of ``workbook`` for ``period`` (see :func:`flow_findings`)."""
    return flow_findings(
        flows_for(workbook, period),
        period,
        review_months=workbook.config.transfer_assessment_review_months,
    )


def metrics_for(workbook: Workbook, period: Period) -> dict[str, float | None]:
    """The transfer metrics (``transfers.*``) of ``period``: counts of findings."""
    return {
        k: None if math.isnan(v) else v for k, v in metrics(findings_for(workbook, period)).items()
    }


def exports_for(workbook: Workbook, period: Period) -> dict[str, pd.DataFrame]:
    """``flows.csv``: the flow table with every column, for filtering in a spreadsheet."""
    return {"flows.csv": flows_for(workbook, period)}


def transfers_for(workbook: Workbook, period: Period) -> pd.Series:
    """Art. 30(1)(e) for each activity: its third-country transfers and their basis."""
    return transfers_by_activity(flows_for(workbook, period))
