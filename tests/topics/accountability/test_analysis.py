"""The accountability report's pure parts: area status, the findings diff across
quarters, the trend read from earlier runs, and the claims row."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from juro_privacy.findings import Finding, findings_frame
from juro_privacy.periods import parse_period
from juro_privacy.topics.accountability.analysis import (
    area_rows,
    area_status,
    board_summary,
    claims_status,
    diff_findings,
    open_findings,
    owner_summary,
    period_summary,
    status_table,
    trend_view,
)
from juro_privacy.topics.accountability.api import (
    claims_for,
    collect_findings,
    figures_for,
    trend_in,
)
from tests.conftest import empty_tables

Q3 = parse_period("2026-Q3")


def write_findings(findings: pd.DataFrame, folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    findings.to_csv(folder / "findings.csv", index=False, lineterminator="\n")


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
    assert text.startswith("**1 of 8 areas need action** (Register of processing)")
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
    write_findings(earlier, tmp_path / "2026-Q1")  # a run from before manifests kept a summary
    current = findings_frame([f("register", "a", "medium")])
    trend = trend_in(tmp_path, Q3, current, quarters=3)
    plain = trend.astype(object).where(trend.notna(), None).values.tolist()
    assert [row[:5] for row in plain] == [
        ["2026-Q1", "run", 1, 0, 1],
        ["2026-Q2", "no run", None, None, None],
        ["2026-Q3", "run", 0, 1, 0],
    ]
    assert str(trend["high"].dtype) == "Int64"  # 14, never 14.0 beside a blank quarter


def _summary(high, broken_areas, holds, broken, on_time, overdue):
    areas = pd.DataFrame(
        [(f"area {i}", "broken" if i < broken_areas else "holds", "") for i in range(6)],
        columns=["area", "status", "headline"],
    )
    claims = pd.DataFrame({"outcome": ["holds"] * holds + ["broken"] * broken})
    findings = findings_frame([f("register", f"c{i}", "high") for i in range(high)])
    return period_summary(
        findings,
        areas,
        claims,
        {"requests.on_time_rate": on_time, "retention.delete_overdue_count": overdue},
    )


def test_trend_reads_the_summary_kept_in_earlier_manifests(tmp_path):
    (tmp_path / "2026-Q2").mkdir()
    manifest = {"tool": "juro_privacy", "accountability": _summary(3, 4, 2, 9, 0.8, 30.0)}
    (tmp_path / "2026-Q2" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    current = _summary(1, 2, 5, 6, 0.75, 21.0)
    trend = trend_in(tmp_path, Q3, current, quarters=2)
    view = trend_view(trend)
    assert view.values.tolist() == [
        ["2026-Q2", "3 / 0 / 0", "4", "2 / 9", "80%", "30", ""],
        ["2026-Q3", "1 / 0 / 0", "2", "5 / 6", "75%", "21", ""],
    ]
    assert list(view.columns)[:2] == ["quarter", "findings (high / medium / low)"]


def test_a_manifest_without_a_summary_falls_back_to_findings(tmp_path):
    (tmp_path / "2026-Q2").mkdir()
    (tmp_path / "2026-Q2" / "manifest.json").write_text("{}", encoding="utf-8")
    write_findings(findings_frame([f("flows", "b", "low")]), tmp_path / "2026-Q2")
    trend = trend_in(tmp_path, Q3, findings_frame([]), quarters=2)
    assert trend.loc[0, ["run", "low"]].tolist() == ["run", 1]
    assert pd.isna(trend.loc[0, "claims held"])


def test_open_findings_take_owner_and_due_date_from_actions_and_risks():
    findings = findings_frame(
        [
            f("requests", "request_late", "medium", "12 requests answered late"),
            f("flows", "unsafeguarded_transfer", "high", "ChatDesk Inc. from London office"),
            f("flows", "unsafeguarded_transfer", "high", "MailPulse Inc. from London office"),
            f("dpia", "prior_consultation_required", "high", "risk R05"),
            f("consent", "cookie_too_long", "medium", "cookie _ht_user"),
        ]
    )
    actions = pd.DataFrame(
        [
            # a subject with other figures matches: "<5 requests" today, "12" next quarter
            ("requests", "request_late", "<5 requests answered late", "Support Lead",
             dt.date(2026, 10, 15)),
            ("flows", "unsafeguarded_transfer", None, "Head of Data", dt.date(2026, 12, 31)),
            ("flows", "unsafeguarded_transfer", "MailPulse Inc. from London office",
             "Marketing Lead", dt.date(2026, 8, 1)),
        ],
        columns=["topic", "code", "subject", "owner", "due_on"],
    )  # fmt: skip
    risks = pd.DataFrame(
        {"risk_id": ["R05"], "measure_owner": ["CTO"], "measure_due": [dt.date(2027, 3, 31)]}
    )
    out = open_findings(findings, actions, risks, dt.date(2026, 9, 30))
    got = out.set_index("subject")[["owner", "due", "state"]].astype(str)
    assert got.to_dict("index") == {
        "ChatDesk Inc. from London office": {
            "owner": "Head of Data", "due": "2026-12-31", "state": "open"},
        "MailPulse Inc. from London office": {  # its own action beats the topic-wide one
            "owner": "Marketing Lead", "due": "2026-08-01", "state": "overdue"},
        "risk R05": {"owner": "CTO", "due": "2027-03-31", "state": "open"},
        "12 requests answered late": {
            "owner": "Support Lead", "due": "2026-10-15", "state": "open"},
        "cookie _ht_user": {"owner": "unassigned", "due": "", "state": "unassigned"},
    }  # fmt: skip
    assert owner_summary(out) == (
        "**5 open findings**: 3 with an owner and a due date, **1 past their due date**, "
        "**1 without an owner** (add them to the workbook's `actions` table)."
    )
    assert open_findings(findings, None, None, dt.date(2026, 9, 30))["state"].eq("unassigned").all()


def test_an_area_without_records_is_no_evidence_unless_a_finding_breaks_it():
    findings = findings_frame([f("retention", "system_over_retention", "medium")])
    evidence = {"Requests": False, "Retention": False, "Cookies and consent": True}
    areas = area_status(findings, evidence).set_index("area")["status"].to_dict()
    assert areas["Requests"] == "no_evidence"  # an empty request log shows nothing kept
    assert areas["Retention"] == "broken"  # a system keeps data too long: no accounts needed
    assert areas["Cookies and consent"] == "holds"
    assert areas["Register of processing"] == "holds"  # not named: judged as before
    assert area_status(findings)["status"].tolist().count("no_evidence") == 0


def test_the_empty_workbook_areas(workbook_copy):
    from juro_privacy.workbook.load import load_workbook

    empty_tables(
        workbook_copy,
        "requests",
        "accounts",
        "cookies",
        "consents",
        "marketing_sends",
        "risks",
        "breaches",
        "complaints",
    )
    areas = figures_for(load_workbook(workbook_copy), Q3).areas
    status = areas.set_index("area")["status"].to_dict()
    assert status == {
        "Register of processing": "broken",
        "Transfers": "broken",
        "Requests": "no_evidence",
        "Retention": "broken",  # its systems keep data too long, accounts or not
        "DPIA": "no_evidence",
        "Cookies and consent": "no_evidence",
        "Breaches": "no_evidence",
        "Complaints": "no_evidence",
    }


def test_area_rows_link_only_the_reports_the_run_wrote():
    areas = area_status(findings_frame([f("requests", "c", "high")]))
    claims = pd.DataFrame({"outcome": ["holds", "no_evidence"]})
    rows = {r["area"]: r for r in area_rows(areas, claims, {"requests", "accountability"})}
    assert rows["Requests"] == {
        "area": "Requests",
        "status": "broken",
        "headline": "1 finding: 1 high, 0 medium, 0 low",
        "report": "requests",
    }
    assert rows["Retention"]["status"] == "holds"
    assert rows["Retention"]["report"] == ""  # not in this run
    assert rows["Policy claims"]["status"] == "holds"
    assert rows["Policy claims"]["report"] == "accountability"


def test_sample_claims_and_areas():
    from juro_privacy.paths import sample_dir
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    found = collect_findings(wb, Q3)
    assert set(found["topic"]) == {
        "register",
        "flows",
        "requests",
        "retention",
        "dpia",
        "consent",
        "breaches",
        "complaints",
    }
    for column in ("subject", "detail"):
        text = " ".join(found[column])
        assert "REQ-" not in text and "@example.com" not in text and "acc-0" not in text
        assert "CP-2026" not in text  # a complaint is counted, never named
    evaluated = claims_for(wb, Q3)
    assert len(evaluated) == len(wb.policy_claims)
    assert set(evaluated["outcome"]) <= {"holds", "broken", "no_evidence"}


def test_sample_keeps_some_claims_and_breaks_others_quarter_over_quarter():
    from juro_privacy.paths import sample_dir
    from juro_privacy.workbook.load import load_workbook

    wb = load_workbook(sample_dir())
    q3 = dict(zip(*claims_for(wb, Q3)[["claim_id", "outcome"]].T.values, strict=True))
    q2 = dict(zip(*claims_for(wb, Q3.previous())[["claim_id", "outcome"]].T.values, strict=True))
    assert q3["C08"] == "holds" and q2["C08"] == "broken"  # opt-in: bought list sent in Q2
    assert q3["C09"] == "broken" and q2["C09"] == "holds"  # opt-out ignored in July 2026
    assert q3["C01"] == "broken"  # requests answered late
