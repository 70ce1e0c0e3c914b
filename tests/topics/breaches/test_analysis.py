"""Tests for topics.breaches.analysis: each breach judged on small hand-made frames, the
values worked out by hand beside them."""

from __future__ import annotations

import pandas as pd
import pytest

from juro_privacy.periods import parse_period
from juro_privacy.topics.breaches.analysis import (
    assess_breaches,
    breach_findings,
    end_of,
    metrics,
    missing_parts,
    notification_status,
    of_period,
    pooled,
    quarters,
)

ZONES = {"london": "Europe/London", "riga": "Europe/Riga"}
Q3 = parse_period("2026-Q3")
AS_OF = end_of(Q3, "Europe/London")  # 2026-10-01 00:00 BST


def ts(text):
    return pd.Timestamp(text).tz_convert("UTC")


def breach(**cells):
    """One documented breach row, as the loader types it; ``cells`` override."""
    row = {
        "breach_id": "BR-T1",
        "office": "london",
        "regimes": ("uk_gdpr",),
        "discovered_at": ts("2026-07-06T09:00:00+01:00"),
        "aware_at": ts("2026-07-06T15:00:00+01:00"),
        "contained_at": ts("2026-07-06T18:00:00+01:00"),
        "nature": ("confidentiality",),
        "description": "what happened",
        "data_categories": ("identity_contact",),
        "data_subjects": ("customers",),
        "people_count": 10,
        "records_count": 10,
        "consequences": "phishing",
        "risk": "risk",
        "notified_uk_at": ts("2026-07-08T15:00:00+01:00"),
        "notified_eu_at": pd.NaT,
        "delay_reasons": pd.NA,
        "people_told_at": pd.NaT,
        "art34_exception": pd.NA,
        "processor_id": pd.NA,
        "processor_told_at": pd.NaT,
        "measures": "fixed",
    }
    return row | cells


def judge(*rows, as_of=AS_OF, **kwargs):
    return assess_breaches(pd.DataFrame(list(rows)), as_of, office_zones=ZONES, **kwargs)


def test_notified_in_time_hours_worked_out():
    j = judge(breach())
    b = j.breaches.iloc[0]
    assert b["notification"] == "on_time"
    assert b["deadline"] == ts("2026-07-09T15:00:00+01:00")
    assert b["discovery_to_awareness_h"] == 6.0
    assert b["awareness_to_containment_h"] == 3.0
    n = j.notifications.iloc[0]
    assert (n["authority"], n["awareness_to_notification_h"], n["hours_left"]) == (
        "ICO",
        48.0,
        24.0,
    )


def test_late_with_and_without_reasons():
    late = {"notified_uk_at": ts("2026-07-10T15:00:00+01:00")}  # 96 h: 24 h over
    j = judge(breach(**late), breach(breach_id="BR-T2", delay_reasons="forensics", **late))
    assert list(j.breaches["notification"]) == ["late_no_reasons", "late_with_reasons"]
    assert list(j.notifications["hours_left"]) == [-24.0, -24.0]


def test_the_deadline_instant_itself_is_in_time():
    j = judge(breach(notified_uk_at=ts("2026-07-09T15:00:00+01:00")))
    assert j.breaches["notification"].iloc[0] == "on_time"
    j = judge(breach(notified_uk_at=ts("2026-07-09T15:00:01+01:00")))
    assert j.breaches["notification"].iloc[0] == "late_no_reasons"


def test_not_notified_overdue_or_pending_as_of_the_instant():
    unnotified = breach(notified_uk_at=pd.NaT)
    overdue = judge(unnotified)
    assert overdue.breaches["notification"].iloc[0] == "overdue"
    # deadline Thu 9 July 15:00 BST; judged at 1 October 00:00 BST: 9 h to midnight, then
    # 22 + 31 + 30 days = 83 days: 83 * 24 + 9 = 2,001 hours overrun so far
    assert overdue.notifications["hours_left"].tolist() == [-2001.0]
    two_days_in = ts("2026-07-08T15:00:00+01:00")
    pending = judge(unnotified, as_of=two_days_in)
    assert pending.breaches["notification"].iloc[0] == "pending"
    assert pending.notifications["hours_left"].tolist() == [24.0]  # a day left
    no_risk = judge(breach(notified_uk_at=pd.NaT, risk="none"))
    assert no_risk.notifications["hours_left"].isna().all()  # nothing owed: no clock


def test_a_notification_after_the_instant_judged_is_not_yet_known():
    j = judge(breach(), as_of=ts("2026-07-07T15:00:00+01:00"))
    assert j.breaches["notification"].iloc[0] == "pending"
    assert pd.isna(j.notifications["awareness_to_notification_h"].iloc[0])


def test_across_the_clocks_going_forward_in_riga():
    # aware Friday 27 March 2026 10:00 EET; notified Monday 30 March 10:30 EEST: 71.5 h
    row = breach(
        office="riga",
        regimes=("eu_gdpr",),
        discovered_at=ts("2026-03-27T08:00:00+02:00"),
        aware_at=ts("2026-03-27T10:00:00+02:00"),
        contained_at=pd.NaT,
        notified_uk_at=pd.NaT,
        notified_eu_at=ts("2026-03-30T10:30:00+03:00"),
    )
    j = judge(row, as_of=end_of(parse_period("2026-Q1"), "Europe/London"))
    assert j.breaches["notification"].iloc[0] == "on_time"
    assert j.notifications[["authority", "hours_left"]].iloc[0].tolist() == ["DVI", 0.5]


def test_both_regimes_notified_to_both_authorities_worst_status_wins():
    row = breach(
        regimes=("uk_gdpr", "eu_gdpr"),
        notified_eu_at=ts("2026-07-10T15:00:00+01:00"),  # the DVI told 24 h late
    )
    j = judge(row)
    assert list(j.notifications["authority"]) == ["ICO", "DVI"]
    assert list(j.notifications["status"]) == ["on_time", "late_no_reasons"]
    assert j.breaches["notification"].iloc[0] == "late_no_reasons"


def test_the_eu_lead_authority_follows_the_workbook():
    row = breach(regimes=("eu_gdpr",), notified_eu_at=ts("2026-07-08T15:00:00+01:00"))
    with pytest.raises(Exception, match="no supervisory authority recorded for 'PT'"):
        judge(row, eu_country="PT")


def test_a_processor_telling_the_controller_starts_the_clock():
    # EDPB 9/2022: the controller is aware once its processor informs it. Told at 09:00,
    # recorded as aware at 15:00: the 72 hours run from 09:00.
    row = breach(
        processor_id="mailpulse",
        processor_told_at=ts("2026-07-06T09:00:00+01:00"),
        notified_uk_at=ts("2026-07-09T12:00:00+01:00"),  # 75 h after told, 69 h after aware
    )
    j = judge(row, notice_hours={"mailpulse": 24})
    assert j.breaches["clock_start"].iloc[0] == ts("2026-07-06T09:00:00+01:00")
    assert j.breaches["notification"].iloc[0] == "late_no_reasons"
    assert j.breaches["processor"].iloc[0] == "in_time"  # told when discovered


def test_processor_late_against_its_window():
    row = breach(
        discovered_at=ts("2026-07-03T09:00:00+01:00"),
        processor_id="mailpulse",
        processor_told_at=ts("2026-07-04T09:00:01+01:00"),  # 24 h and a second
    )
    assert judge(row, notice_hours={"mailpulse": 24}).breaches["processor"].iloc[0] == "late"
    assert judge(row, notice_hours={"mailpulse": 48}).breaches["processor"].iloc[0] == "in_time"
    assert judge(row).breaches["processor"].iloc[0] == "no_window"
    told_unknown = breach(processor_id="mailpulse")
    assert judge(told_unknown).breaches["processor"].iloc[0] == "not_recorded"


def test_art34_high_risk_told_exception_or_not():
    high = {"risk": "high_risk"}
    j = judge(
        breach(**high),
        breach(breach_id="BR-T2", art34_exception="protected", **high),
        breach(breach_id="BR-T3", people_told_at=ts("2026-07-07T10:00:00+01:00"), **high),
        breach(breach_id="BR-T4"),
    )
    assert list(j.breaches["communication"]) == ["not_told", "exception", "told", "not_required"]


def test_risk_none_needs_no_notification_and_missing_risk_is_not_assessed():
    j = judge(breach(risk="none", notified_uk_at=pd.NaT), breach(breach_id="BR-T2", risk=pd.NA))
    assert list(j.breaches["notification"]) == ["not_required", "not_assessed"]


def test_missing_parts_of_the_record():
    assert missing_parts(breach()) == ()
    assert missing_parts(breach(nature=(), measures=pd.NA)) == ("facts", "remedial action")
    assert missing_parts(breach(consequences="  ")) == ("effects",)


def test_contained_before_awareness_counts_zero_hours():
    row = breach(contained_at=ts("2026-07-06T12:00:00+01:00"))  # 3 h before awareness
    assert judge(row).breaches["awareness_to_containment_h"].iloc[0] == 0.0


def test_of_period_takes_the_local_day_and_carries_undone_duties():
    # aware at 23:30 UTC on 30 June is 00:30 BST on 1 July: a Q3 breach in London
    midnight = breach(
        aware_at=ts("2026-06-30T23:30:00+00:00"), discovered_at=ts("2026-06-30T23:00:00+00:00")
    )
    old_undone = breach(
        breach_id="BR-T2",
        aware_at=ts("2026-05-04T10:00:00+01:00"),
        discovered_at=ts("2026-05-04T09:00:00+01:00"),
        notified_uk_at=pd.NaT,
    )
    old_done = breach(
        breach_id="BR-T3",
        aware_at=ts("2026-05-04T10:00:00+01:00"),
        discovered_at=ts("2026-05-04T09:00:00+01:00"),
        notified_uk_at=ts("2026-05-05T10:00:00+01:00"),
    )
    covered = of_period(judge(midnight, old_undone, old_done), Q3)
    assert list(covered.breaches["breach_id"]) == ["BR-T1", "BR-T2"]
    assert list(covered.notifications["breach_id"]) == ["BR-T1", "BR-T2"]


def test_findings_count_and_never_name_a_breach():
    rows = [
        breach(breach_id="BR-T1", notified_uk_at=pd.NaT),
        breach(breach_id="BR-T2", risk="high_risk", measures=pd.NA),
        breach(breach_id="BR-T3", notified_uk_at=ts("2026-07-10T15:00:00+01:00")),
    ]
    found = breach_findings(judge(*rows).breaches, threshold=5)
    assert list(found["code"]) == [
        "not_notified",
        "notified_late_no_reasons",
        "people_not_told",
        "undocumented",
    ]
    assert list(found["severity"]) == ["high", "high", "high", "medium"]
    assert (
        found["subject"].iloc[0] == "<5 breaches assessed a risk and not notified within 72 hours"
    )
    assert found["detail"].iloc[3].endswith("Missing: remedial action.")
    assert not found.to_string().count("BR-T")
    assert (
        breach_findings(judge(*rows).breaches, threshold=1)["subject"]
        .iloc[0]
        .startswith("1 breach assessed")
    )


def test_metrics_are_exact_counts():
    rows = [
        breach(breach_id="BR-T1", notified_uk_at=pd.NaT),
        breach(breach_id="BR-T2", notified_uk_at=ts("2026-07-10T15:00:00+01:00")),
        breach(
            breach_id="BR-T3",
            delay_reasons="forensics",
            notified_uk_at=ts("2026-07-10T15:00:00+01:00"),
        ),
        breach(breach_id="BR-T4", risk="high_risk", nature=()),
    ]
    assert metrics(judge(*rows).breaches) == {
        "breaches.late_notification_count": 2.0,
        "breaches.late_without_reasons_count": 1.0,
        "breaches.unnotified_risk_count": 1.0,
        "breaches.high_risk_untold_count": 1.0,
        "breaches.processor_late_count": 0.0,
        "breaches.undocumented_count": 1.0,
    }


def test_notification_status_table_of_cases():
    deadline, as_of = ts("2026-07-09T14:00:00Z"), ts("2026-07-20T00:00:00Z")
    early, late = ts("2026-07-08T00:00:00Z"), ts("2026-07-10T00:00:00Z")
    assert notification_status("risk", early, deadline, False, as_of) == "on_time"
    assert notification_status("high_risk", late, deadline, True, as_of) == "late_with_reasons"
    assert notification_status("none", None, deadline, False, as_of) == "not_required"
    assert notification_status(pd.NA, early, deadline, False, as_of) == "not_assessed"


def test_quarters_and_pooled_count_each_breach_once():
    q2 = breach(
        breach_id="BR-Q2",
        aware_at=ts("2026-05-04T10:00:00+01:00"),
        discovered_at=ts("2026-05-04T09:00:00+01:00"),
        notified_uk_at=pd.NaT,  # overdue: carried from Q2 into Q3
    )
    trend = quarters(
        pd.DataFrame([q2, breach()]), Q3, timezone="Europe/London", count=2, office_zones=ZONES
    )
    assert [q.label for q, _ in trend] == ["2026-Q2", "2026-Q3"]
    assert [list(j.breaches["breach_id"]) for _, j in trend] == [["BR-Q2"], ["BR-Q2", "BR-T1"]]
    assert sorted(pooled(trend).breaches["breach_id"]) == ["BR-Q2", "BR-T1"]
