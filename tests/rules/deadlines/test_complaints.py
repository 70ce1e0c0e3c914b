"""The complaint acknowledgement clock, from the statute's words: DPA 2018 s. 164A(3),
"within the period of 30 days beginning when the complaint is received", UK only, for
complaints received from 19 June 2026 (DUAA 2025 s. 103; SI 2026/82 reg. 3).

Every expected day is counted by hand on a calendar: the period starts when the
complaint arrives, so day 1 of the 30 is the day after the day of receipt and the
last day is the 30th day after it. No working-day roll: the statute has none.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from juro_privacy.errors import DeadlineError
from juro_privacy.rules.deadlines import (
    COMPLAINT_DUTIES,
    JURISDICTIONS,
    complaint_acknowledgement_due,
)

D = dt.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2026, 7, 1), D(2026, 7, 31)),  # 30 days in July after the 1st: 2nd..31st
        (D(2026, 7, 2), D(2026, 8, 1)),  # July has 31 days: 29 in July, 1 in August
        (D(2026, 9, 15), D(2026, 10, 15)),  # September has 30 days: same date next month
        (D(2027, 2, 1), D(2027, 3, 3)),  # February 2027 has 28 days: 27 + 3
        (D(2028, 2, 1), D(2028, 3, 2)),  # 2028 is a leap year: 28 + 2
        (D(2026, 12, 10), D(2027, 1, 9)),  # across the year end: 21 + 9
    ],
)
def test_the_last_day_is_the_thirtieth_after_the_day_of_receipt(received, due):
    assert complaint_acknowledgement_due(received, jurisdiction="GB-ENG") == due


def test_commencement_day_is_the_first_complaint_with_a_clock():
    # s. 164A in force on 19 June 2026: a complaint that day is due on 19 July 2026
    assert complaint_acknowledgement_due(D(2026, 6, 19), jurisdiction="GB-ENG") == D(2026, 7, 19)
    assert complaint_acknowledgement_due(D(2026, 6, 18), jurisdiction="GB-ENG") is None
    assert complaint_acknowledgement_due(D(2025, 1, 6), jurisdiction="GB-ENG") is None


def test_no_working_day_roll():
    # received Friday 26 June 2026: the 30th day after is Sunday 26 July 2026, and stays so
    due = complaint_acknowledgement_due(D(2026, 6, 26), jurisdiction="GB-ENG")
    assert due == D(2026, 7, 26) and due.isoweekday() == 7
    # nor one ending on a bank holiday: received Saturday 1 August 2026 -> Monday
    # 31 August 2026, the summer bank holiday in England, not Tuesday 1 September
    assert complaint_acknowledgement_due(D(2026, 8, 1), jurisdiction="GB-ENG") == D(2026, 8, 31)


@pytest.mark.parametrize("code", ["GB-ENG", "GB-SCT", "GB-NIR"])
def test_every_uk_jurisdiction_has_the_duty(code):
    # the DPA 2018 extends to the whole United Kingdom (s. 212)
    assert complaint_acknowledgement_due(D(2026, 8, 3), jurisdiction=code) == D(2026, 9, 2)


def test_the_eu_gdpr_has_no_such_duty():
    assert complaint_acknowledgement_due(D(2026, 8, 3), jurisdiction="LV") is None
    assert complaint_acknowledgement_due(D(2030, 1, 1), jurisdiction="LV") is None


@pytest.mark.parametrize("code", ["GB", "UK", "gb-eng", "PT", "", None, 44])
def test_an_unknown_jurisdiction_is_a_deadline_error(code):
    with pytest.raises(DeadlineError, match="unknown jurisdiction"):
        complaint_acknowledgement_due(D(2026, 8, 3), jurisdiction=code)


@pytest.mark.parametrize("received", [dt.datetime(2026, 8, 3, 9, 30), "2026-08-03", None])
def test_received_must_be_a_calendar_date(received):
    with pytest.raises(DeadlineError, match="calendar date"):
        complaint_acknowledgement_due(received, jurisdiction="GB-ENG")


def test_the_last_days_of_the_calendar_cannot_be_dated():
    with pytest.raises(DeadlineError, match="no acknowledgement day"):
        complaint_acknowledgement_due(D(9999, 12, 20), jurisdiction="GB-ENG")


def test_the_table_has_one_dated_row_with_its_source():
    assert [(r.country, r.since.isoformat(), r.days) for r in COMPLAINT_DUTIES] == [
        ("GB", "2026-06-19", 30)
    ]
    assert "s. 164A(3)" in COMPLAINT_DUTIES[0].source
    assert "s. 103" in COMPLAINT_DUTIES[0].source
    assert "SI 2026/82" in COMPLAINT_DUTIES[0].source


@given(st.dates(D(2026, 6, 19), D(2200, 12, 31)), st.sampled_from(sorted(JURISDICTIONS)))
def test_a_uk_complaint_has_exactly_thirty_days_and_an_eu_one_none(received, code):
    due = complaint_acknowledgement_due(received, jurisdiction=code)
    if JURISDICTIONS[code].country == "GB":
        assert due is not None and (due - received).days == 30
    else:
        assert due is None
