"""Tests for juro_privacy.topics.retention.forecast: the forecast's quarter boundaries, days
late in their bins and small-count suppression, on small hand-made frames.

As of 2026-09-30 unless a test says otherwise (London on BST, UTC+1)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from juro_privacy.errors import RetentionError
from juro_privacy.rules.retention.rule import RetentionRules
from juro_privacy.topics.retention import forecast as rf
from juro_privacy.topics.retention.status import TOTAL, status_counts
from tests.conftest import accounts
from tests.topics.retention.test_status import london_riga_summary

AS_OF = dt.date(2026, 9, 30)

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


# ---------------------------------------------------------------- the forecast

FORECAST_ACCOUNTS = accounts(
    # archive due 2026-12-31: the last day of 2026-Q4
    {"last_used_at": "2026-06-30T12:00:00Z"},
    # archive due 2027-01-01: the first day of 2027-Q1
    {"last_used_at": "2026-07-01T12:00:00Z"},
    # 23:30 UTC on 30 June is 1 July in London: due 2027-01-01 (2027-Q1)
    {"last_used_at": "2026-06-30T23:30:00Z"},
    # archive due 2026-09-30 = as_of: pending, but in this quarter, not a coming one
    {"last_used_at": "2026-03-31T12:00:00Z"},
    # archived; delete due 2026-12-31 (2026-Q4)
    {"last_used_at": "2020-12-31T12:00:00Z", "archived_at": "2021-01-10T00:00:00Z"},
    # archived; delete due 2027-01-01 (2027-Q1)
    {"last_used_at": "2021-01-01T12:00:00Z", "archived_at": "2021-02-01T00:00:00Z"},
    # contract override of 12 months: delete due 2027-01-15 (2027-Q1)
    {
        "last_used_at": "2026-01-15T12:00:00Z",
        "archived_at": "2026-02-01T00:00:00Z",
        "delete_after_months": 12,
    },
    # delete due 2027-04-01 (2027-Q2)
    {"last_used_at": "2021-04-01T12:00:00Z", "archived_at": "2021-05-01T00:00:00Z"},
    # delete due 2027-09-30 (2027-Q3, the last quarter forecast)
    {"last_used_at": "2021-09-30T12:00:00Z", "archived_at": "2021-10-01T00:00:00Z"},
    # delete due 2027-10-01: beyond the four quarters
    {"last_used_at": "2021-10-01T12:00:00Z", "archived_at": "2021-10-02T00:00:00Z"},
    # archived already: not in the archive forecast
    {"last_used_at": "2026-07-01T12:00:00Z", "archived_at": "2026-08-01T00:00:00Z"},
    # deleted already: in neither
    {"last_used_at": "2021-01-15T12:00:00Z", "deleted_at": "2026-09-01T00:00:00Z"},
)


def test_forecast_counts_each_quarter_up_to_its_last_day() -> None:
    forecast = rf.forecast_due(FORECAST_ACCOUNTS, AS_OF)
    assert list(forecast["quarter"]) == ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
    assert list(forecast["start"]) == [
        dt.date(2026, 10, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 4, 1),
        dt.date(2027, 7, 1),
    ]
    assert forecast["end"].iloc[0] == dt.date(2026, 12, 31)
    assert list(forecast["archive"]) == [1, 2, 0, 0]
    assert list(forecast["delete"]) == [1, 2, 1, 1]
    assert forecast["archive"].dtype == "int64" and forecast["delete"].dtype == "int64"


def test_forecast_from_mid_quarter_starts_at_the_next_quarter() -> None:
    forecast = rf.forecast_due(FORECAST_ACCOUNTS, dt.date(2026, 8, 15), quarters=2)
    assert list(forecast["quarter"]) == ["2026-Q4", "2027-Q1"]


def test_forecast_follows_the_rules_and_the_time_zone() -> None:
    one = accounts({"last_used_at": "2026-06-30T23:30:00Z"})
    # In UTC the last use is 30 June: due 31 December, in 2026-Q4.
    assert list(rf.forecast_due(one, AS_OF, timezone="UTC")["archive"]) == [1, 0, 0, 0]
    rules = RetentionRules(archive_after_months=9)  # due 2027-04-01 in London
    assert list(rf.forecast_due(one, AS_OF, rules=rules)["archive"]) == [0, 0, 1, 0]


def test_forecast_refuses_bad_input_like_the_rule() -> None:
    bad = accounts({"last_used_at": "2026-06-30T12:00:00Z", "archived_at": "2026-01-01T00:00Z"})
    with pytest.raises(RetentionError, match="column 'archived_at': is before last_used_at"):
        rf.forecast_due(bad, AS_OF)
    with pytest.raises(RetentionError, match="quarters must be at least 1"):
        rf.forecast_due(FORECAST_ACCOUNTS, AS_OF, quarters=0)


# ---------------------------------------------------------------- days late


def test_days_late_fall_in_their_bins() -> None:
    frame = accounts(
        # archive due 2026-03-01, archived 30 days late
        {"last_used_at": "2025-09-01T12:00:00Z", "archived_at": "2026-03-31T12:00:00Z"},
        # archived 31 days late
        {"last_used_at": "2025-09-01T12:00:00Z", "archived_at": "2026-04-01T12:00:00Z"},
        # never archived: due 2024-03-01, 943 days overdue on 2026-09-30
        {"last_used_at": "2023-09-01T12:00:00Z"},
    )
    days = rf.days_late_counts(frame, AS_OF)
    assert list(days.index) == [b[2] for b in rf.LATE_BINS]
    assert days.loc["1–30 days", "archive:late"] == 1
    assert days.loc["31–90 days", "archive:late"] == 1
    assert days.loc["over 2 years", "archive:overdue"] == 1
    assert int(days.to_numpy().sum()) == 3


# ---------------------------------------------------------------- suppression


def test_days_late_total_keeps_the_status_tables_state() -> None:
    summary = london_riga_summary()
    status = status_counts(summary, 5)
    days = pd.DataFrame(
        {c: [0] * len(rf.LATE_BINS) for c in ("archive:late", "delete:late", "delete:overdue")}
        | {"archive:overdue": [0, 0, 0, 3, 0, 0]},
        index=[b[2] for b in rf.LATE_BINS],
    )
    late = rf.late_counts(days, status)
    assert late.is_hidden(TOTAL, "archive:overdue") == status.is_hidden("archive:all", "overdue")
    assert "<5" in set(rf.late_table(late)["Archive: overdue"])


def test_forecast_table_suppresses_small_counts() -> None:
    forecast = pd.DataFrame(
        {
            "quarter": ["2026-Q4", "2027-Q1"],
            "start": [dt.date(2026, 10, 1), dt.date(2027, 1, 1)],
            "end": [dt.date(2026, 12, 31), dt.date(2027, 3, 31)],
            "archive": [3, 40],
            "delete": [0, 5],
        }
    )
    table = rf.forecast_table(forecast, 5)
    assert list(table["accounts to archive"]) == ["<5", 40]
    assert list(table["accounts to delete"]) == [0, 5]
    bars = rf.forecast_bars(forecast, 5)
    hidden = bars[bars["hidden"]]
    assert list(hidden["label"]) == ["<5"] and list(hidden["height"]) == [4]
