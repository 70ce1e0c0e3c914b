"""The requests report's tables and chart data: counts protected, figures consistent
across tables. The trend's tests are in test_request_trend.py."""

from __future__ import annotations

import pandas as pd
import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.topics.requests import analysis as rq
from juro_privacy.topics.requests import api
from juro_privacy.topics.requests import counts as rc
from juro_privacy.topics.requests import report as rr
from juro_privacy.topics.requests import trend as rt
from juro_privacy.workbook.load import load_workbook
from tests.topics.requests.test_analysis import SITES, at, extended, forwarded, log, request

Q3 = parse_period("2026-Q3")


def answered(rid: str, day: str, **kw) -> dict:
    return request(rid, completed_at=at(day), outcome="fulfilled", **kw)


def small_log() -> pd.DataFrame:
    """2026-Q3: 8 on time, 2 late, 1 overdue, 1 open, 1 passed on; one earlier quarter."""
    return log(
        *[answered(f"T{i}", "2026-07-20 10:00") for i in range(8)],
        answered("L1", "2026-08-10 10:00", office="riga"),
        answered("L2", "2026-08-12 10:00", type="erasure"),
        request("O1", received_at=at("2026-07-01 09:00")),
        request("N1", received_at=at("2026-09-20 09:00")),
        forwarded("2026-09-01 10:00", request_id="F1"),
        # received in 2026-Q1, answered in 2026-Q2 after its deadline
        answered("Q1", "2026-05-05 10:00", received_at=at("2026-03-20 09:00")),
    )


@pytest.fixture
def handled() -> pd.DataFrame:
    return rq.assess_period(small_log(), SITES, Q3)


def test_status_counts_with_the_judged_subtotal(handled):
    status = rc.status_counts(handled, 5)
    table = rr.status_table(status).set_index("status")["requests"]
    assert table["Answered on time"] == 8
    assert table["Judged against the deadline (on time, late or overdue)"] == 11
    # 2 late and 1 overdue are hidden; 8 on time and 11 judged give their sum (3) away,
    # not each: two hidden cells in [1, 4] adding to 3 could be 1 + 2 or 2 + 1
    assert table["Answered late"] == "<5" and table["Open and overdue"] == "<5"
    # 1 open and 1 passed on, both hidden, would add up to 13 - 11 = 2 and so be 1 each:
    # the total is withheld rather than the rate's denominator
    assert table["Open, not yet due"] == "<5"
    assert table["All requests handled in the period"] == "≥5"
    assert status.recoverable() == []
    assert rc.on_time_rate(status) == "72.7%"


def test_a_lone_small_count_withholds_another_and_the_rate_becomes_a_range():
    handled = rq.assess_period(
        log(
            *[answered(f"T{i}", "2026-07-20 10:00") for i in range(8)],
            answered("L1", "2026-08-10 10:00"),
            answered("L2", "2026-08-12 10:00"),
            *[request(f"N{i}", received_at=at("2026-09-20 09:00")) for i in range(6)],
        ),
        SITES,
        Q3,
    )
    status = rc.status_counts(handled, 5)
    labels = rr.status_table(status).set_index("status")["requests"]
    # 2 late is the only hidden part of "judged" (10): on time is withheld with it
    assert labels["Answered late"] == "<5"
    assert labels["Answered on time"] == "≥5"
    assert labels["Judged against the deadline (on time, late or overdue)"] == 10
    assert status.recoverable() == []
    assert rc.on_time_rate(status) == "60–90%"  # 6 to 9 of 10 on time


def test_breakdowns_agree_with_the_status_table(handled):
    status = rc.status_counts(handled, 5)
    shown = rr.status_table(status).set_index("status")["requests"]
    for by in ("type", "office", "channel"):
        table = rr.on_time_by(handled, by, status, 5, sites=SITES)
        total = table.set_index(by).loc["All requests"]
        assert (
            total["requests judged"]
            == shown["Judged against the deadline (on time, late or overdue)"]
        )
        assert total["on time"] == shown["Answered on time"]
        assert total["on-time rate"] == rc.on_time_rate(status)
    by_office = rr.on_time_by(handled, "office", status, 5, sites=SITES).set_index("office")
    assert list(by_office.index) == ["London office", "Riga office", "All requests"]
    assert by_office.loc["Riga office", "on-time rate"] == "n/a"  # 1 judged


def test_times_are_na_below_the_threshold(handled):
    times = rr.times_table(handled, rc.status_counts(handled, 5), 5).set_index("measure")
    # 10 answered = 8 on time + 2 late: printed, it would give the hidden late count away
    assert times.loc["Turnaround, calendar days", "requests"] == "≥5"
    assert times.loc["Turnaround, calendar days", "median"] == "14"  # 6 to 20 July
    assert times.loc["Receipt to passing on to the customer, working days", "median"] == "n/a"
    assert times.loc["Receipt to passing on to the customer, working days", "requests"] == "<5"


def test_ageing_counts_open_requests_from_receipt(handled):
    status = rc.status_counts(handled, 5)
    prot = rc.ageing(handled, status, 5)
    # O1 received 1 July: 91 days at 30 September; N1 received 20 September: 10 days
    assert prot.counts.loc["over 90 days", "overdue"] == 1
    assert prot.counts.loc["0–14 days", "open"] == 1
    bars = rr.ageing_bars(prot)
    hidden = bars[bars["hidden"]]
    assert set(hidden["label"]) == {"<5"} and set(hidden["height"]) == {4}
    assert prot.recoverable() == []


def test_extensions_and_forwarding_tables():
    handled = rq.assess_period(
        log(
            *[
                extended(request_id=f"V{i}", extension_notified_at=at("2026-07-20 10:00"))
                for i in range(6)
            ],
            extended(request_id="N1"),
            forwarded("2026-09-01 10:00", request_id="F1"),
        ),
        SITES,
        Q3,
    )
    ext = rr.extension_table(rc.extension_counts(handled, 5)).set_index("extension")["requests"]
    assert ext["Extended, requester told in the first month"] == "≥5"
    assert ext["Extended, requester never told"] == "<5"
    assert ext["All extended requests"] == 7
    status = rc.status_counts(handled, 5)
    fwd = rr.forwarding_table(rc.forwarding_counts(handled, status, 5), 5).set_index("status")
    assert fwd.loc["Passed on within 5 working days (rate)", "requests"] == "n/a"


def test_deadline_points_carry_no_identifier(handled):
    status = rc.status_counts(handled, 5)
    points = rr.deadline_points(handled, status)
    assert "request_id" not in points.columns
    assert len(points) == 12  # the processor-role request is not on the chart
    assert set(points["legend"]) >= {"Answered late (<5)", "Answered on time (8)"}


# --- the sample ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    wb = load_workbook(sample_dir())
    return wb, api.requests_for(wb, Q3), api.quarters_for(wb, Q3)


def test_the_sample_q3_summary_prints_suppressed_counts(sample):
    wb, handled, _ = sample
    status = rc.status_counts(handled, 5)
    findings = api.findings_for(wb, Q3)
    text = rr.summary_markdown(status, findings, Q3, 5)
    # 87, and the fee and the refusal without reasons planted for issue 15
    assert text.startswith("**89 requests** handled in 2026-Q3")
    assert "print as <5" in text
    assert "REQ-" not in text


def test_counts_repeated_elsewhere_print_as_their_table_prints_them():
    # 30 on time, 6 late, 2 overdue: the status table withholds late (6) with overdue
    handled = rq.assess_period(
        log(
            *[answered(f"T{i}", "2026-07-20 10:00") for i in range(30)],
            *[answered(f"L{i}", "2026-08-10 10:00") for i in range(6)],
            *[request(f"O{i}", received_at=at("2026-07-01 09:00")) for i in range(2)],
        ),
        SITES,
        Q3,
    )
    status = rc.status_counts(handled, 5)
    assert status.label("late", "requests") == "≥5"
    counts = rc.finding_counts(handled, 5)
    assert counts["request_late"] == "≥5"
    findings = rq.requests_findings(handled, counts=counts)
    assert "≥5 requests answered late" in set(findings["subject"])
    # answered = on time + late: with late withheld, the count of answers is too
    times = rr.times_table(handled, status, 5).set_index("measure")
    assert times.loc["Turnaround, calendar days", "requests"] == "≥5"


def test_an_empty_request_log_gives_an_empty_report():
    empty = log(request()).iloc[:0]
    handled = rq.assess_period(empty, SITES, Q3)
    status = rc.status_counts(handled, 5)
    assert rc.on_time_rate(status) == "n/a"
    assert rr.status_table(status)["requests"].tolist() == [0] * 7
    assert rt.quarters(empty, SITES, Q3) == []
    assert rq.requests_findings(handled).empty and rq.follow_up(handled).empty
