"""Tests for rules.deadlines.reference: the ICO's examples, hand-computed cases, properties.

Weekdays of the expected dates are written beside them so a reader can check them.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from juro_privacy.errors import DeadlineError, InputError
from juro_privacy.rules.deadlines import JURISDICTIONS, RULES, due_date, due_dates, local_dates

D = dt.date
UTC = dt.UTC
CODES = list(JURISDICTIONS)


def one(received, **kwargs):
    """``due_dates`` on a one-row column, as a date, to check it beside ``due_date``."""
    series_kwargs = {
        key: pd.Series([value]) if key in {"verified", "extended", "fee_paid_on"} else value
        for key, value in kwargs.items()
    }
    if kwargs.get("clarification") is not None:
        asked, answered = kwargs["clarification"]
        series_kwargs["clarification"] = (pd.Series([asked]), pd.Series([answered]))
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
    monkeypatch.setattr(local_dates, "_hourly_offsets", lambda *args: None)
    assert due_dates(instants, jurisdiction=where).dt.date.tolist() == expected


def test_hourly_offsets_refuse_a_zone_that_changes_within_an_hour():
    # Lord Howe Island moves its clocks by 30 minutes at 15:30 UTC: one offset per UTC
    # hour would be wrong there, so the table is refused and pandas converts instead.
    assert local_dates._hourly_offsets("Australia/Lord_Howe", 2020, 2029) is None
    assert local_dates._hourly_offsets("Europe/London", 2020, 2029) is not None
    assert local_dates._hourly_offsets("Europe/Riga", 2020, 2029) is not None


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


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, pd.NaT, float("nan"), np.datetime64("NaT")])
def test_missing_received_date(missing):
    with pytest.raises(DeadlineError, match="received date is missing"):
        due_date(missing)


def test_verified_before_received():
    with pytest.raises(
        DeadlineError, match=r"verified \(2024-01-09\) is before received \(2024-01-10\)"
    ):
        due_date(D(2024, 1, 10), verified=D(2024, 1, 9))


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


@pytest.mark.parametrize("received", [D(1899, 12, 31), D(2200, 1, 1), D(1, 1, 1), "9999-12-31"])
def test_dates_outside_the_supported_years(received):
    with pytest.raises(DeadlineError, match="outside 1900-2199"):
        due_date(received)
    with pytest.raises(DeadlineError, match=r"outside 1900-2199 in 1 row \(1\)"):
        due_dates(pd.Series([D(2024, 1, 1), received], dtype=object))


def test_extended_must_be_a_boolean():
    with pytest.raises(DeadlineError, match="extended must be True or False"):
        due_date(D(2024, 1, 1), extended="yes")  # type: ignore[arg-type]
    received = pd.Series([D(2024, 1, 1)] * 3)
    with pytest.raises(DeadlineError, match=r"extended is missing in 1 row \(1\)"):
        due_dates(received, extended=pd.Series([True, None, False]))
    with pytest.raises(DeadlineError, match=r"extended is not True or False in 2 rows \(0, 2\)"):
        due_dates(received, extended=pd.Series(["yes", False, "no"]))


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


# --- clarification stops the clock; a fee starts it (UK GDPR Art. 12A) --------------------


@pytest.mark.parametrize(
    ("received", "asked", "answered", "extended", "expected"),
    [
        # Across a weekend and the summer bank holiday (Monday 31 August 2026): asked
        # Friday 21 August, answered Tuesday 1 September, 12 days paused. The month ends
        # Sunday 20 September; + 12 days is Friday 2 October (without: Monday 21 Sept).
        (D(2026, 8, 20), D(2026, 8, 21), D(2026, 9, 1), False, D(2026, 10, 2)),
        # Paused 20 to 26 November (7 days): 18 December + 7 is Christmas Day (Friday);
        # Boxing Day falls on Saturday, its substitute is Monday 28: Tuesday 29 December.
        (D(2026, 11, 18), D(2026, 11, 20), D(2026, 11, 26), False, D(2026, 12, 29)),
        # With the extension: three months to 10 June 2027, + 5 days: Tuesday 15 June.
        (D(2027, 3, 10), D(2027, 3, 12), D(2027, 3, 16), True, D(2027, 6, 15)),
        # A month's end: 30 January has no 30 February, so 28 February (Sunday) first,
        # then the 2 days paused: Tuesday 2 March (the pause added before the roll).
        (D(2027, 1, 30), D(2027, 2, 1), D(2027, 2, 2), False, D(2027, 3, 2)),
        # Asked and answered the same day: that one day does not count.
        (D(2026, 7, 6), D(2026, 7, 6), D(2026, 7, 6), False, D(2026, 8, 7)),
    ],
)
def test_clarification_days_are_added_to_the_months_end_before_the_roll(
    received, asked, answered, extended, expected
):
    due = both(received, extended=extended, clarification=(asked, answered))
    assert due == expected


def test_a_pause_counts_from_receipt_when_the_clock_started_later():
    # Identity arrived 10 July, clarification 3 to 9 July (7 days): 10 August + 7.
    due = due_date(
        D(2026, 7, 1), verified=D(2026, 7, 10), clarification=(D(2026, 7, 3), D(2026, 7, 9))
    )
    assert due == D(2026, 8, 17)  # Monday


def test_the_fee_is_one_more_start_of_the_clock():
    # Received 1 July, identity 3 July, fee paid 6 July: due Thursday 6 August.
    assert both(D(2026, 7, 1), verified=D(2026, 7, 3), fee_paid_on=D(2026, 7, 6)) == D(2026, 8, 6)
    # Identity last: it starts the clock.
    assert both(D(2026, 7, 1), verified=D(2026, 7, 8), fee_paid_on=D(2026, 7, 6)) == D(2026, 8, 10)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"clarification": (D(2026, 6, 30), D(2026, 7, 2))}, "asked .* before received"),
        ({"clarification": (D(2026, 7, 5), D(2026, 7, 3))}, "answered .* before it was asked"),
        ({"clarification": (D(2026, 7, 5), None)}, "needs both days"),
        ({"fee_paid_on": D(2026, 6, 30)}, "fee_paid_on .* before received"),
    ],
)
def test_a_pause_or_fee_out_of_order_is_refused(kwargs, message):
    with pytest.raises(DeadlineError, match=message):
        due_date(D(2026, 7, 1), **kwargs)


def test_due_dates_refuses_a_pause_out_of_order_naming_the_rows():
    received = pd.Series([D(2026, 7, 1)] * 3, index=["a", "b", "c"])
    asked = pd.Series([D(2026, 7, 2), D(2026, 7, 5), None], index=received.index)
    answered = pd.Series([D(2026, 7, 3), D(2026, 7, 4), None], index=received.index)
    with pytest.raises(DeadlineError, match=r"answered before it was asked in 1 row.*b"):
        due_dates(received, clarification=(asked, answered))
    answered = pd.Series([D(2026, 7, 3), D(2026, 7, 6), D(2026, 7, 6)], index=received.index)
    with pytest.raises(DeadlineError, match=r"needs both days .* in 1 row.*c"):
        due_dates(received, clarification=(asked, answered))


paused_requests = st.lists(
    st.tuples(
        st.dates(FIRST, LAST),
        st.one_of(st.none(), st.integers(0, 60)),  # days until verified, if needed
        st.one_of(st.none(), st.integers(0, 60)),  # days until the fee was paid, if any
        st.one_of(st.none(), st.tuples(st.integers(0, 40), st.integers(0, 90))),  # pause
        st.booleans(),  # extended
        st.sampled_from(CODES),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(rows=paused_requests, rule=st.sampled_from(RULES))
def test_due_dates_agrees_with_due_date_with_pauses_and_fees(rows, rule):
    index = pd.Index([f"r{i}" for i in range(len(rows))])

    def later(r, days):
        return r + dt.timedelta(days=days) if days is not None else None

    received = pd.Series([r[0] for r in rows], index=index)
    verified = pd.Series([later(r[0], r[1]) for r in rows], index=index, dtype=object)
    fee = pd.Series([later(r[0], r[2]) for r in rows], index=index, dtype=object)
    asked = pd.Series(
        [later(r[0], r[3][0]) if r[3] else None for r in rows], index=index, dtype=object
    )
    answered = pd.Series(
        [later(r[0], r[3][0] + r[3][1]) if r[3] else None for r in rows], index=index, dtype=object
    )
    extended = pd.Series([r[4] for r in rows], index=index)
    where = pd.Series([r[5] for r in rows], index=index)
    due = due_dates(
        received,
        verified=verified,
        fee_paid_on=fee,
        clarification=(asked, answered),
        extended=extended,
        jurisdiction=where,
        rule=rule,
    )
    expected = [
        due_date(
            r[0],
            verified=v,
            fee_paid_on=f,
            clarification=(a, b) if a is not None else None,
            extended=r[4],
            jurisdiction=r[5],
            rule=rule,
        )
        for r, v, f, a, b in zip(rows, verified, fee, asked, answered, strict=True)
    ]
    assert due.dt.date.tolist() == expected
    # A pause never brings the deadline forward.
    unpaused = due_dates(
        received,
        verified=verified,
        fee_paid_on=fee,
        extended=extended,
        jurisdiction=where,
        rule=rule,
    )
    assert (due >= unpaused).all()
