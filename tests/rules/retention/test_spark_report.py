"""The whole retention report on Spark (local mode) is the report on DuckDB: the summary,
the status table, days late, the forecast, the systems and the findings, cell for cell
(issue 13: past one machine, the same Ibis expressions run on a cluster)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from juro_privacy.paths import sample_dir
from juro_privacy.periods import active_in, parse_period
from juro_privacy.sample.accounts import write_accounts
from juro_privacy.topics.retention.counts import retention_counts
from juro_privacy.topics.retention.forecast import forecast_table, late_counts, late_table
from juro_privacy.topics.retention.report import (
    finding_counts,
    policy_rules,
    retention_findings,
)
from juro_privacy.topics.retention.status import status_counts, status_table
from juro_privacy.topics.retention.systems import systems_over_retention
from juro_privacy.workbook.load import load_shared_workbook
from tests.rules.retention.conftest import spark_table

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


def report(accounts: Any, wb: Any, as_of: dt.date) -> dict[str, pd.DataFrame]:
    """Every table of the retention report, computed on ``accounts`` (any engine)."""
    period = parse_period("2026-Q3")
    rules = policy_rules(wb.retention_rules)
    tz = wb.config.timezone
    threshold = wb.config.small_count_threshold
    counts = retention_counts(accounts, as_of, 4, rules=rules, timezone=tz)
    summary, days, forecast = counts.summary, counts.days_late, counts.forecast
    status = status_counts(summary, threshold)
    systems = systems_over_retention(
        wb.systems, active_in(wb.activities, period), wb.retention_rules
    )
    findings = retention_findings(
        summary,
        systems,
        threshold=threshold,
        rules=rules,
        counts=finding_counts(status),
        status=status,
    )
    return {
        "summary": summary,
        "status": status_table(status, wb.sites),
        "days late": late_table(late_counts(days, status)),
        "forecast": forecast_table(forecast, threshold),
        "systems": systems,
        "findings": findings,
    }


def test_the_retention_report_on_spark_is_the_report_on_duckdb(spark: Any, tmp_path: Path):
    wb = load_shared_workbook(sample_dir())
    as_of = parse_period("2026-Q3").end
    path = tmp_path / "accounts.parquet"
    write_accounts(path, 3000, seed=13)
    on_duckdb = report(path, wb, as_of)
    on_spark = report(spark_table(spark, path, "report_accounts", tmp_path), wb, as_of)
    assert list(on_spark) == list(on_duckdb)
    for name, frame in on_duckdb.items():
        pd.testing.assert_frame_equal(on_spark[name], frame, obj=name)
    # a report with something in it: every account judged for both obligations
    assert int(on_duckdb["summary"]["accounts"].sum()) == 2 * 3000
    assert list(on_duckdb["forecast"]["quarter"]) == ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
    assert "delete_overdue" in set(on_duckdb["findings"]["code"])


def _shuffles(spark: Any, sql: str) -> list[str]:
    """The exchanges (shuffles) of the physical plan Spark makes for ``sql``."""
    plan = spark.sql(sql)._jdf.queryExecution().executedPlan().toString()
    return re.findall(r"Exchange (\w+)", plan)


def test_the_report_is_one_pass_with_one_shuffle(
    spark: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """On a cluster a shuffle moves rows between machines: the report's three aggregates
    (summary, days late, forecast) are one query (``retention_counts``) that scans the
    accounts once and shuffles only its partial aggregates (one row per office and
    partition), never the accounts."""
    wb = load_shared_workbook(sample_dir())
    path = tmp_path / "accounts.parquet"
    write_accounts(path, 500, seed=5)
    accounts = spark_table(spark, path, "plan_accounts", tmp_path)
    sent: list[str] = []
    real = type(spark).sql

    def spy(self: Any, sql: str, *args: Any, **kwargs: Any) -> Any:
        sent.append(sql)
        return real(self, sql, *args, **kwargs)

    monkeypatch.setattr(type(spark), "sql", spy)
    report(accounts, wb, parse_period("2026-Q3").end)
    monkeypatch.undo()
    passes = [sql for sql in sent if "SUM(" in sql]  # what runs a job: the aggregates
    assert [_shuffles(spark, sql) for sql in passes] == [["hashpartitioning"]]  # GROUP BY office
    assert all(sql.count("FROM `plan_accounts`") == 1 for sql in passes)
