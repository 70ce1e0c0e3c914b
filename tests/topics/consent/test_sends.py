"""Each send status of PECR reg. 22 and the Riga regime, on hand-made frames."""

from __future__ import annotations

import pandas as pd
import pytest

from juro_privacy.periods import parse_period
from juro_privacy.topics.consent.analysis import (
    SEND_STATUSES,
    consent_findings,
    judge_sends,
    metrics,
    send_regimes,
)

Q3 = parse_period("2026-Q3")
OFFICES = {"london": "GB", "riga": "LV", "lisbon": "PT"}


def ts(text):
    return pd.Timestamp(text, tz="UTC")


def events(*rows):
    return pd.DataFrame(
        [{"subject_id": s, "event": e, "at": ts(a), "source": "x", "wording_version": "v1"}
         for s, e, a in rows]
    )  # fmt: skip


def sends(*rows):
    """Rows of (send_id, subject_id, subscriber, unsubscribe_link, office), sent 15 July."""
    return pd.DataFrame(
        [{"send_id": i, "subject_id": s, "sent_at": ts("2026-07-15 09:00"), "subscriber": sub,
          "unsubscribe_link": link, "office": office} for i, s, sub, link, office in rows]
    )  # fmt: skip


def status(consents, table, **kw):
    judged = judge_sends(consents, table, Q3, office_countries=OFFICES, **kw)
    return dict(zip(judged["send_id"], judged["status"], strict=True))


LOG = events(
    ("in", "opt_in", "2026-01-01"),
    ("soft", "soft_opt_in", "2026-01-01"),
    ("out", "opt_out", "2026-07-01"),
    ("fresh", "opt_out", "2026-07-14 12:00"),
)


def test_uk_statuses_for_each_subscriber_type():
    table = sends(
        ("a", "in", "individual", True, "london"),
        ("b", "soft", "individual", True, "london"),
        ("c", "soft", "individual", False, "london"),  # reg. 22(3)(c): no means of refusing
        ("d", "none", "individual", True, "london"),
        ("e", "none", "corporate", True, "london"),  # reg. 22(1): individuals only
        ("f", "out", "corporate", True, "london"),  # an opt-out binds a corporate subscriber
        ("g", "out", "individual", True, "london"),
        ("h", "fresh", "corporate", True, "london"),  # 21 h after the opt-out
        ("i", "none", "corporate", True, None),  # no office: the UK regime
    )
    assert status(LOG, table) == {
        "a": "opted_in",
        "b": "soft_opt_in",
        "c": "no_opt_in",
        "d": "no_opt_in",
        "e": "corporate",
        "f": "after_opt_out",
        "g": "after_opt_out",
        "h": "in_grace",
        "i": "corporate",
    }
    assert set(status(LOG, table).values()) == set(SEND_STATUSES)


def test_riga_needs_consent_for_people_not_for_legal_persons():
    """Latvian Law on Information Society Services s. 9(1)-(2), as the Data State
    Inspectorate reads it: a legal person's address needs no prior consent (issue 15's
    review read it otherwise); an opt-out binds it all the same."""
    table = sends(
        ("a", "none", "corporate", True, "riga"),  # DVI: no prior consent for a company
        ("b", "in", "corporate", True, "riga"),
        ("c", "soft", "individual", True, "riga"),  # s. 9(2), the existing customer
        ("d", "soft", "individual", False, "riga"),  # no way to refuse in the message
        ("e", "out", "corporate", True, "riga"),
        ("f", "none", "corporate", True, "lisbon"),  # no rule for PT: judged strictly
        ("g", "none", "individual", True, "riga"),  # s. 9(1): a person, no consent
    )
    assert status(LOG, table) == {
        "a": "corporate",
        "b": "opted_in",
        "c": "soft_opt_in",
        "d": "no_opt_in",
        "e": "after_opt_out",
        "f": "no_opt_in",
        "g": "no_opt_in",
    }


def test_the_default_regime_is_a_keyword():
    table = sends(("a", "none", "corporate", True, None))
    assert status(LOG, table) == {"a": "corporate"}
    assert status(LOG, table, default_regime="LV") == {"a": "corporate"}
    assert status(LOG, table, default_regime="PT") == {"a": "no_opt_in"}  # no rule: strict


def test_an_old_workbook_keeps_its_meaning():
    """Without the new columns every send is an individual's, with a link, from the UK."""
    old = sends(("a", "soft", "x", True, "x"), ("b", "none", "x", True, "x"))
    old = old.drop(columns=["subscriber", "unsubscribe_link", "office"])
    judged = judge_sends(LOG, old, Q3)
    assert list(judged["status"]) == ["soft_opt_in", "no_opt_in"]
    assert list(send_regimes(old)) == ["GB", "GB"]


def test_empty_cells_take_the_defaults():
    table = sends(("a", "soft", None, None, None), ("b", "none", None, None, None))
    table["unsubscribe_link"] = pd.array([pd.NA, pd.NA], dtype="boolean")
    table["subscriber"] = pd.array([pd.NA, pd.NA], dtype="string")
    assert status(LOG, table) == {"a": "soft_opt_in", "b": "no_opt_in"}


def test_a_later_event_replaces_the_earlier():
    log = events(("p", "opt_out", "2026-01-01"), ("p", "opt_in", "2026-03-01"))
    assert status(log, sends(("a", "p", "individual", True, "london"))) == {"a": "opted_in"}


@pytest.fixture
def mixed():
    table = sends(
        ("a", "none", "corporate", True, "london"),
        ("b", "soft", "individual", True, "london"),
        ("c", "soft", "individual", False, "london"),
        ("d", "none", "individual", True, "riga"),
        ("e", "out", "corporate", True, "london"),
    )
    return LOG, table


def test_corporate_and_soft_opt_in_sends_are_not_without_opt_in(mixed):
    log, table = mixed
    m = metrics(pd.DataFrame(columns=COOKIE_COLUMNS), log, table, Q3, office_countries=OFFICES)
    assert m["consent.sends_without_opt_in_count"] == 2.0  # c (no link) and d (Riga)
    assert m["consent.sends_after_opt_out_count"] == 1.0


def test_findings_cite_each_regime(mixed):
    log, table = mixed
    found = consent_findings(
        pd.DataFrame(columns=COOKIE_COLUMNS), log, table, Q3, office_countries=OFFICES
    )
    sends_found = found[found["code"].str.startswith("send_")]
    laws = dict(zip(sends_found["subject"], sends_found["rule"], strict=True))
    assert laws["marketing e-mails (LV)"] == "Latvian Law on Information Society Services s. 9"
    details = " ".join(sends_found["detail"])
    assert "unsubscribe link" in details and "corporate subscribers" in details
    assert "house tolerance" in details


COOKIE_COLUMNS = [
    "cookie_name", "provider", "party", "kind", "duration_days", "purpose",
    "consent_required", "set_before_consent", "disclosed",
]  # fmt: skip


# --- the opt-out grace boundary ---------------------------------------------------------
# docs/consent.md: ``in_grace`` is a send "within opt_out_grace_days of an opt-out",
# ``after_opt_out`` one "more than opt_out_grace_days after": the boundary itself is still
# in grace. The law gives no grace at all (UK GDPR Art. 21(3) "shall no longer be
# processed"; the ICO: when someone objects "you must stop"); the two days are house
# tolerance for a send already queued, counted as elapsed time from the opt-out.

OPTED_OUT_AT = "2026-07-10 09:00:00"  # UTC; the sends below fall in 2026-Q3 in London


def _boundary_sends(*sent_at):
    return pd.DataFrame(
        [{"send_id": f"s{i}", "subject_id": "p", "sent_at": ts(at), "subscriber": "individual",
          "unsubscribe_link": True, "office": "london"} for i, at in enumerate(sent_at, 1)]
    )  # fmt: skip


@pytest.mark.parametrize("grace", [{"grace_days": 2}, {}], ids=["grace_2", "default_grace"])
def test_a_send_exactly_on_the_grace_boundary_is_in_grace(grace):
    log = events(("p", "opt_out", OPTED_OUT_AT))
    table = _boundary_sends(
        "2026-07-10 09:00:00",  # the same second as the opt-out
        "2026-07-12 08:59:59",  # 1 s before the end of the two days
        "2026-07-12 09:00:00",  # exactly 2 days (48 h) after: still within them
        "2026-07-12 09:00:01",  # 1 s past: after the opt-out, a fault
        "2026-07-13 09:00:00",  # 3 days after
    )
    assert status(log, table, **grace) == {
        "s1": "in_grace",
        "s2": "in_grace",
        "s3": "in_grace",
        "s4": "after_opt_out",
        "s5": "after_opt_out",
    }


def test_a_send_just_before_the_opt_out_is_judged_by_the_earlier_state():
    log = events(("p", "opt_in", "2026-01-01"), ("p", "opt_out", OPTED_OUT_AT))
    table = _boundary_sends("2026-07-10 08:59:59")
    assert status(log, table) == {"s1": "opted_in"}


def test_with_no_grace_any_later_send_is_after_the_opt_out():
    log = events(("p", "opt_out", OPTED_OUT_AT))
    table = _boundary_sends("2026-07-10 09:00:00", "2026-07-10 09:00:01")
    assert status(log, table, grace_days=0) == {"s1": "in_grace", "s2": "after_opt_out"}


def test_the_grace_boundary_counts_in_the_metrics():
    log = events(("p", "opt_out", OPTED_OUT_AT))
    table = _boundary_sends("2026-07-12 09:00:00", "2026-07-12 09:00:01")
    m = metrics(pd.DataFrame(columns=COOKIE_COLUMNS), log, table, Q3, office_countries=OFFICES)
    assert m["consent.sends_after_opt_out_count"] == 1.0
    found = consent_findings(
        pd.DataFrame(columns=COOKIE_COLUMNS), log, table, Q3, office_countries=OFFICES
    )
    (detail,) = found.loc[found["code"] == "send_after_opt_out", "detail"]
    assert "more than 2 days after the person opted out" in detail


def test_sender_identity_and_a_stop_address_for_every_subscriber_in_each_regime():
    from juro_privacy.topics.consent.analysis import send_findings

    table = sends(
        ("a", "in", "individual", True, "london"),
        ("b", "none", "corporate", True, "london"),
        ("c", "none", "corporate", True, "london"),
        ("d", "in", "individual", True, "riga"),
    )
    table["sender_identified"] = pd.array([True, False, pd.NA, False], dtype="boolean")
    table["stop_address"] = pd.array([True, True, False, pd.NA], dtype="boolean")
    judged = judge_sends(LOG, table, Q3, office_countries=OFFICES)
    found = [f for f in send_findings(judged, Q3, threshold=1)
             if f.code == "send_without_sender_identity"]  # fmt: skip
    # b (sender concealed) and c (no stop address), corporate subscribers included; a is
    # clean; d is Riga's, judged by the Latvian law's ss. 8 and 9(4).
    assert [(f.severity, f.rule, f.subject) for f in found] == [
        ("medium", "PECR reg. 23(a)-(b)", "marketing e-mails"),
        ("medium", "Law on Information Society Services ss. 8 and 9(4)", "marketing e-mails (LV)"),
    ]
    assert found[0].detail.startswith("2 sends in 2026-Q3 concealed who sent them")
    assert found[1].detail.startswith("1 sends in 2026-Q3 concealed who sent them")


def test_reg_23_is_not_judged_where_the_workbook_records_nothing():
    from juro_privacy.topics.consent.analysis import send_findings

    judged = judge_sends(LOG, sends(("a", "in", "individual", True, "london")), Q3,
                         office_countries=OFFICES)  # fmt: skip
    assert not [f for f in send_findings(judged, Q3) if f.code == "send_without_sender_identity"]
