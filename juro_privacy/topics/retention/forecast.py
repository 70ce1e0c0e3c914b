"""The retention report's days late and forecast, counted in the engine.

:func:`days_late_counts` counts accounts done late or overdue in bins of days past the
due date (:data:`LATE_BINS`) and :func:`forecast_due` the accounts falling due in each
of the next quarters: one aggregate each, asked of the engine where the accounts live,
so no account id leaves it. :func:`late_counts` protects the days-late table through
:mod:`juro_privacy.rules.disclosure`, its totals keeping the states the status table
(:func:`~juro_privacy.topics.retention.status.status_counts`) gave them; the ``*_table`` and
``*_bars`` functions show both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from juro_privacy.errors import RetentionError
from juro_privacy.periods import Period, quarter_of
from juro_privacy.rules.disclosure import Cell, Protected, count_label, protect, small
from juro_privacy.rules.retention.rule import (
    OBLIGATIONS,
    STATUSES,
    RetentionRules,
    any_problem,
    as_count,
    as_date,
    check_table,
    retention_table,
)
from juro_privacy.rules.retention.source import accounts_table
from juro_privacy.topics.retention.status import (
    ALL,
    OBLIGATION_LABELS,
    TOTAL,
    status_bar,
    status_row,
)

__all__ = [
    "LATE_BINS",
    "days_late_counts",
    "forecast_bars",
    "forecast_due",
    "forecast_frame",
    "forecast_metrics",
    "forecast_table",
    "late_bars",
    "late_counts",
    "late_frame",
    "late_metrics",
    "late_table",
    "quarters_after",
]

#: Days past the due date, and how the report names each bin.
LATE_BINS = (
    (1, 30, "1–30 days"),
    (31, 90, "31–90 days"),
    (91, 180, "91–180 days"),
    (181, 365, "181–365 days"),
    (366, 730, "1–2 years"),
    (731, None, "over 2 years"),
)


# ---------------------------------------------------------------- in the engine


def _judged(
    accounts: ir.Table | pd.DataFrame | str | Any,
    as_of: dt.date,
    rules: RetentionRules | None,
    timezone: str,
) -> ir.Table:
    return retention_table(accounts_table(accounts), as_date(as_of), rules=rules, timezone=timezone)


def _aggregate(table: ir.Table, metrics: Mapping[str, ir.Scalar]) -> dict[str, Any]:
    """One aggregate row from the engine; bad input raises as the rule's own check does."""
    row = table.aggregate(**metrics, _bad=any_problem(table).sum()).to_pandas().iloc[0]
    if as_count(row["_bad"]):
        check_table(table)
    return {str(k): v for k, v in row.items()}


def days_late_counts(
    accounts: Any,
    as_of: dt.date,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """Accounts done late or overdue, by days past the due date, counted in the engine.

    Rows: the :data:`LATE_BINS` names in order; columns ``archive:late``,
    ``archive:overdue``, ``delete:late``, ``delete:overdue``; counts (``int64``). Days
    late are those of :func:`~juro_privacy.rules.retention.rule.retention_table`.
    """
    table = _judged(accounts, as_of, rules, timezone)
    return late_frame(_aggregate(table, late_metrics(table)))


def late_metrics(table: ir.Table) -> dict[str, ir.Scalar]:
    """The engine counts behind :func:`days_late_counts`, for a ``retention_table``
    (aggregated whole, or by office and summed: see ``topics.retention.counts``)."""
    metrics: dict[str, ir.Scalar] = {}
    for obligation in OBLIGATIONS:
        code, days = table[f"_{obligation}_code"], table[f"{obligation}_days_late"]
        for status in ("late", "overdue"):
            for i, (low, high, _) in enumerate(LATE_BINS):
                inside = days >= low if high is None else days.between(low, high)
                where = (code == STATUSES.index(status)) & inside
                metrics[f"late:{obligation}:{status}:{i}"] = table.count(where=where)
    return metrics


def late_frame(row: Mapping[str, Any]) -> pd.DataFrame:
    """:func:`days_late_counts`'s frame from one aggregate row of :func:`late_metrics`."""
    columns = [f"{o}:{s}" for o in OBLIGATIONS for s in ("late", "overdue")]
    data = {c: [as_count(row[f"late:{c}:{i}"]) for i in range(len(LATE_BINS))] for c in columns}
    return pd.DataFrame(data, index=[b[2] for b in LATE_BINS]).astype("int64")


def late_counts(days: pd.DataFrame, status: Protected) -> Protected:
    """The days-late table with a total row, protected on each column (bins add up to
    the total); the total keeps the state the status table gave the same figure."""
    table = days.copy()
    table.loc[TOTAL] = table.sum()
    table = table.astype("int64")
    lines = [[(r, c) for r in table.index] for c in table.columns]
    fixed: dict[Cell, bool] = {}
    for column in table.columns:
        obligation, s = str(column).split(":")
        fixed[(TOTAL, column)] = status.is_hidden(status_row(obligation, ALL), s)
    return protect(table, status.threshold, lines, fixed=fixed)


def late_table(prot: Protected) -> pd.DataFrame:
    """The days-late table as the report shows it."""
    labels = prot.labels()
    out = pd.DataFrame({"days past the due date": [str(r) for r in labels.index]})
    out.loc[out.index[-1], "days past the due date"] = "All"
    for column in labels.columns:
        obligation, s = str(column).split(":")
        name = f"{OBLIGATION_LABELS[obligation]}: {'done late' if s == 'late' else 'overdue'}"
        out[name] = list(labels[column])
    return out


def late_bars(prot: Protected) -> pd.DataFrame:
    """Chart data for the days-late bars (not the total row), hidden counts hatched."""
    rows = []
    for bucket in prot.counts.index.drop(TOTAL):
        for column in prot.counts.columns:
            obligation, s = str(column).split(":")
            name = f"{OBLIGATION_LABELS[obligation]}: {'done late' if s == 'late' else 'overdue'}"
            rows.append((str(bucket), name, *status_bar(prot, bucket, column)))
    return pd.DataFrame(rows, columns=["bucket", "series", "height", "label", "hidden"])


def quarters_after(as_of: dt.date, count: int) -> list[Period]:
    """The ``count`` calendar quarters after the one containing ``as_of`` (at least one)."""
    if count < 1:
        raise RetentionError("forecast_due: quarters must be at least 1")
    out: list[Period] = []
    current = quarter_of(as_of)
    for _ in range(count):
        current = quarter_of(current.end + dt.timedelta(days=1))
        out.append(current)
    return out


def forecast_due(
    accounts: Any,
    as_of: dt.date,
    quarters: int = 4,
    *,
    rules: RetentionRules | None = None,
    timezone: str = "Europe/London",
) -> pd.DataFrame:
    """Accounts falling due for archiving and deletion in each of the next quarters.

    Counted in the engine: accounts not archived (or not deleted) as of ``as_of``
    whose due date falls in each of the ``quarters`` calendar quarters after the one
    containing ``as_of``, assuming nothing is done before then (a deletion run before
    the quarter removes accounts from it). One row per quarter: ``quarter`` (label),
    ``start``, ``end`` (dates), ``archive``, ``delete`` (counts, ``int64``).
    """
    as_of = as_date(as_of)
    periods = quarters_after(as_of, quarters)
    table = _judged(accounts, as_of, rules, timezone)
    return forecast_frame(_aggregate(table, forecast_metrics(table, periods)), periods)


def forecast_metrics(table: ir.Table, periods: Sequence[Period]) -> dict[str, ir.Scalar]:
    """The engine counts behind :func:`forecast_due` for the quarters ``periods``, for a
    ``retention_table`` (aggregated whole, or by office and summed)."""
    metrics: dict[str, ir.Scalar] = {}
    for obligation in OBLIGATIONS:
        due = table[f"{obligation}_due"]
        not_done = table[f"_{obligation}_code"] == STATUSES.index("pending")
        for i, q in enumerate(periods):
            inside = due.between(ibis.date(q.start.isoformat()), ibis.date(q.end.isoformat()))
            metrics[f"forecast:{obligation}:{i}"] = table.count(where=not_done & inside)
    return metrics


def forecast_frame(row: Mapping[str, Any], periods: Sequence[Period]) -> pd.DataFrame:
    """:func:`forecast_due`'s frame from one aggregate row of :func:`forecast_metrics`."""
    counts = {
        o: [as_count(row[f"forecast:{o}:{i}"]) for i in range(len(periods))] for o in OBLIGATIONS
    }
    frame = pd.DataFrame(
        {
            "quarter": [q.label for q in periods],
            "start": [q.start for q in periods],
            "end": [q.end for q in periods],
            **counts,
        }
    )
    return frame.astype({"archive": "int64", "delete": "int64"})


def forecast_table(forecast: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The forecast as the report shows it, small counts as ``"<5"`` (no totals shown)."""
    return pd.DataFrame(
        {
            "quarter": forecast["quarter"],
            "from": forecast["start"].astype(str),
            "to": forecast["end"].astype(str),
            "accounts to archive": [count_label(int(v), threshold) for v in forecast["archive"]],
            "accounts to delete": [count_label(int(v), threshold) for v in forecast["delete"]],
        }
    )


def forecast_bars(forecast: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Chart data for the forecast: per quarter and obligation, hidden counts hatched."""
    rows = []
    for r in forecast.to_dict("records"):
        for obligation in OBLIGATIONS:
            value = int(r[obligation])
            hidden = small(value, threshold)
            height = threshold - 1 if hidden else value
            label = str(count_label(value, threshold))
            rows.append((str(r["quarter"]), OBLIGATION_LABELS[obligation], height, label, hidden))
    return pd.DataFrame(rows, columns=["quarter", "obligation", "height", "label", "hidden"])
