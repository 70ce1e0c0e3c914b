"""The accountability topic on a workbook: every topic's findings, the claims, the areas.

The only module of the topic that touches a :class:`Workbook`, the run's cache or the
earlier runs (through :mod:`juro_privacy.workbook.history`). It collects from every
topic beneath it in the registry, through their ``api.findings_for`` (Art. 5(2): the
controller must be able to demonstrate compliance).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from juro_privacy import run_cache
from juro_privacy.findings import FINDING_COLUMNS
from juro_privacy.periods import Period
from juro_privacy.registry import TOPICS
from juro_privacy.topics import hooks
from juro_privacy.topics.accountability.analysis import (
    Figures,
    area_status,
    findings_trend,
    open_findings,
    period_summary,
)
from juro_privacy.topics.accountability.claims import evaluate_claims
from juro_privacy.topics.metrics import compute_metrics
from juro_privacy.workbook.history import FINDINGS_FILE, earlier_summary
from juro_privacy.workbook.load import Workbook


@run_cache.shared
def collect_findings(wb: Workbook, period: Period) -> pd.DataFrame:
    """Every topic's findings for ``period`` in one frame (no personal identifiers)."""
    frames = [find(wb, period) for _topic, find in hooks("findings_for", below="accountability")]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    collected: pd.DataFrame = pd.concat(frames, ignore_index=True)[FINDING_COLUMNS]
    return collected


def evidence_for(wb: Workbook, values: Mapping[str, float | None]) -> dict[str, bool]:
    """Whether the workbook holds records each area is judged by, as the registry
    declares them (:attr:`~juro_privacy.registry.Topic.evidence`): a table with a record,
    or a metric with a value (a retention metric exists only when its engine counted
    some accounts). ``values`` are the period's metrics
    (:func:`~juro_privacy.topics.metrics.compute_metrics`). Areas that declare nothing
    (the register, transfers) are judged on the activities, which are never empty."""

    def held(source: str) -> bool:
        if "." in source:
            return values.get(source) is not None
        frame = wb.tables.get(source)
        return frame is not None and not frame.empty

    return {t.area: any(held(s) for s in t.evidence) for t in TOPICS if t.evidence}


def figures_for(wb: Workbook, period: Period) -> Figures:
    """Every topic's findings, the claims, each area's status and the manifest summary
    for ``period``, the metrics behind them computed once (within a run, read from the
    run's cache)."""
    findings = collect_findings(wb, period)
    values = compute_metrics(wb, period)
    claims = evaluate_claims(wb.policy_claims, values)
    areas = area_status(findings, evidence_for(wb, values))
    return Figures(findings, claims, areas, period_summary(findings, areas, claims, values))


def claims_for(wb: Workbook, period: Period) -> pd.DataFrame:
    """The policy claims evaluated against this period's metrics."""
    return evaluate_claims(wb.policy_claims, compute_metrics(wb, period))


def open_findings_for(wb: Workbook, period: Period, findings: pd.DataFrame) -> pd.DataFrame:
    """:func:`open_findings` with the workbook's actions and risks, as of the period's end."""
    return open_findings(findings, wb.tables.get("actions"), wb.tables.get("risks"), period.end)


def trend_in(
    out: str | Path | None,
    period: Period,
    current: pd.DataFrame | dict[str, Any],
    quarters: int = 8,
) -> pd.DataFrame:
    """The last ``quarters`` periods, each earlier one read from its run in the reports
    folder ``out`` (:func:`~juro_privacy.workbook.history.earlier_summary`)."""
    summaries = [
        (q.label, earlier_summary(Path(out) / q.label if out else None))
        for q in period.trailing_quarters(quarters)
    ]
    return findings_trend(summaries, current, period.label)


def trend_for(
    previous_dir: str | None, period: Period, current: pd.DataFrame | dict[str, Any]
) -> pd.DataFrame:
    """:func:`trend_in` for a notebook: the reports folder is the previous run's parent."""
    return trend_in(Path(previous_dir).parent if previous_dir else None, period, current)


def exports_for(wb: Workbook, period: Period) -> dict[str, pd.DataFrame]:
    """``findings.csv``: the period's findings (no identifiers), for next quarter's
    comparison and trend."""
    return {FINDINGS_FILE: collect_findings(wb, period)}
