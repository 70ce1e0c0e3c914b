"""The complaints analysis on small hand-made frames: every figure counted by hand.

The clock is DPA 2018 s. 164A(3): the last day to acknowledge is the 30th day after
the day of receipt, for UK processing received from 19 June 2026; the EU GDPR has none.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from juro_privacy.errors import DeadlineError
from juro_privacy.periods import parse_period
from juro_privacy.topics.complaints.analysis import (
    ageing_table,
    assess_complaints,
    complaints_findings,
    escalations_table,
    follow_up,
    handled_in,
    metrics,
    status_table,
    summary_markdown,
    times_table,
)

Q3 = parse_period("2026-Q3")
REGIMES = {"london": "GB-ENG", "riga": "LV", "lisbon": None}


def complaints(*rows: dict[str, object]) -> pd.DataFrame:
    """A complaints table as the loader types it (timestamps in UTC)."""
    base = {
        "complaint_id": "CP-1",
        "office": "london",
        "processing_office": "london",
        "activity_id": None,
        "received_at": None,
        "channel": "email",
        "acknowledged_at": None,
        "outcome_told_at": None,
        "outcome": None,
        "escalated_to_regulator": None,
        "request_id": None,
    }
    frame = pd.DataFrame([{**base, "complaint_id": f"CP-{i + 1}", **r} for i, r in enumerate(rows)])
    for column in ("received_at", "acknowledged_at", "outcome_told_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["escalated_to_regulator"] = frame["escalated_to_regulator"].astype("boolean")
    return frame


def one(as_of: dt.date = Q3.end, **row: object) -> pd.Series:
    return assess_complaints(complaints(row), REGIMES, as_of).iloc[0]


def test_acknowledged_on_the_thirtieth_day_after_receipt_is_in_time():
    # received 1 July: 30 days are 2..31 July; acknowledged 31 July is in time
    got = one(received_at="2026-07-01T09:00:00+01:00", acknowledged_at="2026-07-31T17:00:00+01:00")
    assert got["due"] == pd.Timestamp("2026-07-31")
    assert got["status"] == "in_time"
    assert got["days_to_ack"] == 30


def test_acknowledged_on_the_thirty_first_day_is_late_by_one():
    got = one(received_at="2026-07-01T09:00:00+01:00", acknowledged_at="2026-08-01T09:00:00+01:00")
    assert got["status"] == "late"
    assert got["days_over"] == 1


def test_the_day_of_receipt_is_the_regimes_local_day():
    # 23:30 UTC on 31 July is 00:30 BST on 1 August in London: due 31 August, not 30
    got = one(received_at="2026-07-31T23:30:00+00:00")
    assert got["received"] == pd.Timestamp("2026-08-01")
    assert got["due"] == pd.Timestamp("2026-08-31")


def test_not_acknowledged_past_the_thirty_days_is_overdue_by_the_days_since():
    # received 20 August, due 19 September, not acknowledged by 30 September: 11 days
    got = one(received_at="2026-08-20T16:00:00+00:00")
    assert (got["status"], got["days_over"]) == ("overdue", 11)
    # judged as of 19 September itself, it is still within the 30 days
    assert one(dt.date(2026, 9, 19), received_at="2026-08-20T16:00:00+00:00")["status"] == "not_due"


def test_an_acknowledgement_after_the_day_judged_has_not_happened_yet():
    got = one(
        dt.date(2026, 9, 30),
        received_at="2026-08-20T12:00:00+00:00",
        acknowledged_at="2026-10-02T12:00:00+00:00",
        outcome_told_at="2026-10-05T12:00:00+00:00",
    )
    assert got["status"] == "overdue"
    assert pd.isna(got["acknowledged"]) and bool(got["open"])
    assert got["age_days"] == 41  # 20 August to 30 September


def test_commencement_day_has_a_clock_and_the_day_before_none():
    assert one(received_at="2026-06-19T10:00:00+01:00")["due"] == pd.Timestamp("2026-07-19")
    before = one(received_at="2026-06-18T10:00:00+01:00")
    assert before["status"] == "no_duty" and pd.isna(before["due"])
    assert "before 19 June 2026" in before["basis"]


def test_the_regime_is_the_processing_offices_not_the_handling_offices():
    handled_in_london = one(
        office="london", processing_office="riga", received_at="2026-09-02T10:00:00+00:00"
    )
    assert (handled_in_london["regime"], handled_in_london["status"]) == ("LV", "no_duty")
    assert "GDPR" in handled_in_london["basis"]
    handled_in_riga = one(
        office="riga", processing_office="london", received_at="2026-09-02T10:00:00+00:00"
    )
    assert handled_in_riga["due"] == pd.Timestamp("2026-10-02")


def test_a_processing_office_without_a_jurisdiction_is_a_deadline_error():
    with pytest.raises(DeadlineError, match="unknown jurisdiction"):
        one(processing_office="lisbon", received_at="2026-09-02T10:00:00+00:00")


def _quarter() -> pd.DataFrame:
    """Six complaints seen at the end of 2026-Q3, one per status, one closed in Q2."""
    return assess_complaints(
        complaints(
            # closed before the quarter: not in its report
            {
                "received_at": "2026-06-20T10:00:00+00:00",
                "acknowledged_at": "2026-06-21T10:00:00+00:00",
                "outcome_told_at": "2026-06-29T10:00:00+00:00",
            },
            # in time (3 days), told after 20 days
            {
                "received_at": "2026-07-06T10:00:00+00:00",
                "acknowledged_at": "2026-07-09T10:00:00+00:00",
                "outcome_told_at": "2026-07-26T10:00:00+00:00",
                "escalated_to_regulator": True,
            },
            # late: due 5 August, acknowledged 10 August (5 days over), open 86 days
            {
                "received_at": "2026-07-06T10:00:00+00:00",
                "acknowledged_at": "2026-08-10T10:00:00+00:00",
            },
            # overdue: due 19 September, 11 days over, open 41 days
            {"received_at": "2026-08-20T10:00:00+00:00"},
            # not due: due 28 October, open 2 days
            {"received_at": "2026-09-28T10:00:00+00:00"},
            # EU: no clock, open 62 days, escalated to the DVI
            {
                "processing_office": "riga",
                "received_at": "2026-07-30T10:00:00+00:00",
                "escalated_to_regulator": True,
            },
        ),
        REGIMES,
        Q3.end,
    )


def test_the_period_covers_complaints_received_by_its_end_and_not_closed_before_it():
    handled = handled_in(_quarter(), Q3)
    assert list(handled["complaint_id"]) == ["CP-2", "CP-3", "CP-4", "CP-5", "CP-6"]
    assert list(handled["status"]) == ["in_time", "late", "overdue", "not_due", "no_duty"]


def test_metrics_count_the_periods_complaints_exactly():
    assert metrics(handled_in(_quarter(), Q3)) == {
        "complaints.ack_late_count": 1.0,
        "complaints.ack_overdue_count": 1.0,
        "complaints.open_count": 4.0,
        "complaints.escalated_count": 2.0,
    }


def test_findings_count_and_never_name_a_complaint():
    found = complaints_findings(handled_in(_quarter(), Q3), threshold=5)
    assert list(found["code"]) == ["ack_overdue", "ack_late"]
    assert list(found["severity"]) == ["high", "medium"]
    assert list(found["subject"]) == [
        "<5 complaints not acknowledged, past the 30 days",
        "<5 complaints acknowledged late",
    ]
    assert "11 days past the 30 days" in found["detail"].iloc[0]
    assert "5 days after the 30 days" in found["detail"].iloc[1]
    assert not found.apply(lambda c: c.astype(str).str.contains("CP-")).any().any()
    with_threshold_1 = complaints_findings(handled_in(_quarter(), Q3), threshold=1)
    assert list(with_threshold_1["subject"])[1] == "1 complaint acknowledged late"


def test_no_complaints_no_findings():
    assert complaints_findings(handled_in(_quarter(), parse_period("2025-Q1"))).empty


def test_status_table_with_a_threshold_of_one_shows_every_count():
    table = status_table(handled_in(_quarter(), Q3), threshold=1)
    assert list(table["complaints"]) == [1, 1, 1, 1, 1, 5]
    # five hidden ones adding up to a shown 5 would give each away (each is 1 to 4, so
    # all are 1): the total is withheld too
    hidden = status_table(handled_in(_quarter(), Q3), threshold=5)
    assert list(hidden["complaints"]) == ["<5", "<5", "<5", "<5", "<5", "≥5"]


def test_ageing_of_the_open_complaints():
    # open at 30 September: late (received 6 July: 86 days), overdue (41), not due (2),
    # EU (received 30 July, Riga: 62)
    table = ageing_table(handled_in(_quarter(), Q3), threshold=1)
    assert list(table["days since receipt"]) == [
        "0-30 days",
        "31-60 days",
        "61-90 days",
        "over 90 days",
        "All open",
    ]
    assert list(table["open complaints"]) == [1, 1, 2, 0, 4]


def test_times_need_as_many_complaints_as_the_threshold():
    handled = handled_in(_quarter(), Q3)
    # acknowledged: 3 and 35 days; told: 20 days
    shown = times_table(handled, threshold=2)
    assert list(shown["median"]) == ["19 days", "n/a"]
    assert list(shown["90th percentile"]) == ["32 days", "n/a"]  # 3 + 0.9 x 32 = 31.8
    assert list(times_table(handled, threshold=5)["median"]) == ["n/a", "n/a"]


def test_escalations_by_the_regulator_of_the_processings_regime():
    table = escalations_table(handled_in(_quarter(), Q3), Q3.end, threshold=1)
    assert table.to_dict("records") == [
        {"regulator": "Information Commissioner's Office (ICO)", "complaints": 1},
        {"regulator": "Data State Inspectorate (DVI)", "complaints": 1},
    ]


def test_summary_says_the_eu_gdpr_has_no_such_duty_and_shows_the_routes():
    handled = handled_in(_quarter(), Q3)
    text = summary_markdown(handled, "an online form, or post", threshold=5)
    assert "**≥5** complaints in the period" in text  # as the status table prints it
    assert "the GDPR sets no period to acknowledge" in text
    assert "`complaint_routes`): an online form, or post." in text
    assert "**not recorded**" in summary_markdown(handled, "  ", threshold=5)


def test_follow_up_names_the_complaints_behind_the_findings():
    table = follow_up(handled_in(_quarter(), Q3))
    assert list(table["complaint_id"]) == ["CP-3", "CP-4"]
    assert list(table["days over"]) == [5, 11]
