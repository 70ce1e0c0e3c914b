"""The requests report's trend: each quarter judged at its own end, its figures the
period's figures."""

from __future__ import annotations

from juro_privacy.topics.requests import counts as rc
from juro_privacy.topics.requests import trend as rt
from tests.topics.requests import test_report as base
from tests.topics.requests.test_analysis import SITES
from tests.topics.requests.test_report import Q3, small_log

# fixtures shared with test_request_report: pytest finds them under these names
handled = base.handled
sample = base.sample


def test_the_trend_judges_each_quarter_at_its_own_end():
    trend = rt.quarters(small_log(), SITES, Q3, count=8)
    # the first request arrived in 2026-Q1: earlier quarters are left out
    assert [q.period.label for q in trend] == ["2026-Q1", "2026-Q2", "2026-Q3"]
    by_q = {q.period.label: q.assessed.set_index("request_id") for q in trend}
    assert by_q["2026-Q1"].loc["Q1", "status"] == "open"  # due 20 April
    assert by_q["2026-Q2"].loc["Q1", "status"] == "late"
    assert "Q1" not in by_q["2026-Q3"].index  # closed before the quarter


def test_the_trend_table_repeats_the_period_figures(handled):
    trend = rt.quarters(small_log(), SITES, Q3)
    row = rt.trend_table(trend, 5).set_index("quarter").loc["2026-Q3"]
    status = rc.status_counts(handled, 5)
    assert row["requests"] == "≥5" and row["judged"] == 11
    assert row["on-time rate"] == rc.on_time_rate(status)
    rates = rt.trend_rates(trend, 5)
    assert rates.set_index("quarter").loc["2026-Q3", "label"] == rc.on_time_rate(status)
    times = rt.trend_times(trend, 5).set_index("quarter")
    assert times.loc["2026-Q1", "median days"] == "n/a"


def test_trend_rates_by_group_hide_a_small_side():
    trend = rt.quarters(small_log(), SITES, Q3)
    rates = rt.trend_rates(trend, 5, "type")
    access = rates[(rates["group"] == "Access") & (rates["quarter"] == "2026-Q3")].iloc[0]
    assert access["label"] == "n/a" or "–" in access["label"]
    wide = rt.trend_rate_table(rates, "type")
    assert list(wide.columns) == ["type", "2026-Q1", "2026-Q2", "2026-Q3"]


def test_the_sample_trend_covers_eight_quarters(sample):
    _, _, trend = sample
    assert trend[0].period.label == "2024-Q4"
    assert len(trend) == 8
