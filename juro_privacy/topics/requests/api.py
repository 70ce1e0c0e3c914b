"""The requests topic on a workbook: the requests handled, their findings, metrics and trend.

The only module of the topic that touches a :class:`Workbook` or the run's cache; the
rules it applies are in :mod:`juro_privacy.topics.requests.analysis`, the protected counts
in :mod:`~juro_privacy.topics.requests.counts`, the trend in
:mod:`~juro_privacy.topics.requests.trend`. The workbook's settings
(``forward_target_working_days``, ``small_count_threshold``) are read here and passed on.
"""

from __future__ import annotations

import math

import pandas as pd

from juro_privacy import run_cache
from juro_privacy.periods import Period
from juro_privacy.topics.requests.analysis import assess_period, metrics, requests_findings
from juro_privacy.topics.requests.counts import finding_counts
from juro_privacy.topics.requests.trend import Quarter, quarters
from juro_privacy.workbook.load import Workbook


@run_cache.shared
def requests_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """The requests ``workbook`` handled in ``period``, judged as of its last day (see
    :func:`~juro_privacy.topics.requests.analysis.assess_period`)."""
    return assess_period(
        workbook.requests,
        workbook.sites,
        period,
        forward_target_working_days=workbook.config.forward_target_working_days,
    )


@run_cache.shared
def findings_for(workbook: Workbook, period: Period) -> pd.DataFrame:
    """The request findings of ``workbook`` for ``period`` (see
    :func:`~juro_privacy.topics.requests.analysis.requests_findings`), their counts
    printed as the report's tables print them
    (:func:`~juro_privacy.topics.requests.counts.finding_counts`)."""
    handled = requests_for(workbook, period)
    threshold = workbook.config.small_count_threshold
    return requests_findings(
        handled,
        threshold=threshold,
        forward_target_working_days=workbook.config.forward_target_working_days,
        counts=finding_counts(handled, threshold),
    )


def metrics_for(workbook: Workbook, period: Period) -> dict[str, float | None]:
    """The request metrics (``requests.*``) of ``period``, exact (see
    :func:`~juro_privacy.topics.requests.analysis.metrics`); a rate with nothing to
    judge is ``None``, not NaN."""
    values = metrics(requests_for(workbook, period))
    return {name: None if math.isnan(value) else float(value) for name, value in values.items()}


def quarters_for(workbook: Workbook, period: Period, count: int = 8) -> list[Quarter]:
    """The trend quarters of ``workbook`` ending with ``period``, each judged as of its own
    end (see :func:`~juro_privacy.topics.requests.trend.quarters`)."""
    return quarters(
        workbook.requests,
        workbook.sites,
        period,
        count=count,
        forward_target_working_days=workbook.config.forward_target_working_days,
    )
