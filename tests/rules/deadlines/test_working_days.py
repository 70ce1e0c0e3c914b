"""Tests for rules.deadlines.working_days: hand-counted cases and day-by-day properties."""

from __future__ import annotations

import datetime as dt

import holidays
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from juro_privacy.errors import DeadlineError
from juro_privacy.rules.deadlines import JURISDICTIONS
from juro_privacy.rules.deadlines.working_days import add_working_days, working_days_between

D = dt.date
CODES = list(JURISDICTIONS)
FIRST, LAST = D(2000, 1, 1), D(2040, 12, 31)


def office_holidays(jurisdiction):
    """The jurisdiction's holidays straight from the ``holidays`` package."""
    office = JURISDICTIONS[jurisdiction]
    return holidays.country_holidays(office.country, subdiv=office.subdiv)


def working(day, off):
    return day.weekday() < 5 and day not in off


# --- working days between two dates, and after one ----------------------------------


def days(*values):
    return pd.Series(pd.to_datetime(list(values)))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Thursday 21 August 2025 to Friday 29 August: Monday 25 is a bank holiday.
        ("2025-08-21", "2025-08-29", 5),
        ("2025-08-21", "2025-09-01", 6),
        # Friday to Monday: one working day; the same day: none.
        ("2025-08-22", "2025-08-26", 1),  # Monday 25 August is the bank holiday
        ("2024-09-06", "2024-09-09", 1),
        ("2024-09-06", "2024-09-06", 0),
        # Saturday to the next Saturday: the five weekdays between.
        ("2024-09-07", "2024-09-14", 5),
        # backwards counts negative
        ("2025-08-29", "2025-08-21", -5),
        # Christmas week 2024: 25, 26 December are bank holidays.
        ("2024-12-20", "2024-12-31", 5),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(days(start), days(end)).iloc[0] == expected


def test_working_days_follow_each_rows_jurisdiction():
    # 23 and 24 June 2025 are Latvian holidays (Līgo and Jāņi), not English ones.
    start, end = days("2025-06-20", "2025-06-20"), days("2025-06-27", "2025-06-27")
    got = working_days_between(start, end, jurisdiction=pd.Series(["GB-ENG", "LV"]))
    assert got.tolist() == [5, 3]


def test_working_days_of_a_missing_date_are_missing():
    got = working_days_between(days("2025-01-06", None), days(None, "2025-01-10"))
    assert got.isna().all() and str(got.dtype) == "Int64"


def test_working_days_read_utc_timestamps_on_the_office_clock():
    # 22:30 UTC on Thursday 26 June 2025 is still Thursday in London, Friday in Riga.
    start = pd.Series(pd.to_datetime(["2025-06-26T22:30:00Z"]))
    end = pd.Series(pd.to_datetime(["2025-06-27T12:00:00Z"]))
    assert working_days_between(start, end, jurisdiction="GB-ENG").iloc[0] == 1
    assert working_days_between(start, end, jurisdiction="LV").iloc[0] == 0


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-08-21", 5, "2025-08-29"),  # over the August bank holiday
        ("2025-08-22", 1, "2025-08-26"),
        ("2024-09-07", 1, "2024-09-09"),  # from a Saturday: Monday is the first
        ("2024-09-07", 0, "2024-09-07"),
        ("2024-12-20", 5, "2024-12-31"),
        ("2026-08-27", 5, "2026-09-04"),  # the sample's planted forwarding
    ],
)
def test_add_working_days(start, n, expected):
    got = add_working_days(days(start), n)
    assert got.iloc[0] == pd.Timestamp(expected)
    assert str(got.dtype) == "datetime64[ns]" and got.name == "working_day"


def test_add_working_days_keeps_missing_and_refuses_negative():
    assert add_working_days(days(None), 3).isna().all()
    with pytest.raises(DeadlineError, match="whole number"):
        add_working_days(days("2025-01-01"), -1)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(FIRST, LAST), n=st.integers(0, 400), jurisdiction=st.sampled_from(CODES))
def test_add_working_days_is_the_first_day_n_working_days_later(start, n, jurisdiction):
    moved = add_working_days(days(start), n, jurisdiction=jurisdiction)
    counted = working_days_between(days(start), moved, jurisdiction=jurisdiction)
    assert counted.iloc[0] == n
    if n:
        earlier = moved - pd.Timedelta(days=1)
        before = working_days_between(days(start), earlier, jurisdiction=jurisdiction)
        assert before.iloc[0] == n - 1
        assert working(moved.iloc[0].date(), office_holidays(jurisdiction))


@settings(max_examples=200, deadline=None)
@given(a=st.dates(FIRST, LAST), b=st.dates(FIRST, LAST), jurisdiction=st.sampled_from(CODES))
def test_working_days_between_counts_days_one_by_one(a, b, jurisdiction):
    low, high = min(a, b), max(a, b)
    if (high - low).days > 120:
        high = low + dt.timedelta(days=120)
    off = office_holidays(jurisdiction)
    expected = sum(
        working(low + dt.timedelta(days=k), off) for k in range(1, (high - low).days + 1)
    )
    got = working_days_between(days(low), days(high), jurisdiction=jurisdiction)
    assert got.iloc[0] == expected
