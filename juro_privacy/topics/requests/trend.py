"""The requests report's trend: the last eight quarters, each judged as of its own end
and protected as the period's counts are (:mod:`juro_privacy.topics.requests.counts`).

Pure functions of the request log; the trend of a workbook is
:func:`juro_privacy.topics.requests.api.quarters_for`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from juro_privacy.periods import Period
from juro_privacy.rules.disclosure import format_rate, statistic, unpublished_rate
from juro_privacy.topics.requests.analysis import assess_requests, handled_in
from juro_privacy.topics.requests.counts import (
    ALL,
    JUDGED,
    TOTAL,
    finding_counts,
    forwarding_counts,
    group_labels,
    groups_of,
    on_time_rate,
    stat_cell,
    status_counts,
)


@dataclass(frozen=True)
class Quarter:
    """One quarter of the trend: its requests handled, judged as of its own end."""

    period: Period
    assessed: pd.DataFrame


def quarters(
    requests: pd.DataFrame,
    sites: pd.DataFrame,
    period: Period,
    *,
    count: int = 8,
    forward_target_working_days: int = 5,
) -> list[Quarter]:
    """The last ``count`` quarters ending with ``period``'s last, oldest first, each
    judged as of its own end; quarters before the first request received are left out
    (the trend covers the quarters the workbook has data for)."""
    if requests.empty:
        return []
    first = pd.Timestamp(requests["received_at"].min()).date()
    out = []
    for q in period.trailing_quarters(count):
        if q.end < first:
            continue
        assessed = assess_requests(
            requests, sites, q.end, forward_target_working_days=forward_target_working_days
        )
        out.append(Quarter(q, handled_in(assessed, q)))
    return out


def trend_table(trend: Sequence[Quarter], threshold: int) -> pd.DataFrame:
    """Per quarter: requests handled, judged, on-time rate, overdue at the end, extensions
    not told in time, wrong portability formats and passing on within the target;
    each quarter's counts protected as the period's are."""
    rows = []
    col = "requests"
    for q in trend:
        a = q.assessed
        status = status_counts(a, threshold)
        labels = status.labels()[col]
        forward = forwarding_counts(a, status, threshold)
        shown = finding_counts(a, threshold)
        rows.append(
            (
                q.period.label,
                labels[TOTAL],
                labels[JUDGED],
                on_time_rate(status),
                labels["overdue"],
                shown["extension_not_notified"],
                shown["portability_format"],
                forward.rate(("on_time", col), [("late", col), ("overdue", col)], (JUDGED, col)),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "quarter",
            "requests",
            "judged",
            "on-time rate",
            "overdue at end",
            "extensions not told in time",
            "portability not CSV/JSON",
            "passed on within target",
        ],
    )


def trend_times(trend: Sequence[Quarter], threshold: int) -> pd.DataFrame:
    """Per quarter: median and 90th percentile turnaround (calendar and working days),
    and median days to identity verification; ``n/a`` below the threshold."""
    rows = []
    for q in trend:
        a = q.assessed
        answered = a[a["status"].isin(["on_time", "late"])]
        verified = a[(a["role"] == "controller") & a["verified"].notna()]
        rows.append(
            (
                q.period.label,
                *(
                    stat_cell(statistic(answered[c], threshold, p))
                    for c in ("turnaround_days", "turnaround_working_days")
                    for p in (0.5, 0.9)
                ),
                stat_cell(statistic(verified["verification_days"].dropna(), threshold, 0.5)),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "quarter",
            "median days",
            "90th percentile days",
            "median working days",
            "90th percentile working days",
            "median days to verification",
        ],
    )


def trend_time_lines(trend: Sequence[Quarter], threshold: int) -> pd.DataFrame:
    """Chart data for the turnaround trend: quarter, measure, value (``None``: n/a)."""
    rows = []
    for q in trend:
        a = q.assessed
        answered = a[a["status"].isin(["on_time", "late"])]
        for measure, column, p in (
            ("Median, calendar days", "turnaround_days", 0.5),
            ("90th percentile, calendar days", "turnaround_days", 0.9),
            ("Median, working days", "turnaround_working_days", 0.5),
            ("90th percentile, working days", "turnaround_working_days", 0.9),
        ):
            rows.append((q.period.label, measure, statistic(answered[column], threshold, p)))
    return pd.DataFrame(rows, columns=["quarter", "measure", "value"])


def trend_rates(
    trend: Sequence[Quarter],
    threshold: int,
    by: str | None = None,
    *,
    sites: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The on-time rate per quarter, overall or per ``by`` group: quarter, group, low,
    high, label. Overall rates match the trend table; per-group rates are shown without
    their counts (:func:`~juro_privacy.rules.disclosure.unpublished_rate`)."""
    names = group_labels(by, sites) if by else {}
    rows: list[tuple[str, str, float | None, float | None, str]] = []
    for q in trend:
        a = q.assessed
        judged = a[a["status"].isin(["on_time", "late", "overdue"])]
        if by is None:
            status = status_counts(a, threshold)
            col = "requests"
            bounds = status.share(
                ("on_time", col), [("late", col), ("overdue", col)], (JUDGED, col)
            )
            groups: list[tuple[Hashable, tuple[float, float] | None]] = [(ALL, bounds)]
        else:
            groups = []
            for name in groups_of(a, by):
                mine = judged[judged[by] == name]
                on = int((mine["status"] == "on_time").sum())
                groups.append((name, unpublished_rate(on, len(mine) - on, threshold)))
        for g, bounds in groups:
            low, high = bounds if bounds is not None else (None, None)
            rows.append((q.period.label, names.get(str(g), str(g)), low, high, format_rate(bounds)))
    return pd.DataFrame(rows, columns=["quarter", "group", "low", "high", "label"])


def trend_rate_table(rates: pd.DataFrame, by: str) -> pd.DataFrame:
    """:func:`trend_rates` laid out with a row per group and a column per quarter."""
    order = list(dict.fromkeys(rates["group"]))
    wide = rates.pivot(index="group", columns="quarter", values="label").reindex(order)
    wide = wide.reset_index().rename(columns={"group": by})
    wide.columns.name = None
    return wide


def rate_lines(
    trend: Sequence[Quarter], threshold: int, *, sites: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Chart data for the on-time trend: all requests, then each office."""
    return pd.concat(
        [trend_rates(trend, threshold), trend_rates(trend, threshold, "office", sites=sites)],
        ignore_index=True,
    )
