"""Tests for juro_privacy.deadlines: the ICO's examples, hand-computed cases, properties.

Weekdays of the expected dates are written beside them so a reader can check them.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from juro_privacy import deadlines
from juro_privacy.deadlines import JURISDICTIONS, RULES, due_date, due_dates
from juro_privacy.errors import DeadlineError, InputError

D = dt.date
UTC = dt.UTC
CODES = list(JURISDICTIONS)


def one(received, **kwargs):
    """``due_dates`` on a one-row column, as a date, to check it beside ``due_date``."""
    series_kwargs = {
        key: pd.Series([value]) if key in {"verified", "extended"} else value
        for key, value in kwargs.items()
    }
    return due_dates(pd.Series([received]), **series_kwargs).dt.date.iloc[0]


def both(received, **kwargs):
    """The due date from ``due_date``, after checking ``due_dates`` agrees."""
    single = due_date(received, **kwargs)
    assert one(received, **kwargs) == single
    return single


# --- the ICO's published examples ------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Received 1 January: due 1 February (Thursday).
        (D(2024, 1, 1), D(2024, 2, 1)),
        # Monday 25 November: 25 December is Christmas, 26 Boxing Day: Friday 27 December.
        (D(2024, 11, 25), D(2024, 12, 27)),
        # 31 January: no 31 February, so the month's last day (Tuesday 28 February).
        (D(2023, 1, 31), D(2023, 2, 28)),
        # ... 29 February (Thursday) in a leap year.
        (D(2024, 1, 31), D(2024, 2, 29)),
        # ... 28 February 2021 is a Sunday: Monday 1 March.
        (D(2021, 1, 31), D(2021, 3, 1)),
        # ... 29 February 2020 is a Saturday: Monday 2 March.
        (D(2020, 1, 31), D(2020, 3, 2)),
        # 3 September: 3 October (Thursday).
        (D(2024, 9, 3), D(2024, 10, 3)),
    ],
)
def test_ico_examples(received, expected):
    assert both(received) == expected


def test_receipt_on_a_bank_holiday_still_counts_as_day_one():
    # Monday 6 May 2024 was the early May bank holiday: due Thursday 6 June.
    assert both(D(2024, 5, 6)) == D(2024, 6, 6)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Saturday 6 January 2024: due Tuesday 6 February.
        (D(2024, 1, 6), D(2024, 2, 6)),
        # Easter Saturday 30 March 2024: due Tuesday 30 April.
        (D(2024, 3, 30), D(2024, 4, 30)),
    ],
)
def test_receipt_on_a_weekend_still_counts_as_day_one(received, expected):
    assert both(received) == expected


# --- extension: three months from the start in one step --------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # 30 November 2023 + 3 months: 29 February 2024 (Thursday, leap year).
        (D(2023, 11, 30), D(2024, 2, 29)),
        # 30 November 2022 + 3 months: 28 February 2023 (Tuesday).
        (D(2022, 11, 30), D(2023, 2, 28)),
        # 31 January 2024: 30 April (Tuesday); one month then two would give 29 April.
        (D(2024, 1, 31), D(2024, 4, 30)),
        # 31 January 2023: 30 April is a Sunday, 1 May the bank holiday: Tuesday 2 May.
        # (One month, rolled, then two more would give Friday 28 April.)
        (D(2023, 1, 31), D(2023, 5, 2)),
        # 1 January 2024: 1 April is Easter Monday: Tuesday 2 April.
        (D(2024, 1, 1), D(2024, 4, 2)),
    ],
)
def test_extension_is_three_months_from_the_start(received, expected):
    assert both(received, extended=True) == expected


# --- jurisdictions: each one's own holidays ---------------------------------------------


@pytest.mark.parametrize(
    ("received", "by_jurisdiction"),
    [
        # 2 January 2025 (Thursday): a bank holiday in Scotland only.
        (D(2024, 12, 2), {"GB-ENG": D(2025, 1, 2), "GB-SCT": D(2025, 1, 3)}),
        # St Andrew's Day, Thursday 30 November 2023: Scotland only.
        (D(2023, 10, 30), {"GB-ENG": D(2023, 11, 30), "GB-SCT": D(2023, 12, 1)}),
        # Summer bank holiday: first Monday of August in Scotland (5 August 2024) ...
        (D(2024, 7, 5), {"GB-ENG": D(2024, 8, 5), "GB-SCT": D(2024, 8, 6)}),
        # ... last Monday of August in England and Wales (26 August 2024).
        (D(2024, 7, 26), {"GB-ENG": D(2024, 8, 27), "GB-SCT": D(2024, 8, 26)}),
        # St Patrick's Day, Monday 17 March 2025: Northern Ireland only.
        (D(2025, 2, 17), {"GB-ENG": D(2025, 3, 17), "GB-NIR": D(2025, 3, 18)}),
        # 17 March 2024 was a Sunday; NI's substitute day is Monday 18 March.
        (D(2024, 2, 17), {"GB-ENG": D(2024, 3, 18), "GB-NIR": D(2024, 3, 19)}),
        # Battle of the Boyne, Friday 12 July 2024: Northern Ireland only.
        (D(2024, 6, 12), {"GB-ENG": D(2024, 7, 12), "GB-NIR": D(2024, 7, 15)}),
        # Restoration of Independence, Thursday 4 May 2023, and Friday 5 May, a
        # transferred day off: Latvia goes to Monday 8 May.
        (D(2023, 4, 4), {"GB-ENG": D(2023, 5, 4), "LV": D(2023, 5, 8)}),
        # Līgo and Jāņi, Monday 23 and Tuesday 24 June 2025: Wednesday 25 June.
        (D(2025, 5, 23), {"GB-ENG": D(2025, 6, 23), "LV": D(2025, 6, 25)}),
        # Proclamation Day, Tuesday 18 November 2025: Wednesday 19 November.
        (D(2025, 10, 18), {"GB-ENG": D(2025, 11, 18), "LV": D(2025, 11, 19)}),
        # Monday 23 December 2024 (transferred day off), 24-26 December: Friday 27.
        (D(2024, 11, 23), {"GB-ENG": D(2024, 12, 23), "LV": D(2024, 12, 27)}),
        # Saturday 14 December 2024 was a working Saturday in Latvia; Reg. 1182/71
        # Art. 3(4) still moves a Saturday deadline: Monday 16 December.
        (D(2024, 11, 14), {"GB-ENG": D(2024, 12, 16), "LV": D(2024, 12, 16)}),
    ],
)
def test_each_jurisdiction_uses_its_own_holidays(received, by_jurisdiction):
    for jurisdiction, expected in by_jurisdiction.items():
        assert both(received, jurisdiction=jurisdiction) == expected, jurisdiction


def test_a_column_can_mix_jurisdictions():
    received = pd.Series([D(2024, 12, 2)] * 4 + [D(2025, 10, 18)], index=list("abcde"))
    where = pd.Series(["GB-ENG", "GB-SCT", "GB-NIR", "LV", "LV"], index=list("abcde"))
    expected = [D(2025, 1, 2), D(2025, 1, 3), D(2025, 1, 2), D(2025, 1, 2), D(2025, 11, 19)]
    for codes in (where, where.astype("category"), where.astype(object), where.astype("str")):
        due = due_dates(received, jurisdiction=codes)
        assert due.dt.date.tolist() == expected
        assert due.index.tolist() == list("abcde")


# --- when the clock starts --------------------------------------------------------------


def test_verification_restarts_the_clock():
    # Received Wednesday 10 January, identity confirmed Saturday 20 January 2024:
    # due Tuesday 20 February.
    assert both(D(2024, 1, 10), verified=D(2024, 1, 20)) == D(2024, 2, 20)


def test_verification_the_same_day_changes_nothing():
    assert both(D(2024, 9, 3), verified=D(2024, 9, 3)) == D(2024, 10, 3)


def test_verified_none_or_nat_means_not_needed():
    assert due_date(D(2024, 9, 3), verified=pd.NaT) == D(2024, 10, 3)
    received = pd.Series(pd.to_datetime(["2024-09-03", "2024-01-10"]))
    verified = pd.Series(pd.to_datetime([None, "2024-01-20"]))
    due = due_dates(received, verified=verified)
    assert due.dt.date.tolist() == [D(2024, 10, 3), D(2024, 2, 20)]


def test_extension_counts_from_verification():
    # Verified 31 January 2024: three months is 30 April (Tuesday).
    assert both(D(2024, 1, 5), verified=D(2024, 1, 31), extended=True) == D(2024, 4, 30)


# --- local dates and time zones ---------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "jurisdiction", "expected"),
    [
        # 23:30 UTC on 30 June is 00:30 BST on 1 July in London: due Thursday 1 August.
        (dt.datetime(2024, 6, 30, 23, 30, tzinfo=UTC), "GB-ENG", D(2024, 8, 1)),
        # 23:30 UTC on 2 December is 23:30 GMT in London, still 2 December: 2 January.
        (dt.datetime(2024, 12, 2, 23, 30, tzinfo=UTC), "GB-ENG", D(2025, 1, 2)),
        # 21:30 UTC on 30 June is 00:30 on 1 July in Riga (UTC+3): 1 August.
        (dt.datetime(2024, 6, 30, 21, 30, tzinfo=UTC), "LV", D(2024, 8, 1)),
        # 20:30 UTC on 30 June is 23:30 in Riga, still 30 June: Tuesday 30 July.
        (dt.datetime(2024, 6, 30, 20, 30, tzinfo=UTC), "LV", D(2024, 7, 30)),
        # 22:30 UTC on 4 March is 00:30 on 5 March in Riga (UTC+2): Friday 5 April ...
        (dt.datetime(2024, 3, 4, 22, 30, tzinfo=UTC), "LV", D(2024, 4, 5)),
        # ... and 22:30 on 4 March in London: Thursday 4 April.
        (dt.datetime(2024, 3, 4, 22, 30, tzinfo=UTC), "GB-ENG", D(2024, 4, 4)),
        # A Riga timestamp judged by the London office: 00:30 Riga is 22:30 London.
        (pd.Timestamp("2024-07-01 00:30", tz="Europe/Riga"), "GB-ENG", D(2024, 7, 30)),
        # A naive datetime is the office's local time: 30 June.
        (dt.datetime(2024, 6, 30, 23, 30), "GB-ENG", D(2024, 7, 30)),
        (pd.Timestamp("2024-06-30 23:30"), "LV", D(2024, 7, 30)),
        # ISO strings, with or without an offset.
        ("2024-06-30T23:30:00Z", "GB-ENG", D(2024, 8, 1)),
        ("2024-06-30T23:30:00+00:00", "LV", D(2024, 8, 1)),
        ("2024-09-03", "GB-ENG", D(2024, 10, 3)),
        (np.datetime64("2024-09-03"), "GB-ENG", D(2024, 10, 3)),
    ],
)
def test_the_office_local_date_counts(received, jurisdiction, expected):
    assert both(received, jurisdiction=jurisdiction) == expected


def test_utc_column_converted_per_office():
    received = pd.Series(pd.to_datetime(["2024-06-30 23:30"] * 2 + ["2024-06-30 20:30"] * 2))
    received = received.dt.tz_localize("UTC")
    where = pd.Series(["GB-ENG", "LV", "GB-ENG", "LV"])
    due = due_dates(received, jurisdiction=where)
    assert due.dt.date.tolist() == [D(2024, 8, 1), D(2024, 8, 1), D(2024, 7, 30), D(2024, 7, 30)]


def test_column_of_mixed_offsets_is_judged_row_by_row():
    received = pd.Series(
        [
            "2024-06-30T23:30:00+00:00",
            "2024-12-02T23:30:00+00:00",
            "2024-07-01T00:30:00+03:00",
            dt.datetime(2024, 6, 30, 23, 30),
            D(2024, 9, 3),
            None,
        ],
        dtype=object,
    )
    verified = received.copy()
    received.iloc[-1] = D(2024, 9, 3)
    due = due_dates(received, verified=verified, jurisdiction="GB-ENG")
    expected = [due_date(value) for value in received]
    assert due.dt.date.tolist() == expected
    assert expected[:3] == [D(2024, 8, 1), D(2025, 1, 2), D(2024, 7, 30)]


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Riga"])
def test_clock_changes_converted_exactly(zone, monkeypatch):
    # Instants around the spring and autumn clock changes of 2024 (01:00 UTC on
    # 31 March and 27 October), every 10 minutes across the local midnights nearby.
    instants = pd.concat(
        [
            pd.Series(pd.date_range(f"2024-{day} 19:00", periods=60, freq="10min", tz="UTC"))
            for day in ("03-30", "03-31", "10-26", "10-27")
        ],
        ignore_index=True,
    )
    where = "GB-ENG" if zone == "Europe/London" else "LV"
    expected = [due_date(t, jurisdiction=where) for t in instants]
    assert due_dates(instants, jurisdiction=where).dt.date.tolist() == expected
    # The same through pandas' own conversion instead of the hourly offsets.
    monkeypatch.setattr(deadlines, "_hourly_offsets", lambda *args: None)
    assert due_dates(instants, jurisdiction=where).dt.date.tolist() == expected


def test_hourly_offsets_refuse_a_zone_that_changes_within_an_hour():
    # Lord Howe Island moves its clocks by 30 minutes at 15:30 UTC: one offset per UTC
    # hour would be wrong there, so the table is refused and pandas converts instead.
    assert deadlines._hourly_offsets("Australia/Lord_Howe", 2020, 2029) is None
    assert deadlines._hourly_offsets("Europe/London", 2020, 2029) is not None
    assert deadlines._hourly_offsets("Europe/Riga", 2020, 2029) is not None


# --- the optional 28-day rule -----------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # 3 September + 28 days: Tuesday 1 October (calendar month: 3 October).
        (D(2024, 9, 3), D(2024, 10, 1)),
        # 1 February 2023 + 28 days: 1 March, the same as the calendar month.
        (D(2023, 2, 1), D(2023, 3, 1)),
        # Monday 25 November 2024 + 28 days: Monday 23 December.
        (D(2024, 11, 25), D(2024, 12, 23)),
        # Saturday 6 January 2024 + 28 days is Saturday 3 February: Monday 5 February.
        (D(2024, 1, 6), D(2024, 2, 5)),
        # 28 November 2024 + 28 days is Boxing Day: Friday 27 December.
        (D(2024, 11, 28), D(2024, 12, 27)),
    ],
)
def test_28_day_rule(received, expected):
    assert both(received, rule="28-day") == expected


def test_28_day_rule_keeps_three_months_when_extended():
    assert both(D(2024, 1, 31), extended=True, rule="28-day") == D(2024, 4, 30)


# --- the column function's shape -------------------------------------------------------


def test_due_dates_returns_naive_datetime64_ns_on_the_same_index():
    received = pd.Series([D(2024, 9, 3), D(2024, 1, 31)], index=["r1", "r2"], name="received")
    due = due_dates(received)
    assert due.dtype == np.dtype("datetime64[ns]")
    assert due.name == "due_date"
    assert due.index.tolist() == ["r1", "r2"]
    assert due.tolist() == [pd.Timestamp("2024-10-03"), pd.Timestamp("2024-02-29")]


def test_due_dates_accepts_dates_datetimes_and_strings_alike():
    as_dates = pd.Series([D(2024, 9, 3), D(2024, 1, 31)])
    expected = due_dates(as_dates).tolist()
    assert due_dates(pd.Series(["2024-09-03", "2024-01-31"])).tolist() == expected
    assert due_dates(
        pd.Series(pd.to_datetime(["2024-09-03 10:00", "2024-01-31 23:59"]))
    ).tolist() == (expected)
    as_seconds = pd.Series(pd.to_datetime(["2024-09-03", "2024-01-31"]).as_unit("s"))
    assert due_dates(as_seconds).tolist() == expected


def test_due_dates_accepts_arrow_backed_columns():
    # As read from Parquet with dtype_backend="pyarrow".
    dates = pd.Series([D(2024, 9, 3), D(2024, 1, 31)], dtype=pd.ArrowDtype(pa.date32()))
    assert due_dates(dates).dt.date.tolist() == [D(2024, 10, 3), D(2024, 2, 29)]
    stamps = pd.Series(
        [pd.Timestamp("2024-06-30 23:30", tz="UTC"), pd.Timestamp("2024-06-30 20:30", tz="UTC")],
        dtype=pd.ArrowDtype(pa.timestamp("ms", tz="UTC")),
    )
    assert due_dates(stamps, jurisdiction="LV").dt.date.tolist() == [
        D(2024, 8, 1),
        D(2024, 7, 30),
    ]


def test_due_dates_of_an_empty_column():
    due = due_dates(pd.Series([], dtype="datetime64[ns]"))
    assert due.empty
    assert due.dtype == np.dtype("datetime64[ns]")


def test_due_dates_of_an_empty_utc_column():
    due = due_dates(pd.Series([], dtype="datetime64[ns, UTC]"), jurisdiction="LV")
    assert due.empty
    assert due.dtype == np.dtype("datetime64[ns]")


def test_extended_accepts_nullable_booleans_without_gaps():
    received = pd.Series([D(2024, 1, 31), D(2024, 1, 31)])
    extended = pd.Series([True, False], dtype="boolean")
    assert due_dates(received, extended=extended).dt.date.tolist() == [
        D(2024, 4, 30),
        D(2024, 2, 29),
    ]


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, pd.NaT, float("nan"), np.datetime64("NaT")])
def test_missing_received_date(missing):
    with pytest.raises(DeadlineError, match="received date is missing"):
        due_date(missing)


def test_missing_received_dates_in_a_column_are_counted_and_named():
    received = pd.Series(
        [D(2024, 1, 1), None, D(2024, 1, 2), None], index=["a", "b", "c", "d"], dtype=object
    )
    with pytest.raises(DeadlineError, match=r"received date is missing in 2 rows \(b, d\)"):
        due_dates(received)
    with pytest.raises(DeadlineError, match=r"missing in 2 rows \(b, d\)"):
        due_dates(pd.to_datetime(received))


def test_verified_before_received():
    with pytest.raises(
        DeadlineError, match=r"verified \(2024-01-09\) is before received \(2024-01-10\)"
    ):
        due_date(D(2024, 1, 10), verified=D(2024, 1, 9))


def test_verified_before_received_in_a_column_lists_first_rows():
    received = pd.Series([D(2024, 1, 10)] * 7, index=[f"req-{i}" for i in range(7)])
    verified = pd.Series([D(2024, 1, 9)] * 6 + [D(2024, 1, 11)], index=received.index)
    message = (
        r"verified is before received in 6 rows "
        r"\(req-0, req-1, req-2, req-3, req-4 and 1 more\)"
    )
    with pytest.raises(DeadlineError, match=message):
        due_dates(received, verified=verified)


def test_verified_before_received_after_time_zone_conversion():
    # 22:30 UTC on 9 January is 10 January in Riga: not before a request of 10 January.
    assert due_date(
        D(2024, 1, 10), verified=dt.datetime(2024, 1, 9, 22, 30, tzinfo=UTC), jurisdiction="LV"
    ) == D(2024, 2, 12)
    with pytest.raises(DeadlineError, match="before received"):
        due_date(D(2024, 1, 10), verified=dt.datetime(2024, 1, 9, 22, 30, tzinfo=UTC))


@pytest.mark.parametrize("jurisdiction", ["GB", "UK", "gb-eng", "GB-WLS", "EE", None])
def test_unknown_jurisdiction(jurisdiction):
    with pytest.raises(
        DeadlineError, match=r"unknown jurisdiction .*; known: GB-ENG, GB-SCT, GB-NIR, LV"
    ):
        due_date(D(2024, 1, 1), jurisdiction=jurisdiction)
    with pytest.raises(DeadlineError, match="unknown jurisdiction"):
        due_dates(pd.Series([D(2024, 1, 1)]), jurisdiction=jurisdiction)


def test_unknown_jurisdictions_in_a_column_are_counted_and_named():
    received = pd.Series([D(2024, 1, 1)] * 4, index=[10, 11, 12, 13])
    where = pd.Series(["GB-ENG", "FR", None, "LV"], index=received.index)
    for codes in (where, where.astype("category"), where.astype("str")):
        with pytest.raises(
            DeadlineError, match=r"unknown jurisdiction .*FR.* in 2 rows \(11, 12\)"
        ):
            due_dates(received, jurisdiction=codes)


@pytest.mark.parametrize("rule", ["month", "30-day", "Calendar-Month", None])
def test_unknown_rule(rule):
    with pytest.raises(DeadlineError, match="unknown rule"):
        due_date(D(2024, 1, 1), rule=rule)
    with pytest.raises(DeadlineError, match="unknown rule"):
        due_dates(pd.Series([D(2024, 1, 1)]), rule=rule)


@pytest.mark.parametrize("received", ["3 September 2024", "2024-13-01", "", 20240903, [2024]])
def test_not_a_date(received):
    with pytest.raises(DeadlineError, match="received"):
        due_date(received)


def test_not_dates_in_a_column_are_counted_and_named():
    received = pd.Series(["2024-09-03", "soon", "2024-02-30"], index=["x", "y", "z"])
    with pytest.raises(DeadlineError, match=r"received is not a date in 2 rows \(y, z\)"):
        due_dates(received)
    with pytest.raises(DeadlineError, match=r"received is not a date in 1 row \(b\)"):
        due_dates(pd.Series([D(2024, 1, 1), 5], index=["a", "b"], dtype=object))


@pytest.mark.parametrize("received", [D(1899, 12, 31), D(2200, 1, 1), D(1, 1, 1), "9999-12-31"])
def test_dates_outside_the_supported_years(received):
    with pytest.raises(DeadlineError, match="outside 1900-2199"):
        due_date(received)
    with pytest.raises(DeadlineError, match=r"outside 1900-2199 in 1 row \(1\)"):
        due_dates(pd.Series([D(2024, 1, 1), received], dtype=object))


def test_utc_timestamps_beyond_nanosecond_range_are_refused_by_row():
    received = pd.Series(
        [pd.Timestamp("2024-06-30 23:30", tz="UTC"), pd.Timestamp("9999-06-30", tz="UTC")],
        dtype="datetime64[s, UTC]",
        index=["ok", "far"],
    )
    with pytest.raises(DeadlineError, match=r"outside 1900-2199 in 1 row \(far\)"):
        due_dates(received)


def test_extended_must_be_a_boolean():
    with pytest.raises(DeadlineError, match="extended must be True or False"):
        due_date(D(2024, 1, 1), extended="yes")  # type: ignore[arg-type]
    received = pd.Series([D(2024, 1, 1)] * 3)
    with pytest.raises(DeadlineError, match=r"extended is missing in 1 row \(1\)"):
        due_dates(received, extended=pd.Series([True, None, False]))
    with pytest.raises(DeadlineError, match=r"extended is not True or False in 2 rows \(0, 2\)"):
        due_dates(received, extended=pd.Series(["yes", False, "no"]))


def test_columns_must_share_the_index():
    received = pd.Series([D(2024, 1, 1), D(2024, 1, 2)], index=["a", "b"])
    other = pd.Series([D(2024, 1, 3), D(2024, 1, 4)], index=["b", "c"])
    for name in ("verified", "extended", "jurisdiction"):
        with pytest.raises(DeadlineError, match=f"{name} must have the same index"):
            due_dates(received, **{name: other})
    with pytest.raises(DeadlineError, match="received must be a pandas Series"):
        due_dates([D(2024, 1, 1)])  # type: ignore[arg-type]
    with pytest.raises(DeadlineError, match="verified must be a pandas Series"):
        due_dates(received, verified=[D(2024, 1, 1)] * 2)  # type: ignore[arg-type]


def test_deadline_errors_are_input_errors():
    assert issubclass(DeadlineError, InputError)
    assert DeadlineError.exit_code == 2


# --- properties over random requests ------------------------------------------------------

FIRST, LAST = D(2000, 1, 1), D(2040, 12, 31)

requests = st.lists(
    st.tuples(
        st.dates(FIRST, LAST),
        st.one_of(st.none(), st.integers(0, 60)),  # days until verified, if needed
        st.booleans(),  # extended
        st.sampled_from(CODES),
    ),
    min_size=1,
    max_size=40,
)


def columns(rows):
    """``due_dates`` arguments from (received, days to verification, extended, code) rows."""
    index = pd.Index([f"r{i}" for i in range(len(rows))])
    received = pd.Series([r for r, _, _, _ in rows], index=index)
    verified = pd.Series(
        [r + dt.timedelta(days=v) if v is not None else None for r, v, _, _ in rows],
        index=index,
        dtype=object,
    )
    extended = pd.Series([e for _, _, e, _ in rows], index=index)
    where = pd.Series([j for _, _, _, j in rows], index=index)
    return received, verified, extended, where


@settings(max_examples=300, deadline=None)
@given(rows=requests, rule=st.sampled_from(RULES))
def test_due_dates_agrees_with_due_date_row_by_row(rows, rule):
    received, verified, extended, where = columns(rows)
    due = due_dates(received, verified=verified, extended=extended, jurisdiction=where, rule=rule)
    expected = [
        due_date(r, verified=v, extended=e, jurisdiction=j, rule=rule)
        for r, v, e, j in zip(received, verified, extended, where, strict=True)
    ]
    assert due.dt.date.tolist() == expected


@settings(max_examples=200, deadline=None)
@given(
    seconds=st.lists(
        st.integers(
            int(dt.datetime(2000, 1, 1, tzinfo=UTC).timestamp()),
            int(dt.datetime(2040, 12, 31, 23, 59, tzinfo=UTC).timestamp()),
        ),
        min_size=1,
        max_size=40,
    ),
    data=st.data(),
)
def test_due_dates_agrees_with_due_date_on_utc_timestamps(seconds, data):
    instants = pd.Series(pd.to_datetime(seconds, unit="s", utc=True))
    where = pd.Series(
        data.draw(st.lists(st.sampled_from(CODES), min_size=len(seconds), max_size=len(seconds)))
    )
    due = due_dates(instants, jurisdiction=where)
    expected = [due_date(t, jurisdiction=j) for t, j in zip(instants, where, strict=True)]
    assert due.dt.date.tolist() == expected


def office_holidays(jurisdiction):
    """The jurisdiction's holidays straight from the ``holidays`` package."""
    office = JURISDICTIONS[jurisdiction]
    return holidays.country_holidays(office.country, subdiv=office.subdiv)


def working(day, off):
    return day.weekday() < 5 and day not in off


@settings(max_examples=300, deadline=None)
@given(
    received=st.dates(FIRST, LAST),
    wait=st.one_of(st.none(), st.integers(0, 60)),
    extended=st.booleans(),
    jurisdiction=st.sampled_from(CODES),
)
def test_due_date_is_the_first_working_day_on_or_after_the_month_shifted_date(
    received, wait, extended, jurisdiction
):
    verified = None if wait is None else received + dt.timedelta(days=wait)
    start = verified or received
    # dateutil's month arithmetic, independent of ours: same date, or the month's end.
    unadjusted = start + relativedelta(months=3 if extended else 1)
    due = due_date(received, verified=verified, extended=extended, jurisdiction=jurisdiction)
    off = office_holidays(jurisdiction)
    assert due >= unadjusted
    assert working(due, off)
    day = unadjusted
    while day < due:
        assert not working(day, off), day
        day += dt.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(received=st.dates(FIRST, LAST), jurisdiction=st.sampled_from(CODES))
def test_28_day_rule_is_never_later_than_the_calendar_month(received, jurisdiction):
    fixed = due_date(received, jurisdiction=jurisdiction, rule="28-day")
    assert fixed <= due_date(received, jurisdiction=jurisdiction)
    assert fixed >= received + dt.timedelta(days=28)
    assert working(fixed, office_holidays(jurisdiction))


# --- working days between two dates, and after one ---------------------------------------


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
    assert deadlines.working_days_between(days(start), days(end)).iloc[0] == expected


def test_working_days_follow_each_rows_jurisdiction():
    # 23 and 24 June 2025 are Latvian holidays (Līgo and Jāņi), not English ones.
    start, end = days("2025-06-20", "2025-06-20"), days("2025-06-27", "2025-06-27")
    got = deadlines.working_days_between(start, end, jurisdiction=pd.Series(["GB-ENG", "LV"]))
    assert got.tolist() == [5, 3]


def test_working_days_of_a_missing_date_are_missing():
    got = deadlines.working_days_between(days("2025-01-06", None), days(None, "2025-01-10"))
    assert got.isna().all() and str(got.dtype) == "Int64"


def test_working_days_read_utc_timestamps_on_the_office_clock():
    # 22:30 UTC on Thursday 26 June 2025 is still Thursday in London, Friday in Riga.
    start = pd.Series(pd.to_datetime(["2025-06-26T22:30:00Z"]))
    end = pd.Series(pd.to_datetime(["2025-06-27T12:00:00Z"]))
    assert deadlines.working_days_between(start, end, jurisdiction="GB-ENG").iloc[0] == 1
    assert deadlines.working_days_between(start, end, jurisdiction="LV").iloc[0] == 0


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
    got = deadlines.add_working_days(days(start), n)
    assert got.iloc[0] == pd.Timestamp(expected)
    assert str(got.dtype) == "datetime64[ns]" and got.name == "working_day"


def test_add_working_days_keeps_missing_and_refuses_negative():
    assert deadlines.add_working_days(days(None), 3).isna().all()
    with pytest.raises(DeadlineError, match="whole number"):
        deadlines.add_working_days(days("2025-01-01"), -1)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(FIRST, LAST), n=st.integers(0, 400), jurisdiction=st.sampled_from(CODES))
def test_add_working_days_is_the_first_day_n_working_days_later(start, n, jurisdiction):
    moved = deadlines.add_working_days(days(start), n, jurisdiction=jurisdiction)
    counted = deadlines.working_days_between(days(start), moved, jurisdiction=jurisdiction)
    assert counted.iloc[0] == n
    if n:
        earlier = moved - pd.Timedelta(days=1)
        before = deadlines.working_days_between(days(start), earlier, jurisdiction=jurisdiction)
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
    got = deadlines.working_days_between(days(low), days(high), jurisdiction=jurisdiction)
    assert got.iloc[0] == expected
