"""UK GDPR Art. 6(1)(ea): the recognised legitimate interests of Annex 1, UK only, from
5 February 2026 (DUAA 2025 s. 70; SI 2026/82)."""

from __future__ import annotations

import datetime as dt

from juro_privacy.rules.lawful_bases import (
    ANNEX_1,
    RECOGNISED_LEGITIMATE_INTEREST_FROM,
    recognised_interest_faults,
)


def test_annex_1_is_the_closed_list_of_five():
    assert [(key, para) for key, (para, _) in ANNEX_1.items()] == [
        ("public_task_disclosure", 1),
        ("national_security", 2),
        ("emergencies", 3),
        ("crime", 4),
        ("safeguarding", 5),
    ]
    assert dt.date(2026, 2, 5) == RECOGNISED_LEGITIMATE_INTEREST_FROM


def test_a_uk_activity_on_an_annex_1_condition_from_the_day_it_came_in():
    assert recognised_interest_faults("crime", {"UK"}, dt.date(2026, 2, 5)) == []
    assert recognised_interest_faults("crime", {"UK"}, dt.date(2026, 2, 4)) == [
        "rli_before_in_force"
    ]


def test_the_eu_has_no_recognised_legitimate_interest_and_marketing_is_not_one():
    assert recognised_interest_faults("crime", {"UK", "EU"}, dt.date(2026, 9, 30)) == [
        "rli_outside_uk"
    ]
    assert recognised_interest_faults("direct_marketing", {"UK"}, dt.date(2026, 9, 30)) == [
        "rli_without_condition"
    ]
    assert recognised_interest_faults(None, {"EU"}, dt.date(2025, 12, 31)) == [
        "rli_outside_uk",
        "rli_before_in_force",
        "rli_without_condition",
    ]
