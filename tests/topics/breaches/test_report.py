"""Tests for topics.breaches.report and api on the bundled sample: the five breaches of
sample/breaches.py, counted by hand (docs/sample-company.md lists them)."""

from __future__ import annotations

import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.topics.breaches import api
from juro_privacy.topics.breaches import report as br
from juro_privacy.workbook.load import load_workbook

Q2, Q3 = parse_period("2026-Q2"), parse_period("2026-Q3")


@pytest.fixture(scope="module")
def wb():
    return load_workbook(sample_dir())


def test_sample_q3_covers_the_processor_and_the_high_risk_breach(wb):
    judged = api.breaches_for(wb, Q3)
    assert sorted(judged.breaches["breach_id"]) == ["BR-2026-06", "BR-2026-07"]
    # BR-2026-07 touches both regimes: notified to the ICO (45 h) and the DVI (71.5 h)
    n = judged.notifications.sort_values(["breach_id", "regime"])
    assert list(n["authority"]) == ["DVI", "DVI", "ICO"]
    assert list(n["awareness_to_notification_h"]) == [28.0, 71.5, 45.0]


def test_sample_findings_and_metrics_per_quarter(wb):
    assert list(api.findings_for(wb, Q3)["code"]) == ["people_not_told", "processor_late"]
    assert list(api.findings_for(wb, Q2)["code"]) == ["notified_late_no_reasons", "undocumented"]
    q3 = api.metrics_for(wb, Q3)
    assert q3["breaches.high_risk_untold_count"] == 1.0
    assert q3["breaches.processor_late_count"] == 1.0
    assert q3["breaches.late_notification_count"] == 0.0
    assert api.metrics_for(wb, Q2)["breaches.late_without_reasons_count"] == 1.0


def test_the_clock_change_breach_was_in_time(wb):
    judged = api.breaches_for(wb, parse_period("2026-Q1"))
    assert list(judged.breaches["notification"]) == ["on_time"]
    assert list(judged.notifications["hours_left"]) == [0.5]


def test_no_table_no_metrics(wb):
    without = type(wb)(
        wb.root, wb.config, {k: v for k, v in wb.tables.items() if k != "breaches"}, wb.files
    )
    assert api.metrics_for(without, Q3) == {}
    assert api.findings_for(without, Q3).empty


def test_small_counts_hidden_and_totals_protected(wb):
    judged = api.breaches_for(wb, Q3)
    table = br.notification_table(judged, 5)
    assert table["breaches"].tolist() == [0, 0, 0, 0, 0, "<5", 0, "<5"]
    authority = br.authority_table(judged, 5)
    assert authority.to_dict("list") == {
        "authority": ["DVI", "ICO"],
        "in time": ["<5", "<5"],
        "late": [0, 0],
        "not notified, overdue": [0, 0],
        "pending, not assessed or not notifiable": [0, 0],
        "breaches": ["<5", "<5"],
    }
    # threshold 1 shows every count: two DVI notifications, one ICO
    assert br.authority_table(judged, 1)["breaches"].tolist() == [2, 1]


def test_eight_quarter_times_hand_computed(wb):
    pooled = api.pooled_for(wb, Q3)
    assert sorted(pooled.breaches["breach_id"]) == [
        "BR-2025-07",
        "BR-2026-02",
        "BR-2026-04",
        "BR-2026-06",
        "BR-2026-07",
    ]
    times = br.times_table(pooled, 5).set_index("measure (hours)")
    # awareness to notification: 42.5, 71.5, 102, 28, 45, 71.5 -> median (45 + 71.5) / 2
    row = times.loc["Awareness to notification, per authority"]
    assert (row["values"], row["median"]) == (6, "58.2")
    # hours left: 29.5, 0.5, -30, 44, 27, 0.5 -> sorted -30, 0.5, 0.5, 27, 29.5, 44: median 13.75
    assert times.loc["Hours left (+) or overrun (-) against the 72", "median"] == "13.8"
    # discovery to awareness: 6.42, 1.67, 13.67, 66, 4.33 -> median 6.4
    assert times.loc["Discovery to awareness", "median"] == "6.4"
    # 90th percentiles, linear between the closest ranks (index 0.9 * (6 - 1) = 4.5):
    # notification 71.5 + (102 - 71.5) / 2 = 86.75; hours left 29.5 + (44 - 29.5) / 2 = 36.75
    assert row["90th percentile"] == "86.8"
    assert times.loc["Hours left (+) or overrun (-) against the 72", "90th percentile"] == "36.8"
    assert br.times_table(api.breaches_for(wb, Q3), 5)["median"].tolist() == ["n/a"] * 4


def test_counts_by_office_and_nature(wb):
    period, pooled = api.breaches_for(wb, Q3), api.pooled_for(wb, Q3)
    office = br.counts_by(period, pooled, "office", 1)
    assert office.to_dict("list") == {
        "office": ["london", "riga", "All offices"],
        "this period": [1, 1, 2],
        "last 8 quarters": [3, 2, 5],
    }
    nature = br.counts_by(period, pooled, "nature", 5).set_index("nature")
    assert nature.loc["Confidentiality"].tolist() == ["<5", 5]
    assert nature.loc["Integrity"].tolist() == [0, "<5"]


def test_counts_by_category_of_data_count_a_breach_under_each_of_its_categories(wb):
    # 2026-Q3: BR-2026-06 (identity) and BR-2026-07 (identity, contract content); the
    # eight quarters add BR-2025-07 (identity, financial), BR-2026-02 (counterparty
    # contact, signatures) and BR-2026-04 (identity): no total, a breach counts twice
    period, pooled = api.breaches_for(wb, Q3), api.pooled_for(wb, Q3)
    table = br.counts_by(period, pooled, "data_categories", 1).set_index("data categories")
    assert table.to_dict("index") == {
        "contract_content": {"this period": 1, "last 8 quarters": 1},
        "counterparty_contact": {"this period": 0, "last 8 quarters": 1},
        "financial": {"this period": 0, "last 8 quarters": 1},
        "identity_contact": {"this period": 2, "last 8 quarters": 4},
        "signatures": {"this period": 0, "last 8 quarters": 1},
    }
    protected = br.counts_by(period, pooled, "data_categories", 5).set_index("data categories")
    assert protected.loc["identity_contact"].tolist() == ["<5", "<5"]
    assert protected.loc["financial"].tolist() == [0, "<5"]


def test_trend_and_summary(wb):
    trend = api.quarters_for(wb, Q3)
    table = br.trend_table(trend, 1).set_index("quarter")
    assert table.loc["2026-Q2", "notified late"] == 1
    assert table.loc["2026-Q3", "high risk, people not told"] == 1
    assert table["breaches"].sum() == 5
    judged = api.breaches_for(wb, Q3)
    text = br.summary_markdown(judged, api.findings_for(wb, Q3), Q3, 5)
    assert text.startswith("**<5 breaches** in 2026-Q3")
    assert "**2 findings**: 1 high, 1 medium, 0 low" in text
    assert "BR-" not in text
