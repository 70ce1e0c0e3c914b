"""The retention report's engine figures in one pass over the accounts.

The report needs three aggregates of the same judged accounts: the summary
(:func:`~juro_privacy.rules.retention.rule.summarize_retention`), the days late
(:func:`~juro_privacy.topics.retention.forecast.days_late_counts`) and the forecast
(:func:`~juro_privacy.topics.retention.forecast.forecast_due`). Asked one by one, each
reads and judges every account again: at 100 million accounts that was three scans of
the file, most of the retention notebook's time (issue 13). :func:`retention_counts`
asks the engine once: one ``GROUP BY office`` holding all three sets of aggregates (on
a cluster, one shuffle of one row per office and partition), then adds the offices'
days-late and forecast counts in pandas. The figures are those of the three functions,
exactly (``tests/topics/retention/test_counts.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from juro_privacy.rules.retention.rule import (
    RetentionRules,
    as_count,
    as_date,
    check_table,
    retention_table,
    summary_metrics,
    tidy_summary,
)
from juro_privacy.rules.retention.source import accounts_table
from juro_privacy.topics.retention.forecast import (
    forecast_frame,
    forecast_metrics,
    late_frame,
    late_metrics,
    quarters_after,
)

__all__ = ["RetentionCounts", "retention_counts"]


@dataclass(frozen=True)
class RetentionCounts:
    """The three engine figures of the retention report, as of one day.

    ``summary``: :func:`~juro_privacy.rules.retention.rule.summarize_retention`'s frame;
    ``days_late``: :func:`~juro_privacy.topics.retention.forecast.days_late_counts`'s;
    ``forecast``: :func:`~juro_privacy.topics.retention.forecast.forecast_due`'s.
    """

    summary: pd.DataFrame
    days_late: pd.DataFrame
    forecast: pd.DataFrame


def retention_counts(
    accounts: Any,
    as_of: dt.date,
    quarters: int = 4,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> RetentionCounts:
    """The summary, the days late and the forecast over ``quarters`` quarters, from one
    aggregate of the engine; same input, rules and bad-input errors as each of them."""
    as_of = as_date(as_of)
    periods = quarters_after(as_of, quarters)
    table = retention_table(accounts_table(accounts), as_of, rules=rules, timezone=timezone)
    summed = {**late_metrics(table), **forecast_metrics(table, periods)}
    wide = table.group_by("office").aggregate(**summary_metrics(table), **summed).to_pandas()
    if as_count(wide["_bad"].sum()):
        check_table(table)
    totals = {name: sum(as_count(v) for v in wide[name]) for name in summed}
    return RetentionCounts(
        summary=tidy_summary(wide, as_of),
        days_late=late_frame(totals),
        forecast=forecast_frame(totals, periods),
    )
