"""Tests for juro_privacy.rules.retention.rule: hand-computed cases, properties, two engines.

As of 2026-09-30 unless a test says otherwise; London is on BST (UTC+1) from
2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import tempfile
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from juro_privacy.errors import InputError, RetentionError
from juro_privacy.rules.retention.rule import (
    OBLIGATIONS,
    STATUSES,
    RetentionRules,
    accounts_table,
    assess_retention,
    summarize_retention,
)
from juro_privacy.sample.accounts import generate_accounts, write_accounts
from tests.conftest import accounts
from tests.rules.retention.conftest import spark_table

AS_OF = dt.date(2026, 9, 30)

UTC = dt.UTC

# Noise from inside ibis 12 running on duckdb 2 and pandas 3, not from this package.
pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


# ---------------------------------------------------------------------- builders


def one(row: dict[str, Any], as_of: dt.date = AS_OF, **kwargs: Any) -> dict[str, Any]:
    """Assess a single account and return its result row as a dict."""
    result = assess_retention(accounts(row), as_of, **kwargs)
    assert len(result) == 1
    record: dict[str, Any] = result.iloc[0].to_dict()
    return record


def day(value: str) -> pd.Timestamp:
    """A due date as assess_retention returns it."""
    return pd.Timestamp(value)


# ------------------------------------------------------------- every status


def test_archive_pending_when_due_date_not_reached() -> None:
    r = one({"last_used_at": "2026-06-01T10:00:00Z"})
    assert (r["archive_due"], r["archive_status"]) == (day("2026-12-01"), "pending")
    assert pd.isna(r["archive_days_late"])


def test_due_date_itself_is_still_in_time() -> None:
    r = one({"last_used_at": "2026-03-30T10:00:00Z"})
    assert (r["archive_due"], r["archive_status"]) == (day("2026-09-30"), "pending")


def test_overdue_the_day_after_the_due_date() -> None:
    r = one({"last_used_at": "2026-03-29T10:00:00Z"})
    assert (r["archive_due"], r["archive_status"], r["archive_days_late"]) == (
        day("2026-09-29"),
        "overdue",
        1,
    )


def test_on_time_when_archived_on_the_due_date() -> None:
    r = one({"last_used_at": "2025-01-15T10:00:00Z", "archived_at": "2025-07-15T12:00:00Z"})
    assert (r["archive_due"], r["archive_status"]) == (day("2025-07-15"), "on_time")
    assert pd.isna(r["archive_days_late"])


def test_late_counts_days_from_due_to_done() -> None:
    r = one({"last_used_at": "2025-01-15T10:00:00Z", "archived_at": "2025-07-20T12:00:00Z"})
    assert (r["archive_status"], r["archive_days_late"]) == ("late", 5)


def test_every_delete_status() -> None:
    result = assess_retention(
        accounts(
            {"last_used_at": "2021-01-10T09:00:00Z"},  # due 2027-01-10: pending
            {"last_used_at": "2020-01-10T09:00:00Z", "deleted_at": "2026-01-10T03:00:00Z"},
            {"last_used_at": "2020-01-10T09:00:00Z", "deleted_at": "2026-02-09T03:00:00Z"},
            {"last_used_at": "2020-01-10T09:00:00Z"},  # due 2026-01-10, still there
        ),
        AS_OF,
    )
    assert result["delete_due"].tolist() == [day("2027-01-10")] + [day("2026-01-10")] * 3
    assert result["delete_status"].tolist() == ["pending", "on_time", "late", "overdue"]
    # 2026-01-10 -> 2026-02-09 is 30 days; 2026-01-10 -> 2026-09-30 is 263 days.
    assert result["delete_days_late"].tolist() == [pd.NA, pd.NA, 30, 263]


# ------------------------------------------------------- calendar months, clamped


@pytest.mark.parametrize(
    ("last_used", "archive_due"),
    [
        ("2025-08-31T12:00:00Z", "2026-02-28"),  # no 31 February: its last day
        ("2023-08-31T12:00:00Z", "2024-02-29"),  # ... 29 in a leap year
        ("2026-03-31T12:00:00Z", "2026-09-30"),  # no 31 September
        ("2025-12-31T12:00:00Z", "2026-06-30"),  # across the year end
        ("2024-02-29T12:00:00Z", "2024-08-29"),  # 29 February keeps its day
        ("2025-07-31T12:00:00Z", "2026-01-31"),  # 31 January exists
    ],
)
def test_due_date_is_last_use_plus_calendar_months_clamped(
    last_used: str, archive_due: str
) -> None:
    assert one({"last_used_at": last_used})["archive_due"] == day(archive_due)


@pytest.mark.parametrize(
    ("months", "delete_due"),
    [(12, "2025-02-28"), (48, "2028-02-29"), (72, "2030-02-28"), (0, "2024-02-29")],
)
def test_leap_day_plus_whole_years(months: int, delete_due: str) -> None:
    r = one({"last_used_at": "2024-02-29T12:00:00Z", "delete_after_months": months})
    assert r["delete_due"] == day(delete_due)


def test_rules_change_both_periods() -> None:
    rules = RetentionRules(archive_after_months=1, delete_after_months=13)
    r = one({"last_used_at": "2025-01-31T12:00:00Z"}, rules=rules)
    assert (r["archive_due"], r["delete_due"]) == (day("2025-02-28"), day("2026-02-28"))


# ------------------------------------------------------------------ time zones


def test_late_evening_utc_in_summer_is_the_next_day_in_london() -> None:
    # 23:30 UTC on 29 March 2026 is 00:30 BST on 30 March.
    row = {"last_used_at": "2026-03-29T23:30:00Z"}
    london = one(row)
    assert (london["archive_due"], london["archive_status"]) == (day("2026-09-30"), "pending")
    utc = one(row, timezone="UTC")
    assert (utc["archive_due"], utc["archive_status"], utc["archive_days_late"]) == (
        day("2026-09-29"),
        "overdue",
        1,
    )


def test_late_evening_utc_in_winter_is_the_same_day_in_london() -> None:
    assert one({"last_used_at": "2026-01-10T23:30:00Z"})["archive_due"] == day("2026-07-10")


@pytest.mark.parametrize(
    ("instant", "london_date"),
    [
        ("2026-03-29T00:59:59Z", "2026-03-29"),  # GMT, just before BST starts
        ("2026-03-28T23:30:00Z", "2026-03-28"),  # GMT evening before the change
        ("2026-10-24T23:30:00Z", "2026-10-25"),  # BST evening before it ends
        ("2026-10-25T00:59:59Z", "2026-10-25"),  # last BST second
        ("2026-10-25T23:30:00Z", "2026-10-25"),  # GMT again
    ],
)
def test_dates_around_the_clock_changes(instant: str, london_date: str) -> None:
    expected = pd.Timestamp(london_date) + pd.DateOffset(months=6)
    assert one({"last_used_at": instant}, as_of=dt.date(2027, 12, 31))["archive_due"] == expected


def test_riga_is_three_hours_ahead_in_summer() -> None:
    # 21:30 UTC on 30 June is 00:30 EEST on 1 July in Riga, still 30 June in London.
    row = {"last_used_at": "2026-06-30T21:30:00Z"}
    assert one(row, timezone="Europe/Riga")["archive_due"] == day("2027-01-01")
    assert one(row)["archive_due"] == day("2026-12-30")


def test_new_york_is_behind() -> None:
    # 02:00 UTC on 1 July is 22:00 EDT on 30 June.
    row = {"last_used_at": "2026-07-01T02:00:00Z"}
    assert one(row, timezone="America/New_York")["archive_due"] == day("2026-12-30")


def test_offsets_in_the_input_are_honoured() -> None:
    same_instant = assess_retention(
        accounts(
            {"last_used_at": "2026-03-29T23:30:00+00:00"},
            {"last_used_at": "2026-03-30T01:30:00+02:00"},
        ),
        AS_OF,
    )
    assert same_instant["archive_due"].nunique() == 1


def test_naive_timestamps_are_wall_time_in_the_time_zone() -> None:
    # Issue #12: 23:30 wall time on 29 March is 29 March in London, so archiving is due
    # 29 September: overdue 1 day on 30 September. 23:30 UTC is 00:30 BST on 30 March:
    # due 30 September, still pending.
    aware = accounts({"last_used_at": "2026-03-29T23:30:00Z"})
    naive = aware.assign(last_used_at=aware["last_used_at"].dt.tz_localize(None))
    wall, instant = assess_retention(naive, AS_OF).iloc[0], assess_retention(aware, AS_OF).iloc[0]
    assert (wall["archive_due"], wall["archive_status"]) == (day("2026-09-29"), "overdue")
    assert (instant["archive_due"], instant["archive_status"]) == (day("2026-09-30"), "pending")


def test_an_action_after_midnight_london_on_as_of_has_not_happened() -> None:
    due_on_as_of = "2026-03-30T10:00:00Z"
    inside = one({"last_used_at": due_on_as_of, "archived_at": "2026-09-30T22:30:00Z"})
    assert inside["archive_status"] == "on_time"  # 23:30 BST on 30 September
    outside = one({"last_used_at": due_on_as_of, "archived_at": "2026-09-30T23:30:00Z"})
    assert outside["archive_status"] == "pending"  # 00:30 BST on 1 October


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(RetentionError, match="unknown time zone 'Mars/Olympus'"):
        one({"last_used_at": "2026-01-01T00:00:00Z"}, timezone="Mars/Olympus")


# ------------------------------------------------- deletion, overrides, as_of


def test_deletion_without_archive_counts_as_archiving() -> None:
    before_due = one({"last_used_at": "2025-01-15T10:00:00Z", "deleted_at": "2025-05-01T03:00:00Z"})
    assert (before_due["archive_status"], before_due["delete_status"]) == ("on_time", "on_time")
    after_due = one({"last_used_at": "2025-01-15T10:00:00Z", "deleted_at": "2025-08-01T03:00:00Z"})
    assert (after_due["archive_status"], after_due["archive_days_late"]) == ("late", 17)


def test_archived_after_deletion_counts_from_the_deletion() -> None:
    r = one(
        {
            "last_used_at": "2025-01-15T10:00:00Z",
            "archived_at": "2025-09-01T03:00:00Z",
            "deleted_at": "2025-05-01T03:00:00Z",
        }
    )
    assert r["archive_status"] == "on_time"


def test_override_replaces_the_deletion_period() -> None:
    short = one({"last_used_at": "2023-01-15T10:00:00Z", "delete_after_months": 24})
    # due 2025-01-15; 2025-01-15 -> 2026-01-15 is 365 days, + 258 to 2026-09-30.
    assert (short["delete_due"], short["delete_status"], short["delete_days_late"]) == (
        day("2025-01-15"),
        "overdue",
        623,
    )
    long = one({"last_used_at": "2018-01-15T10:00:00Z", "delete_after_months": 120})
    assert (long["delete_due"], long["delete_status"]) == (day("2028-01-15"), "pending")
    default = one({"last_used_at": "2018-01-15T10:00:00Z"})
    assert (default["delete_due"], default["delete_status"]) == (day("2024-01-15"), "overdue")


def test_zero_month_override_is_due_on_the_last_use_date() -> None:
    r = one(
        {
            "last_used_at": "2026-01-15T10:00:00Z",
            "deleted_at": "2026-01-15T18:00:00Z",
            "delete_after_months": 0,
        }
    )
    assert (r["delete_due"], r["delete_status"]) == (day("2026-01-15"), "on_time")


def test_actions_dated_after_as_of_have_not_happened() -> None:
    r = one(
        {
            "last_used_at": "2020-03-01T10:00:00Z",
            "archived_at": "2026-10-05T03:00:00Z",
            "deleted_at": "2026-11-01T03:00:00Z",
        }
    )
    # archive due 2020-09-01, delete due 2026-03-01: both overdue as of 30 September.
    assert (r["archive_status"], r["delete_status"]) == ("overdue", "overdue")
    assert (r["archive_days_late"], r["delete_days_late"]) == (2220, 213)


def test_the_same_data_judged_later() -> None:
    row = {"last_used_at": "2020-03-01T10:00:00Z", "archived_at": "2026-10-05T03:00:00Z"}
    r = one(row, as_of=dt.date(2026, 12, 31))
    assert (r["archive_status"], r["archive_days_late"]) == ("late", 2225)


# ------------------------------------------------------------------ bad input


def test_missing_last_use_is_refused_naming_the_first_row_and_the_count() -> None:
    frame = accounts(
        {"last_used_at": "2025-01-01T10:00:00Z"},
        {"last_used_at": None},
        {"last_used_at": None},
    )
    # A frame's rows are its records, from 1: a2 is row 2, a3 the one more.
    message = r"row 2, column 'last_used_at': is empty but required \(and 1 more row\)$"
    for judge in (assess_retention, summarize_retention):
        with pytest.raises(RetentionError, match=message) as caught:
            judge(frame, AS_OF)
        assert "a2" not in str(caught.value) and "a3" not in str(caught.value)
        [fault] = caught.value.faults
        assert (fault.file, fault.row, fault.column, fault.reason) == (
            None,
            2,
            "last_used_at",
            "not_nullable",
        )


def test_archive_before_last_use_is_refused() -> None:
    frame = accounts(
        {"last_used_at": "2025-01-15T12:00:00Z", "archived_at": "2025-01-14T12:00:00Z"}
    )
    message = r"cannot judge these accounts: row 1, column 'archived_at': is before last_used_at$"
    with pytest.raises(RetentionError, match=message):
        assess_retention(frame, AS_OF)


def test_deletion_before_last_use_is_compared_as_local_dates() -> None:
    # 23:30 UTC on 1 July is 2 July in London: a deletion at 08:00 UTC on 2 July is
    # on the same local date (valid); one at 22:00 UTC on 1 July is the day before.
    same_day = {"last_used_at": "2025-07-01T23:30:00Z", "deleted_at": "2025-07-02T08:00:00Z"}
    assert one(same_day)["delete_status"] == "on_time"
    day_before = {"last_used_at": "2025-07-01T23:30:00Z", "deleted_at": "2025-07-01T22:00:00Z"}
    with pytest.raises(RetentionError, match=r"column 'deleted_at': is before last_used_at$"):
        one(day_before)


def test_earlier_time_on_the_same_date_is_not_bad_input() -> None:
    r = one({"last_used_at": "2025-01-15T12:00:00Z", "archived_at": "2025-01-15T08:00:00Z"})
    assert r["archive_status"] == "on_time"


def test_negative_override_is_refused() -> None:
    frame = accounts({"last_used_at": "2025-01-15T12:00:00Z", "delete_after_months": -1})
    with pytest.raises(RetentionError, match=r"row 1, column 'delete_after_months': is negative"):
        summarize_retention(frame, AS_OF)


def test_fractional_override_is_refused() -> None:
    frame = accounts({"last_used_at": "2025-01-15T12:00:00Z"})
    frame["delete_after_months"] = [24.5]
    with pytest.raises(RetentionError, match=r"'delete_after_months': .* not a whole number$"):
        assess_retention(frame, AS_OF)


def test_many_bad_rows_are_counted_and_the_first_named() -> None:
    frame = accounts(
        {"last_used_at": "2025-01-01T10:00:00Z"},
        *({"last_used_at": None} for _ in range(12)),
    )
    message = r"row 2, column 'last_used_at': is empty but required \(and 11 more rows\)$"
    with pytest.raises(RetentionError, match=message):
        assess_retention(frame, AS_OF)
    with pytest.raises(RetentionError, match=message):
        summarize_retention(frame, AS_OF)


def test_every_kind_of_fault_is_reported_at_once() -> None:
    frame = accounts(
        {"last_used_at": None},
        {"last_used_at": "2025-01-15T12:00:00Z", "archived_at": "2025-01-01T12:00:00Z"},
        {"last_used_at": "2025-01-15T12:00:00Z", "deleted_at": "2025-01-01T12:00:00Z"},
        {"last_used_at": "2025-01-15T12:00:00Z", "delete_after_months": -3},
    )
    with pytest.raises(RetentionError) as caught:
        summarize_retention(frame, AS_OF)
    assert [str(fault) for fault in caught.value.faults] == [
        "row 1, column 'last_used_at': is empty but required",
        "row 2, column 'archived_at': is before last_used_at",
        "row 3, column 'deleted_at': is before last_used_at",
        "row 4, column 'delete_after_months': is negative, over 1,200 or not a whole number",
    ]
    assert str(caught.value) == "the retention rule cannot judge these accounts: " + "; ".join(
        str(fault) for fault in caught.value.faults
    )


def test_retention_error_is_bad_input_for_the_cli() -> None:
    assert issubclass(RetentionError, InputError)
    assert RetentionError.exit_code == 2


def test_rules_must_be_whole_non_negative_months() -> None:
    with pytest.raises(RetentionError, match="archive_after_months"):
        RetentionRules(archive_after_months=-1)
    with pytest.raises(RetentionError, match="delete_after_months"):
        RetentionRules(delete_after_months=6.5)  # type: ignore[arg-type]


def test_as_of_must_be_a_date() -> None:
    frame = accounts({"last_used_at": "2025-01-15T12:00:00Z"})
    with pytest.raises(RetentionError, match=r"as_of must be a datetime\.date"):
        assess_retention(frame, dt.datetime(2026, 9, 30))  # type: ignore[arg-type]


# --------------------------------------------------------------------- summary


SUMMARY_COLUMNS = [
    "office",
    "obligation",
    "status",
    "accounts",
    "median_days_late",
    "p90_days_late",
    "due_next_quarter",
]


def test_summary_counts_percentiles_and_next_quarter() -> None:
    frame = accounts(
        # London: four overdue archives, 1, 2, 3 and 10 days late.
        {"last_used_at": "2026-03-29T10:00:00Z"},
        {"last_used_at": "2026-03-28T10:00:00Z"},
        {"last_used_at": "2026-03-27T10:00:00Z"},
        {"last_used_at": "2026-03-20T10:00:00Z"},
        # London: archive due 2026-10-15 and delete due 2026-11-20, both next quarter.
        {"last_used_at": "2026-04-15T10:00:00Z"},
        {"last_used_at": "2020-11-20T10:00:00Z", "archived_at": "2021-01-01T03:00:00Z"},
        # London: archive due 2027-01-01, the quarter after next.
        {"last_used_at": "2026-07-01T10:00:00Z"},
        # Riga: archived 3 days late, deleted on time.
        {
            "office": "riga",
            "last_used_at": "2019-05-10T10:00:00Z",
            "archived_at": "2019-11-13T03:00:00Z",
            "deleted_at": "2025-05-01T03:00:00Z",
        },
    )
    summary = summarize_retention(frame, AS_OF)
    assert summary.columns.tolist() == SUMMARY_COLUMNS
    assert len(summary) == 2 * 2 * 4
    key = summary.set_index(["office", "obligation", "status"])

    archive_overdue = key.loc[("london", "archive", "overdue")]
    assert archive_overdue["accounts"] == 4
    assert archive_overdue["median_days_late"] == 2.5
    assert archive_overdue["p90_days_late"] == 7.9  # 3 + 0.7 * (10 - 3)
    assert key.loc[("london", "archive", "pending"), "accounts"] == 2
    assert key.loc[("london", "archive", "pending"), "due_next_quarter"] == 1
    assert key.loc[("london", "delete", "pending"), "due_next_quarter"] == 1
    assert key.loc[("london", "delete", "pending"), "accounts"] == 7
    assert key.loc[("riga", "archive", "late"), "accounts"] == 1
    assert key.loc[("riga", "archive", "late"), "median_days_late"] == 3.0
    assert key.loc[("riga", "delete", "on_time"), "accounts"] == 1

    # Zero rows are present, with no percentiles; only pending can fall due.
    assert key.loc[("riga", "archive", "pending"), "accounts"] == 0
    assert pd.isna(key.loc[("riga", "archive", "overdue"), "median_days_late"])
    assert pd.isna(key.loc[("london", "archive", "pending"), "median_days_late"])
    assert summary.loc[summary["status"] != "pending", "due_next_quarter"].eq(0).all()
    assert summary.groupby(["office", "obligation"])["accounts"].sum().eq([7, 7, 1, 1]).all()
    assert summary.attrs == {
        "as_of": AS_OF,
        "next_quarter_start": dt.date(2026, 10, 1),
        "next_quarter_end": dt.date(2026, 12, 31),
    }


def test_summary_shape_and_dtypes() -> None:
    summary = summarize_retention(generate_accounts(500, seed=4), AS_OF)
    assert summary[["office", "obligation", "status"]].values.tolist() == [
        [office, obligation, status]
        for office in ("london", "riga")
        for obligation in OBLIGATIONS
        for status in STATUSES
    ]
    assert summary.dtypes.astype(str).tolist() == [
        "str",
        "str",
        "str",
        "int64",
        "float64",
        "float64",
        "int64",
    ]


def test_next_quarter_rolls_over_the_year() -> None:
    frame = accounts({"last_used_at": "2026-07-15T10:00:00Z"})  # archive due 2027-01-15
    summary = summarize_retention(frame, dt.date(2026, 12, 31))
    assert summary.attrs["next_quarter_start"] == dt.date(2027, 1, 1)
    assert summary.attrs["next_quarter_end"] == dt.date(2027, 3, 31)
    pending = summary.set_index(["obligation", "status"]).loc[("archive", "pending")]
    assert pending["due_next_quarter"] == 1


def test_summary_agrees_with_assess_on_the_sample() -> None:
    sample = generate_accounts(3000, seed=11)
    assessed = assess_retention(sample, AS_OF)
    summary = summarize_retention(sample, AS_OF).set_index(["office", "obligation", "status"])
    for obligation in OBLIGATIONS:
        counts = assessed.groupby(["office", f"{obligation}_status"]).size()
        for (office, status), count in counts.items():
            assert summary.loc[(office, obligation, status), "accounts"] == count
        late = assessed[assessed[f"{obligation}_status"] == "overdue"]
        for office, group in late.groupby("office"):
            days = group[f"{obligation}_days_late"].astype(float)
            row = summary.loc[(office, obligation, "overdue")]
            assert row["median_days_late"] == round(float(np.percentile(days, 50)), 1)
            assert row["p90_days_late"] == round(float(np.percentile(days, 90)), 1)


def test_empty_input_gives_an_empty_summary_and_assessment() -> None:
    frame = generate_accounts(0)
    assert summarize_retention(frame, AS_OF).columns.tolist() == SUMMARY_COLUMNS
    assert summarize_retention(frame, AS_OF).empty
    assert assess_retention(frame, AS_OF).empty


# ---------------------------------------------------------- inputs and engines


def test_assess_output_columns_and_dtypes() -> None:
    result = assess_retention(generate_accounts(200, seed=2), AS_OF)
    assert result.columns.tolist() == [
        "account_id",
        "office",
        "archive_due",
        "archive_status",
        "delete_due",
        "delete_status",
        "archive_days_late",
        "delete_days_late",
    ]
    assert result.dtypes.astype(str).tolist() == [
        "str",
        "str",
        "datetime64[s]",
        "str",
        "datetime64[s]",
        "str",
        "Int64",
        "Int64",
    ]
    assert result["account_id"].is_monotonic_increasing
    assert set(result["archive_status"]) <= set(STATUSES)


def test_summarize_does_not_pull_rows_into_pandas(monkeypatch: pytest.MonkeyPatch) -> None:
    table = accounts_table(generate_accounts(5000, seed=8))
    backend = table._find_backend()
    pulled: list[int] = []
    original = type(backend).execute

    def spy(self: Any, expr: Any, /, **kwargs: Any) -> Any:
        result = original(self, expr, **kwargs)
        pulled.append(len(result))
        return result

    monkeypatch.setattr(type(backend), "execute", spy)
    summarize_retention(table, AS_OF)
    assert pulled == [2]  # one aggregate row per office


# ---------------------------------------------- properties: an independent oracle


def _add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def _oracle(frame: pd.DataFrame, as_of: dt.date, timezone: str) -> pd.DataFrame:
    """The rule re-stated in plain Python (zoneinfo, calendar), row by row."""
    zone = zoneinfo.ZoneInfo(timezone)

    def local(value: Any) -> dt.date | None:
        return None if pd.isna(value) else value.to_pydatetime().astimezone(zone).date()

    def judge(done: dt.date | None, due: dt.date) -> tuple[str, Any]:
        if done is not None and done > as_of:
            done = None
        if done is not None:
            return ("on_time", pd.NA) if done <= due else ("late", (done - due).days)
        return ("overdue", (as_of - due).days) if as_of > due else ("pending", pd.NA)

    rows = []
    for record in frame.itertuples():
        last, archived, deleted = map(
            local, (record.last_used_at, record.archived_at, record.deleted_at)
        )
        assert last is not None
        months = 72 if pd.isna(record.delete_after_months) else int(record.delete_after_months)
        deleted_by = deleted if deleted is not None and deleted <= as_of else None
        archived_by = archived if archived is not None and archived <= as_of else None
        archive_done = min((d for d in (archived_by, deleted_by) if d is not None), default=None)
        archive_due, delete_due = _add_months(last, 6), _add_months(last, months)
        archive_status, archive_late = judge(archive_done, archive_due)
        delete_status, delete_late = judge(deleted_by, delete_due)
        rows.append(
            {
                "account_id": record.account_id,
                "office": record.office,
                "archive_due": pd.Timestamp(archive_due),
                "archive_status": archive_status,
                "delete_due": pd.Timestamp(delete_due),
                "delete_status": delete_status,
                "archive_days_late": archive_late,
                "delete_days_late": delete_late,
            }
        )
    out = pd.DataFrame(rows).sort_values("account_id", ignore_index=True)
    for obligation in OBLIGATIONS:
        out[f"{obligation}_due"] = out[f"{obligation}_due"].astype("datetime64[s]")
        out[f"{obligation}_days_late"] = out[f"{obligation}_days_late"].astype("Int64")
    return out.astype({"account_id": "str", "office": "str"}).astype(
        {"archive_status": "str", "delete_status": "str"}
    )


_EPOCH_2016 = int(dt.datetime(2016, 1, 1, tzinfo=UTC).timestamp())
_EPOCH_2027 = int(dt.datetime(2027, 6, 1, tzinfo=UTC).timestamp())


@st.composite
def _instants(draw: st.DrawFn) -> int:
    """Epoch seconds, often within an hour of midnight UTC or of a clock change."""
    day = draw(st.integers(_EPOCH_2016 // 86400, _EPOCH_2027 // 86400))
    seconds = draw(
        st.one_of(
            st.integers(0, 86399),
            st.integers(82800, 86399),  # 23:00-23:59 UTC
            st.integers(0, 3599),  # 00:00-00:59 UTC
            st.integers(3590, 3610),  # around 01:00 UTC, when EU clocks change
        )
    )
    return int(day * 86400 + seconds)


@st.composite
def _account_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Small valid frames: archive and deletion at least a day after last use."""
    n = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        last = draw(_instants())
        after = st.one_of(st.none(), st.integers(86400 + 3600, 9 * 365 * 86400))
        archived, deleted = draw(after), draw(after)
        override = draw(st.one_of(st.none(), st.sampled_from([0, 1, 11, 24, 36, 84, 120])))
        rows.append(
            {
                "account_id": f"acc-{i:04d}",
                "office": draw(st.sampled_from(["london", "riga"])),
                "last_used_at": pd.Timestamp(last, unit="s", tz="UTC"),
                "archived_at": pd.Timestamp(last + archived, unit="s", tz="UTC")
                if archived is not None
                else pd.NaT,
                "deleted_at": pd.Timestamp(last + deleted, unit="s", tz="UTC")
                if deleted is not None
                else pd.NaT,
                "delete_after_months": override,
            }
        )
    frame = pd.DataFrame(rows)
    for name in ("last_used_at", "archived_at", "deleted_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True).astype("datetime64[us, UTC]")
    frame["delete_after_months"] = frame["delete_after_months"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """Write accounts as CSV: ISO 8601 timestamps with offset, empty for null."""
    out = frame.copy()
    for name in ("last_used_at", "archived_at", "deleted_at"):
        out[name] = out[name].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    out.to_csv(path, index=False)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    frame=_account_frames(),
    as_of=st.dates(dt.date(2017, 1, 1), dt.date(2027, 12, 31)),
    timezone=st.sampled_from(["Europe/London", "Europe/Riga", "America/New_York", "UTC"]),
)
def test_files_frames_and_the_oracle_agree(
    scratch: Path, frame: pd.DataFrame, as_of: dt.date, timezone: str
) -> None:
    expected = _oracle(frame, as_of, timezone)
    parquet, csv = scratch / "accounts.parquet", scratch / "accounts.csv"
    frame.to_parquet(parquet)
    _csv(frame, csv)
    for source in (frame, parquet, csv):
        result = assess_retention(source, as_of, timezone=timezone)
        pd.testing.assert_frame_equal(result, expected)


@settings(max_examples=10, deadline=None)
@given(
    instants=st.lists(_instants(), min_size=1, max_size=40),
    timezone=st.sampled_from(
        ["Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns"]
    ),
)
def test_local_dates_match_zoneinfo(instants: list[int], timezone: str) -> None:
    frame = accounts(
        *({"last_used_at": dt.datetime.fromtimestamp(s, UTC).isoformat()} for s in instants)
    )
    result = assess_retention(frame, dt.date(2030, 1, 1), timezone=timezone)
    expected = _oracle(frame, dt.date(2030, 1, 1), timezone)
    pd.testing.assert_series_equal(result["archive_due"], expected["archive_due"])


# ------------------------------------------------------------- two engines


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
def test_duckdb_and_pyspark_give_identical_results(spark: Any, tmp_path: Path) -> None:
    path = tmp_path / "accounts.parquet"
    write_accounts(path, 5000, seed=21)
    table = spark_table(spark, path, "accounts", tmp_path)

    for timezone in ("Europe/London", "Europe/Riga"):
        on_spark = summarize_retention(table, AS_OF, timezone=timezone)
        on_duckdb = summarize_retention(path, AS_OF, timezone=timezone)
        pd.testing.assert_frame_equal(on_spark, on_duckdb)
        assert on_duckdb["accounts"].sum() == 2 * 5000
    pd.testing.assert_frame_equal(assess_retention(table, AS_OF), assess_retention(path, AS_OF))


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")
def test_pyspark_reports_bad_rows_like_duckdb(spark: Any, tmp_path: Path) -> None:
    frame = accounts(
        {"last_used_at": "2025-01-15T12:00:00Z"},
        {"last_used_at": "2025-01-15T12:00:00Z", "archived_at": "2025-01-01T12:00:00Z"},
    )
    table = spark_table(spark, frame, "bad_accounts", tmp_path)
    # A Spark table says nothing of where its rows are: a count, and no id.
    message = r"column 'archived_at': is before last_used_at, in 1 row$"
    with pytest.raises(RetentionError, match=message):
        summarize_retention(table, AS_OF)
