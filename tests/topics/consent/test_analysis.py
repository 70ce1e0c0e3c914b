"""Cookie and consent checks on hand-made frames, with hand-computed expectations."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from juro_privacy.findings import findings_frame
from juro_privacy.periods import parse_period
from juro_privacy.topics.consent.analysis import (
    consent_findings,
    cookie_checks,
    cookie_verdicts,
    incomplete_opt_ins,
    judge_cookies,
    judge_sends,
    max_cookie_days,
    metrics,
    third_party_cookies,
)
from juro_privacy.topics.consent.cookies import cookie_findings, served_regimes

Q3 = parse_period("2026-Q3")
END = Q3.end  # cookies are judged on the period's last day
OFFICES = {"london": "GB", "riga": "LV"}


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
            cookie("ok", purpose_category="security"),
            cookie(
                "necessary_early", purpose_category="strictly_necessary", set_before_consent=True
            ),
            cookie(
                "analytics_early",
                purpose="analytics",
                purpose_category="statistics_vendor",
                consent_required=True,
                set_before_consent=True,
            ),
            cookie("at_limit", duration_days=396, purpose_category="security"),
            cookie("over_limit", duration_days=397, purpose_category="security"),
            cookie("session_long", kind="session", duration_days=999, purpose_category="security"),
            cookie("hidden", disclosed=False, purpose_category="security"),
        ]
    )
    checked = cookie_checks(cookies, END, max_months=13, office_countries=OFFICES)
    c = checked.set_index("cookie_name")
    assert list(c.index[c["set_without_consent"]]) == ["analytics_early"]
    assert list(c.index[c["too_long"]]) == ["over_limit"]
    assert list(c.index[c["undisclosed"]]) == ["hidden"]
    assert not c["understated"].any() and not c["overstated"].any()


def test_the_cookie_limit_defaults_to_13_months():
    """The house limit: without ``max_months`` the check uses 13 (396 days)."""
    cookies = pd.DataFrame(
        [cookie("at_limit", duration_days=396), cookie("over", duration_days=397)]
    )
    c = cookie_checks(cookies, END).set_index("cookie_name")
    assert c["too_long"].to_dict() == {"at_limit": False, "over": True}


def test_each_cookie_is_judged_in_each_regime_it_is_served_in():
    cookies = pd.DataFrame(
        [
            # a persistent login: Sch. A1 para. 4(2) in the UK, not exempt in the EU (WP194 3.2)
            cookie("login", purpose_category="authentication", set_before_consent=True),
            # served to London's users only: the UK regime alone
            cookie("stats", purpose_category="statistics_own", served_to="london",
                   clear_information=True, objection_means=True, consent_required=True),
            # served to Riga's users only, a session UI setting: exempt (WP194 3.6)
            cookie("theme", kind="session", duration_days=None, purpose_category="appearance",
                   served_to="riga"),
        ]
    )  # fmt: skip
    judged = cookie_checks(cookies, END, office_countries=OFFICES).set_index("cookie_name")
    assert judged["consent_uk"].tolist() == [False, False, pd.NA]
    assert judged["consent_eu"].tolist() == [True, pd.NA, False]
    assert judged["set_without_consent"].tolist() == [True, False, False]
    assert judged["understated"].tolist() == [True, False, False]
    assert judged["overstated"].tolist() == [False, True, False]
    long = judge_cookies(cookies, END, OFFICES)
    assert long[["cookie_name", "regime"]].values.tolist() == [
        ["login", "UK"],
        ["login", "EU"],
        ["stats", "UK"],
        ["theme", "EU"],
    ]
    assert long["law"].tolist()[:2] == [
        "PECR reg. 6, Sch. A1",
        "ePrivacy Art. 5(3); Latvia ISS Law s. 7.1",
    ]


def test_a_cookie_served_nowhere_known_is_judged_by_the_uk_regime():
    """No office known (no ``sites``): the UK's, as for marketing sends; an office whose
    country is unknown: the EU's, the stricter."""
    assert served_regimes("", None) == ("UK",)
    assert served_regimes("", OFFICES) == ("UK", "EU")
    assert served_regimes(("riga",), OFFICES) == ("EU",)
    assert served_regimes("nowhere", OFFICES) == ("EU",)


def test_an_old_workbook_keeps_its_recorded_flag_and_is_told_to_classify():
    """No ``purpose_category`` (an older workbook): judged by ``consent_required`` as
    recorded, never contradicted, and one low finding per cookie."""
    cookies = pd.DataFrame(
        [
            cookie(
                "old_stats", purpose="analytics", consent_required=True, set_before_consent=True
            ),
            cookie("old_login", consent_required=False, set_before_consent=True),
        ]
    )
    c = cookie_checks(cookies, END, office_countries=OFFICES).set_index("cookie_name")
    assert c["set_without_consent"].to_dict() == {"old_stats": True, "old_login": False}
    assert c["unclassified"].all() and not (c["understated"] | c["overstated"]).any()
    found = findings_frame(cookie_findings(cookies, END, office_countries=OFFICES))
    assert sorted(zip(found["code"], found["severity"], strict=True)) == [
        ("cookie_unclassified", "low"),
        ("cookie_unclassified", "low"),
        ("cookie_without_consent", "high"),
    ]


def test_cookie_findings_name_the_regime_and_the_reason():
    cookies = pd.DataFrame(
        [
            cookie("login", purpose_category="authentication", set_before_consent=True),
            cookie("chat", purpose_category="strictly_necessary", consent_required=True),
            cookie("long", purpose_category="advertising", consent_required=True,
                   duration_days=730),
        ]
    )  # fmt: skip
    found = findings_frame(cookie_findings(cookies, END, office_countries=OFFICES))
    rows = {(r.code, r.severity, r.subject): r for r in found.itertuples()}
    high = rows[("cookie_without_consent", "high", "cookie login (Us)")]
    assert high.rule == "ePrivacy Art. 5(3); Latvia ISS Law s. 7.1"
    assert "EU: WP194 3.2, session login: a session cookie only" in high.detail
    assert ("cookie_consent_contradicted", "medium", "cookie login (Us)") in rows
    low = rows[("cookie_consent_contradicted", "low", "cookie chat (Us)")]
    assert "UK: exempt: Sch. A1 para. 4" in low.detail
    assert low.rule == "PECR reg. 6, Sch. A1; ePrivacy Art. 5(3); Latvia ISS Law s. 7.1"
    too_long = rows[("cookie_too_long", "low", "cookie long (Us)")]
    assert too_long.rule == "house limit (workbook.yaml cookie_max_months)"
    assert "not a cap in law" in too_long.detail
    assert len(found) == 4


def test_the_report_table_says_per_regime_why():
    cookies = pd.DataFrame(
        [
            cookie("login", purpose_category="authentication"),
            cookie("theme", kind="session", purpose_category="appearance", served_to="riga"),
            cookie("old"),
        ]
    )
    table = cookie_verdicts(cookies, END, OFFICES)
    assert table.attrs["page"] == "wide"
    assert table.values.tolist() == [
        [
            "login",
            "Us",
            "authentication",
            "exempt: Sch. A1 para. 4(2)",
            "consent: WP194 3.2, session login: a session cookie only, this one persists",
            "no consent",
        ],
        ["theme", "Us", "appearance", "not served", "exempt: WP194 3.6, session UI setting",
         "no consent"],
        ["old", "Us", "not classified", "no purpose category: judged as recorded",
         "no purpose category: judged as recorded", "no consent"],
    ]  # fmt: skip


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
        "cookie_unclassified",
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
    from juro_privacy.topics.consent.api import findings_for, metrics_for
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    m = metrics_for(wb, Q3)
    # remember_me (a persistent login: EU) and _sb_id (no means of objecting: both)
    assert m["cookies.without_consent_count"] == 2
    assert m["cookies.too_long_count"] == 1  # _ht_user, 730 days
    assert m["cookies.undisclosed_count"] == 1  # _iml_probe
    assert m["consent.sends_without_opt_in_count"] == 0  # the planted faults went out in Q2
    assert m["consent.sends_after_opt_out_count"] == 2  # to corporate subscribers
    # Q2: the bought list (3), two soft opt-ins mailed without a link, two Riga contacts
    assert metrics_for(wb, parse_period("2026-Q2"))["consent.sends_without_opt_in_count"] == 7
    found = findings_for(wb, Q3)
    cookie_rows = found[found["code"].str.startswith("cookie")]
    assert sorted(zip(cookie_rows["code"], cookie_rows["severity"], cookie_rows["subject"],
                      strict=True)) == [
        ("cookie_consent_contradicted", "low", "cookie chat_session (ChatDesk)"),
        ("cookie_consent_contradicted", "medium", "cookie remember_me (Larkspur)"),
        ("cookie_too_long", "low", "cookie _ht_user (HeatTrack)"),
        ("cookie_undisclosed", "medium", "cookie _iml_probe (InsightML)"),
        ("cookie_without_consent", "high", "cookie _sb_id (StatsBox)"),
        ("cookie_without_consent", "high", "cookie remember_me (Larkspur)"),
    ]  # fmt: skip


def test_the_sample_exercises_every_purpose_in_both_regimes_but_emergency():
    """Every purpose category is judged under the UK and the EU regime by some sample
    cookie (appearance: in the EU both as a session and as a persistent cookie),
    except ``emergency``, which a contract site has no use for."""
    from juro_privacy.paths import sample_dir
    from juro_privacy.rules.cookies import COOKIE_PURPOSES
    from juro_privacy.topics.consent.api import cookie_offices, cookies_for
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    judged = judge_cookies(wb.cookies, END, cookie_offices(wb))
    purposes = wb.cookies.set_index("cookie_name")["purpose_category"].map(lambda t: t[0])
    judged["purpose"] = judged["cookie_name"].map(purposes)
    covered = set(zip(judged["purpose"], judged["regime"], strict=True))
    expected = {(p, r) for p in COOKIE_PURPOSES for r in ("UK", "EU")}
    assert expected - covered == {("emergency", "UK"), ("emergency", "EU")}
    eu = judged[judged["regime"] == "EU"].set_index("cookie_name")["needs_consent"]
    assert (eu["ui_theme"], eu["locale"]) == (False, True)
    uk = judged[judged["regime"] == "UK"].set_index("cookie_name")["needs_consent"]
    assert (uk["_sb_ses"], uk["_sb_id"]) == (False, True)  # para. 5 met, then not
    table = cookies_for(wb, Q3)
    assert len(table) == len(wb.cookies) == 15


# --- the workbook: new columns refused when wrong, optional when absent ----------------


def test_a_wrong_purpose_category_or_office_names_file_row_and_column(workbook_copy):
    from juro_privacy.errors import WorkbookError
    from juro_privacy.workbook.validate import validate
    from tests.conftest import set_cell

    path = workbook_copy / "cookies.csv"
    set_cell(path, 3, "purpose_category", "security;tracking")  # csrf_token
    with pytest.raises(WorkbookError) as err:
        validate(workbook_copy)
    assert re.search(r"cookies\.csv, row 3, column 'purpose_category'.*tracking", str(err.value))
    set_cell(path, 3, "purpose_category", "security")
    set_cell(path, 4, "served_to", "london;paris")  # lb_route: no office paris
    with pytest.raises(WorkbookError) as err:
        validate(workbook_copy)
    assert re.search(r"cookies\.csv, row 4, column 'served_to'.*paris", str(err.value))


def test_the_cli_refuses_a_wrong_category_with_exit_code_2(workbook_copy):
    from tests.conftest import run_cli, set_cell

    set_cell(workbook_copy / "cookies.csv", 2, "purpose_category", "analytics")
    result = run_cli("validate", str(workbook_copy))
    assert result.returncode == 2
    assert "cookies.csv" in result.stderr + result.stdout
    assert "purpose_category" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_a_workbook_without_the_new_cookie_columns_still_runs(workbook_copy):
    """An older workbook: the four columns left out. Each cookie keeps its recorded
    meaning (the sample's flags: remember_me is no longer found, only the two cookies
    recorded as needing consent and set before it count) and asks to be classified."""
    from juro_privacy.topics.consent.api import findings_for, metrics_for
    from juro_privacy.workbook.load import load_workbook

    path = workbook_copy / "cookies.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    new = ["purpose_category", "served_to", "clear_information", "objection_means"]
    frame.drop(columns=new).to_csv(path, index=False)
    wb = load_workbook(workbook_copy)
    assert metrics_for(wb, Q3)["cookies.without_consent_count"] == 1  # _sb_id as recorded
    codes = findings_for(wb, Q3)["code"]
    assert (codes == "cookie_unclassified").sum() == 15
    assert not (codes == "cookie_consent_contradicted").any()
