"""Tests for rules.deadlines.columns: the column version of due_date, its shape and errors.

Weekdays of the expected dates are written beside them so a reader can check them. The
checks that due_dates agrees with due_date row by row stay in tests/test_deadlines.py.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from juro_privacy.errors import DeadlineError
from juro_privacy.rules.deadlines.columns import due_dates

D = dt.date


# --- jurisdictions: each one's own holidays -----------------------------------------


def test_a_column_can_mix_jurisdictions():
    received = pd.Series([D(2024, 12, 2)] * 4 + [D(2025, 10, 18)], index=list("abcde"))
    where = pd.Series(["GB-ENG", "GB-SCT", "GB-NIR", "LV", "LV"], index=list("abcde"))
    expected = [D(2025, 1, 2), D(2025, 1, 3), D(2025, 1, 2), D(2025, 1, 2), D(2025, 11, 19)]
    for codes in (where, where.astype("category"), where.astype(object), where.astype("str")):
        due = due_dates(received, jurisdiction=codes)
        assert due.dt.date.tolist() == expected
        assert due.index.tolist() == list("abcde")


# --- local dates and time zones -----------------------------------------------------


def test_utc_column_converted_per_office():
    received = pd.Series(pd.to_datetime(["2024-06-30 23:30"] * 2 + ["2024-06-30 20:30"] * 2))
    received = received.dt.tz_localize("UTC")
    where = pd.Series(["GB-ENG", "LV", "GB-ENG", "LV"])
    due = due_dates(received, jurisdiction=where)
    assert due.dt.date.tolist() == [D(2024, 8, 1), D(2024, 8, 1), D(2024, 7, 30), D(2024, 7, 30)]


# --- the column function's shape ----------------------------------------------------


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


# --- errors -------------------------------------------------------------------------


def test_missing_received_dates_in_a_column_are_counted_and_named():
    received = pd.Series(
        [D(2024, 1, 1), None, D(2024, 1, 2), None], index=["a", "b", "c", "d"], dtype=object
    )
    with pytest.raises(DeadlineError, match=r"received date is missing in 2 rows \(b, d\)"):
        due_dates(received)
    with pytest.raises(DeadlineError, match=r"missing in 2 rows \(b, d\)"):
        due_dates(pd.to_datetime(received))


def test_verified_before_received_in_a_column_lists_first_rows():
    received = pd.Series([D(2024, 1, 10)] * 7, index=[f"req-{i}" for i in range(7)])
    verified = pd.Series([D(2024, 1, 9)] * 6 + [D(2024, 1, 11)], index=received.index)
    message = (
        r"verified is before received in 6 rows "
        r"\(req-0, req-1, req-2, req-3, req-4 and 1 more\)"
    )
    with pytest.raises(DeadlineError, match=message):
        due_dates(received, verified=verified)


def test_unknown_jurisdictions_in_a_column_are_counted_and_named():
    received = pd.Series([D(2024, 1, 1)] * 4, index=[10, 11, 12, 13])
    where = pd.Series(["GB-ENG", "FR", None, "LV"], index=received.index)
    for codes in (where, where.astype("category"), where.astype("str")):
        with pytest.raises(
            DeadlineError, match=r"unknown jurisdiction .*FR.* in 2 rows \(11, 12\)"
        ):
            due_dates(received, jurisdiction=codes)


def test_not_dates_in_a_column_are_counted_and_named():
    received = pd.Series(["2024-09-03", "soon", "2024-02-30"], index=["x", "y", "z"])
    with pytest.raises(DeadlineError, match=r"received is not a date in 2 rows \(y, z\)"):
        due_dates(received)
    with pytest.raises(DeadlineError, match=r"received is not a date in 1 row \(b\)"):
        due_dates(pd.Series([D(2024, 1, 1), 5], index=["a", "b"], dtype=object))


def test_utc_timestamps_beyond_nanosecond_range_are_refused_by_row():
    received = pd.Series(
        [pd.Timestamp("2024-06-30 23:30", tz="UTC"), pd.Timestamp("9999-06-30", tz="UTC")],
        dtype="datetime64[s, UTC]",
        index=["ok", "far"],
    )
    with pytest.raises(DeadlineError, match=r"outside 1900-2199 in 1 row \(far\)"):
        due_dates(received)


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
