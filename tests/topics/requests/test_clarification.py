"""The requests layer and the clarification pause (UK GDPR Art. 12A): when it applies,
what it moves, and the two clarification findings."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from juro_privacy.errors import DeadlineError
from juro_privacy.topics.requests import analysis as rq
from juro_privacy.topics.requests import counts as rc
from tests.topics.requests.test_analysis import SITES, at, log, request

AS_OF = dt.date(2026, 9, 30)


def clarified(request_id, asked, answered, **kw):
    row = request(request_id, **kw)
    row["clarification_requested_at"] = at(
        asked, "Europe/Riga" if kw.get("office") == "riga" else "Europe/London"
    )
    row["clarification_received_at"] = at(
        answered, "Europe/Riga" if kw.get("office") == "riga" else "Europe/London"
    )
    return row


def assess(*rows):
    frame = log(*rows)
    for c in ("clarification_requested_at", "clarification_received_at", "fee_paid_at"):
        frame[c] = pd.to_datetime(frame.get(c, pd.NaT), utc=True)
    return rq.assess_requests(frame, SITES, AS_OF)


def test_a_uk_access_request_pauses_across_a_weekend_and_a_bank_holiday():
    # Received Thursday 20 August; asked Friday 21, answered Tuesday 1 September (Monday
    # 31 August is a bank holiday): 12 days. Due Friday 2 October, extension notice too.
    a = assess(
        clarified("A", "2026-08-21 10:00", "2026-09-01 11:00", received_at=at("2026-08-20 09:00"))
    ).iloc[0]
    assert a["clock_paused"] and a["days_paused"] == 12
    assert a["due_date"] == pd.Timestamp("2026-10-02")
    assert a["due_one_month"] == pd.Timestamp("2026-10-02")
    assert "Art. 12A" in a["pause_basis"]


def test_an_answer_dated_before_the_question_is_refused_not_replaced():
    # Validation refuses it in a workbook; a frame given to the pure function is refused
    # too (due_dates' DeadlineError naming the row), never judged as a pause still running.
    with pytest.raises(DeadlineError, match="clarification"):
        assess(clarified("A", "2026-08-25 10:00", "2026-08-24 10:00", received_at=at("2026-08-20")))


def test_a_pause_still_running_counts_to_the_as_of_day_and_is_not_overdue():
    a = assess(clarified("A", "2026-08-25 10:00", None, received_at=at("2026-08-20 09:00"))).iloc[0]
    assert a["days_paused"] == 37  # 25 August to 30 September
    assert a["status"] == "open"


def test_riga_and_erasure_clarifications_do_not_stop_the_clock():
    a = assess(
        clarified(
            "R",
            "2026-07-08 10:00",
            "2026-07-20 10:00",
            office="riga",
            received_at=at("2026-07-07 10:00", "Europe/Riga"),
        ),
        clarified("E", "2026-07-07 10:00", "2026-07-10 10:00", type="erasure"),
    )
    assert not a["clock_paused"].any()
    assert a["due_date"].tolist() == [pd.Timestamp("2026-08-07"), pd.Timestamp("2026-08-06")]
    found = rq.requests_findings(a)
    assert "clarification_no_pause" in set(found["code"])
    assert rc.clarification_counts(a, 1).counts.loc["ran_on", "requests"] == 2


def test_a_fee_starts_the_clock():
    row = request("F", received_at=at("2026-07-01 09:00"))
    row["fee_paid_at"] = at("2026-07-06 12:00")
    a = assess(row).iloc[0]
    assert a["due_date"] == pd.Timestamp("2026-08-06")
    assert a["clock_start"] == pd.Timestamp("2026-07-06")


def test_clarification_asked_on_the_day_of_receipt_on_most_requests_is_blanket():
    same = [clarified(f"S{i}", "2026-07-06 15:00", "2026-07-08 09:00") for i in range(3)]
    other = [request(f"N{i}") for i in range(2)]
    found = rq.requests_findings(assess(*same, *other), threshold=1)
    assert "clarification_blanket" in set(found["code"])
    # Two of five: not most.
    found = rq.requests_findings(assess(*same[:2], *other, request("N3")), threshold=1)
    assert "clarification_blanket" not in set(found["code"])
