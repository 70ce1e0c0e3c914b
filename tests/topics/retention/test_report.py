"""Tests for juro_privacy.topics.retention.report: findings, metrics and the policy's rule
on small hand-made frames; then the notebook and the quarterly run with ``--engine``,
on the sample. (The status table, days late, the forecast, the systems check and the
workbook wrappers are tested beside their modules: test_status.py, test_forecast.py,
test_systems.py and test_api.py in this folder.)

As of 2026-09-30 unless a test says otherwise (London on BST, UTC+1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from juro_privacy.paths import notebooks_dir, sample_dir
from juro_privacy.rules.retention.rule import RetentionRules, summarize_retention
from juro_privacy.run.render import notebook_to_html
from juro_privacy.topics.retention import report as rr
from juro_privacy.topics.retention.status import status_counts
from juro_privacy.topics.retention.systems import systems_over_retention
from tests.conftest import accounts, run_cli, warehouse
from tests.topics.retention.test_status import london_riga_summary
from tests.topics.retention.test_systems import ACTIVITIES, RULES, SYSTEMS

AS_OF = dt.date(2026, 9, 30)

pytestmark = [
    pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string"),
]


# ---------------------------------------------------------------- findings and metrics


def test_findings_count_accounts_and_name_no_one() -> None:
    summary = london_riga_summary()
    over = systems_over_retention(SYSTEMS, ACTIVITIES, RULES)
    status = status_counts(summary, 5)
    found = rr.retention_findings(
        summary, over, threshold=5, counts=rr.finding_counts(status)
    ).set_index("code")
    assert list(found.index) == ["archive_overdue", "system_over_retention", "system_no_retention"]
    assert found.loc["archive_overdue", "severity"] == "medium"
    assert found.loc["archive_overdue", "subject"] == (
        "<5 accounts not archived, past the archiving date"
    )
    assert "median" not in str(found.loc["archive_overdue", "detail"])  # 3 accounts: no statistic
    assert found.loc["system_over_retention", "subject"] == "Warehouse (wh) keeps data 96 months"
    assert "72 months" in str(found.loc["system_over_retention", "detail"])
    assert found.loc["system_no_retention", "severity"] == "low"
    text = found.to_string()
    assert "a1" not in text.split() and "acc-" not in text


def test_findings_with_large_counts_give_the_typical_delay() -> None:
    rows = [{"last_used_at": "2019-01-01T12:00:00Z", "archived_at": "2019-02-01T00:00Z"}] * 6
    summary = summarize_retention(accounts(*rows), AS_OF)  # delete due 2025-01-01
    found = rr.retention_findings(
        summary, systems_over_retention(SYSTEMS.iloc[:0], ACTIVITIES, RULES)
    )
    row = found.set_index("code").loc["delete_overdue"]
    assert row["severity"] == "high"
    assert row["subject"] == "6 accounts not deleted, past the deletion date"
    assert "london: median 637 days" in row["detail"]


def test_metrics_are_exact_counts() -> None:
    assert rr.metrics(london_riga_summary()) == {
        "retention.archive_overdue_count": 3.0,
        "retention.delete_overdue_count": 0.0,
    }


def test_policy_rules_come_from_the_policy_rule() -> None:
    rules = pd.DataFrame(
        {
            "rule_id": ["contract", rr.POLICY_RULE],
            "archive_after_months": pd.array([None, 3], dtype="Int64"),
            "delete_after_months": pd.array([84, 60], dtype="Int64"),
        }
    )
    assert rr.policy_rules(rules) == RetentionRules(3, 60)
    no_archive = rules.assign(archive_after_months=pd.array([None, None], dtype="Int64"))
    assert rr.policy_rules(no_archive) == RetentionRules(6, 60)
    assert rr.policy_rules(rules.iloc[:1]) == RetentionRules()


# ---------------------------------------------------------------- the sample, end to end


@pytest.mark.slow
def test_notebook_on_the_sample_shows_counts_and_no_account_id(tmp_path: Path) -> None:
    import papermill as pm  # slow to import: only for the slow tests

    out = tmp_path / "retention.ipynb"
    pm.execute_notebook(
        str(notebooks_dir() / "retention.ipynb"),
        str(out),
        parameters={"period": "2026-Q3"},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebooks_dir()),
    )
    html = notebook_to_html(nbformat.read(out, as_version=4), title="Retention")
    assert "acc-" not in html
    summary = summarize_retention(sample_dir() / "accounts.csv", AS_OF)
    overdue = summary[summary["status"] == "overdue"].groupby("obligation")["accounts"].sum()
    assert f"<strong>{overdue['archive']} overdue</strong>" in html
    assert f"<strong>{overdue['delete']} overdue</strong>" in html
    assert "<strong>2000 accounts</strong>" in html
    assert "Analytics warehouse (analytics_wh) keeps data 96 months" in html
    assert html.count("Plotly.newPlot") == 3


def _outputs(path: Path) -> list[Any]:
    """Every output of an executed notebook but the parameters papermill injected."""
    nb = nbformat.read(path, as_version=4)
    return [
        [o.get("data", o.get("text")) for o in c.outputs]
        for c in nb.cells
        if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
    ]


@pytest.mark.slow
def test_run_with_engine_gives_the_same_report_as_the_workbook_file(tmp_path: Path) -> None:
    engine = warehouse(sample_dir() / "accounts.csv", tmp_path)
    runs = {}
    for name, extra in (("default", []), ("engine", ["--engine", engine])):
        out = tmp_path / name
        proc = run_cli("run", "--only", "retention", "--no-pdf", "--out", str(out), *extra)
        assert proc.returncode == 0, proc.stderr
        runs[name] = out / "2026-Q3"
    assert _outputs(runs["engine"].parent / "internal" / "2026-Q3" / "retention.ipynb") == _outputs(
        runs["default"].parent / "internal" / "2026-Q3" / "retention.ipynb"
    )
    manifest = (runs["engine"] / "manifest.json").read_text(encoding="utf-8")
    assert f'"engine": "{engine}"' in manifest


def test_no_median_for_an_office_whose_count_the_table_withholds() -> None:
    late = {  # delete due 2025-01-01, deleted 2025-03-01: 59 days late
        "last_used_at": "2019-01-01T12:00:00Z",
        "archived_at": "2019-02-01T00:00Z",
        "deleted_at": "2025-03-01T00:00Z",
    }
    summary = summarize_retention(accounts(*[late] * 6, *[late | {"office": "riga"}] * 4), AS_OF)
    status = status_counts(summary, 5)
    assert status.label("delete:riga", "late") == "<5"
    assert status.label("delete:london", "late") == "≥5"  # would give Riga's 4 away
    no_systems = systems_over_retention(SYSTEMS.iloc[:0], ACTIVITIES, RULES)
    found = rr.retention_findings(summary, no_systems, status=status).set_index("code")
    assert "median" not in str(found.loc["delete_late", "detail"])
    found = rr.retention_findings(summary, no_systems).set_index("code")
    assert "london: median 59 days" in str(found.loc["delete_late", "detail"])
