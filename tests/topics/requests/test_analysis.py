"""Data-subject requests: every status and rule on small hand-made request logs, with
the dates worked out by hand (weekdays written beside them), then the report notebook
on the sample."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import sys

import nbformat
import pandas as pd
import pytest

from juro_privacy.errors import DeadlineError, InputError
from juro_privacy.paths import notebooks_dir, sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.run.render import find_chromium, html_to_pdf, notebook_to_html
from juro_privacy.topics.requests import analysis as rq
from juro_privacy.topics.requests import api
from juro_privacy.workbook.load import load_workbook

D = dt.date
Q3 = parse_period("2026-Q3")
SITES = pd.DataFrame(
    {
        "site_id": ["london", "riga", "lisbon"],
        "name": ["London office", "Riga office", "Lisbon desk"],
        "jurisdiction": pd.array(["GB-ENG", "LV", None], dtype="string"),
    }
)
TIMES = ["received_at", "verified_at", "extension_notified_at", "completed_at", "forwarded_at"]


def at(text: str | None, zone: str = "Europe/London") -> pd.Timestamp:
    """A local time at the office, as the loader holds it (UTC)."""
    if text is None:
        return pd.NaT
    return pd.Timestamp(text, tz=zone).tz_convert("UTC")


def request(request_id: str = "R1", **kw) -> dict:
    row = {
        "request_id": request_id,
        "requester_email": f"{request_id.lower()}@example.com",
        "type": "access",
        "channel": "email",
        "office": "london",
        "role": "controller",
        "received_at": at("2026-07-06 09:00"),  # Monday: due Thursday 6 August
        "verified_at": pd.NaT,
        "extended": False,
        "extension_notified_at": pd.NaT,
        "completed_at": pd.NaT,
        "outcome": None,
        "refusal_reason": None,
        "portability_format": None,
        "forwarded_at": pd.NaT,
    }
    row.update(kw)
    return row


def log(*rows: dict) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    for c in TIMES:
        frame[c] = pd.to_datetime(frame[c], utc=True)
    for c in [
        "request_id",
        "requester_email",
        "type",
        "channel",
        "office",
        "role",
        "outcome",
        "refusal_reason",
        "portability_format",
    ]:
        frame[c] = frame[c].astype("string")
    frame["extended"] = frame["extended"].astype("boolean")
    return frame


def judge(*rows: dict, as_of: dt.date | None = None, target: int = 5) -> pd.DataFrame:
    """The rows judged as of ``as_of`` (default: the end of 2026-Q3), by request id."""
    when = as_of or Q3.end
    out = rq.assess_requests(log(*rows), SITES, when, forward_target_working_days=target)
    return out.set_index("request_id")


def one(row: dict, **kw) -> pd.Series:
    return judge(row, **kw).iloc[0]


# --- the four statuses ------------------------------------------------------------------


def test_answered_on_the_due_date_is_on_time():
    r = one(request(completed_at=at("2026-08-06 17:00"), outcome="fulfilled"))
    assert r["due_date"] == pd.Timestamp("2026-08-06")
    assert r["status"] == "on_time"
    assert pd.isna(r["days_late"])
    assert (r["days_allowed"], r["days_used"]) == (31, 31)


def test_answered_the_day_after_is_one_day_late():
    r = one(request(completed_at=at("2026-08-07 09:00"), outcome="fulfilled"))
    assert (r["status"], r["days_late"]) == ("late", 1)


def test_open_before_the_due_date_is_not_yet_due():
    r = one(request(), as_of=D(2026, 8, 6))
    assert r["status"] == "open" and pd.isna(r["days_overdue"])
    assert r["age_days"] == 31


def test_open_after_the_due_date_is_overdue():
    r = one(request(), as_of=D(2026, 9, 30))
    assert (r["status"], r["days_overdue"]) == ("overdue", 55)  # 6 August to 30 September


def test_an_answer_after_the_as_of_date_has_not_happened_yet():
    row = request(completed_at=at("2026-08-20 10:00"), outcome="fulfilled")
    assert one(row, as_of=D(2026, 7, 31))["status"] == "open"
    assert tuple(one(row, as_of=D(2026, 8, 10))[["status", "days_overdue"]]) == ("overdue", 4)
    assert tuple(one(row, as_of=D(2026, 8, 31))[["status", "days_late"]]) == ("late", 14)


def test_requests_received_after_the_as_of_date_are_left_out():
    out = judge(request("R1"), request("R2", received_at=at("2026-10-01 09:00")))
    assert list(out.index) == ["R1"]


def test_a_refusal_and_a_withdrawal_close_a_request_like_an_answer():
    out = judge(
        request(
            "R1",
            completed_at=at("2026-07-20 10:00"),
            outcome="refused",
            refusal_reason="manifestly unfounded",
        ),
        request("R2", completed_at=at("2026-08-10 10:00"), outcome="withdrawn"),
    )
    assert out.loc["R1", "status"] == "on_time"
    assert out.loc["R2", "status"] == "late"  # withdrawn after the deadline had passed


def test_the_day_of_receipt_is_the_office_local_date():
    # 23:30 UTC on 5 July is 00:30 on 6 July in London (BST): due 6 August, not 5
    r = one(request(received_at=pd.Timestamp("2026-07-05 23:30", tz="UTC")))
    assert r["received"] == pd.Timestamp("2026-07-06")
    assert r["due_date"] == pd.Timestamp("2026-08-06")


# --- identity verification ----------------------------------------------------------------


def test_verification_starts_the_clock():
    # received Wednesday 1 July, identity verified Friday 10 July: due Monday 10 August
    r = one(
        request(
            received_at=at("2026-07-01 08:00"),
            verified_at=at("2026-07-10 12:00"),
            completed_at=at("2026-08-10 16:00"),
            outcome="fulfilled",
        )
    )
    assert r["clock_start"] == pd.Timestamp("2026-07-10")
    assert r["due_date"] == pd.Timestamp("2026-08-10")
    assert r["status"] == "on_time"
    assert r["verification_days"] == 9
    assert (r["days_allowed"], r["days_used"]) == (31, 31)
    assert r["turnaround_days"] == 40  # from receipt, as the requester waited


def test_a_verification_after_the_as_of_date_still_dates_the_deadline():
    # identity verified on Friday 10 July; judged on 8 July the request waits for it:
    # open, and (as the log now knows) due 10 August, a month from the verification
    r = one(request(verified_at=at("2026-07-10 12:00")), as_of=D(2026, 7, 8))
    assert r["status"] == "open"
    assert r["due_date"] == pd.Timestamp("2026-08-10")
    assert pd.isna(r["verification_days"])  # not verified yet as of 8 July


# --- extensions -----------------------------------------------------------------------


def extended(**kw) -> dict:
    return request(extended=True, **kw)


def test_an_extension_told_by_the_one_month_date_counts():
    # told on Thursday 6 August, the one-month date: due three months on, Tuesday 6 October
    r = one(
        extended(
            extension_notified_at=at("2026-08-06 16:00"),
            completed_at=at("2026-09-20 10:00"),
            outcome="fulfilled",
        )
    )
    assert r["extension"] == "valid"
    assert r["due_date"] == pd.Timestamp("2026-10-06")
    assert r["status"] == "on_time"


def test_an_extension_told_a_day_late_does_not_count():
    r = one(
        extended(
            extension_notified_at=at("2026-08-07 09:00"),
            completed_at=at("2026-09-20 10:00"),
            outcome="fulfilled",
        )
    )
    assert r["extension"] == "notified_late"
    assert r["due_date"] == pd.Timestamp("2026-08-06")
    assert (r["status"], r["days_late"]) == ("late", 45)


def test_an_extension_never_told_does_not_count():
    r = one(extended(completed_at=at("2026-09-20 10:00"), outcome="fulfilled"))
    assert r["extension"] == "not_notified"
    assert r["status"] == "late"


def test_an_extension_never_told_on_an_open_request_past_the_month():
    r = one(extended(), as_of=D(2026, 8, 10))
    assert (r["extension"], r["status"], r["days_overdue"]) == ("not_notified", "overdue", 4)


def test_an_extension_not_told_yet_within_the_first_month_is_awaiting():
    r = one(extended(), as_of=D(2026, 7, 31))
    assert (r["extension"], r["status"]) == ("awaiting_notice", "open")
    assert r["due_date"] == pd.Timestamp("2026-08-06")


def test_an_extension_told_after_the_as_of_date_is_judged_as_it_stood():
    row = extended(extension_notified_at=at("2026-08-03 10:00"))
    assert one(row, as_of=D(2026, 7, 31))["extension"] == "awaiting_notice"
    assert one(row, as_of=D(2026, 8, 31))["extension"] == "valid"
    assert one(row, as_of=D(2026, 8, 31))["status"] == "open"  # due 6 October


def test_an_extension_not_told_but_answered_in_the_first_month_is_unused():
    r = one(extended(completed_at=at("2026-07-30 10:00"), outcome="fulfilled"))
    assert (r["extension"], r["status"]) == ("unused", "on_time")


# --- jurisdictions --------------------------------------------------------------------


def test_a_riga_request_follows_latvian_holidays():
    # received Saturday 23 May 2026: due 23 June in London, but 23 and 24 June are
    # Latvian holidays: due Thursday 25 June in Riga, so an answer on 24 June is on time
    row = dict(
        received_at=at("2026-05-23 10:00", "Europe/Riga"),
        completed_at=at("2026-06-24 10:00", "Europe/Riga"),
        outcome="fulfilled",
    )
    out = judge(request("R1", office="riga", **row), request("R2", office="london", **row))
    assert out.loc["R1", "due_date"] == pd.Timestamp("2026-06-25")
    assert out.loc["R1", "status"] == "on_time"
    assert out.loc["R2", "due_date"] == pd.Timestamp("2026-06-23")
    assert out.loc["R2", "status"] == "late"


def test_an_office_without_a_jurisdiction_is_refused():
    with pytest.raises(DeadlineError, match=r"lisbon .*no jurisdiction"):
        judge(request(office="lisbon"))
    assert issubclass(DeadlineError, InputError)


# --- turnaround -----------------------------------------------------------------------


def test_turnaround_in_calendar_and_working_days():
    # Monday 6 July to Friday 17 July: 11 days, 9 working days (7-10, 13-17 July)
    r = one(request(completed_at=at("2026-07-17 15:00"), outcome="fulfilled"))
    assert (r["turnaround_days"], r["turnaround_working_days"]) == (11, 9)


def test_turnaround_working_days_skip_a_bank_holiday():
    # Thursday 27 August to Friday 4 September 2026: Monday 31 August is a bank holiday
    r = one(
        request(
            received_at=at("2026-08-27 09:00"),
            completed_at=at("2026-09-04 15:00"),
            outcome="fulfilled",
        )
    )
    assert (r["turnaround_days"], r["turnaround_working_days"]) == (8, 5)


# --- portability ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "outcome", "expected"),
    [
        ("csv", "fulfilled", True),
        ("JSON", "fulfilled", True),
        ("pdf", "fulfilled", False),
        ("xml", "fulfilled", False),
        (None, "fulfilled", False),
        (None, "refused", None),
    ],
)
def test_a_portability_answer_must_be_csv_or_json(fmt, outcome, expected):
    r = one(
        request(
            type="portability",
            portability_format=fmt,
            outcome=outcome,
            completed_at=at("2026-07-20 10:00"),
        )
    )
    assert (None if pd.isna(r["portability_ok"]) else bool(r["portability_ok"])) is expected


def test_an_open_portability_request_has_no_format_to_judge():
    assert pd.isna(one(request(type="portability"))["portability_ok"])


# --- processor role: forwarding ------------------------------------------------------


def forwarded(day: str | None, **kw) -> dict:
    # received Thursday 27 August 2026; Monday 31 August is a bank holiday, so the fifth
    # working day after receipt is Friday 4 September
    return request(
        role="processor",
        received_at=at("2026-08-27 10:00"),
        forwarded_at=at(day),
        completed_at=at(day),
        outcome="forwarded" if day else None,
        **kw,
    )


def test_forwarded_on_the_fifth_working_day_over_a_bank_holiday_is_on_time():
    r = one(forwarded("2026-09-04 16:00"))
    assert r["status"] == "processor_role"
    assert r["forward_due"] == pd.Timestamp("2026-09-04")
    assert (r["forward_status"], r["forward_working_days"]) == ("on_time", 5)
    assert pd.isna(r["due_date"])  # not judged on the organisation's own deadline


def test_forwarded_on_the_sixth_working_day_is_late():
    r = one(forwarded("2026-09-07 09:00"))
    assert (r["forward_status"], r["forward_working_days"]) == ("late", 6)


def test_not_forwarded_yet_is_awaiting_then_overdue():
    assert one(forwarded(None), as_of=D(2026, 9, 4))["forward_status"] == "awaiting"
    assert one(forwarded(None), as_of=D(2026, 9, 7))["forward_status"] == "overdue"


def test_the_forwarding_target_comes_from_the_workbook():
    assert one(forwarded("2026-09-07 09:00"), target=6)["forward_status"] == "on_time"


def test_a_processor_request_is_never_late_on_the_own_deadline():
    r = one(forwarded(None), as_of=D(2026, 12, 31))
    assert r["status"] == "processor_role" and pd.isna(r["days_overdue"])


# --- the period --------------------------------------------------------------------------


def test_a_period_covers_requests_closed_in_it_or_open_at_its_end():
    assessed = rq.assess_requests(
        log(
            request(
                "closed-before",
                received_at=at("2026-05-04 09:00"),
                completed_at=at("2026-06-01 10:00"),
                outcome="fulfilled",
            ),
            request(
                "closed-in",
                received_at=at("2026-06-15 09:00"),
                completed_at=at("2026-07-02 10:00"),
                outcome="fulfilled",
            ),
            request("open", received_at=at("2026-03-02 09:00")),
            request("received-in"),
        ),
        SITES,
        Q3.end,
    )
    handled = rq.handled_in(assessed, Q3)
    assert sorted(handled["request_id"]) == ["closed-in", "open", "received-in"]


# --- findings, follow-up and metrics ---------------------------------------------------


def faulty_log() -> pd.DataFrame:
    late = [
        request(f"L{i}", completed_at=at("2026-08-10 10:00"), outcome="fulfilled") for i in range(6)
    ]
    return log(
        *late,
        request("O1", received_at=at("2026-07-01 09:00")),
        extended(
            request_id="E1",
            extension_notified_at=at("2026-08-20 10:00"),
            completed_at=at("2026-09-01 10:00"),
            outcome="fulfilled",
        ),
        request(
            "P1",
            type="portability",
            portability_format="pdf",
            outcome="fulfilled",
            completed_at=at("2026-07-20 10:00"),
        ),
        forwarded("2026-09-08 10:00", request_id="F1"),
        forwarded(None, request_id="F2"),
        request("OK", completed_at=at("2026-07-10 10:00"), outcome="fulfilled"),
    )


def test_findings_count_requests_and_never_name_one():
    handled = rq.assess_period(faulty_log(), SITES, Q3)
    findings = rq.requests_findings(handled, threshold=5)
    by_code = findings.set_index("code")
    assert list(findings["code"]) == [
        "portability_format",
        "request_overdue",
        "extension_not_notified",
        "forwarding_late",
        "forwarding_overdue",
        "request_late",
    ]
    assert by_code.loc["request_late", "subject"] == "7 requests answered late"
    assert by_code.loc["request_overdue", "subject"] == "<5 requests open past the deadline"
    assert by_code.loc["portability_format", "subject"] == (
        "<5 portability answers not in CSV or JSON"
    )
    assert "PDF" in by_code.loc["portability_format", "detail"]
    assert by_code.loc["request_overdue", "severity"] == "high"
    text = findings.to_string()
    for rid in handled["request_id"]:
        assert rid not in text
    assert set(findings["topic"]) == {"requests"}


def test_a_threshold_of_one_prints_every_count():
    handled = rq.assess_period(faulty_log(), SITES, Q3)
    subjects = set(rq.requests_findings(handled, threshold=1)["subject"])
    assert "1 request open past the deadline" in subjects


def test_no_fault_no_finding():
    handled = rq.assess_period(
        log(request(completed_at=at("2026-07-10 10:00"), outcome="fulfilled")), SITES, Q3
    )
    assert rq.requests_findings(handled).empty


def test_follow_up_lists_the_ids_behind_each_finding():
    handled = rq.assess_period(faulty_log(), SITES, Q3)
    ids = rq.follow_up(handled).groupby("finding")["request_id"].apply(list).to_dict()
    assert ids["request_overdue"] == ["O1"]
    assert ids["request_late"] == ["E1", "L0", "L1", "L2", "L3", "L4", "L5"]
    assert ids["extension_not_notified"] == ["E1"]
    assert ids["portability_format"] == ["P1"]
    assert ids["forwarding_late"] == ["F1"]
    assert ids["forwarding_overdue"] == ["F2"]


def test_metrics_for_the_policy_claims():
    handled = rq.assess_period(faulty_log(), SITES, Q3)
    m = rq.metrics(handled)
    # judged: 6 late + E1 late + O1 overdue + P1 and OK on time = 10
    assert m["requests.on_time_rate"] == pytest.approx(2 / 10)
    assert m["requests.portability_wrong_format_count"] == 1
    assert m["requests.forwarding_on_time_rate"] == 0


# --- the sample: every rule is met in 2026-Q3 -------------------------------------------


@pytest.fixture(scope="module")
def sample_q3() -> pd.DataFrame:
    return api.requests_for(load_workbook(sample_dir()), Q3)


def test_the_sample_meets_every_rule_in_2026_q3(sample_q3):
    a = sample_q3
    assert {"on_time", "late", "open", "overdue", "processor_role"} <= set(a["status"])
    assert {"valid", "notified_late", "not_notified"} <= set(a["extension"])
    assert {"on_time", "late", "overdue"} <= set(a["forward_status"].dropna())
    assert (a["verification_days"] > 0).any()
    assert (a["portability_format"] == "pdf").any() and a["portability_ok"].eq(False).any()
    findings = api.findings_for(load_workbook(sample_dir()), Q3)
    assert set(findings["code"]) == {
        "request_late",
        "request_overdue",
        "extension_not_notified",
        "portability_format",
        "forwarding_late",
        "forwarding_overdue",
        "clarification_no_pause",
        "refusal_reason_missing",  # REQ-00497, refused with no reason (issue 15)
    }


def test_the_sample_fee_starts_the_clock_and_its_ground_is_recorded(sample_q3):
    """REQ-00496: received Monday 13 July, a fee for a manifestly excessive request
    paid Monday 20 July (Art. 12(5)(a), 12A(2)(c)): due Thursday 20 August, not 13
    August; answered the 18th, on time, its ground and reason on record."""
    r = sample_q3.set_index("request_id").loc["REQ-00496"]
    assert (r["clock_start"], r["due_date"]) == (
        pd.Timestamp(2026, 7, 20),
        pd.Timestamp(2026, 8, 20),
    )
    assert (r["status"], r["ground"], r["reason_recorded"]) == (
        "on_time",
        "manifestly_excessive",
        True,
    )
    refused = sample_q3[sample_q3["outcome"] == "refused"].set_index("request_id")
    assert refused["ground"].isna().tolist() == [False, False, False, True]  # REQ-00497 last
    assert not refused.loc["REQ-00497", "reason_recorded"]


def test_the_sample_forwarding_over_the_bank_holiday_is_on_time(sample_q3):
    r = sample_q3.set_index("request_id").loc["REQ-00490"]
    assert (r["forward_status"], r["forward_working_days"]) == ("on_time", 5)


# --- the report notebook ---------------------------------------------------------------


@pytest.mark.slow
def test_report_shows_no_request_id_and_suppresses_small_counts(tmp_path):
    import papermill as pm  # slow to import: only for the slow test

    executed = tmp_path / "requests.ipynb"
    pm.execute_notebook(
        str(notebooks_dir() / "requests.ipynb"),
        str(executed),
        parameters={"data_dir": "", "period": "2026-Q3", "previous_dir": ""},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebooks_dir()),
    )
    nb = nbformat.read(executed, as_version=4)
    page = notebook_to_html(nb, title="Data-subject requests")
    sample = pd.read_csv(sample_dir() / "requests.csv", dtype=str)
    identifiers = set(sample["request_id"]) | set(sample["requester_email"])
    assert not [i for i in identifiers if i in page]
    assert not re.search(r"REQ-\d{5}", page)
    # a small count shows as "<5" in a table cell, and rates follow it
    assert "<td>&lt;5</td>" in page
    assert "Counts from 1 to 4 print as &lt;5" in page
    assert page.count("Plotly.newPlot(") == 4
    # the DPO's own copy keeps the ids, in the cell tagged internal
    internal = [c for c in nb.cells if "internal" in c.metadata.get("tags", [])]
    assert len(internal) == 1
    assert "REQ-00481" in str(internal[0].outputs)
    # the executed notebook passes strict nbval (outputs are deterministic)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", str(executed)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    # printed, every chart draws (chart titles and axes are drawn by plotly.js)
    chromium = find_chromium()
    if chromium is None:
        pytest.fail("Chromium is needed to print the report (apt-get install chromium)")
    (tmp_path / "requests.html").write_text(page, encoding="utf-8")
    html_to_pdf(tmp_path / "requests.html", tmp_path / "requests.pdf", chromium=chromium)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "requests.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for title in [
        "Every request against its deadline",
        "Open requests at the end of the period",
        "On-time rate by quarter",
        "Turnaround by quarter",
        "days allowed",
    ]:
        assert title in text, title
    assert not re.search(r"REQ-\d{5}|@example\.com", html.unescape(text))


def test_an_extension_recorded_on_a_processor_request_is_not_judged():
    r = one(forwarded("2026-09-04 16:00", extended=True))
    assert r["extension"] == "none"
