"""The metric registry: every topic publishes into it, missing means no evidence, and
a workbook citing an unknown metric is refused with file, row and column."""

from __future__ import annotations

import math

import pytest

from juro_privacy.errors import WorkbookError
from juro_privacy.paths import sample_dir
from juro_privacy.periods import parse_period
from juro_privacy.topics import metrics
from juro_privacy.workbook.load import load_workbook
from juro_privacy.workbook.schemas import METRICS
from juro_privacy.workbook.validate import validate
from tests.conftest import empty_tables, set_cell

Q3 = parse_period("2026-Q3")


@pytest.fixture(scope="module")
def sample():
    return load_workbook(sample_dir())


def test_names_are_topic_dot_name_and_units_known():
    for name, metric in METRICS.items():
        assert name == metric.name and "." in name
        assert metric.unit in {"count", "rate"}


def test_every_claim_and_risk_in_the_sample_cites_a_known_metric(sample):
    cited = {*sample.policy_claims["metric"], *sample.risks["evidence_metric"].dropna()}
    assert cited <= set(METRICS)


def test_sample_values_come_from_each_topic(sample):
    values = metrics.compute_metrics(sample, parse_period("2026-Q3"))
    assert set(values) == set(METRICS)
    assert values["transfers.unsafeguarded_count"] == 5  # StatsBox from London (issue 14)
    assert values["retention.delete_overdue_count"] == 21
    assert 0 <= (values["requests.on_time_rate"] or 0) <= 1


def test_a_metric_no_topic_publishes_is_none_not_zero(sample):
    def only_flows(wb, period):
        return {"transfers.no_dpa_count": 1.0, "someone.elses_metric": 3.0}

    values = metrics.compute_metrics(sample, parse_period("2026-Q3"), (only_flows,))
    assert values["transfers.no_dpa_count"] == 1.0
    assert values["retention.delete_overdue_count"] is None
    assert "someone.elses_metric" not in values


def test_nan_from_a_topic_becomes_no_evidence(sample):
    def nothing_judged(wb, period):
        return {"requests.on_time_rate": math.nan}

    values = metrics.compute_metrics(sample, parse_period("2026-Q3"), (nothing_judged,))
    assert values["requests.on_time_rate"] is None


def test_unknown_metric_in_risks_names_file_row_and_column(workbook_copy):
    set_cell(workbook_copy / "risks.csv", 3, "evidence_metric", "retention.vibes_count")
    with pytest.raises(WorkbookError) as err:
        validate(workbook_copy)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("risks.csv", 3, "evidence_metric")
    assert "risk R02: 'retention.vibes_count' is not a known metric" in str(err.value)


def test_the_run_refuses_an_unknown_metric_before_running(workbook_copy, tmp_path):
    from juro_privacy.run.orchestrate import RunOptions, run_reports

    set_cell(workbook_copy / "policy_claims.csv", 2, "metric", "requests.speed")
    with pytest.raises(
        WorkbookError, match=r"policy_claims\.csv, row 2, column 'metric': claim C01: 'requests"
    ):
        run_reports(RunOptions(data_dir=workbook_copy, out=tmp_path / "reports", pdf=False))
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_an_empty_evidence_table_is_no_evidence_not_zero(workbook_copy):
    # Issue 7: a claim is no_evidence when "its table is empty". With no marketing
    # sends at all, "no send after an opt-out" is not shown to hold.
    empty_tables(workbook_copy, "marketing_sends", "cookies")
    values = metrics.compute_metrics(load_workbook(workbook_copy), Q3)
    assert values["consent.sends_after_opt_out_count"] is None
    assert values["consent.sends_without_opt_in_count"] is None
    assert values["cookies.without_consent_count"] is None
    # its table still has rows: 53 on time of 69 judged (issue 15 planted a fee and a
    # refusal, both answered in time: 51 / 67 before)
    assert values["requests.on_time_rate"] == 53 / 69


def test_no_account_at_all_is_no_evidence(workbook_copy):
    empty_tables(workbook_copy, "accounts")
    values = metrics.compute_metrics(load_workbook(workbook_copy), Q3)
    assert values["retention.delete_overdue_count"] is None
    assert values["retention.archive_overdue_count"] is None


def test_every_metric_names_the_table_of_its_evidence():
    from juro_privacy.workbook.schemas import TABLES_BY_NAME

    for metric in METRICS.values():
        assert metric.source == "" or metric.source in TABLES_BY_NAME, metric.name


def test_an_unknown_metric_names_the_line_a_spreadsheet_shows(workbook_copy):
    # A blank line in the file: the record index and the file row part ways.
    path = workbook_copy / "policy_claims.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    set_cell(path, 4, "metric", "requests.speed")  # the second claim, on line 4
    with pytest.raises(WorkbookError) as err:
        validate(workbook_copy)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (4, "metric")
    assert "claim C02" in problem.message


def test_a_risk_off_the_scale_names_its_real_row(workbook_copy):
    path = workbook_copy / "risks.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    set_cell(path, 4, "likelihood", "sometimes")  # R02, on line 4 after the blank one
    with pytest.raises(WorkbookError) as err:
        validate(workbook_copy)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == ("risks.csv", 4, "likelihood")
