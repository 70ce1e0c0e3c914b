"""The accountability report's pure parts: area status, the findings diff across
quarters, the trend read from earlier runs, and the claims row."""

from __future__ import annotations

import pandas as pd

from juro_privacy.accountability import (
    area_status,
    board_summary,
    claims_status,
    diff_findings,
    findings_trend,
    status_table,
    write_findings,
)
from juro_privacy.findings import Finding, findings_frame
from juro_privacy.periods import parse_period

Q3 = parse_period("2026-Q3")


def f(topic, code, severity, subject="s"):
    return Finding(topic, code, severity, "rule", subject, "detail")


def test_area_broken_on_high_or_medium_only():
    findings = findings_frame(
        [
            f("register", "a", "high"),
            f("flows", "b", "low"),
            f("requests", "c", "medium"),
        ]
    )
    areas = area_status(findings).set_index("area")
    assert areas.loc["Register of processing", "status"] == "broken"
    assert areas.loc["Transfers", "status"] == "holds"  # a low finding only
    assert areas.loc["Transfers", "headline"] == "1 finding: 0 high, 0 medium, 1 low"
    assert areas.loc["Requests", "status"] == "broken"
    assert areas.loc["Retention", "headline"] == "no findings"


def claims(*outcomes):
    return pd.DataFrame(
        {"claim_id": [f"C{i}" for i in range(len(outcomes))], "outcome": list(outcomes)}
    )


def test_claims_status():
    assert claims_status(claims("holds", "broken")) == (
        "broken",
        "1 hold, 1 broken, 0 without evidence",
    )
    assert claims_status(claims("holds", "no_evidence"))[0] == "holds"
    assert claims_status(claims("no_evidence"))[0] == "no_evidence"


def test_status_table_adds_the_claims_row_and_board_summary():
    findings = findings_frame([f("register", "a", "high")])
    areas = area_status(findings)
    table = status_table(areas, claims("no_evidence"))
    assert table.iloc[-1].tolist() == [
        "Policy claims",
        "no evidence",
        "0 hold, 0 broken, 1 without evidence",
    ]
    text = board_summary(areas, claims("holds", "broken"), findings)
    assert text.startswith("**1 of 6 areas need action** (Register of processing)")
    assert text.endswith("2 checked promises: 1 hold, 1 broken, 0 without evidence this period.")
    assert "**1 high-severity findings**" in text


def test_diff_ignores_changed_figures_but_sees_new_and_fixed():
    before = findings_frame(
        [
            f("requests", "request_late", "medium", "12 requests answered late"),
            f("flows", "no_dpa", "high", "InsightML"),
        ]
    )
    after = findings_frame(
        [
            f("requests", "request_late", "medium", "<5 requests answered late"),
            f("consent", "send_after_opt_out", "high", "marketing e-mails"),
        ]
    )
    diff = diff_findings(before, after)
    assert diff[["change", "code"]].values.tolist() == [
        ["new", "send_after_opt_out"],
        ["fixed", "no_dpa"],
    ]
    assert diff_findings(None, after).empty


def test_trend_reads_earlier_runs_and_marks_missing_quarters(tmp_path):
    earlier = findings_frame([f("register", "a", "high"), f("flows", "b", "low")])
    (tmp_path / "2026-Q1").mkdir()
    write_findings(earlier, tmp_path / "2026-Q1")
    current = findings_frame([f("register", "a", "medium")])
    trend = findings_trend(tmp_path, Q3, current, quarters=3).astype(object)
    assert trend.where(trend.notna(), None).values.tolist() == [
        ["2026-Q1", "run", 1, 0, 1],
        ["2026-Q2", "no run", None, None, None],
        ["2026-Q3", "run", 0, 1, 0],
    ]


def test_sample_claims_and_areas():
    from juro_privacy.accountability import claims_for, collect_findings
    from juro_privacy.paths import sample_dir
    from juro_privacy.workbook import load_workbook

    wb = load_workbook(sample_dir())
    found = collect_findings(wb, Q3)
    assert set(found["topic"]) == {"register", "flows", "requests", "retention", "dpia", "consent"}
    for column in ("subject", "detail"):
        text = " ".join(found[column])
        assert "REQ-" not in text and "@example.com" not in text and "acc-0" not in text
    evaluated = claims_for(wb, Q3)
    assert len(evaluated) == len(wb.policy_claims)
    assert set(evaluated["outcome"]) <= {"holds", "broken", "no_evidence"}


def test_sample_keeps_some_claims_and_breaks_others_quarter_over_quarter():
    from juro_privacy.accountability import claims_for
    from juro_privacy.paths import sample_dir
    from juro_privacy.workbook import load_workbook

    wb = load_workbook(sample_dir())
    q3 = dict(zip(*claims_for(wb, Q3)[["claim_id", "outcome"]].T.values, strict=True))
    q2 = dict(zip(*claims_for(wb, Q3.previous())[["claim_id", "outcome"]].T.values, strict=True))
    assert q3["C08"] == "holds" and q2["C08"] == "broken"  # opt-in: bought list sent in Q2
    assert q3["C09"] == "broken" and q2["C09"] == "holds"  # opt-out ignored in July 2026
    assert q3["C01"] == "broken"  # requests answered late
