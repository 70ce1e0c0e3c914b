"""Refusals and fees: the Art. 12(4) deadline per regime, and the Art. 12(5) and
Art. 15(3) grounds a refusal or a fee must record."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from juro_privacy.topics.requests import analysis as rq
from tests.topics.requests.test_analysis import SITES, at, log, request

AS_OF = dt.date(2026, 9, 30)


def assess(*rows: dict) -> pd.DataFrame:
    frame = log(*rows)
    frame["fee_paid_at"] = pd.to_datetime(frame.get("fee_paid_at", pd.NaT), utc=True)
    if "fee_or_refusal_ground" in frame:
        frame["fee_or_refusal_ground"] = frame["fee_or_refusal_ground"].astype("string")
    return rq.assess_requests(frame, SITES, AS_OF).set_index("request_id")


def extended_and(outcome: str, office: str, received: str, done: str, **kw) -> dict:
    """A request extended with a notice in its first month, then closed on ``done``."""
    zone = "Europe/Riga" if office == "riga" else "Europe/London"
    return request(
        kw.pop("request_id", f"{office}-{outcome}"),
        office=office,
        received_at=at(f"{received} 10:00", zone),
        extended=True,
        extension_notified_at=at(kw.pop("told", f"{received} 12:00"), zone),
        completed_at=at(f"{done} 10:00", zone),
        outcome=outcome,
        refusal_reason="others' rights" if outcome == "refused" else None,
        **kw,
    )


def test_an_eu_refusal_is_due_in_the_first_month_even_when_extended():
    # Riga, received Monday 6 July 2026, extended in time, refused Thursday 20 August:
    # GDPR Art. 12(4) gives one month (Thursday 6 August) and no extension.
    a = assess(extended_and("refused", "riga", "2026-07-06", "2026-08-20")).iloc[0]
    assert a["extension"] == "valid"
    assert a["due_date"] == pd.Timestamp("2026-08-06")
    assert (a["status"], a["days_late"]) == ("late", 14)
    assert a["refusal_unextended"]


def test_an_eu_answer_keeps_its_extension():
    a = assess(extended_and("fulfilled", "riga", "2026-07-06", "2026-08-20")).iloc[0]
    assert a["due_date"] == pd.Timestamp("2026-10-06")
    assert a["status"] == "on_time"
    assert not a["refusal_unextended"]


def test_a_uk_refusal_since_5_february_2026_keeps_the_art_12a_period():
    a = assess(extended_and("refused", "london", "2026-07-06", "2026-08-20")).iloc[0]
    assert a["due_date"] == pd.Timestamp("2026-10-06")  # three months: Tuesday 6 October
    assert a["status"] == "on_time"
    assert not a["refusal_unextended"]


def test_a_uk_refusal_received_before_5_february_2026_has_one_month():
    # Received Monday 5 January 2026: one month is Thursday 5 February; refused 1 March.
    a = assess(
        extended_and("refused", "london", "2026-01-05", "2026-03-02", told="2026-01-20 10:00")
    ).iloc[0]
    assert a["due_date"] == pd.Timestamp("2026-02-05")
    assert (a["status"], a["days_late"]) == ("late", 25)
    assert a["refusal_unextended"]


def codes(*rows: dict) -> list[str]:
    return sorted(rq.requests_findings(assess(*rows).reset_index(), threshold=1)["code"])


def test_the_refusal_after_one_month_finding():
    assert codes(extended_and("refused", "riga", "2026-07-06", "2026-08-20")) == [
        "refusal_after_one_month",
        "request_late",
    ]


def refused(request_id: str, reason: str | None, **kw) -> dict:
    return request(
        request_id,
        completed_at=at("2026-07-20 10:00"),
        outcome="refused",
        refusal_reason=reason,
        **kw,
    )


def test_a_refusal_without_a_reason_is_a_finding():
    assert codes(refused("A", "others' rights")) == []
    assert codes(refused("B", None)) == ["refusal_reason_missing"]
    assert codes(refused("C", "   ")) == ["refusal_reason_missing"]


def fee(request_id: str, ground: str | None, reason: str | None = None, **kw) -> dict:
    return request(
        request_id,
        fee_paid_at=at("2026-07-07 09:00"),
        fee_or_refusal_ground=ground,
        refusal_reason=reason,
        completed_at=at("2026-07-20 10:00"),
        outcome="fulfilled",
        **kw,
    )


def test_a_fee_needs_a_ground_and_an_art_12_5_ground_its_reason():
    assert codes(fee("A", None)) == ["fee_without_ground"]
    assert codes(fee("B", "manifestly_excessive", "the fifth identical request in a month")) == []
    assert codes(fee("C", "manifestly_excessive")) == ["refusal_reason_missing"]
    assert codes(fee("D", "further_copies")) == []  # Art. 15(3): an access request's copies
    assert codes(fee("E", "further_copies", type="erasure")) == ["fee_without_ground"]


def test_follow_up_names_the_requests_behind_each_finding():
    a = assess(fee("A", None), refused("B", None)).reset_index()
    rows = rq.follow_up(a)
    assert rows[["finding", "request_id", "detail"]].values.tolist() == [
        ["fee_without_ground", "A", "fulfilled; no ground"],
        ["refusal_reason_missing", "B", "refused; no ground"],
    ]
