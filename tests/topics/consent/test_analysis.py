"""Cookie and consent checks on hand-made frames, with hand-computed expectations."""

from __future__ import annotations

import pandas as pd
import pytest

from juro_privacy.periods import parse_period
from juro_privacy.topics.consent.analysis import (
    consent_findings,
    cookie_checks,
    incomplete_opt_ins,
    judge_sends,
    max_cookie_days,
    metrics,
    third_party_cookies,
)

Q3 = parse_period("2026-Q3")


def cookie(name, **kw):
    row = {
        "cookie_name": name,
        "provider": "Us",
        "party": "first",
        "kind": "persistent",
        "duration_days": 30,
        "purpose": "functional",
        "consent_required": False,
        "set_before_consent": False,
        "disclosed": True,
    }
    row.update(kw)
    return row


def ts(text):
    return pd.Timestamp(text, tz="UTC")


def test_thirteen_months_is_396_days():
    assert max_cookie_days(13) == 396
    assert max_cookie_days(12) == 365


def test_cookie_checks_each_rule():
    cookies = pd.DataFrame(
        [
            cookie("ok"),
            cookie("necessary_early", purpose="strictly_necessary", set_before_consent=True),
            cookie(
                "analytics_early",
                purpose="analytics",
                consent_required=True,
                set_before_consent=True,
            ),
            cookie("at_limit", duration_days=396),
            cookie("over_limit", duration_days=397),
            cookie("session_long", kind="session", duration_days=999),
            cookie("hidden", disclosed=False),
        ]
    )
    c = cookie_checks(cookies, max_months=13).set_index("cookie_name")
    assert list(c.index[c["set_without_consent"]]) == ["analytics_early"]
    assert list(c.index[c["too_long"]]) == ["over_limit"]
    assert list(c.index[c["undisclosed"]]) == ["hidden"]


def test_the_cookie_limit_defaults_to_13_months():
    """CNIL: 13 months at most; without ``max_months`` the check uses 13 (396 days)."""
    cookies = pd.DataFrame(
        [cookie("at_limit", duration_days=396), cookie("over", duration_days=397)]
    )
    c = cookie_checks(cookies).set_index("cookie_name")
    assert c["too_long"].to_dict() == {"at_limit": False, "over": True}


def test_third_party_cookies_by_provider():
    cookies = pd.DataFrame(
        [
            cookie("a", party="third", provider="P", purpose="analytics"),
            cookie("b", party="third", provider="P", purpose="marketing"),
            cookie("c", party="first"),
        ]
    )
    out = third_party_cookies(cookies)
    assert out.values.tolist() == [["P", 2, "analytics, marketing"]]


@pytest.fixture
def consent_log():
    consents = pd.DataFrame(
        {
            "subject_id": ["s1", "s2", "s2", "s3"],
            "event": ["opt_in", "opt_in", "opt_out", "opt_in"],
            "at": [ts("2026-01-01"), ts("2026-01-01"), ts("2026-07-10 12:00"), ts("2026-08-01")],
            "source": ["form", None, "unsubscribe", "form"],
            "wording_version": ["v1", "v1", None, None],
        }
    )
    sends = pd.DataFrame(
        {
            "send_id": ["e1", "e2", "e3", "e4", "e5", "e6", "e7"],
            "subject_id": ["s1", "s2", "s2", "s3", "s4", "s3", "s1"],
            "sent_at": [
                ts("2026-07-15"),
                ts("2026-07-12 11:00"),
                ts("2026-07-12 13:00"),
                ts("2026-07-15"),
                ts("2026-07-15"),
                ts("2026-08-02"),
                ts("2026-06-30 23:30"),
            ],
        }
    )
    return consents, sends


def test_each_send_is_judged_at_send_time(consent_log):
    consents, sends = consent_log
    judged = judge_sends(consents, sends, Q3, grace_days=2, timezone="Europe/London")
    # e7: 23:30 UTC on 30 June is 1 July in London (BST): it belongs to Q3
    assert dict(zip(judged["send_id"], judged["status"], strict=True)) == {
        "e1": "opted_in",
        "e2": "in_grace",  # 1 day 23 h after the opt-out
        "e3": "after_opt_out",  # 2 days 1 h after
        "e4": "no_opt_in",  # s3 opted in only in August
        "e5": "no_opt_in",  # never opted in
        "e6": "opted_in",
        "e7": "opted_in",
    }


def test_sends_outside_the_period_are_not_judged(consent_log):
    consents, sends = consent_log
    judged = judge_sends(consents, sends, parse_period("2026-Q2"), timezone="UTC")
    assert list(judged["send_id"]) == ["e7"]


def test_incomplete_opt_ins_counts_only_opt_ins(consent_log):
    consents, _ = consent_log
    assert incomplete_opt_ins(consents).values.tolist() == [["source", 1], ["wording_version", 1]]


def test_metrics_and_findings(consent_log):
    consents, sends = consent_log
    cookies = pd.DataFrame([cookie("hidden", disclosed=False)])
    m = metrics(cookies, consents, sends, Q3)
    assert m == {
        "cookies.without_consent_count": 0.0,
        "cookies.too_long_count": 0.0,
        "cookies.undisclosed_count": 1.0,
        "consent.sends_without_opt_in_count": 2.0,
        "consent.sends_after_opt_out_count": 1.0,
    }
    found = consent_findings(cookies, consents, sends, Q3, threshold=5)
    assert sorted(found["code"]) == [
        "cookie_undisclosed",
        "opt_in_incomplete",
        "opt_in_incomplete",
        "send_after_opt_out",
        "send_without_opt_in",
    ]
    details = " ".join(found["detail"])
    assert "<5 sends" in details and "s1" not in details and "s2" not in details


def test_sample_breaks_every_cookie_and_consent_rule():
    from juro_privacy.paths import sample_dir
    from juro_privacy.topics.consent.api import metrics_for
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    m = metrics_for(wb, Q3)
    assert m["cookies.without_consent_count"] == 1
    assert m["cookies.too_long_count"] == 1
    assert m["cookies.undisclosed_count"] == 1
    assert m["consent.sends_without_opt_in_count"] == 0  # the planted faults went out in Q2
    assert m["consent.sends_after_opt_out_count"] == 2  # to corporate subscribers
    # Q2: the bought list (3), two soft opt-ins mailed without a link, two Riga contacts
    assert metrics_for(wb, parse_period("2026-Q2"))["consent.sends_without_opt_in_count"] == 7
