"""The cookie consent rules, each purpose in each regime, checked against the sources
(PECR reg. 6 and Sch. A1 from 5 February 2026; PECR reg. 6(4) before; ePrivacy
Art. 5(3) as WP29 Opinion 04/2012 reads it)."""

from __future__ import annotations

import datetime as dt

import pytest

from juro_privacy.rules.cookies import (
    COOKIE_PURPOSES,
    COOKIE_RULES,
    REGIMES,
    judge_cookie,
    law_of,
    regime_of,
    rule_for,
)

Q3 = dt.date(2026, 9, 30)  # the sample's period end: Sch. A1 in force
BEFORE = dt.date(2026, 2, 4)  # the last day of the old reg. 6(4)

# Written out from the sources, not from the module: (UK Sch. A1, EU Art. 5(3)), for a
# persistent cookie with both Sch. A1 conditions met. True: needs consent.
PERSISTENT = {
    "communication": (False, False),  # Sch. A1 para. 3; Art. 5(3) first limb
    "strictly_necessary": (False, False),  # para. 4(1); Art. 5(3) second limb
    "security": (False, False),  # para. 4(2); WP194 3.3
    "fraud_prevention": (False, True),  # para. 4(2); no EU exception
    "fault_detection": (False, True),  # para. 4(2); no EU exception
    "authentication": (False, True),  # para. 4(2); WP194 3.2: persistent login not exempt
    "user_choice": (False, True),  # para. 4(2); WP194 3.1: for the session only
    "statistics_own": (False, True),  # para. 5; WP194 4.3: first-party analytics not exempt
    "statistics_vendor": (True, True),  # para. 5(1): not shared, ICO: a processor only
    "appearance": (False, True),  # para. 6; WP194 3.6: for the session only
    "emergency": (False, True),  # para. 7; no EU exception
    "advertising": (True, True),  # WP194 4.2
    "personalisation": (True, True),
}
# The same for a session cookie: the EU's session-only exemptions now apply.
SESSION = {
    **PERSISTENT,
    "authentication": (False, False),
    "user_choice": (False, False),
    "appearance": (False, False),
}


def test_every_purpose_has_a_rule_in_each_regime_and_period():
    assert set(PERSISTENT) == set(COOKIE_PURPOSES)
    for category in COOKIE_PURPOSES:
        for regime in REGIMES:
            for day in (BEFORE, Q3):
                row = rule_for(category, regime, day)
                assert row.source and row.since <= day
    assert all(r.exempt == "never" or r.exception for r in COOKIE_RULES)


@pytest.mark.parametrize("category", list(PERSISTENT))
def test_each_purpose_in_each_regime_persistent(category):
    uk, eu = PERSISTENT[category]
    kw = {"session": False, "clear_information": True, "objection_means": True}
    assert judge_cookie([category], "UK", Q3, **kw).needs_consent is uk
    assert judge_cookie([category], "EU", Q3, **kw).needs_consent is eu


@pytest.mark.parametrize("category", list(SESSION))
def test_each_purpose_in_each_regime_session(category):
    uk, eu = SESSION[category]
    kw = {"session": True, "clear_information": True, "objection_means": True}
    assert judge_cookie([category], "UK", Q3, **kw).needs_consent is uk
    assert judge_cookie([category], "EU", Q3, **kw).needs_consent is eu


@pytest.mark.parametrize("category", ["statistics_own", "appearance"])
@pytest.mark.parametrize(
    ("informed", "objectable", "missing"),
    [
        (False, True, "clear information"),
        (True, False, "a simple, free means of objecting"),
        (False, False, "clear information and a simple, free means of objecting"),
    ],
)
def test_the_statistics_and_appearance_exceptions_need_both_conditions(
    category, informed, objectable, missing
):
    verdict = judge_cookie(
        [category], "UK", Q3, session=True, clear_information=informed, objection_means=objectable
    )
    assert verdict.needs_consent and verdict.reason.endswith(f"needs {missing}")
    assert verdict.exception == ""


def test_the_other_exceptions_carry_no_conditions():
    """Only paras. 5 and 6 ask for information and a means of objecting."""
    for category in ("communication", "security", "authentication", "emergency"):
        assert not judge_cookie([category], "UK", Q3, session=False).needs_consent


def test_the_exception_is_named():
    assert judge_cookie(["statistics_own"], "UK", Q3, session=False, clear_information=True,
                        objection_means=True).exception == "Sch. A1 para. 5"  # fmt: skip
    assert judge_cookie(["emergency"], "UK", Q3, session=False).exception == "Sch. A1 para. 7"
    eu = judge_cookie(["authentication"], "EU", Q3, session=True)
    assert eu.exception == "WP194 3.2, session login" and not eu.needs_consent
    persistent = judge_cookie(["authentication"], "EU", Q3, session=False)
    assert "a session cookie only" in persistent.reason


def test_several_purposes_are_exempt_only_if_each_is():
    # EU: security and session login are both exempt; a persistent one is not (WP194 s. 2)
    assert not judge_cookie(["security", "authentication"], "EU", Q3, session=True).needs_consent
    assert judge_cookie(["security", "authentication"], "EU", Q3, session=False).needs_consent
    assert judge_cookie(["strictly_necessary", "advertising"], "UK", Q3, session=True).needs_consent


def test_in_the_uk_several_purposes_must_fall_under_one_exception():
    """Each Sch. A1 exception is for its sole purpose: two para. 4 purposes are fine,
    statistics (para. 5) with appearance (para. 6) is not, both conditions met."""
    both = {"clear_information": True, "objection_means": True}
    para4 = judge_cookie(["security", "fraud_prevention"], "UK", Q3, session=False)
    assert not para4.needs_consent and para4.exception == "Sch. A1 para. 4(2)"
    mixed = judge_cookie(["statistics_own", "appearance"], "UK", Q3, session=False, **both)
    assert mixed.needs_consent and "sole purpose" in mixed.reason


def test_before_5_february_2026_the_uk_had_the_directive_s_two_exceptions():
    kw = {"session": False, "clear_information": True, "objection_means": True}
    for category, (_uk, eu) in PERSISTENT.items():
        assert judge_cookie([category], "UK", BEFORE, **kw).needs_consent is eu, category
    assert judge_cookie(["statistics_own"], "UK", dt.date(2026, 2, 5), **kw).needs_consent is False
    assert "reg. 6(4)" in judge_cookie(["statistics_own"], "UK", BEFORE, **kw).reason


def test_regimes_and_laws():
    assert regime_of("GB") == "UK" and regime_of("gb") == "UK"
    assert regime_of("LV") == "EU" and regime_of("PT") == "EU" and regime_of("US") == "EU"
    assert law_of("UK", Q3) == "PECR reg. 6, Sch. A1"
    assert law_of("UK", BEFORE) == "PECR reg. 6(4)"
    assert "s. 7.1" in law_of("EU", Q3)


def test_bad_input():
    with pytest.raises(ValueError, match="at least one purpose"):
        judge_cookie([], "UK", Q3, session=True)
    with pytest.raises(KeyError, match="'tracking'"):
        judge_cookie(["tracking"], "UK", Q3, session=True)
    with pytest.raises(KeyError, match="2010-01-01"):
        rule_for("communication", "EU", dt.date(2010, 1, 1))
