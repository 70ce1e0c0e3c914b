"""The breaches topic on a workbook: the breaches judged, their findings, metrics and trend.

The only module of the topic that touches a :class:`Workbook` or the run's cache; the
rules are in :mod:`juro_privacy.topics.breaches.analysis`. The workbook's settings (time
zone, small-count threshold), each office's clock, the processors' contractual windows
and the EU lead authority's country are read here and passed on. No export: the
breaches table holds breach ids and descriptions, which no shareable file may show.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from juro_privacy import run_cache
from juro_privacy.periods import Period
from juro_privacy.topics.breaches.analysis import (
    Judged,
    assess_breaches,
    breach_findings,
    end_of,
    metrics,
    of_period,
    pooled,
    quarters,
)
from juro_privacy.workbook.load import Workbook

#: The country whose authority leads for the GDPR when no EU office says otherwise.
DEFAULT_EU_COUNTRY = "LV"


def _settings(wb: Workbook) -> dict[str, Any]:
    """Each office's time zone, each processor's breach-notice window (hours) and the
    country of the EU lead authority: that of the first EU office with a jurisdiction
    (the main establishment, GDPR Art. 56; for the sample, Riga: the DVI)."""
    sites = wb.tables.get("sites")
    zones = {} if sites is None else dict(zip(sites["site_id"], sites["timezone"], strict=True))
    processors = wb.tables.get("processors")
    windows = (
        {}
        if processors is None
        else {
            str(p): h
            for p, h in zip(
                processors["processor_id"], processors["breach_notice_hours"], strict=True
            )
            if pd.notna(h)
        }
    )
    eu = DEFAULT_EU_COUNTRY
    if sites is not None:
        judged = sites[sites["jurisdiction"].notna() & (sites["country"] != "GB")]
        if not judged.empty:
            eu = str(judged["country"].iloc[0])
    return {"office_zones": zones, "notice_hours": windows, "eu_country": eu}


def _breaches(wb: Workbook) -> pd.DataFrame:
    frame = wb.tables.get("breaches")
    return frame if frame is not None else pd.DataFrame(columns=["breach_id"])


@run_cache.shared
def breaches_for(wb: Workbook, period: Period) -> Judged:
    """The breaches ``period`` covers, judged as of its end
    (:func:`~juro_privacy.topics.breaches.analysis.of_period`)."""
    as_of = end_of(period, wb.config.timezone)
    return of_period(assess_breaches(_breaches(wb), as_of, **_settings(wb)), period)


def findings_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The breach findings of ``period`` (see
    :func:`~juro_privacy.topics.breaches.analysis.breach_findings`)."""
    return breach_findings(
        breaches_for(wb, period).breaches, threshold=wb.config.small_count_threshold
    )


def metrics_for(wb: Workbook, period: Period) -> dict[str, float | None]:
    """The ``breaches.*`` metrics of ``period``, exact; none without a breaches table
    (no evidence, not a zero)."""
    if "breaches" not in wb.tables:
        return {}
    values: dict[str, float | None] = dict(metrics(breaches_for(wb, period).breaches))
    return values


def quarters_for(wb: Workbook, period: Period, count: int = 8) -> list[tuple[Period, Judged]]:
    """The trend quarters ending with ``period``, each judged as of its own end."""
    table = _breaches(wb)
    if table.empty:
        return []
    return quarters(table, period, timezone=wb.config.timezone, count=count, **_settings(wb))


def pooled_for(wb: Workbook, period: Period, count: int = 8) -> Judged:
    """Every breach of the trend's quarters, each once (for the eight-quarter figures)."""
    return pooled(quarters_for(wb, period, count))
