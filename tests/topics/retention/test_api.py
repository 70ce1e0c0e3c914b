"""Tests for juro_privacy.topics.retention.api: the retention topic on the sample workbook,
on a copy without its accounts file or with an empty one, and on an ``engine``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import duckdb
import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.periods import Period, parse_period
from juro_privacy.rules.retention.rule import RetentionRules, summarize_retention
from juro_privacy.rules.retention.source import REQUIRED_COLUMNS
from juro_privacy.topics import api_of
from juro_privacy.topics.retention import api
from juro_privacy.topics.retention.forecast import days_late_counts, forecast_due
from juro_privacy.topics.retention.report import METRICS, metrics
from juro_privacy.workbook.load import Workbook, load_workbook
from tests.conftest import warehouse

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]

PERIOD: Period = parse_period("2026-Q3")


@pytest.fixture(scope="module")
def sample() -> Workbook:
    return load_workbook(sample_dir())


def _with_accounts(wb: Workbook, path: Path | None) -> Workbook:
    """``wb`` with its accounts file replaced by ``path``, or without one (``None``)."""
    files = {k: v for k, v in wb.files.items() if k != "accounts"}
    if path is not None:
        files["accounts"] = path
    return dataclasses.replace(wb, files=files)


def _no_accounts(wb: Workbook, tmp_path: Path) -> Workbook:
    """``wb`` with an accounts file of headers only."""
    path = tmp_path / "accounts.csv"
    path.write_text(",".join(REQUIRED_COLUMNS) + "\n", encoding="utf-8")
    return _with_accounts(wb, path)


def test_is_the_topics_api() -> None:
    assert api_of("retention") is api


def test_rules_come_from_the_workbooks_policy_rule(sample: Workbook) -> None:
    assert api.rules_for(sample) == RetentionRules(6, 72)


def test_summary_is_the_rule_as_of_the_periods_end(sample: Workbook) -> None:
    summary = api.summary_for(sample, PERIOD)
    expected = summarize_retention(
        sample_dir() / "accounts.csv", PERIOD.end, timezone="Europe/London"
    )
    assert summary.equals(expected)
    assert int(summary[summary["obligation"] == "archive"]["accounts"].sum()) == 2000


def test_findings_print_counts_as_the_status_table(sample: Workbook) -> None:
    findings = api.findings_for(sample, PERIOD)
    status = api.status_for(sample, PERIOD)
    assert set(findings["topic"]) == {"retention"}
    found = findings.set_index("code")
    assert "system_over_retention" in found.index
    overdue = str(status.label("delete:all", "overdue"))
    assert str(found.loc["delete_overdue", "subject"]).startswith(f"{overdue} account")
    assert "acc-" not in findings.to_string()


def test_systems_are_judged_on_the_periods_activities(sample: Workbook) -> None:
    over = api.systems_for(sample, PERIOD).set_index("system_id")
    assert over.loc["analytics_wh", "issue"] == "exceeds_rule"
    assert over.loc["analytics_wh", "retention_months"] == 96


def test_metrics_are_the_summarys_exact_counts(sample: Workbook) -> None:
    values = api.metrics_for(sample, PERIOD)
    assert values == metrics(api.summary_for(sample, PERIOD))
    assert set(values) == set(METRICS)


def test_no_metric_without_an_account(sample: Workbook, tmp_path: Path) -> None:
    assert api.metrics_for(_with_accounts(sample, None), PERIOD) == {}
    assert api.metrics_for(_no_accounts(sample, tmp_path), PERIOD) == {}


def test_account_count(sample: Workbook, tmp_path: Path) -> None:
    assert api.account_count(sample) == 2000
    assert api.account_count(_with_accounts(sample, None)) is None
    assert api.account_count(_no_accounts(sample, tmp_path)) == 0


def test_days_late_and_forecast_as_of_the_periods_end(sample: Workbook) -> None:
    path = sample_dir() / "accounts.csv"
    rules = api.rules_for(sample)
    assert api.days_late_for(sample, PERIOD).equals(days_late_counts(path, PERIOD.end, rules=rules))
    forecast = api.forecast_for(sample, PERIOD, quarters=2)
    assert forecast.equals(forecast_due(path, PERIOD.end, 2, rules=rules))
    assert list(forecast["quarter"]) == ["2026-Q4", "2027-Q1"]


def test_an_engine_gives_the_same_figures_as_the_file(sample: Workbook, tmp_path: Path) -> None:
    engine = warehouse(sample_dir() / "accounts.csv", tmp_path)
    at_engine = dataclasses.replace(sample, engine=engine)
    assert api.summary_for(at_engine, PERIOD).equals(api.summary_for(sample, PERIOD))
    assert api.findings_for(at_engine, PERIOD).equals(api.findings_for(sample, PERIOD))
    assert api.metrics_for(at_engine, PERIOD) == api.metrics_for(sample, PERIOD)
    assert api.account_count(at_engine) == api.account_count(sample) == 2000


def test_the_figures_are_counted_at_the_workbooks_engine(sample: Workbook, tmp_path: Path) -> None:
    """Not at its file: an engine holding other accounts gives other figures, in the
    metrics (the DPIA's and the accountability report's evidence) as in the summary."""
    database = tmp_path / "other.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            "CREATE TABLE accounts AS SELECT 'x1' AS account_id, 'london' AS office, "
            "TIMESTAMPTZ '2019-01-10 10:00:00+00' AS last_used_at, "
            "CAST(NULL AS TIMESTAMPTZ) AS archived_at, CAST(NULL AS TIMESTAMPTZ) AS deleted_at, "
            "CAST(NULL AS INTEGER) AS delete_after_months"
        )
    at_engine = dataclasses.replace(sample, engine=f"duckdb://{database}")
    assert api.account_count(at_engine) == 1
    summary = api.summary_for(at_engine, PERIOD)
    assert int(summary["accounts"].sum()) == 2  # one account, judged for both obligations
    assert api.metrics_for(at_engine, PERIOD) != api.metrics_for(sample, PERIOD)
