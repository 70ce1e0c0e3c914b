"""The metric registry: every figure a policy claim or a DPIA risk may cite, by a stable name.

Each topic publishes its metrics through its own ``metrics(...)`` function
(``flows.metrics``, ``requests.metrics``, ``retention_report.metrics``,
``consent.metrics``); this module names
them once (:data:`KNOWN_METRICS`), computes them for a period
(:func:`compute_metrics`) and refuses a workbook that cites a name it does not know
(:func:`metric_problems`). A metric no topic implements yet is known but has no
value: ``None``, shown as "no evidence", never as zero.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from juro_privacy import run_cache
from juro_privacy.errors import Problem, WorkbookError
from juro_privacy.periods import Period
from juro_privacy.workbook.load import Workbook

Values = dict[str, float | None]


@dataclass(frozen=True)
class Metric:
    """One figure a claim or risk may cite: ``topic.name``, what it counts, its unit."""

    name: str
    description: str
    unit: str  # "count" or "rate"
    source: str = ""  # the workbook table whose rows are the evidence; empty: no evidence

    @property
    def topic(self) -> str:
        return self.name.split(".", 1)[0]


_METRICS = (
    Metric("transfers.unsafeguarded_count", "restricted transfers without a safeguard", "count"),
    Metric(
        "transfers.undisclosed_location_count",
        "places of processing the policy does not disclose",
        "count",
    ),
    Metric("transfers.us_unencrypted_count", "transfers to the US not encrypted", "count"),
    Metric("transfers.no_dpa_count", "processors without an Art. 28 contract", "count"),
    Metric(
        "requests.on_time_rate",
        "requests answered on time over requests judged",
        "rate",
        "requests",
    ),
    Metric(
        "requests.portability_wrong_format_count",
        "portability answers not in CSV or JSON",
        "count",
        "requests",
    ),
    Metric(
        "requests.forwarding_on_time_rate",
        "requests for a customer passed on within the target",
        "rate",
        "requests",
    ),
    Metric(
        "retention.archive_overdue_count",
        "accounts past their archiving date, not archived",
        "count",
    ),
    Metric(
        "retention.delete_overdue_count", "accounts past their deletion date, not deleted", "count"
    ),
    Metric(
        "consent.sends_without_opt_in_count",
        "marketing sends without an opt-in",
        "count",
        "marketing_sends",
    ),
    Metric(
        "consent.sends_after_opt_out_count",
        "marketing sends after an opt-out",
        "count",
        "marketing_sends",
    ),
    Metric("cookies.undisclosed_count", "cookies the policy does not describe", "count", "cookies"),
    Metric("cookies.without_consent_count", "cookies set before consent", "count", "cookies"),
    Metric("cookies.too_long_count", "persistent cookies living too long", "count", "cookies"),
)

#: Every metric a claim or risk may cite, by name.
KNOWN_METRICS: dict[str, Metric] = {m.name: m for m in _METRICS}

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def _clean(values: Mapping[str, float]) -> Values:
    """NaN (nothing to judge) becomes ``None``: no evidence."""
    return {k: None if v is None or math.isnan(v) else float(v) for k, v in values.items()}


def _flows(wb: Workbook, period: Period) -> Values:
    from juro_privacy.topics.flows import analysis as flows

    return _clean(flows.metrics(flows.findings_for(wb, period)))


def _requests(wb: Workbook, period: Period) -> Values:
    from juro_privacy.topics.requests import analysis as requests

    return _clean(requests.metrics(requests.requests_for(wb, period)))


def _retention(wb: Workbook, period: Period) -> Values:
    from juro_privacy.topics.retention import report as retention_report

    if "accounts" not in wb.files:
        return {}
    summary = retention_report.summary_for(wb, period)
    if not summary["accounts"].sum():
        return {}  # no account to judge: no evidence, not a zero
    return _clean(retention_report.metrics(summary))


def _consent(wb: Workbook, period: Period) -> Values:
    from juro_privacy.topics.consent import analysis as consent

    tables = ("cookies", "consents", "marketing_sends")
    if any(t not in wb.tables for t in tables):
        return {}
    return _clean(consent.metrics_for(wb, period))


#: Each topic's publisher: a workbook and a period in, its metrics out.
PUBLISHERS: tuple[Callable[[Workbook, Period], Values], ...] = (
    _flows,
    _requests,
    _retention,
    _consent,
)


@run_cache.shared
def compute_metrics(
    wb: Workbook,
    period: Period,
    publishers: tuple[Callable[[Workbook, Period], Values], ...] = PUBLISHERS,
) -> Values:
    """Every known metric for ``period``: a number, or ``None`` where no topic computes it."""
    values: Values = dict.fromkeys(KNOWN_METRICS)
    for publish in publishers:
        for name, value in publish(wb, period).items():
            if name in KNOWN_METRICS:
                values[name] = value
    for name, metric in KNOWN_METRICS.items():
        table = wb.tables.get(metric.source) if metric.source else None
        if metric.source and (table is None or table.empty):
            values[name] = None  # an empty table is no evidence, not a zero
    return values


def metric_problems(wb: Workbook) -> list[Problem]:
    """Every claim or risk that cites a metric the registry does not know."""
    problems: list[Problem] = []
    cited = (
        ("risks", "evidence_metric", "risk_id", "risk"),
        ("policy_claims", "metric", "claim_id", "claim"),
    )
    for table, column, key, noun in cited:
        frame = wb.tables.get(table)
        if frame is None:
            continue
        file = wb.files[table].name if table in wb.files else f"{table}.csv"
        for i, (name, ident) in enumerate(zip(frame[column], frame[key], strict=True)):
            if name is None or pd.isna(name) or str(name) in KNOWN_METRICS:
                continue
            problems.append(
                Problem(
                    file,
                    "unknown_metric",
                    f"{noun} {ident}: {name!r} is not a known metric "
                    "(see docs/claims.md for the list)",
                    row=wb.row_of(table, i),
                    column=column,
                )
            )
    return problems


def check_metrics(wb: Workbook) -> None:
    """Raise :class:`WorkbookError` when a claim or risk cites an unknown metric."""
    problems = metric_problems(wb)
    if problems:
        raise WorkbookError(problems)
